import type { ErrorInfo } from "../bindings";
import { errorText } from "./errors";
import { useI18n } from "./i18n";
import Notice from "./Notice";

/** A command's error in the officer's language, with its code for support. */
export default function ErrorAlert({ error }: { error: ErrorInfo | null }) {
  const { locale } = useI18n();
  if (!error) return null;
  return (
    <Notice
      data-testid="error-alert"
      data-code={error.code}
      type="error"
      message={errorText(error, locale)}
      description={locale === "zh-CN" ? error.message_en : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
