import { useCallback, useEffect, useState } from "react";
import { Badge, Button, Card, Space, Tabs, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import type { AppealDraftView, ErrorInfo, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { useMessages } from "../../shared/i18n";
import { useFocus } from "../../shared/navigation";
import AppealComposer from "./AppealComposer";
import AppealDetail from "./AppealDetail";
import AppealDrafts from "./AppealDrafts";
import AppealList from "./AppealList";
import { messages } from "./messages";

type View = { kind: "tabs"; tab: "list" | "drafts" } | { kind: "compose"; id: string } | { kind: "detail"; key: string };

/** 诉求协调: the appeals filed, the drafts, writing one, and one appeal's thread. */
export default function AppealsPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const enterprise = status.enterprise;
  const [view, setView] = useState<View>({ kind: "tabs", tab: "list" });
  const [drafts, setDrafts] = useState<AppealDraftView[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const loadDrafts = useCallback(() => {
    if (!enterprise) return;
    unwrap(commands.appealDrafts(enterprise))
      .then(setDrafts)
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  }, [enterprise]);
  useEffect(loadDrafts, [loadDrafts, view.kind]);
  useFocus("appeals", enterprise, (key) => {
    setView({ kind: "detail", key });
  });

  if (!enterprise) return null;
  const newDraft = () => {
    unwrap(commands.appealDraftNew(enterprise))
      .then((d) => {
        setView({ kind: "compose", id: d.id });
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  };
  const remove = (id: string) => {
    unwrap(commands.appealDraftDelete(enterprise, id))
      .then(loadDrafts)
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  };

  let body;
  if (view.kind === "compose") {
    body = (
      <AppealComposer
        enterprise={enterprise}
        draftId={view.id}
        onDone={(key) => {
          setView(key ? { kind: "tabs", tab: "list" } : { kind: "tabs", tab: "drafts" });
        }}
      />
    );
  } else if (view.kind === "detail") {
    body = (
      <AppealDetail
        enterprise={enterprise}
        appealKey={view.key}
        onBack={() => {
          setView({ kind: "tabs", tab: "list" });
        }}
      />
    );
  } else {
    body = (
      <Tabs
        activeKey={view.tab}
        onChange={(k) => {
          setView({ kind: "tabs", tab: k === "drafts" ? "drafts" : "list" });
        }}
        items={[
          {
            key: "list",
            label: <span data-testid="tab-appeal-list">{t("tabList")}</span>,
            children: (
              <AppealList
                enterprise={enterprise}
                onOpen={(key) => {
                  setView({ kind: "detail", key });
                }}
              />
            ),
          },
          {
            key: "drafts",
            label: (
              <Space size={4} data-testid="tab-appeal-drafts">
                {t("tabDrafts")}
                <Badge count={drafts.length} size="small" data-testid="appeal-drafts-count" />
              </Space>
            ),
            children: (
              <AppealDrafts
                drafts={drafts}
                onOpen={(id) => {
                  setView({ kind: "compose", id });
                }}
                onDelete={remove}
              />
            ),
          },
        ]}
      />
    );
  }
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="appeals-page">
      <Card
        title={t("pageTitle")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={newDraft} data-testid="new-appeal">
            {t("newAppeal")}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t("intro")}
        </Typography.Paragraph>
      </Card>
      <ErrorAlert error={error} />
      {body}
    </Space>
  );
}
