import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import App, { beforeFirstRender } from "./App";
import { resetStart, signedInStatus, signedInAccount } from "./test/fixtures";

// A file of its own: the main page's chunk, once loaded here, stays loaded for the file.
describe("a start that opens on the main page", () => {
  afterEach(resetStart);

  it("loads the page's code before its first render, so it never paints a spinner first", async () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, account: signedInAccount };
    localStorage.removeItem("yiqifu.page");
    mockIPC(() => new Promise(() => undefined), { shouldMockEvents: true });
    await beforeFirstRender();
    const { container } = render(<App />);
    // The first render itself is the main page: its menu and the library, no spinner.
    expect(screen.getByTestId("menu-policy")).toBeTruthy();
    expect(container.querySelector(".centered-page")).toBeNull();
  });
});
