import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import MainLayout from "./MainLayout";
import type { Status_Serialize as Status } from "../bindings";
import { resetPage, signedInStatus, signedInAccount } from "../test/fixtures";

let titles: string[] = [];

beforeEach(() => {
  titles = [];
  localStorage.setItem("yiqifu.page", "inbox");
  mockIPC(
    (cmd, args) => {
      if (cmd === "set_window_title") titles.push((args as { title: string }).title);
      if (cmd === "inbox_entries") return [];
      if (cmd === "parked_items") return [];
      if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
      return null;
    },
    { shouldMockEvents: true },
  );
});
afterEach(resetPage);

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
    expect(document.title).toBe("益企服桌面端 — 上海浦江精密机械有限公司");
    await waitFor(() => {
      expect(titles.slice(-1)[0]).toBe("益企服桌面端 — 上海浦江精密机械有限公司");
    });
  });
});
