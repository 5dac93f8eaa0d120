import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import CorrectionBanner from "./CorrectionBanner";
import type { ApplicationDraft_Serialize as Draft, CorrectionDiff_Serialize as CorrectionDiff } from "../../bindings";
import { I18nContext } from "../../shared/i18n";
import type { Locale } from "../../shared/i18n";
import { readingIn, resetPage } from "../../test/fixtures";

const draft = {
  record_id: "rec-1",
  round: 2,
  correction: { receipt_no: "FG-2022-0001", issued_at: "2022-05-10T09:00:00Z", items: [{ material_type: null, text: "请核对物资储备" }] },
} as unknown as Draft;

const diff: CorrectionDiff = {
  materials: [],
  answers: [
    { item_id: "supply-mask-days", prompt: "口罩储备天数", before_zh: "14 天", before_en: "14 days", after_zh: "20 天", after_en: "20 days" },
    { item_id: "zone-three", prompt: "三区划分", before_zh: null, before_en: null, after_zh: "是", after_en: "yes" },
  ],
  selfcheck_changed: true,
};

function show(locale: Locale) {
  mockIPC((cmd) => (cmd === "application_correction_diff" ? diff : null));
  render(
    <I18nContext.Provider value={readingIn(locale)}>
      <App>
        <CorrectionBanner enterprise="ent-a" draft={draft} onChanged={() => undefined} />
      </App>
    </I18nContext.Provider>,
  );
}

describe("CorrectionBanner", () => {
  afterEach(resetPage);

  it("shows each changed self-check answer in the language the officer reads", async () => {
    show("en-US");
    const lines = await screen.findAllByTestId("diff-answer");
    expect(lines.map((l) => l.textContent)).toEqual(["口罩储备天数: “14 days” → “20 days”", "三区划分: “(no answer)” → “yes”"]);
  });

  it("and in Chinese", async () => {
    show("zh-CN");
    const lines = await screen.findAllByTestId("diff-answer");
    expect(lines.map((l) => l.textContent)).toEqual(["口罩储备天数：由“14 天”改为“20 天”", "三区划分：由“（未答）”改为“是”"]);
  });
});
