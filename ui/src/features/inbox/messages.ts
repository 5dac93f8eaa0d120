import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  title: { zh: "反馈汇总", en: "Feedback from the authorities" },
  intro: {
    zh: "审核意见、受理与补正通知、诉求答复和供需匹配，按时间从新到旧排列。点击一条可打开它所涉及的申请、诉求或供需信息。",
    en: "Review opinions, acceptance and correction notices, appeal replies and matches, newest first. Open one to go to its application, appeal or listing.",
  },
  empty: {
    zh: "还没有收到反馈。同步后，主管部门发来的意见会显示在这里。",
    en: "Nothing received yet. What the authorities send appears here after a sync.",
  },
  emptyUnread: { zh: "没有未读反馈。", en: "Nothing unread." },
  unread: { zh: "未读", en: "Unread" },
  opMarkRead: { zh: "标记已读", en: "Mark as read" },
  kindReviewOpinion: { zh: "审核意见", en: "Review opinion" },
  kindCorrectionNotice: { zh: "补正通知", en: "Correction notice" },
  kindAppealReply: { zh: "诉求答复", en: "Appeal reply" },
  kindListingMatch: { zh: "供需匹配", en: "Listing match" },
  open: { zh: "查看", en: "Open" },
  markRead: { zh: "标为已读", en: "Mark as read" },
  markAllRead: { zh: "全部标为已读", en: "Mark all as read" },
  markedAll: { zh: "已将 {n} 条标为已读", en: "{n} marked as read" },
  filterUnread: { zh: "只看未读", en: "Unread only" },
  notify: { zh: "桌面通知", en: "Desktop notifications" },
  notifyHint: {
    zh: "每收到一条新反馈时在桌面提示",
    en: "Tell me on the desktop for each new entry",
  },
  unsentMark: { zh: "已读状态待同步", en: "Read mark not synced yet" },
  missing: {
    zh: "这条反馈涉及的内容在本机找不到（可能已删除，或尚未同步）。",
    en: "What this entry is about is not on this computer (deleted, or not synced yet).",
  },
  noticeView: { zh: "查看", en: "Open" },
});
