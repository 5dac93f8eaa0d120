import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import DocumentsPage from "./DocumentsPage";
import {
  askFirstResults,
  chosenInFrame,
  firstResultsCome,
  forgetFirstResults,
  leaveFirstResults,
  libraryQuery,
  openingSearch,
} from "./firstResults";
import openingQueries from "./opening-queries.json";
import type {
  Applicability,
  DocumentKind,
  SearchPage,
  SearchQuery_Deserialize as SearchQuery,
  Status_Serialize as Status,
} from "../../bindings";
import { resetPage, searchHit, signedInAccount, signedInStatus } from "../../test/fixtures";
import { timeline } from "../../shared/timeline";

const status = { ...signedInStatus, account: signedInAccount, enterprise: "91310000MA1FL0001X", document_count: 2 } as Status;
const mine: Applicability = { district: "浦东新区", industry: "制造业" };

/** The page's own searches. */
let searches: SearchQuery[] = [];
/** The frame's questions for the first results. */
let firstAsks: { enterprise: string | null; kind: DocumentKind }[] = [];
let applicabilities = 0;
/** Answers so far, of either kind: each shows its own number, so the page shows which it drew. */
let answered = 0;

function numbered(): SearchPage {
  answered += 1;
  return { total: 1, hits: [searchHit(`doc-${answered}`, `第${answered}次检索`)], words: [] };
}

function titles(): string[] {
  return screen.queryAllByTestId("document-title").map((e) => e.textContent);
}

describe("the library's first results, asked for by the main page's frame", () => {
  beforeEach(() => {
    searches = [];
    firstAsks = [];
    applicabilities = 0;
    answered = 0;
    forgetFirstResults();
    mockIPC((cmd, args) => {
      if (cmd === "withdrawn_documents") return [];
      if (cmd === "library_applicability") {
        applicabilities += 1;
        return mine;
      }
      if (cmd === "first_results") {
        firstAsks.push(args as { enterprise: string | null; kind: DocumentKind });
        return { mine, page: numbered() };
      }
      if (cmd !== "search_documents") return null;
      searches.push((args as { query: SearchQuery }).query);
      return numbered();
    }, { shouldMockEvents: true });
  });
  afterEach(resetPage);

  /** The frame's question, answered. */
  async function askedAndAnswered(s: Status = status) {
    askFirstResults(s.enterprise, "policy", s.document_count);
    await waitFor(() => {
      expect(firstAsks).toHaveLength(1);
    });
    // The answer is stored once the promise chain has run on.
    await new Promise((r) => setTimeout(r, 0));
  }

  it("draws the page with them at its first render, and asks nothing again", async () => {
    await askedAndAnswered();
    // The frame asked, in one call, for this enterprise's library as it opens on policies.
    expect(firstAsks).toEqual([{ enterprise: status.enterprise, kind: "policy" }]);
    // The start-up timeline has the question and its answer.
    const moments = timeline().map((m) => m.name);
    const at = (name: string) => moments.indexOf(name);
    expect(at("asked")).toBeGreaterThanOrEqual(0);
    expect(at("asked")).toBeLessThan(at("answered"));
    render(
      <App>
        <DocumentsPage kind="policy" status={status} />
      </App>,
    );
    expect(titles()).toEqual(["第1次检索"]);
    expect(screen.getByTestId("scope-hint")).toBeTruthy();
    await new Promise((r) => setTimeout(r, 300));
    expect(firstAsks).toHaveLength(1);
    expect(searches).toHaveLength(0);
    expect(applicabilities).toBe(0);
  });

  it("are the page's own first search: the shell, which begins them, builds the same query", () => {
    const { cases } = openingQueries as {
      cases: { kind: DocumentKind; applies_to: Applicability | null; query: SearchQuery }[];
    };
    expect(cases.map((c) => c.kind)).toEqual(["policy", "guidance"]);
    for (const c of cases) expect(libraryQuery(openingSearch(c.kind, c.applies_to))).toEqual(c.query);
  });

  it("that failed leave the page to search itself", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "first_results") return Promise.reject(new Error("no answer"));
      if (cmd === "library_applicability") return mine;
      if (cmd !== "search_documents") return cmd === "withdrawn_documents" ? [] : null;
      searches.push((args as { query: SearchQuery }).query);
      return numbered();
    }, { shouldMockEvents: true });
    askFirstResults(status.enterprise, "policy", status.document_count);
    await firstResultsCome(60_000);
    render(
      <App>
        <DocumentsPage kind="policy" status={status} />
      </App>,
    );
    await waitFor(() => {
      expect(titles()).toEqual(["第1次检索"]);
    });
    expect(searches[0]?.applies_to).toEqual(mine);
  });

  it("are left when the catalog changed since, and the page searches itself", async () => {
    await askedAndAnswered();
    render(
      <App>
        <DocumentsPage kind="policy" status={{ ...status, document_count: 3 }} />
      </App>,
    );
    expect(titles()).toEqual([]);
    await waitFor(() => {
      expect(titles()).toEqual(["第2次检索"]);
    });
    // Once the enterprise's applicability was read, not before: no search thrown away.
    expect(searches).toHaveLength(1);
    expect(searches[0]?.applies_to).toEqual(mine);
  });

  it("are given once: a library opened again searches itself", async () => {
    await askedAndAnswered();
    const first = render(
      <App>
        <DocumentsPage kind="policy" status={status} />
      </App>,
    );
    first.unmount();
    render(
      <App>
        <DocumentsPage kind="policy" status={status} />
      </App>,
    );
    await waitFor(() => {
      expect(titles()).toEqual(["第2次检索"]);
    });
  });

  describe("what the main page waits for before it takes the frame's place", () => {
    /** Whether `p` has settled after the promise jobs now queued have run. */
    async function settled(p: Promise<void>): Promise<boolean> {
      let done = false;
      void p.then(() => (done = true));
      await new Promise((r) => setTimeout(r, 0));
      return done;
    }

    it("is nothing when no results were asked for, or a page has opened", async () => {
      expect(await settled(firstResultsCome(60_000))).toBe(true);
      await askedAndAnswered();
      expect(await settled(firstResultsCome(60_000))).toBe(true);
      forgetFirstResults();
      let answer: () => void = () => undefined;
      mockIPC((cmd) => {
        if (cmd !== "first_results") return null;
        return new Promise((r) => {
          answer = () => {
            r(null);
          };
        });
      });
      askFirstResults(status.enterprise, "policy", status.document_count);
      leaveFirstResults();
      expect(await settled(firstResultsCome(60_000))).toBe(true);
      answer();
    });

    it("is the results still coming, and no longer than its limit", async () => {
      const answers: (() => void)[] = [];
      mockIPC((cmd) => {
        if (cmd !== "first_results") return null;
        return new Promise((r) => {
          answers.push(() => {
            r({ mine: null, page: { total: 0, hits: [], words: [] } });
          });
        });
      });
      askFirstResults(status.enterprise, "policy", status.document_count);
      const coming = firstResultsCome(60_000);
      await waitFor(() => {
        expect(answers).toHaveLength(1);
      });
      expect(await settled(coming)).toBe(false);
      answers[0]?.();
      await waitFor(async () => {
        expect(await settled(coming)).toBe(true);
      });

      // An answer that does not come is waited for up to the limit.
      forgetFirstResults();
      askFirstResults(status.enterprise, "policy", status.document_count);
      const started = Date.now();
      await firstResultsCome(150);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);

      // Nor past the officer choosing another page in the frame; the same page waits on.
      const stillComing = firstResultsCome(60_000);
      chosenInFrame("policy");
      expect(await settled(stillComing)).toBe(false);
      chosenInFrame("profile");
      expect(await settled(stillComing)).toBe(true);
      answers[1]?.();
    });
  });
});
