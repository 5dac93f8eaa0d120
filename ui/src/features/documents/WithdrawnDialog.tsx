import { List, Modal, Space, Tag, Typography } from "antd";
import type { WithdrawnDocument } from "../../bindings";
import { useMessages } from "../../shared/i18n";
import { messages } from "./messages";

/** The documents the issuers withdrew, which the library no longer lists. Loaded when first
 *  opened: the library's first page does not draw it. */
export default function WithdrawnDialog({
  open,
  withdrawn,
  onClose,
}: {
  open: boolean;
  withdrawn: WithdrawnDocument[];
  onClose: () => void;
}) {
  const t = useMessages(messages);
  return (
    <Modal open={open} title={t("withdrawnTitle")} footer={null} onCancel={onClose}>
      <List
        size="small"
        data-testid="withdrawn-list"
        dataSource={withdrawn}
        renderItem={(w) => (
          <List.Item>
            <List.Item.Meta
              title={
                <Space size={4} wrap>
                  <Typography.Text delete>{w.title}</Typography.Text>
                  <Tag>{t("statusWithdrawn")}</Tag>
                </Space>
              }
              description={`${[w.issuer, w.doc_number].filter(Boolean).join(" · ")} · ${t("withdrawnAt")} ${w.withdrawn_at.slice(0, 10)}`}
            />
          </List.Item>
        )}
      />
    </Modal>
  );
}
