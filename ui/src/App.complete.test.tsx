import { afterEach, describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import App from "./App";
import type { SearchPage } from "./bindings";
import { mainPageAnswer, resetStart, searchHit, signedInStatus, signedInAccount } from "./test/fixtures";

const hit = searchHit("doc-1", "关于支持企业复工复产的若干措施");

// A file of its own: the main page's chunk, once loaded here, stays loaded for the file.
describe("a start on the library", () => {
  afterEach(resetStart);

  it("tells the shell the page is complete only once its results are drawn, not its controls beside a spinner", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, account: signedInAccount };
    localStorage.removeItem("yiqifu.page");
    const search: { answer?: (p: SearchPage) => void } = {};
    const told: { cmd: string; rows: number }[] = [];
    mockIPC(
      (cmd) => {
        if (cmd === "first_rendered" || cmd === "page_complete") {
          told.push({ cmd, rows: screen.queryAllByTestId("document-row").length });
        }
        // The first results never come (the page stops waiting for them and searches
        // itself); its search answers when the test says.
        if (cmd === "first_results") return new Promise(() => undefined);
        if (cmd === "search_documents") return new Promise<SearchPage>((r) => (search.answer = r));
        return mainPageAnswer(cmd);
      },
      { shouldMockEvents: true },
    );
    render(<App />);
    // The page, its search box drawn, waits for its results…
    expect(await screen.findByTestId("search", {}, { timeout: 30_000 })).toBeTruthy();
    await waitFor(() => {
      expect(search.answer).toBeDefined();
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(told.map((t) => t.cmd)).toEqual(["first_rendered"]);
    // …and is complete once they are on screen.
    search.answer?.({ total: 1, hits: [hit], words: [] });
    await waitFor(() => {
      expect(told).toEqual([
        { cmd: "first_rendered", rows: 0 },
        { cmd: "page_complete", rows: 1 },
      ]);
    });
  });
});
