import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  menuInbox: { zh: "反馈汇总", en: "Feedback" },
  title: { zh: "反馈汇总", en: "Feedback from the authorities" },
  intro: {
    zh: "审核意见、受理与补正通知、诉求答复和供需匹配，按时间从新到旧排列。",
    en: "Review opinions, acceptance and correction notices, appeal replies and matches, newest first.",
  },
  empty: {
    zh: "还没有收到反馈。同步后，主管部门发来的意见会显示在这里。",
    en: "Nothing received yet. What the authorities send appears here after a sync.",
  },
  unread: { zh: "未读", en: "Unread" },
  opMarkRead: { zh: "标记已读", en: "Mark as read" },
  kindReviewOpinion: { zh: "审核意见", en: "Review opinion" },
  kindCorrectionNotice: { zh: "补正通知", en: "Correction notice" },
  kindAppealReply: { zh: "诉求答复", en: "Appeal reply" },
  kindListingMatch: { zh: "供需匹配", en: "Listing match" },
});
