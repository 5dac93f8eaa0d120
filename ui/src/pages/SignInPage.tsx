import { useEffect, useState } from "react";
import { Alert, Button, Card, Form, Input, List, Space, Typography } from "antd";
import { commands, unwrap } from "../api";
import type { DemoAccount, ErrorInfo, Status_Serialize as Status } from "../bindings";
import ErrorAlert from "../components/ErrorAlert";
import LanguageSwitch from "../components/LanguageSwitch";
import { toErrorInfo } from "../errors";
import { useI18n } from "../i18n";

interface Props {
  status: Status;
  onSignedIn: () => void;
  onChangeServer: () => void;
  onCancel?: (() => void) | undefined;
}

interface Fields {
  creditCode: string;
  password: string;
}

export default function SignInPage({ status, onSignedIn, onChangeServer, onCancel }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [demo, setDemo] = useState<DemoAccount[]>([]);
  const isDemo = status.server?.kind === "demo";

  useEffect(() => {
    if (isDemo) {
      void commands.demoAccounts().then(setDemo);
    }
  }, [isDemo]);

  useEffect(() => {
    if (status.account) form.setFieldValue("creditCode", status.account.credit_code);
  }, [status.account, form]);

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

  return (
    <div className="centered-page">
      <Space direction="vertical" size="large" style={{ width: 520 }}>
        <Card
          title={
            <Space direction="vertical" size={0}>
              <span>{t("signInTitle")}</span>
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
                <Button onClick={onCancel}>{t("back")}</Button>
              ) : (
                <Button type="link" onClick={onChangeServer} data-testid="change-server">
                  {t("changeServer")}
                </Button>
              )}
            </Space>
          </Form>
        </Card>
        {isDemo && demo.length > 0 && (
          <Card size="small" title={t("demoAccounts")}>
            <List
              size="small"
              dataSource={demo}
              renderItem={(a) => (
                <List.Item
                  style={{ cursor: "pointer" }}
                  data-testid="demo-account"
                  onClick={() => {
                    form.setFieldsValue({ creditCode: a.credit_code, password: a.password });
                  }}
                >
                  <List.Item.Meta
                    title={a.name}
                    description={`${a.credit_code} · ${a.district} · ${a.industry}`}
                  />
                </List.Item>
              )}
            />
          </Card>
        )}
      </Space>
    </div>
  );
}
