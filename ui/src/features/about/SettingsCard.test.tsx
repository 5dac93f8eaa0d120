import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import SettingsCard from "./SettingsCard";
import { ShellContext } from "../../shared/shell";
import { I18nContext } from "../../shared/i18n";
import { readingIn, resetPage } from "../../test/fixtures";

/** The input of the radio whose label carries the test id. */
function radio(id: string): HTMLInputElement {
  return screen.getByTestId(id).closest("label")?.querySelector("input") as HTMLInputElement;
}

describe("SettingsCard", () => {
  afterEach(resetPage);

  it("saves a proxy the officer types, and shows why one is refused", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
      if (cmd === "proxy_setting") return { kind: "system" };
      if (cmd === "set_proxy") {
        const proxy = (args as { proxy: { kind: string; url?: string } }).proxy;
        sent.push(proxy);
        if (proxy.url === "bad") {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw { code: "INVALID_PROXY", message_zh: "代理地址无法使用（bad）", message_en: "The proxy address cannot be used (bad)" };
        }
        return true;
      }
      return null;
    });
    render(
      <App>
        <SettingsCard server={{ kind: "demo" }} />
      </App>,
    );
    await waitFor(() => {
      expect(radio("proxy-system").checked).toBe(true);
    });
    fireEvent.click(radio("proxy-manual"));
    fireEvent.change(await screen.findByTestId("proxy-url"), { target: { value: " http://10.0.0.8:3128 " } });
    fireEvent.click(screen.getByTestId("proxy-save"));
    await waitFor(() => {
      expect(sent).toEqual([{ kind: "manual", url: "http://10.0.0.8:3128" }]);
    });
    fireEvent.change(screen.getByTestId("proxy-url"), { target: { value: "bad" } });
    fireEvent.click(screen.getByTestId("proxy-save"));
    expect(await screen.findByText(/代理地址无法使用/)).toBeTruthy();
  });

  it("names the service in use and opens the choice of another", () => {
    mockIPC((cmd) => {
      if (cmd === "proxy_setting") return { kind: "system" };
      return null;
    });
    let asked = 0;
    render(
      <App>
        <ShellContext.Provider
          value={{
            changeServer: () => {
              asked += 1;
            },
          }}
        >
          <SettingsCard server={{ kind: "url", url: "https://fuwu.example.gov.cn" }} />
        </ShellContext.Provider>
      </App>,
    );
    expect(screen.getByTestId("settings-service").textContent).toBe("https://fuwu.example.gov.cn");
    fireEvent.click(screen.getByTestId("change-server"));
    expect(asked).toBe(1);
  });

  it("turns notifications off in the language on screen, not the one stored when the page opened", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      // Read before the officer switched to English (App writes each switch on its own).
      if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
      if (cmd === "proxy_setting") return { kind: "system" };
      if (cmd === "set_desktop_settings") sent.push((args as { settings: unknown }).settings);
      return null;
    });
    render(
      <I18nContext.Provider value={readingIn("en-US")}>
        <App>
          <SettingsCard server={{ kind: "demo" }} />
        </App>
      </I18nContext.Provider>,
    );
    const toggle = screen.getByTestId("settings-notify");
    await waitFor(() => {
      expect(toggle.getAttribute("aria-checked")).toBe("true");
    });
    fireEvent.click(toggle);
    await waitFor(() => {
      expect(sent).toEqual([{ notifications: false, language: "en-US" }]);
    });
  });
});
