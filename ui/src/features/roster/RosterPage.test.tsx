import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import RosterPage from "./RosterPage";
import type { RosterView_Serialize as RosterView } from "../../bindings";
import { resetPage, signedInStatus } from "../../test/fixtures";

const status = signedInStatus;

const person = {
  name: "张三",
  id_number: "110101199003074514",
  phone: "13800138000",
  department: "生产部",
  dormitory: "",
  test_result: "negative",
  test_date: "2022-05-03",
};

let view: RosterView;
let calls: { cmd: string; args: unknown }[] = [];
let saveRow: () => unknown = () => person;
let checkRow: () => unknown = () => [];

function show() {
  return render(
    <App>
      <RosterPage status={status} />
    </App>,
  );
}

describe("RosterPage", () => {
  beforeEach(() => {
    calls = [];
    mockIPC(
      (cmd, args) => {
        calls.push({ cmd, args });
        if (cmd === "roster") return view;
        if (cmd === "roster_save_row") return saveRow();
        if (cmd === "roster_check_row") return checkRow();
        return null;
      },
      { shouldMockEvents: true },
    );
  });
  afterEach(resetPage);

  it("shows the last import: how many came in, and each refused row with every reason, to fix and add", async () => {
    view = {
      rows: [person],
      last_import: {
        file_name: "返岗名单.csv",
        format: "csv",
        encoding: "GBK",
        added: 1,
        rejected: [
          {
            line: 5,
            // In the file's order, not the editor's: phone first, then name, then the ID.
            cells: ["139 0013 9000", "李四", "11010119900307451", "质检部"],
            problems: [
              { field: "id_number", code: "ID_LENGTH", zh: "身份证号应为 18 位，这里是 17 位", en: "an ID number has 18 characters, this one has 17" },
              { field: "test_date", code: "DATE_FUTURE", zh: "核酸日期 2099-01-01 晚于今天（2022-05-10），请核对", en: "the test date 2099-01-01 is after today" },
            ],
          },
          {
            line: 9,
            cells: ["王五", "110101199003074514", "13700000000"],
            problems: [{ field: "id_number", code: "DUPLICATE", zh: "与第 2 行身份证号重复，请删去其中一行", en: "same ID as row 2" }],
          },
        ],
      },
    };
    show();
    const report = await screen.findByTestId("roster-import-report");
    expect(report.textContent).toContain("返岗名单.csv");
    expect(report.textContent).toContain("CSV · GBK");
    expect(within(report).getByTestId("roster-imported").textContent).toBe("1");
    expect(screen.getByTestId("roster-count").textContent).toBe("1");

    const rejected = within(report).getByTestId("roster-rejected");
    const row5 = within(rejected).getByTestId("roster-rejected-5");
    expect(row5.textContent).toContain("第 5 行");
    expect(row5.textContent).toContain("李四");
    // Every reason of the row, not only the first.
    expect(row5.textContent).toContain("身份证号应为 18 位，这里是 17 位");
    expect(row5.textContent).toContain("核酸日期 2099-01-01 晚于今天");
    expect(within(rejected).getByTestId("roster-rejected-9").textContent).toContain("与第 2 行身份证号重复");

    // Fixing a row opens the editor on what the cells look like, wherever their columns were.
    fireEvent.click(screen.getByTestId("roster-fix-5"));
    const editor = await screen.findByTestId("roster-editor");
    expect(within(editor).getByTestId<HTMLInputElement>("roster-field-name").value).toBe("李四");
    expect(within(editor).getByTestId<HTMLInputElement>("roster-field-id").value).toBe("11010119900307451");
    expect(within(editor).getByTestId<HTMLInputElement>("roster-field-phone").value).toBe("139 0013 9000");
  });

  it("shows each of the core's problems under its field and saves nothing", async () => {
    view = { rows: [], last_import: null };
    checkRow = () => [
      { field: "id_number", code: "ID_CHECKSUM", zh: "身份证号的校验位不对：应为 4", en: "The ID's check digit is wrong" },
      { field: "phone", code: "PHONE_FORMAT", zh: "联系电话“12345”不是有效号码", en: "'12345' is not a phone number" },
    ];
    show();
    await screen.findByTestId("roster-empty");
    fireEvent.click(screen.getByTestId("roster-add"));
    const editor = await screen.findByTestId("roster-editor");
    fireEvent.change(within(editor).getByTestId("roster-field-name"), { target: { value: "赵六" } });
    fireEvent.change(within(editor).getByTestId("roster-field-id"), { target: { value: "110101199003074515" } });
    fireEvent.change(within(editor).getByTestId("roster-field-phone"), { target: { value: "12345" } });
    fireEvent.click(screen.getByTestId("roster-save"));

    await waitFor(() => { expect(calls.some((c) => c.cmd === "roster_check_row")).toBe(true); });
    expect((await within(editor).findByTestId("roster-problem-id_number", {}, { timeout: 5000 })).textContent).toContain("校验位不对");
    expect(within(editor).getByTestId("roster-problem-phone").textContent).toContain("不是有效号码");
    expect(within(editor).queryByTestId("roster-problem-name")).toBeNull();
    // What was typed is kept for the fix; it was checked as typed, and not saved.
    expect(within(editor).getByTestId<HTMLInputElement>("roster-field-id").value).toBe("110101199003074515");
    const checked = calls.find((c) => c.cmd === "roster_check_row");
    expect(checked?.args).toMatchObject({ entry: { name: "赵六", phone: "12345", test_result: null, test_date: null } });
    expect(calls.some((c) => c.cmd === "roster_save_row")).toBe(false);
  });

  it("keeps the editor open with the core's refusal when saving fails", async () => {
    view = { rows: [], last_import: null };
    checkRow = () => [];
    saveRow = () => {
      // A command error arrives as data, as the Rust side sends it.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw {
        code: "INVALID_ROSTER_ROW",
        message_zh: "该行有误，未保存：身份证号 110101199003074514 已在名单中，不能重复录入。",
        message_en: "The row has errors and was not saved: ID number 110101199003074514 is already in the roster.",
      };
    };
    show();
    await screen.findByTestId("roster-empty");
    fireEvent.click(screen.getByTestId("roster-add"));
    const editor = await screen.findByTestId("roster-editor");
    fireEvent.change(within(editor).getByTestId("roster-field-name"), { target: { value: "张三" } });
    fireEvent.change(within(editor).getByTestId("roster-field-id"), { target: { value: "110101199003074514" } });
    fireEvent.change(within(editor).getByTestId("roster-field-phone"), { target: { value: "13800138000" } });
    fireEvent.click(screen.getByTestId("roster-save"));
    const alert = await within(editor).findByTestId("error-alert");
    expect(alert.textContent).toContain("已在名单中");
    await waitFor(() => {
      expect(screen.getByTestId("roster-editor")).toBeTruthy();
    });
  });
});
