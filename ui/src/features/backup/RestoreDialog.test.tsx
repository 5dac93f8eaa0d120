import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import type { BackupInfo_Serialize as BackupInfo } from "../../bindings";
import RestoreDialog from "./RestoreDialog";
import { readingIn, resetPage } from "../../test/fixtures";
import { I18nContext } from "../../shared/i18n";

const info: BackupInfo = {
  file: {
    path: "/backups/quit-20261204-093012000Z.yqfbak",
    kind: "quit",
    created_at: "2026-12-04T09:30:12.000Z",
    size: 204800,
    files: false,
    enterprises: ["上海浦江精密机械有限公司", "上海申城物流有限公司"],
  },
  app_version: "0.1.0",
  current_service: { kind: "demo" },
  enterprises: [
    {
      id: "a",
      name: "上海浦江精密机械有限公司",
      credit_code: "91310000AAAAAAAAAA",
      service: { kind: "demo" },
      backup_changed_at: "2026-12-04T09:30:00Z",
      local_changed_at: null,
      state: "new",
    },
    {
      id: "b",
      name: "上海申城物流有限公司",
      credit_code: "91310000BBBBBBBBBB",
      service: { kind: "demo" },
      backup_changed_at: "2026-12-04T09:30:00Z",
      local_changed_at: "2026-12-04T10:00:00Z",
      state: "local_newer",
    },
  ],
};

/** The input of an antd Checkbox, whichever element its test id landed on. */
function checkbox(testId: string): HTMLInputElement {
  const el = screen.getByTestId(testId);
  return (el instanceof HTMLInputElement ? el : el.querySelector("input")) as HTMLInputElement;
}

describe("RestoreDialog", () => {
  afterEach(resetPage);

  it("never picks newer work here at first, and replaces it only once confirmed", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "backup_restore") {
        calls.push(args);
        return { restored: ["上海浦江精密机械有限公司", "上海申城物流有限公司"], safety_backup: "/backups/before-restore.yqfbak", other_service: null };
      }
      return null;
    }, { shouldMockEvents: true });
    const done: unknown[] = [];
    render(
      <App>
        <RestoreDialog info={info} onClose={() => undefined} onRestored={(o) => done.push(o)} />
      </App>,
    );
    expect(screen.getByTestId("restore-state-91310000BBBBBBBBBB").textContent).toBe("本机较新");
    expect(screen.getByText(/只含数据库/)).toBeTruthy();
    const newer = checkbox("restore-pick-91310000BBBBBBBBBB");
    const fresh = checkbox("restore-pick-91310000AAAAAAAAAA");
    expect(fresh.checked).toBe(true);
    expect(newer.checked).toBe(false);
    const ok = screen.getByTestId<HTMLButtonElement>("restore-confirm");
    expect(ok.disabled).toBe(false);

    fireEvent.click(newer);
    expect((screen.getByTestId<HTMLButtonElement>("restore-confirm")).disabled).toBe(true);
    fireEvent.click(checkbox("restore-confirm-newer"));
    expect((screen.getByTestId<HTMLButtonElement>("restore-confirm")).disabled).toBe(false);
    fireEvent.click(screen.getByTestId("restore-confirm"));
    await waitFor(() => {
      expect(done).toHaveLength(1);
    });
    expect(calls).toEqual([{ path: info.file.path, enterprises: ["a", "b"], confirmed: ["b"] }]);
  });

  it("confirms only the enterprises still chosen: one unticked after the confirmation is not replaced", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "backup_restore") {
        calls.push(args);
        return { restored: ["上海浦江精密机械有限公司"], safety_backup: null, other_service: null };
      }
      return null;
    }, { shouldMockEvents: true });
    render(
      <App>
        <RestoreDialog info={info} onClose={() => undefined} onRestored={() => undefined} />
      </App>,
    );
    fireEvent.click(checkbox("restore-pick-91310000BBBBBBBBBB"));
    fireEvent.click(checkbox("restore-confirm-newer"));
    fireEvent.click(checkbox("restore-pick-91310000BBBBBBBBBB"));
    expect(screen.queryByTestId("restore-confirm-newer")).toBeNull();
    // Ticked again, it must be confirmed again.
    fireEvent.click(checkbox("restore-pick-91310000BBBBBBBBBB"));
    expect(checkbox("restore-confirm-newer").checked).toBe(false);
    expect(screen.getByTestId("restore-confirm-newer").closest("label")?.textContent).toContain("上海申城物流有限公司");
    expect(screen.getByTestId<HTMLButtonElement>("restore-confirm").disabled).toBe(true);
    fireEvent.click(checkbox("restore-pick-91310000BBBBBBBBBB"));
    fireEvent.click(screen.getByTestId("restore-confirm"));
    await waitFor(() => {
      expect(calls).toEqual([{ path: info.file.path, enterprises: ["a"], confirmed: [] }]);
    });
  });

  it("asks before replacing work done here that a later backup was not made from", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "backup_restore") {
        calls.push(args);
        return { restored: ["上海申城物流有限公司"], safety_backup: "/backups/before-restore.yqfbak", other_service: null };
      }
      return null;
    }, { shouldMockEvents: true });
    const here = info.enterprises.find((e) => e.id === "b");
    if (!here) throw new Error("no enterprise b");
    const apart: BackupInfo = {
      ...info,
      enterprises: [{ ...here, backup_changed_at: "2026-12-04T11:00:00Z", state: "diverged" }],
    };
    render(
      <I18nContext.Provider value={readingIn("en-US")}>
        <App>
          <RestoreDialog info={apart} onClose={() => undefined} onRestored={() => undefined} />
        </App>
      </I18nContext.Provider>,
    );
    expect(screen.getByTestId("restore-state-91310000BBBBBBBBBB").textContent).toBe("Changed on both sides");
    expect(checkbox("restore-pick-91310000BBBBBBBBBB").checked).toBe(false);
    fireEvent.click(checkbox("restore-pick-91310000BBBBBBBBBB"));
    expect(screen.getByText(/the backup was not made from this work/)).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>("restore-confirm").disabled).toBe(true);
    fireEvent.click(checkbox("restore-confirm-newer"));
    fireEvent.click(screen.getByTestId("restore-confirm"));
    await waitFor(() => {
      expect(calls).toEqual([{ path: info.file.path, enterprises: ["b"], confirmed: ["b"] }]);
    });
  });

  it("after a restore that stopped part-way, shows why and what the backup now adds", async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      if (cmd === "backup_restore") {
        // Tauri rejects with the command's error value, as the core sends it.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw {
          code: "RESTORE_STOPPED",
          message_zh: "恢复没有全部完成：“上海浦江精密机械有限公司”未能恢复。已恢复“上海申城物流有限公司”。",
          message_en: "The restore did not finish.",
        };
      }
      if (cmd === "backup_info") {
        return {
          ...info,
          enterprises: info.enterprises.map((e) => (e.id === "b" ? { ...e, state: "same", local_changed_at: e.backup_changed_at } : e)),
        };
      }
      return null;
    }, { shouldMockEvents: true });
    let stopped = 0;
    render(
      <App>
        <RestoreDialog
          info={info}
          onClose={() => undefined}
          onRestored={() => undefined}
          onStopped={() => {
            stopped += 1;
          }}
        />
      </App>,
    );
    fireEvent.click(checkbox("restore-pick-91310000BBBBBBBBBB"));
    fireEvent.click(checkbox("restore-confirm-newer"));
    fireEvent.click(screen.getByTestId("restore-confirm"));
    await waitFor(() => {
      expect(screen.getByTestId("restore-state-91310000BBBBBBBBBB").textContent).toBe("与本机相同");
    });
    expect(screen.getByText(/已恢复“上海申城物流有限公司”/)).toBeTruthy();
    expect(stopped).toBe(1);
    expect(asked.filter((c) => c === "backup_info")).toHaveLength(1);
    // What is back is no longer picked; what is not stays picked, for the second try.
    await waitFor(() => {
      expect(checkbox("restore-pick-91310000BBBBBBBBBB").checked).toBe(false);
    });
    expect(checkbox("restore-pick-91310000AAAAAAAAAA").checked).toBe(true);
    expect(screen.queryByTestId("restore-confirm-newer")).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>("restore-confirm").disabled).toBe(false);
  });
});
