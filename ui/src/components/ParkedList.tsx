import { useEffect, useState } from "react";
import { App, Button, Empty, List, Popconfirm, Space, Typography } from "antd";
import { commands, unwrap } from "../api";
import type { ParkedItem, Revision_Serialize } from "../bindings";
import { errorText, toErrorInfo } from "../errors";
import { useI18n } from "../i18n";
import { opKey } from "../labels";

/** A parked item that has something the officer can correct. */
export type Revisable = ParkedItem & { revision: Revision_Serialize };

/** What the service refused for good, with why, and what the officer can do about it. */
export default function ParkedList({ version, onRevise }: { version: string; onRevise: (item: Revisable) => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [items, setItems] = useState<ParkedItem[] | null>(null);

  const report = (e: unknown) => {
    void message.error(errorText(toErrorInfo(e), locale));
  };
  const load = () => {
    unwrap(commands.parkedItems()).then(setItems).catch(report);
  };
  // Reload whenever the queue changes: `version` names both counts, so an item that moves
  // from parked to queued and back still reloads the list.
  useEffect(load, [version]); // eslint-disable-line react-hooks/exhaustive-deps

  const act = async (p: ReturnType<typeof commands.retryItem>) => {
    try {
      await unwrap(p);
      load();
    } catch (e) {
      report(e);
    }
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
            ...(p.revision
              ? [
                  <Button
                    key="revise"
                    size="small"
                    type="primary"
                    data-testid="parked-revise"
                    onClick={() => {
                      onRevise({ ...p, revision: p.revision as Revision_Serialize });
                    }}
                  >
                    {t("revise")}
                  </Button>,
                ]
              : []),
            <Button key="retry" size="small" onClick={() => void act(commands.retryItem(p.id))}>
              {t("retry")}
            </Button>,
            <Popconfirm key="discard" title={t("discardConfirm")} onConfirm={() => void act(commands.discardItem(p.id))}>
              <Button size="small" danger>
                {t("discard")}
              </Button>
            </Popconfirm>,
          ]}
        >
          <Space direction="vertical" size={0}>
            <Typography.Text strong>{t(opKey[p.kind] ?? "opOther")}</Typography.Text>
            <Typography.Text type="danger">{locale === "zh-CN" ? p.reason_zh : p.reason_en}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
