import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { App } from "antd";
import StatusBar from "./StatusBar";
import type { Status_Serialize as Status } from "../bindings";

const base: Status = {
  server: { kind: "demo" },
  online: true,
  account: null,
  signed_in: true,
  syncing: false,
  outbox_queued: 3,
  outbox_parked: 0,
  last_sync_at: null,
  document_count: 0,
  notice: null,
};

function show(s: Status) {
  return render(
    <App>
      <StatusBar status={s} />
    </App>,
  );
}

describe("StatusBar", () => {
  beforeEach(() => {
    // No Rust side in jsdom: commands answer nothing, events go through the mock.
    mockIPC(() => null, { shouldMockEvents: true });
  });
  afterEach(async () => {
    // Unmount while the mock is still there (unlistening finishes a tick later), then
    // remove it.
    cleanup();
    await new Promise((r) => setTimeout(r, 0));
    clearMocks();
  });

  it("shows a progress bar while uploads run and drops finished ones", async () => {
    show(base);
    expect(screen.queryByTestId("upload-progress")).toBeNull();
    await act(async () => {
      await emit("upload-progressed", { local_id: "u1", sent: 25, total: 100 });
    });
    const bar = await screen.findByTestId("upload-progress");
    expect(bar.textContent).toContain("正在上传 1");
    expect(bar.textContent).toContain("25%");
    await act(async () => {
      await emit("upload-progressed", { local_id: "u1", sent: 100, total: 100 });
    });
    expect(screen.queryByTestId("upload-progress")).toBeNull();
  });

  it("shows online, the queue and that nothing was synced yet", () => {
    show(base);
    expect(screen.getByTestId("status-online").textContent).toContain("在线");
    expect(screen.getByTestId("status-queued").textContent).toContain("3");
    expect(screen.getByTestId("status-last-sync").textContent).toContain("尚未同步");
    expect(screen.getByTestId("sync-now").hasAttribute("disabled")).toBe(false);
  });

  it("shows offline and disables sync now", () => {
    show({ ...base, online: false });
    expect(screen.getByTestId("status-offline").textContent).toContain("离线");
    expect(screen.getByTestId("sync-now").hasAttribute("disabled")).toBe(true);
  });

  it("shows parked items only when there are some", () => {
    show(base);
    expect(screen.queryByText(/需处理/)).toBeNull();
    show({ ...base, outbox_parked: 2 });
    expect(screen.getByText(/需处理/)).toBeTruthy();
  });
});

describe("StatusBar parked list", () => {
  afterEach(async () => {
    cleanup();
    await new Promise((r) => setTimeout(r, 0));
    clearMocks();
  });

  it("reloads the open list when an item is refused again, though the total stayed the same", async () => {
    const item = (n: number) => ({
      id: `outbox:${String(n)}`,
      kind: "create_listing",
      record_id: `listing-${String(n)}`,
      reason_zh: `第 ${String(n)} 条被拒绝`,
      reason_en: `number ${String(n)} refused`,
      attempts: 1,
      revision: null,
    });
    let parked = [item(1), item(2)];
    mockIPC((cmd) => (cmd === "parked_items" ? parked : null), { shouldMockEvents: true });
    const view = render(
      <App>
        <StatusBar status={{ ...base, outbox_queued: 0, outbox_parked: 2 }} />
      </App>,
    );
    fireEvent.click(screen.getByTestId("status-parked"));
    expect(await screen.findByText("第 2 条被拒绝")).toBeTruthy();
    // The officer retries one: it is queued, then refused again.
    parked = [item(1)];
    view.rerender(
      <App>
        <StatusBar status={{ ...base, outbox_queued: 1, outbox_parked: 1 }} />
      </App>,
    );
    await waitFor(() => {
      expect(screen.queryByText("第 2 条被拒绝")).toBeNull();
    });
    parked = [item(1), item(2)];
    view.rerender(
      <App>
        <StatusBar status={{ ...base, outbox_queued: 0, outbox_parked: 2 }} />
      </App>,
    );
    expect(await screen.findByText("第 2 条被拒绝")).toBeTruthy();
  });
});
