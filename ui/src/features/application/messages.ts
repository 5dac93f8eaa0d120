import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  menuApplication: { zh: "复工申请", en: "Application" },
  title: { zh: "复工申请", en: "Resume-work application" },
  intro: {
    zh: "复工申请须附上在当前版本自查表上通过的复工自查结果。",
    en: "An application carries a passing self-check on the current version of the template.",
  },
  locked: { zh: "暂不能准备复工申请", en: "The application cannot be prepared yet" },
  toSelfCheck: { zh: "去复工自查", en: "Go to the self-check" },
  toProfile: { zh: "填写企业信息", en: "Fill in the profile" },
  open: { zh: "可以准备复工申请", en: "Ready to prepare the application" },
  openSub: { zh: "已有通过的复工自查结果：{title}，完成于 {date}。提交申请时将随附该结果。", en: "A passing self-check is on file: {title}, finished on {date}. The application will carry it." },
  viewResult: { zh: "查看自查结果", en: "View the self-check" },
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
