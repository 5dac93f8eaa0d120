import { useEffect, useRef, useState } from "react";
import { Button, DatePicker, Input, InputNumber, Radio, Space, Tag, Typography } from "antd";
import { PaperClipOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import type { AnswerValue, ItemState_Serialize as ItemState, TemplateItem_Serialize as TemplateItem } from "../../bindings";
import { useI18n, useMessages } from "../../shared/i18n";
import { unitLabel } from "./format";
import { messages } from "./messages";

/** How long typing may pause before the answer is saved anyway. */
export const SAVE_AFTER_MS = 600;

/** The input of one item, by its kind. Choices save at once; typed answers when typing
 *  pauses or the field is left, so a crash loses at most the last keystrokes. */
export default function ItemInput({
  item,
  state,
  disabled,
  onAnswer,
  onPick,
}: {
  item: TemplateItem;
  state: ItemState;
  disabled?: boolean;
  onAnswer: (value: AnswerValue | null) => void;
  onPick: () => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const a = state.answer;
  const testid = `answer-${item.id}`;
  switch (item.kind) {
    case "yes_no":
      return (
        <Radio.Group
          value={a?.kind === "yes_no" ? a.value : undefined}
          disabled={disabled}
          onChange={(e) => {
            onAnswer({ kind: "yes_no", value: e.target.value as boolean });
          }}
          data-testid={testid}
        >
          <Radio value={true} data-testid={`${testid}-yes`}>{t("yes")}</Radio>
          <Radio value={false} data-testid={`${testid}-no`}>{t("no")}</Radio>
        </Radio.Group>
      );
    case "choice":
      return (
        <Radio.Group
          value={a?.kind === "choice" ? a.value : undefined}
          disabled={disabled}
          onChange={(e) => {
            onAnswer({ kind: "choice", value: e.target.value as string });
          }}
          data-testid={testid}
        >
          <Space direction="vertical">
            {(item.choices ?? []).map((c) => (
              <Radio key={c.id} value={c.id} data-testid={`${testid}-${c.id}`}>
                {c.label}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      );
    case "date":
      return (
        <DatePicker
          value={a?.kind === "date" ? dayjs(a.value) : null}
          disabled={disabled}
          format="YYYY-MM-DD"
          onChange={(d: dayjs.Dayjs | null) => {
            onAnswer(d ? { kind: "date", value: d.format("YYYY-MM-DD") } : null);
          }}
          data-testid={testid}
        />
      );
    case "number":
      return (
        <Typed
          initial={a?.kind === "number" && a.value !== null ? String(a.value) : ""}
          disabled={disabled}
          testid={testid}
          unit={item.unit && unitLabel(item.unit, locale)}
          numeric
          onCommit={(text) => {
            const n = Number(text);
            onAnswer(text.trim() === "" ? null : { kind: "number", value: Number.isFinite(n) ? n : Number.NaN });
          }}
        />
      );
    case "text":
      return (
        <Typed
          initial={a?.kind === "text" ? a.value : ""}
          disabled={disabled}
          testid={testid}
          onCommit={(text) => {
            onAnswer(text.trim() === "" ? null : { kind: "text", value: text });
          }}
        />
      );
    case "evidence":
      return (
        <Space wrap>
          {state.file && (
            <Space data-testid={`${testid}-file`}>
              <PaperClipOutlined />
              <Typography.Text>{state.file.filename}</Typography.Text>
              {state.file.uploaded ? <Tag color="green">{t("uploaded")}</Tag> : <Tag color="blue">{t("waitingUpload")}</Tag>}
            </Space>
          )}
          {!disabled && (
            <Button onClick={onPick} data-testid={`${testid}-pick`}>
              {state.file ? t("replaceFile") : t("pickFile")}
            </Button>
          )}
        </Space>
      );
  }
}

/** A text or number field that saves when typing pauses or the field is left. */
function Typed({
  initial,
  disabled,
  testid,
  unit,
  numeric,
  onCommit,
}: {
  initial: string;
  disabled?: boolean;
  testid: string;
  unit?: string | null;
  numeric?: boolean;
  onCommit: (text: string) => void;
}) {
  const [text, setText] = useState(initial);
  const committed = useRef(initial);
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef({ text: initial, onCommit });
  latest.current = { text, onCommit };
  // Once the officer typed here, the field shows what they typed (an answer refused keeps
  // its text beside the reason; a late, older view cannot flick it back). Until then a
  // new answer from elsewhere (a reload) replaces it.
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) {
      setText(initial);
      committed.current = initial;
    }
  }, [initial]);
  const commit = (value: string) => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    if (value === committed.current) return;
    committed.current = value;
    onCommit(value);
  };
  // Leaving the step while typing still saves what was typed.
  useEffect(
    () => () => {
      if (timer.current === undefined) return;
      window.clearTimeout(timer.current);
      const { text: last, onCommit: save } = latest.current;
      if (last !== committed.current) save(last);
    },
    [],
  );
  const change = (value: string) => {
    typed.current = true;
    setText(value);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      commit(value);
    }, SAVE_AFTER_MS);
  };
  if (numeric) {
    return (
      <Space.Compact>
        <InputNumber
          value={text === "" ? null : text}
          stringMode
          disabled={disabled}
          onChange={(v) => {
            change(v ?? "");
          }}
          onBlur={() => {
            commit(text);
          }}
          onPressEnter={() => {
            commit(text);
          }}
          style={{ width: 180 }}
          data-testid={testid}
        />
        {unit && <Button disabled>{unit}</Button>}
      </Space.Compact>
    );
  }
  return (
    <Input.TextArea
      value={text}
      disabled={disabled}
      autoSize={{ minRows: 2, maxRows: 6 }}
      maxLength={2000}
      onChange={(e) => {
        change(e.target.value);
      }}
      onBlur={() => {
        commit(text);
      }}
      data-testid={testid}
    />
  );
}
