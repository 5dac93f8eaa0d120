import { useEffect, useRef } from "react";
import { App as AntApp, Button } from "antd";
import { commands, unwrap } from "../../shared/api";
import { events, type ApplicationNotice } from "../../bindings";
import { useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { messages } from "./messages";
import { requestTrack } from "./trackRequest";

/**
 * Always mounted beside the pages: a change of an application's state is told in the window
 * (with 查看 to open it) whatever page is on screen. The desktop notification of the same step
 * comes with its inbox entry (InboxWatcher opens it), so the officer hears of it once.
 */
export default function ApplicationWatcher({ enterprise }: { enterprise: string | null }) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const { notification } = AntApp.useApp();
  const navigate = useNavigate();
  const latest = useRef({ enterprise, locale, t, notification, navigate });
  latest.current = { enterprise, locale, t, notification, navigate };
  // The notices on screen (they stay until closed), by key: said again in the language the
  // officer switches to.
  const shown = useRef(new Map<string, ApplicationNotice>());

  const open = (ent: string, recordId: string) => {
    const { enterprise: onScreen, navigate: go } = latest.current;
    requestTrack(ent, recordId);
    go("application");
    if (ent !== onScreen) {
      // The page of that enterprise takes the request once it is on screen.
      unwrap(commands.switchEnterprise(ent)).catch(() => undefined);
    }
  };
  const show = (n: ApplicationNotice) => {
    const { locale: l, t: tr, notification: notify } = latest.current;
    const key = `application-notice-${n.record_id}`;
    shown.current.set(key, n);
    notify.info({
      key,
      message: l === "zh-CN" ? n.title_zh : n.title_en,
      description: l === "zh-CN" ? n.body_zh : n.body_en,
      duration: 0,
      onClose: () => {
        shown.current.delete(key);
      },
      actions: (
        <Button
          type="primary"
          size="small"
          onClick={() => {
            shown.current.delete(key);
            notify.destroy(key);
            open(n.enterprise, n.record_id);
          }}
          data-testid="notice-view"
        >
          {tr("noticeView")}
        </Button>
      ),
    });
  };
  const showRef = useRef(show);
  showRef.current = show;

  useEffect(() => {
    for (const n of shown.current.values()) showRef.current(n);
  }, [locale]);

  // Another enterprise's notices go with it: they wait for its own screen, as new ones do.
  useEffect(() => {
    for (const [key, n] of shown.current) {
      if (n.enterprise !== enterprise) {
        shown.current.delete(key);
        latest.current.notification.destroy(key);
      }
    }
  }, [enterprise]);

  // Signed out (or the page gone): nothing is left on screen whose 查看 leads nowhere.
  useEffect(() => {
    const open = shown.current;
    return () => {
      for (const key of open.keys()) latest.current.notification.destroy(key);
      open.clear();
    };
  }, []);

  useEffect(() => {
    const notices = events.applicationNotice.listen((e) => {
      const n = e.payload;
      // Another enterprise's news waits for its own screen (the desktop still told it).
      if (n.enterprise !== latest.current.enterprise) return;
      showRef.current(n);
    });
    return () => {
      for (const u of [notices]) {
        void u.then((f) => {
          f();
        });
      }
    };
  }, []);
  return null;
}
