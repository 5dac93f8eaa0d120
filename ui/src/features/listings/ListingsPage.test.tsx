import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import ListingsPage from "./ListingsPage";
import type { Listing, ListingCard, ListingQuery, OwnListingView } from "../../bindings";
import { I18nContext } from "../../shared/i18n";
import type { Locale } from "../../shared/i18n";
import { readingIn, resetPage, signedInStatus } from "../../test/fixtures";

const listing = (id: string, extra: Partial<Listing> = {}): Listing => ({
  id,
  enterprise_name: "上海闵通冷链物流有限公司",
  mine: false,
  state: "active",
  created_at: "2022-05-01T00:00:00Z",
  updated_at: null,
  kind: "supply",
  category: "supplies",
  item: "医用外科口罩（一次性，三层）",
  quantity: 50000,
  unit: "只",
  district: "闵行区",
  valid_until: "2022-06-01",
  contact_name: "陈建国",
  contact_phone: "13916205731",
  note: null,
  ...extra,
});

const cards: ListingCard[] = [
  { key: "lst_mask", listing: listing("lst_mask"), expired: false },
  { key: "lst_van", listing: listing("lst_van", { category: "logistics", item: "冷链运输车" }), expired: false },
  { key: "lst_old", listing: listing("lst_old", { item: "84 消毒液" }), expired: true },
];

const own: OwnListingView = {
  key: "listing-1",
  details: { ...listing("x"), kind: "demand", quantity: 20000, district: "浦东新区" },
  server: null,
  state: "active",
  delivery: "delivered",
  pending_edit: true,
  matches: [
    {
      listing: listing("lst_mask"),
      score: 0.71,
      reasons: [
        { kind: "category", category: "supplies" },
        { kind: "item", shared: ["医用", "口罩"] },
        { kind: "quantity", needed: 20000, offered: 50000, unit: "只", covers: true },
        { kind: "dates", until: "2022-06-01" },
      ],
    },
  ],
};

let calls: { cmd: string; args: Record<string, unknown> }[] = [];

beforeEach(() => {
  calls = [];
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      switch (cmd) {
        case "listings_browse": {
          const q = a.query as ListingQuery;
          return cards.filter(
            (c) =>
              (!q.valid_only || !c.expired) &&
              (q.category == null || c.listing.category === q.category) &&
              (q.text == null || c.listing.item.includes(q.text)),
          );
        }
        case "listings_own":
          return [own];
        case "listing_check": {
          const l = a.listing as { item: string };
          return l.item.length > 100 ? [{ field: "item", zh: "物资名称不能超过 100 个字", en: "At most 100 characters" }] : [];
        }
        case "listing_create":
          return "listing-2";
        default:
          return null;
      }
    },
    { shouldMockEvents: true },
  );
});
afterEach(resetPage);

/** The page as an officer reading `locale` sees it (Chinese unless said). */
function page(locale: Locale = "zh-CN") {
  return (
    <I18nContext.Provider value={readingIn(locale)}>
      <App>
        <ListingsPage status={signedInStatus} />
      </App>
    </I18nContext.Provider>
  );
}

function show(locale: Locale = "zh-CN") {
  return render(page(locale));
}

const lastQuery = () => calls.filter((c) => c.cmd === "listings_browse").slice(-1)[0]?.args.query as ListingQuery;

describe("ListingsPage", () => {
  it("browses valid listings, and the filters and search go to the core", async () => {
    show();
    await waitFor(() => {
      expect(screen.getAllByTestId("listing-card").map((c) => c.getAttribute("data-key"))).toEqual(["lst_mask", "lst_van"]);
    });
    fireEvent.click(screen.getByTestId("listing-filter-valid"));
    await waitFor(() => {
      expect(screen.getAllByTestId("listing-card")).toHaveLength(3);
    });
    expect(lastQuery().valid_only).toBe(false);
    const old = screen.getAllByTestId("listing-card").find((c) => c.getAttribute("data-key") === "lst_old");
    expect(old?.getAttribute("data-expired")).toBe("true");

    const search = screen.getByTestId("listing-search");
    fireEvent.change(search, { target: { value: "运输" } });
    fireEvent.keyDown(search, { key: "Enter", code: "Enter", keyCode: 13 });
    await waitFor(() => {
      expect(screen.getAllByTestId("listing-card").map((c) => c.getAttribute("data-key"))).toEqual(["lst_van"]);
    });
    expect(lastQuery().text).toBe("运输");
  });

  it("shows an own listing with its state, its pending edit, and each match's reasons and contact", async () => {
    show();
    fireEvent.click(await screen.findByTestId("tab-mine"));
    const row = await screen.findByTestId("own-listing");
    expect(row.getAttribute("data-state")).toBe("active");
    expect(row.textContent).toContain("修改待同步");
    const match = within(row).getByTestId("listing-match");
    expect(within(match).getByTestId("match-enterprise").textContent).toBe("上海闵通冷链物流有限公司");
    expect(within(match).getAllByTestId("match-reason").map((r) => r.getAttribute("data-reason"))).toEqual([
      "category",
      "item",
      "quantity",
      "dates",
    ]);
    expect(within(match).getByTestId("match-contact").textContent).toBe("13916205731");
    expect(match.textContent).toContain("数量满足");
  });

  it("names an own listing's district in English when the officer reads English", async () => {
    show("en-US");
    fireEvent.click(await screen.findByTestId("tab-mine"));
    const row = await screen.findByTestId("own-listing");
    expect(row.textContent).toContain("Pudong");
    expect(row.textContent).not.toContain("浦东新区");
  });

  it("puts the core's problems under their field and sends nothing while there are some", async () => {
    show();
    fireEvent.click(await screen.findByTestId("new-listing"));
    const form = await screen.findByTestId("listing-form");
    fireEvent.change(within(form).getByTestId("listing-item"), { target: { value: "口".repeat(101) } });
    fireEvent.click(screen.getByTestId("listing-submit"));
    await waitFor(() => {
      expect(calls.some((c) => c.cmd === "listing_check")).toBe(true);
    });
    expect(await screen.findByText("物资名称不能超过 100 个字")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "listing_create")).toBe(false);

    // The category was never chosen: said under it, and nothing sent.
    expect(screen.getByText("此项必填")).toBeTruthy();
    fireEvent.mouseDown(within(form).getByTestId("listing-category").querySelector("input") as HTMLInputElement);
    fireEvent.click(await screen.findByTitle("防疫物资"));
    fireEvent.change(within(form).getByTestId("listing-item"), { target: { value: "医用外科口罩" } });
    fireEvent.click(screen.getByTestId("listing-submit"));
    await waitFor(() => {
      const created = calls.find((c) => c.cmd === "listing_create");
      expect(created?.args.listing).toMatchObject({ kind: "demand", category: "supplies", item: "医用外科口罩" });
    });
  });

  it("says the core's problems again in the language the officer switches to", async () => {
    const { rerender } = show();
    fireEvent.click(await screen.findByTestId("new-listing"));
    const form = await screen.findByTestId("listing-form");
    fireEvent.change(within(form).getByTestId("listing-item"), { target: { value: "口".repeat(101) } });
    fireEvent.click(screen.getByTestId("listing-submit"));
    expect(await screen.findByText("物资名称不能超过 100 个字")).toBeTruthy();
    rerender(page("en-US"));
    expect(await screen.findByText("At most 100 characters")).toBeTruthy();
    expect(screen.queryByText("物资名称不能超过 100 个字")).toBeNull();
  });
});
