import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { App, Badge, Button, Popover, Progress, Space, Tag, Tooltip, Typography } from "antd";
import { CloudOutlined, DisconnectOutlined, HistoryOutlined, SyncOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { commands, unwrap } from "./api";
import { events } from "../bindings";
import type { Status_Serialize as Status } from "../bindings";
import { toErrorInfo } from "./errors";
import { sharedMessages, useI18n } from "./i18n";
import { said, saidError } from "./said";

/** A sync time in few characters: the time today, the day this year, else the date. */
export function compactTime(at: Dayjs, now: Dayjs = dayjs()): string {
  if (at.isSame(now, "day")) return at.format("HH:mm");
  if (at.isSame(now, "year")) return at.format("MM-DD HH:mm");
  return at.format("YYYY-MM-DD");
}

/**
 * Online state, the queue of the enterprise on screen, last sync and "sync now": visible on
 * every page. `renderParked` fills the popover of refused items (the outbox feature's list).
 */
export default function StatusBar({
  status,
  renderParked,
}: {
  status: Status;
  renderParked?: (close: () => void) => ReactNode;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [parkedOpen, setParkedOpen] = useState(false);
  const [uploads, setUploads] = useState<Record<string, { sent: number; total: number }>>({});
  const syncing = busy || status.syncing;
  const last = status.last_sync_at ? dayjs(status.last_sync_at) : null;

  useEffect(() => {
    const unlisten = events.uploadProgressed.listen((e) => {
      const { local_id: id } = e.payload;
      const sentNow = e.payload.sent ?? 0;
      const totalNow = e.payload.total ?? 0;
      setUploads((u) => {
        // A finished upload leaves the bar.
        const rest = Object.fromEntries(Object.entries(u).filter(([k]) => k !== id));
        return sentNow >= totalNow ? rest : { ...rest, [id]: { sent: sentNow, total: totalNow } };
      });
    });
    return () => {
      void unlisten.then((f) => {
        f();
      });
    };
  }, []);
  const inFlight = Object.values(uploads);
  const sent = inFlight.reduce((a, u) => a + u.sent, 0);
  const total = inFlight.reduce((a, u) => a + u.total, 0);

  const syncNow = async () => {
    setBusy(true);
    try {
      await unwrap(commands.syncNow());
      void message.success(said(sharedMessages, "syncDone"));
    } catch (e) {
      void message.error(saidError(toErrorInfo(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space size="middle" data-testid="status-bar" style={{ whiteSpace: "nowrap" }}>
      {status.online ? (
        <Tag icon={<CloudOutlined />} color="success" data-testid="status-online">
          {t("online")}
        </Tag>
      ) : (
        <Tooltip title={t("offlineHint")}>
          <Tag icon={<DisconnectOutlined />} color="error" data-testid="status-offline">
            {t("offline")}
          </Tag>
        </Tooltip>
      )}
      <Typography.Text data-testid="status-queued">
        {t("queued")} <Badge count={status.outbox_queued} showZero color="#8c8c8c" /> {t("items")}
      </Typography.Text>
      {status.outbox_parked > 0 && (
        <Popover
          trigger="click"
          open={parkedOpen}
          onOpenChange={setParkedOpen}
          title={t("parkedTitle")}
          content={renderParked?.(() => {
            setParkedOpen(false);
          })}
        >
          <Typography.Link type="danger" data-testid="status-parked">
            {t("parked")} <Badge count={status.outbox_parked} /> {t("items")}
          </Typography.Link>
        </Popover>
      )}
      {inFlight.length > 0 && (
        <Space size={4} data-testid="upload-progress">
          <Typography.Text type="secondary">{`${t("uploading")} ${inFlight.length}`}</Typography.Text>
          <Progress percent={total > 0 ? Math.floor((sent * 100) / total) : 0} size="small" style={{ width: 120 }} />
        </Space>
      )}
      {/* The button before the time: at the minimum width the time gives way. */}
      <Button
        size="small"
        icon={<SyncOutlined spin={syncing} />}
        // Offline too: trying again by hand is how the officer finds out the network is back.
        disabled={syncing}
        onClick={() => void syncNow()}
        data-testid="sync-now"
      >
        {t("syncNow")}
      </Button>
      <Tooltip title={last ? `${t("lastSync")}: ${last.format("YYYY-MM-DD HH:mm:ss")}` : undefined}>
        <Typography.Text type="secondary" data-testid="status-last-sync">
          {/* Below 1200 px (down to the window's 960 px minimum) the time drops its label and
              date: the stylesheet chooses, so the bar is drawn once (see MainLayout). */}
          {syncing ? (
            t("syncing")
          ) : (
            <>
              <span className="wide-only">{`${t("lastSync")}: ${last ? last.format("YYYY-MM-DD HH:mm") : t("neverSynced")}`}</span>
              <span className="narrow-only">
                <HistoryOutlined aria-label={t("lastSync")} /> {last ? compactTime(last) : t("neverSyncedShort")}
              </span>
            </>
          )}
        </Typography.Text>
      </Tooltip>
    </Space>
  );
}
