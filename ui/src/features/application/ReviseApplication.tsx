import { Form, Input, InputNumber, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { NewApplication_Serialize as NewApplication } from "../../bindings";
import { useI18n, useMessages } from "../../shared/i18n";
import type { ReviseForm } from "../../shared/revise";
import { requiredText, requiredValue, phoneRules } from "../../shared/rules";
import { messages } from "./messages";

function Fields() {
  const t = useMessages(messages);
  const shared = useI18n().t;
  const required = requiredText(shared);
  const phone = phoneRules(shared);
  return (
    <>
      <Form.Item name="contact_name" label={t("fieldContactName")} rules={required}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="contact_phone" label={t("fieldContactPhone")} rules={phone}>
        <Input maxLength={20} />
      </Form.Item>
      <Form.Item
        name="returning_staff"
        label={t("fieldReturningStaff")}
        rules={requiredValue(shared)}
      >
        <InputNumber min={1} max={100000} precision={0} style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item name="note" label={t("fieldNote")}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Typography.Text type="secondary">{t("applicationPartsKept")}</Typography.Text>
    </>
  );
}

/** Correcting an application: contact, staff and note; self-check and materials stay. */
export const reviseApplication: ReviseForm = {
  Fields,
  initialValues: (draft) => {
    const a = draft as NewApplication;
    return {
      contact_name: a.contact_name,
      contact_phone: a.contact_phone,
      returning_staff: a.returning_staff,
      note: a.note,
    };
  },
  send: async (enterprise, id, draft, raw) => {
    const v = raw as { contact_name?: string; contact_phone?: string; returning_staff?: number; note?: string | null };
    const note = v.note?.trim() ? v.note.trim() : null;
    const application: NewApplication = {
      ...(draft as NewApplication),
      contact_name: (v.contact_name ?? "").trim(),
      contact_phone: (v.contact_phone ?? "").trim(),
      returning_staff: v.returning_staff ?? 0,
      note,
    };
    await unwrap(commands.reviseApplication(enterprise, id, application));
  },
};
