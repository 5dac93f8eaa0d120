import { lazy } from "react";
import type { ReactNode } from "react";
import {
  AuditOutlined,
  CommentOutlined,
  FileSearchOutlined,
  FormOutlined,
  IdcardOutlined,
  InboxOutlined,
  InfoCircleOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import type { Status_Serialize as Status } from "../bindings";
import type { Dict, Text } from "../shared/i18n";
import { sharedMessages } from "../shared/i18n";
import type { OpInfo } from "../shared/revise";
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

/** A page of the sidebar. A feature with a page adds one entry here. */
export interface Page {
  key: string;
  icon: ReactNode;
  label: Text;
  render: (status: Status) => ReactNode;
  /** A count shown on the menu entry (what waits for the officer there). */
  badge?: (status: Status) => number;
}

export const pages: Page[] = [
  {
    key: "policy",
    icon: <FileSearchOutlined />,
    label: documents.menuPolicies,
    render: (s) => <DocumentsPage key="policy" kind="policy" status={s} />,
    // What the last sync brought that is new or changed.
    badge: (s) => s.library_new,
  },
  {
    key: "guidance",
    icon: <SafetyCertificateOutlined />,
    label: documents.menuGuidance,
    render: (s) => <DocumentsPage key="guidance" kind="guidance" status={s} />,
  },
  {
    key: "profile",
    icon: <IdcardOutlined />,
    label: profile.menuProfile,
    render: (s) => <ProfilePage status={s} />,
  },
  {
    key: "selfcheck",
    icon: <AuditOutlined />,
    label: selfcheck.menuSelfCheck,
    render: (s) => <SelfCheckPage status={s} />,
  },
  {
    key: "roster",
    icon: <TeamOutlined />,
    label: roster.menuRoster,
    render: (s) => <RosterPage status={s} />,
  },
  {
    key: "application",
    icon: <FormOutlined />,
    label: application.menuApplication,
    render: (s) => <ApplicationPage status={s} />,
  },
  {
    key: "appeals",
    icon: <CommentOutlined />,
    label: appeals.menuAppeals,
    render: (s) => <AppealsPage status={s} />,
  },
  {
    key: "listings",
    icon: <ShopOutlined />,
    label: listings.menuListings,
    render: (s) => <ListingsPage status={s} />,
  },
  {
    key: "inbox",
    icon: <InboxOutlined />,
    label: inbox.menuInbox,
    render: (s) => <InboxPage status={s} />,
    badge: (s) => s.inbox_unread,
  },
  {
    key: "about",
    icon: <InfoCircleOutlined />,
    label: about.menuAbout,
    render: (s) => <AboutPage status={s} />,
  },
];

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
