import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  parkedEmpty: { zh: "没有需要处理的内容", en: "Nothing needs attention" },
  retry: { zh: "重试", en: "Retry" },
  discard: { zh: "放弃", en: "Discard" },
  discardConfirm: { zh: "放弃后该内容不会再发送，确定吗？", en: "It will not be sent again. Discard it?" },
  revise: { zh: "修改", en: "Edit" },
  reviseTitle: { zh: "修改后重新发送", en: "Correct and send again" },
  reviseSend: { zh: "保存并发送", en: "Save and send" },
  reviseReason: { zh: "中央服务未接受的原因", en: "Why the central service refused it" },
  revised: { zh: "已修改，等待发送", en: "Corrected; it will be sent shortly" },
  reviseUnavailable: {
    zh: "修改表单未能打开，请重启应用后再试；该内容仍保留在待处理列表中",
    en: "The form to correct it did not open. Restart the app and try again; the item stays in the list",
  },
  opUpload: { zh: "上传材料", en: "Upload a material" },
  opOther: { zh: "同步操作", en: "Sync item" },
  holding: {
    zh: "另有 {n} 项操作在等它：处理后会自动发送",
    en: "{n} more queued actions wait for it and go out once it is dealt with",
  },
  holdingOne: {
    zh: "另有 1 项操作在等它：处理后会自动发送",
    en: "1 more queued action waits for it and goes out once it is dealt with",
  },
});
