import { useCallback, useEffect, useState } from "react";
import { Button, Card, Empty, Popconfirm, Space, Spin, Tag, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, OwnListingView } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { useTopics } from "../../shared/useTopics";
import MatchList from "./MatchList";
import { listingCategoryKey, listingKindKey, ownStateColor, ownStateKey } from "./labels";
import { districtLabel } from "../../shared/places";
import { messages } from "./messages";

/** The enterprise's own listings, with what waits to be sent and the matches of each. */
export default function OwnListings({
  enterprise,
  focusKey,
  onEdit,
}: {
  enterprise: string;
  focusKey: string | null;
  onEdit: (v: OwnListingView) => void;
}) {
  const t = useMessages(messages);
  const { t: shared, locale } = useI18n();
  const [rows, setRows] = useState<OwnListingView[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const load = useCallback(() => {
    unwrap(commands.listingsOwn(enterprise))
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  }, [enterprise]);
  useEffect(load, [load]);
  useTopics(enterprise, ["listings", "outbox"], load);
  useEffect(() => {
    if (!focusKey || !rows) return;
    document.querySelector(`[data-testid="own-listing"][data-key="${CSS.escape(focusKey)}"]`)?.scrollIntoView();
  }, [focusKey, rows]);

  const withdraw = (key: string) => {
    unwrap(commands.listingWithdraw(enterprise, key))
      .then(load)
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  };

  if (rows === null) return error ? <ErrorAlert error={error} /> : <Spin />;
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("mineEmpty")} data-testid="own-empty" />;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <ErrorAlert error={error} />
      {rows.map((v) => {
        const d = v.details;
        const open = v.state === "active" || v.state === "unsent";
        return (
          <Card
            key={v.key}
            size="small"
            data-testid="own-listing"
            data-key={v.key}
            data-state={v.state}
            data-delivery={v.delivery}
            style={{ borderColor: v.key === focusKey ? "#722ed1" : undefined }}
            title={
              <Space size={4} wrap>
                <Tag color={d.kind === "supply" ? "green" : "blue"}>{t(listingKindKey[d.kind])}</Tag>
                <Tag>{t(listingCategoryKey[d.category])}</Tag>
                <Tag color={ownStateColor[v.state]}>{t(ownStateKey[v.state])}</Tag>
                {v.delivery !== "delivered" && (
                  <Tag color={v.delivery === "parked" ? "red" : "orange"}>
                    {t(v.delivery === "parked" ? "deliveryParked" : "deliveryQueued")}
                  </Tag>
                )}
                {v.pending_edit && <Tag color="orange">{t("pendingEdit")}</Tag>}
              </Space>
            }
            extra={
              open && (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    onClick={() => {
                      onEdit(v);
                    }}
                    data-testid="own-listing-edit"
                  >
                    {t("edit")}
                  </Button>
                  <Popconfirm
                    title={t("withdrawConfirm")}
                    okText={t("withdraw")}
                    cancelText={shared("cancel")}
                    okButtonProps={{ "data-testid": "withdraw-confirm" }}
                    onConfirm={() => {
                      withdraw(v.key);
                    }}
                  >
                    <Button type="link" size="small" danger data-testid="own-listing-withdraw">
                      {t("withdraw")}
                    </Button>
                  </Popconfirm>
                </Space>
              )
            }
          >
            <Space direction="vertical" size={2} style={{ width: "100%", minWidth: 0 }}>
              <Typography.Text strong data-testid="own-listing-item">
                {d.item}
              </Typography.Text>
              <Typography.Text>
                <span data-testid="own-listing-quantity">{d.quantity}</span> {d.unit} · {districtLabel(d.district, locale)} ·{" "}
                {fill(t("validUntil"), { date: d.valid_until })}
              </Typography.Text>
              {v.state === "active" && <MatchList matches={v.matches} />}
            </Space>
          </Card>
        );
      })}
    </Space>
  );
}
