import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import MainLayout from "./MainLayout";
import type { Status_Serialize as Status } from "../bindings";
import { lastPage } from "../shared/navigation";
import { askFirstResults, forgetFirstResults, peekFirstResults } from "../features/documents/firstResults";
import { resetPage, signedInStatus, signedInAccount } from "../test/fixtures";

let titles: string[] = [];
// MainLayout calls useWindowTitle once each time it renders: how its renders are counted.
const layoutRenders = vi.hoisted(() => ({ n: 0 }));
vi.mock("./useWindowTitle", async (real) => {
  const { useWindowTitle } = await real<typeof import("./useWindowTitle")>();
  return {
    useWindowTitle: (...args: Parameters<typeof useWindowTitle>) => {
      layoutRenders.n += 1;
      useWindowTitle(...args);
    },
  };
});

beforeEach(() => {
  titles = [];
  localStorage.setItem("yiqifu.page", "inbox");
  mockIPC(
    (cmd, args) => {
      if (cmd === "set_window_title") titles.push((args as { title: string }).title);
      if (cmd === "inbox_entries") return [];
      if (cmd === "first_results") return { mine: null, page: { total: 0, hits: [], words: [] } };
      if (cmd === "parked_items") return [];
      if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
      return null;
    },
    { shouldMockEvents: true },
  );
});
afterEach(async () => {
  await resetPage();
  forgetFirstResults();
});

function layout(s: Status) {
  return (
    <App>
      <MainLayout status={s} onSignIn={() => undefined} />
    </App>
  );
}

describe("MainLayout", () => {
  it("carries the inbox's unread count on the menu and in the window title", async () => {
    const s = { ...signedInStatus, account: signedInAccount, inbox_unread: 2 } as Status;
    const view = render(layout(s));
    expect(screen.getByTestId("menu-badge-inbox").getAttribute("data-count")).toBe("2");
    expect(screen.getByTestId("menu-appeals").textContent).toBe("诉求协调");
    expect(screen.getByTestId("menu-listings").textContent).toBe("供需对接");
    expect(document.title).toBe("(2) 益企服桌面端 — 上海浦江精密机械有限公司");
    await waitFor(() => {
      expect(titles.slice(-1)[0]).toBe("(2) 益企服桌面端 — 上海浦江精密机械有限公司");
    });

    view.rerender(layout({ ...s, inbox_unread: 0 }));
    expect(screen.getByTestId("menu-badge-inbox").getAttribute("data-count")).toBe("0");
    // Nothing waits: no badge drawn, and none read out with the page's name.
    expect(screen.getByTestId("menu-badge-inbox").hidden).toBe(true);
    expect(screen.getByRole("button", { name: "反馈汇总" }).getAttribute("aria-current")).toBe("page");
    expect(document.title).toBe("益企服桌面端 — 上海浦江精密机械有限公司");
    await waitFor(() => {
      expect(titles.slice(-1)[0]).toBe("益企服桌面端 — 上海浦江精密机械有限公司");
    });
  });

  it("opens the page chosen in the sidebar, the one the frame drew, and marks it current", () => {
    const s = { ...signedInStatus, account: signedInAccount } as Status;
    render(layout(s));
    fireEvent.click(screen.getByRole("button", { name: "诉求协调" }));
    expect(lastPage()).toBe("appeals");
    expect(screen.getByRole("button", { name: "诉求协调" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("button", { name: "反馈汇总" }).getAttribute("aria-current")).toBeNull();
    expect(screen.getByRole("navigation").querySelectorAll("button")).toHaveLength(10);
  });

  it("leaves the library's first results, asked for by the frame, when it opens on another page", async () => {
    const s = { ...signedInStatus, account: signedInAccount } as Status;
    askFirstResults(s.enterprise, "policy", s.document_count);
    await waitFor(() => {
      expect(peekFirstResults(s.enterprise, "policy", s.document_count)).not.toBeNull();
    });
    // It opens on the inbox (beforeEach): the library opened later searches itself.
    render(layout(s));
    await waitFor(() => {
      expect(peekFirstResults(s.enterprise, "policy", s.document_count)).toBeNull();
    });
  });

  it("is rendered once as it is first put in the document, not again before the webview draws it", () => {
    // A state set in a layout effect renders the whole page again before its first paint
    // (antd's Grid.useBreakpoint did, for the sign-out button's label).
    const s = { ...signedInStatus, account: signedInAccount } as Status;
    layoutRenders.n = 0;
    render(layout(s));
    // What React did before render() returned: the shell's answers come later.
    expect(layoutRenders.n).toBe(1);
    const signOut = screen.getByTestId("sign-out");
    expect(signOut.getAttribute("aria-label")).toBe("退出登录");
    // The label itself is shown from 1200 px up, by the stylesheet.
    expect(signOut.querySelector(".wide-only")?.textContent).toBe("退出登录");
  });
});
