import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App";
import { signedInStatus } from "./test/fixtures";

describe("App", () => {
  afterEach(async () => {
    cleanup();
    await new Promise((r) => setTimeout(r, 0));
    clearMocks();
    delete (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__;
  });

  it("renders its first page from the status the shell put in the page, before any call returns", () => {
    (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__ = { ...signedInStatus, server: null, enterprise: null };
    // Nothing the app asks is answered while it renders.
    mockIPC(() => new Promise(() => undefined), { shouldMockEvents: true });
    render(<App />);
    expect(screen.getByTestId("setup-page")).toBeTruthy();
  });
});
