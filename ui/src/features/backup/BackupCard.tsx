import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Divider, Progress, Radio, Space, Table, Tag, Typography } from "antd";
import { CloudDownloadOutlined, FolderOpenOutlined, HistoryOutlined } from "@ant-design/icons";
import { commands, events, unwrap } from "../../shared/api";
import type {
  BackupFile,
  BackupInfo_Serialize as BackupInfo,
  BackupScope,
  ErrorInfo,
  RestoreOutcome_Serialize as RestoreOutcome,
  Status_Serialize as Status,
} from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { FormRadioGroup } from "../../shared/a11y";
import { aside, labelled, listed, useI18n, useMessages } from "../../shared/i18n";
import { localTime, sizeText } from "./format";
import { messages } from "./messages";
import RestoreDialog from "./RestoreDialog";
import RestoredNotice from "./RestoredNotice";
import { saidError } from "../../shared/said";

/** Exporting a backup, restoring one, and the automatic backups. */
export default function BackupCard({ status }: { status: Status }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const { message } = App.useApp();
  const [scope, setScope] = useState<"this" | "all">(status.enterprise ? "this" : "all");
  const [exporting, setExporting] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [exported, setExported] = useState<BackupFile | null>(null);
  const [automatic, setAutomatic] = useState<BackupFile[] | null>(null);
  const [info, setInfo] = useState<BackupInfo | null>(null);
  const [outcome, setOutcome] = useState<RestoreOutcome | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const load = useCallback(() => {
    unwrap(commands.automaticBackups())
      .then(setAutomatic)
      .catch((e: unknown) => {
        // The error says why; the list stops loading rather than spin on.
        setAutomatic([]);
        setError(toErrorInfo(e));
      });
  }, []);
  useEffect(load, [load]);

  useEffect(() => {
    const un = events.backupProgressed.listen((e) => {
      if (!e.payload.restoring) setProgress({ done: e.payload.done ?? 0, total: e.payload.total ?? 0 });
    });
    return () => {
      void un.then((f) => {
        f();
      });
    };
  }, []);

  const exportNow = () => {
    const chosen: BackupScope =
      scope === "this" && status.enterprise ? { kind: "enterprise", id: status.enterprise } : { kind: "all" };
    setExporting(true);
    setProgress(null);
    setExported(null);
    setError(null);
    unwrap(commands.backupExport(chosen, t("exportTitle"), t("allLabel"), t("namePrefix")))
      .then((file) => {
        if (file) setExported(file);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      })
      .finally(() => {
        setExporting(false);
      });
  };

  const pick = () => {
    setError(null);
    unwrap(commands.backupPick(t("restoreTitle")))
      .then((i) => {
        if (i) setInfo(i);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  };

  const openInfo = (path: string) => {
    setError(null);
    unwrap(commands.backupInfo(path))
      .then(setInfo)
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  };

  const openFolder = () => {
    unwrap(commands.openFolder("backups")).catch((e: unknown) => {
      void message.error(saidError(toErrorInfo(e)));
    });
  };

  const percent = progress && progress.total > 0 ? Math.floor((progress.done * 100) / progress.total) : 0;

  return (
    <Card title={t("title")} style={{ marginBottom: 16 }} data-testid="backup-card">
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Space wrap size={12} align="center">
          <Typography.Text>{labelled(locale, t("exportWhat"))}</Typography.Text>
          <FormRadioGroup
            value={scope}
            onChange={(e) => {
              setScope(e.target.value as "this" | "all");
            }}
            aria-label={t("exportWhat")}
          >
            <Radio value="this" disabled={!status.enterprise}>
              <span data-testid="backup-scope-this">
                {status.account ? aside(locale, t("scopeThis"), status.account.name) : t("scopeThis")}
              </span>
            </Radio>
            <Radio value="all">
              <span data-testid="backup-scope-all">{t("scopeAll")}</span>
            </Radio>
          </FormRadioGroup>
        </Space>
        <Space wrap>
          <Button type="primary" icon={<CloudDownloadOutlined />} loading={exporting} onClick={exportNow} data-testid="backup-export">
            {t("export")}
          </Button>
          <Button icon={<HistoryOutlined />} onClick={pick} disabled={exporting} data-testid="backup-restore-pick">
            {t("restore")}
          </Button>
        </Space>
        {exporting && (
          <div>
            <Typography.Text type="secondary">{t("exporting")}</Typography.Text>
            <Progress percent={percent} status="active" data-testid="backup-progress" />
          </div>
        )}
        {exported && (
          <Alert
            type="success"
            showIcon
            data-testid="backup-exported"
            message={aside(locale, t("exported"), sizeText(exported.size ?? 0))}
            description={<Typography.Text copyable style={{ overflowWrap: "anywhere" }}>{exported.path}</Typography.Text>}
            closable
            onClose={() => {
              setExported(null);
            }}
          />
        )}
        {outcome && (
          <RestoredNotice
            outcome={outcome}
            onClose={() => {
              setOutcome(null);
            }}
          />
        )}
      </Space>
      <Divider orientation="left" plain>
        {t("automatic")}
      </Divider>
      <Typography.Paragraph type="secondary">{t("automaticHint")}</Typography.Paragraph>
      <Table<BackupFile>
        size="small"
        rowKey="path"
        pagination={false}
        dataSource={automatic ?? []}
        loading={automatic === null}
        // antd greys an empty table's text below 4.5:1; the secondary text colour passes.
        locale={{ emptyText: <Typography.Text type="secondary">{t("noAutomatic")}</Typography.Text> }}
        data-testid="automatic-backups"
        scroll={{ x: "max-content" }}
        columns={[
          { title: t("takenAt"), dataIndex: "created_at", render: (v: string) => localTime(v) },
          { title: t("kindColumn"), dataIndex: "kind", render: (k: BackupFile["kind"]) => <Tag>{t(`kind_${k}`)}</Tag> },
          { title: t("enterprises"), dataIndex: "enterprises", render: (names: string[]) => listed(locale, names) },
          { title: t("size"), dataIndex: "size", render: (s: number | null) => sizeText(s ?? 0) },
          {
            title: "",
            key: "restore",
            render: (_: unknown, b: BackupFile, i: number) => (
              <Button
                size="small"
                onClick={() => {
                  openInfo(b.path);
                }}
                data-testid={`automatic-restore-${String(i)}`}
              >
                {t("restoreThis")}
              </Button>
            ),
          },
        ]}
      />
      <Button icon={<FolderOpenOutlined />} onClick={openFolder} style={{ marginTop: 12 }} data-testid="open-backups-dir">
        {t("openFolder")}
      </Button>
      {info && (
        <RestoreDialog
          info={info}
          onClose={() => {
            setInfo(null);
          }}
          onRestored={(o) => {
            setInfo(null);
            setOutcome(o);
            load();
          }}
          onStopped={load}
        />
      )}
    </Card>
  );
}
