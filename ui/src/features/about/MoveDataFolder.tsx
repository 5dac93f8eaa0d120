import { useEffect, useState } from "react";
import { Alert, App, Button, Modal, Progress, Space, Typography } from "antd";
import { ExportOutlined } from "@ant-design/icons";
import { commands, events, unwrap } from "../../shared/api";
import type { ErrorInfo, MoveProgress } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { fill, useMessages } from "../../shared/i18n";
import { sizeText } from "../backup/format";
import { messages } from "./messages";
import { saidError } from "../../shared/said";

type Stage =
  | { kind: "idle" }
  | { kind: "confirm"; to: string }
  | { kind: "moving"; to: string }
  /** The copy failed after every database was closed: the data is where it was, and the
   *  app must start again. */
  | { kind: "failed"; error: ErrorInfo };

/**
 * Moving the data folder: pick an empty folder (checked at once, nothing moves), confirm,
 * then the copy with its progress bar; on success the app starts again on the new folder.
 */
export default function MoveDataFolder({ current }: { current: string }) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const [stage, setStage] = useState<Stage>({ kind: "idle" });
  const [refused, setRefused] = useState<ErrorInfo | null>(null);
  const [progress, setProgress] = useState<MoveProgress | null>(null);
  const [restarting, setRestarting] = useState(false);

  useEffect(() => {
    const un = events.dataMoveProgressed.listen((e) => {
      setProgress(e.payload);
    });
    return () => {
      void un.then((f) => {
        f();
      });
    };
  }, []);

  const pick = () => {
    setRefused(null);
    unwrap(commands.dataFolderPick(t("moveTitle")))
      .then((to) => {
        if (to) setStage({ kind: "confirm", to });
      })
      .catch((e: unknown) => {
        setRefused(toErrorInfo(e));
      });
  };

  const move = (to: string) => {
    setProgress(null);
    setStage({ kind: "moving", to });
    unwrap(commands.dataFolderMove(to))
      .then((failed) => {
        // None: the app is starting again on the new folder.
        if (failed) setStage({ kind: "failed", error: failed });
      })
      .catch((e: unknown) => {
        // Refused before anything closed: the app goes on here.
        setStage({ kind: "idle" });
        setRefused(toErrorInfo(e));
      });
  };

  const restart = () => {
    setRestarting(true);
    unwrap(commands.restartApp()).catch((e: unknown) => {
      setRestarting(false);
      void message.error(saidError(toErrorInfo(e)));
    });
  };

  const percent =
    progress && (progress.total_bytes ?? 0) > 0
      ? Math.min(100, Math.floor(((progress.done_bytes ?? 0) * 100) / (progress.total_bytes ?? 1)))
      : 0;

  return (
    <>
      <Button size="small" icon={<ExportOutlined />} onClick={pick} data-testid="move-data-dir">
        {t("moveData")}
      </Button>
      {refused && (
        <div style={{ width: "100%" }} data-testid="move-refused">
          <ErrorAlert error={refused} />
        </div>
      )}
      <Modal
        open={stage.kind === "confirm"}
        title={t("moveConfirmTitle")}
        okText={t("moveConfirm")}
        cancelText={t("cancel")}
        okButtonProps={{ "data-testid": "move-confirm" }}
        onOk={() => {
          if (stage.kind === "confirm") move(stage.to);
        }}
        onCancel={() => {
          setStage({ kind: "idle" });
        }}
      >
        {stage.kind === "confirm" && (
          <Space direction="vertical" size={8} style={{ width: "100%" }} data-testid="move-confirm-dialog">
            <Typography.Text>
              {t("moveFrom")} <Typography.Text code>{current}</Typography.Text>
            </Typography.Text>
            <Typography.Text>
              {t("moveTo")} <Typography.Text code data-testid="move-target">{stage.to}</Typography.Text>
            </Typography.Text>
            <Typography.Paragraph style={{ marginBottom: 0 }}>{t("moveExplain")}</Typography.Paragraph>
          </Space>
        )}
      </Modal>
      <Modal
        open={stage.kind === "moving" || stage.kind === "failed"}
        title={stage.kind === "failed" ? t("moveFailedTitle") : t("movingTitle")}
        closable={false}
        maskClosable={false}
        keyboard={false}
        footer={
          stage.kind === "failed" ? (
            <Button type="primary" loading={restarting} onClick={restart} data-testid="restart-app">
              {t("restart")}
            </Button>
          ) : null
        }
      >
        {stage.kind === "moving" && (
          <Space direction="vertical" style={{ width: "100%" }} data-testid="move-progress">
            <Progress percent={percent} aria-label={t("movingTitle")} />
            <Typography.Text type="secondary">
              {progress
                ? fill(t("moveCounts"), {
                    done: progress.done_files,
                    total: progress.total_files,
                    size: sizeText(progress.total_bytes ?? 0),
                  })
                : t("moveClosing")}
            </Typography.Text>
            <Typography.Text type="secondary">{t("moveDontClose")}</Typography.Text>
          </Space>
        )}
        {stage.kind === "failed" && (
          <Space direction="vertical" style={{ width: "100%" }} data-testid="move-failed">
            <ErrorAlert error={stage.error} />
            <Alert type="info" showIcon message={t("moveFailedHint")} />
          </Space>
        )}
      </Modal>
    </>
  );
}
