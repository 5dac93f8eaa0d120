import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import SignInPage from "./SignInPage";
import { resetPage, signedInAccount, signedInStatus } from "../../test/fixtures";

const account = signedInAccount;

/** The sign-in page of a first start (nobody signed in, no enterprise here yet); how many
 *  times it said the officer signed in. */
function renderSignIn(): () => number {
  let signedIn = 0;
  render(
    <SignInPage
      status={{ ...signedInStatus, account: null, enterprises: [] }}
      onSignedIn={() => (signedIn += 1)}
      onChangeServer={() => undefined}
    />,
  );
  return () => signedIn;
}

describe("SignInPage", () => {
  afterEach(resetPage);

  it("fills the form from a demo account picked with the keyboard, and opens a known enterprise", async () => {
    const opened: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "demo_accounts") return [{ ...account, password: "Demo@2022" }];
      if (cmd === "switch_enterprise") {
        opened.push((args as { enterprise: string }).enterprise);
        return null;
      }
      return null;
    });
    let signedIn = 0;
    const status = {
      ...signedInStatus,
      signed_in: false,
      enterprise: null,
      enterprises: [
        { id: "ent-b", profile: { ...account, name: "上海嘉程汽车零部件有限公司" }, signed_in: false, queued: 2, parked: 1, unread: 0, syncing: false, last_sync_at: null },
      ],
    } as unknown as typeof signedInStatus;
    render(
      <App>
        <SignInPage status={status} onSignedIn={() => (signedIn += 1)} onChangeServer={() => undefined} />
      </App>,
    );
    const row = await screen.findByTestId("demo-account");
    expect(row.textContent).toContain("浦东新区 · 制造业");
    // A demo row is a button reached with Tab: Enter picks it.
    expect(row.getAttribute("role")).toBe("button");
    expect(row.tabIndex).toBe(0);
    row.focus();
    fireEvent.keyDown(row, { key: "Enter" });
    await waitFor(() => {
      expect(screen.getByTestId<HTMLInputElement>("credit-code").value).toBe(account.credit_code);
    });
    expect(screen.getByTestId<HTMLInputElement>("password").value).toBe("Demo@2022");

    const known = screen.getByTestId("known-enterprise");
    expect(known.textContent).toContain("上海嘉程汽车零部件有限公司");
    expect(known.textContent).toContain("3");
    // A known enterprise's row is not itself a button: its Open button is.
    expect(known.getAttribute("role")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /打\s*开|Open/ }));
    await waitFor(() => {
      expect(opened).toEqual(["ent-b"]);
    });
    expect(signedIn).toBe(1);
  });
});

describe("SignInPage's form", () => {
  afterEach(resetPage);

  it("says which box is empty, reads its error with it, and signs in once both are filled", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "sign_in") {
        sent.push(args);
        return null;
      }
      return [];
    });
    const signedIn = renderSignIn();
    const code = screen.getByTestId<HTMLInputElement>("credit-code");
    const password = screen.getByTestId<HTMLInputElement>("password");
    // The hint is read with the box before anything is typed.
    expect(document.getElementById(code.getAttribute("aria-describedby") ?? "")?.textContent).toBe("18 位，见营业执照");
    fireEvent.click(screen.getByTestId("sign-in"));
    expect(await screen.findByText("请填写统一社会信用代码")).toBeTruthy();
    expect(screen.getByText("请填写密码")).toBeTruthy();
    expect(code.getAttribute("aria-invalid")).toBe("true");
    expect(code.getAttribute("aria-describedby")?.split(" ").map((id) => document.getElementById(id)?.textContent)).toEqual([
      "18 位，见营业执照",
      "请填写统一社会信用代码",
    ]);
    // The focus goes to the first box to fill.
    expect(document.activeElement).toBe(code);
    fireEvent.change(code, { target: { value: account.credit_code } });
    expect(screen.queryByText("请填写统一社会信用代码")).toBeNull();
    expect(code.getAttribute("aria-invalid")).toBeNull();
    fireEvent.click(screen.getByTestId("sign-in"));
    expect(document.activeElement).toBe(password);
    expect(sent).toEqual([]);

    // The eye shows what was typed, and hides it again.
    fireEvent.change(password, { target: { value: "Demo@2022" } });
    expect(password.type).toBe("password");
    fireEvent.click(screen.getByRole("button", { name: "显示密码" }));
    expect(password.type).toBe("text");
    fireEvent.click(screen.getByRole("button", { name: "隐藏密码" }));
    expect(password.type).toBe("password");

    fireEvent.click(screen.getByTestId("sign-in"));
    await waitFor(() => {
      expect(signedIn()).toBe(1);
    });
    expect(sent).toEqual([{ creditCode: account.credit_code, password: "Demo@2022" }]);
    // The password is not kept once signed in.
    expect(password.value).toBe("");
  });
});

describe("SignInPage while signing in", () => {
  afterEach(resetPage);

  it("sends a sign-in once, however often the officer clicks or presses Enter while it is on its way", async () => {
    let sent = 0;
    let answer: (v: null) => void = () => undefined;
    mockIPC((cmd) => {
      if (cmd === "sign_in") {
        sent += 1;
        return new Promise<null>((r) => {
          answer = r;
        });
      }
      return [];
    });
    const signedIn = renderSignIn();
    fireEvent.change(screen.getByTestId("credit-code"), { target: { value: account.credit_code } });
    const password = screen.getByTestId<HTMLInputElement>("password");
    fireEvent.change(password, { target: { value: "Demo@2022" } });
    const button = screen.getByTestId("sign-in");
    fireEvent.click(button);
    await waitFor(() => {
      expect(button.getAttribute("aria-busy")).toBe("true");
    });
    fireEvent.click(button);
    fireEvent.submit(password.form as HTMLFormElement);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toBe(1);
    answer(null);
    await waitFor(() => {
      expect(signedIn()).toBe(1);
    });
    expect(button.getAttribute("aria-busy")).toBeNull();
  });
});
