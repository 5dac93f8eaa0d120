import { afterEach, describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { act } from "@testing-library/react";
import { App } from "antd";
import ParkedList from "./ParkedList";
import type { ParkedItem } from "../../bindings";
import { resetPage } from "../../test/fixtures";

const item = (n: number): ParkedItem => ({
  id: `outbox:${String(n)}`,
  kind: "create_listing",
  record_id: `listing-${String(n)}`,
  reason_zh: `第 ${String(n)} 条被拒绝`,
  reason_en: `number ${String(n)} refused`,
  attempts: 1,
  draft: null,
  holding: 0,
});

function list(version: string) {
  return (
    <App>
      <ParkedList enterprise="ent-a" version={version} ops={{}} onRevise={() => undefined} />
    </App>
  );
}

describe("ParkedList", () => {
  afterEach(resetPage);

  it("reloads the open list when an item is refused again, though the total stayed the same", async () => {
    let parked = [item(1), item(2)];
    const asked: unknown[] = [];
    mockIPC(
      (cmd, args) => {
        if (cmd !== "parked_items") return null;
        asked.push(args);
        return parked;
      },
      { shouldMockEvents: true },
    );
    const view = render(list("2/0"));
    expect(await screen.findByText("第 2 条被拒绝")).toBeTruthy();
    expect(asked[0]).toEqual({ enterprise: "ent-a" });
    // The officer retries one: it is queued, then refused again.
    parked = [item(1)];
    view.rerender(list("1/1"));
    await waitFor(() => {
      expect(screen.queryByText("第 2 条被拒绝")).toBeNull();
    });
    parked = [item(1), item(2)];
    view.rerender(list("2/0"));
    expect(await screen.findByText("第 2 条被拒绝")).toBeTruthy();
  });

  it("reloads when the core says its enterprise's queue changed, and not for another's", async () => {
    let parked = [item(1)];
    let loads = 0;
    mockIPC(
      (cmd) => {
        if (cmd !== "parked_items") return null;
        loads += 1;
        return parked;
      },
      { shouldMockEvents: true },
    );
    render(list("1/0"));
    expect(await screen.findByText("第 1 条被拒绝")).toBeTruthy();
    const before = loads;
    await act(async () => {
      await emit("data-changed", { enterprise: "ent-b", topics: ["outbox"] });
    });
    expect(loads).toBe(before);
    parked = [item(1), item(3)];
    await act(async () => {
      await emit("data-changed", { enterprise: "ent-a", topics: ["outbox"] });
    });
    expect(await screen.findByText("第 3 条被拒绝")).toBeTruthy();
  });

  it("says how many queued actions wait for a refused one", async () => {
    mockIPC((cmd) => (cmd === "parked_items" ? [{ ...item(1), holding: 2 }, item(2)] : null), {
      shouldMockEvents: true,
    });
    render(list("2/0"));
    expect(await screen.findByText("另有 2 项操作在等它：处理后会自动发送")).toBeTruthy();
    // Only the one that holds something says so.
    expect(screen.getAllByTestId("parked-holding")).toHaveLength(1);
  });
});
