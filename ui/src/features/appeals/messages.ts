import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  opCreateAppeal: { zh: "提交诉求", en: "File an appeal" },
  opAppealMessage: { zh: "诉求留言", en: "Appeal message" },
  fieldAppealCategory: { zh: "诉求类别", en: "Category" },
  fieldTitle: { zh: "标题", en: "Title" },
  fieldDescription: { zh: "诉求内容", en: "Description" },
  fieldMessage: { zh: "留言内容", en: "Message" },
  attachmentsKept: { zh: "附件保持不变，共", en: "Attachments kept as they are:" },
  appealFinancing: { zh: "融资信贷", en: "Financing" },
  appealPreventionSupplies: { zh: "防疫物资", en: "Prevention supplies" },
  appealLogistics: { zh: "物流运输", en: "Logistics" },
  appealStaffing: { zh: "用工返岗", en: "Staffing" },
  appealSupplyChain: { zh: "产业链配套", en: "Supply chain" },
  appealOther: { zh: "其他", en: "Other" },
});
