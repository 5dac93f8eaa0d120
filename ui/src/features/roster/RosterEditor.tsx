import { useEffect, useState } from "react";
import { App as AntApp, Button, Col, DatePicker, Form, Input, Modal, Row } from "antd";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, RowProblem, StaffEntry_Serialize as StaffEntry } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { requiredText } from "../../shared/rules";
import { problemsByField } from "./format";
import type { Field } from "./format";
import { messages } from "./messages";
import { FormSelect } from "../../shared/a11y";
import { said } from "../../shared/said";

/** What the editor opens on: a new person, someone on the roster, or a refused row. */
export interface EditorTarget {
  /** The ID number of the person edited; null for a new one. */
  original: string | null;
  initial: Partial<StaffEntry>;
  /** The file row being fixed, for the title. */
  line?: number;
}

interface Values {
  name: string;
  id_number: string;
  phone: string;
  department: string;
  dormitory: string;
  test_result: "negative" | "positive" | "none";
  test_date: dayjs.Dayjs | null;
}

function toValues(e: Partial<StaffEntry>): Values {
  const date = e.test_date ? dayjs(e.test_date) : null;
  return {
    name: e.name ?? "",
    id_number: e.id_number ?? "",
    phone: e.phone ?? "",
    department: e.department ?? "",
    dormitory: e.dormitory ?? "",
    test_result: e.test_result === "positive" || e.test_result === "negative" ? e.test_result : "none",
    test_date: date?.isValid() ? date : null,
  };
}

function toEntry(v: Values): StaffEntry {
  return {
    name: v.name.trim(),
    id_number: v.id_number.trim(),
    phone: v.phone.trim(),
    department: v.department.trim(),
    dormitory: v.dormitory.trim(),
    test_result: v.test_result === "none" ? null : v.test_result,
    test_date: v.test_date ? v.test_date.format("YYYY-MM-DD") : null,
  };
}

/**
 * Adds or changes one person. Only required fields are checked here: the core checks the
 * rest (ID checksum, phone, dates) and its message lists every problem at once.
 */
export default function RosterEditor({
  enterprise,
  target,
  onSaved,
  onClose,
}: {
  enterprise: string;
  target: EditorTarget | null;
  onSaved: (target: EditorTarget, saved: StaffEntry) => void;
  onClose: () => void;
}) {
  const t = useMessages(messages);
  const { t: shared, locale } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [saving, setSaving] = useState(false);

  // Each opening starts clean; the form itself remounts (destroyOnHidden) on its initial values.
  useEffect(() => {
    setError(null);
    setProblems([]);
  }, [target]);

  const byField = problemsByField(problems, locale);
  const help = (f: Field) => {
    const list = byField[f];
    if (!list) return {};
    return {
      validateStatus: "error" as const,
      help: <span data-testid={`roster-problem-${f}`}>{list.join(locale === "zh-CN" ? "；" : "; ")}</span>,
    };
  };

  const save = async () => {
    if (!target) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      // Every field checked by the core first, so each problem shows under its own field.
      const found = await commands.rosterCheckRow(toEntry(values));
      setProblems(found);
      if (found.length > 0) {
        setError(null);
        return;
      }
      const saved = await unwrap(commands.rosterSaveRow(enterprise, target.original, toEntry(values)));
      void message.success(said(messages, "saved"));
      onSaved(target, saved);
      onClose();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setSaving(false);
    }
  };

  const title = target?.line !== undefined ? fill(t("editorFix"), { line: target.line }) : target?.original ? t("editorEdit") : t("editorAdd");
  const required = requiredText(shared);
  return (
    <Modal
      open={target !== null}
      title={title}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {shared("cancel")}
        </Button>,
        <Button key="save" type="primary" loading={saving} onClick={() => void save()} data-testid="roster-save">
          {t("save")}
        </Button>,
      ]}
    >
      <div data-testid="roster-editor">
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" initialValues={toValues(target?.initial ?? {})} requiredMark>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="name" label={t("fieldName")} rules={required} {...help("name")}>
                <Input maxLength={40} data-testid="roster-field-name" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="phone" label={t("fieldPhone")} rules={required} {...help("phone")}>
                <Input maxLength={24} data-testid="roster-field-phone" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="id_number" label={t("fieldId")} tooltip={t("fieldIdHint")} rules={required} {...help("id_number")}>
            <Input maxLength={24} style={{ fontFamily: "monospace" }} data-testid="roster-field-id" />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="department" label={t("fieldDepartment")} {...help("department")}>
                <Input maxLength={60} data-testid="roster-field-department" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="dormitory" label={t("fieldDormitory")} tooltip={t("fieldDormitoryHint")} {...help("dormitory")}>
                <Input maxLength={60} data-testid="roster-field-dormitory" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="test_result" label={t("fieldTestResult")} {...help("test_result")}>
                <FormSelect
                  data-testid="roster-field-test-result"
                  options={[
                    { value: "negative", label: t("negative") },
                    { value: "positive", label: t("positive") },
                    { value: "none", label: t("untested") },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="test_date" label={t("fieldTestDate")} {...help("test_date")}>
                <DatePicker format="YYYY-MM-DD" style={{ width: "100%" }} data-testid="roster-field-test-date" />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </div>
    </Modal>
  );
}
