import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import App, { beforeFirstRender } from "./App";
import { resetStart, signedInStatus, signedInAccount } from "./test/fixtures";

// A file of its own: the main page's chunk, once loaded here, stays loaded for the file.
describe("a start that opens on the main page", () => {
  afterEach(resetStart);

  it("draws the page's frame at its first render, without waiting for antd, then the page takes its place", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, account: signedInAccount };
    localStorage.removeItem("yiqifu.page");
    // Nothing the app asks is answered.
    mockIPC(() => new Promise(() => undefined), { shouldMockEvents: true });
    await beforeFirstRender();
    const { container } = render(<App />);
    // The first render is the frame: the sidebar with the library chosen, the enterprise,
    // no spinner page, and none of MainLayout (antd's) yet.
    const frame = screen.getByTestId("main-frame");
    expect(screen.getByRole("button", { name: "政策查询" }).getAttribute("aria-current")).toBe("page");
    expect(frame.textContent).toContain(signedInAccount.name);
    expect(container.querySelector(".centered-page")).toBeNull();
    expect(screen.queryByTestId("search")).toBeNull();
    // Once antd and the page's code have loaded, MainLayout is there instead, with the
    // library's search box.
    expect(await screen.findByTestId("search", {}, { timeout: 30_000 })).toBeTruthy();
    expect(screen.queryByTestId("main-frame")).toBeNull();
  });
});
