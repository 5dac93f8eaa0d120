import { useCallback, useEffect, useState } from "react";
import { App, Button, Card, Descriptions, Space, Tag, Typography } from "antd";
import { FolderOpenOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import type { About_Serialize as About, ErrorInfo, Folder, Status_Serialize as Status } from "../../bindings";
import { BackupCard } from "../backup";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useMessages } from "../../shared/i18n";
import { messages } from "./messages";
import SettingsCard from "./SettingsCard";
import MoveDataFolder from "./MoveDataFolder";
import { saidError } from "../../shared/said";

const mono = { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", overflowWrap: "anywhere" as const };

/**
 * Settings, backups; then the versions of the app, its core and the service, and the data and
 * log folders.
 */
export default function AboutPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const [about, setAbout] = useState<About | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const load = useCallback(() => {
    unwrap(commands.about())
      .then((a) => {
        setAbout(a);
        setError(null);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  }, []);
  useEffect(load, [load]);

  const open = (folder: Folder) => {
    unwrap(commands.openFolder(folder)).catch((e: unknown) => {
      void message.error(saidError(toErrorInfo(e)));
    });
  };

  const folder = (path: string, which: Folder, hint: string) => (
    <Space direction="vertical" size={4} style={{ width: "100%" }}>
      <Space wrap size={8}>
        <Typography.Text copyable={{ tooltips: [undefined, t("copied")] }} style={mono} data-testid={`about-${which}-dir`}>
          {path}
        </Typography.Text>
        <Button size="small" icon={<FolderOpenOutlined />} onClick={() => {
          open(which);
        }} data-testid={`open-${which}-dir`}>
          {t("open")}
        </Button>
        {which === "data" && <MoveDataFolder current={path} />}
      </Space>
      <Typography.Text type="secondary">{hint}</Typography.Text>
    </Space>
  );

  return (
    <>
    <SettingsCard server={status.server} />
    <BackupCard status={status} />
    <Card title={t("title")} data-testid="about-page">
      <ErrorAlert error={error} />
      {about && (
        <Descriptions column={1} bordered size="small" styles={{ label: { width: 160 } }}>
          <Descriptions.Item label={t("appVersion")}>
            <span data-testid="about-app-version">{about.app_version}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("coreVersion")}>{about.core_version}</Descriptions.Item>
          <Descriptions.Item label={t("service")}>
            {about.service ? (
              <Space size={8}>
                <span data-testid="about-service-version">{about.service.version}</span>
                {about.service.demo && <Tag>{t("serviceDemo")}</Tag>}
              </Space>
            ) : (
              <Typography.Text type="secondary" data-testid="about-service-unreachable">
                {t("serviceUnreachable")}
              </Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t("platform")}>{about.platform}</Descriptions.Item>
          <Descriptions.Item label={t("dataDir")}>{folder(about.data_dir, "data", t("dataHint"))}</Descriptions.Item>
          <Descriptions.Item label={t("logDir")}>{folder(about.log_dir, "logs", t("logHint"))}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
    </>
  );
}
