import { commands, unwrap } from "../../shared/api";
import { mark } from "../../shared/timeline";
import type {
  Applicability,
  DocumentKind,
  PolicyLevel,
  SearchOrder,
  SearchPage,
  SearchQuery_Deserialize as SearchQuery,
  StatusFilter,
} from "../../bindings";

// The library's first results, asked for by the main page's frame (MainFrame) while antd and
// the page's code load: by the time the page is drawn they are there, and it is drawn with
// them, instead of drawing its controls beside a spinner and asking then. The shell begins
// them as the app starts (src-tauri/src/first_results.rs), so the frame's question finds them
// done: one call, for the enterprise's applicability and the first page of its documents.
// Nothing here may import antd or the page: the frame is drawn without them. One risk is
// taken: a sync that changed a document but not the catalog's size in the ~200 ms between the
// frame's question and the page's first render goes unseen until the next sync's reload.

export const PAGE_SIZE = 20;

/** What the library's search depends on, as the page holds it. */
export interface LibrarySearch {
  text: string;
  kind: DocumentKind;
  /** Policies and guidance together. */
  both: boolean;
  levels: PolicyLevel[];
  district: string | null;
  issuer: string | null;
  industry: string | null;
  status: StatusFilter | null;
  published: [string, string] | null;
  /** Only what applies to the enterprise (its district and industry). */
  appliesTo: Applicability | null;
  onlyNew: boolean;
  order: SearchOrder;
  pageNo: number;
}

/** The query the page sends: one place, so the first results the frame asked for are the
 *  page's own first search. The shell builds the same opening query
 *  (opening-queries.json holds both to it). */
export function libraryQuery(s: LibrarySearch): SearchQuery {
  return {
    text: s.text || null,
    kind: s.both ? null : s.kind,
    levels: s.levels,
    district: s.district,
    issuer: s.issuer,
    industry: s.industry,
    status: s.status,
    published_from: s.published?.[0] ?? null,
    published_to: s.published?.[1] ?? null,
    applies_to: s.appliesTo,
    only_new: s.onlyNew,
    order: s.order,
    offset: (s.pageNo - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

/** The page's search as it opens: nothing typed or filtered, the enterprise's own documents
 *  first (when there is an enterprise and its applicability is known). */
export function openingSearch(kind: DocumentKind, appliesTo: Applicability | null): LibrarySearch {
  return {
    text: "",
    kind,
    both: false,
    levels: [],
    district: null,
    issuer: null,
    industry: null,
    status: null,
    published: null,
    appliesTo,
    onlyNew: false,
    order: "relevance",
    pageNo: 1,
  };
}

/** The first results, as the page opens with them. */
export interface FirstResults {
  enterprise: string | null;
  kind: DocumentKind;
  /** The catalog's size when they were asked for: a sync since makes them stale. */
  documentCount: number;
  /** The enterprise's applicability; null without an enterprise or when it could not be read
   *  (the page then searches everything, as it does itself). */
  mine: Applicability | null;
  page: SearchPage;
}

interface Asked {
  key: string;
  kind: DocumentKind;
  settled: FirstResults | null;
  taken: boolean;
  /** Settles once they have come or failed. */
  done: Promise<void>;
  /** What waits for them (`firstResultsCome`), let go once they are left. */
  waiting: (() => void)[];
}

let asked: Asked | null = null;

const keyOf = (enterprise: string | null, kind: DocumentKind, documentCount: number) =>
  JSON.stringify([enterprise, kind, documentCount]);

/** Asks for the library's first results, once per start: the frame calls it as it is drawn.
 *  A failure is left to the page, which asks again and reports it. */
export function askFirstResults(enterprise: string | null, kind: DocumentKind, documentCount: number): void {
  if (asked) return;
  // The start-up timeline's moments of the question and its answer: the page is drawn once
  // both its code and the answer are there, whichever comes last.
  mark("asked");
  const mine: Asked = {
    key: keyOf(enterprise, kind, documentCount),
    kind,
    settled: null,
    taken: false,
    done: Promise.resolve(),
    waiting: [],
  };
  asked = mine;
  mine.done = unwrap(commands.firstResults(enterprise, kind))
    .then((first) => {
      mark("answered");
      mine.settled = { enterprise, kind, documentCount, mine: first.mine, page: first.page };
    })
    .catch(() => undefined);
}

/** Settles once the first results asked for have come or failed, or are left (the officer
 *  chose another page in the frame), or after `limitMs`: the main page waits for them, beside
 *  its code, before it takes the frame's place (App.tsx), so that it is drawn with them. Drawn
 *  before they came, it would ask again and wait for both answers, one behind the other
 *  (its results 240–300 ms after its controls, in 3 of 7 starts on 20,000 policies:
 *  docs/benchmarks.md). At once when none were asked for,
 *  or they have been left. */
export function firstResultsCome(limitMs: number): Promise<void> {
  const coming = asked;
  if (!coming || coming.taken || coming.settled) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, limitMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    coming.waiting.push(done);
    void coming.done.then(done);
  });
}

/** The officer chose `page` in the frame: results asked for another are not waited for. */
export function chosenInFrame(page: string): void {
  if (asked && asked.kind !== page) leaveFirstResults();
}

/** The first results, if they have come, are for this page as it opens now, and no page has
 *  opened before it. Only looks: a page rendered twice (React's strict mode) finds them twice;
 *  `leaveFirstResults` puts them out of reach once a page has opened. */
export function peekFirstResults(enterprise: string | null, kind: DocumentKind, documentCount: number): FirstResults | null {
  if (!asked || asked.taken) return null;
  return asked.key === keyOf(enterprise, kind, documentCount) ? asked.settled : null;
}

/** Once the main page has opened (on the library or on any other page): results asked for
 *  by the frame are not for any later page, whose profile or catalog may have changed since
 *  without the catalog's size changing. */
export function leaveFirstResults(): void {
  if (!asked) return;
  asked.taken = true;
  for (const done of asked.waiting.splice(0)) done();
}

/** For tests: forgets what was asked. */
export function forgetFirstResults(): void {
  asked = null;
}
