import { Alert } from "antd";
import type { ErrorInfo } from "../bindings";
import { errorText } from "./errors";
import { useI18n } from "./i18n";

/** A command's error in the officer's language, with its code for support. */
export default function ErrorAlert({ error }: { error: ErrorInfo | null }) {
  const { locale } = useI18n();
  if (!error) return null;
  return (
    <Alert
      data-testid="error-alert"
      data-code={error.code}
      type="error"
      showIcon
      message={errorText(error, locale)}
      description={locale === "zh-CN" ? error.message_en : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
