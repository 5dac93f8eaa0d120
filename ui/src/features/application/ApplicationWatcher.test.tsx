import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { App } from "antd";
import ApplicationWatcher from "./ApplicationWatcher";
import type { ApplicationNotice } from "../../bindings";
import { I18nContext, type Locale } from "../../shared/i18n";
import { readingIn, resetPage } from "../../test/fixtures";

const notice: ApplicationNotice = {
  enterprise: "ent-a",
  record_id: "app-1",
  state: "approved",
  title_zh: "复工申请已通过",
  title_en: "Application approved",
  body_zh: "浦东新区已批准复工复产申请。",
  body_en: "Pudong New Area approved the application to resume work.",
};

function page(locale: Locale) {
  return (
    <I18nContext.Provider value={readingIn(locale)}>
      <App>
        <ApplicationWatcher enterprise="ent-a" />
      </App>
    </I18nContext.Provider>
  );
}

describe("ApplicationWatcher", () => {
  beforeEach(() => {
    mockIPC(() => null, { shouldMockEvents: true });
  });
  afterEach(resetPage);

  it("says a notice that stays on screen again in the language the officer switches to", async () => {
    const { rerender } = render(page("zh-CN"));
    await act(async () => {
      await emit("application-notice", notice);
    });
    expect(await screen.findByText("复工申请已通过")).toBeTruthy();
    expect(screen.getByTestId("notice-view").textContent).not.toMatch(/[A-Za-z]/);

    rerender(page("en-US"));
    await waitFor(() => {
      expect(screen.getByText("Application approved")).toBeTruthy();
    });
    expect(screen.getByText(notice.body_en)).toBeTruthy();
    expect(screen.queryByText("复工申请已通过")).toBeNull();
    expect(screen.getByTestId("notice-view").textContent).toMatch(/[A-Za-z]/);

    // Another enterprise's news is not shown on this one's screen (a later one of this
    // enterprise's is, so the first had its chance to appear).
    await act(async () => {
      await emit("application-notice", { ...notice, enterprise: "ent-b", record_id: "app-2", title_en: "Other news" });
      await emit("application-notice", { ...notice, record_id: "app-3", title_en: "Later news" });
    });
    expect(await screen.findByText("Later news")).toBeTruthy();
    expect(screen.queryByText("Other news")).toBeNull();
  });

  it("takes an enterprise's notices away when another is on screen, and all of them when it goes", async () => {
    // The notices live in the app's root, which stays when the main page goes (sign-out).
    const page = (enterprise: string | null) => (
      <App>{enterprise && <ApplicationWatcher enterprise={enterprise} />}</App>
    );
    const { rerender } = render(page("ent-a"));
    await act(async () => {
      await emit("application-notice", notice);
    });
    expect(await screen.findByText("复工申请已通过")).toBeTruthy();
    rerender(page("ent-b"));
    await waitFor(() => {
      expect(screen.queryByText("复工申请已通过")).toBeNull();
    });
    await act(async () => {
      await emit("application-notice", { ...notice, enterprise: "ent-b", record_id: "app-9", title_zh: "乙企业的申请已通过" });
    });
    expect(await screen.findByText("乙企业的申请已通过")).toBeTruthy();
    rerender(page(null));
    await waitFor(() => {
      expect(screen.queryByText("乙企业的申请已通过")).toBeNull();
    });
  });
});
