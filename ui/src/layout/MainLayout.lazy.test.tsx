import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { useEffect } from "react";
import type { ReactNode } from "react";
import { App } from "antd";
import MainLayout from "./MainLayout";
import { resetPage, signedInStatus, signedInAccount } from "../test/fixtures";

// A file of its own: a page's chunk, once loaded, stays loaded for the rest of a file's tests,
// and this one needs it still to load.


beforeEach(() => {
  localStorage.setItem("yiqifu.page", "inbox");
  mockIPC(
    (cmd) => {
      if (cmd === "inbox_entries") return [];
      if (cmd === "parked_items") return [];
      if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
      return null;
    },
    { shouldMockEvents: true },
  );
});
afterEach(resetPage);

function layout(shown: ReactNode) {
  return (
    <App>
      <MainLayout status={{ ...signedInStatus, account: signedInAccount }} onSignIn={() => undefined} shown={shown} />
    </App>
  );
}

/** What the app puts in `shown`: notes whether the page was on screen when it rendered. */
function Mark({ seen }: { seen: boolean[] }) {
  useEffect(() => {
    seen.push(screen.queryByTestId("inbox-page") !== null);
  }, [seen]);
  return null;
}

describe("MainLayout's pages", () => {
  it("loads a page's code when it is opened, and tells the page is shown only once it is", async () => {
    const seen: boolean[] = [];
    render(layout(<Mark seen={seen} />));
    // The menu is there at once; the inbox page's own chunk is still loading.
    expect(screen.getByTestId("menu-inbox")).toBeTruthy();
    expect(screen.getByTestId("page-loading")).toBeTruthy();
    expect(seen).toEqual([]);
    expect(await screen.findByTestId("inbox-page", {}, { timeout: 30_000 })).toBeTruthy();
    expect(screen.queryByTestId("page-loading")).toBeNull();
    await waitFor(() => {
      expect(seen).toEqual([true]);
    });
  });
});
