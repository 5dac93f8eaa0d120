import { createContext, useCallback, useContext } from "react";

export type Locale = "zh-CN" | "en-US";

/** Text in both languages. Each feature keeps its own dictionary; this file keeps the core. */
export interface Text {
  zh: string;
  en: string;
}
export type Dict = Record<string, Text>;

/** A feature's dictionary, checked to have both languages for every key. */
export function defineMessages<D extends Dict>(d: D): D {
  return d;
}

/** Fills the `{name}` slots of a message; a slot with no value is left as it is. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** "Label: value" with the colon each language writes (a full-width one in Chinese). */
export function labelled(locale: Locale, label: string): string {
  return locale === "zh-CN" ? `${label}：` : `${label}: `;
}

/** A list as each language writes one: "甲、乙" and "a, b". */
export function listed(locale: Locale, items: readonly string[]): string {
  return items.join(locale === "zh-CN" ? "、" : ", ");
}

/** An aside after a text: "已保存（2 MB）" and "Saved (2 MB)". */
export function aside(locale: Locale, text: string, note: string): string {
  return locale === "zh-CN" ? `${text}（${note}）` : `${text} (${note})`;
}

export function pick(locale: Locale, text: Text): string {
  return locale === "zh-CN" ? text.zh : text.en;
}

/** What shared components (status line, errors, layout) say. */
export const sharedMessages = defineMessages({
  appName: { zh: "益企服桌面端", en: "Yiqifu Desktop" },
  appTagline: { zh: "复工复产服务专窗", en: "Resume-work service window" },
  online: { zh: "在线", en: "Online" },
  offline: { zh: "离线", en: "Offline" },
  offlineHint: {
    zh: "当前无法连接中央服务，显示的是本地缓存；恢复连接后将自动同步。",
    en: "The central service cannot be reached: showing the local copy. It syncs again when the connection is back.",
  },
  queued: { zh: "待同步", en: "Queued" },
  parked: { zh: "需处理", en: "Need attention" },
  parkedTitle: { zh: "中央服务无法接受以下内容", en: "The central service cannot accept these" },
  items: { zh: "项", en: "" },
  lastSync: { zh: "上次同步", en: "Last sync" },
  neverSynced: { zh: "尚未同步", en: "Never synced" },
  // Beside the last-sync icon at the window's narrowest: "Never synced" was cut there.
  neverSyncedShort: { zh: "未同步", en: "Never" },
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
  cancel: { zh: "取消", en: "Cancel" },
  back: { zh: "返回", en: "Back" },
  none: { zh: "无", en: "None" },
  fieldRequired: { zh: "此项必填", en: "Required" },
  phoneInvalid: { zh: "请填写 5 到 20 位电话号码", en: "Enter a phone number of 5 to 20 digits" },
  language: { zh: "English", en: "中文" },
  loadFailed: { zh: "加载失败", en: "Loading failed" },
  // The main page's frame, while the page's own code loads (layout/MainFrame.tsx).
  pageOpening: { zh: "正在打开页面…", en: "Opening the page…" },
});

export type MessageKey = keyof typeof sharedMessages;

export function translate(locale: Locale, key: MessageKey): string {
  return pick(locale, sharedMessages[key]);
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

/** A feature's own dictionary, in the officer's language. */
export function useMessages<D extends Dict>(d: D): (key: keyof D) => string {
  const { locale } = useI18n();
  return useCallback((key: keyof D) => pick(locale, d[key] as Text), [locale, d]);
}

const STORAGE_KEY = "yiqifu.locale";

export function initialLocale(): Locale {
  const saved = window.localStorage.getItem(STORAGE_KEY);
  return saved === "en-US" ? "en-US" : "zh-CN";
}

export function saveLocale(l: Locale): void {
  window.localStorage.setItem(STORAGE_KEY, l);
}
