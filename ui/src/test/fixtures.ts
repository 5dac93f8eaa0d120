import { cleanup } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { SearchHit, Status_Serialize as Status } from "../bindings";
import { translate, type I18n, type Locale } from "../shared/i18n";

/** The status of an app signed in to the demo service, with enterprise `ent-a` on screen. */
export const signedInStatus: Status = {
  seq: 1,
  server: { kind: "demo" },
  online: true,
  account: null,
  enterprise: "ent-a",
  enterprises: [],
  signed_in: true,
  syncing: false,
  outbox_queued: 0,
  outbox_parked: 0,
  last_sync_at: null,
  document_count: 0,
  library_new: 0,
  notice: null,
  inbox_unread: 0,
};

/** The demo enterprise the pages' tests sign in as. */
export const signedInAccount: NonNullable<Status["account"]> = {
  credit_code: "91310115MA1K4C7P2E",
  name: "上海浦江精密机械有限公司",
  district: "浦东新区",
  industry: "制造业",
};

/** After a page's test: unmounts it, lets its last answers settle, forgets the mocked shell
 *  and empties the document (antd's portals outlive the unmount). */
export async function resetPage(): Promise<void> {
  cleanup();
  await new Promise((r) => setTimeout(r, 0));
  clearMocks();
  document.body.innerHTML = "";
}

/** After a test of the app's start: the page reset, and the status the shell put in it gone. */
export async function resetStart(): Promise<void> {
  await resetPage();
  delete (window as { __YIQIFU_STATUS__?: unknown }).__YIQIFU_STATUS__;
}

/** What the language context gives a page whose officer reads `locale` (the app's own
 *  provider also remembers a change; a test needs none). */
export function readingIn(locale: Locale): I18n {
  return { locale, t: (k) => translate(locale, k), setLocale: () => undefined };
}

/** A result of the library's search: a municipal policy in force, its title unmarked. */
export function searchHit(id: string, title: string): SearchHit {
  return {
    id,
    kind: "policy",
    title,
    level: "municipal",
    district: null,
    issuer: "上海市人民政府办公厅",
    doc_number: null,
    published_on: "2022-05-31",
    status: "in_force",
    is_new: false,
    title_parts: [{ text: title, hit: false }],
    snippet: [{ text: "摘要", hit: false }],
  };
}

/** What the shell answers a start on the main page, beyond what a test answers itself: the
 *  signed-in status, empty lists and the desktop settings; null for anything else. */
export function mainPageAnswer(cmd: string): unknown {
  if (cmd === "app_status") return { ...signedInStatus, account: signedInAccount };
  if (cmd === "withdrawn_documents" || cmd === "inbox_entries" || cmd === "parked_items") return [];
  if (cmd === "desktop_settings") return { notifications: true, language: "zh-CN" };
  return null;
}
