import type { Locale } from "../../shared/i18n";

/** Fills `{name}` slots of a message. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

export function byLocale(locale: Locale, zh: string | null, en: string | null): string | null {
  return locale === "zh-CN" ? zh : (en ?? zh);
}
