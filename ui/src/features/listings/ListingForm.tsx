import { useEffect, useState } from "react";
import { Button, Col, DatePicker, Form, Input, InputNumber, Row, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { commands, unwrap } from "../../shared/api";
import { DISTRICTS, LIMITS } from "../../bindings";
import type { ErrorInfo, ListingCategory, ListingKind, NewListing_Serialize as NewListing } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { pick, useI18n, useMessages } from "../../shared/i18n";
import { districtLabel } from "../../shared/places";
import { listingCategoryKey, listingKindKey } from "./labels";
import { messages } from "./messages";
import { FormSelect } from "../../shared/a11y";

interface Values {
  kind?: ListingKind;
  category?: ListingCategory;
  item?: string;
  quantity?: number | null;
  unit?: string;
  district?: string;
  valid_until?: Dayjs | null;
  contact_name?: string;
  contact_phone?: string;
  note?: string;
}

function toListing(v: Values): NewListing {
  const note = (v.note ?? "").trim();
  return {
    kind: v.kind ?? "supply",
    category: v.category ?? "supplies",
    item: (v.item ?? "").trim(),
    quantity: v.quantity ?? 0,
    unit: (v.unit ?? "").trim(),
    district: v.district ?? "",
    valid_until: v.valid_until ? v.valid_until.format("YYYY-MM-DD") : "",
    contact_name: (v.contact_name ?? "").trim(),
    contact_phone: (v.contact_phone ?? "").trim(),
    note: note === "" ? null : note,
  };
}

/**
 * A listing to post, or one of ours to edit (its kind stays). The core checks it against the
 * protocol's limits (listing_check) and each problem shows under its field.
 */
export default function ListingForm({
  enterprise,
  editing,
  initial,
  onDone,
}: {
  enterprise: string;
  /** The key of the listing edited, or null for a new one. */
  editing: string | null;
  initial: Partial<NewListing> | null;
  onDone: () => void;
}) {
  const t = useMessages(messages);
  const { locale, t: shared } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // The last check's findings, kept as the core gave them and put under their fields in the
  // language on screen, again after a switch.
  const [checked, setChecked] = useState<{
    fields: (keyof Values)[];
    problems: Awaited<ReturnType<typeof commands.listingCheck>>;
    unchosen: (keyof Values)[];
  } | null>(null);
  useEffect(() => {
    if (!checked) return;
    form.setFields(
      checked.fields.map((name) => ({
        name,
        errors: [
          ...(checked.unchosen.includes(name) ? [shared("fieldRequired")] : []),
          ...checked.problems.filter((p) => p.field === name).map((p) => pick(locale, p)),
        ],
      })),
    );
  }, [checked, form, locale, shared]);
  const options = <K extends string>(keys: Record<K, keyof typeof messages>) =>
    (Object.keys(keys) as K[]).map((k) => ({ value: k, label: t(keys[k]) }));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const values = form.getFieldsValue();
      const listing = toListing(values);
      const problems = await commands.listingCheck(listing);
      // A choice left empty has no value the core could judge: it is named here.
      const unchosen = (["kind", "category"] as const).filter((k) => values[k] === undefined);
      setChecked({ fields: Object.keys(values) as (keyof Values)[], problems, unchosen });
      if (problems.length > 0 || unchosen.length > 0) return;
      if (editing) await unwrap(commands.listingUpdate(enterprise, editing, listing));
      else await unwrap(commands.listingCreate(enterprise, listing));
      onDone();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  const start: Values = {
    kind: initial?.kind ?? "demand",
    category: initial?.category,
    item: initial?.item ?? "",
    quantity: initial?.quantity ?? null,
    unit: initial?.unit ?? "",
    district: initial?.district,
    valid_until: initial?.valid_until ? dayjs(initial.valid_until) : dayjs().add(14, "day"),
    contact_name: initial?.contact_name ?? "",
    contact_phone: initial?.contact_phone ?? "",
    note: initial?.note ?? "",
  };
  const half = { xs: 24, sm: 12 };
  return (
    <Form form={form} layout="vertical" initialValues={start} data-testid="listing-form">
      <Row gutter={16}>
        <Col {...half}>
          <Form.Item name="kind" label={t("fieldListingKind")} required>
            <FormSelect options={options(listingKindKey)} disabled={editing !== null} data-testid="listing-kind" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="category" label={t("fieldListingCategory")} required>
            <FormSelect options={options(listingCategoryKey)} data-testid="listing-category" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="item" label={t("fieldItem")} required>
        <Input count={{ show: true, max: LIMITS.listing_item }} data-testid="listing-item" />
      </Form.Item>
      <Row gutter={16}>
        <Col {...half}>
          <Form.Item name="quantity" label={t("fieldQuantity")} required>
            <InputNumber min={0} style={{ width: "100%" }} data-testid="listing-quantity" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="unit" label={t("fieldUnit")} required>
            <Input maxLength={LIMITS.listing_unit} data-testid="listing-unit" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col {...half}>
          <Form.Item name="district" label={t("fieldDistrict")} required>
            <FormSelect
              options={DISTRICTS.map((d) => ({ value: d, label: districtLabel(d, locale) }))}
              data-testid="listing-district"
            />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="valid_until" label={t("fieldValidUntil")} required>
            <DatePicker style={{ width: "100%" }} data-testid="listing-valid-until" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col {...half}>
          <Form.Item name="contact_name" label={t("fieldContactName")} required>
            <Input maxLength={LIMITS.contact_name} data-testid="listing-contact-name" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="contact_phone" label={t("fieldContactPhone")} required>
            <Input maxLength={20} data-testid="listing-contact-phone" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={t("fieldNote")}>
        <Input.TextArea rows={2} maxLength={LIMITS.listing_note} showCount data-testid="listing-note" />
      </Form.Item>
      <ErrorAlert error={error} />
      <Space>
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="listing-submit">
          {t("submit")}
        </Button>
        <Button onClick={onDone} data-testid="listing-cancel">
          {shared("cancel")}
        </Button>
      </Space>
    </Form>
  );
}
