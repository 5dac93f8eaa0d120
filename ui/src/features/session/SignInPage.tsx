import { useEffect, useState } from "react";
import { Alert, Badge, Button, Form, Input, Space, Tag, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { DemoAccount, ErrorInfo, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import LanguageSwitch from "../../shared/LanguageSwitch";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { districtLabel, industryLabel } from "../../shared/places";
import { messages } from "./messages";
import Panel from "./Panel";
import PickList from "./PickList";

interface Props {
  status: Status;
  onSignedIn: () => void;
  onChangeServer: () => void;
  /** Back to the enterprise on screen (when adding another, or signing in again). */
  onCancel?: (() => void) | undefined;
  /** Fill in this enterprise's credit code (signing in again). */
  creditCode?: string | undefined;
}

interface Fields {
  creditCode: string;
  password: string;
}

export default function SignInPage({ status, onSignedIn, onChangeServer, onCancel, creditCode }: Props) {
  const t = useMessages(messages);
  const { t: shared, locale } = useI18n();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [demo, setDemo] = useState<DemoAccount[]>([]);
  const isDemo = status.server?.kind === "demo";
  const known = status.enterprises;

  useEffect(() => {
    if (isDemo) {
      void commands.demoAccounts().then(setDemo);
    }
  }, [isDemo]);

  // Filled once, with the enterprise signing in again (or the one on screen when there is
  // no other way in); never while the officer types another's code to add it.
  const adding = onCancel !== undefined && creditCode === undefined;
  const onScreen = status.account?.credit_code;
  useEffect(() => {
    const code = creditCode ?? (adding ? undefined : onScreen);
    if (code) form.setFieldValue("creditCode", code);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [creditCode]);

  const submit = async (f: Fields) => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(commands.signIn(f.creditCode, f.password));
      form.setFieldValue("password", "");
      onSignedIn();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  const open = async (enterprise: string) => {
    setError(null);
    try {
      await unwrap(commands.switchEnterprise(enterprise));
      onSignedIn();
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  return (
    <div className="centered-page">
      <Space direction="vertical" size="large" style={{ width: 520 }}>
        <Panel
          title={
            <Space direction="vertical" size={0}>
              <span>{onCancel ? t("addEnterpriseTitle") : t("signInTitle")}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
                {status.server?.kind === "url" ? status.server.url : t("serverDemo")}
              </Typography.Text>
            </Space>
          }
          extra={<LanguageSwitch />}
          data-testid="sign-in-page"
        >
          {!status.online && (
            <Alert type="warning" showIcon message={t("offlineSignIn")} style={{ marginBottom: 16 }} />
          )}
          <ErrorAlert error={error} />
          <Form form={form} layout="vertical" onFinish={(f) => void submit(f)} requiredMark={false}>
            <Form.Item
              name="creditCode"
              label={t("creditCode")}
              extra={t("creditCodeHint")}
              rules={[{ required: true, message: t("creditCodeRequired") }]}
            >
              <Input data-testid="credit-code" maxLength={18} autoComplete="username" />
            </Form.Item>
            <Form.Item name="password" label={t("password")} rules={[{ required: true, message: t("passwordRequired") }]}>
              <Input.Password data-testid="password" autoComplete="current-password" />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="sign-in">
                {t("signIn")}
              </Button>
              {onCancel ? (
                <Button onClick={onCancel} data-testid="sign-in-back">
                  {shared("back")}
                </Button>
              ) : (
                <Button type="link" onClick={onChangeServer} data-testid="change-server">
                  {t("changeServer")}
                </Button>
              )}
            </Space>
          </Form>
        </Panel>
        {!onCancel && known.length > 0 && (
          <Panel small title={t("onThisComputer")} data-testid="known-enterprises">
            <PickList
              items={known.map((e) => ({
                key: e.id,
                testId: "known-enterprise",
                title: (
                  <Space size={4}>
                    <span
                      style={{ cursor: "pointer" }}
                      onClick={() => {
                        form.setFieldValue("creditCode", e.profile.credit_code);
                      }}
                    >
                      {e.profile.name}
                    </span>
                    {!e.signed_in && <Tag>{t("signedOut")}</Tag>}
                  </Space>
                ),
                description: (
                  <Space size={4}>
                    <span>{e.profile.credit_code}</span>
                    {e.queued + e.parked > 0 && (
                      <>
                        <Badge count={e.queued + e.parked} color="#8c8c8c" />
                        <span>{t("waiting")}</span>
                      </>
                    )}
                  </Space>
                ),
                action: (
                  <Button size="small" onClick={() => void open(e.id)}>
                    {t("open")}
                  </Button>
                ),
              }))}
            />
          </Panel>
        )}
        {isDemo && demo.length > 0 && (
          <Panel small title={t("demoAccounts")}>
            <PickList
              items={demo.map((a) => ({
                key: a.credit_code,
                testId: "demo-account",
                title: a.name,
                description: `${a.credit_code} · ${districtLabel(a.district, locale)} · ${industryLabel(a.industry, locale)}`,
                onPick: () => {
                  form.setFieldsValue({ creditCode: a.credit_code, password: a.password });
                },
              }))}
            />
          </Panel>
        )}
      </Space>
    </div>
  );
}
