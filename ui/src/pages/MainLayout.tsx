import { useState } from "react";
import { Alert, Button, Layout, Menu, Space, Typography } from "antd";
import { FileSearchOutlined, LogoutOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../api";
import type { DocumentKind, Status_Serialize as Status } from "../bindings";
import LanguageSwitch from "../components/LanguageSwitch";
import StatusBar from "../components/StatusBar";
import { errorText } from "../errors";
import { useI18n } from "../i18n";
import DocumentsPage from "./DocumentsPage";

export default function MainLayout({ status, onSignIn }: { status: Status; onSignIn: () => void }) {
  const { t, locale } = useI18n();
  const [page, setPage] = useState<DocumentKind>("policy");

  return (
    <Layout style={{ height: "100%" }}>
      <Layout.Sider width={200} theme="dark">
        <div className="brand">{t("appName")}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[page]}
          onClick={(e) => {
            setPage(e.key as DocumentKind);
          }}
          items={[
            { key: "policy", icon: <FileSearchOutlined />, label: t("menuPolicies") },
            { key: "guidance", icon: <SafetyCertificateOutlined />, label: t("menuGuidance") },
          ]}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: "#fff",
            padding: "0 24px",
            display: "flex",
            justifyContent: "space-between",
            alignItems: "center",
            borderBottom: "1px solid #f0f0f0",
          }}
        >
          <StatusBar status={status} />
          <Space>
            <Typography.Text strong data-testid="enterprise-name">
              {status.account?.name}
            </Typography.Text>
            <LanguageSwitch />
            <Button
              size="small"
              icon={<LogoutOutlined />}
              onClick={() => void unwrap(commands.signOut())}
              data-testid="sign-out"
            >
              {t("signOut")}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24, overflow: "auto" }}>
          {status.notice && (
            <Alert
              type="error"
              showIcon
              closable
              data-testid="notice"
              message={errorText(status.notice, locale)}
              style={{ marginBottom: 16 }}
            />
          )}
          {!status.signed_in && (
            <Alert
              type="info"
              showIcon
              message={t("sessionGone")}
              action={
                <Button size="small" type="primary" onClick={onSignIn} data-testid="sign-in-again">
                  {t("signInAgain")}
                </Button>
              }
              style={{ marginBottom: 16 }}
            />
          )}
          {!status.online && (
            <Alert type="warning" showIcon message={t("offlineHint")} style={{ marginBottom: 16 }} data-testid="offline-banner" />
          )}
          <DocumentsPage key={page} kind={page} status={status} />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
