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
import { defineMessages } from "../shared/i18n";
import type { Text } from "../shared/i18n";
import { lastPage } from "../shared/navigation";

// The sidebar's entries without their pages: what the main page's frame draws before antd and
// the pages' code have loaded (MainFrame.tsx), so nothing here may import antd or a page.
// features.tsx gives each entry its page.

/** The pages' names, here rather than in each feature's dictionary: the frame needs them and
 *  nothing else of those dictionaries. */
export const navMessages = defineMessages({
  menuPolicies: { zh: "政策查询", en: "Policies" },
  menuGuidance: { zh: "防疫指导", en: "Guidance" },
  menuProfile: { zh: "企业信息", en: "Company profile" },
  menuSelfCheck: { zh: "复工自查", en: "Self-check" },
  menuRoster: { zh: "返岗人员", en: "Returning staff" },
  menuApplication: { zh: "复工申请", en: "Application" },
  menuAppeals: { zh: "诉求协调", en: "Appeals" },
  menuListings: { zh: "供需对接", en: "Supply & demand" },
  menuInbox: { zh: "反馈汇总", en: "Feedback" },
  menuAbout: { zh: "设置与关于", en: "Settings & about" },
});

/** An entry of the sidebar. */
export interface NavEntry {
  key: string;
  icon: ReactNode;
  label: Text;
  /** A count shown on the entry (what waits for the officer there). */
  badge?: (status: Status) => number;
}

export const nav = [
  {
    key: "policy",
    icon: <FileSearchOutlined />,
    label: navMessages.menuPolicies,
    // What the last sync brought that is new or changed.
    badge: (s: Status) => s.library_new,
  },
  { key: "guidance", icon: <SafetyCertificateOutlined />, label: navMessages.menuGuidance },
  { key: "profile", icon: <IdcardOutlined />, label: navMessages.menuProfile },
  { key: "selfcheck", icon: <AuditOutlined />, label: navMessages.menuSelfCheck },
  { key: "roster", icon: <TeamOutlined />, label: navMessages.menuRoster },
  { key: "application", icon: <FormOutlined />, label: navMessages.menuApplication },
  { key: "appeals", icon: <CommentOutlined />, label: navMessages.menuAppeals },
  { key: "listings", icon: <ShopOutlined />, label: navMessages.menuListings },
  { key: "inbox", icon: <InboxOutlined />, label: navMessages.menuInbox, badge: (s: Status) => s.inbox_unread },
  { key: "about", icon: <InfoCircleOutlined />, label: navMessages.menuAbout },
] as const satisfies readonly NavEntry[];

export type PageKey = (typeof nav)[number]["key"];

/** The page the main page opens on: the one the officer left, else the library. */
export function openingPage(): PageKey {
  const last = lastPage();
  return nav.find((p) => p.key === last)?.key ?? nav[0].key;
}
