import type { ReactNode } from "react";
import type { ErrorInfo } from "../bindings";
import { errorText } from "./errors";
import { fill, pick, useI18n, type Dict, type Locale, type Text } from "./i18n";

/**
 * Text that follows the officer's language while it is on screen. A toast or a notice is
 * made once; made with this, a switch of language says it again in the new one, instead of
 * leaving Chinese on an English page (or the other way round) until it goes.
 */
export function Said({ text }: { text: (locale: Locale) => string }) {
  const { locale } = useI18n();
  return <>{text(locale)}</>;
}

/** A key of a dictionary, its `{name}` slots filled, in the language on screen. */
export function said<D extends Dict>(d: D, key: keyof D & string, values: Record<string, string | number> = {}): ReactNode {
  return <Said text={(l) => fill(pick(l, d[key] as Text), values)} />;
}

/** An error, in the language on screen. */
export function saidError(info: ErrorInfo): ReactNode {
  return <Said text={(l) => errorText(info, l)} />;
}
