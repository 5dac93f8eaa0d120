/** The desktop the window runs on. */
export type Os = "windows" | "macos" | "linux";

/** Which desktop a webview's user agent belongs to: WebView2 on Windows, WKWebView on macOS,
 *  WebKitGTK on Linux; null for anything else (a browser on the dev server, the tests). */
export function osOf(userAgent: string): Os | null {
  if (userAgent.includes("Windows")) return "windows";
  if (userAgent.includes("Macintosh") || userAgent.includes("Mac OS X")) return "macos";
  if (userAgent.includes("Linux") || userAgent.includes("X11")) return "linux";
  return null;
}

/** Names the desktop on the page's root (`<html data-os="…">`), where styles.css picks the
 *  font list for it. Before the first render: the first layout is already in the right
 *  fonts. */
export function markOs(): void {
  const os = osOf(navigator.userAgent);
  if (os) document.documentElement.dataset.os = os;
}
