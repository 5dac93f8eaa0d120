import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { App as AntApp, Alert, Button, Card, Col, Descriptions, Form, Input, InputNumber, Radio, Row, Space, Spin, Tag, Typography } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import { DISTRICTS, INDUSTRY_DIVISIONS, INDUSTRY_SECTIONS } from "../../bindings";
import type { CompanyProfile_Deserialize as CompanyProfile, ErrorInfo, FieldProblem, ProfileView_Serialize as ProfileView, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { districtLabel } from "../../shared/places";
import { FormRadioGroup, FormSelect } from "../../shared/a11y";
import { useNavigate } from "../../shared/navigation";
import { useTopics } from "../../shared/useTopics";
import { messages } from "./messages";
import { said, saidError } from "../../shared/said";

/** The form's values: numbers may be empty while the officer types. */
type Values = Omit<CompanyProfile, "headcount" | "on_site" | "whitelist_batch"> & {
  headcount: number | null;
  on_site: number | null;
  whitelist_batch: string;
};

function toValues(p: CompanyProfile): Values {
  return {
    ...p,
    headcount: p.headcount > 0 ? p.headcount : null,
    on_site: p.headcount > 0 ? p.on_site : null,
    whitelist_batch: p.whitelist_batch ?? "",
    contacts: p.contacts.length > 0 ? p.contacts : [{ name: "", role: "", phone: "" }],
  };
}

/** The paths ("address", "contacts.0.phone") of the fields `changed` holds: antd gives a
 *  list's change as a sparse array of the rows that changed. */
function fieldPaths(changed: object, prefix = ""): string[] {
  return Object.entries(changed).flatMap(([k, v]: [string, unknown]) =>
    v !== null && typeof v === "object" ? fieldPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function valueAt(values: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), values);
}

function filled(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
}

function toProfile(v: Values): CompanyProfile {
  const batch = v.whitelist_batch.trim();
  return {
    address: v.address,
    district: v.district,
    industry_section: v.industry_section,
    industry_division: v.industry_division,
    headcount: v.headcount ?? 0,
    on_site: v.on_site ?? 0,
    contacts: v.contacts,
    risk_area: v.risk_area,
    dormitories: v.dormitories,
    whitelist_batch: batch === "" ? null : batch,
  };
}

/** 企业信息: the facts the self-check's conditions read, edited offline and synced. */
export default function ProfilePage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const enterprise = status.enterprise;
  const [view, setView] = useState<ProfileView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  // A field's problem shows once the officer has changed that field, when it holds a value
  // (a number another field made wrong), or after a save: typing the address does not mark
  // every empty field of the form red.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Values>();
  const section = Form.useWatch("industry_section", form);

  const showing = useRef(enterprise);
  showing.current = enterprise;
  const load = useCallback(() => {
    if (!enterprise) return;
    unwrap(commands.companyProfile(enterprise))
      .then((v) => {
        if (showing.current !== enterprise) return;
        setView((old) => {
          // The form is filled once; a later reload (a sync) must not undo what is typed.
          if (old === null) form.setFieldsValue(toValues(v.profile ?? v.suggested));
          return v;
        });
        setError(null);
      })
      .catch((e: unknown) => {
        if (showing.current === enterprise) setError(toErrorInfo(e));
      });
  }, [enterprise, form]);
  useEffect(load, [load]);
  useTopics(enterprise, ["self_check", "outbox"], load);

  const check = useCallback((values: Values) => {
    commands
      .checkCompanyProfile(toProfile(values))
      .then(setProblems)
      // The check only guides the form; saving checks again and reports properly.
      .catch(() => undefined);
  }, []);

  const byField = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of problems) if (!m.has(p.field)) m.set(p.field, locale === "zh-CN" ? p.zh : p.en);
    return m;
  }, [problems, locale]);
  // The form's values, read once per render, when a field first needs them (not for each of
  // the form's fields).
  let values: { read: unknown } | null = null;
  const shown = (field: string) => {
    if (submitted || touched.has(field)) return true;
    values ??= { read: form.getFieldsValue(true) };
    return filled(valueAt(values.read, field));
  };
  const help = (field: string) => {
    const text = shown(field) ? byField.get(field) : undefined;
    return text ? { validateStatus: "error" as const, help: <span data-testid={`problem-${field}`}>{text}</span> } : {};
  };

  const save = () => {
    if (!enterprise) return;
    const values = form.getFieldsValue(true) as Values;
    setSubmitted(true);
    check(values);
    setSaving(true);
    unwrap(commands.saveCompanyProfile(enterprise, toProfile(values)))
      .then(() => {
        void message.success(said(messages, "saved"));
        setProblems([]);
        load();
      })
      .catch((e: unknown) => {
        const info = toErrorInfo(e);
        if (info.code === "INVALID_PROFILE") void message.error(said(messages, "fixFields"));
        else void message.error(saidError(info));
      })
      .finally(() => {
        setSaving(false);
      });
  };

  const divisions = useMemo(() => {
    const s = INDUSTRY_SECTIONS.find((x) => x[0] === section);
    if (!s) return [];
    return INDUSTRY_DIVISIONS.filter(([code]) => {
      const n = Number(code);
      return n >= s[3] && n <= s[4];
    });
  }, [section]);

  if (!view) {
    return (
      <Card title={t("title")} data-testid="profile-page">
        <ErrorAlert error={error} />
        {!error && <Spin />}
      </Card>
    );
  }
  return (
    <Card
      title={t("title")}
      data-testid="profile-page"
      extra={
        view.saved_at !== null && (
          <Space>
            <Typography.Text type="secondary">
              {t("savedAt")} {dayjs.unix(view.saved_at).format("YYYY-MM-DD HH:mm")}
            </Typography.Text>
            {view.unsent ? <Tag color="orange" data-testid="profile-unsent">{t("unsent")}</Tag> : <Tag color="green" data-testid="profile-synced">{t("synced")}</Tag>}
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {view.profile === null && <Alert type="info" showIcon message={t("notYet")} style={{ marginBottom: 16 }} data-testid="profile-empty" />}
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t("name")}>{view.account.name}</Descriptions.Item>
        <Descriptions.Item label={t("creditCode")}>{view.account.credit_code}</Descriptions.Item>
      </Descriptions>
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Partial<Values>, all) => {
          setTouched((before) => new Set([...before, ...fieldPaths(changed)]));
          check(all);
        }}
        requiredMark
      >
        <Form.Item label={t("address")} name="address" required {...help("address")}>
          <Input placeholder={t("addressPlaceholder")} maxLength={200} data-testid="profile-address" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label={t("district")} name="district" required {...help("district")}>
              <FormSelect options={DISTRICTS.map((d) => ({ value: d, label: districtLabel(d, locale) }))} data-testid="profile-district" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t("industrySection")} name="industry_section" required tooltip={t("industryHint")} {...help("industry_section")}>
              <FormSelect
                showSearch
                optionFilterProp="label"
                options={INDUSTRY_SECTIONS.map(([code, zh, en]) => ({ value: code, label: `${code} ${locale === "zh-CN" ? zh : en}` }))}
                onChange={() => {
                  form.setFieldValue("industry_division", "");
                }}
                data-testid="profile-section"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t("industryDivision")} name="industry_division" required {...help("industry_division")}>
              <FormSelect showSearch optionFilterProp="label" options={divisions.map(([code, zh, en]) => ({ value: code, label: `${code} ${locale === "zh-CN" ? zh : en}` }))} data-testid="profile-division" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label={t("headcount")} name="headcount" required {...help("headcount")}>
              <InputNumber min={0} precision={0} suffix={t("people")} style={{ width: "100%" }} data-testid="profile-headcount" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t("onSite")} name="on_site" required tooltip={t("onSiteHint")} {...help("on_site")}>
              <InputNumber min={0} precision={0} suffix={t("people")} style={{ width: "100%" }} data-testid="profile-on-site" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t("whitelistBatch")} name="whitelist_batch" {...help("whitelist_batch")}>
              <Input placeholder={t("whitelistPlaceholder")} maxLength={40} data-testid="profile-batch" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t("riskArea")} name="risk_area" required>
              <FormRadioGroup data-testid="profile-risk" aria-label={t("riskArea")}>
                <Radio value="precaution" data-testid="risk-precaution">{t("riskPrecaution")}</Radio>
                <Radio value="controlled" data-testid="risk-controlled">{t("riskControlled")}</Radio>
                <Radio value="sealed" data-testid="risk-sealed">{t("riskSealed")}</Radio>
              </FormRadioGroup>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t("dormitories")} name="dormitories" required>
              <FormRadioGroup data-testid="profile-dorms" aria-label={t("dormitories")}>
                <Radio value={true} data-testid="dorms-yes">{t("yes")}</Radio>
                <Radio value={false} data-testid="dorms-no">{t("no")}</Radio>
              </FormRadioGroup>
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t("contacts")}</Typography.Title>
        {byField.get("contacts") && (submitted || [...touched].some((f) => f.startsWith("contacts."))) && <Alert type="error" showIcon message={byField.get("contacts")} style={{ marginBottom: 8 }} />}
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Row gutter={8} key={f.key} align="top">
                  <Col xs={24} md={7}>
                    <Form.Item label={t("contactName")} name={[f.name, "name"]} required {...help(`contacts.${String(f.name)}.name`)}>
                      <Input maxLength={40} data-testid={`contact-${String(f.name)}-name`} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={7}>
                    <Form.Item label={t("contactRole")} name={[f.name, "role"]} {...help(`contacts.${String(f.name)}.role`)}>
                      <Input maxLength={40} data-testid={`contact-${String(f.name)}-role`} />
                    </Form.Item>
                  </Col>
                  <Col xs={20} md={8}>
                    <Form.Item label={t("contactPhone")} name={[f.name, "phone"]} required {...help(`contacts.${String(f.name)}.phone`)}>
                      <Input maxLength={24} data-testid={`contact-${String(f.name)}-phone`} />
                    </Form.Item>
                  </Col>
                  <Col xs={4} md={2} style={{ paddingTop: 30 }}>
                    {fields.length > 1 && (
                      <Button
                        icon={<DeleteOutlined />}
                        title={t("removeContact")}
                        onClick={() => {
                          remove(f.name);
                        }}
                      />
                    )}
                  </Col>
                </Row>
              ))}
              {fields.length < 5 && (
                <div>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => {
                    add({ name: "", role: "", phone: "" });
                  }}
                  style={{ marginBottom: 16 }}
                >
                  {t("addContact")}
                </Button>
                </div>
              )}
            </>
          )}
        </Form.List>
        <Space>
          <Button type="primary" onClick={save} loading={saving} data-testid="profile-save">
            {t("save")}
          </Button>
          {view.profile !== null && (
            <Button
              onClick={() => {
                navigate("selfcheck");
              }}
              data-testid="profile-to-selfcheck"
            >
              {t("toSelfCheck")}
            </Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}
