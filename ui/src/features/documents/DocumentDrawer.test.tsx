import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import { DocumentDrawer } from "./DocumentDrawer";
import type { ConditionCheck, LibraryDocument_Serialize as LibraryDocument } from "../../bindings";
import { resetPage } from "../../test/fixtures";

function libraryDocument(checks: ConditionCheck[]): LibraryDocument {
  return {
    view: {
      document: {
        id: "gd-002",
        kind: "guidance",
        title: "上海市工业企业复工复产疫情防控指引（第二版）要点",
        level: "municipal",
        district: null,
        issuer: "上海市经济和信息化委员会",
        doc_number: null,
        published_on: "2022-05-03",
        effective_on: "2022-05-03",
        expires_on: null,
        industries: ["制造业"],
        tags: ["复工"],
        summary: "摘要",
        body: "一、总则\n\n二、核酸检测",
        key_conditions: [
          { id: "c0", clause: "一、", text: "建立防疫专班" },
          { id: "c1", clause: "二、", text: "闭环员工每日一次抗原自测" },
        ],
      },
      status: "in_force",
      superseded_by: null,
      supersedes: null,
      change: null,
    },
    bookmarked: false,
    note: null,
    checks,
  };
}

const count = () => screen.getByTestId("checked-count").textContent;

describe("DocumentDrawer key conditions", () => {
  afterEach(resetPage);

  it("keeps the enterprise's ticks, asks for another look at a reworded condition, and shows a refused tick as not kept", async () => {
    // c1 was ticked, then reworded by the service.
    let stored: ConditionCheck[] = [{ condition_id: "c1", checked_at: 1_700_000_000, reworded: true }];
    const calls: unknown[] = [];
    let refuse = false;
    mockIPC((cmd, args) => {
      if (cmd === "get_document_view") return libraryDocument(stored);
      if (cmd === "document_citations") return [];
      if (cmd === "check_condition") {
        calls.push(args);
        // A command error arrives as data, as the Rust side sends it.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (refuse) throw { code: "NOT_FOUND", message_zh: "找不到 gd-002 / c0", message_en: "gd-002 / c0 was not found" };
        const a = args as { conditionId: string; on: boolean };
        stored = stored.filter((c) => c.condition_id !== a.conditionId);
        if (a.on) stored.push({ condition_id: a.conditionId, checked_at: 1_700_000_100, reworded: false });
        return null;
      }
      return null;
    });
    render(
      <App>
        <DocumentDrawer id="gd-002" enterprise="ent-a" onClose={() => undefined} />
      </App>,
    );
    await waitFor(() => {
      expect(count()).toBe("已核对 0/2");
    });
    expect(screen.getAllByTestId("condition-reworded")).toHaveLength(1);
    const boxes = () => screen.getAllByTestId("key-condition");
    expect(boxes().map((b) => b.getAttribute("data-checked"))).toEqual(["false", "false"]);

    // Ticking the reworded one again takes the new wording.
    const input = (i: number) => {
      const el = boxes()[i]?.querySelector("input[type=checkbox]");
      if (!el) throw new Error(`no checkbox ${String(i)}`);
      return el;
    };
    fireEvent.click(input(1));
    await waitFor(() => {
      expect(count()).toBe("已核对 1/2");
    });
    expect(calls).toEqual([{ enterprise: "ent-a", id: "gd-002", conditionId: "c1", on: true }]);
    await waitFor(() => {
      expect(screen.queryByTestId("condition-reworded")).toBeNull();
    });

    // A tick the core refuses is said, and the list shows what is kept.
    refuse = true;
    fireEvent.click(input(0));
    await waitFor(() => {
      expect(screen.getByText("找不到 gd-002 / c0")).toBeTruthy();
    });
    await waitFor(() => {
      expect(count()).toBe("已核对 1/2");
    });
    expect(boxes().map((b) => b.getAttribute("data-checked"))).toEqual(["false", "true"]);
  });
});
