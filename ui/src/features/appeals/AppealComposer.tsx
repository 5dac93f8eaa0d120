import { useCallback, useEffect, useRef, useState } from "react";
import { Alert, App as AntApp, Button, Card, Form, Input, List, Space, Spin, Typography } from "antd";
import { DeleteOutlined, PaperClipOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import { LIMITS } from "../../bindings";
import type { AppealCategory, AppealDraftFields, AppealDraftView, AttachmentRule, ErrorInfo } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { errorText, toErrorInfo } from "../../shared/errors";
import { fill, labelled, pick, useI18n, useMessages } from "../../shared/i18n";
import { appealCategoryKey } from "./labels";
import { messages } from "./messages";
import { useFileDrop } from "../../shared/useFileDrop";
import { FormSelect } from "../../shared/a11y";
import { said } from "../../shared/said";

/** A file the core refused, kept in view with why until the officer moves on. */
interface Refused {
  name: string;
  error: ErrorInfo;
}

const SAVE_AFTER_MS = 400;

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * Writing one appeal. Every keystroke is kept (saved shortly after typing stops, and on
 * leaving a field), so a draft closed half-way is there next time; the core says what still
 * stops it from being sent.
 */
export default function AppealComposer({
  enterprise,
  draftId,
  onDone,
}: {
  enterprise: string;
  draftId: string;
  onDone: (sentKey: string | null) => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const { message } = AntApp.useApp();
  const [draft, setDraft] = useState<AppealDraftView | null>(null);
  const [fields, setFields] = useState<AppealDraftFields | null>(null);
  const [rule, setRule] = useState<AttachmentRule | null>(null);
  const [saved, setSaved] = useState(true);
  const [refused, setRefused] = useState<Refused[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    unwrap(commands.appealDrafts(enterprise))
      .then((all) => {
        const d = all.find((x) => x.id === draftId) ?? null;
        setDraft(d);
        setFields(d?.fields ?? null);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
    unwrap(commands.appealAttachmentRule(enterprise))
      .then(setRule)
      .catch(() => undefined);
  }, [enterprise, draftId]);

  // The fields waiting to be saved, and whether a save is under way (saves go one at a time,
  // so an older save never lands after a newer one).
  const unsaved = useRef<AppealDraftFields | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saving = useRef<Promise<void>>(Promise.resolve());
  const flush = useCallback((): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const f = unsaved.current;
    if (!f) return saving.current;
    unsaved.current = null;
    saving.current = saving.current
      .then(() => unwrap(commands.appealDraftSave(enterprise, draftId, f)))
      .then((d) => {
        setDraft(d);
        if (!unsaved.current) setSaved(true);
        setError(null);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
    return saving.current;
  }, [enterprise, draftId]);
  useEffect(
    () => () => {
      void flush();
    },
    [flush],
  );

  const change = (patch: Partial<AppealDraftFields>) => {
    if (!fields) return;
    const next = { ...fields, ...patch };
    setFields(next);
    setSaved(false);
    unsaved.current = next;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), SAVE_AFTER_MS);
  };

  const afterAttach = (d: AppealDraftView | null) => {
    unwrap(commands.appealDrafts(enterprise))
      .then((all) => {
        setDraft(all.find((x) => x.id === draftId) ?? d);
      })
      .catch(() => undefined);
  };

  const pickFile = () => {
    unwrap(commands.appealAttachmentPick(enterprise, draftId, t("attachTitle")))
      .then((a) => {
        if (a) {
          setRefused([]);
          afterAttach(draft);
        }
      })
      .catch((e: unknown) => {
        setRefused([{ name: "", error: toErrorInfo(e) }]);
      });
  };
  const over =
    useFileDrop(
      "data-appeal-drop",
      draft !== null,
      (_area, dropId) => {
        unwrap(commands.appealAttachmentAddDropped(enterprise, draftId, dropId))
          .then((outcomes) => {
            setRefused(outcomes.flatMap((o) => (o.error ? [{ name: o.name, error: o.error }] : [])));
            afterAttach(draft);
          })
          .catch((e: unknown) => {
            setError(toErrorInfo(e));
          });
      },
      () => void message.info(said(messages, "droppedNowhere")),
    ) !== null;
  const remove = (id: string) => {
    unwrap(commands.appealAttachmentRemove(enterprise, draftId, id))
      .then(() => {
        afterAttach(draft);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  };

  const send = async () => {
    setSending(true);
    try {
      await flush();
      const key = await unwrap(commands.appealDraftSend(enterprise, draftId));
      void message.success(said(messages, "sent"));
      onDone(key);
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setSending(false);
    }
  };

  if (!draft || !fields) return error ? <ErrorAlert error={error} /> : <Spin />;
  const problems = draft.problems;
  const problemOf = (field: string) => problems.find((p) => p.field === field);
  const status = (field: string) => (!saved ? undefined : problemOf(field) ? ("error" as const) : undefined);
  const categories = (Object.keys(appealCategoryKey) as AppealCategory[]).map((c) => ({
    value: c,
    label: t(appealCategoryKey[c]),
  }));
  return (
    <Card
      title={t("composerTitle")}
      data-testid="appeal-composer"
      extra={
        <Typography.Text type="secondary" data-testid={saved ? "appeal-draft-saved" : "appeal-draft-saving"}>
          {saved ? t("draftSaved") : t("draftSaving")}
        </Typography.Text>
      }
    >
      <Form layout="vertical" onBlur={() => void flush()}>
        <Form.Item label={t("fieldAppealCategory")} required validateStatus={status("category")}>
          <FormSelect
            value={fields.category ?? undefined}
            options={categories}
            onChange={(v: AppealCategory) => {
              change({ category: v });
            }}
            data-testid="appeal-category"
          />
        </Form.Item>
        <Form.Item label={t("fieldTitle")} required validateStatus={status("title")}>
          <Input
            value={fields.title}
            maxLength={LIMITS.appeal_title}
            showCount
            onChange={(e) => {
              change({ title: e.target.value });
            }}
            data-testid="appeal-title"
          />
        </Form.Item>
        <Form.Item label={t("fieldDescription")} required validateStatus={status("description")}>
          <Input.TextArea
            value={fields.description}
            rows={5}
            maxLength={LIMITS.appeal_description}
            showCount
            onChange={(e) => {
              change({ description: e.target.value });
            }}
            data-testid="appeal-description"
          />
        </Form.Item>
        <Space wrap style={{ width: "100%" }} align="start">
          <Form.Item label={t("fieldContactName")} required validateStatus={status("contact.name")}>
            <Input
              value={fields.contact_name}
              maxLength={LIMITS.contact_name}
              onChange={(e) => {
                change({ contact_name: e.target.value });
              }}
              data-testid="appeal-contact-name"
            />
          </Form.Item>
          <Form.Item label={t("fieldContactPhone")} required validateStatus={status("contact.phone")}>
            <Input
              value={fields.contact_phone}
              maxLength={20}
              onChange={(e) => {
                change({ contact_phone: e.target.value });
              }}
              data-testid="appeal-contact-phone"
            />
          </Form.Item>
        </Space>
      </Form>
      <div
        data-appeal-drop="attachments"
        data-testid="appeal-drop"
        style={{
          border: `1px dashed ${over ? "#1677ff" : "#d9d9d9"}`,
          background: over ? "#e6f4ff" : undefined,
          borderRadius: 6,
          padding: 12,
          marginBottom: 16,
        }}
      >
        <Space wrap>
          <Button icon={<PaperClipOutlined />} onClick={pickFile} data-testid="appeal-attach">
            {t("attach")}
          </Button>
          {rule && (
            <Typography.Text type="secondary">
              {fill(t("attachHint"), {
                formats: rule.formats.join(", "),
                size: size(rule.max_bytes ?? 0),
                count: rule.max_count,
              })}
            </Typography.Text>
          )}
        </Space>
        <List
          size="small"
          dataSource={draft.attachments}
          locale={{ emptyText: " " }}
          renderItem={(a) => (
            <List.Item
              data-testid="appeal-attachment"
              actions={[
                <Button
                  key="remove"
                  type="link"
                  size="small"
                  icon={<DeleteOutlined />}
                  onClick={() => {
                    remove(a.id);
                  }}
                  data-testid="appeal-attachment-remove"
                >
                  {t("removeAttachment")}
                </Button>,
              ]}
            >
              <Typography.Text ellipsis>
                {a.filename} · {size(a.size ?? 0)}
              </Typography.Text>
            </List.Item>
          )}
        />
        {refused.map((r, i) => (
          <Alert
            key={i}
            type="error"
            showIcon
            data-testid="appeal-attachment-error"
            data-code={r.error.code}
            message={r.name ? labelled(locale, r.name) + errorText(r.error, locale) : errorText(r.error, locale)}
            style={{ marginTop: 8 }}
          />
        ))}
      </div>
      {saved && problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="appeal-problems"
          message={t("problemsTitle")}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {problems.map((p) => (
                <li key={p.field} data-field={p.field}>
                  {pick(locale, p)}
                </li>
              ))}
            </ul>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      <ErrorAlert error={error} />
      <Space wrap>
        <Button
          onClick={() => {
            void flush().then(() => {
              onDone(null);
            });
          }}
          data-testid="appeal-save-draft"
        >
          {t("saveDraft")}
        </Button>
        <Button
          type="primary"
          loading={sending}
          disabled={!saved || problems.length > 0}
          onClick={() => void send()}
          data-testid="appeal-send"
        >
          {t("send")}
        </Button>
      </Space>
    </Card>
  );
}
