import { useEffect, useRef, useState } from "react";
import { Card, Descriptions, Drawer, Empty, Input, List, Segmented, Space, Spin, Table, Tag, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type {
  Document_Serialize as Document,
  DocumentKind,
  DocumentSummary_Serialize as DocumentSummary,
  ErrorInfo,
  PolicyLevel,
  Status_Serialize as Status,
} from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { useTopics } from "../../shared/useTopics";
import { levelColor, levelKey, paragraphs } from "./labels";
import { messages } from "./messages";

type LevelFilter = PolicyLevel | "all";

/** How long typing must pause before the list follows the search box. */
const SEARCH_PAUSE_MS = 250;

export default function DocumentsPage({ kind, status }: { kind: DocumentKind; status: Status }) {
  const t = useMessages(messages);
  const [text, setText] = useState("");
  // What is in the box; it becomes the query once typing pauses.
  const [draft, setDraft] = useState("");
  // While an input method composes Chinese, the box holds pinyin: not worth a search.
  const composing = useRef(false);
  const [level, setLevel] = useState<LevelFilter>("all");
  const [rows, setRows] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  useEffect(() => {
    const h = setTimeout(() => {
      if (!composing.current) setText(draft.trim());
    }, SEARCH_PAUSE_MS);
    return () => {
      clearTimeout(h);
    };
  }, [draft]);

  // Reload when the filters change or a sync changed the catalog.
  const [catalogVersion, setCatalogVersion] = useState(0);
  useTopics(null, ["catalog"], () => {
    setCatalogVersion((v) => v + 1);
  });
  useEffect(() => {
    let live = true;
    unwrap(commands.listDocuments({ kind, level: level === "all" ? null : level, text: text || null }))
      .then((r) => {
        if (live) {
          setRows(r);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (live) setError(toErrorInfo(e));
      });
    return () => {
      live = false;
    };
  }, [kind, level, text, catalogVersion, status.document_count]);

  const filtering = text !== "" || level !== "all";
  const empty = status.syncing ? (
    <Spin tip={t("emptySyncing")}>
      <div style={{ height: 80 }} />
    </Spin>
  ) : (
    <Empty description={filtering ? t("emptyNoMatch") : t("emptyNoData")} />
  );

  return (
    <Card
      title={kind === "policy" ? t("menuPolicies") : t("menuGuidance")}
      extra={rows && <Typography.Text type="secondary">{`${rows.length} ${t("countSuffix")}`}</Typography.Text>}
    >
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          style={{ width: 360 }}
          placeholder={t("searchPlaceholder")}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
          }}
          onCompositionStart={() => {
            composing.current = true;
          }}
          onCompositionEnd={(e) => {
            composing.current = false;
            // The end of composing is itself the pause: the pause timer may have passed
            // while the pinyin was still in the box.
            setDraft(e.currentTarget.value);
            setText(e.currentTarget.value.trim());
          }}
          onSearch={(v) => {
            setText(v.trim());
          }}
          data-testid="search"
        />
        <Segmented<LevelFilter>
          value={level}
          onChange={setLevel}
          options={[
            { label: t("levelAll"), value: "all" },
            { label: t("levelNational"), value: "national" },
            { label: t("levelMunicipal"), value: "municipal" },
            { label: t("levelDistrict"), value: "district" },
          ]}
        />
      </Space>
      <ErrorAlert error={error} />
      <Table<DocumentSummary>
        data-testid="document-table"
        rowKey="id"
        size="middle"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        locale={{ emptyText: empty }}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        onRow={(r) => ({
          onClick: () => {
            setOpenId(r.id);
          },
          style: { cursor: "pointer" },
        })}
        columns={[
          {
            title: t("colTitle"),
            dataIndex: "title",
            render: (v: string) => <span data-testid="document-title">{v}</span>,
          },
          {
            title: t("colLevel"),
            dataIndex: "level",
            width: 150,
            render: (_: unknown, r) => (
              <Tag color={levelColor[r.level]}>{r.district ?? t(levelKey[r.level])}</Tag>
            ),
          },
          { title: t("colIssuer"), dataIndex: "issuer", width: 240 },
          { title: t("colDate"), dataIndex: "published_on", width: 120 },
        ]}
      />
      <DocumentDrawer id={openId} onClose={() => { setOpenId(null); }} />
    </Card>
  );
}

/** One document, read offline. With `clause` (e.g. "三、"), the paragraphs of that clause
 *  are marked and scrolled to: a citation opens the policy where it says so. */
export function DocumentDrawer({ id, clause, onClose }: { id: string | null; clause?: string; onClose: () => void }) {
  const t = useMessages(messages);
  const shared = useI18n().t;
  const [doc, setDoc] = useState<Document | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    setDoc(null);
    setError(null);
    if (!id) return;
    let live = true;
    unwrap(commands.getDocument(id))
      .then((d) => {
        if (live) setDoc(d);
      })
      .catch((e: unknown) => {
        if (live) setError(toErrorInfo(e));
      });
    return () => {
      live = false;
    };
  }, [id]);

  const marked = useRef<HTMLParagraphElement | null>(null);
  useEffect(() => {
    marked.current?.scrollIntoView({ block: "center" });
  }, [doc, clause]);
  const cited = (p: string) => clause !== undefined && clause !== "" && p.trimStart().startsWith(clause);
  let firstCited = true;

  return (
    <Drawer open={id !== null} onClose={onClose} width="min(720px, 92vw)" title={doc?.title} data-testid="document-drawer">
      <ErrorAlert error={error} />
      {doc && (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t("colIssuer")} span={2}>{doc.issuer}</Descriptions.Item>
            <Descriptions.Item label={t("colDocNumber")}>{doc.doc_number ?? shared("none")}</Descriptions.Item>
            <Descriptions.Item label={t("colLevel")}>
              <Tag color={levelColor[doc.level]}>{doc.district ?? t(levelKey[doc.level])}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t("colDate")}>{doc.published_on}</Descriptions.Item>
            <Descriptions.Item label={t("effectiveOn")}>{doc.effective_on}</Descriptions.Item>
            <Descriptions.Item label={t("expiresOn")}>{doc.expires_on ?? shared("none")}</Descriptions.Item>
            <Descriptions.Item label={t("industries")}>{doc.industries.join("、")}</Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ marginTop: 16 }}>
            {doc.tags.map((tag) => (
              <Tag key={tag}>{tag}</Tag>
            ))}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{doc.summary}</Typography.Paragraph>
          <Typography.Title level={5}>{t("keyConditions")}</Typography.Title>
          <List
            size="small"
            bordered
            dataSource={doc.key_conditions}
            locale={{ emptyText: shared("none") }}
            renderItem={(c) => (
              <List.Item>
                <Space align="start">
                  <Tag color={clause !== undefined && c.clause.startsWith(clause) ? "red" : "orange"}>{c.clause}</Tag>
                  <span>{c.text}</span>
                </Space>
              </List.Item>
            )}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("fullText")}
          </Typography.Title>
          <div className="doc-body">
            {paragraphs(doc.body).map((p, i) => {
              if (!cited(p)) return <p key={i}>{p}</p>;
              const first = firstCited;
              firstCited = false;
              return (
                <p key={i} ref={first ? marked : undefined} className="doc-cited" data-testid="cited-clause">
                  {p}
                </p>
              );
            })}
          </div>
        </>
      )}
    </Drawer>
  );
}
