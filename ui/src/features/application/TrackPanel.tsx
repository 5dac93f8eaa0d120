import { useEffect, useState } from "react";
import { App as AntApp, Empty, Space, Switch, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import { events } from "../../bindings";
import type {
  ApplicationDraft_Serialize as Draft,
  ApplicationView_Serialize as ApplicationView,
  DesktopSettings,
  MaterialSlot,
} from "../../bindings";
import { errorText, toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
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
  const { locale } = useI18n();
  const { message } = AntApp.useApp();
  const [settings, setSettings] = useState<DesktopSettings | null>(null);
  const [uploads, setUploads] = useState<Uploads>({});

  useEffect(() => {
    unwrap(commands.desktopSettings())
      .then(setSettings)
      .catch(() => undefined);
  }, []);

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

  const notify = (on: boolean) => {
    // The language is the officer's (App keeps it in step with the UI): written back as stored.
    const next: DesktopSettings = { notifications: on, language: settings?.language ?? locale };
    setSettings(next);
    unwrap(commands.setDesktopSettings(next)).catch((e: unknown) => {
      setSettings(settings);
      void message.error(errorText(toErrorInfo(e), locale));
    });
  };

  return (
    <div data-testid="track">
      <Space style={{ marginBottom: 16 }}>
        <Switch checked={settings?.notifications ?? false} loading={settings === null} onChange={notify} data-testid="notify-switch" aria-label={t("notifySwitch")} />
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
