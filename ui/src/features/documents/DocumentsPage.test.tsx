import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import DocumentsPage from "./DocumentsPage";
import type { DocumentSummary_Serialize as DocumentSummary, Status_Serialize as Status } from "../../bindings";

const status: Status = {
  server: { kind: "demo" },
  online: true,
  account: null,
  enterprise: null,
  enterprises: [],
  signed_in: true,
  syncing: false,
  outbox_queued: 0,
  outbox_parked: 0,
  last_sync_at: "2026-11-27T08:00:00Z",
  document_count: 2,
  library_new: 0,
  notice: null,
  inbox_unread: 0,
};

function doc(id: string, title: string): DocumentSummary {
  return {
    id,
    kind: "policy",
    title,
    level: "municipal",
    district: null,
    issuer: "上海市人民政府办公厅",
    doc_number: null,
    published_on: "2022-05-31",
    summary: "",
    tags: [],
  };
}

const library = [doc("a", "上海市全面推进复工复产加快经济恢复实施方案"), doc("b", "关于本市低风险地区餐饮服务单位有序恢复堂食的通知")];
let queries: (string | null)[] = [];

describe("DocumentsPage search", () => {
  beforeEach(() => {
    queries = [];
    mockIPC((cmd, args) => {
      if (cmd !== "list_documents") return null;
      const q = (args as { query: { text: string | null } }).query;
      queries.push(q.text);
      return library.filter((d) => !q.text || d.title.includes(q.text));
    }, { shouldMockEvents: true });
  });
  afterEach(async () => {
    // Unmount while the mock is still there (unlistening finishes a tick later).
    cleanup();
    await new Promise((r) => setTimeout(r, 0));
    clearMocks();
  });

  it("follows the box as the officer types, once typing pauses, and not while pinyin is composed", async () => {
    render(
      <App>
        <DocumentsPage kind="policy" status={status} />
      </App>,
    );
    expect(await screen.findByText("关于本市低风险地区餐饮服务单位有序恢复堂食的通知")).toBeTruthy();
    const box = screen.getByPlaceholderText("搜索标题、发文机关、文号或摘要");

    fireEvent.compositionStart(box);
    fireEvent.change(box, { target: { value: "can" } });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 400));
    });
    expect(queries).not.toContain("can");

    fireEvent.change(box, { target: { value: "餐饮" } });
    fireEvent.compositionEnd(box);
    await waitFor(() => {
      expect(screen.queryByText("上海市全面推进复工复产加快经济恢复实施方案")).toBeNull();
    });
    expect(screen.getByText("关于本市低风险地区餐饮服务单位有序恢复堂食的通知")).toBeTruthy();
    expect(queries[queries.length - 1]).toBe("餐饮");
    // Typing, not one query per keystroke.
    fireEvent.change(box, { target: { value: "复" } });
    fireEvent.change(box, { target: { value: "复工" } });
    await waitFor(() => {
      expect(queries[queries.length - 1]).toBe("复工");
    });
    expect(queries).not.toContain("复");
    expect(await screen.findByText("上海市全面推进复工复产加快经济恢复实施方案")).toBeTruthy();

    // Letters typed through an input method: the box already holds the final text when
    // composing ends, and the pause passed while composing.
    fireEvent.compositionStart(box);
    fireEvent.change(box, { target: { value: "通知" } });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 400));
    });
    fireEvent.compositionEnd(box);
    await waitFor(() => {
      expect(queries[queries.length - 1]).toBe("通知");
    });
  });
});
