import { useEffect, useState } from "react";
import { Empty, Space, Switch, Typography } from "antd";
import { events } from "../../bindings";
import type {
  ApplicationDraft_Serialize as Draft,
  ApplicationView_Serialize as ApplicationView,
  MaterialSlot,
} from "../../bindings";
import { useMessages } from "../../shared/i18n";
import { useNotifySetting } from "../../shared/useNotifySetting";
import ApplicationCard from "./ApplicationCard";
import { messages } from "./messages";

/** Bytes sent so far of each upload in flight, by its local id. */
export type Uploads = Record<string, { sent: number; total: number }>;

/** 申请进度: every application sent from here, newest first, and the notification switch. */
export default function TrackPanel({
  enterprise,
  apps,
  slots,
  focus,
  onFocused,
  onCorrect,
}: {
  enterprise: string;
  apps: ApplicationView[];
  /** The materials as the service names them, for the rounds' file tables. */
  slots: MaterialSlot[];
  /** The application to bring into view (asked from a notice). */
  focus: string | null;
  onFocused: () => void;
  onCorrect: (draft: Draft) => void;
}) {
  const t = useMessages(messages);
  const notify = useNotifySetting();
  const [uploads, setUploads] = useState<Uploads>({});

  useEffect(() => {
    const un = events.uploadProgressed.listen((e) => {
      const { local_id: id, sent, total } = e.payload;
      setUploads((u) => ({ ...u, [id]: { sent: sent ?? 0, total: total ?? 0 } }));
    });
    return () => {
      void un.then((f) => {
        f();
      });
    };
  }, []);

  useEffect(() => {
    if (!focus) return;
    document.querySelector(`[data-testid="application-${focus.replace(/["\\]/g, "\\$&")}"]`)?.scrollIntoView({ block: "start" });
    onFocused();
  }, [focus, onFocused]);

  return (
    <div data-testid="track">
      <Space style={{ marginBottom: 16 }}>
        <Switch checked={notify.on ?? false} loading={notify.on === null} onChange={notify.set} data-testid="notify-switch" aria-label={t("notifySwitch")} />
        <Typography.Text>{t("notifySwitch")}</Typography.Text>
      </Space>
      {apps.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("trackEmpty")} data-testid="track-empty" />
      ) : (
        apps.map((a) => <ApplicationCard key={a.record_id} enterprise={enterprise} app={a} slots={slots} uploads={uploads} onCorrect={onCorrect} />)
      )}
    </div>
  );
}
