import { UNITS } from "../../bindings";
import type { Locale } from "../../shared/i18n";

/** A number item's unit in the officer's language, from the list the answers are put in
 *  words with; one the list does not know stays as the checklist writes it. */
export function unitLabel(unit: string, locale: Locale): string {
  if (locale === "zh-CN") return unit;
  // Beside a field the count is not known yet: the form for more than one.
  return UNITS.find(([zh]) => zh === unit)?.[2] ?? unit;
}

export function byLocale(locale: Locale, zh: string | null, en: string | null): string | null {
  return locale === "zh-CN" ? zh : (en ?? zh);
}
