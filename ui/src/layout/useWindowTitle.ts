import { useLayoutEffect } from "react";
import { commands } from "../shared/api";
import type { Status_Serialize as Status } from "../bindings";
import { useI18n } from "../shared/i18n";

/** The window's title: the unread count of the inbox first, so it shows in the taskbar too. */
export function windowTitle(appName: string, enterpriseName: string | null, unread: number): string {
  const count = unread > 0 ? `(${unread}) ` : "";
  return enterpriseName ? `${count}${appName} — ${enterpriseName}` : `${count}${appName}`;
}

/** Keeps document.title and the native title (Tauri's own, which the taskbar shows) in step. */
export function useWindowTitle(status: Status): void {
  const { t } = useI18n();
  const title = windowTitle(t("appName"), status.account?.name ?? null, status.inbox_unread);
  // As the page is put in the document, not after: document.title and the sidebar's count
  // change together (the native title follows over IPC). Set a moment later, a script between
  // the two (the end-to-end test's, reading the title once the count showed) found the count
  // new and the title old.
  useLayoutEffect(() => {
    document.title = title;
    // A title that could not be set leaves the old one: nothing for the officer to do.
    commands.setWindowTitle(title).catch(() => undefined);
  }, [title]);
}
