import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import ReviseDialog from "../features/outbox/ReviseDialog";
import type { Revisable } from "../features/outbox/ParkedList";
import type { ReviseForm } from "../shared/revise";
import { ops } from "./features";
import { resetPage } from "../test/fixtures";

const stale = {
  kind: "supply",
  category: "supplies",
  item: "医用口罩",
  quantity: 5000,
  unit: "只",
  district: "闵行区",
  valid_until: "2099-01-31",
  contact_name: "赵六",
  contact_phone: "13700000000",
  note: null,
} as const;

const listing: Revisable = {
  id: "outbox:7",
  kind: "create_listing",
  record_id: "listing-1",
  reason_zh: "服务器拒绝了请求：有效期应为今天或之后的日期（YYYY-MM-DD）",
  reason_en: "The server refused the request: valid_until must be a date from today on",
  attempts: 1,
  draft: stale,
  holding: 0,
};

const message: Revisable = {
  id: "outbox:9",
  kind: "appeal_message",
  record_id: "appeal-1",
  reason_zh: "服务器拒绝了请求：留言内容不能为空",
  reason_en: "The server refused the request: body must not be empty",
  attempts: 1,
  draft: "  ",
  holding: 0,
};

let calls: { cmd: string; args: unknown }[] = [];
let answer: (cmd: string) => unknown = () => null;

async function show(item: Revisable) {
  const onSaved = vi.fn();
  const onClose = vi.fn();
  // The form of the feature the request belongs to, as the layout loads it.
  const load = ops[item.kind]?.revise;
  if (!load) throw new Error(`no form corrects ${item.kind}`);
  const form: ReviseForm = await load();
  render(
    <App>
      <ReviseDialog enterprise="91310112MA1GB8N439-demo" item={item} form={form} onSaved={onSaved} onClose={onClose} />
    </App>,
  );
  return { onSaved, onClose };
}

async function send() {
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: /保存并发送/ }));
    await new Promise((r) => setTimeout(r, 0));
  });
}

describe("ReviseDialog", () => {
  beforeEach(() => {
    calls = [];
    answer = () => null;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return answer(cmd);
    });
  });
  afterEach(resetPage);

  it("shows why it was refused and what was written, and sends the correction with the rest kept", async () => {
    const { onSaved } = await show(listing);
    expect(screen.getByText(/有效期应为今天或之后的日期/)).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>("物资名称").value).toBe("医用口罩");
    fireEvent.change(screen.getByLabelText("联系电话"), { target: { value: "021-64000000" } });
    fireEvent.change(screen.getByLabelText("备注"), { target: { value: " 可自提 " } });
    await send();
    await waitFor(() => {
      expect(onSaved).toHaveBeenCalled();
    });
    expect(calls).toEqual([
      {
        cmd: "revise_listing",
        args: {
          enterprise: "91310112MA1GB8N439-demo",
          id: "outbox:7",
          listing: { ...stale, contact_phone: "021-64000000", note: "可自提" },
        },
      },
    ]);
  });

  it("does not send a phone number that cannot be right", async () => {
    const { onSaved } = await show(listing);
    fireEvent.change(screen.getByLabelText("联系电话"), { target: { value: "请打电话" } });
    await send();
    expect(await screen.findByText("请填写 5 到 20 位电话号码")).toBeTruthy();
    expect(calls).toEqual([]);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("keeps the dialog open with the reason when saving fails", async () => {
    answer = () => {
      // A command error arrives as data, as the Rust side sends it.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw { code: "NOT_FOUND", message_zh: "找不到 outbox:9，可能已被撤回或删除。", message_en: "outbox:9 was not found." };
    };
    const { onSaved } = await show(message);
    // An empty message is not sent at all.
    await send();
    expect(await screen.findByText("此项必填")).toBeTruthy();
    expect(calls).toEqual([]);
    fireEvent.change(screen.getByTestId("revise-body"), { target: { value: "司机已完成核酸检测。" } });
    await send();
    const alert = await screen.findByTestId("error-alert");
    expect(alert.getAttribute("data-code")).toBe("NOT_FOUND");
    expect(alert.textContent).toContain("找不到 outbox:9");
    expect(calls[0]).toEqual({
      cmd: "revise_message",
      args: { enterprise: "91310112MA1GB8N439-demo", id: "outbox:9", body: "司机已完成核酸检测。" },
    });
    expect(onSaved).not.toHaveBeenCalled();
    expect(screen.getByTestId("revise-body")).toBeTruthy();
  });
});
