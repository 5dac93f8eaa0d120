import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  switchTitle: { zh: "切换企业", en: "Switch enterprise" },
  addEnterprise: { zh: "添加企业…", en: "Add an enterprise…" },
  manage: { zh: "管理本机企业…", en: "Manage enterprises on this computer…" },
  manageTitle: { zh: "本机的企业", en: "Enterprises on this computer" },
  colName: { zh: "企业", en: "Enterprise" },
  colQueue: { zh: "待发送 / 需处理", en: "Queued / need attention" },
  colSession: { zh: "登录状态", en: "Session" },
  signedIn: { zh: "已登录", en: "Signed in" },
  needsSignIn: { zh: "需重新登录", en: "Sign in again" },
  onScreen: { zh: "当前", en: "On screen" },
  remove: { zh: "从本机移除", en: "Remove from this computer" },
  removeTitle: { zh: "从本机移除这家企业？", en: "Remove this enterprise from this computer?" },
  removeNothingLost: {
    zh: "本机没有未发送的内容。移除后会退出登录并删除本机保存的数据；中央服务已收到的内容不受影响。",
    en: "Nothing here is unsent. Removing signs it out and deletes what this computer keeps of it; what the central service already has stays.",
  },
  removeLoses: {
    zh: "将永久丢失：{unsent} 项尚未发送的内容，{drafts} 份尚未提交的草稿。中央服务已收到的内容不受影响。",
    en: "This will be lost for good: {unsent} unsent items and {drafts} drafts never submitted. What the central service already has stays.",
  },
  removeConfirm: { zh: "移除", en: "Remove" },
  removed: { zh: "已从本机移除", en: "Removed from this computer" },
  signedOutDone: { zh: "已退出登录，本机数据保留", en: "Signed out; the data on this computer stays" },
});

