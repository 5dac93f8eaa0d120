import { useState } from "react";
import { Button, Input, Rate, Space, Tag, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import { LIMITS } from "../../bindings";
import type { AppealView, ErrorInfo } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useMessages } from "../../shared/i18n";
import { messages } from "./messages";

/** The officer's 1–5 rating of the reply, once; shown with whether it has reached the service. */
export default function RatingForm({ enterprise, view }: { enterprise: string; view: AppealView }) {
  const t = useMessages(messages);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  if (view.rating) {
    return (
      <Space
        direction="vertical"
        data-testid="appeal-rating"
        data-score={view.rating.score}
        data-sent={String(view.rating_sent)}
      >
        <Space wrap>
          <Rate disabled value={view.rating.score} />
          <Tag color={view.rating_sent ? "green" : "orange"}>{t(view.rating_sent ? "ratingSent" : "ratingUnsent")}</Tag>
        </Space>
        {view.rating.comment && <Typography.Text>{view.rating.comment}</Typography.Text>}
      </Space>
    );
  }
  if (!view.can_rate) return null;
  const submit = () => {
    setBusy(true);
    const text = comment.trim();
    unwrap(commands.appealRate(enterprise, view.summary.key, { score, comment: text === "" ? null : text }))
      .then(() => {
        setError(null);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Text strong>{t("rateTitle")}</Typography.Text>
      <Rate value={score} onChange={setScore} data-testid="appeal-rate" />
      <Input.TextArea
        rows={2}
        value={comment}
        maxLength={LIMITS.rating_comment}
        showCount
        placeholder={t("rateComment")}
        onChange={(e) => {
          setComment(e.target.value);
        }}
        data-testid="appeal-rating-comment"
      />
      <ErrorAlert error={error} />
      <Button type="primary" disabled={score < 1} loading={busy} onClick={submit} data-testid="appeal-rating-submit">
        {t("rateSubmit")}
      </Button>
    </Space>
  );
}
