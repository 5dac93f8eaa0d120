import { useCallback, useEffect, useRef, useState } from "react";
import { Alert, App as AntApp, Badge, Button, Card, Checkbox, Empty, List, Space, Spin, Switch, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, InboxEntry, InboxKind, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { useTopics } from "../../shared/useTopics";
import { messages } from "./messages";
import { openEntry } from "./openEntry";
import { useNotifySetting } from "../../shared/useNotifySetting";
import { said } from "../../shared/said";

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

/** Everything the authorities sent the enterprise on screen, newest first; each opens its source. */
export default function InboxPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const notify = useNotifySetting();
  const enterprise = status.enterprise;
  const [entries, setEntries] = useState<InboxEntry[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [missing, setMissing] = useState<string | null>(null);

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

  if (!enterprise) return null;
  const fail = (e: unknown) => {
    setError(toErrorInfo(e));
  };
  const open = (id: string) => {
    setMissing(null);
    openEntry(enterprise, id, navigate)
      .then((found) => {
        if (!found) {
          setMissing(id);
          load();
        }
      })
      .catch(fail);
  };
  const markRead = (id: string) => {
    unwrap(commands.inboxMarkRead(enterprise, id)).then(load).catch(fail);
  };
  const markAll = () => {
    unwrap(commands.inboxMarkAllRead(enterprise))
      .then((n) => {
        void message.success(said(messages, "markedAll", { n }));
        load();
      })
      .catch(fail);
  };

  const unread = entries?.filter((e) => !e.read).length ?? 0;
  const shown = (entries ?? []).filter((e) => !unreadOnly || !e.read);
  return (
    <Card
      title={
        <Space>
          <span>{t("title")}</span>
          <Badge count={unread} title={t("unread")} data-testid="inbox-unread" />
        </Space>
      }
      extra={
        <Space wrap>
          <Switch
            size="small"
            checked={notify.on ?? false}
            loading={notify.on === null}
            onChange={notify.set}
            data-testid="inbox-notify-switch"
            aria-label={t("notify")}
          />
          <Typography.Text title={t("notifyHint")}>{t("notify")}</Typography.Text>
        </Space>
      }
      data-testid="inbox-page"
    >
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 8 }}>
        <Checkbox
          checked={unreadOnly}
          onChange={(e) => {
            setUnreadOnly(e.target.checked);
          }}
          data-testid="inbox-filter-unread"
        >
          {t("filterUnread")}
        </Checkbox>
        <Button size="small" disabled={unread === 0} onClick={markAll} data-testid="inbox-mark-all-read">
          {t("markAllRead")}
        </Button>
      </Space>
      {missing && (
        <Alert type="warning" showIcon closable message={t("missing")} data-testid="inbox-missing" style={{ marginBottom: 8 }} />
      )}
      <ErrorAlert error={error} />
      {entries === null && !error ? (
        <Spin />
      ) : (
        <List
          dataSource={shown}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={unreadOnly && (entries ?? []).length > 0 ? t("emptyUnread") : t("empty")}
                data-testid="inbox-empty"
              />
            ),
          }}
          renderItem={(e) => (
            <List.Item
              data-testid="inbox-entry"
              data-id={e.id}
              data-read={String(e.read)}
              data-kind={e.kind}
              style={{ background: e.read ? undefined : "#f0f5ff", paddingInline: 8 }}
              actions={[
                <Button
                  key="open"
                  type="link"
                  size="small"
                  onClick={() => {
                    open(e.id);
                  }}
                  data-testid="inbox-open"
                >
                  {t("open")}
                </Button>,
                ...(e.read
                  ? []
                  : [
                      <Button
                        key="read"
                        type="link"
                        size="small"
                        onClick={() => {
                          markRead(e.id);
                        }}
                        data-testid="inbox-mark-read"
                      >
                        {t("markRead")}
                      </Button>,
                    ]),
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
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
