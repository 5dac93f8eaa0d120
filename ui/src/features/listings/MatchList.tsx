import { List, Space, Tag, Typography } from "antd";
import type { ListingMatch, MatchReason } from "../../bindings";
import { fill, labelled, listed, useI18n, useMessages } from "../../shared/i18n";
import { districtLabel } from "../../shared/places";
import { listingCategoryKey } from "./labels";
import { messages } from "./messages";

function ReasonTag({ r }: { r: MatchReason }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  let text: string;
  switch (r.kind) {
    case "category":
      text = fill(t("reasonCategory"), { category: t(listingCategoryKey[r.category]) });
      break;
    case "item":
      text = fill(t("reasonItem"), { shared: listed(locale, r.shared) });
      break;
    case "district":
      text = fill(t("reasonDistrict"), { district: districtLabel(r.district, locale) });
      break;
    case "quantity":
      text = fill(t(r.covers ? "reasonQuantityCovers" : "reasonQuantityShort"), {
        needed: r.needed ?? 0,
        offered: r.offered ?? 0,
        unit: r.unit,
      });
      break;
    case "dates":
      text = fill(t("reasonDates"), { until: r.until });
      break;
  }
  return (
    <Tag data-testid="match-reason" data-reason={r.kind} style={{ whiteSpace: "normal" }}>
      {text}
    </Tag>
  );
}

/** The other side's listings that fit one of ours, best first, with why and whom to call. */
export default function MatchList({ matches }: { matches: ListingMatch[] }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  return (
    <List
      size="small"
      header={<Typography.Text strong>{t("matches")}</Typography.Text>}
      dataSource={matches}
      locale={{ emptyText: t("noMatches") }}
      renderItem={(m) => (
        <List.Item data-testid="listing-match" data-score={m.score ?? 0}>
          <Space direction="vertical" size={2} style={{ minWidth: 0, width: "100%" }}>
            <Space wrap size={4}>
              <Typography.Text strong data-testid="match-enterprise">
                {m.listing.enterprise_name}
              </Typography.Text>
              <Tag color="purple">{fill(t("score"), { n: Math.round((m.score ?? 0) * 100) })}</Tag>
            </Space>
            <Typography.Text data-testid="match-item">
              {m.listing.item} · {m.listing.quantity} {m.listing.unit} · {districtLabel(m.listing.district, locale)}
            </Typography.Text>
            <Space wrap size={4}>
              {(m.reasons ?? []).map((r, i) => (
                <ReasonTag key={i} r={r} />
              ))}
            </Space>
            <Typography.Text type="secondary">
              {labelled(locale, t("contact"))}
              {m.listing.contact_name}{" "}
              <span data-testid="match-contact">{m.listing.contact_phone}</span>
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
