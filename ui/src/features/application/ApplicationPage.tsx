import { useCallback, useEffect, useRef, useState } from "react";
import { Badge, Button, Card, Result, Spin, Tabs, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type {
  ApplicationDraft_Serialize as Draft,
  ApplicationView_Serialize as ApplicationView,
  ErrorInfo,
  Gate_Serialize as Gate,
  Status_Serialize as Status,
  SubmitOutcome,
} from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { useTopics } from "../../shared/useTopics";
import PreparePanel from "./PreparePanel";
import TrackPanel from "./TrackPanel";
import { messages } from "./messages";
import { useTrackRequests } from "./trackRequest";

type Tab = "prepare" | "track";

/** Whether an application waits on the officer: returned for correction, or refused in the queue. */
export function needsAction(a: ApplicationView): boolean {
  return a.delivery === "parked" || a.server?.state === "returned";
}

/** The gate shut and why, with the way to open it. */
function Locked({ gate }: { gate: Gate }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const navigate = useNavigate();
  return (
    <div data-testid="application-locked">
      <Result
        status="warning"
        title={t("locked")}
        subTitle={<span data-testid="gate-reason">{locale === "zh-CN" ? gate.reason_zh : gate.reason_en}</span>}
        extra={
          gate.lock === "no_profile" ? (
            <Button type="primary" onClick={() => { navigate("profile"); }} data-testid="gate-to-profile">
              {t("toProfile")}
            </Button>
          ) : (
            <Button type="primary" onClick={() => { navigate("selfcheck"); }} data-testid="gate-to-selfcheck">
              {t("toSelfCheck")}
            </Button>
          )
        }
      />
    </div>
  );
}

/**
 * 复工申请: locked until a passing self-check is on file; then preparing the application
 * (materials, forms, contact, check, submit) and following those sent to a decision.
 */
export default function ApplicationPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const enterprise = status.enterprise;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [apps, setApps] = useState<ApplicationView[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [tab, setTab] = useState<Tab | null>(null);
  // The submission just made: shown until the officer moves on, though the draft is gone.
  const [done, setDone] = useState<SubmitOutcome | null>(null);
  const [focus, setFocus] = useState<string | null>(null);

  const showing = useRef(enterprise);
  showing.current = enterprise;
  const load = useCallback(() => {
    if (!enterprise) return;
    Promise.all([unwrap(commands.applicationDraft(enterprise)), unwrap(commands.applications(enterprise))])
      .then(([d, a]) => {
        if (showing.current !== enterprise) return;
        setDraft(d);
        setApps(a);
        setError(null);
        // First view: a correction or work in progress opens Prepare; otherwise what was sent.
        setTab((old) => old ?? (a.length > 0 && d.record_id === null && d.slots.every((s) => s.files.length === 0) ? "track" : "prepare"));
      })
      .catch((e: unknown) => {
        if (showing.current === enterprise) setError(toErrorInfo(e));
      });
  }, [enterprise]);
  useEffect(load, [load]);
  useTopics(enterprise, ["application", "records", "outbox", "roster", "self_check", "catalog"], load);

  useTrackRequests(enterprise, (recordId) => {
    setDone(null);
    setTab("track");
    setFocus(recordId);
  });

  const toPrepare = () => {
    setDone(null);
    setTab("prepare");
  };

  const header = (
    <>
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <ErrorAlert error={error} />
    </>
  );
  if (!enterprise) return null;
  if (!draft || !apps) {
    return (
      <Card title={t("title")} data-testid="application-page">
        {header}
        {!error && <Spin />}
      </Card>
    );
  }
  // Locked only while there is nothing to show: files already added stay in reach (the gate
  // may shut after a profile change) and so do the applications sent.
  const nothingYet = apps.length === 0 && draft.record_id === null && draft.orphans.length === 0 && draft.slots.every((s) => s.files.length === 0);
  if (!draft.gate.open && nothingYet) {
    return (
      <Card title={t("title")} data-testid="application-page">
        {header}
        <Locked gate={draft.gate} />
      </Card>
    );
  }
  const waiting = apps.filter(needsAction).length;
  return (
    <Card title={t("title")} data-testid="application-page">
      {header}
      <div data-testid="application-open">
        <Tabs
          activeKey={tab ?? "prepare"}
          onChange={(k) => {
            if (k === "prepare") toPrepare();
            else setTab("track");
          }}
          items={[
            {
              key: "prepare",
              label: <span data-testid="tab-prepare">{t("tabPrepare")}</span>,
              children: (
                <PreparePanel
                  enterprise={enterprise}
                  draft={draft}
                  active={tab === "prepare"}
                  done={done}
                  onDone={setDone}
                  onChanged={load}
                  onTrack={() => {
                    setDone(null);
                    setTab("track");
                    setFocus(done?.record_id ?? null);
                  }}
                />
              ),
            },
            {
              key: "track",
              label: (
                <span data-testid="tab-track">
                  {t("tabTrack")}
                  {waiting > 0 && <Badge count={waiting} size="small" title={t("needAction")} style={{ marginLeft: 6 }} data-testid="track-badge" />}
                </span>
              ),
              children: (
                <TrackPanel
                  enterprise={enterprise}
                  apps={apps}
                  slots={draft.slots}
                  focus={focus}
                  onFocused={() => {
                    setFocus(null);
                  }}
                  onCorrect={(d) => {
                    setDraft(d);
                    toPrepare();
                  }}
                />
              ),
            },
          ]}
        />
      </div>
    </Card>
  );
}
