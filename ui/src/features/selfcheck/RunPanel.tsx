import { useEffect, useState } from "react";
import { App as AntApp, Alert, Button, Card, Descriptions, Result, Space, Spin, Typography } from "antd";
import { FilePdfOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, RunView_Serialize as RunView } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { DocumentDrawer } from "../documents/DocumentDrawer";
import ItemCard from "./ItemCard";
import { messages } from "./messages";
import { said, saidError } from "../../shared/said";

/** A finished self-check, read-only, with its report. */
export default function RunPanel({ enterprise, runId, onBack }: { enterprise: string; runId: string; onBack: () => void }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [run, setRun] = useState<RunView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saving, setSaving] = useState(false);
  const [cite, setCite] = useState<{ id: string; clause: string } | null>(null);
  // Whether this is the result an application would carry now.
  const [carried, setCarried] = useState(false);

  useEffect(() => {
    let live = true;
    unwrap(commands.selfcheckRun(enterprise, runId))
      .then((r) => {
        if (live) setRun(r);
      })
      .catch((e: unknown) => {
        if (live) setError(toErrorInfo(e));
      });
    unwrap(commands.selfcheckGate(enterprise))
      .then((g) => {
        if (live) setCarried(g.open && g.run_id === runId);
      })
      .catch((e: unknown) => {
        if (live) setError(toErrorInfo(e));
      });
    return () => {
      live = false;
    };
  }, [enterprise, runId]);

  const download = () => {
    setSaving(true);
    unwrap(commands.saveSelfcheckReport(enterprise, runId, t("saveReportTitle")))
      .then((path) => {
        if (path) void message.success(said(messages, "reportSaved", { path }));
      })
      .catch((e: unknown) => {
        void message.error(saidError(toErrorInfo(e)));
      })
      .finally(() => {
        setSaving(false);
      });
  };

  if (!run) {
    return (
      <Card title={t("resultTitle")} extra={<Button onClick={onBack}>{t("back")}</Button>} data-testid="run-panel">
        <ErrorAlert error={error} />
        {!error && <Spin />}
      </Card>
    );
  }
  const s = run.summary;
  return (
    <div data-testid="run-panel">
      <Card
        title={t("resultTitle")}
        extra={
          <Space>
            <Button type="primary" icon={<FilePdfOutlined />} loading={saving} onClick={download} data-testid="download-report">
              {t("downloadReport")}
            </Button>
            <Button onClick={onBack} data-testid="run-back">
              {t("back")}
            </Button>
          </Space>
        }
      >
        <Result
          status={s.passed ? "success" : "warning"}
          title={<span data-testid="run-verdict">{s.passed ? t("verdictPass") : t("verdictFail")}</span>}
          subTitle={`${s.template_title} · ${fill(t("version"), { n: s.template_version })} · ${s.finished_on}`}
          extra={
            carried ? (
              <Button
                onClick={() => {
                  navigate("application");
                }}
                data-testid="run-to-application"
              >
                {t("toApplication")}
              </Button>
            ) : undefined
          }
          style={{ padding: "8px 0" }}
        />
        {!s.current && <Alert type="warning" showIcon message={t("updatedTemplate")} style={{ marginBottom: 12 }} />}
        <Alert type="info" message={t("readOnly")} style={{ marginBottom: 12 }} />
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t("sha")}>
            <Typography.Text code copyable style={{ wordBreak: "break-all" }} data-testid="run-sha">
              {run.sha256}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        {run.verdict.failures.length > 0 && (
          <Alert
            type="warning"
            style={{ marginTop: 12 }}
            message={fill(t("runFailures"), { n: run.verdict.failures.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {run.verdict.failures.map((f) => (
                  <li key={f.item_id}>
                    <div>{f.prompt || f.item_id}</div>
                    <Typography.Text type="danger">{locale === "zh-CN" ? f.reason_zh : f.reason_en}</Typography.Text>
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Card>
      {run.template.sections.map((section) => {
        const shown = section.items.filter((i) => run.items.find((x) => x.item_id === i.id)?.status !== "hidden");
        if (shown.length === 0) return null;
        return (
          <Card key={section.id} title={section.title} style={{ marginTop: 16 }} size="small">
            {shown.map((item) => {
              const st = run.items.find((x) => x.item_id === item.id);
              if (!st) return null;
              return (
                <ItemCard
                  key={item.id}
                  item={item}
                  state={st}
                sourceTitle={run.sources.find((x) => x.document_id === item.cites.document_id)?.title}
                  readOnly
                  onAnswer={() => undefined}
                  onPick={() => undefined}
                  onCite={(id, clause) => {
                    setCite({ id, clause });
                  }}
                />
              );
            })}
          </Card>
        );
      })}
      <DocumentDrawer
        id={cite?.id ?? null}
        enterprise={enterprise}
        clause={cite?.clause}
        onClose={() => {
          setCite(null);
        }}
      />
    </div>
  );
}
