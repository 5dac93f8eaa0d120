import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import ProfilePage from "./ProfilePage";
import type { CompanyProfile_Deserialize as CompanyProfile, FieldProblem, ProfileView_Serialize as ProfileView } from "../../bindings";
import { readingIn, resetPage, signedInStatus } from "../../test/fixtures";
import { I18nContext } from "../../shared/i18n";

const view: ProfileView = {
  account: { credit_code: "91310115MA1K4C7P2E", name: "上海浦江精密机械有限公司", district: "浦东新区", industry: "制造业" },
  profile: null,
  suggested: {
    address: "",
    district: "浦东新区",
    industry_section: "C",
    industry_division: "",
    headcount: 0,
    on_site: 0,
    contacts: [],
    risk_area: "precaution",
    dormitories: false,
    whitelist_batch: null,
  },
  saved_at: null,
  unsent: false,
};

/** What the core's check says of a profile, for the fields this test types into. */
function problems(p: CompanyProfile): FieldProblem[] {
  const out: FieldProblem[] = [];
  const say = (field: string, zh: string) => out.push({ field, zh, en: zh });
  if (p.address.trim() === "") say("address", "请填写地址");
  if (p.industry_division === "") say("industry_division", "请选择行业大类");
  if (!p.headcount) say("headcount", "请填写职工人数");
  if (p.on_site > p.headcount) say("on_site", "在岗人数不能多于职工人数");
  p.contacts.forEach((c, i) => {
    if (c.name.trim() === "") say(`contacts.${String(i)}.name`, "请填写联系人");
    if (c.phone.trim() === "") say(`contacts.${String(i)}.phone`, "请填写电话");
  });
  return out;
}

function shownProblems(): string[] {
  return [...document.querySelectorAll("[data-testid^=problem-]")].map((e) => e.getAttribute("data-testid") ?? "").sort();
}

function typeInto(testId: string, value: string) {
  const box = screen.getByTestId(testId);
  const input = box instanceof HTMLInputElement ? box : box.querySelector("input");
  if (!input) throw new Error(`${testId} has no input`);
  fireEvent.change(input, { target: { value } });
}

describe("ProfilePage", () => {
  beforeEach(() => {
    mockIPC(
      (cmd, args) => {
        if (cmd === "company_profile") return view;
        if (cmd === "check_company_profile") return problems((args as { profile: CompanyProfile }).profile);
        if (cmd === "save_company_profile") {
          // Tauri rejects with the command's error value, as the core sends it.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw { code: "INVALID_PROFILE", message_zh: "资料有误", message_en: "Invalid" };
        }
        return null;
      },
      { shouldMockEvents: true },
    );
  });
  afterEach(resetPage);

  it("shows a field's problem once that field is typed into or holds a value, and every one after a save", async () => {
    render(
      <App>
        <ProfilePage status={signedInStatus} />
      </App>,
    );
    await screen.findByTestId("profile-empty");
    // The address typed: the empty fields below it are not marked yet.
    typeInto("profile-address", "上海市浦东新区川沙路 88 号");
    await waitFor(() => {
      expect(screen.getByTestId<HTMLInputElement>("profile-address").value).toContain("川沙路");
    });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(shownProblems()).toEqual([]);
    // More on site than employed: said on the field typed into.
    typeInto("profile-headcount", "10");
    typeInto("profile-on-site", "20");
    await waitFor(() => {
      expect(shownProblems()).toEqual(["problem-on_site"]);
    });
    // Saved as it is: every problem shows.
    fireEvent.click(screen.getByTestId("profile-save"));
    await waitFor(() => {
      expect(shownProblems()).toEqual(["problem-contacts.0.name", "problem-contacts.0.phone", "problem-industry_division", "problem-on_site"]);
    });
  });

  it("names the industry's divisions in English when the officer reads English", async () => {
    render(
      <I18nContext.Provider value={readingIn("en-US")}>
        <App>
          <ProfilePage status={signedInStatus} />
        </App>
      </I18nContext.Provider>,
    );
    await screen.findByTestId("profile-empty");
    const select = screen.getByTestId("profile-division").closest(".ant-select")?.querySelector(".ant-select-selector");
    if (!select) throw new Error("no division select");
    fireEvent.mouseDown(select);
    await waitFor(() => {
      expect(document.querySelectorAll(".ant-select-item-option").length).toBeGreaterThan(0);
    });
    const options = () => [...document.querySelectorAll(".ant-select-item-option")].map((o) => o.getAttribute("title") ?? o.textContent);
    expect(options()[0]).toBe("13 Processing of agricultural and sideline food products");
    expect(options().filter((o) => /[\u4e00-\u9fff]/.test(o))).toEqual([]);
    // Found by its English name too.
    const search = screen.getByTestId("profile-division").closest(".ant-select")?.querySelector("input");
    if (!search) throw new Error("no search box");
    fireEvent.change(search, { target: { value: "motor" } });
    await waitFor(() => {
      expect(options()).toEqual(["36 Manufacture of motor vehicles"]);
    });
  });
});

