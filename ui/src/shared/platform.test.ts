import { afterEach, describe, expect, it, vi } from "vitest";
import { markOs, osOf } from "./platform";

afterEach(() => {
  delete document.documentElement.dataset.os;
});

describe("the desktop the window runs on", () => {
  it("is told from each platform's webview", () => {
    // WebView2 (Windows 11 reports itself as Windows NT 10.0), WKWebView, WebKitGTK.
    expect(
      osOf(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      ),
    ).toBe("windows");
    expect(osOf("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)")).toBe(
      "macos",
    );
    expect(osOf("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)")).toBe("linux");
    expect(osOf("something else")).toBeNull();
  });

  it("is named on the page's root, where the stylesheet picks the fonts", () => {
    const agent = vi.spyOn(navigator, "userAgent", "get");
    agent.mockReturnValue("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/131.0.0.0");
    markOs();
    expect(document.documentElement.dataset.os).toBe("windows");
    delete document.documentElement.dataset.os;
    agent.mockReturnValue("a browser of no desktop");
    markOs();
    expect(document.documentElement.dataset.os).toBeUndefined();
    agent.mockRestore();
  });
});
