import { Col, DatePicker, Form, Input, InputNumber, Row } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { commands, unwrap } from "../../shared/api";
import { DISTRICTS, LIMITS } from "../../bindings";
import type { ListingCategory, ListingKind, NewListing_Serialize as NewListing } from "../../bindings";
import { useI18n, useMessages } from "../../shared/i18n";
import { districtLabel } from "../../shared/places";
import type { ReviseForm } from "../../shared/revise";
import { requiredText, requiredValue, phoneRules } from "../../shared/rules";
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
  valid_until?: Dayjs;
  contact_name?: string;
  contact_phone?: string;
  note?: string | null;
}

function Fields() {
  const t = useMessages(messages);
  const { t: shared, locale } = useI18n();
  const required = requiredText(shared);
  const phone = phoneRules(shared);
  const options = <K extends string>(keys: Record<K, keyof typeof messages>) =>
    (Object.keys(keys) as K[]).map((k) => ({ value: k, label: t(keys[k]) }));
  return (
    <>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="kind" label={t("fieldListingKind")} rules={required}>
            <FormSelect options={options(listingKindKey)} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="category" label={t("fieldListingCategory")} rules={required}>
            <FormSelect options={options(listingCategoryKey)} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="item" label={t("fieldItem")} rules={required}>
            <Input maxLength={LIMITS.listing_item} />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item name="quantity" label={t("fieldQuantity")} rules={requiredValue(shared)}>
            <InputNumber min={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={5}>
          <Form.Item name="unit" label={t("fieldUnit")} rules={required}>
            <Input maxLength={LIMITS.listing_unit} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="district" label={t("fieldDistrict")} rules={required}>
            <FormSelect options={DISTRICTS.map((d) => ({ value: d, label: districtLabel(d, locale) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="valid_until"
            label={t("fieldValidUntil")}
            rules={requiredValue(shared)}
          >
            <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isBefore(dayjs(), "day")} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="contact_name" label={t("fieldContactName")} rules={required}>
            <Input maxLength={LIMITS.contact_name} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="contact_phone" label={t("fieldContactPhone")} rules={phone}>
            <Input maxLength={20} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={t("fieldNote")}>
        <Input.TextArea rows={2} maxLength={LIMITS.listing_note} />
      </Form.Item>
    </>
  );
}

function fromValues(raw: Record<string, unknown>): NewListing {
  const v = raw as Values;
    const note = v.note?.trim() ? v.note.trim() : null;
    const listing: NewListing = {
      kind: v.kind ?? "supply",
      category: v.category ?? "supplies",
      item: (v.item ?? "").trim(),
      quantity: v.quantity ?? null,
      unit: (v.unit ?? "").trim(),
      district: v.district ?? "",
      valid_until: v.valid_until ? v.valid_until.format("YYYY-MM-DD") : "",
      contact_name: (v.contact_name ?? "").trim(),
      contact_phone: (v.contact_phone ?? "").trim(),
      note,
    };
  return listing;
}

const initialValues = (draft: unknown) => {
  const l = draft as NewListing;
  return { ...l, valid_until: dayjs(l.valid_until) };
};

/** Correcting a listing the service refused: every field can change. */
export const reviseListing: ReviseForm = {
  Fields,
  initialValues,
  send: async (enterprise, id, _draft, raw) => {
    await unwrap(commands.reviseListing(enterprise, id, fromValues(raw)));
  },
};

/** Correcting an edit of a listing the service refused. */
export const reviseListingUpdate: ReviseForm = {
  Fields,
  initialValues,
  send: async (enterprise, id, _draft, raw) => {
    await unwrap(commands.reviseListingUpdate(enterprise, id, fromValues(raw)));
  },
};
