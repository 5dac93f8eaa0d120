import { useCallback, useEffect, useState } from "react";
import { App, Button, Empty, List, Popconfirm, Space, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { ParkedItem } from "../../bindings";
import { toErrorInfo } from "../../shared/errors";
import { fill, pick, useI18n, useMessages } from "../../shared/i18n";
import type { OpInfo } from "../../shared/revise";
import { useTopics } from "../../shared/useTopics";
import { messages } from "./messages";
import { saidError } from "../../shared/said";

/** A parked item that has something the officer can correct. */
export type Revisable = ParkedItem & { draft: unknown };

/** What the service refused for good, with why, and what the officer can do about it. */
export default function ParkedList({
  enterprise,
  version,
  ops,
  onRevise,
}: {
  enterprise: string;
  /** Changes whenever the queue's counts do. */
  version: string;
  ops: Partial<Record<string, OpInfo>>;
  onRevise: (item: Revisable) => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const { message } = App.useApp();
  const [items, setItems] = useState<ParkedItem[] | null>(null);

  const report = useCallback(
    (e: unknown) => {
      void message.error(saidError(toErrorInfo(e)));
    },
    [message],
  );
  const load = useCallback(() => {
    unwrap(commands.parkedItems(enterprise)).then(setItems).catch(report);
  }, [enterprise, report]);
  // Reload whenever the queue changes: `version` names both counts, so an item that moves
  // from parked to queued and back still reloads the list; the core also says when the
  // queue changed.
  useEffect(load, [version, load]);
  useTopics(enterprise, ["outbox"], load);

  const act = async (p: ReturnType<typeof commands.retryItem>) => {
    try {
      await unwrap(p);
      load();
    } catch (e) {
      report(e);
    }
  };

  const label = (kind: string) => {
    const op = ops[kind];
    if (op) return pick(locale, op.label);
    return kind === "upload" ? t("opUpload") : t("opOther");
  };

  if (items === null) return null;
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("parkedEmpty")} />;
  return (
    <List
      style={{ width: 420 }}
      size="small"
      dataSource={items}
      data-testid="parked-list"
      renderItem={(p) => (
        <List.Item
          actions={[
            ...(p.draft !== null && p.draft !== undefined && ops[p.kind]?.revise
              ? [
                  <Button
                    key="revise"
                    size="small"
                    type="primary"
                    data-testid="parked-revise"
                    onClick={() => {
                      onRevise({ ...p, draft: p.draft });
                    }}
                  >
                    {t("revise")}
                  </Button>,
                ]
              : []),
            <Button key="retry" size="small" onClick={() => void act(commands.retryItem(enterprise, p.id))}>
              {t("retry")}
            </Button>,
            <Popconfirm
              key="discard"
              title={t("discardConfirm")}
              onConfirm={() => void act(commands.discardItem(enterprise, p.id))}
            >
              <Button size="small" danger>
                {t("discard")}
              </Button>
            </Popconfirm>,
          ]}
        >
          <Space direction="vertical" size={0}>
            <Typography.Text strong>{label(p.kind)}</Typography.Text>
            <Typography.Text type="danger">{locale === "zh-CN" ? p.reason_zh : p.reason_en}</Typography.Text>
            {p.holding > 0 && (
              <Typography.Text type="secondary" data-testid="parked-holding">
                {p.holding === 1 ? t("holdingOne") : fill(t("holding"), { n: p.holding })}
              </Typography.Text>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}
