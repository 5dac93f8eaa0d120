import { useCallback, useEffect, useRef, useState } from "react";
import { Card, Checkbox, Col, Empty, Input, Row, Select, Space, Spin, Tag, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import { DISTRICTS } from "../../bindings";
import type { ErrorInfo, ListingCard, ListingCategory, ListingKind } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { fill, labelled, useI18n, useMessages } from "../../shared/i18n";
import { districtLabel } from "../../shared/places";
import { useTopics } from "../../shared/useTopics";
import { listingCategoryKey, listingKindKey } from "./labels";
import { messages } from "./messages";

/** Every enterprise's listings as last synced (so offline too), filtered and searched here. */
export default function BrowsePanel({ enterprise, focusKey }: { enterprise: string; focusKey: string | null }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const [kind, setKind] = useState<ListingKind | null>(null);
  const [category, setCategory] = useState<ListingCategory | null>(null);
  const [district, setDistrict] = useState<string | null>(null);
  const [validOnly, setValidOnly] = useState(true);
  const [text, setText] = useState("");
  const [cards, setCards] = useState<ListingCard[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const asked = useRef(0);
  const load = useCallback(() => {
    const n = ++asked.current;
    const q = text.trim();
    unwrap(
      commands.listingsBrowse(enterprise, { kind, category, district, valid_only: validOnly, text: q === "" ? null : q }),
    )
      .then((c) => {
        if (n !== asked.current) return;
        setCards(c);
        setError(null);
      })
      .catch((e: unknown) => {
        if (n === asked.current) setError(toErrorInfo(e));
      });
  }, [enterprise, kind, category, district, validOnly, text]);
  useEffect(load, [load]);
  useTopics(enterprise, ["listings"], load);

  // An inbox entry about a listing scrolls it into view once it is on screen.
  useEffect(() => {
    if (!focusKey || !cards) return;
    document.querySelector(`[data-testid="listing-card"][data-key="${CSS.escape(focusKey)}"]`)?.scrollIntoView();
  }, [focusKey, cards]);

  const options = <K extends string>(keys: Record<K, keyof typeof messages>) =>
    (Object.keys(keys) as K[]).map((k) => ({ value: k, label: t(keys[k]) }));
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Select
          allowClear
          placeholder={t("filterKind")}
          aria-label={t("filterKind")}
          style={{ width: 170 }}
          value={kind}
          onChange={(v: ListingKind | undefined) => {
            setKind(v ?? null);
          }}
          options={options(listingKindKey)}
          data-testid="listing-filter-kind"
        />
        <Select
          allowClear
          placeholder={t("filterCategory")}
          aria-label={t("filterCategory")}
          style={{ width: 150 }}
          value={category}
          onChange={(v: ListingCategory | undefined) => {
            setCategory(v ?? null);
          }}
          options={options(listingCategoryKey)}
          data-testid="listing-filter-category"
        />
        <Select
          allowClear
          placeholder={t("filterDistrict")}
          aria-label={t("filterDistrict")}
          style={{ width: 170 }}
          value={district}
          onChange={(v: string | undefined) => {
            setDistrict(v ?? null);
          }}
          options={DISTRICTS.map((d) => ({ value: d, label: districtLabel(d, locale) }))}
          data-testid="listing-filter-district"
        />
        <Checkbox
          checked={validOnly}
          onChange={(e) => {
            setValidOnly(e.target.checked);
          }}
          data-testid="listing-filter-valid"
        >
          {t("filterValid")}
        </Checkbox>
        <Input.Search
          allowClear
          placeholder={t("search")}
          style={{ width: 280 }}
          onSearch={setText}
          data-testid="listing-search"
        />
      </Space>
      <ErrorAlert error={error} />
      {cards === null && !error ? (
        <Spin />
      ) : cards && cards.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("browseEmpty")} data-testid="listings-empty" />
      ) : (
        <Row gutter={[12, 12]}>
          {(cards ?? []).map((c) => {
            const l = c.listing;
            return (
              <Col key={c.key} xs={24} lg={12} xxl={8}>
                <Card
                  size="small"
                  data-testid="listing-card"
                  data-key={c.key}
                  data-kind={l.kind}
                  data-mine={String(l.mine)}
                  data-expired={String(c.expired)}
                  style={{ height: "100%", borderColor: c.key === focusKey ? "#722ed1" : undefined, opacity: c.expired ? 0.6 : 1 }}
                  title={
                    <Space size={4} wrap>
                      <Tag color={l.kind === "supply" ? "green" : "blue"}>{t(listingKindKey[l.kind])}</Tag>
                      <Tag>{t(listingCategoryKey[l.category])}</Tag>
                      {l.mine && <Tag color="gold">{t("mine")}</Tag>}
                      {c.expired && <Tag>{t("expired")}</Tag>}
                    </Space>
                  }
                >
                  <Space direction="vertical" size={2} style={{ width: "100%", minWidth: 0 }}>
                    <Typography.Text strong>{l.item}</Typography.Text>
                    <Typography.Text>
                      {l.quantity} {l.unit} · {districtLabel(l.district, locale)}
                    </Typography.Text>
                    <Typography.Text type="secondary">{l.enterprise_name}</Typography.Text>
                    <Typography.Text type="secondary">{fill(t("validUntil"), { date: l.valid_until })}</Typography.Text>
                    <Typography.Text type="secondary">
                      {labelled(locale, t("contact"))}
                      {l.contact_name} {l.contact_phone}
                    </Typography.Text>
                    {l.note && <Typography.Text type="secondary">{l.note}</Typography.Text>}
                  </Space>
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
    </Space>
  );
}
