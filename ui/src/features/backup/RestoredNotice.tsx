import { Alert, Typography } from "antd";
import type { RestoreOutcome_Serialize as RestoreOutcome } from "../../bindings";
import { labelled, useI18n, useMessages } from "../../shared/i18n";
import { messages } from "./messages";

/** What a restore put back, where the replaced work went, and what the officer does next. */
export default function RestoredNotice({ outcome, onClose }: { outcome: RestoreOutcome; onClose: () => void }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  return (
    <Alert
      type="success"
      showIcon
      closable
      onClose={onClose}
      data-testid="backup-restored"
      message={`${labelled(locale, t("restored"))}${outcome.restored.join(locale === "zh-CN" ? "、" : ", ")}`}
      description={
        <>
          {outcome.safety_backup && (
            <Typography.Paragraph style={{ marginBottom: 4, overflowWrap: "anywhere" }}>
              {labelled(locale, t("safetyKept"))}
              {outcome.safety_backup}
            </Typography.Paragraph>
          )}
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            {outcome.other_service ? t("switchService") : t("signInAgain")}
          </Typography.Paragraph>
        </>
      }
    />
  );
}
