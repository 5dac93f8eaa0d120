import { Form, Input, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import { LIMITS } from "../../bindings";
import type { AppealCategory, NewAppeal } from "../../bindings";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import type { ReviseForm } from "../../shared/revise";
import { requiredText } from "../../shared/rules";
import { appealCategoryKey } from "./labels";
import { messages } from "./messages";
import { FormSelect } from "../../shared/a11y";

function AppealFields({ draft }: { draft: unknown }) {
  const t = useMessages(messages);
  const shared = useI18n().t;
  const required = requiredText(shared);
  const appeal = draft as NewAppeal;
  const options = (Object.keys(appealCategoryKey) as AppealCategory[]).map((k) => ({
    value: k,
    label: t(appealCategoryKey[k]),
  }));
  return (
    <>
      <Form.Item name="category" label={t("fieldAppealCategory")} rules={required}>
        <FormSelect options={options} />
      </Form.Item>
      <Form.Item name="title" label={t("fieldTitle")} rules={required}>
        <Input maxLength={LIMITS.appeal_title} data-testid="revise-title" />
      </Form.Item>
      <Form.Item name="description" label={t("fieldDescription")} rules={required}>
        <Input.TextArea rows={4} maxLength={LIMITS.appeal_description} />
      </Form.Item>
      {appeal.attachments.length > 0 && (
        <Typography.Text type="secondary">
          {fill(t("attachmentsKept"), { n: appeal.attachments.length })}
        </Typography.Text>
      )}
    </>
  );
}

/** Correcting an appeal: its text and category; its attachments stay as they were. */
export const reviseAppeal: ReviseForm = {
  Fields: AppealFields,
  initialValues: (draft) => ({ ...(draft as NewAppeal) }),
  send: async (enterprise, id, draft, raw) => {
    const v = raw as { category?: AppealCategory; title?: string; description?: string };
    const old = draft as NewAppeal;
    const appeal: NewAppeal = {
      ...old,
      category: v.category ?? old.category,
      title: (v.title ?? "").trim(),
      description: (v.description ?? "").trim(),
    };
    await unwrap(commands.reviseAppeal(enterprise, id, appeal));
  },
};

function MessageFields() {
  const t = useMessages(messages);
  const shared = useI18n().t;
  return (
    <Form.Item
      name="body"
      label={t("fieldMessage")}
      rules={requiredText(shared)}
    >
      <Input.TextArea rows={4} maxLength={LIMITS.message} data-testid="revise-body" />
    </Form.Item>
  );
}

/** Correcting a follow-up message on an appeal. */
export const reviseMessage: ReviseForm = {
  Fields: MessageFields,
  initialValues: (draft) => ({ body: typeof draft === "string" ? draft : "" }),
  send: async (enterprise, id, _draft, raw) => {
    const body = (typeof raw.body === "string" ? raw.body : "").trim();
    await unwrap(commands.reviseMessage(enterprise, id, body));
  },
};
