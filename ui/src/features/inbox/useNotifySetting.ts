import { useEffect, useState } from "react";
import { App as AntApp } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { DesktopSettings } from "../../bindings";
import { errorText, toErrorInfo } from "../../shared/errors";
import { useI18n } from "../../shared/i18n";

/** The DesktopSettings toggle for notifications (the same one the application's Track tab shows). */
export function useNotifySetting(): { on: boolean | null; set: (on: boolean) => void } {
  const { locale } = useI18n();
  const { message } = AntApp.useApp();
  const [settings, setSettings] = useState<DesktopSettings | null>(null);
  useEffect(() => {
    unwrap(commands.desktopSettings())
      .then(setSettings)
      .catch(() => undefined);
  }, []);
  const set = (on: boolean) => {
    const next: DesktopSettings = { notifications: on, language: settings?.language ?? locale };
    const before = settings;
    setSettings(next);
    unwrap(commands.setDesktopSettings(next)).catch((e: unknown) => {
      setSettings(before);
      void message.error(errorText(toErrorInfo(e), locale));
    });
  };
  return { on: settings ? settings.notifications : null, set };
}
