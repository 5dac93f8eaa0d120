import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { App } from "antd";
import ApplicationPage from "./ApplicationPage";
import ContactFields, { SAVE_AFTER_MS } from "./ContactFields";
import type {
  ApplicationDraft_Serialize as Draft,
  CheckReport_Serialize as CheckReport,
  MaterialSlot,
} from "../../bindings";
import { resetPage, signedInStatus } from "../../test/fixtures";

const status = signedInStatus;

function slot(type: string, name: string, formats: string[], maxBytes: number, maxCount: number): MaterialSlot {
  return {
    rule: { material_type: type, name, description: `${name}的说明`, required: true, formats, max_bytes: maxBytes, max_count: maxCount },
    files: [],
    asked: [],
    changed: false,
  };
}

const draft: Draft = {
  record_id: null,
  round: 1,
  contact_name: "王五",
  contact_phone: "13900000000",
  note: "",
  slots: [
    slot("business_license", "营业执照", ["pdf", "jpg", "png"], 10 * 1024 * 1024, 1),
    slot("prevention_plan", "疫情防控方案", ["pdf", "docx"], 20 * 1024 * 1024, 3),
  ],
  orphans: [],
  roster_count: 12,
  forms: [],
  correction: null,
  gate: { open: true, lock: null, reason_zh: null, reason_en: null, run_id: "run-1", template_id: "tpl" },
  rules_synced: true,
};

const tooLarge = {
  code: "FILE_TOO_LARGE",
  message_zh: "文件“执照扫描.pdf”有 14.2 MB，超过“营业执照”的上限 10.0 MB。",
  message_en: "“执照扫描.pdf” is 14.2 MB, over the 10.0 MB allowed for the business license.",
};

let calls: { cmd: string; args: unknown }[] = [];
let answers: Record<string, (args: unknown) => unknown> = {};

function show() {
  return render(
    <App>
      <ApplicationPage status={status} />
    </App>,
  );
}

describe("ApplicationPage, preparing", () => {
  beforeEach(() => {
    calls = [];
    answers = {
      application_draft: () => draft,
      applications: () => [],
    };
    mockIPC(
      (cmd, args) => {
        calls.push({ cmd, args });
        const answer = answers[cmd];
        return answer ? answer(args) : null;
      },
      { shouldMockEvents: true },
    );
  });
  afterEach(resetPage);

  it("shows each material's limits, and a refused file's reason in its own row only", async () => {
    answers.application_pick_file = () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw tooLarge;
    };
    show();
    const row = await screen.findByTestId("material-business_license");
    expect(row.getAttribute("data-material-type")).toBe("business_license");
    expect(within(row).getByTestId("limits-business_license").textContent).toBe("PDF、JPG、PNG · 不超过 10.0 MB · 最多 1 份");
    expect(screen.getByTestId("limits-prevention_plan").textContent).toBe("PDF、DOCX · 不超过 20.0 MB · 最多 3 份");

    fireEvent.click(within(row).getByTestId("pick-business_license"));
    const refused = await within(row).findByTestId("file-error-business_license");
    expect(refused.textContent).toContain("超过“营业执照”的上限 10.0 MB");
    expect(refused.getAttribute("data-code")).toBe("FILE_TOO_LARGE");
    expect(calls.find((c) => c.cmd === "application_pick_file")?.args).toMatchObject({ enterprise: "ent-a", materialType: "business_license" });
    // Nothing else on the page speaks of it.
    expect(screen.queryByTestId("file-error-prevention_plan")).toBeNull();
    expect(screen.queryByTestId("error-alert")).toBeNull();
  });

  it("checks the application: errors apart from warnings, each leading to what it is about", async () => {
    const report: CheckReport = {
      errors: [{ code: "MATERIAL_MISSING", severity: "error", zh: "缺少必需材料：营业执照", en: "Missing: business license", target: "business_license" }],
      warnings: [
        { code: "ROSTER_TESTS_STALE", severity: "warning", zh: "名单中 3 人没有 3 天内的核酸检测记录", en: "3 people have no recent test", target: "roster" },
        { code: "NOT_SIGNED_IN", severity: "warning", zh: "当前未登录", en: "Not signed in", target: null },
      ],
    };
    answers.application_check = () => report;
    show();
    fireEvent.click(await screen.findByTestId("check-application"));
    const panel = await screen.findByTestId("check-report");
    const errors = within(panel).getAllByTestId("check-error");
    const warnings = within(panel).getAllByTestId("check-warning");
    expect(errors.map((e) => e.textContent)).toEqual([expect.stringContaining("缺少必需材料：营业执照")]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]?.textContent).toContain("没有 3 天内的核酸检测记录");
    expect(within(panel).queryByTestId("check-ok")).toBeNull();
    // The error about a material leads to its row; the warning without a target leads nowhere.
    expect(errors[0]?.getAttribute("data-target")).toBe("business_license");
    const scrolled = vi.fn();
    const row = screen.getByTestId("material-business_license");
    row.scrollIntoView = scrolled;
    fireEvent.click(within(errors[0] as HTMLElement).getByTestId("check-go"));
    expect(scrolled).toHaveBeenCalled();
    expect(within(warnings[1] as HTMLElement).queryByTestId("check-go")).toBeNull();

    // Submitting runs the same check and stops on its errors: nothing is sent.
    fireEvent.click(screen.getByTestId("submit-application"));
    await waitFor(() => {
      expect(calls.filter((c) => c.cmd === "application_check")).toHaveLength(2);
    });
    expect(calls.some((c) => c.cmd === "application_send")).toBe(false);
  });

  it("adds files dropped onto a row to that row's material, and says where to drop them otherwise", async () => {
    answers.application_add_dropped = () => [
      { name: "方案.docx", file: null, error: { code: "FILE_WRONG_TYPE", message_zh: "文件内容不是 PDF 或 DOCX。", message_en: "Not a PDF or DOCX." } },
    ];
    show();
    const row = await screen.findByTestId("material-prevention_plan");
    // jsdom lays nothing out: the point is over whatever the test says.
    let under: Element | null = within(row).getByTestId("limits-prevention_plan");
    document.elementFromPoint = () => under;

    await act(async () => {
      await emit("files-dragged", { phase: "over", x: 300, y: 200 });
    });
    expect(row.textContent).toContain("松开即添加到“疫情防控方案”");
    expect(screen.getByTestId("material-business_license").textContent).not.toContain("松开即添加");

    await act(async () => {
      await emit("files-dropped", { drop_id: 7, names: ["方案.docx"], x: 300, y: 200 });
    });
    await waitFor(() => {
      expect(calls.find((c) => c.cmd === "application_add_dropped")?.args).toEqual({ enterprise: "ent-a", materialType: "prevention_plan", dropId: 7 });
    });
    expect((await within(row).findByTestId("file-error-prevention_plan")).textContent).toContain("文件“方案.docx”：文件内容不是 PDF 或 DOCX。");
    expect(row.textContent).not.toContain("松开即添加");

    // Outside every row: nothing is added, and the officer is told where to drop.
    under = document.body;
    await act(async () => {
      await emit("files-dropped", { drop_id: 8, names: ["x.pdf"], x: 5, y: 5 });
    });
    expect(await screen.findByText("请把文件拖到对应材料的那一行上。")).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "application_add_dropped")).toHaveLength(1);
  });
});

describe("ContactFields", () => {
  afterEach(() => {
    vi.useRealTimers();
    cleanup();
    clearMocks();
  });

  it("saves the contact once typing pauses, and what was typed when the page goes", async () => {
    vi.useFakeTimers();
    const saved: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "application_save_fields") saved.push(args);
      return null;
    });
    const view = render(
      <App>
        <ContactFields enterprise="ent-a" initial={{ name: "王五", phone: "13900000000", note: "" }} rosterCount={3} />
      </App>,
    );
    fireEvent.change(screen.getByTestId("contact-name"), { target: { value: "王五六" } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SAVE_AFTER_MS - 1);
    });
    expect(saved).toEqual([]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1);
    });
    expect(saved).toEqual([{ enterprise: "ent-a", contactName: "王五六", contactPhone: "13900000000", note: "" }]);

    // Typing, then leaving at once: the last text is saved all the same.
    fireEvent.change(screen.getByTestId("application-note"), { target: { value: "夜班另行安排" } });
    view.unmount();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(saved).toHaveLength(2);
    expect(saved[1]).toMatchObject({ contactName: "王五六", note: "夜班另行安排" });
  });
});
