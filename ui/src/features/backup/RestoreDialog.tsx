import { useEffect, useState } from "react";
import { Alert, Checkbox, Descriptions, List, Modal, Progress, Space, Tag, Typography } from "antd";
import { commands, events, unwrap } from "../../shared/api";
import type {
  BackupEnterprise_Serialize as BackupEnterprise,
  BackupInfo_Serialize as BackupInfo,
  ErrorInfo,
  RestoreOutcome_Serialize as RestoreOutcome,
  RestoreState,
  ServerChoice,
} from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { labelled, listed, useI18n, useMessages } from "../../shared/i18n";
import { localTime, sizeText } from "./format";
import { messages } from "./messages";

const stateColor: Record<RestoreState, string> = {
  new: "blue",
  same: "default",
  backup_newer: "green",
  local_newer: "orange",
  diverged: "orange",
};

/** Whether restoring would replace work here that the backup does not have: asked first. */
function replacesWork(e: BackupEnterprise): boolean {
  return e.state === "local_newer" || e.state === "diverged";
}

function sameService(a: ServerChoice | null, b: ServerChoice): boolean {
  if (!a) return false;
  return a.kind === b.kind && (a.kind === "demo" || (b.kind === "url" && a.url === b.url));
}

/** Chosen at first: what the backup adds or has newer; never what holds work of its own here. */
function chosenAtFirst(e: BackupEnterprise): boolean {
  return e.state === "new" || e.state === "backup_newer";
}

function firstChoice(info: BackupInfo | null): string[] {
  return info ? info.enterprises.filter(chosenAtFirst).map((e) => e.id) : [];
}

interface Props {
  info: BackupInfo | null;
  onClose: () => void;
  onRestored: (outcome: RestoreOutcome) => void;
  /** A restore stopped part-way: some enterprises are back, and a safety backup may be new. */
  onStopped?: () => void;
}

/** What a backup holds against this computer, the enterprises to put back, then the restore. */
export default function RestoreDialog({ info: given, onClose, onRestored, onStopped }: Props) {
  const t = useMessages(messages);
  const { locale, t: shared } = useI18n();
  // Read again after a restore that stopped part-way: what is back is then "same as here".
  const [info, setInfo] = useState(given);
  const [chosen, setChosen] = useState<string[]>([]);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    setInfo(given);
    setChosen(firstChoice(given));
    setConfirmed(false);
    setError(null);
    setProgress(null);
  }, [given]);

  useEffect(() => {
    const un = events.backupProgressed.listen((e) => {
      if (e.payload.restoring) setProgress({ done: e.payload.done ?? 0, total: e.payload.total ?? 0 });
    });
    return () => {
      void un.then((f) => {
        f();
      });
    };
  }, []);

  if (!info) return null;
  // The enterprises whose work here the restore would replace: the officer's confirmation
  // names these, and no other that turns newer while the backup unpacks.
  const newerChosen = info.enterprises.filter((e) => replacesWork(e) && chosen.includes(e.id)).map((e) => e.id);

  const restore = () => {
    setBusy(true);
    setError(null);
    setProgress(null);
    unwrap(commands.backupRestore(info.file.path, chosen, confirmed ? newerChosen : []))
      .then(onRestored)
      .catch((e: unknown) => {
        const err = toErrorInfo(e);
        setError(err);
        if (err.code !== "RESTORE_STOPPED") return;
        onStopped?.();
        // Read again before the dialog takes another click. If it cannot be, the list stays
        // as it was: the message says what is back, and a second restore compares afresh.
        return unwrap(commands.backupInfo(info.file.path))
          .then((next) => {
            setInfo(next);
            // What is back is the same as here now, so no longer picked; the rest stays as
            // the officer picked it (a confirmation is asked again).
            setChosen((picked) => picked.filter((id) => next.enterprises.some((x) => x.id === id && x.state !== "same")));
            setConfirmed(false);
          })
          .catch(() => undefined);
      })
      .finally(() => {
        setBusy(false);
      });
  };

  const when = (label: string, at: string | null) => `${labelled(locale, label)}${localTime(at) ?? t("never")}`;

  return (
    <Modal
      open
      title={t("dialogTitle")}
      width={640}
      okText={t("restoreNow")}
      cancelText={shared("cancel")}
      onOk={restore}
      onCancel={busy ? undefined : onClose}
      confirmLoading={busy}
      okButtonProps={{ disabled: chosen.length === 0 || (newerChosen.length > 0 && !confirmed), ...{ "data-testid": "restore-confirm" } }}
      maskClosable={false}
      data-testid="restore-dialog"
    >
      <Descriptions column={1} size="small" styles={{ label: { width: 120 } }}>
        <Descriptions.Item label={t("takenAt")}>
          <Space size={8} wrap>
            {localTime(info.file.created_at)}
            <Tag>{t(`kind_${info.file.kind}`)}</Tag>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t("size")}>{sizeText(info.file.size ?? 0)}</Descriptions.Item>
        <Descriptions.Item label={t("madeBy")}>{info.app_version}</Descriptions.Item>
      </Descriptions>
      {!info.file.files && <Alert type="info" showIcon message={t("dbOnly")} style={{ marginBottom: 12 }} />}
      <Typography.Text strong>{t("pick")}</Typography.Text>
      <Checkbox.Group
        value={chosen}
        onChange={(v) => {
          // A confirmation covers the enterprises it was given for: one more newer here
          // needs it again.
          if (v.some((id) => !chosen.includes(id) && info.enterprises.some((e) => e.id === id && replacesWork(e)))) {
            setConfirmed(false);
          }
          setChosen(v);
        }}
        style={{ display: "block" }}
      >
        <List
          size="small"
          dataSource={info.enterprises}
          renderItem={(e) => (
            <List.Item data-testid={`restore-item-${e.credit_code}`}>
              <Space direction="vertical" size={2} style={{ width: "100%" }}>
                <Space size={8} wrap>
                  <Checkbox value={e.id} data-testid={`restore-pick-${e.credit_code}`}>
                    {e.name}
                  </Checkbox>
                  <Tag color={stateColor[e.state]} data-testid={`restore-state-${e.credit_code}`}>
                    {t(`state_${e.state}`)}
                  </Tag>
                  {!sameService(info.current_service, e.service) && info.current_service && <Tag>{t("otherService")}</Tag>}
                </Space>
                <Typography.Text type="secondary">
                  {when(t("backupChanged"), e.backup_changed_at)}
                  {e.state !== "new" && ` · ${when(t("localChanged"), e.local_changed_at)}`}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Checkbox.Group>
      {newerChosen.length > 0 && (
        <Alert
          type="warning"
          showIcon
          message={t("newerWarning")}
          description={
            <Checkbox
              checked={confirmed}
              onChange={(e) => {
                setConfirmed(e.target.checked);
              }}
              data-testid="restore-confirm-newer"
            >
              {labelled(locale, t("confirmNewer"))}
              {listed(locale, info.enterprises.filter((e) => newerChosen.includes(e.id)).map((e) => e.name))}
            </Checkbox>
          }
          style={{ marginTop: 12 }}
        />
      )}
      {busy && progress && progress.total > 0 && (
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t("restoring")}</Typography.Text>
          <Progress percent={Math.floor((progress.done * 100) / progress.total)} status="active" data-testid="restore-progress" />
        </div>
      )}
      <div style={{ marginTop: 12 }}>
        <ErrorAlert error={error} />
      </div>
    </Modal>
  );
}
