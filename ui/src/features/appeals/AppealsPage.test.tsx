import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import AppealsPage from "./AppealsPage";
import type { AppealDraftFields, AppealDraftView, AppealSummary, AppealView, Deadline, FieldProblem } from "../../bindings";
import { resetPage, signedInStatus } from "../../test/fixtures";

const deadline = (overdue: boolean, met: boolean): Deadline => ({
  due_at: "2022-05-05T01:30:00Z",
  met_at: met ? "2022-05-05T01:00:00Z" : null,
  met,
  overdue,
  working_minutes_left: overdue ? -600 : 300,
});

const summary = (key: string, overdue: boolean, extra: Partial<AppealSummary> = {}): AppealSummary => ({
  key,
  receipt_no: `SQ-${key}`,
  category: "financing",
  title: `诉求 ${key}`,
  stage: "submitted",
  delivery: "delivered",
  created_at: "2022-04-29T08:30:00Z",
  clock: { contact: deadline(overdue, false), reply: deadline(overdue, false), estimated: false },
  overdue,
  unsent_messages: 0,
  rated: false,
  ...extra,
});

/** The core's rule for a draft: what stops it, as the protocol's problems() would say. */
function problemsOf(f: AppealDraftFields): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (!f.category) p.push({ field: "category", zh: "请选择诉求类别", en: "Choose a category" });
  if (f.title.trim() === "") p.push({ field: "title", zh: "请填写标题", en: "Enter a title" });
  if (f.description.trim() === "") p.push({ field: "description", zh: "请填写诉求内容", en: "Describe it" });
  return p;
}

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let draft: AppealDraftView;
let list: AppealSummary[];
let view: AppealView;

beforeEach(() => {
  calls = [];
  draft = {
    id: "d1",
    fields: { category: null, title: "", description: "", contact_name: "王敏", contact_phone: "13816204417" },
    attachments: [],
    problems: [],
    updated_at: 1,
  };
  draft.problems = problemsOf(draft.fields);
  list = [summary("a-late", true), summary("a-fine", false, { stage: "unsent", delivery: "queued", receipt_no: null })];
  view = {
    summary: summary("a-late", true, { stage: "replied" }),
    description: "流动资金贷款展期",
    contact: { name: "王敏", phone: "13816204417" },
    attachments: [],
    assigned_to: "区金融办",
    timeline: [{ to: "submitted", at: "2022-04-29T08:30:00Z", actor: "enterprise" }],
    thread: [
      { from: "authority", body: "已对接合作银行", at: "2022-05-05T01:00:00Z", sent: true, parked: false, outbox_id: null },
      { from: "enterprise", body: "谢谢，何时放款？", at: "2022-05-05T02:00:00Z", sent: false, parked: false, outbox_id: "o1" },
    ],
    rating: null,
    rating_sent: false,
    can_rate: true,
    can_message: true,
  };
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      switch (cmd) {
        case "appeal_drafts":
          return [draft];
        case "appeal_draft_new":
          return draft;
        case "appeal_draft_save": {
          const fields = a.fields as AppealDraftFields;
          draft = { ...draft, fields, problems: problemsOf(fields) };
          return draft;
        }
        case "appeal_attachment_rule":
          return { formats: ["pdf", "jpg"], max_bytes: 20 * 1024 * 1024, max_count: 5 };
        case "appeal_attachment_pick":
          return { error: "never" };
        case "appeal_draft_send":
          return "appeal-1";
        case "appeals": {
          const q = a.query as { states: string[] };
          return q.states.length === 0 ? list : list.filter((s) => q.states.includes(s.stage));
        }
        case "appeal":
          return view;
        default:
          return null;
      }
    },
    { shouldMockEvents: true },
  );
});
afterEach(resetPage);

function show() {
  return render(
    <App>
      <AppealsPage status={signedInStatus} />
    </App>,
  );
}

const typeIn = (testId: string, value: string) => {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
};

describe("AppealsPage", () => {
  it("lists appeals in the core's order, overdue marked, unsent shown as such", async () => {
    show();
    const rows = await screen.findAllByTestId("appeal-row");
    expect(rows.map((r) => r.getAttribute("data-key"))).toEqual(["a-late", "a-fine"]);
    expect(rows[0]?.getAttribute("data-overdue")).toBe("true");
    expect(within(rows[0] as HTMLElement).getByTestId("appeal-clock-reply").getAttribute("data-overdue")).toBe("true");
    expect(rows[1]?.getAttribute("data-stage")).toBe("unsent");
    expect(rows[1]?.getAttribute("data-delivery")).toBe("queued");
    expect(rows[1]?.textContent).toContain("待同步");
  });

  it("saves the composer as typed, keeps send shut while the core names problems, then sends", async () => {
    show();
    fireEvent.click(await screen.findByTestId("new-appeal"));
    await screen.findByTestId("appeal-composer");
    expect(await screen.findByTestId("appeal-problems")).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>("appeal-send").disabled).toBe(true);

    typeIn("appeal-title", "冷链车辆通行证");
    typeIn("appeal-description", "请协调办理");
    // Saved shortly after typing stops, with what was typed.
    await waitFor(() => {
      expect(calls.some((c) => c.cmd === "appeal_draft_save")).toBe(true);
    });
    const saved = calls.filter((c) => c.cmd === "appeal_draft_save").slice(-1)[0]?.args.fields as AppealDraftFields;
    expect(saved.title).toBe("冷链车辆通行证");
    expect(saved.description).toBe("请协调办理");
    // The category is still missing: the core says so, and send stays shut.
    await screen.findByTestId("appeal-draft-saved");
    expect(within(screen.getByTestId("appeal-problems")).getByText("请选择诉求类别")).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>("appeal-send").disabled).toBe(true);

    fireEvent.mouseDown(screen.getByTestId("appeal-category").querySelector("input") as HTMLInputElement);
    fireEvent.click(await screen.findByTitle("物流运输"));
    await waitFor(() => {
      expect(screen.queryByTestId("appeal-draft-saved")).toBeTruthy();
      expect(screen.queryByTestId("appeal-problems")).toBeNull();
      expect(screen.getByTestId<HTMLButtonElement>("appeal-send").disabled).toBe(false);
    });
    fireEvent.click(screen.getByTestId("appeal-send"));
    await waitFor(() => {
      expect(calls.some((c) => c.cmd === "appeal_draft_send" && c.args.id === "d1")).toBe(true);
    });
  });

  it("shows a refused attachment with its code", async () => {
    mockIPC(
      (cmd) => {
        if (cmd === "appeal_drafts") return [draft];
        if (cmd === "appeal_draft_new") return draft;
        if (cmd === "appeals") return [];
        if (cmd === "appeal_attachment_rule") return { formats: ["pdf"], max_bytes: 1024, max_count: 5 };
        if (cmd === "appeal_attachment_pick") {
          // A command error, as the shell's ErrorInfo.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw { code: "FILE_WRONG_TYPE", message_zh: "文件类型不符", message_en: "Wrong file type" };
        }
        return null;
      },
      { shouldMockEvents: true },
    );
    show();
    fireEvent.click(await screen.findByTestId("new-appeal"));
    fireEvent.click(await screen.findByTestId("appeal-attach"));
    const err = await screen.findByTestId("appeal-attachment-error");
    expect(err.getAttribute("data-code")).toBe("FILE_WRONG_TYPE");
    expect(err.textContent).toContain("文件类型不符");
  });

  it("asks the core again when the state filter changes", async () => {
    show();
    await screen.findAllByTestId("appeal-row");
    const before = calls.filter((c) => c.cmd === "appeals").length;
    const select = screen.getByTestId("appeal-filter-state").querySelector("input") as HTMLInputElement;
    fireEvent.mouseDown(select);
    fireEvent.click(await screen.findByTitle("已提交"));
    await waitFor(() => {
      const asked = calls.filter((c) => c.cmd === "appeals");
      expect(asked.length).toBeGreaterThan(before);
      expect((asked.slice(-1)[0]?.args.query as { states: string[] }).states).toEqual(["submitted"]);
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("appeal-row").map((r) => r.getAttribute("data-key"))).toEqual(["a-late"]);
    });
  });

  it("opens an appeal: thread with its unsent follow-up, clock, and a rating sent to the core", async () => {
    show();
    fireEvent.click((await screen.findAllByTestId("appeal-row"))[0] as HTMLElement);
    const detail = await screen.findByTestId("appeal-detail");
    expect(detail.getAttribute("data-key")).toBe("a-late");
    expect(screen.getByTestId("appeal-assigned-to").textContent).toBe("区金融办");
    const msgs = screen.getAllByTestId("thread-message");
    expect(msgs.map((m) => [m.getAttribute("data-from"), m.getAttribute("data-sent")])).toEqual([
      ["authority", "true"],
      ["enterprise", "false"],
    ]);
    expect(msgs[1]?.textContent).toContain("待发送");
    expect(screen.getByTestId("appeal-clock-contact").getAttribute("data-overdue")).toBe("true");

    const stars = screen.getByTestId("appeal-rate").querySelectorAll("li div[role=radio]");
    fireEvent.click(stars[4] as Element);
    fireEvent.change(screen.getByTestId("appeal-rating-comment"), { target: { value: "很及时" } });
    fireEvent.click(screen.getByTestId("appeal-rating-submit"));
    await waitFor(() => {
      const rate = calls.find((c) => c.cmd === "appeal_rate");
      expect(rate?.args).toMatchObject({ key: "a-late", rating: { score: 5, comment: "很及时" } });
    });
  });
});
