import { Alert, Button, Card, Space, Tag, Typography } from "antd";
import { BookOutlined } from "@ant-design/icons";
import type { AnswerValue, ItemState_Serialize as ItemState, TemplateItem_Serialize as TemplateItem } from "../../bindings";
import { useI18n, useMessages } from "../../shared/i18n";
import ItemInput from "./ItemInput";
import { byLocale } from "./format";
import { messages } from "./messages";

/** One item of the checklist: its question, explanation, source, input and verdict. */
export default function ItemCard({
  item,
  state,
  error,
  readOnly,
  onAnswer,
  onPick,
  onCite,
  sourceTitle,
  highlighted,
}: {
  item: TemplateItem;
  /** The cited document's title, when this computer has it. */
  sourceTitle?: string;
  state: ItemState;
  /** Why the last answer was refused (it broke the item's constraint). */
  error?: string | null;
  readOnly?: boolean;
  /** Shown as the one a link led to (a policy's "cited by"). */
  highlighted?: boolean;
  onAnswer: (value: AnswerValue | null) => void;
  onPick: () => void;
  onCite: (documentId: string, clause: string) => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const problem = byLocale(locale, state.problem_zh, state.problem_en);
  const border = state.status === "fail" ? "#ff4d4f" : state.recheck ? "#fa8c16" : undefined;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12, borderColor: border, boxShadow: highlighted ? "0 0 0 2px #1677ff" : undefined }}
      data-testid={`item-${item.id}`}
      data-highlighted={highlighted ? "true" : undefined}
      data-status={state.status}
    >
      <Space direction="vertical" style={{ width: "100%" }} size={6}>
        <Space align="start" wrap={false} style={{ width: "100%", justifyContent: "space-between" }}>
          <Typography.Text strong>{item.prompt}</Typography.Text>
          <Space size={4} style={{ flex: "none" }}>
            {state.added && <Tag color="blue">{t("added")}</Tag>}
            {state.recheck && <Tag color="orange" data-testid={`recheck-${item.id}`}>{t("recheck")}</Tag>}
            <Tag>{item.required ? t("required") : t("optional")}</Tag>
          </Space>
        </Space>
        {item.help && (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {item.help}
          </Typography.Text>
        )}
        <Button
          type="link"
          size="small"
          icon={<BookOutlined />}
          style={{ padding: 0, alignSelf: "flex-start" }}
          onClick={() => {
            onCite(item.cites.document_id, item.cites.clause);
          }}
          data-testid={`cite-${item.id}`}
        >
          {t("cites")}
          {sourceTitle ? `《${sourceTitle}》` : item.cites.document_id} {item.cites.clause}
          {t("openCitation")}
        </Button>
        {readOnly && state.status !== "hidden" && state.answer === null ? (
          <Typography.Text type="secondary">{t("noAnswer")}</Typography.Text>
        ) : (
          <ItemInput item={item} state={state} disabled={readOnly} onAnswer={onAnswer} onPick={onPick} />
        )}
        {state.recheck && !readOnly && state.answer !== null && (
          <Button
            size="small"
            style={{ alignSelf: "flex-start" }}
            onClick={() => {
              onAnswer(state.answer);
            }}
            data-testid={`confirm-${item.id}`}
          >
            {t("confirm")}
          </Button>
        )}
        {error && <Alert type="error" showIcon message={error} data-testid={`error-${item.id}`} />}
        {!error && problem && state.status === "fail" && <Alert type="warning" showIcon message={problem} data-testid={`problem-${item.id}`} />}
      </Space>
    </Card>
  );
}
