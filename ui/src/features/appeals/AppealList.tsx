import { useCallback, useEffect, useRef, useState } from "react";
import { Empty, List, Select, Space, Spin, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import type { AppealCategory, AppealState, AppealSummary, ErrorInfo } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { fill, useMessages } from "../../shared/i18n";
import { useTopics } from "../../shared/useTopics";
import ResponseClock from "./ResponseClock";
import { appealCategoryKey, appealStates, deliveryKey, stageColor, stageKey } from "./labels";
import { messages } from "./messages";

/** The enterprise's appeals, overdue first (the core orders them), with filters. */
export default function AppealList({ enterprise, onOpen }: { enterprise: string; onOpen: (key: string) => void }) {
  const t = useMessages(messages);
  const [states, setStates] = useState<AppealState[]>([]);
  const [categories, setCategories] = useState<AppealCategory[]>([]);
  const [rows, setRows] = useState<AppealSummary[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // Only the answer to the latest query may land: filters change faster than answers come.
  const asked = useRef(0);
  const load = useCallback(() => {
    const n = ++asked.current;
    unwrap(commands.appeals(enterprise, { states, categories, overdue_only: false }))
      .then((r) => {
        if (n !== asked.current) return;
        setRows(r);
        setError(null);
      })
      .catch((e: unknown) => {
        if (n === asked.current) setError(toErrorInfo(e));
      });
  }, [enterprise, states, categories]);
  useEffect(load, [load]);
  useTopics(enterprise, ["appeals", "outbox"], load);

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Select
          mode="multiple"
          allowClear
          placeholder={t("filterState")}
          aria-label={t("filterState")}
          style={{ minWidth: 180 }}
          value={states}
          onChange={setStates}
          options={appealStates.map((s) => ({ value: s, label: t(stageKey[s]) }))}
          data-testid="appeal-filter-state"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t("filterCategory")}
          aria-label={t("filterCategory")}
          style={{ minWidth: 180 }}
          value={categories}
          onChange={setCategories}
          options={(Object.keys(appealCategoryKey) as AppealCategory[]).map((c) => ({
            value: c,
            label: t(appealCategoryKey[c]),
          }))}
          data-testid="appeal-filter-category"
        />
      </Space>
      <ErrorAlert error={error} />
      {rows === null && !error ? (
        <Spin />
      ) : (
        <List
          dataSource={rows ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("listEmpty")} data-testid="appeals-empty" /> }}
          renderItem={(a) => (
            <List.Item
              data-testid="appeal-row"
              data-key={a.key}
              data-stage={a.stage}
              data-overdue={String(a.overdue)}
              data-delivery={a.delivery}
              style={{ cursor: "pointer", background: a.overdue ? "#fff1f0" : undefined, paddingInline: 8 }}
              onClick={() => {
                onOpen(a.key);
              }}
            >
              <Space direction="vertical" size={4} style={{ width: "100%", minWidth: 0 }}>
                <Space wrap size={4}>
                  <Tag color={stageColor[a.stage]}>{t(stageKey[a.stage])}</Tag>
                  <Tag>{t(appealCategoryKey[a.category])}</Tag>
                  {a.delivery !== "delivered" && (
                    <Tag color={a.delivery === "parked" ? "red" : "orange"}>{t(deliveryKey[a.delivery])}</Tag>
                  )}
                  {a.overdue && <Tag color="red">{t("overdue")}</Tag>}
                  {a.unsent_messages > 0 && (
                    <Tag color="orange">{fill(t("unsentMessages"), { n: a.unsent_messages })}</Tag>
                  )}
                  {a.rated && <Tag color="green">{t("rated")}</Tag>}
                </Space>
                <Typography.Text strong data-testid="appeal-row-title" ellipsis style={{ maxWidth: "100%" }}>
                  {a.title}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {a.receipt_no ?? t("receiptPending")} · {dayjs(a.created_at).format("YYYY-MM-DD HH:mm")}
                </Typography.Text>
                {a.clock && <ResponseClock clock={a.clock} compact />}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
