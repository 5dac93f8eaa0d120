import { Suspense, lazy, useEffect, useRef, useState } from "react";
import { SearchOutlined } from "@ant-design/icons";
import {
  Badge,
  Button,
  Checkbox,
  DatePicker,
  Empty,
  Input,
  List,
  Modal,
  Pagination,
  Segmented,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from "antd";
import type { Dayjs } from "dayjs";
import { commands, unwrap } from "../../shared/api";
import type {
  Applicability,
  DocumentKind,
  ErrorInfo,
  Facets,
  PolicyLevel,
  SearchOrder,
  SearchPage,
  Status_Serialize as Status,
  StatusFilter,
  WithdrawnDocument,
} from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import Panel from "../../shared/Panel";
import { toErrorInfo } from "../../shared/errors";
import { pick, useI18n, useMessages } from "../../shared/i18n";
import { navMessages } from "../../layout/nav";
import { districtLabel, industryLabel } from "../../shared/places";
import { mark } from "../../shared/timeline";
import { useContentShown } from "../../shared/contentShown";
import { useTopics } from "../../shared/useTopics";
import { PAGE_SIZE, leaveFirstResults, libraryQuery, peekFirstResults } from "./firstResults";
import { Parts } from "./Highlight";
import { levelColor, levelKey } from "./labels";
import { messages } from "./messages";
import { statusColor, statusKey } from "./status";

// The reader (antd's drawer, descriptions and list) is code the library's first page does
// not draw: it loads when the officer first opens a document, not with the main page.
const DocumentDrawer = lazy(() => import("./DocumentDrawer").then((m) => ({ default: m.DocumentDrawer })));

/** How long typing must pause before the list follows the search box. */
const SEARCH_PAUSE_MS = 250;

type Scope = "mine" | "all";
type StatusChoice = StatusFilter | "any";

interface Filters {
  levels: PolicyLevel[];
  district: string | null;
  issuer: string | null;
  industry: string | null;
  status: StatusChoice;
  published: [string, string] | null;
}

const noFilters: Filters = { levels: [], district: null, issuer: null, industry: null, status: "any", published: null };

export default function DocumentsPage({ kind, status }: { kind: DocumentKind; status: Status }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const [text, setText] = useState("");
  // What is in the box; it becomes the query once typing pauses.
  const [draft, setDraft] = useState("");
  // While an input method composes Chinese, the box holds pinyin: not worth a search.
  const composing = useRef(false);
  const enterprise = status.enterprise;
  // The first results, when the main page's frame asked for them as the page's code loaded:
  // the page is then drawn with them, and does not ask again until something changes.
  const [first] = useState(() => peekFirstResults(enterprise, kind, status.document_count));
  const skipFirst = useRef({ applicability: first !== null, search: first !== null });
  useEffect(leaveFirstResults, []);
  const [scope, setScope] = useState<Scope>(enterprise ? "mine" : "all");
  const [both, setBoth] = useState(false);
  const [onlyNew, setOnlyNew] = useState(false);
  const [withdrawn, setWithdrawn] = useState<WithdrawnDocument[]>([]);
  const [showWithdrawn, setShowWithdrawn] = useState(false);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [order, setOrder] = useState<SearchOrder>("relevance");
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<SearchPage | null>(first?.page ?? null);
  const [loading, setLoading] = useState(first === null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [mine, setMine] = useState<Applicability | null>(first?.mine ?? null);
  // Until the enterprise's applicability is read, a search of its own documents would be a
  // search of everything, answered and then thrown away.
  const [mineKnown, setMineKnown] = useState(first !== null || !enterprise);
  const [open, setOpen] = useState<string | null>(null);
  // Once opened, the reader stays, closed, so it closes as it opened (antd's animation).
  const [reading, setReading] = useState(false);
  if (open !== null && !reading) setReading(true);
  const results = useRef<HTMLUListElement | null>(null);

  // The start-up timeline says whether the first painted page had its results yet: the
  // first answer can come back before the webview's first frame.
  useEffect(() => {
    if (page) mark("results");
  }, [page]);
  // The page is complete once its first results, or what stands in their place, are drawn.
  useContentShown(page !== null || error !== null);

  useEffect(() => {
    const h = setTimeout(() => {
      if (!composing.current) setText(draft.trim());
    }, SEARCH_PAUSE_MS);
    return () => {
      clearTimeout(h);
    };
  }, [draft]);

  // Reload when a sync changed the catalog.
  const [catalogVersion, setCatalogVersion] = useState(0);
  useTopics(enterprise, ["catalog", "self_check"], () => {
    setCatalogVersion((v) => v + 1);
  });

  useEffect(() => {
    let live = true;
    unwrap(commands.documentFacets())
      .then((f) => {
        if (live) setFacets(f);
      })
      .catch(() => {
        // The filters then offer no values; the search itself reports the error.
      });
    if (skipFirst.current.applicability) {
      skipFirst.current.applicability = false;
    } else if (enterprise) {
      unwrap(commands.libraryApplicability(enterprise))
        .then((a) => {
          if (!live) return;
          setMine(a);
          setMineKnown(true);
        })
        .catch(() => {
          if (!live) return;
          setMine(null);
          setMineKnown(true);
        });
    } else {
      setMine(null);
      setMineKnown(true);
      setScope("all");
    }
    return () => {
      live = false;
    };
  }, [enterprise, catalogVersion, status.document_count]);

  const mineActive = scope === "mine" && mine !== null;
  useEffect(() => {
    setPageNo(1);
  }, [text, scope, both, filters, order, kind, onlyNew]);

  const waitingForMine = scope === "mine" && !mineKnown;
  useEffect(() => {
    if (skipFirst.current.search) {
      skipFirst.current.search = false;
      return;
    }
    if (waitingForMine) return;
    let live = true;
    setLoading(true);
    unwrap(
      commands.searchDocuments(
        libraryQuery({
          text,
          kind,
          both,
          levels: filters.levels,
          district: filters.district,
          issuer: filters.issuer,
          industry: filters.industry,
          status: filters.status === "any" ? null : filters.status,
          published: filters.published,
          appliesTo: mineActive ? mine : null,
          onlyNew,
          order,
          pageNo,
        }),
      ),
    )
      .then((r) => {
        if (!live) return;
        setPage(r);
        setError(null);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(toErrorInfo(e));
        setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [kind, both, text, filters, order, pageNo, mineActive, mine, onlyNew, catalogVersion, status.document_count, waitingForMine]);

  useEffect(() => {
    let live = true;
    unwrap(commands.withdrawnDocuments())
      .then((w) => {
        if (live) setWithdrawn(w);
      })
      .catch(() => {
        // Only the withdrawn list's link is missing then; the library reports its own errors.
      });
    return () => {
      live = false;
    };
  }, [catalogVersion, status.document_count]);

  const empty =
    status.syncing && status.document_count === 0 ? (
      <Spin tip={t("emptySyncing")}>
        <div style={{ height: 80 }} />
      </Spin>
    ) : status.document_count === 0 ? (
      <Empty description={t("emptyNoData")} data-testid="documents-empty" />
    ) : (
      <Empty description={mineActive ? t("emptyNoMatchMine") : t("emptyNoMatch")} data-testid="documents-empty" />
    );
  const set = (f: Partial<Filters>) => {
    setFilters((old) => ({ ...old, ...f }));
  };

  return (
    <Panel
      title={pick(locale, kind === "policy" ? navMessages.menuPolicies : navMessages.menuGuidance)}
      extra={
        page && (
          <Typography.Text type="secondary" data-testid="document-count">{`${page.total} ${t(page.total === 1 ? "countSuffixOne" : "countSuffix")}`}</Typography.Text>
        )
      }
    >
      <Space direction="vertical" style={{ width: "100%", marginBottom: 12 }} size="small">
        <Space wrap>
          {/* A plain text box: a search-type input would add the webview's own clear button
              beside Ant Design's. */}
          <Input
            allowClear
            prefix={<SearchOutlined />}
            style={{ width: 420, maxWidth: "100%" }}
            placeholder={t("searchPlaceholder")}
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
            }}
            onPressEnter={(e) => {
              setText(e.currentTarget.value.trim());
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
            data-testid="search"
          />
          <Checkbox
            checked={onlyNew}
            onChange={(e) => {
              setOnlyNew(e.target.checked);
            }}
            data-testid="filter-new"
          >
            <Badge count={status.library_new} size="small" offset={[10, -2]} data-testid="new-count">
              {t("filterNew")}
            </Badge>
          </Checkbox>
          {withdrawn.length > 0 && (
            <Button
              type="link"
              onClick={() => {
                setShowWithdrawn(true);
              }}
              data-testid="withdrawn-open"
            >
              {t("withdrawnLink").replace("{n}", String(withdrawn.length))}
            </Button>
          )}
          <Checkbox
            checked={both}
            onChange={(e) => {
              setBoth(e.target.checked);
            }}
            data-testid="search-both"
          >
            {t("bothSections")}
          </Checkbox>
        </Space>
        <Space wrap>
          {enterprise && (
            <Segmented<Scope>
              value={scope}
              onChange={setScope}
              data-testid="scope"
              options={[
                { label: t("scopeMine"), value: "mine" },
                { label: t("scopeAll"), value: "all" },
              ]}
            />
          )}
          {mineActive && (
            <Typography.Text type="secondary" data-testid="scope-hint">
              {t("scopeMineHint")
                .replace("{district}", mine.district ? districtLabel(mine.district, locale) : "—")
                .replace("{industry}", mine.industry ? industryLabel(mine.industry, locale) : "—")}
            </Typography.Text>
          )}
        </Space>
        <Space wrap>
          {/* Three levels, each a checkbox: one click, all in sight. A multiple-choice
              select here measured its search box's width as the page was first put in the
              document, forcing a layout of the whole page (~25 ms of the main page's start)
              before the one the webview does anyway. */}
          <div role="group" aria-label={t("filterLevel")} className="level-filter" data-testid="filter-level">
            <Typography.Text type="secondary">{t("filterLevel")}</Typography.Text>
            <Checkbox.Group<PolicyLevel>
              value={filters.levels}
              onChange={(v) => {
                set({ levels: v });
              }}
              options={(["national", "municipal", "district"] as PolicyLevel[]).map((l) => ({ value: l, label: t(levelKey[l]) }))}
            />
          </div>
          <Select<string>
            allowClear
            showSearch
            style={{ width: 130 }}
            placeholder={t("filterDistrictAny")}
            aria-label={t("filterDistrict")}
            value={filters.district ?? undefined}
            onChange={(v: string | undefined) => {
              // Cleared, the select gives undefined whatever its type says.
              set({ district: v ?? null });
            }}
            data-testid="filter-district"
            options={(facets?.districts ?? []).map((d) => ({ value: d, label: districtLabel(d, locale) }))}
          />
          <Select<string>
            allowClear
            showSearch
            style={{ width: 200 }}
            placeholder={t("filterIssuer")}
            aria-label={t("filterIssuer")}
            value={filters.issuer ?? undefined}
            onChange={(v: string | undefined) => {
              // Cleared, the select gives undefined whatever its type says.
              set({ issuer: v ?? null });
            }}
            data-testid="filter-issuer"
            options={(facets?.issuers ?? []).map((d) => ({ value: d, label: d }))}
          />
          <Select<string>
            allowClear
            showSearch
            style={{ width: 180 }}
            placeholder={t("filterIndustry")}
            aria-label={t("filterIndustry")}
            value={filters.industry ?? undefined}
            onChange={(v: string | undefined) => {
              // Cleared, the select gives undefined whatever its type says.
              set({ industry: v ?? null });
            }}
            data-testid="filter-industry"
            options={(facets?.industries ?? []).map((d) => ({ value: d, label: industryLabel(d, locale) }))}
          />
          <Segmented<StatusChoice>
            value={filters.status}
            onChange={(v) => {
              set({ status: v });
            }}
            data-testid="filter-status"
            options={[
              { label: t("statusAny"), value: "any" },
              { label: t("statusInForce"), value: "in_force" },
              { label: t("statusExpired"), value: "expired" },
            ]}
          />
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            placeholder={[t("filterPublished"), t("filterPublished")]}
            onChange={(v: [Dayjs | null, Dayjs | null] | null) => {
              const from = v?.[0]?.format("YYYY-MM-DD") ?? "";
              const to = v?.[1]?.format("YYYY-MM-DD") ?? "";
              set({ published: from || to ? [from, to] : null });
            }}
            data-testid="filter-published"
          />
          <Segmented<SearchOrder>
            value={order}
            onChange={setOrder}
            data-testid="order"
            options={[
              { label: t("orderRelevance"), value: "relevance" },
              { label: t("orderDate"), value: "date" },
            ]}
          />
          {filters !== noFilters && (
            <Button
              onClick={() => {
                setFilters(noFilters);
              }}
              data-testid="filter-reset"
            >
              {t("filterReset")}
            </Button>
          )}
        </Space>
      </Space>
      <ErrorAlert error={error} />
      {loading && page === null ? (
        <div className="doc-list-loading">
          <Spin />
        </div>
      ) : page && page.hits.length > 0 ? (
        // A plain list, not antd's, whose items took only clicks: each title is a button, so a
        // result opens from the keyboard as from the mouse, which clicks anywhere on its row.
        // role="list": WebKit's accessibility tree drops the role of a list drawn without
        // its markers.
        <ul ref={results} role="list" className="doc-list" data-testid="document-table" aria-label={t("resultsLabel")}>
          {page.hits.map((h) => (
            <li
              key={h.id}
              className="doc-row"
              data-testid="document-row"
              data-id={h.id}
              onClick={() => {
                setOpen(h.id);
              }}
            >
              <div className="doc-row-title">
                {/* A heading, as antd's list had: screen readers move from result to result. */}
                <h4 className="doc-heading">
                  <button type="button" className="doc-open" data-testid="document-title">
                    <Parts parts={h.title_parts} />
                  </button>
                </h4>
                {both && <span className="plain-tag">{h.kind === "policy" ? t("kindPolicy") : t("kindGuidance")}</span>}
                <span className={`plain-tag tag-${levelColor[h.level]}`}>
                  {h.district ? districtLabel(h.district, locale) : t(levelKey[h.level])}
                </span>
                <span className={`plain-tag tag-${statusColor[h.status]}`} data-testid="document-status" data-status={h.status}>
                  {t(statusKey[h.status])}
                </span>
              </div>
              <div className="doc-row-meta">{[h.issuer, h.doc_number, h.published_on].filter(Boolean).join(" · ")}</div>
              <div className="search-snippet" data-testid="document-snippet">
                <Parts parts={h.snippet} />
              </div>
            </li>
          ))}
        </ul>
      ) : error ? null : (
        <div className="doc-list-empty">{empty}</div>
      )}
      {page && page.total > PAGE_SIZE && (
        <Pagination
          style={{ marginTop: 12, textAlign: "right" }}
          current={pageNo}
          pageSize={PAGE_SIZE}
          total={page.total}
          showSizeChanger={false}
          onChange={setPageNo}
        />
      )}
      <Modal
        open={showWithdrawn}
        title={t("withdrawnTitle")}
        footer={null}
        onCancel={() => {
          setShowWithdrawn(false);
        }}
      >
        <List
          size="small"
          data-testid="withdrawn-list"
          dataSource={withdrawn}
          renderItem={(w) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <Typography.Text delete>{w.title}</Typography.Text>
                    <Tag>{t("statusWithdrawn")}</Tag>
                  </Space>
                }
                description={`${[w.issuer, w.doc_number].filter(Boolean).join(" · ")} · ${t("withdrawnAt")} ${w.withdrawn_at.slice(0, 10)}`}
              />
            </List.Item>
          )}
        />
      </Modal>
      {reading && (
        <Suspense fallback={null}>
          <DocumentDrawer
            id={open}
            enterprise={enterprise}
            words={page?.words ?? []}
            onClose={() => {
              // The keyboard goes on from the result the document was opened from (the drawer,
              // made to leave nothing behind when closed, returns the focus nowhere itself);
              // from the first result if a sync has taken that one away meanwhile.
              const rows = Array.from(results.current?.children ?? []) as HTMLElement[];
              const row = rows.find((r) => r.dataset.id === open) ?? rows[0];
              const title = row?.querySelector<HTMLButtonElement>(".doc-open");
              setOpen(null);
              title?.focus({ preventScroll: true });
            }}
          />
        </Suspense>
      )}
    </Panel>
  );
}
