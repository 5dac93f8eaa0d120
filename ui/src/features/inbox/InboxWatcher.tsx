import { useEffect, useRef } from "react";
import { App as AntApp, Button } from "antd";
import { commands, events, unwrap } from "../../shared/api";
import { useNavigate } from "../../shared/navigation";
import { messages } from "./messages";
import { openEntry } from "./openEntry";
import { said } from "../../shared/said";

/**
 * Always mounted beside the pages: a new inbox entry of the enterprise on screen is told in
 * the window (with 查看), and coming back from its desktop notification opens what it is
 * about, switching enterprise first when it belongs to another.
 */
export default function InboxWatcher({ enterprise }: { enterprise: string | null }) {
  const { notification } = AntApp.useApp();
  const navigate = useNavigate();
  const latest = useRef({ enterprise, notification, navigate });
  latest.current = { enterprise, notification, navigate };

  useEffect(() => {
    const open = (ent: string, entryId: string) => {
      const { enterprise: onScreen, navigate: go } = latest.current;
      const switched = ent === onScreen ? Promise.resolve(null) : unwrap(commands.switchEnterprise(ent));
      switched
        .then(() => openEntry(ent, entryId, go))
        .then((found) => {
          if (!found) go("inbox");
        })
        .catch(() => {
          go("inbox");
        });
    };
    const notices = events.inboxNoticed.listen((e) => {
      const n = e.payload;
      const { enterprise: onScreen, notification: notify } = latest.current;
      // Another enterprise's news waits for its own screen (the desktop still told it).
      if (n.enterprise !== onScreen) return;
      const key = `inbox-notice-${n.entry_id}`;
      notify.info({
        key,
        message: n.title,
        description: n.body,
        // Long enough to read and act on; the entry stays in the inbox after.
        duration: 12,
        actions: (
          <Button
            type="primary"
            size="small"
            onClick={() => {
              notify.destroy(key);
              open(n.enterprise, n.entry_id);
            }}
            data-testid="inbox-notice-open"
          >
            {said(messages, "noticeView")}
          </Button>
        ),
      });
    });
    const opens = events.openInboxEntry.listen((e) => {
      open(e.payload.enterprise, e.payload.entry_id);
    });
    return () => {
      for (const u of [notices, opens]) {
        void u.then((f) => {
          f();
        });
      }
    };
  }, []);
  return null;
}
