import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  opSubmitApplication: { zh: "提交复工申请", en: "Submit an application" },
  fieldContactName: { zh: "联系人", en: "Contact name" },
  fieldContactPhone: { zh: "联系电话", en: "Contact phone" },
  fieldReturningStaff: { zh: "返岗人数", en: "Staff returning" },
  fieldNote: { zh: "备注", en: "Note" },
  applicationPartsKept: {
    zh: "自查答案和申请材料保持不变。",
    en: "Self-check answers and materials are kept as they are.",
  },
});
