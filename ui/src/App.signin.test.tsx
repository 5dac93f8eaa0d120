import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import App, { beforeFirstRender, mainPageLoaded } from "./App";
import { resetStart, signedInAccount, signedInStatus } from "./test/fixtures";

// A file of its own: which chunks have loaded is what it checks, and a chunk stays loaded
// for the rest of its file.
describe("a start that opens on the sign-in page", () => {
  afterEach(resetStart);

  it("draws the page at once and without antd, and loads the main page once the officer starts to sign in", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, account: null };
    const told: string[] = [];
    mockIPC(
      (cmd, args) => {
        if (cmd === "first_rendered") told.push(`${cmd} ${(args as { page: string }).page}`);
        if (cmd === "page_complete") told.push(cmd);
        return new Promise(() => undefined);
      },
      { shouldMockEvents: true },
    );
    // Nothing to load before the first render.
    await beforeFirstRender();
    expect(mainPageLoaded()).toBe(false);
    const { container } = render(<App />);
    expect(screen.getByTestId("sign-in-page")).toBeTruthy();
    expect(screen.getByTestId("credit-code")).toBeTruthy();
    // Not one antd element: antd stays out of the first chunk only while this page uses none.
    expect(container.querySelector("[class*='ant-']")).toBeNull();
    // Left idle, the page loads nothing more.
    await new Promise((r) => setTimeout(r, 300));
    expect(mainPageLoaded()).toBe(false);
    fireEvent.keyDown(screen.getByTestId("credit-code"), { key: "9" });
    await waitFor(
      () => {
        expect(mainPageLoaded()).toBe(true);
      },
      { timeout: 30_000 },
    );
    // Signed in, the officer goes straight to the page: its code is in, so there is no frame
    // to draw first, and nothing follows a frame for the shell to hear of.
    let frameSeen = false;
    const watch = new MutationObserver(() => {
      frameSeen ||= container.querySelector("[data-testid='main-frame']") !== null;
    });
    watch.observe(container, { childList: true, subtree: true });
    await emit("status-changed", { ...signedInStatus, account: signedInAccount, seq: 5 });
    expect(await screen.findByTestId("menu-inbox", {}, { timeout: 30_000 })).toBeTruthy();
    await new Promise((r) => setTimeout(r, 300));
    watch.disconnect();
    expect(frameSeen).toBe(false);
    expect(told).toEqual(["first_rendered sign_in"]);
  });
});
