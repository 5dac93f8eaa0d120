import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  menuPolicies: { zh: "政策查询", en: "Policies" },
  menuGuidance: { zh: "防疫指导", en: "Guidance" },
  searchPlaceholder: { zh: "搜索标题、发文机关、文号或摘要", en: "Search title, issuer, number or summary" },
  levelAll: { zh: "全部", en: "All" },
  levelNational: { zh: "国家级", en: "National" },
  levelMunicipal: { zh: "市级", en: "Municipal" },
  levelDistrict: { zh: "区级", en: "District" },
  colTitle: { zh: "标题", en: "Title" },
  colLevel: { zh: "级别", en: "Level" },
  colIssuer: { zh: "发文机关", en: "Issuer" },
  colDocNumber: { zh: "文号", en: "Number" },
  colDate: { zh: "发布日期", en: "Published" },
  emptyNoData: {
    zh: "本地还没有政策，连接中央服务并登录后会自动同步。",
    en: "No documents here yet: they are synced after you sign in to the central service.",
  },
  emptyNoMatch: { zh: "没有符合条件的文件", en: "No document matches" },
  emptySyncing: { zh: "正在从中央服务同步政策库…", en: "Syncing the library from the central service…" },
  effectiveOn: { zh: "施行日期", en: "In force from" },
  expiresOn: { zh: "有效期至", en: "Valid until" },
  industries: { zh: "适用行业", en: "Industries" },
  keyConditions: { zh: "关键指引条件", en: "Key conditions" },
  fullText: { zh: "正文", en: "Full text" },
  countSuffix: { zh: "份文件", en: "documents" },
});
