import { useCallback, useEffect, useState } from "react";
import { App as AntApp, Alert, Button, Card, List, Popconfirm, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import type { Change, CorrectionDiff_Serialize as CorrectionDiff, ApplicationDraft_Serialize as Draft, RoundFile } from "../../bindings";
import { toErrorInfo } from "../../shared/errors";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { shortHash } from "./format";
import { messages } from "./messages";
import { said, saidError } from "../../shared/said";

const changeKey = {
  same: "diffSame",
  added: "diffAdded",
  removed: "diffRemoved",
  replaced: "diffReplaced",
} as const satisfies Record<Change, keyof typeof messages>;

const changeColor: Record<Change, string | undefined> = {
  same: undefined,
  added: "green",
  removed: "red",
  replaced: "blue",
};

/** "name (1a2b3c4d)" for each file; a dash when there is none. */
function files(list: RoundFile[]): string {
  return list.length === 0 ? "—" : list.map((f) => `${f.filename} (${shortHash(f.sha256)})`).join(", ");
}

export function dateOf(at: string): string {
  const d = dayjs(at);
  return d.isValid() ? d.format("YYYY-MM-DD") : at;
}

/**
 * A correction under way: the notice with every item it asks for, the way back out, and what
 * this correction changes against the last round (files by their hashes, answers by item).
 */
export default function CorrectionBanner({ enterprise, draft, onChanged }: { enterprise: string; draft: Draft; onChanged: () => void }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [diff, setDiff] = useState<CorrectionDiff | null>(null);
  const notice = draft.correction;

  const loadDiff = useCallback(() => {
    unwrap(commands.applicationCorrectionDiff(enterprise))
      .then(setDiff)
      // The diff only informs: the check says what blocks the submission.
      .catch(() => undefined);
  }, [enterprise]);
  // The draft changes with every file and answer: the diff follows it.
  useEffect(loadDiff, [loadDiff, draft]);

  const cancel = () => {
    unwrap(commands.applicationCancelCorrection(enterprise))
      .then(() => {
        void message.success(said(messages, "correctionCancelled"));
        onChanged();
      })
      .catch((e: unknown) => {
        void message.error(saidError(toErrorInfo(e)));
      });
  };

  const changed = diff?.materials.filter((m) => m.change !== "same") ?? [];
  return (
    <Card size="small" style={{ marginBottom: 16, borderColor: "#fa8c16" }} data-testid="correction-banner">
      <Space direction="vertical" size={8} style={{ width: "100%" }}>
        <Space wrap style={{ width: "100%", justifyContent: "space-between" }}>
          <Typography.Text strong>{fill(t("correctionTitle"), { round: draft.round })}</Typography.Text>
          <Popconfirm title={t("correctionCancelConfirm")} onConfirm={cancel} okButtonProps={{ danger: true, "data-testid": "correction-cancel-confirm" }}>
            <Button size="small" data-testid="correction-cancel">
              {t("correctionCancel")}
            </Button>
          </Popconfirm>
        </Space>
        {notice && (
          <Alert
            type="warning"
            showIcon
            message={fill(t("correctionNotice"), { no: notice.receipt_no, date: dateOf(notice.issued_at) })}
            description={
              <ol style={{ margin: 0, paddingLeft: 20 }}>
                {notice.items.map((i, n) => (
                  <li key={n} data-testid="correction-item" data-material-ref={i.material_type ?? undefined}>
                    {i.text}
                  </li>
                ))}
              </ol>
            }
          />
        )}
        <div data-testid="correction-diff">
          <Space wrap style={{ width: "100%", justifyContent: "space-between" }}>
            <Typography.Text strong>{t("diffTitle")}</Typography.Text>
            <Button
              size="small"
              type="link"
              onClick={() => {
                navigate("selfcheck");
              }}
              data-testid="correction-to-selfcheck"
            >
              {t("toSelfCheckAnswers")}
            </Button>
          </Space>
          {diff && changed.length === 0 && diff.answers.length === 0 && !diff.selfcheck_changed && (
            <Typography.Text type="secondary" data-testid="diff-none">
              {t("diffNone")}
            </Typography.Text>
          )}
          {diff && (
            <List
              size="small"
              split={false}
              dataSource={diff.materials}
              renderItem={(m) => (
                <List.Item data-testid={`diff-${m.material_type}`} data-change={m.change} style={{ padding: "2px 0" }}>
                  <Space wrap size={[6, 0]}>
                    <Tag color={changeColor[m.change]}>{t(changeKey[m.change])}</Tag>
                    <Typography.Text>{m.name}</Typography.Text>
                    {m.change !== "same" && (
                      <Typography.Text type="secondary" style={{ overflowWrap: "anywhere" }}>
                        {files(m.before)} → {files(m.after)}
                      </Typography.Text>
                    )}
                  </Space>
                </List.Item>
              )}
            />
          )}
          {diff && diff.answers.length > 0 && (
            <>
              <Typography.Text strong style={{ display: "block", marginTop: 8 }}>
                {t("diffAnswers")}
              </Typography.Text>
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {diff.answers.map((a) => (
                  <li key={a.item_id} data-testid="diff-answer">
                    {fill(t("answerLine"), {
                      prompt: a.prompt,
                      before: (locale === "en-US" ? a.before_en : a.before_zh) ?? t("diffEmpty"),
                      after: (locale === "en-US" ? a.after_en : a.after_zh) ?? t("diffEmpty"),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
          {diff?.selfcheck_changed && (
            <Typography.Text style={{ display: "block", marginTop: 8 }} data-testid="diff-selfcheck">
              {t("diffSelfcheck")}
            </Typography.Text>
          )}
        </div>
      </Space>
    </Card>
  );
}
