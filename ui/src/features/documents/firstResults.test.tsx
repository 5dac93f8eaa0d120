import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import DocumentsPage from "./DocumentsPage";
import { askFirstResults, chosenInFrame, firstResultsCome, forgetFirstResults, leaveFirstResults } from "./firstResults";
import type { Applicability, SearchQuery_Deserialize as SearchQuery, Status_Serialize as Status } from "../../bindings";
import { resetPage, searchHit, signedInAccount, signedInStatus } from "../../test/fixtures";
import { timeline } from "../../shared/timeline";

const status = { ...signedInStatus, account: signedInAccount, enterprise: "91310000MA1FL0001X", document_count: 2 } as Status;
const mine: Applicability = { district: "浦东新区", industry: "制造业" };

let searches: SearchQuery[] = [];
let applicabilities = 0;

function titles(): string[] {
  return screen.queryAllByTestId("document-title").map((e) => e.textContent);
}

describe("the library's first results, asked for by the main page's frame", () => {
  beforeEach(() => {
    searches = [];
    applicabilities = 0;
    forgetFirstResults();
    mockIPC((cmd, args) => {
      if (cmd === "withdrawn_documents") return [];
      if (cmd === "library_applicability") {
        applicabilities += 1;
        return mine;
      }
      if (cmd !== "search_documents") return null;
      const q = (args as { query: SearchQuery }).query;
      searches.push(q);
      // Each search answers with its own number, so the page shows which one it drew.
      const n = searches.length;
      return { total: 1, hits: [searchHit(`doc-${n}`, `第${n}次检索`)], words: [] };
    }, { shouldMockEvents: true });
  });
  afterEach(resetPage);

  /** The frame's question, answered: both its calls made and settled. */
  async function askedAndAnswered(s: Status = status) {
    askFirstResults(s.enterprise, "policy", s.document_count);
    await waitFor(() => {
      expect(searches).toHaveLength(1);
    });
    // The answer is stored once the promise chain has run on.
    await new Promise((r) => setTimeout(r, 0));
  }

  it("draws the page with them at its first render, and asks nothing again", async () => {
    await askedAndAnswered();
    // The frame asked for the enterprise's own documents, as the page does.
    expect(searches[0]?.applies_to).toEqual(mine);
    expect(searches[0]?.offset).toBe(0);
    // The start-up timeline has the question, the applicability's answer and the results'.
    const moments = timeline().map((m) => m.name);
    const at = (name: string) => moments.indexOf(name);
    expect([at("asked"), at("applicability"), at("answered")].every((i) => i >= 0)).toBe(true);
    expect(at("asked") < at("applicability") && at("applicability") < at("answered")).toBe(true);
    render(
      <App>
        <DocumentsPage kind="policy" status={status} />
      </App>,
    );
    expect(titles()).toEqual(["第1次检索"]);
    expect(screen.getByTestId("scope-hint")).toBeTruthy();
    await new Promise((r) => setTimeout(r, 300));
    expect(searches).toHaveLength(1);
    expect(applicabilities).toBe(1);
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
    expect(searches).toHaveLength(2);
    expect(searches[1]?.applies_to).toEqual(mine);
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
        if (cmd !== "search_documents") return mine;
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
        if (cmd !== "search_documents") return mine;
        return new Promise((r) => {
          answers.push(() => {
            r({ total: 0, hits: [], words: [] });
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
