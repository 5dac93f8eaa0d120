import { afterEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import Wizard from "./Wizard";
import { SAVE_AFTER_MS } from "./ItemInput";
import type { AnswerValue, DraftView_Serialize as DraftView, TemplateItem_Serialize as TemplateItem } from "../../bindings";
import { readingIn, resetPage } from "../../test/fixtures";
import { I18nContext, type Locale } from "../../shared/i18n";

const item = (id: string, kind: TemplateItem["kind"]): TemplateItem => ({
  id,
  kind,
  prompt: `问题 ${id}`,
  help: "说明",
  required: true,
  pass: kind === "number" ? { min: 14 } : null,
  unit: kind === "number" ? "天" : null,
  choices: null,
  material_type: null,
  show_if: null,
  cites: { document_id: "gd-002", clause: "三、" },
});

function view(days: AnswerValue | null): DraftView {
  const failing = days?.kind === "number" && (days.value ?? 0) < 14;
  return {
    template: {
      id: "tpl",
      version: 2,
      title: "自查表",
      published_on: "2022-05-03",
      based_on: "gd-002",
      sections: [
        { id: "a", title: "第一节", items: [item("plan", "yes_no")] },
        { id: "b", title: "第二节", items: [item("days", "number")] },
      ],
    },
    step: 1,
    items: [
      { item_id: "plan", section_id: "a", status: "pass", answer: { kind: "yes_no", value: true }, file: null, problem_zh: null, problem_en: null, recheck: false, added: false },
      {
        item_id: "days",
        section_id: "b",
        status: days === null ? "open" : failing ? "fail" : "pass",
        answer: days,
        file: null,
        problem_zh: failing ? "需不少于 14 天，当前为“9 天”" : null,
        problem_en: failing ? "Needs at least 14 days" : null,
        recheck: false,
        added: false,
      },
    ],
    verdict: { passed: !failing && days !== null, failures: [] },
    answered: days === null ? 1 : 2,
    shown: 2,
    changes: null,
    recheck: 0,
    sources: [{ document_id: "gd-002", title: "工业企业复工复产疫情防控指引（第二版）要点" }],
  };
}

describe("Wizard", () => {
  afterEach(resetPage);

  it("opens on the saved step, saves a typed number once typing pauses, and shows why it fails", async () => {
    const saved: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "answer_selfcheck_item") {
        const a = args as { value: AnswerValue };
        saved.push(a.value);
        return view(a.value);
      }
      return null;
    });
    render(
      <App>
        <Wizard enterprise="ent-a" initial={view(null)} onBack={() => undefined} onFinished={() => undefined} />
      </App>,
    );
    // Step 2 of 2, as the draft says: the second section's item is on screen.
    expect(screen.getByTestId("item-days").getAttribute("data-status")).toBe("open");
    // Its source, by the document's title.
    expect(screen.getByTestId("cite-days").textContent).toContain("《工业企业复工复产疫情防控指引（第二版）要点》 三、");
    const input = screen.getByTestId("item-days").querySelector("input");
    if (!input) throw new Error("no number field");
    fireEvent.change(input, { target: { value: "9" } });
    await waitFor(() => {
      expect(saved).toEqual([{ kind: "number", value: 9 }]);
    });
    await waitFor(() => {
      expect(screen.getByTestId("problem-days").textContent).toContain("需不少于 14 天，当前为“9 天”");
    });
    expect(screen.getByTestId("item-days").getAttribute("data-status")).toBe("fail");
    // Leaving the field saves nothing more, however long one waits: the answer did not
    // change. Fake time, past the save pause, instead of a real wait.
    vi.useFakeTimers();
    try {
      fireEvent.blur(input);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(SAVE_AFTER_MS * 4);
      });
    } finally {
      vi.useRealTimers();
    }
    expect(saved).toHaveLength(1);
  });

  it("shows a number's unit in the officer's language", () => {
    mockIPC(() => null);
    const page = (locale: Locale) => (
      <I18nContext.Provider value={readingIn(locale)}>
        <App>
          <Wizard enterprise="ent-a" initial={view(null)} onBack={() => undefined} onFinished={() => undefined} />
        </App>
      </I18nContext.Provider>
    );
    const unit = () => screen.getByTestId("item-days").querySelector("button[disabled]")?.textContent;
    const { rerender } = render(page("zh-CN"));
    expect(unit()).toBe("天");
    rerender(page("en-US"));
    expect(unit()).toBe("days");
  });

  it("opens the section of the item a policy's citation asks for, marks it, and says when it is not shown", async () => {
    const steps: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "set_selfcheck_step") steps.push((args as { step: number }).step);
      return null;
    });
    const { rerender } = render(
      <App>
        <Wizard enterprise="ent-a" initial={view(null)} focus={{ item: "plan", n: 1 }} onBack={() => undefined} onFinished={() => undefined} />
      </App>,
    );
    // The draft was on the second section; the cited item is in the first.
    await waitFor(() => {
      expect(screen.getByTestId("item-plan").getAttribute("data-highlighted")).toBe("true");
    });
    expect(screen.queryByTestId("item-days")).toBeNull();
    expect(steps).toEqual([0]);
    // An item the current checklist no longer has: the officer is told, the wizard stays.
    rerender(
      <App>
        <Wizard enterprise="ent-a" initial={view(null)} focus={{ item: "gone", n: 2 }} onBack={() => undefined} onFinished={() => undefined} />
      </App>,
    );
    await waitFor(() => {
      expect(screen.getByText("当前版本的自查表已不含该条目。")).toBeTruthy();
    });
    expect(steps).toEqual([0]);
  });
});
