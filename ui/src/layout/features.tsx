import { lazy } from "react";
import type { ReactNode } from "react";
import type { Status_Serialize as Status } from "../bindings";
import type { Dict } from "../shared/i18n";
import { sharedMessages } from "../shared/i18n";
import type { OpInfo } from "../shared/revise";
import { nav, navMessages } from "./nav";
import type { NavEntry, PageKey } from "./nav";
import { DocumentsPage } from "../features/documents";
import { messages as documents } from "../features/documents/messages";
import { ops as inboxOps } from "../features/inbox/ops";
import { messages as inbox } from "../features/inbox/messages";
import { ops as appealOps } from "../features/appeals/ops";
import { messages as appeals } from "../features/appeals/messages";
import { ops as listingOps } from "../features/listings/ops";
import { messages as listings } from "../features/listings/messages";
import { ops as applicationOps } from "../features/application/ops";
import { ops as profileOps } from "../features/profile/ops";
import { messages as profile } from "../features/profile/messages";
import { messages as selfcheck } from "../features/selfcheck/messages";
import { messages as roster } from "../features/roster/messages";
import { messages as application } from "../features/application/messages";
import { messages as outbox } from "../features/outbox/messages";
import { messages as session } from "../features/session/messages";
import { messages as workspaces } from "../features/workspaces/messages";
import { messages as about } from "../features/about/messages";
import { messages as backup } from "../features/backup/messages";

// The library is where the main page opens unless the officer left it elsewhere: it comes
// with the layout. Every other page is a chunk of its own, loaded when it is first opened, so
// a start parses and runs the code of one feature, not of all of them.
const ProfilePage = lazy(() => import("../features/profile/ProfilePage"));
const SelfCheckPage = lazy(() => import("../features/selfcheck/SelfCheckPage"));
const RosterPage = lazy(() => import("../features/roster/RosterPage"));
const ApplicationPage = lazy(() => import("../features/application/ApplicationPage"));
const AppealsPage = lazy(() => import("../features/appeals/AppealsPage"));
const ListingsPage = lazy(() => import("../features/listings/ListingsPage"));
const InboxPage = lazy(() => import("../features/inbox/InboxPage"));
const AboutPage = lazy(() => import("../features/about/AboutPage"));

/** A page of the sidebar: its entry (nav.tsx) and what it shows. A feature with a page adds
 *  its entry to nav.tsx and its page here; a missing page is a type error. */
export interface Page extends NavEntry {
  render: (status: Status) => ReactNode;
}

const render: Record<PageKey, (status: Status) => ReactNode> = {
  policy: (s) => <DocumentsPage key="policy" kind="policy" status={s} />,
  guidance: (s) => <DocumentsPage key="guidance" kind="guidance" status={s} />,
  profile: (s) => <ProfilePage status={s} />,
  selfcheck: (s) => <SelfCheckPage status={s} />,
  roster: (s) => <RosterPage status={s} />,
  application: (s) => <ApplicationPage status={s} />,
  appeals: (s) => <AppealsPage status={s} />,
  listings: (s) => <ListingsPage status={s} />,
  inbox: (s) => <InboxPage status={s} />,
  about: (s) => <AboutPage status={s} />,
};

export const pages: Page[] = nav.map((entry) => ({ ...entry, render: render[entry.key] }));

/** Every kind of queued request, as its feature names and corrects it. */
export const ops: Partial<Record<string, OpInfo>> = {
  ...profileOps,
  ...appealOps,
  ...listingOps,
  ...applicationOps,
  ...inboxOps,
};

/** Every dictionary, for the test that each has both languages. */
export const dictionaries: Record<string, Dict> = {
  shared: sharedMessages,
  nav: navMessages,
  about,
  backup,
  documents,
  inbox,
  appeals,
  listings,
  application,
  profile,
  selfcheck,
  roster,
  outbox,
  session,
  workspaces,
};
