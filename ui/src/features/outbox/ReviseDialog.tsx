import { useState } from "react";
import { Alert, Form, Modal } from "antd";
import type { ErrorInfo } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import type { ReviseForm } from "../../shared/revise";
import type { Revisable } from "./ParkedList";
import { messages } from "./messages";

/**
 * Lets the officer correct what the service refused and send it again, with the form of
 * the feature the request belongs to. Saving puts the corrected request back in the queue;
 * nothing is lost if the dialog is closed.
 */
export default function ReviseDialog({
  enterprise,
  item,
  form: revise,
  onClose,
  onSaved,
}: {
  enterprise: string;
  item: Revisable;
  form: ReviseForm;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const shared = useI18n().t;
  const [form] = Form.useForm<Record<string, unknown>>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const { Fields } = revise;

  const save = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setSaving(true);
    setError(null);
    try {
      await revise.send(enterprise, item.id, item.draft, values);
      onSaved();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t("reviseTitle")}
      okText={t("reviseSend")}
      cancelText={shared("cancel")}
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      data-testid="revise-dialog"
    >
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        message={t("reviseReason")}
        description={locale === "zh-CN" ? item.reason_zh : item.reason_en}
      />
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={revise.initialValues(item.draft)} data-testid="revise-form">
        <Fields draft={item.draft} />
      </Form>
    </Modal>
  );
}
