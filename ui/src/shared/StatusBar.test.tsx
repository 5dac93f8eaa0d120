import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { useState } from "react";
import { App } from "antd";
import dayjs from "dayjs";
import StatusBar, { compactTime } from "./StatusBar";
import { I18nContext, translate, type Locale } from "./i18n";
import type { Status_Serialize as Status } from "../bindings";
import { resetPage } from "../test/fixtures";

const base: Status = {
  seq: 1,
  server: { kind: "demo" },
  online: true,
  account: null,
  enterprise: null,
  enterprises: [],
  signed_in: true,
  syncing: false,
  outbox_queued: 3,
  outbox_parked: 0,
  last_sync_at: null,
  document_count: 0,
  library_new: 0,
  notice: null,
  inbox_unread: 0,
};

function show(s: Status) {
  return render(
    <App>
      <StatusBar status={s} />
    </App>,
  );
}

describe("StatusBar", () => {
  beforeEach(() => {
    // No Rust side in jsdom: commands answer nothing, events go through the mock.
    mockIPC(() => null, { shouldMockEvents: true });
  });
  afterEach(resetPage);

  it("shows a progress bar while uploads run and drops finished ones", async () => {
    show(base);
    expect(screen.queryByTestId("upload-progress")).toBeNull();
    await act(async () => {
      await emit("upload-progressed", { local_id: "u1", sent: 25, total: 100 });
    });
    const bar = await screen.findByTestId("upload-progress");
    expect(bar.textContent).toContain("正在上传 1");
    expect(bar.textContent).toContain("25%");
    await act(async () => {
      await emit("upload-progressed", { local_id: "u1", sent: 100, total: 100 });
    });
    expect(screen.queryByTestId("upload-progress")).toBeNull();
  });

  it("shows online, the queue and that nothing was synced yet", () => {
    show(base);
    expect(screen.getByTestId("status-online").textContent).toContain("在线");
    expect(screen.getByTestId("status-queued").textContent).toContain("3");
    // Both ways of saying it are there, the stylesheet showing one by the window's width
    // (styles.css, not loaded in jsdom): in full from 1200 px, and below as a short time
    // whose icon names what it is.
    const last = screen.getByTestId("status-last-sync");
    expect(last.querySelector(".wide-only")?.textContent).toBe("上次同步: 尚未同步");
    const short = last.querySelector(".narrow-only");
    expect(short?.textContent.trim()).toBe("未同步");
    expect(short?.querySelector("[aria-label]")?.getAttribute("aria-label")).toBe("上次同步");
    expect(screen.getByTestId("sync-now").hasAttribute("disabled")).toBe(false);
  });

  it("shows offline and still lets the officer try to sync by hand", async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      return null;
    }, { shouldMockEvents: true });
    show({ ...base, online: false });
    expect(screen.getByTestId("status-offline").textContent).toContain("离线");
    const button = screen.getByTestId("sync-now");
    expect(button.hasAttribute("disabled")).toBe(false);
    act(() => {
      button.click();
    });
    await waitFor(() => {
      expect(asked).toContain("sync_now");
    });
  });

  it("says its toasts again in the language the officer switches to", async () => {
    let fail = false;
    mockIPC((cmd) => {
      if (cmd === "sync_now" && fail) {
        // A command's typed error is a plain object, as the shell sends it.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { code: "SERVER_UNREACHABLE", message_zh: "连不上中心服务", message_en: "The service cannot be reached" };
      }
      return null;
    }, { shouldMockEvents: true });
    function Switchable() {
      const [locale, setLocale] = useState<Locale>("zh-CN");
      return (
        <I18nContext.Provider value={{ locale, t: (k) => translate(locale, k), setLocale }}>
          <App>
            <StatusBar status={base} />
            <button data-testid="switch" onClick={() => { setLocale(locale === "zh-CN" ? "en-US" : "zh-CN"); }} />
          </App>
        </I18nContext.Provider>
      );
    }
    render(<Switchable />);
    act(() => {
      screen.getByTestId("sync-now").click();
    });
    await screen.findByText("同步完成");
    fail = true;
    act(() => {
      screen.getByTestId("sync-now").click();
    });
    await screen.findByText("连不上中心服务");
    act(() => {
      screen.getByTestId("switch").click();
    });
    await screen.findByText("Sync complete");
    await screen.findByText("The service cannot be reached");
    expect(screen.queryByText("同步完成")).toBeNull();
    expect(screen.queryByText("连不上中心服务")).toBeNull();
  });

  it("shows parked items only when there are some", () => {
    show(base);
    expect(screen.queryByText(/需处理/)).toBeNull();
    show({ ...base, outbox_parked: 2 });
    expect(screen.getByText(/需处理/)).toBeTruthy();
  });
});


describe("compactTime", () => {
  const now = dayjs("2026-12-04T15:30:00");
  it("keeps the time today, the day this year and the date before", () => {
    expect(compactTime(dayjs("2026-12-04T06:27:00"), now)).toBe("06:27");
    expect(compactTime(dayjs("2026-11-30T22:05:00"), now)).toBe("11-30 22:05");
    expect(compactTime(dayjs("2025-12-04T06:27:00"), now)).toBe("2025-12-04");
  });
});
