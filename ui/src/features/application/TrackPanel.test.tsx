import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import ApplicationPage from "./ApplicationPage";
import type {
  ApplicationDraft_Serialize as Draft,
  ApplicationView_Serialize as ApplicationView,
} from "../../bindings";
import { resetPage, signedInStatus } from "../../test/fixtures";

const status = signedInStatus;

const notice = {
  receipt_no: "HZ-0042-R",
  issued_at: "2022-05-12T10:30:00+08:00",
  items: [
    { material_type: "business_license", text: "营业执照扫描件模糊，请重新上传。" },
    { material_type: null, text: "请在备注中说明夜班安排。" },
  ],
};

const draft: Draft = {
  record_id: null,
  round: 1,
  contact_name: "王五",
  contact_phone: "13900000000",
  note: "",
  slots: [],
  orphans: [],
  roster_count: 0,
  forms: [],
  correction: null,
  gate: { open: true, lock: null, reason_zh: null, reason_en: null, run_id: "run-1", template_id: "tpl" },
  rules_synced: true,
};

const step = (to: "submitted" | "accepted" | "returned", receipt: string) => ({
  from: null,
  to,
  at: "2022-05-12T10:30:00+08:00",
  actor: "审核员",
  receipt_no: receipt,
  note: null,
});

const returned: ApplicationView = {
  record_id: "app-1",
  delivery: "delivered",
  server: {
    id: "srv-1",
    credit_code: "91310112MA1GB8N439",
    enterprise_name: "示例公司",
    state: "returned",
    contact_name: "王五",
    contact_phone: "13900000000",
    returning_staff: 3,
    selfcheck: { template_id: "tpl", template_version: 2, answers: [] },
    materials: [],
    note: null,
    correction: notice,
    certificate_no: null,
    reasons: [],
    timeline: [step("submitted", "HZ-0042"), step("accepted", "HZ-0042-A"), step("returned", "HZ-0042-R")],
    updated_at: "2022-05-12T10:30:00+08:00",
    profile: null,
    package_sha256: null,
  },
  rounds: [],
  uploads: [],
  correcting: false,
};

let calls: string[] = [];

describe("ApplicationPage, tracking", () => {
  beforeEach(() => {
    calls = [];
    mockIPC(
      (cmd) => {
        calls.push(cmd);
        if (cmd === "application_draft") return draft;
        if (cmd === "applications") return [returned];
        if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
        if (cmd === "application_start_correction") return { ...draft, record_id: "app-1", round: 2, correction: notice };
        return null;
      },
      { shouldMockEvents: true },
    );
  });
  afterEach(resetPage);

  it("opens on what was sent, with its state, steps and notice, and starts the correction in Prepare", async () => {
    render(
      <App>
        <ApplicationPage status={status} />
      </App>,
    );
    // Nothing being prepared and an application sent: the page opens on Track, its badge counting the return.
    const card = await screen.findByTestId("application-app-1");
    expect(screen.getByTestId("tab-track").textContent).toContain("1");
    const state = within(card).getByTestId("app-state");
    expect(state.getAttribute("data-state")).toBe("returned");
    expect(state.textContent).toBe("退回补正");
    expect(within(card).getAllByTestId("timeline-step").map((s) => s.getAttribute("data-state"))).toEqual(["submitted", "accepted", "returned"]);
    const correction = within(card).getByTestId("track-correction");
    expect(correction.textContent).toContain("HZ-0042-R");
    expect(within(correction).getAllByTestId("track-correction-item")).toHaveLength(2);
    await waitFor(() => {
      expect(screen.getByTestId("notify-switch").getAttribute("aria-checked")).toBe("true");
    });

    fireEvent.click(within(card).getByTestId("start-correction"));
    const banner = await screen.findByTestId("correction-banner");
    expect(within(banner).getAllByTestId("correction-item").map((i) => i.textContent)).toEqual([
      "营业执照扫描件模糊，请重新上传。",
      "请在备注中说明夜班安排。",
    ]);
    expect(screen.getByTestId("submit-application").textContent).toContain("提交补正");
    expect(calls).toContain("application_start_correction");
  });
});

const parked: ApplicationView = {
  record_id: "app-2",
  delivery: "parked",
  server: null,
  rounds: [],
  uploads: [{ local_id: "upl-1", filename: "分区图.pdf", sent: 0, total: 4096, parked: true }],
  correcting: false,
};

describe("ApplicationPage, an application the service refused a file of", () => {
  let reopened = false;
  beforeEach(() => {
    calls = [];
    reopened = false;
    mockIPC(
      (cmd) => {
        calls.push(cmd);
        if (cmd === "application_draft") return reopened ? { ...draft, slots: [] } : draft;
        if (cmd === "applications") return reopened ? [] : [parked];
        if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
        if (cmd === "application_reopen") {
          reopened = true;
          return draft;
        }
        return null;
      },
      { shouldMockEvents: true },
    );
  });
  afterEach(resetPage);

  it("is taken back to Prepare only after the officer confirms", async () => {
    render(
      <App>
        <ApplicationPage status={status} />
      </App>,
    );
    const card = await screen.findByTestId("application-app-2");
    expect(within(card).getByTestId("app-delivery").getAttribute("data-delivery")).toBe("parked");
    expect(screen.queryByTestId("prepare")).toBeNull();
    fireEvent.click(within(card).getByTestId("reopen-application"));
    expect(calls).not.toContain("application_reopen");
    fireEvent.click(await screen.findByTestId("reopen-confirm"));
    await screen.findByTestId("prepare");
    expect(calls).toContain("application_reopen");
  });
});
