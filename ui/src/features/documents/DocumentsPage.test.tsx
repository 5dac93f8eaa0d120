import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import DocumentsPage from "./DocumentsPage";
import type { SearchHit, Status_Serialize as Status } from "../../bindings";
import { readingIn, resetPage, searchHit } from "../../test/fixtures";
import { I18nContext, type Locale } from "../../shared/i18n";

const status: Status = {
  seq: 1,
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

function hit(id: string, title: string, text: string | null): SearchHit {
  const at = text ? title.indexOf(text) : -1;
  const title_parts =
    at < 0 || !text
      ? [{ text: title, hit: false }]
      : [
          { text: title.slice(0, at), hit: false },
          { text, hit: true },
          { text: title.slice(at + text.length), hit: false },
        ].filter((p) => p.text !== "");
  return { ...searchHit(id, title), title_parts };
}

const library: [string, string][] = [
  ["a", "上海市全面推进复工复产加快经济恢复实施方案"],
  ["b", "关于本市低风险地区餐饮服务单位有序恢复堂食的通知"],
];
let queries: (string | null)[] = [];
let levelsAsked: string[][] = [];
let publishedAsked: [string | null, string | null][] = [];
let failWith: string | null = null;
/** What the search says it found in all, when a test needs pages of results. */
let totalSaid: number | null = null;
let offsetsAsked: number[] = [];
let opened: string[] = [];

function titles(): string[] {
  return screen.queryAllByTestId("document-title").map((e) => e.textContent);
}

/** The library page, once its first search has answered with both documents. */
async function openLibrary(locale: Locale = "zh-CN"): Promise<void> {
  render(
    <I18nContext.Provider value={readingIn(locale)}>
      <App>
        <DocumentsPage kind="policy" status={status} />
      </App>
    </I18nContext.Provider>,
  );
  await waitFor(() => {
    expect(titles().length).toBe(2);
  });
}

/** The levels the page's last search asked for. */
function lastLevels(): string[] {
  return levelsAsked[levelsAsked.length - 1] ?? [];
}

describe("DocumentsPage search", () => {
  beforeEach(() => {
    queries = [];
    levelsAsked = [];
    publishedAsked = [];
    failWith = null;
    totalSaid = null;
    offsetsAsked = [];
    opened = [];
    mockIPC((cmd, args) => {
      if (cmd === "withdrawn_documents") return [];
      if (cmd === "get_document_view") {
        // What was asked for is the point; the drawer then says it cannot show it.
        opened.push((args as { id: string }).id);
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { code: "NOT_FOUND", message_zh: "没有这份文件", message_en: "No such document" };
      }
      if (cmd === "document_facets") return { districts: ["浦东新区"], issuers: ["上海市人民政府办公厅"], industries: ["制造业"] };
      if (cmd !== "search_documents") return null;
      if (failWith) {
        // Tauri rejects with the command's error value, as the core sends it.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { code: failWith, message_zh: "读取失败", message_en: "Could not read" };
      }
      const q = (args as { query: { text: string | null; levels: string[] } }).query;
      queries.push(q.text);
      levelsAsked.push(q.levels);
      const range = q as unknown as { published_from: string | null; published_to: string | null };
      publishedAsked.push([range.published_from, range.published_to]);
      const hits = library.filter(([, title]) => !q.text || title.includes(q.text)).map(([id, title]) => hit(id, title, q.text));
      offsetsAsked.push((q as unknown as { offset: number }).offset);
      return { total: totalSaid ?? hits.length, hits, words: q.text ? [q.text] : [] };
    }, { shouldMockEvents: true });
  });
  afterEach(resetPage);

  it("follows the box as the officer types, once typing pauses, and not while pinyin is composed", async () => {
    render(
      <App>
        <DocumentsPage kind="policy" status={status} />
      </App>,
    );
    await waitFor(() => {
      expect(titles()).toContain("关于本市低风险地区餐饮服务单位有序恢复堂食的通知");
    });
    const box = screen.getByTestId("search");
    // One clear button: a plain text box, not the webview's search field with its own.
    expect(box.getAttribute("type")).toBe("text");

    fireEvent.compositionStart(box);
    fireEvent.change(box, { target: { value: "can" } });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 400));
    });
    expect(queries).not.toContain("can");

    fireEvent.change(box, { target: { value: "餐饮" } });
    fireEvent.compositionEnd(box);
    await waitFor(() => {
      expect(titles()).toEqual(["关于本市低风险地区餐饮服务单位有序恢复堂食的通知"]);
    });
    // The matched word is marked in the title.
    expect(screen.getAllByTestId("search-hit").map((e) => e.textContent)).toContain("餐饮");
    expect(queries[queries.length - 1]).toBe("餐饮");
    // Typing, not one query per keystroke.
    fireEvent.change(box, { target: { value: "复" } });
    fireEvent.change(box, { target: { value: "复工" } });
    await waitFor(() => {
      expect(queries[queries.length - 1]).toBe("复工");
    });
    expect(queries).not.toContain("复");
    await waitFor(() => {
      expect(titles()).toContain("上海市全面推进复工复产加快经济恢复实施方案");
    });

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

  it("opens a result from its title, a button the keyboard reaches, or from anywhere on its row", async () => {
    await openLibrary();
    // A button named by the title: Tab reaches it and Enter presses it, as for any button.
    const [, [, second]] = library as [[string, string], [string, string]];
    const title = screen.getByRole("button", { name: second });
    expect(title.dataset.testid).toBe("document-title");
    fireEvent.click(title);
    await waitFor(() => {
      expect(opened).toEqual(["b"]);
    });
    const [row] = screen.getAllByTestId("document-row");
    if (!row) throw new Error("no result rows");
    fireEvent.click(row.querySelector(".search-snippet") ?? row);
    await waitFor(() => {
      expect(opened).toEqual(["b", "a"]);
    });
    // The results are a list the screen reader names, each title a heading.
    expect(screen.getByRole("list", { name: "检索结果" }).children).toHaveLength(2);
    expect(screen.getAllByRole("heading", { level: 4 }).map((h) => h.textContent)).toEqual(library.map(([, t]) => t));
  });

  it("gives the focus back to the result a document was opened from, when it closes", async () => {
    await openLibrary();
    const [, row] = screen.getAllByTestId("document-row");
    if (!row) throw new Error("no second result row");
    // Opened with a click on the row's text, which takes no focus.
    fireEvent.click(row.querySelector(".search-snippet") ?? row);
    await waitFor(() => {
      expect(opened).toEqual(["b"]);
    });
    const close = await waitFor(() => {
      const button = document.querySelector<HTMLButtonElement>(".ant-drawer-close");
      if (!button) throw new Error("the drawer has no close button yet");
      return button;
    });
    fireEvent.click(close);
    expect(document.activeElement).toBe(row.querySelector("[data-testid=document-title]"));
  });

  it("says when nothing matches, and shows the error when the library cannot be read", async () => {
    await openLibrary();
    fireEvent.change(screen.getByTestId("search"), { target: { value: "不存在的词" } });
    expect(await screen.findByText("没有符合条件的文件")).toBeTruthy();
    failWith = "STORE";
    fireEvent.change(screen.getByTestId("search"), { target: { value: "复工" } });
    const alert = await screen.findByTestId("error-alert");
    expect(alert.getAttribute("data-code")).toBe("STORE");
  });

  it.each<Locale>(["zh-CN", "en-US"])("gives every filter of the row a name of its own (%s)", async (locale) => {
    await openLibrary(locale);
    const levels = [...screen.getByTestId("filter-level").querySelectorAll("label")];
    const selects = ["filter-district", "filter-issuer", "filter-industry"].map((id) => screen.getByTestId(id));
    // A select's name is what a screen reader says of it; its first entry, what it shows
    // while nothing is chosen, says what it is for too.
    const names = [...levels.map((l) => l.textContent.trim()), ...selects.map((e) => e.getAttribute("aria-label") ?? "")];
    for (const select of selects) {
      expect(select.querySelector("option")?.textContent ?? "").not.toBe("");
      expect(select.querySelector("option")?.getAttribute("value")).toBe("");
    }
    expect(names.every((n) => n !== "")).toBe(true);
    expect(names.length).toBe(6);
    expect(new Set(names).size, names.join(" | ")).toBe(names.length);
  });

  it("counts the documents found as English does: 2 documents, 1 document", async () => {
    await openLibrary("en-US");
    expect(screen.getByTestId("document-count").textContent).toBe("2 documents");
    fireEvent.change(screen.getByTestId("search"), { target: { value: "餐饮" } });
    await waitFor(() => {
      expect(screen.getByTestId("document-count").textContent).toBe("1 document");
    });
  });

  it("narrows the library to the levels ticked, and shows every level again when none is", async () => {
    await openLibrary();
    expect(lastLevels()).toEqual([]);
    // One named group a screen reader announces, with a checkbox a level.
    const group = screen.getByTestId("filter-level");
    expect(group.getAttribute("role")).toBe("group");
    expect(group.getAttribute("aria-label")).toBe("级别");
    expect(group.querySelectorAll("input[type=checkbox]").length).toBe(3);
    fireEvent.click(screen.getByLabelText("市级"));
    await waitFor(() => {
      expect(lastLevels()).toEqual(["municipal"]);
    });
    fireEvent.click(screen.getByLabelText("国家级"));
    await waitFor(() => {
      expect(lastLevels()).toEqual(["national", "municipal"]);
    });
    fireEvent.click(screen.getByLabelText("市级"));
    fireEvent.click(screen.getByLabelText("国家级"));
    await waitFor(() => {
      expect(lastLevels()).toEqual([]);
    });
  });

  it("goes to the page of results chosen, and back to the first when a filter changes", async () => {
    totalSaid = 45;
    await openLibrary();
    const pager = screen.getByTestId("pager");
    expect(pager.querySelector("[aria-current=page]")?.textContent).toBe("1");
    fireEvent.click(screen.getByLabelText("第 3 页"));
    await waitFor(() => {
      expect(offsetsAsked[offsetsAsked.length - 1]).toBe(40);
    });
    expect(pager.querySelector("[aria-current=page]")?.textContent).toBe("3");
    fireEvent.click(screen.getByLabelText("市级"));
    await waitFor(() => {
      expect(lastLevels()).toEqual(["municipal"]);
    });
    expect(offsetsAsked[offsetsAsked.length - 1]).toBe(0);
    expect(screen.getByTestId("pager").querySelector("[aria-current=page]")?.textContent).toBe("1");
  });

  it("narrows the library to the documents published between the dates chosen", async () => {
    await openLibrary();
    expect(publishedAsked[publishedAsked.length - 1]).toEqual([null, null]);
    // The range's two date boxes, each named for its end; the browser gives YYYY-MM-DD.
    fireEvent.change(screen.getByLabelText("发布日期自"), { target: { value: "2022-05-01" } });
    await waitFor(() => {
      expect(publishedAsked[publishedAsked.length - 1]).toEqual(["2022-05-01", ""]);
    });
    fireEvent.change(screen.getByLabelText("发布日期至"), { target: { value: "2022-04-30" } });
    // An end before the start: the search takes the range the right way round.
    await waitFor(() => {
      expect(publishedAsked[publishedAsked.length - 1]).toEqual(["2022-04-30", "2022-05-01"]);
    });
    fireEvent.change(screen.getByLabelText("发布日期至"), { target: { value: "2022-05-31" } });
    await waitFor(() => {
      expect(publishedAsked[publishedAsked.length - 1]).toEqual(["2022-05-01", "2022-05-31"]);
    });
  });
});
