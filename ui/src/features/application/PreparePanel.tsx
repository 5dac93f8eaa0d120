import { Alert, Button, Card, Result, Typography } from "antd";
import type { ApplicationDraft_Serialize as Draft, SubmitOutcome } from "../../bindings";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import ContactFields from "./ContactFields";
import CorrectionBanner from "./CorrectionBanner";
import MaterialsList from "./MaterialsList";
import SubmitArea from "./SubmitArea";
import { messages } from "./messages";

/** What was just sent: its round and the package's fingerprint, and the way to follow it. */
function Done({ outcome, onTrack }: { outcome: SubmitOutcome; onTrack: () => void }) {
  const t = useMessages(messages);
  return (
    <div data-testid="submit-done">
      <Result
        status="success"
        title={fill(t("doneTitle"), { round: outcome.round })}
        subTitle={t("doneSub")}
        extra={
          <Button type="primary" onClick={onTrack} data-testid="to-track">
            {t("toTrack")}
          </Button>
        }
      >
        <Typography.Text type="secondary">{t("packageHash")}</Typography.Text>
        {/* A hash has no words to keep whole: it wraps anywhere rather than widen the page. */}
        <Typography.Paragraph copyable style={{ fontFamily: "monospace", overflowWrap: "anywhere", marginBottom: 0 }} data-testid="package-sha256">
          {outcome.package_sha256}
        </Typography.Paragraph>
      </Result>
    </div>
  );
}

/** 准备申请: materials, forms, contact and note, the check and the submission. */
export default function PreparePanel({
  enterprise,
  draft,
  active,
  done,
  onDone,
  onChanged,
  onTrack,
}: {
  enterprise: string;
  draft: Draft;
  active: boolean;
  done: SubmitOutcome | null;
  onDone: (o: SubmitOutcome) => void;
  onChanged: () => void;
  onTrack: () => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const navigate = useNavigate();
  if (done) return <Done outcome={done} onTrack={onTrack} />;
  const gate = draft.gate;
  const correcting = draft.record_id !== null;
  return (
    <div data-testid="prepare">
      {!draft.rules_synced && <Alert type="warning" showIcon message={t("rulesNotSynced")} style={{ marginBottom: 16 }} data-testid="rules-not-synced" />}
      {correcting && <CorrectionBanner enterprise={enterprise} draft={draft} onChanged={onChanged} />}
      {!gate.open && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t("gateClosed")}
          description={<span data-testid="gate-reason">{locale === "zh-CN" ? gate.reason_zh : gate.reason_en}</span>}
          action={
            gate.lock === "no_profile" ? (
              <Button size="small" onClick={() => { navigate("profile"); }} data-testid="gate-to-profile">
                {t("toProfile")}
              </Button>
            ) : (
              <Button size="small" onClick={() => { navigate("selfcheck"); }} data-testid="gate-to-selfcheck">
                {t("toSelfCheck")}
              </Button>
            )
          }
        />
      )}
      <Card size="small" title={t("materialsTitle")} style={{ marginBottom: 16 }}>
        <MaterialsList enterprise={enterprise} draft={draft} active={active} onChanged={onChanged} />
      </Card>
      <Card size="small" title={t("contactTitle")}>
        <ContactFields
          // A new draft (a correction started or dropped, a submission made) starts the fields afresh.
          key={`${draft.record_id ?? "new"}-${String(draft.round)}`}
          enterprise={enterprise}
          initial={{ name: draft.contact_name, phone: draft.contact_phone, note: draft.note }}
          rosterCount={draft.roster_count}
        />
      </Card>
      <SubmitArea enterprise={enterprise} correcting={correcting} onDone={onDone} />
    </div>
  );
}
