import type { Locale } from "../../shared/i18n";


export function byLocale(locale: Locale, zh: string | null, en: string | null): string | null {
  return locale === "zh-CN" ? zh : (en ?? zh);
}
