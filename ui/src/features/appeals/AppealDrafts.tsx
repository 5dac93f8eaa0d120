import { Button, Empty, List, Popconfirm, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import type { AppealDraftView } from "../../bindings";
import { useI18n, useMessages } from "../../shared/i18n";
import { appealCategoryKey } from "./labels";
import { messages } from "./messages";

/** Appeals begun and not sent, newest first, to continue or throw away. */
export default function AppealDrafts({
  drafts,
  onOpen,
  onDelete,
}: {
  drafts: AppealDraftView[];
  onOpen: (id: string) => void;
  onDelete: (id: string) => void;
}) {
  const t = useMessages(messages);
  const shared = useI18n().t;
  return (
    <List
      dataSource={[...drafts].sort((a, b) => (b.updated_at ?? 0) - (a.updated_at ?? 0))}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("draftsEmpty")} /> }}
      renderItem={(d) => (
        <List.Item
          data-testid="appeal-draft"
          data-id={d.id}
          actions={[
            <Button
              key="open"
              type="link"
              onClick={() => {
                onOpen(d.id);
              }}
              data-testid="appeal-draft-open"
            >
              {t("open")}
            </Button>,
            <Popconfirm
              key="delete"
              title={t("deleteConfirm")}
              okText={t("delete")}
              cancelText={shared("cancel")}
              onConfirm={() => {
                onDelete(d.id);
              }}
            >
              <Button type="link" danger data-testid="appeal-draft-delete">
                {t("delete")}
              </Button>
            </Popconfirm>,
          ]}
        >
          <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
            <Space wrap size={4}>
              {d.fields.category && <Tag>{t(appealCategoryKey[d.fields.category])}</Tag>}
              <Typography.Text strong ellipsis>
                {d.fields.title.trim() || t("draftUntitled")}
              </Typography.Text>
            </Space>
            <Typography.Text type="secondary">{dayjs((d.updated_at ?? 0) * 1000).format("YYYY-MM-DD HH:mm")}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
