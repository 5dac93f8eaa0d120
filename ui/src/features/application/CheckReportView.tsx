import { Alert, Button, Card, Space, Typography } from "antd";
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from "@ant-design/icons";
import type { CheckReport_Serialize as CheckReport, Finding_Serialize as Finding } from "../../bindings";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { messages } from "./messages";

/** Pages a finding can be about, by the sidebar key that opens them. */
const PAGES = new Set(["profile", "selfcheck", "roster"]);

/** Brings what a finding is about into view: its material's row, the contact, or a page. */
export function useGoTo(): (target: string) => void {
  const navigate = useNavigate();
  return (target) => {
    if (PAGES.has(target)) {
      navigate(target);
      return;
    }
    const el =
      target === "contact"
        ? document.getElementById("application-contact")
        : document.querySelector(`[data-material-type="${target.replace(/["\\]/g, "\\$&")}"]`);
    el?.scrollIntoView({ behavior: "smooth", block: "center" });
  };
}

function FindingLine({ f, kind, onGo }: { f: Finding; kind: "error" | "warning"; onGo: (target: string) => void }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const target = f.target;
  return (
    <div data-testid={`check-${kind}`} data-code={f.code} data-target={target ?? undefined} style={{ display: "flex", gap: 8, alignItems: "baseline" }}>
      {kind === "error" ? <CloseCircleFilled style={{ color: "#ff4d4f" }} /> : <ExclamationCircleFilled style={{ color: "#fa8c16" }} />}
      <Typography.Text style={{ color: kind === "error" ? "#cf1322" : "#d46b08", flex: "1 1 auto" }}>
        {locale === "zh-CN" ? f.zh : f.en}
      </Typography.Text>
      {target && (
        <Button
          type="link"
          size="small"
          style={{ flex: "none", padding: 0 }}
          onClick={() => {
            onGo(target);
          }}
          data-testid="check-go"
        >
          {t("goFix")}
        </Button>
      )}
    </div>
  );
}

/** The check of the whole application: what stops it, apart from what is for the officer to weigh. */
export default function CheckReportView({ report }: { report: CheckReport }) {
  const t = useMessages(messages);
  const go = useGoTo();
  return (
    <Card size="small" title={t("checkTitle")} style={{ marginTop: 16 }} data-testid="check-report">
      <Space direction="vertical" size={6} style={{ width: "100%" }}>
        {report.errors.length === 0 ? (
          <Alert type="success" showIcon icon={<CheckCircleFilled />} message={t("checkOk")} data-testid="check-ok" />
        ) : (
          <Typography.Text strong type="danger">
            {fill(t("checkErrors"), { n: report.errors.length })}
          </Typography.Text>
        )}
        {report.errors.map((f, i) => (
          <FindingLine key={`e${String(i)}`} f={f} kind="error" onGo={go} />
        ))}
        {report.warnings.length > 0 && (
          <Typography.Text strong type="warning" style={{ marginTop: 4 }}>
            {fill(t("checkWarnings"), { n: report.warnings.length })}
          </Typography.Text>
        )}
        {report.warnings.map((f, i) => (
          <FindingLine key={`w${String(i)}`} f={f} kind="warning" onGo={go} />
        ))}
      </Space>
    </Card>
  );
}
