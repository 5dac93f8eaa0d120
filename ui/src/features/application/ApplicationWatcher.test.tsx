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

    // Another enterprise's news is not shown on this one's screen.
    await act(async () => {
      await emit("application-notice", { ...notice, enterprise: "ent-b", record_id: "app-2", title_en: "Other news" });
    });
    expect(screen.queryByText("Other news")).toBeNull();
  });
});
