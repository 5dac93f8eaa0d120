import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { I18nContext } from "../shared/i18n";
import type { Locale } from "../shared/i18n";
import MainFrame from "./MainFrame";
import { lastPage, rememberPage } from "../shared/navigation";
import { firstResultsCome, forgetFirstResults } from "../features/documents/firstResults";
import { readingIn, resetPage, signedInAccount, signedInStatus } from "../test/fixtures";

afterEach(async () => {
  await resetPage();
  forgetFirstResults();
});

function frame(locale: Locale, onPainted: () => void = () => undefined, onDrawing: () => void = () => undefined) {
  return (
    <I18nContext.Provider value={readingIn(locale)}>
      <MainFrame status={{ ...signedInStatus, account: signedInAccount, library_new: 3, inbox_unread: 120 }} onDrawing={onDrawing} onPainted={onPainted} />
    </I18nContext.Provider>
  );
}

describe("the main page's frame", () => {
  it.each([
    ["zh-CN", ["政策查询", "防疫指导", "企业信息", "复工自查", "返岗人员", "复工申请", "诉求协调", "供需对接", "反馈汇总", "设置与关于"], "退出登录"],
    ["en-US", ["Policies", "Guidance"], "Sign out"],
  ] as const)("in %s names every page, the enterprise and sign-out, with the counts waiting", (locale, names, signOut) => {
    mockIPC(() => null);
    render(frame(locale));
    for (const name of names) expect(screen.getByRole("button", { name: new RegExp(`^${name}`) })).toBeTruthy();
    expect(screen.getAllByRole("listitem")).toHaveLength(10);
    expect(screen.getByRole("button", { name: /^(政策查询|Policies)/ }).textContent).toMatch(/3$/);
    expect(screen.getByRole("button", { name: /^(反馈汇总|Feedback)/ }).textContent).toMatch(/99\+$/);
    expect(screen.getByTestId("main-frame").textContent).toContain(signedInAccount.name);
    expect(screen.getByRole("button", { name: signOut })).toBeTruthy();
  });

  it("remembers a page chosen in it, for the page that takes its place", () => {
    mockIPC(() => null);
    render(frame("zh-CN"));
    fireEvent.click(screen.getByRole("button", { name: "复工自查" }));
    expect(lastPage()).toBe("selfcheck");
    expect(screen.getByRole("button", { name: "复工自查" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("button", { name: /^政策查询/ }).getAttribute("aria-current")).toBeNull();
  });

  it("says why a sign-out failed", async () => {
    mockIPC((cmd) => {
      if (cmd === "sign_out") // The shell rejects with its ErrorInfo, a plain object (see shared/api.ts).
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { code: "DISK_FULL", message_zh: "磁盘已满", message_en: "The disk is full" };
      return null;
    });
    render(frame("en-US"));
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect((await screen.findByRole("alert")).textContent).toContain("The disk is full");
  });

  it("asks for the page's code as it is drawn, and says when it is on screen", async () => {
    mockIPC(() => null);
    const happened: string[] = [];
    render(
      frame(
        "zh-CN",
        () => happened.push("painted"),
        () => happened.push("drawing"),
      ),
    );
    // Not at its render: at the start of its first frame, then after it.
    expect(happened).toEqual([]);
    await waitFor(() => {
      expect(happened).toEqual(["drawing", "painted"]);
    });
  });

  it("shows that the page is coming only when it is slow to", async () => {
    mockIPC(() => null);
    render(frame("en-US"));
    expect(screen.queryByRole("status")).toBeNull();
    expect((await screen.findByRole("status", {}, { timeout: 3000 })).textContent).toBe("Opening the page…");
  });

  it("asks for the library's first results as it is drawn, only when the library is the page it opens", async () => {
    const asked: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "first_results") asked.push((args as { kind: string }).kind);
      return null;
    });
    rememberPage("inbox");
    const inbox = render(frame("zh-CN"));
    await new Promise((r) => setTimeout(r, 50));
    expect(asked).toEqual([]);
    inbox.unmount();
    forgetFirstResults();
    rememberPage("guidance");
    render(frame("zh-CN"));
    await waitFor(() => {
      expect(asked).toEqual(["guidance"]);
    });
  });

  it("lets the main page stop waiting for the library's first results once another page is chosen", async () => {
    mockIPC((cmd) => (cmd === "first_results" ? new Promise(() => undefined) : null));
    rememberPage("policy");
    render(frame("zh-CN"));
    let come = false;
    void firstResultsCome(60_000).then(() => (come = true));
    fireEvent.click(screen.getByRole("button", { name: /^政策查询/ }));
    await new Promise((r) => setTimeout(r, 50));
    expect(come).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "复工自查" }));
    await waitFor(() => {
      expect(come).toBe(true);
    });
  });
});
