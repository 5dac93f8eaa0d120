import { useCallback, useEffect, useRef, useState } from "react";
import { Badge, Card, Empty, List, Space, Spin, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, InboxEntry, InboxKind, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useMessages } from "../../shared/i18n";
import { useTopics } from "../../shared/useTopics";
import { messages } from "./messages";

const kindKey: Record<InboxKind, keyof typeof messages> = {
  review_opinion: "kindReviewOpinion",
  correction_notice: "kindCorrectionNotice",
  appeal_reply: "kindAppealReply",
  listing_match: "kindListingMatch",
};

const kindColor: Record<InboxKind, string> = {
  review_opinion: "blue",
  correction_notice: "orange",
  appeal_reply: "green",
  listing_match: "purple",
};

/** Everything the authorities sent the enterprise on screen, newest first. */
export default function InboxPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const enterprise = status.enterprise;
  const [entries, setEntries] = useState<InboxEntry[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  // The enterprise the page shows: an answer for another (after a switch) is dropped.
  const showing = useRef(enterprise);
  showing.current = enterprise;
  const load = useCallback(() => {
    if (!enterprise) return;
    unwrap(commands.inboxEntries(enterprise))
      .then((e) => {
        if (showing.current !== enterprise) return;
        setEntries(e);
        setError(null);
      })
      .catch((e: unknown) => {
        if (showing.current === enterprise) setError(toErrorInfo(e));
      });
  }, [enterprise]);
  useEffect(() => {
    setEntries(null);
    load();
  }, [load]);
  useTopics(enterprise, ["inbox", "outbox"], load);

  const unread = entries?.filter((e) => !e.read).length ?? 0;
  return (
    <Card
      title={
        <Space>
          <span>{t("title")}</span>
          <Badge count={unread} title={t("unread")} />
        </Space>
      }
      data-testid="inbox-page"
    >
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {entries === null && !error ? (
        <Spin />
      ) : (
        <List
          dataSource={entries ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("empty")} data-testid="inbox-empty" /> }}
          renderItem={(e) => (
            <List.Item data-testid="inbox-entry">
              <List.Item.Meta
                title={
                  <Space>
                    <Tag color={kindColor[e.kind]}>{t(kindKey[e.kind])}</Tag>
                    <Typography.Text strong={!e.read} data-testid="inbox-title">
                      {e.title}
                    </Typography.Text>
                  </Space>
                }
                description={
                  <Space direction="vertical" size={0}>
                    <Typography.Text>{e.body}</Typography.Text>
                    <Typography.Text type="secondary">{dayjs(e.created_at).format("YYYY-MM-DD HH:mm")}</Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
