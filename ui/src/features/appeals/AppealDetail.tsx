import { useCallback, useEffect, useState } from "react";
import { Button, Card, Descriptions, Divider, Input, List, Space, Spin, Tag, Timeline, Typography } from "antd";
import { ArrowLeftOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import { LIMITS } from "../../bindings";
import type { AppealView, ErrorInfo } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { listed, useI18n, useMessages } from "../../shared/i18n";
import { useTopics } from "../../shared/useTopics";
import RatingForm from "./RatingForm";
import ResponseClock from "./ResponseClock";
import { appealCategoryKey, deliveryKey, stageColor, stageKey } from "./labels";
import { messages } from "./messages";

const TIME = "YYYY-MM-DD HH:mm";

/** One appeal: its state and promises, what happened when, the thread, and the rating. */
export default function AppealDetail({
  enterprise,
  appealKey,
  onBack,
}: {
  enterprise: string;
  appealKey: string;
  onBack: () => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const [view, setView] = useState<AppealView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    unwrap(commands.appeal(enterprise, appealKey))
      .then((v) => {
        setView(v);
        setError(null);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  }, [enterprise, appealKey]);
  useEffect(load, [load]);
  useTopics(enterprise, ["appeals", "outbox"], load);

  const sendMessage = () => {
    setBusy(true);
    unwrap(commands.appealMessage(enterprise, appealKey, body.trim()))
      .then(() => {
        setBody("");
        load();
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={onBack} data-testid="appeal-back">
      {t("backToList")}
    </Button>
  );
  if (!view) {
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        {back}
        {error ? <ErrorAlert error={error} /> : <Spin />}
      </Space>
    );
  }
  const s = view.summary;
  return (
    <Card
      data-testid="appeal-detail"
      data-key={s.key}
      title={
        <Space wrap>
          {back}
          <Typography.Text strong>{s.title}</Typography.Text>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag color={stageColor[s.stage]} data-testid="appeal-stage" data-stage={s.stage}>
          {t(stageKey[s.stage])}
        </Tag>
        <Tag>{t(appealCategoryKey[s.category])}</Tag>
        {s.delivery !== "delivered" && (
          <Tag color={s.delivery === "parked" ? "red" : "orange"}>{t(deliveryKey[s.delivery])}</Tag>
        )}
      </Space>
      {s.clock && (
        <div style={{ marginBottom: 12 }}>
          <ResponseClock clock={s.clock} />
        </div>
      )}
      <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" bordered>
        <Descriptions.Item label={t("receipt")}>
          <span data-testid="appeal-receipt">{s.receipt_no ?? t("receiptPending")}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("filedAt")}>{dayjs(s.created_at).format(TIME)}</Descriptions.Item>
        <Descriptions.Item label={t("assignedTo")}>
          <span data-testid="appeal-assigned-to">{view.assigned_to ?? "—"}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("contact")}>
          {view.contact ? `${view.contact.name} ${view.contact.phone}` : "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("attachments")} span={2}>
          {view.attachments.length > 0 ? listed(locale, view.attachments) : "—"}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph style={{ marginTop: 12, whiteSpace: "pre-wrap" }}>{view.description}</Typography.Paragraph>
      {view.timeline.length > 0 && (
        <>
          <Divider orientation="left">{t("timeline")}</Divider>
          <Timeline
            items={view.timeline.map((step, i) => ({
              key: i,
              children: (
                <span data-testid="appeal-timeline-step" data-to={step.to}>
                  {t(stageKey[step.to])} · {dayjs(step.at).format(TIME)} ·{" "}
                  {step.actor === "enterprise" ? t("actorEnterprise") : step.actor}
                </span>
              ),
            }))}
          />
        </>
      )}
      <Divider orientation="left">{t("thread")}</Divider>
      <List
        data-testid="appeal-thread"
        dataSource={view.thread}
        locale={{ emptyText: t("threadEmpty") }}
        renderItem={(m) => (
          <List.Item data-testid="thread-message" data-from={m.from} data-sent={String(m.sent)}>
            <Space direction="vertical" size={2} style={{ minWidth: 0 }}>
              <Space wrap size={4}>
                <Tag color={m.from === "authority" ? "green" : "blue"}>
                  {t(m.from === "authority" ? "fromAuthority" : "fromEnterprise")}
                </Tag>
                <Typography.Text type="secondary">{dayjs(m.at).format(TIME)}</Typography.Text>
                {!m.sent && (
                  <Tag color={m.parked ? "red" : "orange"}>{t(m.parked ? "messageParked" : "messageUnsent")}</Tag>
                )}
              </Space>
              <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{m.body}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {view.can_message && (
        <Space direction="vertical" style={{ width: "100%", marginTop: 8 }}>
          <Input.TextArea
            rows={3}
            value={body}
            maxLength={LIMITS.message}
            placeholder={t("messagePlaceholder")}
            onChange={(e) => {
              setBody(e.target.value);
            }}
            data-testid="appeal-message-input"
          />
          <Button
            disabled={body.trim() === ""}
            loading={busy}
            onClick={sendMessage}
            data-testid="appeal-message-send"
          >
            {t("messageSend")}
          </Button>
        </Space>
      )}
      <ErrorAlert error={error} />
      {(view.can_rate || view.rating) && (
        <>
          <Divider orientation="left">{t("rateTitle")}</Divider>
          <RatingForm enterprise={enterprise} view={view} />
        </>
      )}
    </Card>
  );
}
