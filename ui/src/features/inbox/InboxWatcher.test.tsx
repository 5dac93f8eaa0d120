import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { App } from "antd";
import InboxWatcher from "./InboxWatcher";
import { NavigationContext } from "../../shared/navigation";
import type { Navigate } from "../../shared/navigation";
import { resetPage } from "../../test/fixtures";

let calls: { cmd: string; args: Record<string, unknown> }[];

beforeEach(() => {
  calls = [];
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
      if (cmd === "inbox_target") return { kind: "appeal", key: "srv:apl_1" };
      return null;
    },
    { shouldMockEvents: true },
  );
});
afterEach(resetPage);

const notice = (enterprise: string) => ({
  enterprise,
  entry_id: `inb-${enterprise}`,
  kind: "appeal_reply",
  title: "诉求已答复",
  body: "已协调物流通行证",
  enterprise_name: "上海浦江精密机械有限公司",
});

function watch(navigate: Navigate) {
  render(
    <App>
      <NavigationContext.Provider value={navigate}>
        <InboxWatcher enterprise="ent-a" />
      </NavigationContext.Provider>
    </App>,
  );
}

describe("InboxWatcher", () => {
  it("tells a new entry of the enterprise on screen, and 查看 opens its source", async () => {
    const navigate = vi.fn<Navigate>();
    watch(navigate);
    await act(async () => {
      await emit("inbox-noticed", notice("ent-b"));
      await emit("inbox-noticed", notice("ent-a"));
    });
    await screen.findByTestId("inbox-notice-open");
    // Only the one for the enterprise on screen is shown.
    expect(screen.getAllByTestId("inbox-notice-open")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("inbox-notice-open"));
    await waitFor(() => {
      expect(navigate).toHaveBeenCalledWith("appeals", { enterprise: "ent-a", key: "srv:apl_1" });
    });
    expect(calls.map((c) => c.cmd)).toContain("inbox_mark_read");
    expect(calls.some((c) => c.cmd === "switch_enterprise")).toBe(false);
  });

  it("coming back from another enterprise's notification switches to it first", async () => {
    const navigate = vi.fn<Navigate>();
    watch(navigate);
    await act(async () => {
      await emit("open-inbox-entry", { enterprise: "ent-b", entry_id: "inb_9" });
    });
    await waitFor(() => {
      expect(navigate).toHaveBeenCalledWith("appeals", { enterprise: "ent-b", key: "srv:apl_1" });
    });
    const order = calls.map((c) => c.cmd);
    expect(order.indexOf("switch_enterprise")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("switch_enterprise")).toBeLessThan(order.indexOf("inbox_target"));
    expect(calls.find((c) => c.cmd === "inbox_target")?.args).toMatchObject({ enterprise: "ent-b", entryId: "inb_9" });
  });
});
