import { useState } from "react";
import { Alert, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { commands, unwrap } from "../api";
import type { ErrorInfo, Revision_Deserialize, Revision_Serialize } from "../bindings";
import type { Revisable } from "./ParkedList";
import ErrorAlert from "./ErrorAlert";
import { toErrorInfo } from "../errors";
import { useI18n } from "../i18n";
import { DISTRICTS } from "../bindings";
import { appealCategoryKey, listingCategoryKey, listingKindKey } from "../labels";

/** The form's values: every field any kind of request has, dates as Dayjs. */
interface Values {
  category?: string;
  title?: string;
  description?: string;
  kind?: string;
  item?: string;
  quantity?: number | null;
  unit?: string;
  district?: string;
  valid_until?: Dayjs;
  contact_name?: string;
  contact_phone?: string;
  returning_staff?: number;
  note?: string | null;
  body?: string;
}

function initialValues(r: Revision_Serialize): Values {
  switch (r.kind) {
    case "appeal":
      return { ...r.appeal };
    case "listing":
      return { ...r.listing, valid_until: dayjs(r.listing.valid_until) };
    case "message":
      return { body: r.body };
    case "application":
      return {
        contact_name: r.application.contact_name,
        contact_phone: r.application.contact_phone,
        returning_staff: r.application.returning_staff,
        note: r.application.note,
      };
  }
}

/** The corrected request; what the form does not show is kept as it was. */
function revised(r: Revision_Serialize, v: Values): Revision_Deserialize {
  const note = v.note?.trim() ? v.note.trim() : null;
  switch (r.kind) {
    case "appeal":
      return {
        kind: "appeal",
        appeal: {
          ...r.appeal,
          category: v.category as typeof r.appeal.category,
          title: (v.title ?? "").trim(),
          description: (v.description ?? "").trim(),
        },
      };
    case "listing":
      return {
        kind: "listing",
        listing: {
          kind: v.kind as typeof r.listing.kind,
          category: v.category as typeof r.listing.category,
          item: (v.item ?? "").trim(),
          quantity: v.quantity ?? null,
          unit: (v.unit ?? "").trim(),
          district: v.district ?? "",
          valid_until: v.valid_until ? v.valid_until.format("YYYY-MM-DD") : "",
          contact_name: (v.contact_name ?? "").trim(),
          contact_phone: (v.contact_phone ?? "").trim(),
          note,
        },
      };
    case "message":
      return { kind: "message", body: (v.body ?? "").trim() };
    case "application":
      return {
        kind: "application",
        application: {
          ...r.application,
          contact_name: (v.contact_name ?? "").trim(),
          contact_phone: (v.contact_phone ?? "").trim(),
          returning_staff: v.returning_staff ?? 0,
          note,
        },
      };
  }
}

/**
 * Lets the officer correct what the service refused and send it again. Saving puts the
 * corrected request back in the queue; nothing is lost if the dialog is closed.
 */
export default function ReviseDialog({
  item,
  onClose,
  onSaved,
}: {
  item: Revisable;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const r = item.revision;
  const required = [{ required: true, whitespace: true, message: t("fieldRequired") }];
  const phone = [
    { required: true, message: t("fieldRequired") },
    { pattern: /^[0-9+\- ]{5,20}$/, message: t("phoneInvalid") },
  ];

  const save = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setSaving(true);
    setError(null);
    try {
      await unwrap(commands.reviseItem(item.id, revised(r, values)));
      onSaved();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setSaving(false);
    }
  };

  const options = <K extends string>(keys: Record<K, Parameters<typeof t>[0]>) =>
    (Object.keys(keys) as K[]).map((k) => ({ value: k, label: t(keys[k]) }));

  return (
    <Modal
      open
      title={t("reviseTitle")}
      okText={t("reviseSend")}
      cancelText={t("cancel")}
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
      <Form form={form} layout="vertical" initialValues={initialValues(r)} data-testid="revise-form">
        {r.kind === "appeal" && (
          <>
            <Form.Item name="category" label={t("fieldAppealCategory")} rules={required}>
              <Select options={options(appealCategoryKey)} />
            </Form.Item>
            <Form.Item name="title" label={t("fieldTitle")} rules={required}>
              <Input maxLength={100} data-testid="revise-title" />
            </Form.Item>
            <Form.Item name="description" label={t("fieldDescription")} rules={required}>
              <Input.TextArea rows={4} maxLength={2000} />
            </Form.Item>
            {r.appeal.attachments.length > 0 && (
              <Typography.Text type="secondary">
                {t("attachmentsKept")} {r.appeal.attachments.length}
              </Typography.Text>
            )}
          </>
        )}
        {r.kind === "listing" && (
          <>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="kind" label={t("fieldListingKind")} rules={required}>
                  <Select options={options(listingKindKey)} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="category" label={t("fieldListingCategory")} rules={required}>
                  <Select options={options(listingCategoryKey)} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="item" label={t("fieldItem")} rules={required}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item
                  name="quantity"
                  label={t("fieldQuantity")}
                  rules={[{ required: true, message: t("fieldRequired") }]}
                >
                  <InputNumber min={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item name="unit" label={t("fieldUnit")} rules={required}>
                  <Input maxLength={20} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="district" label={t("fieldDistrict")} rules={required}>
                  <Select options={DISTRICTS.map((d) => ({ value: d, label: d }))} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="valid_until"
                  label={t("fieldValidUntil")}
                  rules={[{ required: true, message: t("fieldRequired") }]}
                >
                  <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isBefore(dayjs(), "day")} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="contact_name" label={t("fieldContactName")} rules={required}>
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="contact_phone" label={t("fieldContactPhone")} rules={phone}>
                  <Input maxLength={20} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="note" label={t("fieldNote")}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        {r.kind === "message" && (
          <Form.Item name="body" label={t("fieldMessage")} rules={required}>
            <Input.TextArea rows={4} maxLength={2000} data-testid="revise-body" />
          </Form.Item>
        )}
        {r.kind === "application" && (
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
              rules={[{ required: true, message: t("fieldRequired") }]}
            >
              <InputNumber min={1} max={100000} precision={0} style={{ width: "100%" }} />
            </Form.Item>
            <Form.Item name="note" label={t("fieldNote")}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            <Typography.Text type="secondary">{t("applicationPartsKept")}</Typography.Text>
          </>
        )}
      </Form>
    </Modal>
  );
}
