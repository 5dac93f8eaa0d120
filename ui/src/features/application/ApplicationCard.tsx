import { useState } from "react";
import { App as AntApp, Alert, Button, Card, Collapse, Popconfirm, Progress, Space, Table, Tag, Timeline, Typography } from "antd";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import type {
  ApplicationDraft_Serialize as Draft,
  ApplicationView_Serialize as ApplicationView,
  MaterialSlot,
  RoundFile,
  RoundView_Serialize as RoundView,
} from "../../bindings";
import { toErrorInfo } from "../../shared/errors";
import { fill, useMessages } from "../../shared/i18n";
import { dateOf } from "./CorrectionBanner";
import type { Uploads } from "./TrackPanel";
import { formatSize, shortHash, stateColor, stateKey } from "./format";
import { messages } from "./messages";
import { said, saidError } from "../../shared/said";

const mono = { fontFamily: "monospace" } as const;

function dateTime(at: string | number): string {
  const d = typeof at === "number" ? dayjs.unix(at) : dayjs(at);
  return d.isValid() ? d.format("YYYY-MM-DD HH:mm") : String(at);
}

/** One submission as it left: its files, the package's fingerprint, and its exports. */
function Round({ enterprise, recordId, round, slots }: { enterprise: string; recordId: string; round: RoundView; slots: MaterialSlot[] }) {
  const t = useMessages(messages);
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<"receipt" | "package" | null>(null);
  const name = (type: string) => slots.find((s) => s.rule.material_type === type)?.rule.name ?? type;
  const save = (what: "receipt" | "package") => {
    setBusy(what);
    const call =
      what === "receipt"
        ? commands.applicationSaveReceipt(enterprise, recordId, round.round, t("saveReceiptTitle"))
        : commands.applicationSavePackage(enterprise, recordId, round.round, t("savePackageTitle"));
    unwrap(call)
      .then((path) => {
        if (path) void message.success(said(messages, "savedTo", { path }));
      })
      .catch((e: unknown) => {
        void message.error(saidError(toErrorInfo(e)));
      })
      .finally(() => {
        setBusy(null);
      });
  };
  return (
    <Space direction="vertical" size={8} style={{ width: "100%" }}>
      <Table<RoundFile>
        size="small"
        rowKey="file_id"
        pagination={false}
        dataSource={round.files}
        columns={[
          { title: t("colMaterial"), dataIndex: "material_type", render: (v: string) => <span style={{ whiteSpace: "nowrap" }}>{name(v)}</span> },
          { title: t("colFile"), dataIndex: "filename", render: (v: string) => <span style={{ overflowWrap: "anywhere" }}>{v}</span> },
          { title: t("colSize"), dataIndex: "size", render: (v: number | null) => <span style={{ whiteSpace: "nowrap" }}>{formatSize(v)}</span> },
          { title: "SHA-256", dataIndex: "sha256", render: (v: string) => <span style={mono}>{shortHash(v, 12)}</span> },
        ]}
      />
      <div>
        <Typography.Text type="secondary">{t("packageHash")}</Typography.Text>{" "}
        <Typography.Text style={{ ...mono, overflowWrap: "anywhere" }} data-testid={`round-sha256-${String(round.round)}`}>
          {round.package_sha256}
        </Typography.Text>
      </div>
      {round.note && (
        <div>
          <Typography.Text type="secondary">{t("fieldNote")}</Typography.Text> <Typography.Text>{round.note}</Typography.Text>
        </div>
      )}
      <Space wrap>
        <Button size="small" loading={busy === "receipt"} onClick={() => { save("receipt"); }} data-testid={`save-receipt-${String(round.round)}`}>
          {t("saveReceipt")}
        </Button>
        <Button size="small" loading={busy === "package"} onClick={() => { save("package"); }} data-testid={`save-package-${String(round.round)}`}>
          {t("savePackage")}
        </Button>
      </Space>
    </Space>
  );
}

/** An application sent from here: where it stands with the service and on this side. */
/** Who took a step, as an officer reads it: the enterprise itself, or the reviewer's name. */
function actorName(actor: string, creditCode: string, enterprise: string): string {
  if (actor === creditCode) return enterprise;
  return actor.startsWith("reviewer:") ? actor.slice("reviewer:".length) : actor;
}

export default function ApplicationCard({
  enterprise,
  app,
  slots,
  uploads,
  onCorrect,
}: {
  enterprise: string;
  app: ApplicationView;
  slots: MaterialSlot[];
  uploads: Uploads;
  onCorrect: (draft: Draft) => void;
}) {
  const t = useMessages(messages);
  const { message } = AntApp.useApp();
  const [starting, setStarting] = useState(false);
  const server = app.server;
  const last = app.rounds[app.rounds.length - 1];

  // Both open the application in Prepare: a correction of a returned one, or one the
  // service never got taken back (the core refuses the rest).
  const toPrepare = (open: typeof commands.applicationReopen) => () => {
    setStarting(true);
    unwrap(open(enterprise, app.record_id))
      .then(onCorrect)
      .catch((e: unknown) => {
        void message.error(saidError(toErrorInfo(e)));
      })
      .finally(() => {
        setStarting(false);
      });
  };
  const startCorrection = toPrepare(commands.applicationStartCorrection);
  const reopen = toPrepare(commands.applicationReopen);

  const title = (
    <Space wrap size={[8, 4]}>
      <span>{t("appTitle")}</span>
      {last && <Typography.Text type="secondary">{dateTime(last.created_at ?? 0)}</Typography.Text>}
      {server ? (
        <Tag color={stateColor[server.state]} data-testid="app-state" data-state={server.state}>
          {t(stateKey[server.state])}
        </Tag>
      ) : (
        <Tag data-testid="app-unanswered">{t("notAnswered")}</Tag>
      )}
      <Tag
        color={app.delivery === "parked" ? "red" : app.delivery === "queued" ? "gold" : "green"}
        data-testid="app-delivery"
        data-delivery={app.delivery}
      >
        {t(`delivery_${app.delivery}`)}
      </Tag>
    </Space>
  );

  return (
    <Card size="small" title={title} style={{ marginBottom: 16 }} data-testid={`application-${app.record_id}`}>
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        {app.delivery === "parked" && (
          <Alert
            type="error"
            showIcon
            message={t("parkedHint")}
            data-testid="app-parked"
            description={
              !server || server.state === "returned" ? (
                <Space direction="vertical" size={8}>
                  <Typography.Text>{t("reopenHint")}</Typography.Text>
                  <Popconfirm title={t("reopenConfirm")} onConfirm={reopen} okButtonProps={{ "data-testid": "reopen-confirm" }}>
                    <Button size="small" loading={starting} data-testid="reopen-application">
                      {t("reopen")}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : undefined
            }
          />
        )}
        {app.delivery === "queued" && app.uploads.length > 0 && (
          <Space direction="vertical" size={2} style={{ width: "100%" }} data-testid="app-uploads">
            {app.uploads.map((u) => {
              const live = uploads[u.local_id];
              const sent = live?.sent ?? u.sent ?? 0;
              const total = live?.total ?? u.total ?? 0;
              return (
                <div key={u.local_id} data-testid="app-upload">
                  <Typography.Text style={{ overflowWrap: "anywhere" }}>{u.filename}</Typography.Text>
                  <Progress percent={total > 0 ? Math.floor((sent * 100) / total) : 0} size="small" status={u.parked ? "exception" : "active"} />
                </div>
              );
            })}
          </Space>
        )}
        {server?.state === "approved" && server.certificate_no && (
          <div>
            <Typography.Text type="secondary">{t("certificate")}</Typography.Text>
            <Typography.Title level={3} style={{ margin: 0, ...mono, overflowWrap: "anywhere" }} data-testid="certificate-no">
              {server.certificate_no}
            </Typography.Title>
          </div>
        )}
        {server?.state === "returned" && server.correction && (
          <Alert
            type="warning"
            showIcon
            data-testid="track-correction"
            message={fill(t("returnedTitle"), { no: server.correction.receipt_no, date: dateOf(server.correction.issued_at) })}
            description={
              <Space direction="vertical" size={8} style={{ width: "100%" }}>
                <ol style={{ margin: 0, paddingLeft: 20 }}>
                  {server.correction.items.map((i, n) => (
                    <li key={n} data-testid="track-correction-item">
                      {i.text}
                    </li>
                  ))}
                </ol>
                <Button type="primary" size="small" loading={starting} onClick={startCorrection} data-testid="start-correction">
                  {app.correcting ? t("continueCorrection") : t("startCorrection")}
                </Button>
              </Space>
            }
          />
        )}
        {(server?.state === "not_accepted" || server?.state === "rejected") && server.reasons.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="app-reasons"
            message={t("reasons")}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {server.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            }
          />
        )}
        {server && server.timeline.length > 0 && (
          <div>
            <Typography.Text strong>{t("timeline")}</Typography.Text>
            <Timeline
              style={{ marginTop: 12, marginBottom: -16 }}
              items={server.timeline.map((s, i) => ({
                key: `${s.receipt_no}-${String(i)}`,
                color: stateColor[s.to] === "processing" ? "blue" : stateColor[s.to],
                children: (
                  <div data-testid="timeline-step" data-state={s.to}>
                    <Space wrap size={[8, 0]}>
                      <Typography.Text strong>{t(stateKey[s.to])}</Typography.Text>
                      <Typography.Text type="secondary">{dateTime(s.at)}</Typography.Text>
                    </Space>
                    <div>
                      <Typography.Text type="secondary">
                        {t("receiptNo")} <span style={mono}>{s.receipt_no}</span> · {actorName(s.actor, server.credit_code, t("actorEnterprise"))}
                      </Typography.Text>
                    </div>
                    {s.note && <Typography.Text>{s.note}</Typography.Text>}
                  </div>
                ),
              }))}
            />
          </div>
        )}
        {app.rounds.length > 0 && (
          <Collapse
            size="small"
            items={[...app.rounds].reverse().map((r) => ({
              key: String(r.round),
              label: (
                <span data-testid={`round-${String(r.round)}`}>
                  {fill(t("roundTitle"), { n: r.round, date: dateTime(r.created_at ?? 0) })}
                </span>
              ),
              children: <Round enterprise={enterprise} recordId={app.record_id} round={r} slots={slots} />,
            }))}
          />
        )}
      </Space>
    </Card>
  );
}
