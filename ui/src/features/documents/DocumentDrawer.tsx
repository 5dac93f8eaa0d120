import dayjs from "dayjs";
import { useEffect, useRef, useState } from "react";
import { Button, Checkbox, Descriptions, Drawer, Input, List, Space, Spin, Tag, Typography } from "antd";
import { StarFilled, StarOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import type { CitingItem, ErrorInfo, LibraryDocument_Serialize as LibraryDocument } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { districtLabel, industryLabel } from "../../shared/places";
import { useNavigate } from "../../shared/navigation";
import { Marked } from "./Highlight";
import { levelColor, levelKey, paragraphs } from "./labels";
import { messages } from "./messages";
import { statusColor, statusKey } from "./status";

/** Whether paragraph `p` holds clause `clause` ("三、", "第三条", "三、（一）"): a line of it
 *  starts with the clause, or with its head ("三、") and then holds its item ("（一）"). */
function startsClause(p: string, clause: string): boolean {
  if (clause === "") return false;
  const head = /^[^（(]+/.exec(clause)?.[0] ?? clause;
  const item = clause.slice(head.length);
  return p.split("\n").some((line) => {
    const l = line.trimStart();
    return l.startsWith(clause) || (item !== "" && l.startsWith(head) && l.includes(item));
  });
}

/**
 * One document, read offline: its metadata, its key conditions as a checklist whose clause
 * tags jump to the clause in the text, the self-check items citing it, and the text with the
 * search's words marked. With `clause` (a citation), that clause is marked and scrolled to.
 */
export function DocumentDrawer({
  id,
  enterprise = null,
  clause,
  words = [],
  onClose,
}: {
  id: string | null;
  /** The enterprise whose bookmark and note are shown; none: reading only. */
  enterprise?: string | null;
  clause?: string;
  words?: string[];
  onClose: () => void;
}) {
  const t = useMessages(messages);
  const { t: shared, locale } = useI18n();
  const navigate = useNavigate();
  // The document shown: the one opened, or one its supersession links led to.
  const [shown, setShown] = useState<string | null>(id);
  const [lib, setLib] = useState<LibraryDocument | null>(null);
  const doc = lib?.view.document ?? null;
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<ErrorInfo | null>(null);
  const [saving, setSaving] = useState(false);
  const [reload, setReload] = useState(0);
  const [citing, setCiting] = useState<CitingItem[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // The clause to show: the citation's, then whichever tag the officer clicked.
  const [target, setTarget] = useState<string | undefined>(clause);
  // Ticks on key conditions: the enterprise's, kept in its database; without an enterprise
  // (reading before signing in) only for as long as the document is open.
  const [readingTicks, setReadingTicks] = useState<Set<string>>(new Set());
  const [checkError, setCheckError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    setShown(id);
    setTarget(clause);
  }, [id, clause]);

  useEffect(() => {
    setError(null);
    setNoteError(null);
    if (!shown) {
      setLib(null);
      return;
    }
    let live = true;
    Promise.all([unwrap(commands.getDocumentView(enterprise, shown)), unwrap(commands.documentCitations(shown))])
      .then(([d, c]) => {
        if (!live) return;
        setLib((old) => {
          if (old?.view.document.id !== d.view.document.id) {
            setReadingTicks(new Set());
            setCheckError(null);
            setNote(d.note?.text ?? "");
          }
          return d;
        });
        setCiting(c);
      })
      .catch((e: unknown) => {
        if (live) setError(toErrorInfo(e));
      });
    return () => {
      live = false;
    };
  }, [shown, enterprise, reload]);

  const saveNote = (text: string) => {
    if (!enterprise || !shown) return;
    setSaving(true);
    unwrap(commands.setNote(enterprise, shown, text))
      .then(() => {
        setNoteError(null);
        setReload((r) => r + 1);
      })
      .catch((e: unknown) => {
        setNoteError(toErrorInfo(e));
      })
      .finally(() => {
        setSaving(false);
      });
  };

  const checks = new Map((lib?.checks ?? []).map((c) => [c.condition_id, c]));
  const isTicked = (conditionId: string) =>
    enterprise ? checks.get(conditionId)?.reworded === false : readingTicks.has(conditionId);
  const tick = (conditionId: string, on: boolean) => {
    if (!enterprise || !shown) {
      setReadingTicks((s) => {
        const n = new Set(s);
        if (on) n.add(conditionId);
        else n.delete(conditionId);
        return n;
      });
      return;
    }
    // Shown at once; the reload after the save (or its failure) shows what was kept.
    setLib((old) => {
      if (!old) return old;
      const rest = old.checks.filter((c) => c.condition_id !== conditionId);
      return {
        ...old,
        checks: on ? [...rest, { condition_id: conditionId, checked_at: Date.now() / 1000, reworded: false }] : rest,
      };
    });
    unwrap(commands.checkCondition(enterprise, shown, conditionId, on))
      .then(() => {
        setCheckError(null);
      })
      .catch((e: unknown) => {
        setCheckError(toErrorInfo(e));
      })
      .finally(() => {
        setReload((r) => r + 1);
      });
  };

  const marked = useRef<HTMLParagraphElement | null>(null);
  const [jumps, setJumps] = useState(0);
  useEffect(() => {
    marked.current?.scrollIntoView({ block: "center" });
  }, [doc, target, jumps]);

  let firstCited = true;

  return (
    // Closed, it leaves nothing behind: kept, its two focus guards stayed in the Tab order
    // after the last result, where the focus went out of sight. The page it opened from
    // takes the focus back (DocumentsPage).
    <Drawer
      open={id !== null}
      onClose={onClose}
      width="min(760px, 94vw)"
      title={doc?.title}
      destroyOnHidden
      data-testid="document-drawer"
    >
      <ErrorAlert error={error} />
      {!doc && !error && id !== null && <Spin data-testid="document-loading" />}
      {doc && lib && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color={statusColor[lib.view.status]} data-testid="document-status" data-status={lib.view.status}>
              {t(statusKey[lib.view.status])}
            </Tag>
            {lib.view.change && <Tag color="magenta">{t("statusNew")}</Tag>}
            {enterprise && (
              <Button
                size="small"
                icon={lib.bookmarked ? <StarFilled style={{ color: "#faad14" }} /> : <StarOutlined />}
                data-testid="bookmark"
                data-on={lib.bookmarked ? "true" : "false"}
                onClick={() => {
                  unwrap(commands.bookmark(enterprise, doc.id, !lib.bookmarked))
                    .then(() => {
                      setReload((r) => r + 1);
                    })
                    .catch((e: unknown) => {
                      setNoteError(toErrorInfo(e));
                    });
                }}
              >
                {lib.bookmarked ? t("bookmarked") : t("bookmark")}
              </Button>
            )}
          </Space>
          {lib.view.superseded_by && (
            <Typography.Paragraph type="warning" data-testid="superseded-by">
              {t("supersededBy")}
              <Typography.Link
                onClick={() => {
                  setShown(lib.view.superseded_by?.id ?? null);
                }}
              >
                {lib.view.superseded_by.title}
              </Typography.Link>
            </Typography.Paragraph>
          )}
          {lib.view.supersedes && (
            <Typography.Paragraph type="secondary" data-testid="supersedes">
              {t("supersedes")}
              <Typography.Link
                onClick={() => {
                  setShown(lib.view.supersedes?.id ?? null);
                }}
              >
                {lib.view.supersedes.title}
              </Typography.Link>
            </Typography.Paragraph>
          )}
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t("colIssuer")} span={2}>
              {doc.issuer}
            </Descriptions.Item>
            <Descriptions.Item label={t("colDocNumber")}>{doc.doc_number ?? shared("none")}</Descriptions.Item>
            <Descriptions.Item label={t("colLevel")}>
              <Tag color={levelColor[doc.level]}>{doc.district ? districtLabel(doc.district, locale) : t(levelKey[doc.level])}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t("colDate")}>{doc.published_on}</Descriptions.Item>
            <Descriptions.Item label={t("effectiveOn")}>{doc.effective_on}</Descriptions.Item>
            <Descriptions.Item label={t("expiresOn")} span={2}>
              <span data-testid="document-expires">{doc.expires_on ?? t("noEnd")}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("industries")} span={2}>
              {doc.industries.map((i) => industryLabel(i, locale)).join(locale === "zh-CN" ? "、" : ", ")}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ marginTop: 16 }}>
            {doc.tags.map((tag) => (
              <Tag key={tag}>{tag}</Tag>
            ))}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{doc.summary}</Typography.Paragraph>
          <Typography.Title level={5}>
            {t("keyConditions")}
            {doc.key_conditions.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: "normal", marginLeft: 8 }} data-testid="checked-count">
                {t("checkedCount")} {doc.key_conditions.filter((c) => isTicked(c.id)).length}/{doc.key_conditions.length}
              </Typography.Text>
            )}
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            {t("keyConditionsHint")}
            {enterprise && ` ${t("keyConditionsKept")}`}
          </Typography.Paragraph>
          <ErrorAlert error={checkError} />
          <List
            size="small"
            bordered
            data-testid="key-conditions"
            dataSource={doc.key_conditions}
            locale={{ emptyText: shared("none") }}
            renderItem={(c) => (
              <List.Item data-testid="key-condition" data-checked={isTicked(c.id) ? "true" : "false"}>
                <Space align="start">
                  <Checkbox
                    checked={isTicked(c.id)}
                    data-testid="condition-check"
                    onChange={(e) => {
                      tick(c.id, e.target.checked);
                    }}
                  />
                  <Button
                    size="small"
                    type={target !== undefined && c.clause.startsWith(target) ? "primary" : "default"}
                    data-testid="clause-tag"
                    onClick={() => {
                      setTarget(c.clause);
                      setJumps((j) => j + 1);
                    }}
                  >
                    {c.clause}
                  </Button>
                  <span>
                    <Marked text={c.text} words={words} />
                    {checks.get(c.id)?.reworded && (
                      <Tag color="warning" style={{ marginLeft: 8 }} data-testid="condition-reworded">
                        {t("reworded")}
                      </Tag>
                    )}
                  </span>
                </Space>
              </List.Item>
            )}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("citedBy")}
          </Typography.Title>
          <List
            size="small"
            data-testid="citing-items"
            dataSource={citing}
            locale={{ emptyText: t("citedByNone") }}
            renderItem={(c) => (
              <List.Item>
                <Button
                  type="link"
                  data-testid="citing-item"
                  onClick={() => {
                    onClose();
                    // Without an enterprise (reading only) the page opens, at no item.
                    navigate("selfcheck", enterprise ? { enterprise, key: `${c.template_id}/${c.item_id}` } : undefined);
                  }}
                >
                  {c.prompt}
                </Button>
                <Typography.Text type="secondary">
                  {c.template_title} · {c.clause}
                </Typography.Text>
              </List.Item>
            )}
          />
          {enterprise && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t("note")}
              </Typography.Title>
              <ErrorAlert error={noteError} />
              <Input.TextArea
                rows={3}
                value={note}
                placeholder={t("notePlaceholder")}
                onChange={(e) => {
                  setNote(e.target.value);
                }}
                data-testid="note"
              />
              <Space style={{ marginTop: 8 }}>
                <Button
                  type="primary"
                  size="small"
                  loading={saving}
                  disabled={note === (lib.note?.text ?? "")}
                  onClick={() => {
                    saveNote(note);
                  }}
                  data-testid="note-save"
                >
                  {t("noteSave")}
                </Button>
                {lib.note && (
                  <Typography.Text type="secondary" data-testid="note-saved">
                    {t("noteSaved")} {dayjs.unix(lib.note.updated_at ?? 0).format("YYYY-MM-DD HH:mm")}
                  </Typography.Text>
                )}
              </Space>
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("fullText")}
          </Typography.Title>
          <div className="doc-body" data-testid="document-body">
            {paragraphs(doc.body).map((p, i) => {
              if (target === undefined || !startsClause(p, target)) {
                return (
                  <p key={i}>
                    <Marked text={p} words={words} />
                  </p>
                );
              }
              const first = firstCited;
              firstCited = false;
              return (
                <p key={i} ref={first ? marked : undefined} className="doc-cited" data-testid="cited-clause">
                  <Marked text={p} words={words} />
                </p>
              );
            })}
          </div>
        </>
      )}
    </Drawer>
  );
}
