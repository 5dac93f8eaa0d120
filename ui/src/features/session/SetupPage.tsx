import { Suspense, lazy, useState } from "react";
import { Button, Divider, Form, Input, Radio, Space, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, ServerChoice } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import LanguageSwitch from "../../shared/LanguageSwitch";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { messages } from "./messages";
import Panel from "../../shared/Panel";
import RestoredNotice from "../backup/RestoredNotice";
import { messages as backupMessages } from "../backup/messages";
import type {
  BackupInfo_Serialize as BackupInfo,
  RestoreOutcome_Serialize as RestoreOutcome,
} from "../../bindings";

// Opened only when the officer picks a backup: its chunk stays out of the start.
const RestoreDialog = lazy(() => import("../backup/RestoreDialog"));

interface Props {
  current: ServerChoice | null;
  onDone: () => void;
  onCancel?: (() => void) | undefined;
}

export default function SetupPage({ current, onDone, onCancel }: Props) {
  const t = useMessages(messages);
  const shared = useI18n().t;
  const [mode, setMode] = useState<"demo" | "url">(current?.kind === "url" ? "url" : "demo");
  const [url, setUrl] = useState(current?.kind === "url" ? current.url : "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const b = useMessages(backupMessages);
  const [backup, setBackup] = useState<BackupInfo | null>(null);
  const [restored, setRestored] = useState<RestoreOutcome | null>(null);

  const pickBackup = () => {
    setError(null);
    unwrap(commands.backupPick(b("restoreTitle")))
      .then((i) => {
        if (i) setBackup(i);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  };

  /** The restored enterprises' service is the one to connect to next. */
  const afterRestore = (o: RestoreOutcome) => {
    setBackup(null);
    setRestored(o);
    const s = o.other_service;
    if (s?.kind === "url") {
      setMode("url");
      setUrl(s.url);
    } else if (s?.kind === "demo") {
      setMode("demo");
    }
  };

  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      const choice: ServerChoice = mode === "demo" ? { kind: "demo" } : { kind: "url", url: url.trim() };
      await unwrap(commands.chooseServer(choice));
      onDone();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="centered-page">
      <Panel
        style={{ width: 560 }}
        title={t("setupTitle")}
        extra={<LanguageSwitch />}
        data-testid="setup-page"
      >
        <Typography.Paragraph type="secondary">{t(current ? "changeIntro" : "setupIntro")}</Typography.Paragraph>
        <ErrorAlert error={error} />
        <Form layout="vertical" onFinish={() => void connect()}>
          <Form.Item>
            <Radio.Group
              value={mode}
              onChange={(e) => {
                setMode(e.target.value as "demo" | "url");
              }}
            >
              <Space direction="vertical">
                <Radio value="demo" data-testid="server-demo">
                  {t("serverDemo")}
                </Radio>
                <Radio value="url" data-testid="server-url">
                  {t("serverUrl")}
                </Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          {mode === "url" && (
            <Form.Item label={t("serverUrl")} required>
              <Input
                data-testid="server-url-input"
                value={url}
                placeholder={t("serverUrlPlaceholder")}
                onChange={(e) => {
                  setUrl(e.target.value);
                }}
              />
            </Form.Item>
          )}
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              loading={busy}
              disabled={mode === "url" && url.trim() === ""}
              data-testid="connect"
            >
              {t("connect")}
            </Button>
            {onCancel && <Button onClick={onCancel}>{shared("back")}</Button>}
          </Space>
        </Form>
        {!current && (
          <>
            <Divider />
            <Space direction="vertical" size={8} style={{ width: "100%" }}>
              <Typography.Text type="secondary">{b("setupRestoreHint")}</Typography.Text>
              <Button onClick={pickBackup} data-testid="setup-restore">
                {b("setupRestore")}
              </Button>
              {restored && (
                <RestoredNotice
                  outcome={restored}
                  onClose={() => {
                    setRestored(null);
                  }}
                />
              )}
            </Space>
          </>
        )}
        {backup && (
          <Suspense fallback={null}>
            <RestoreDialog
              info={backup}
              onClose={() => {
                setBackup(null);
              }}
              onRestored={afterRestore}
            />
          </Suspense>
        )}
      </Panel>
    </div>
  );
}
