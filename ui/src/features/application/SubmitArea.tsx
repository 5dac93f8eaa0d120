import { useEffect, useRef, useState } from "react";
import { Button, Modal, Progress, Space, Typography } from "antd";
import { CheckSquareOutlined, SendOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import { events } from "../../bindings";
import type { CheckReport_Serialize as CheckReport, ErrorInfo, SubmitOutcome } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { useI18n, useMessages } from "../../shared/i18n";
import { toErrorInfo } from "../../shared/errors";
import CheckReportView from "./CheckReportView";
import { messages } from "./messages";

/**
 * 检查申请 and 提交申请: the submission always runs the check first and stops on its errors;
 * otherwise the officer confirms (weighing the warnings), and the package is built with its
 * progress shown.
 */
export default function SubmitArea({
  enterprise,
  correcting,
  onDone,
}: {
  enterprise: string;
  correcting: boolean;
  onDone: (outcome: SubmitOutcome) => void;
}) {
  const t = useMessages(messages);
  const { t: common, locale } = useI18n();
  const [report, setReport] = useState<CheckReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [checking, setChecking] = useState(false);
  const [confirming, setConfirming] = useState<CheckReport | null>(null);
  const [sending, setSending] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  useEffect(() => {
    const un = events.packageProgressed.listen((e) => {
      const p = e.payload;
      if (p.enterprise !== enterprise) return;
      setProgress({ done: p.done ?? 0, total: p.total ?? 0 });
    });
    return () => {
      void un.then((f) => {
        f();
      });
    };
  }, [enterprise]);

  const check = async (): Promise<CheckReport | null> => {
    setChecking(true);
    setError(null);
    try {
      const r = await unwrap(commands.applicationCheck(enterprise));
      if (mounted.current) setReport(r);
      return r;
    } catch (e) {
      if (mounted.current) setError(toErrorInfo(e));
      return null;
    } finally {
      if (mounted.current) setChecking(false);
    }
  };

  const submit = async () => {
    const r = await check();
    if (r && r.errors.length === 0) setConfirming(r);
  };

  const send = async () => {
    setConfirming(null);
    setSending(true);
    setProgress(null);
    setError(null);
    try {
      const outcome = await unwrap(commands.applicationSend(enterprise));
      if (mounted.current) setReport(null);
      onDone(outcome);
    } catch (e) {
      const info = toErrorInfo(e);
      if (!mounted.current) return;
      setError(info);
      // The check found something since: the report says what, item by item.
      if (info.code === "APPLICATION_NOT_READY") void check().then(() => { setError(info); });
    } finally {
      if (mounted.current) {
        setSending(false);
        setProgress(null);
      }
    }
  };

  const percent = progress && progress.total > 0 ? Math.floor((progress.done * 100) / progress.total) : 0;
  return (
    <div style={{ marginTop: 16 }}>
      <ErrorAlert error={error} />
      <Space wrap>
        <Button icon={<CheckSquareOutlined />} loading={checking && !sending} disabled={sending} onClick={() => void check()} data-testid="check-application">
          {t("checkApplication")}
        </Button>
        <Button type="primary" icon={<SendOutlined />} loading={sending} disabled={checking} onClick={() => void submit()} data-testid="submit-application">
          {correcting ? t("submitCorrection") : t("submit")}
        </Button>
      </Space>
      {sending && (
        <div data-testid="package-progress" style={{ marginTop: 12, maxWidth: 480 }}>
          <Typography.Text type="secondary">{t("packing")}</Typography.Text>
          <Progress percent={percent} status="active" />
        </div>
      )}
      {report && <CheckReportView report={report} />}
      <Modal
        open={confirming !== null}
        title={t("confirmTitle")}
        onCancel={() => {
          setConfirming(null);
        }}
        footer={[
          <Button
            key="cancel"
            onClick={() => {
              setConfirming(null);
            }}
          >
            {common("cancel")}
          </Button>,
          <Button key="ok" type="primary" onClick={() => void send()} data-testid="submit-confirm">
            {t("confirmOk")}
          </Button>,
        ]}
      >
        <Typography.Paragraph>{t("confirmBody")}</Typography.Paragraph>
        {confirming && confirming.warnings.length > 0 && (
          <>
            <Typography.Text strong>{t("confirmWarnings")}</Typography.Text>
            <ul style={{ paddingLeft: 20 }} data-testid="submit-warnings">
              {confirming.warnings.map((w, i) => (
                <li key={i} style={{ color: "#d46b08" }}>
                  {locale === "zh-CN" ? w.zh : w.en}
                </li>
              ))}
            </ul>
          </>
        )}
      </Modal>
    </div>
  );
}
