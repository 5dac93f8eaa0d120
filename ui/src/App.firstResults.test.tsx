import { afterEach, describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import App, { firstResultsWait, mainPageLoaded } from "./App";
import type { FirstResults } from "./bindings";
import { mainPageAnswer, resetStart, searchHit, signedInStatus, signedInAccount } from "./test/fixtures";

// A file of its own: the main page's chunk, once loaded here, stays loaded for the file.
describe("a start on the library whose first results are slower than its code", () => {
  afterEach(async () => {
    firstResultsWait.ms = 400;
    await resetStart();
  });

  it("keeps the frame until they come, then draws the page with them, searching once", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, account: signedInAccount };
    localStorage.removeItem("yiqifu.page");
    // The wait's own limit is not what is tested: a loaded machine may take longer than it.
    firstResultsWait.ms = 60_000;
    const answers: ((r: FirstResults) => void)[] = [];
    let searches = 0;
    mockIPC(
      (cmd) => {
        // The first results answer when the test says.
        if (cmd === "first_results") return new Promise<FirstResults>((r) => answers.push(r));
        if (cmd === "search_documents") searches += 1;
        return mainPageAnswer(cmd);
      },
      { shouldMockEvents: true },
    );
    render(<App />);
    expect(await screen.findByTestId("main-frame")).toBeTruthy();
    await waitFor(
      () => {
        expect(mainPageLoaded()).toBe(true);
      },
      { timeout: 30_000 },
    );
    expect(answers).toHaveLength(1);
    // The page's code is in, its results not yet: the frame stays.
    await new Promise((r) => setTimeout(r, 100));
    expect(screen.queryByTestId("search")).toBeNull();
    expect(screen.getByTestId("main-frame")).toBeTruthy();
    answers[0]?.({ mine: null, page: { total: 1, hits: [searchHit("doc-1", "关于支持企业复工复产的若干措施")], words: [] } });
    expect(await screen.findByTestId("search")).toBeTruthy();
    expect(screen.getAllByTestId("document-row")).toHaveLength(1);
    expect(screen.queryByTestId("main-frame")).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(answers).toHaveLength(1);
    expect(searches).toBe(0);
  });
});
