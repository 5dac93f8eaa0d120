import { createContext, useContext } from "react";

export type Locale = "zh-CN" | "en-US";

const dict = {
  appName: { zh: "益企服桌面端", en: "Yiqifu Desktop" },
  appTagline: { zh: "复工复产服务专窗", en: "Resume-work service window" },
  menuPolicies: { zh: "政策查询", en: "Policies" },
  menuGuidance: { zh: "防疫指导", en: "Guidance" },
  online: { zh: "在线", en: "Online" },
  offline: { zh: "离线", en: "Offline" },
  offlineHint: {
    zh: "当前无法连接中央服务，显示的是本地缓存；恢复连接后将自动同步。",
    en: "The central service cannot be reached: showing the local copy. It syncs again when the connection is back.",
  },
  queued: { zh: "待同步", en: "Queued" },
  parked: { zh: "需处理", en: "Need attention" },
  parkedTitle: { zh: "中央服务无法接受以下内容", en: "The central service cannot accept these" },
  parkedEmpty: { zh: "没有需要处理的内容", en: "Nothing needs attention" },
  retry: { zh: "重试", en: "Retry" },
  discard: { zh: "放弃", en: "Discard" },
  discardConfirm: { zh: "放弃后该内容不会再发送，确定吗？", en: "It will not be sent again. Discard it?" },
  revise: { zh: "修改", en: "Edit" },
  reviseTitle: { zh: "修改后重新发送", en: "Correct and send again" },
  reviseSend: { zh: "保存并发送", en: "Save and send" },
  reviseReason: { zh: "中央服务未接受的原因", en: "Why the central service refused it" },
  revised: { zh: "已修改，等待发送", en: "Corrected; it will be sent shortly" },
  cancel: { zh: "取消", en: "Cancel" },
  fieldRequired: { zh: "此项必填", en: "Required" },
  phoneInvalid: { zh: "请填写 5 到 20 位电话号码", en: "Enter a phone number of 5 to 20 digits" },
  fieldAppealCategory: { zh: "诉求类别", en: "Category" },
  fieldTitle: { zh: "标题", en: "Title" },
  fieldDescription: { zh: "诉求内容", en: "Description" },
  attachmentsKept: { zh: "附件保持不变，共", en: "Attachments kept as they are:" },
  fieldListingKind: { zh: "供需类型", en: "Supply or demand" },
  fieldListingCategory: { zh: "物资类别", en: "Category" },
  fieldItem: { zh: "物资名称", en: "Item" },
  fieldQuantity: { zh: "数量", en: "Quantity" },
  fieldUnit: { zh: "单位", en: "Unit" },
  fieldDistrict: { zh: "所在区", en: "District" },
  fieldValidUntil: { zh: "有效期至", en: "Valid until" },
  fieldContactName: { zh: "联系人", en: "Contact name" },
  fieldContactPhone: { zh: "联系电话", en: "Contact phone" },
  fieldNote: { zh: "备注", en: "Note" },
  fieldMessage: { zh: "留言内容", en: "Message" },
  fieldReturningStaff: { zh: "返岗人数", en: "Staff returning" },
  applicationPartsKept: {
    zh: "自查答案和申请材料保持不变。",
    en: "Self-check answers and materials are kept as they are.",
  },
  appealFinancing: { zh: "融资信贷", en: "Financing" },
  appealPreventionSupplies: { zh: "防疫物资", en: "Prevention supplies" },
  appealLogistics: { zh: "物流运输", en: "Logistics" },
  appealStaffing: { zh: "用工返岗", en: "Staffing" },
  appealSupplyChain: { zh: "产业链配套", en: "Supply chain" },
  appealOther: { zh: "其他", en: "Other" },
  listingSupply: { zh: "供给", en: "Supply" },
  listingDemand: { zh: "需求", en: "Demand" },
  listingSupplies: { zh: "防疫物资", en: "Prevention supplies" },
  listingMaterials: { zh: "原材料", en: "Materials" },
  listingLogistics: { zh: "物流运力", en: "Logistics" },
  listingStaff: { zh: "用工", en: "Staff" },
  opCreateAppeal: { zh: "提交诉求", en: "File an appeal" },
  opCreateListing: { zh: "发布供需信息", en: "Post a listing" },
  opWithdrawListing: { zh: "撤回供需信息", en: "Withdraw a listing" },
  opAppealMessage: { zh: "诉求留言", en: "Appeal message" },
  opSubmitApplication: { zh: "提交复工申请", en: "Submit an application" },
  opUpload: { zh: "上传材料", en: "Upload a material" },
  opOther: { zh: "同步操作", en: "Sync item" },
  items: { zh: "项", en: "" },
  lastSync: { zh: "上次同步", en: "Last sync" },
  neverSynced: { zh: "尚未同步", en: "Never synced" },
  syncNow: { zh: "立即同步", en: "Sync now" },
  uploading: { zh: "正在上传", en: "Uploading" },
  syncing: { zh: "正在同步…", en: "Syncing…" },
  syncDone: { zh: "同步完成", en: "Sync complete" },
  signOut: { zh: "退出登录", en: "Sign out" },
  sessionGone: {
    zh: "登录已失效：本地数据照常可用，重新登录后才能同步。",
    en: "Your session has ended: local data stays available; sign in again to sync.",
  },
  signInAgain: { zh: "重新登录", en: "Sign in again" },
  changeServer: { zh: "更换服务", en: "Change service" },
  setupTitle: { zh: "选择中央服务", en: "Choose the central service" },
  setupIntro: {
    zh: "首次使用请选择要连接的中央服务。内置演示服务在本机运行，附带演示数据，无需网络。",
    en: "Choose the central service to work with. The built-in demo runs on this computer with demo data and needs no network.",
  },
  serverDemo: { zh: "内置演示服务（推荐试用）", en: "Built-in demo service (to try the app)" },
  serverUrl: { zh: "服务地址", en: "Service URL" },
  serverUrlPlaceholder: { zh: "例如 https://fuwu.example.gov.cn", en: "e.g. https://fuwu.example.gov.cn" },
  serverUrlRequired: { zh: "请填写服务地址", en: "Enter the service URL" },
  connect: { zh: "连接", en: "Connect" },
  back: { zh: "返回", en: "Back" },
  signInTitle: { zh: "企业登录", en: "Enterprise sign-in" },
  creditCode: { zh: "统一社会信用代码", en: "Unified social credit code" },
  creditCodeHint: { zh: "18 位，见营业执照", en: "18 characters, on the business licence" },
  creditCodeRequired: { zh: "请填写统一社会信用代码", en: "Enter the credit code" },
  password: { zh: "密码", en: "Password" },
  passwordRequired: { zh: "请填写密码", en: "Enter the password" },
  signIn: { zh: "登录", en: "Sign in" },
  demoAccounts: { zh: "演示账号（点击填入）", en: "Demo accounts (click to fill in)" },
  offlineSignIn: {
    zh: "当前离线，无法登录；请检查网络后重试。",
    en: "Offline: signing in needs the central service. Check the network and retry.",
  },
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
  none: { zh: "无", en: "None" },
  countSuffix: { zh: "份文件", en: "documents" },
  language: { zh: "English", en: "中文" },
  loadFailed: { zh: "加载失败", en: "Loading failed" },
} as const;

export type MessageKey = keyof typeof dict;

export function translate(locale: Locale, key: MessageKey): string {
  const entry = dict[key];
  return locale === "zh-CN" ? entry.zh : entry.en;
}

export interface I18n {
  locale: Locale;
  t: (key: MessageKey) => string;
  setLocale: (l: Locale) => void;
}

export const I18nContext = createContext<I18n>({
  locale: "zh-CN",
  t: (key) => translate("zh-CN", key),
  setLocale: () => undefined,
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}

const STORAGE_KEY = "yiqifu.locale";

export function initialLocale(): Locale {
  const saved = window.localStorage.getItem(STORAGE_KEY);
  return saved === "en-US" ? "en-US" : "zh-CN";
}

export function saveLocale(l: Locale): void {
  window.localStorage.setItem(STORAGE_KEY, l);
}
