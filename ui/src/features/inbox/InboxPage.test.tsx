import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import InboxPage from "./InboxPage";
import type { InboxEntry, InboxTarget } from "../../bindings";
import { NavigationContext } from "../../shared/navigation";
import type { Navigate } from "../../shared/navigation";
import { resetPage, signedInStatus } from "../../test/fixtures";

const entry = (id: string, read: boolean, kind: InboxEntry["kind"]): InboxEntry => ({
  id,
  kind,
  title: `标题 ${id}`,
  body: "正文",
  ref_type: kind === "appeal_reply" ? "appeal" : "listing",
  ref_id: `ref-${id}`,
  created_at: "2022-05-05T01:00:00Z",
  read,
  related_id: null,
});

let entries: InboxEntry[];
let targets: Record<string, InboxTarget>;
let calls: { cmd: string; args: Record<string, unknown> }[];

beforeEach(() => {
  calls = [];
  entries = [entry("e1", false, "appeal_reply"), entry("e2", true, "listing_match"), entry("e3", false, "listing_match")];
  targets = {
    e1: { kind: "appeal", key: "srv:apl_1" },
    e2: { kind: "listing", key: "lst_9", own_key: "listing-1" },
    e3: { kind: "missing" },
  };
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      switch (cmd) {
        case "inbox_entries":
          return entries;
        case "inbox_mark_read":
          entries = entries.map((e) => (e.id === a.entryId ? { ...e, read: true } : e));
          return null;
        case "inbox_mark_all_read": {
          const n = entries.filter((e) => !e.read).length;
          entries = entries.map((e) => ({ ...e, read: true }));
          return n;
        }
        case "inbox_target":
          return targets[a.entryId as string];
        case "desktop_settings":
          return { notifications: true, language: "zh-CN" };
        default:
          return null;
      }
    },
    { shouldMockEvents: true },
  );
});
afterEach(resetPage);

function show(navigate: Navigate) {
  render(
    <App>
      <NavigationContext.Provider value={navigate}>
        <InboxPage status={signedInStatus} />
      </NavigationContext.Provider>
    </App>,
  );
}

const rows = () => screen.getAllByTestId("inbox-entry");

describe("InboxPage", () => {
  it("opens an entry: marks it read, then goes to its source", async () => {
    const navigate = vi.fn<Navigate>();
    show(navigate);
    await waitFor(() => {
      expect(rows()).toHaveLength(3);
    });
    expect(rows().map((r) => r.getAttribute("data-read"))).toEqual(["false", "true", "false"]);
    fireEvent.click(screen.getAllByTestId("inbox-open")[0] as HTMLElement);
    await waitFor(() => {
      expect(navigate).toHaveBeenCalledWith("appeals", { enterprise: "ent-a", key: "srv:apl_1" });
    });
    const marked = calls.findIndex((c) => c.cmd === "inbox_mark_read" && c.args.entryId === "e1");
    const targeted = calls.findIndex((c) => c.cmd === "inbox_target");
    expect(marked).toBeGreaterThanOrEqual(0);
    expect(marked).toBeLessThan(targeted);

    // A match about one of ours lands on it among our own listings.
    fireEvent.click(screen.getAllByTestId("inbox-open")[1] as HTMLElement);
    await waitFor(() => {
      expect(navigate).toHaveBeenCalledWith("listings", { enterprise: "ent-a", key: "mine:listing-1" });
    });
  });

  it("says so when the source is not on this computer", async () => {
    const navigate = vi.fn<Navigate>();
    show(navigate);
    await waitFor(() => {
      expect(rows()).toHaveLength(3);
    });
    fireEvent.click(screen.getAllByTestId("inbox-open")[2] as HTMLElement);
    expect(await screen.findByTestId("inbox-missing")).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
  });

  it("marks all read, and filters to the unread", async () => {
    show(vi.fn<Navigate>());
    await waitFor(() => {
      expect(rows()).toHaveLength(3);
    });
    fireEvent.click(screen.getByTestId("inbox-filter-unread"));
    await waitFor(() => {
      expect(rows().map((r) => r.getAttribute("data-id"))).toEqual(["e1", "e3"]);
    });
    fireEvent.click(screen.getByTestId("inbox-mark-all-read"));
    await waitFor(() => {
      expect(screen.queryAllByTestId("inbox-entry")).toHaveLength(0);
    });
    expect(calls.some((c) => c.cmd === "inbox_mark_all_read")).toBe(true);
    fireEvent.click(screen.getByTestId("inbox-filter-unread"));
    await waitFor(() => {
      expect(rows().map((r) => r.getAttribute("data-read"))).toEqual(["true", "true", "true"]);
    });
  });
});
