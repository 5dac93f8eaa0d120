import { useCallback, useEffect, useState } from "react";
import { App, Button, Card, Form, Input, Radio, Space, Switch, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, Proxy, ServerChoice } from "../../bindings";
import { useShell } from "../../shared/shell";
import ErrorAlert from "../../shared/ErrorAlert";
import LanguageSwitch from "../../shared/LanguageSwitch";
import { toErrorInfo } from "../../shared/errors";
import { useNotifySetting } from "../../shared/useNotifySetting";
import { useMessages } from "../../shared/i18n";
import { messages } from "./messages";
import { said } from "../../shared/said";

type Kind = Proxy["kind"];

/** Language, desktop notifications, the central service and how the app reaches it (its proxy). */
export default function SettingsCard({ server }: { server: ServerChoice | null }) {
  const t = useMessages(messages);
  const shell = useShell();
  const { message } = App.useApp();
  const notify = useNotifySetting();
  const [kind, setKind] = useState<Kind | null>(null);
  const [url, setUrl] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const load = useCallback(() => {
    unwrap(commands.proxySetting())
      .then((p) => {
        setKind(p.kind);
        setUrl(p.kind === "manual" ? p.url : "");
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  }, []);
  useEffect(load, [load]);

  const save = () => {
    if (kind === null) return;
    const proxy: Proxy = kind === "manual" ? { kind, url: url.trim() } : { kind };
    setSaving(true);
    setError(null);
    unwrap(commands.setProxy(proxy))
      .then((online) => {
        if (online) void message.success(said(messages, "proxySavedOnline"));
        else void message.warning(said(messages, "proxySavedOffline"));
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      })
      .finally(() => {
        setSaving(false);
      });
  };

  return (
    <Card title={t("settingsTitle")} style={{ marginBottom: 16 }} data-testid="settings-card">
      <Form layout="vertical">
        <Form.Item label={t("language")}>
          <LanguageSwitch />
        </Form.Item>
        <Form.Item label={t("notifications")} extra={t("notificationsHint")}>
          <Switch
            checked={notify.on ?? false}
            loading={notify.on === null}
            onChange={notify.set}
            aria-label={t("notifications")}
            data-testid="settings-notify"
          />
        </Form.Item>
        <Form.Item label={t("service")} extra={t("serviceHint")}>
          <Space wrap size={12}>
            <Typography.Text data-testid="settings-service" style={{ overflowWrap: "anywhere" }}>
              {server?.kind === "url" ? server.url : t("serviceDemoName")}
            </Typography.Text>
            <Button onClick={shell.changeServer} data-testid="change-server">
              {t("changeService")}
            </Button>
          </Space>
        </Form.Item>
        <Form.Item label={t("proxy")} extra={t("proxyHint")}>
          <Space direction="vertical" style={{ width: "100%" }}>
            <Radio.Group
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as Kind);
              }}
              aria-label={t("proxy")}
              data-testid="proxy-kind"
            >
              <Space direction="vertical">
                <Radio value="system">
                  <span data-testid="proxy-system">{t("proxySystem")}</span>
                </Radio>
                <Radio value="direct">
                  <span data-testid="proxy-direct">{t("proxyDirect")}</span>
                </Radio>
                <Radio value="manual">
                  <span data-testid="proxy-manual">{t("proxyManual")}</span>
                </Radio>
              </Space>
            </Radio.Group>
            {kind === "manual" && (
              <Input
                value={url}
                onChange={(e) => {
                  setUrl(e.target.value);
                }}
                placeholder="http://proxy.example.com:8080"
                aria-label={t("proxyUrl")}
                maxLength={300}
                data-testid="proxy-url"
              />
            )}
            <ErrorAlert error={error} />
            <Button type="primary" onClick={save} loading={saving} disabled={kind === null} data-testid="proxy-save">
              {t("save")}
            </Button>
            <Typography.Text type="secondary">{t("proxyDemo")}</Typography.Text>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}
