import { useEffect, useState } from "react";
import { App as AntApp } from "antd";
import { commands, unwrap } from "./api";
import type { DesktopSettings } from "../bindings";
import { toErrorInfo } from "./errors";
import { useI18n } from "./i18n";
import { saidError } from "./said";

/** The DesktopSettings toggle for notifications, as the inbox and the settings show it. */
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
    // The language on screen, not the one read when the page opened: App writes it on every
    // switch, and a value read before one would put it back.
    const next: DesktopSettings = { notifications: on, language: locale };
    const before = settings;
    setSettings(next);
    unwrap(commands.setDesktopSettings(next)).catch((e: unknown) => {
      setSettings(before);
      void message.error(saidError(toErrorInfo(e)));
    });
  };
  return { on: settings ? settings.notifications : null, set };
}
