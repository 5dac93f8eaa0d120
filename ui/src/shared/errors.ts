import type { ErrorInfo } from "../bindings";
import type { Locale } from "./i18n";

/** Anything a command can reject with: our typed error, or a framework failure string. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (typeof e === "object" && e !== null && "code" in e && "message_zh" in e && "message_en" in e) {
    return e as ErrorInfo;
  }
  const text = e instanceof Error ? e.message : String(e);
  return {
    code: "UNEXPECTED",
    message_zh: `发生意外错误：${text}`,
    message_en: `Unexpected error: ${text}`,
  };
}

export function errorText(e: ErrorInfo, locale: Locale): string {
  return locale === "zh-CN" ? e.message_zh : e.message_en;
}

/** Codes after which the officer must sign in again. */
export function needsSignIn(e: ErrorInfo): boolean {
  return e.code === "SESSION_EXPIRED" || e.code === "NOT_SIGNED_IN";
}
