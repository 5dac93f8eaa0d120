import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import App from "./App";
import { navMessages } from "./layout/nav";
import { mainPageAnswer, resetStart, signedInStatus, signedInAccount } from "./test/fixtures";

// A file of its own: the main page's chunk, once loaded here, stays loaded for the file, and a
// start with the chunk loaded draws no frame (so has no page to complete).
describe("a start on the library, left before its results came", () => {
  afterEach(resetStart);

  it("tells it once the officer has chosen another page before the results came", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, account: signedInAccount };
    localStorage.removeItem("yiqifu.page");
    const told: string[] = [];
    mockIPC(
      (cmd) => {
        if (cmd === "first_rendered" || cmd === "page_complete") told.push(cmd);
        // The library's results never come, first or searched.
        if (cmd === "first_results" || cmd === "search_documents") return new Promise(() => undefined);
        return mainPageAnswer(cmd);
      },
      { shouldMockEvents: true },
    );
    render(<App />);
    expect(await screen.findByTestId("search", {}, { timeout: 30_000 })).toBeTruthy();
    await new Promise((r) => setTimeout(r, 200));
    expect(told).toEqual(["first_rendered"]);
    fireEvent.click(screen.getByRole("button", { name: navMessages.menuInbox.zh }));
    expect(await screen.findByTestId("inbox-page", {}, { timeout: 30_000 })).toBeTruthy();
    await waitFor(() => {
      expect(told).toEqual(["first_rendered", "page_complete"]);
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(told).toEqual(["first_rendered", "page_complete"]);
  });
});
