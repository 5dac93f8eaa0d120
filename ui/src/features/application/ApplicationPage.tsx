import { useCallback, useEffect, useRef, useState } from "react";
import { Button, Card, Result, Spin, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, Gate_Serialize as Gate, RunSummary, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { useTopics } from "../../shared/useTopics";
import { messages } from "./messages";

/** The application's entry point: locked, and why, until a passing self-check is on file. */
export default function ApplicationPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const navigate = useNavigate();
  const enterprise = status.enterprise;
  const [gate, setGate] = useState<Gate | null>(null);
  const [run, setRun] = useState<RunSummary | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const showing = useRef(enterprise);
  showing.current = enterprise;
  const load = useCallback(() => {
    if (!enterprise) return;
    Promise.all([unwrap(commands.selfcheckGate(enterprise)), unwrap(commands.selfcheckHistory(enterprise))])
      .then(([g, h]) => {
        if (showing.current !== enterprise) return;
        setGate(g);
        setRun(h.find((r) => r.id === g.run_id) ?? null);
        setError(null);
      })
      .catch((e: unknown) => {
        if (showing.current === enterprise) setError(toErrorInfo(e));
      });
  }, [enterprise]);
  useEffect(load, [load]);
  useTopics(enterprise, ["self_check", "catalog"], load);

  return (
    <Card title={t("title")} data-testid="application-page">
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {gate === null && !error && <Spin />}
      {gate && !gate.open && (
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
      )}
      {gate?.open && (
        <div data-testid="application-open">
        <Result
          status="success"
          title={t("open")}
          subTitle={run ? t("openSub").replace("{title}", run.template_title).replace("{date}", run.finished_on) : undefined}
          extra={
            <Button onClick={() => { navigate("selfcheck"); }} data-testid="gate-view-selfcheck">
              {t("viewResult")}
            </Button>
          }
        />
        </div>
      )}
    </Card>
  );
}
