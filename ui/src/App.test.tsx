import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import App, { beforeFirstRender } from "./App";
import { resetStart, signedInAccount, signedInStatus } from "./test/fixtures";
import { navMessages } from "./layout/nav";

describe("App", () => {
  afterEach(resetStart);

  it("renders its first page from the status the shell put in the page, before any call returns", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, server: null, enterprise: null };
    // Nothing the app asks is answered while it renders.
    mockIPC(() => new Promise(() => undefined), { shouldMockEvents: true });
    // The setup page uses antd: its chunks load first, then the first render is the page.
    await beforeFirstRender();
    render(<App />);
    expect(screen.getByTestId("setup-page")).toBeTruthy();
  });

  it("tells the shell once when the main page's frame is on screen, and once more when the page has taken its place", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, account: signedInAccount };
    localStorage.removeItem("yiqifu.page");
    const told: { cmd: string; page?: string; frame: boolean; page_on_screen: boolean }[] = [];
    mockIPC(
      (cmd, args) => {
        if (cmd === "first_rendered" || cmd === "page_complete") {
          told.push({
            cmd,
            page: (args as { page?: string }).page,
            frame: screen.queryByTestId("main-frame") !== null,
            page_on_screen: screen.queryByTestId("menu-inbox") !== null && screen.queryByTestId("inbox-page") !== null,
          });
        }
        if (cmd === "app_status") return { ...signedInStatus, account: signedInAccount };
        if (cmd === "inbox_entries" || cmd === "parked_items") return [];
        if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
        return null;
      },
      { shouldMockEvents: true },
    );
    render(<App />);
    // The frame, before anything is told. The officer picks the inbox in it, before the
    // page's code has loaded: that is where the page opens.
    expect(screen.getByTestId("main-frame")).toBeTruthy();
    expect(told).toEqual([]);
    fireEvent.click(screen.getByRole("button", { name: navMessages.menuInbox.zh }));
    expect(screen.getByRole("button", { name: navMessages.menuInbox.zh }).getAttribute("aria-current")).toBe("page");
    await waitFor(() => {
      expect(told).toEqual([{ cmd: "first_rendered", page: "main_frame", frame: true, page_on_screen: false }]);
    });
    expect(await screen.findByTestId("inbox-page", {}, { timeout: 30_000 })).toBeTruthy();
    await waitFor(() => {
      expect(told).toEqual([
        { cmd: "first_rendered", page: "main_frame", frame: true, page_on_screen: false },
        { cmd: "page_complete", page: undefined, frame: false, page_on_screen: true },
      ]);
    });
  });
  it("keeps the newer status when a command's answer arrives after a newer event", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, account: signedInAccount, online: false, seq: 1 };
    let answer: (s: unknown) => void = () => undefined;
    mockIPC(
      (cmd) => {
        // The answer to the window's first status call, computed while still offline, is
        // held back until after the shell said it went online.
        if (cmd === "app_status") return new Promise((r) => { answer = r; });
        if (cmd === "inbox_entries" || cmd === "parked_items") return [];
        if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
        return null;
      },
      { shouldMockEvents: true },
    );
    render(<App />);
    expect(await screen.findByTestId("status-offline", {}, { timeout: 30_000 })).toBeTruthy();
    await emit("status-changed", { ...signedInStatus, account: signedInAccount, online: true, seq: 3 });
    expect(await screen.findByTestId("status-online")).toBeTruthy();
    answer({ ...signedInStatus, account: signedInAccount, online: false, seq: 2 });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId("status-offline")).toBeNull();
    expect(screen.getByTestId("status-online")).toBeTruthy();
  });
});
