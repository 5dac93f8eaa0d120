import { useCallback, useEffect, useRef, useState } from "react";
import { App as AntApp, Alert, Button, Card, Empty, List, Space, Spin, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { commands, unwrap } from "../../shared/api";
import type { DraftView_Serialize as DraftView, ErrorInfo, Overview_Serialize as Overview, RunSummary, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { fill, useMessages } from "../../shared/i18n";
import { useFocus, useNavigate } from "../../shared/navigation";
import { useTopics } from "../../shared/useTopics";
import RunPanel from "./RunPanel";
import Wizard from "./Wizard";
import { messages } from "./messages";
import { saidError } from "../../shared/said";

/** In the wizard, `focus` is an item to show (a policy's citation led here), with a count so
 *  the same item asked for twice is shown twice. */
type Mode = { kind: "overview" } | { kind: "wizard"; view: DraftView; focus?: { item: string; n: number } } | { kind: "run"; id: string };

/** The wizard left open, per enterprise: after a restart (or a crash) it opens again. */
const openKey = (enterprise: string) => `yiqifu.selfcheck.open.${enterprise}`;
function remembered(enterprise: string): string | null {
  try {
    return localStorage.getItem(openKey(enterprise));
  } catch {
    return null;
  }
}
function remember(enterprise: string, templateId: string | null): void {
  try {
    if (templateId) localStorage.setItem(openKey(enterprise), templateId);
    else localStorage.removeItem(openKey(enterprise));
  } catch {
    // Without storage the overview shows “Continue” instead.
  }
}

/** 复工自查: the templates, the wizard, past results. */
export default function SelfCheckPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const enterprise = status.enterprise;
  const [overview, setOverview] = useState<Overview | null>(null);
  const [history, setHistory] = useState<RunSummary[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: "overview" });
  const [opening, setOpening] = useState<string | null>(null);

  const showing = useRef(enterprise);
  showing.current = enterprise;
  const load = useCallback(() => {
    if (!enterprise) return;
    Promise.all([unwrap(commands.selfcheckOverview(enterprise)), unwrap(commands.selfcheckHistory(enterprise))])
      .then(([o, h]) => {
        if (showing.current !== enterprise) return;
        setOverview(o);
        setHistory(h);
        setError(null);
      })
      .catch((e: unknown) => {
        if (showing.current === enterprise) setError(toErrorInfo(e));
      });
  }, [enterprise]);
  useEffect(load, [load]);
  useTopics(enterprise, ["self_check", "catalog"], load);

  const focusCount = useRef(0);
  const open = useCallback(
    (templateId: string, item?: string) => {
      if (!enterprise) return;
      setOpening(templateId);
      unwrap(commands.openSelfcheck(enterprise, templateId))
        .then((view) => {
          if (showing.current !== enterprise) return;
          remember(enterprise, templateId);
          focusCount.current += 1;
          setMode({ kind: "wizard", view, focus: item === undefined ? undefined : { item, n: focusCount.current } });
        })
        .catch((e: unknown) => {
          remember(enterprise, null);
          void message.error(saidError(toErrorInfo(e)));
        })
        .finally(() => {
          setOpening(null);
        });
    },
    [enterprise, message],
  );

  // Back where the officer was: the wizard they had open, at its step.
  const resumed = useRef(false);
  useEffect(() => {
    if (resumed.current || !enterprise || !overview?.profile_ready) return;
    resumed.current = true;
    const id = remembered(enterprise);
    if (id && overview.templates.some((e) => e.template.id === id)) open(id);
  }, [enterprise, overview, open]);

  // A policy's "cited by" link: "<template>/<item>" opens that item in its wizard.
  useFocus("selfcheck", enterprise, (key) => {
    const [templateId, item] = key.split("/");
    resumed.current = true;
    if (templateId) open(templateId, item);
  });

  const backToOverview = () => {
    if (enterprise) remember(enterprise, null);
    setMode({ kind: "overview" });
    load();
  };

  if (!enterprise) return null;
  if (mode.kind === "wizard") {
    return (
      <Wizard
        key={mode.view.template.id}
        enterprise={enterprise}
        initial={mode.view}
        focus={mode.focus}
        onBack={backToOverview}
        onFinished={(run) => {
          remember(enterprise, null);
          setMode({ kind: "run", id: run.id });
        }}
      />
    );
  }
  if (mode.kind === "run") {
    return <RunPanel enterprise={enterprise} runId={mode.id} onBack={backToOverview} />;
  }

  return (
    <Card title={t("title")} data-testid="selfcheck-page">
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {overview === null && !error && <Spin />}
      {overview && !overview.profile_ready && (
        <Alert
          type="info"
          showIcon
          message={t("noProfile")}
          style={{ marginBottom: 16 }}
          data-testid="selfcheck-no-profile"
          action={
            <Button
              type="primary"
              size="small"
              onClick={() => {
                navigate("profile");
              }}
              data-testid="selfcheck-to-profile"
            >
              {t("toProfile")}
            </Button>
          }
        />
      )}
      {overview && (
        <List
          dataSource={overview.templates}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noTemplates")} data-testid="selfcheck-no-templates" /> }}
          renderItem={(e) => {
            const d = e.draft;
            const label = d ? t("continue") : e.last_run ? t("again") : t("start");
            return (
              <List.Item
                data-testid={`template-${e.template.id}`}
                actions={[
                  <Button
                    key="open"
                    type="primary"
                    disabled={!overview.profile_ready}
                    loading={opening === e.template.id}
                    onClick={() => {
                      open(e.template.id);
                    }}
                    data-testid={`open-${e.template.id}`}
                  >
                    {label}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <span>{e.template.title}</span>
                      <Tag>{fill(t("version"), { n: e.template.version })}</Tag>
                      {e.updated && <Tag color="orange" data-testid="template-updated">{t("updatedTemplate")}</Tag>}
                    </Space>
                  }
                  description={
                    <Space direction="vertical" size={0}>
                      <Typography.Text type="secondary">
                        {t("publishedOn")} {e.template.published_on} · {fill(t(e.template.items === 1 ? "itemsOne" : "items"), { n: e.template.items })}
                      </Typography.Text>
                      {d && (
                        <Typography.Text data-testid="draft-progress">
                          {fill(t("progress"), { a: d.answered, b: d.shown })}
                        </Typography.Text>
                      )}
                      {e.last_run && (
                        <Typography.Text>
                          {t("lastResult")}{e.last_run.finished_on}{" "}
                          <Tag color={e.last_run.passed ? "green" : "red"}>{e.last_run.passed ? t("passed") : t("failed")}</Tag>
                          {!e.last_run.current && <Tag color="orange">{t("outdated")}</Tag>}
                        </Typography.Text>
                      )}
                    </Space>
                  }
                />
              </List.Item>
            );
          }}
        />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("history")}
      </Typography.Title>
      <Table
        size="small"
        rowKey="id"
        dataSource={history}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("historyEmpty")} data-testid="history-empty" /> }}
        onRow={() => ({ "data-testid": "history-row" }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("colDate"), dataIndex: "finished_on", render: (v: string, r) => <span title={dayjs.unix(r.finished_at ?? 0).format("YYYY-MM-DD HH:mm")}>{v}</span> },
          {
            title: t("colTemplate"),
            render: (_, r) => (
              <Space wrap>
                <span>{r.template_title}</span>
                <Tag>{fill(t("version"), { n: r.template_version })}</Tag>
                {!r.current && <Tag color="orange">{t("outdated")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("colVerdict"),
            render: (_, r) => <Tag color={r.passed ? "green" : "red"}>{r.passed ? t("passed") : t("failed")}</Tag>,
          },
          { title: t("colFailures"), dataIndex: "failures" },
          {
            title: "",
            render: (_, r) => (
              <Button
                size="small"
                onClick={() => {
                  setMode({ kind: "run", id: r.id });
                }}
                data-testid={`history-open-${r.id}`}
              >
                {t("open")}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
