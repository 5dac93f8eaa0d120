import { Suspense, lazy, useEffect, useRef, useState } from "react";
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
import CheckBox from "../../shared/CheckBox";
import DateRange, { inOrder } from "../../shared/DateRange";
import EmptyState from "../../shared/EmptyState";
import ErrorAlert from "../../shared/ErrorAlert";
import Pager from "../../shared/Pager";
import PlainButton from "../../shared/PlainButton";
import SearchBox from "../../shared/SearchBox";
import Segments from "../../shared/Segments";
import SelectBox from "../../shared/SelectBox";
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
// So is the list of withdrawn documents (antd's dialog and list): the page's own controls are
// not antd's, so that a start on it neither loads nor draws antd's selects, date picker and
// the rest (antd's root and the header's still come first: see App.tsx).
const WithdrawnDialog = lazy(() => import("./WithdrawnDialog"));

/** How long typing must pause before the list follows the search box. */
const SEARCH_PAUSE_MS = 250;

type Scope = "mine" | "all";
const LEVELS: PolicyLevel[] = ["national", "municipal", "district"];
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
  // Once opened, the list stays, closed, so it closes as it opened.
  const [withdrawnOpened, setWithdrawnOpened] = useState(false);
  if (showWithdrawn && !withdrawnOpened) setWithdrawnOpened(true);
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
          published: filters.published && inOrder(filters.published),
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
      <div className="doc-list-syncing" role="status">
        <div className="spinner" aria-hidden />
        <span>{t("emptySyncing")}</span>
      </div>
    ) : status.document_count === 0 ? (
      <EmptyState description={t("emptyNoData")} data-testid="documents-empty" />
    ) : (
      <EmptyState description={mineActive ? t("emptyNoMatchMine") : t("emptyNoMatch")} data-testid="documents-empty" />
    );
  const set = (f: Partial<Filters>) => {
    setFilters((old) => ({ ...old, ...f }));
  };

  // The page's controls are the app's own (shared/), not antd's: a start on the main page opens
  // on it, and antd's controls took most of its first render and first layout.
  return (
    <Panel
      title={pick(locale, kind === "policy" ? navMessages.menuPolicies : navMessages.menuGuidance)}
      extra={
        page && (
          <span className="secondary-text" data-testid="document-count">{`${page.total} ${t(page.total === 1 ? "countSuffixOne" : "countSuffix")}`}</span>
        )
      }
    >
      <div className="library-controls">
        <div className="library-row">
          <SearchBox
            style={{ width: 420, maxWidth: "100%" }}
            placeholder={t("searchPlaceholder")}
            aria-label={t("searchLabel")}
            clearLabel={t("searchClear")}
            value={draft}
            onChange={setDraft}
            onEnter={(v) => {
              setText(v.trim());
            }}
            onCompositionStart={() => {
              composing.current = true;
            }}
            onCompositionEnd={(v) => {
              composing.current = false;
              // The end of composing is itself the pause: the pause timer may have passed
              // while the pinyin was still in the box.
              setDraft(v);
              setText(v.trim());
            }}
            data-testid="search"
          />
          <CheckBox checked={onlyNew} onChange={setOnlyNew} data-testid="filter-new">
            {t("filterNew")}
            {status.library_new > 0 && (
              <sup className="count-badge count-badge-new" data-testid="new-count">
                {status.library_new}
              </sup>
            )}
          </CheckBox>
          {withdrawn.length > 0 && (
            <PlainButton
              kind="link"
              onClick={() => {
                setShowWithdrawn(true);
              }}
              data-testid="withdrawn-open"
            >
              {t("withdrawnLink").replace("{n}", String(withdrawn.length))}
            </PlainButton>
          )}
          <CheckBox checked={both} onChange={setBoth} data-testid="search-both">
            {t("bothSections")}
          </CheckBox>
        </div>
        {enterprise && (
          <div className="library-row">
            <Segments<Scope>
              value={scope}
              onChange={setScope}
              label={t("scopeLabel")}
              data-testid="scope"
              options={[
                { label: t("scopeMine"), value: "mine" },
                { label: t("scopeAll"), value: "all" },
              ]}
            />
            {mineActive && (
              <span className="secondary-text" data-testid="scope-hint">
                {t("scopeMineHint")
                  .replace("{district}", mine.district ? districtLabel(mine.district, locale) : "—")
                  .replace("{industry}", mine.industry ? industryLabel(mine.industry, locale) : "—")}
              </span>
            )}
          </div>
        )}
        <div className="library-row">
          {/* Three levels, each a checkbox: one click, all in sight. */}
          <div role="group" aria-label={t("filterLevel")} className="level-filter" data-testid="filter-level">
            <span className="secondary-text">{t("filterLevel")}</span>
            {LEVELS.map((l) => (
              <CheckBox
                key={l}
                checked={filters.levels.includes(l)}
                onChange={(on) => {
                  // In the levels' own order, from the filters as they are when the click lands.
                  setFilters((old) => ({ ...old, levels: LEVELS.filter((x) => (x === l ? on : old.levels.includes(x))) }));
                }}
              >
                {t(levelKey[l])}
              </CheckBox>
            ))}
          </div>
          <SelectBox
            width={130}
            placeholder={t("filterDistrictAny")}
            label={t("filterDistrictName")}
            value={filters.district}
            onChange={(v) => {
              set({ district: v });
            }}
            data-testid="filter-district"
            options={(facets?.districts ?? []).map((d) => ({ value: d, label: districtLabel(d, locale) }))}
          />
          <SelectBox
            width={200}
            placeholder={t("filterIssuerAny")}
            label={t("filterIssuer")}
            value={filters.issuer}
            onChange={(v) => {
              set({ issuer: v });
            }}
            data-testid="filter-issuer"
            options={(facets?.issuers ?? []).map((d) => ({ value: d, label: d }))}
          />
          <SelectBox
            width={180}
            placeholder={t("filterIndustryAny")}
            label={t("filterIndustry")}
            value={filters.industry}
            onChange={(v) => {
              set({ industry: v });
            }}
            data-testid="filter-industry"
            options={(facets?.industries ?? []).map((d) => ({ value: d, label: industryLabel(d, locale) }))}
          />
          <Segments<StatusChoice>
            value={filters.status}
            onChange={(v) => {
              set({ status: v });
            }}
            label={t("filterStatus")}
            data-testid="filter-status"
            options={[
              { label: t("statusAny"), value: "any" },
              { label: t("statusInForce"), value: "in_force" },
              { label: t("statusExpired"), value: "expired" },
            ]}
          />
          <DateRange
            value={filters.published ?? ["", ""]}
            onChange={([from, to]) => {
              set({ published: from || to ? [from, to] : null });
            }}
            fromLabel={t("publishedFrom")}
            toLabel={t("publishedTo")}
            data-testid="filter-published"
          />
          <Segments<SearchOrder>
            value={order}
            onChange={setOrder}
            label={t("orderLabel")}
            data-testid="order"
            options={[
              { label: t("orderRelevance"), value: "relevance" },
              { label: t("orderDate"), value: "date" },
            ]}
          />
          {filters !== noFilters && (
            <PlainButton
              onClick={() => {
                setFilters(noFilters);
              }}
              data-testid="filter-reset"
            >
              {t("filterReset")}
            </PlainButton>
          )}
        </div>
      </div>
      <ErrorAlert error={error} />
      {loading && page === null ? (
        <div className="doc-list-loading" role="status">
          <div className="spinner" aria-hidden />
          <span className="visually-hidden">{t("loading")}</span>
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
        <Pager
          current={pageNo}
          pageSize={PAGE_SIZE}
          total={page.total}
          onChange={setPageNo}
          data-testid="pager"
          labels={{
            nav: t("pagesLabel"),
            previous: t("pagePrevious"),
            next: t("pageNext"),
            page: (n) => t("pageN").replace("{n}", String(n)),
          }}
        />
      )}
      {withdrawnOpened && (
        <Suspense fallback={null}>
          <WithdrawnDialog
            open={showWithdrawn}
            withdrawn={withdrawn}
            onClose={() => {
              setShowWithdrawn(false);
            }}
          />
        </Suspense>
      )}
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
