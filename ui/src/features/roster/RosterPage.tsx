import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { App as AntApp, Button, Card, Empty, Input, Popconfirm, Space, Spin, Typography } from "antd";
import { ClearOutlined, DeleteOutlined, ExportOutlined, ImportOutlined, UserAddOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import type { ErrorInfo, RejectedRow, RosterView_Serialize as RosterView, StaffEntry_Serialize as StaffEntry, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import { toErrorInfo } from "../../shared/errors";
import { fill, useMessages } from "../../shared/i18n";
import { useTopics } from "../../shared/useTopics";
import ImportReport from "./ImportReport";
import RosterEditor from "./RosterEditor";
import type { EditorTarget } from "./RosterEditor";
import RosterTable from "./RosterTable";
import { fillNodes, guessEntry, matches, staleTest } from "./format";
import { messages } from "./messages";
import { said, saidError } from "../../shared/said";

/** 返岗人员: the roster the application attaches, imported, edited and exported here. */
export default function RosterPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const { message } = AntApp.useApp();
  const enterprise = status.enterprise;
  const [view, setView] = useState<RosterView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // A file refused whole (columns missing, unreadable, too large): its message says the fix.
  const [importError, setImportError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState<"import" | "export" | "clear" | "delete" | null>(null);
  const [editing, setEditing] = useState<EditorTarget | null>(null);
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<string[]>([]);
  // Rejected lines fixed and added here; a new import starts the list again.
  const [fixed, setFixed] = useState<ReadonlySet<number>>(new Set());

  const showing = useRef(enterprise);
  showing.current = enterprise;
  const load = useCallback(() => {
    if (!enterprise) return;
    unwrap(commands.roster(enterprise))
      .then((v) => {
        if (showing.current !== enterprise) return;
        setView(v);
        setError(null);
        // People deleted elsewhere leave the selection.
        const ids = new Set(v.rows.map((r) => r.id_number));
        setSelected((s) => s.filter((id) => ids.has(id)));
      })
      .catch((e: unknown) => {
        if (showing.current === enterprise) setError(toErrorInfo(e));
      });
  }, [enterprise]);
  useEffect(load, [load]);
  useTopics(enterprise, ["roster"], load);

  const rows = useMemo(() => view?.rows ?? [], [view]);
  const position = useMemo(() => new Map(rows.map((r, i) => [r.id_number, i + 1])), [rows]);
  const shown = useMemo(() => rows.filter((r) => matches(r, query)), [rows, query]);
  const stale = useMemo(() => rows.filter((r) => staleTest(r)).length, [rows]);
  const positive = useMemo(() => rows.filter((r) => r.test_result === "positive").length, [rows]);

  const fail = (e: unknown) => {
    void message.error(saidError(toErrorInfo(e)));
  };

  const importFile = () => {
    if (!enterprise) return;
    setBusy("import");
    unwrap(commands.rosterImport(enterprise, t("importTitle")))
      .then((report) => {
        if (!report) return;
        setImportError(null);
        setFixed(new Set());
        if (report.rejected.length > 0) void message.warning(said(messages, "importSome", { n: report.added, m: report.rejected.length }));
        else void message.success(said(messages, "importDone", { n: report.added }));
        load();
      })
      .catch((e: unknown) => {
        setImportError(toErrorInfo(e));
      })
      .finally(() => {
        setBusy(null);
      });
  };

  const exportFile = () => {
    if (!enterprise) return;
    setBusy("export");
    unwrap(commands.rosterExport(enterprise, t("exportTitle")))
      .then((path) => {
        if (path) void message.success(said(messages, "exported", { path }));
      })
      .catch(fail)
      .finally(() => {
        setBusy(null);
      });
  };

  const clear = () => {
    if (!enterprise) return;
    setBusy("clear");
    unwrap(commands.rosterClear(enterprise))
      .then(() => {
        void message.success(said(messages, "cleared"));
        setSelected([]);
        load();
      })
      .catch(fail)
      .finally(() => {
        setBusy(null);
      });
  };

  const remove = (ids: string[]) => {
    if (!enterprise || ids.length === 0) return;
    setBusy("delete");
    unwrap(commands.rosterDeleteRows(enterprise, ids))
      .then((n) => {
        void message.success(said(messages, "removed", { n }));
        setSelected((s) => s.filter((id) => !ids.includes(id)));
        load();
      })
      .catch(fail)
      .finally(() => {
        setBusy(null);
      });
  };

  const add = () => {
    setEditing({ original: null, initial: {} });
  };
  const fix = (row: RejectedRow) => {
    setEditing({ original: null, initial: guessEntry(row.cells), line: row.line });
  };

  const importButton = (
    <Button type="primary" icon={<ImportOutlined />} loading={busy === "import"} onClick={importFile} data-testid="roster-import">
      {t("importFile")}
    </Button>
  );
  const addButton = (
    <Button icon={<UserAddOutlined />} onClick={add} data-testid="roster-add">
      {t("add")}
    </Button>
  );

  let body;
  if (!view) {
    body = (
      <>
        <ErrorAlert error={error} />
        {!error && <Spin />}
      </>
    );
  } else if (rows.length === 0) {
    body = (
      <>
        <ErrorAlert error={error} />
        <ErrorAlert error={importError} />
        <Empty
          data-testid="roster-empty"
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            <Space direction="vertical" size={4} style={{ maxWidth: 560, textAlign: "left" }}>
              <Typography.Text strong>{t("emptyTitle")}</Typography.Text>
              <Typography.Text>{t("emptyWhat")}</Typography.Text>
              <Typography.Text type="secondary">{t("emptyFiles")}</Typography.Text>
              <Typography.Text type="secondary">{t("emptyColumns")}</Typography.Text>
            </Space>
          }
          style={{ marginBottom: 16 }}
        >
          <Space wrap style={{ justifyContent: "center" }}>
            {importButton}
            {addButton}
          </Space>
        </Empty>
        {view.last_import && <ImportReport report={view.last_import} fixed={fixed} onFix={fix} />}
      </>
    );
  } else {
    body = (
      <>
        <ErrorAlert error={error} />
        <Space wrap style={{ marginBottom: 12, width: "100%", justifyContent: "space-between" }}>
          <Space wrap>
            {importButton}
            {addButton}
            <Button icon={<ExportOutlined />} loading={busy === "export"} onClick={exportFile} data-testid="roster-export">
              {t("exportFile")}
            </Button>
            <Popconfirm
              title={fill(t("clearConfirm"), { n: rows.length })}
              okText={t("clearOk")}
              okButtonProps={{ danger: true, "data-testid": "roster-clear-confirm" }}
              onConfirm={clear}
            >
              <Button danger icon={<ClearOutlined />} loading={busy === "clear"} data-testid="roster-clear">
                {t("clear")}
              </Button>
            </Popconfirm>
          </Space>
          <Input.Search
            allowClear
            placeholder={t("search")}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
            }}
            style={{ width: 260 }}
            data-testid="roster-search"
          />
        </Space>
        <ErrorAlert error={importError} />
        <Space wrap size="middle" style={{ marginBottom: 12 }} data-testid="roster-summary">
          <Typography.Text strong>{fillNodes(t("countPeople"), { n: <span data-testid="roster-count">{rows.length}</span> })}</Typography.Text>
          {query.trim() !== "" && <Typography.Text type="secondary">{fill(t("shownOf"), { a: shown.length, b: rows.length })}</Typography.Text>}
          <Typography.Text type={stale > 0 ? "warning" : "secondary"} data-testid="roster-stale">
            {fill(t("staleTests"), { n: stale })}
          </Typography.Text>
          <Typography.Text type={positive > 0 ? "danger" : "secondary"} data-testid="roster-positive">
            {fill(t("positives"), { n: positive })}
          </Typography.Text>
          {selected.length > 0 && (
            <Popconfirm
              title={fill(t("removeSelectedConfirm"), { n: selected.length })}
              okButtonProps={{ danger: true }}
              onConfirm={() => {
                remove(selected);
              }}
            >
              <Button size="small" danger icon={<DeleteOutlined />} loading={busy === "delete"} data-testid="roster-delete-selected">
                {fill(t("removeSelected"), { n: selected.length })}
              </Button>
            </Popconfirm>
          )}
        </Space>
        {view.last_import && <ImportReport report={view.last_import} fixed={fixed} onFix={fix} />}
        <RosterTable
          rows={shown}
          position={position}
          selected={selected}
          onSelect={setSelected}
          onEdit={(e: StaffEntry) => {
            setEditing({ original: e.id_number, initial: e });
          }}
          onDelete={remove}
        />
      </>
    );
  }

  return (
    <Card title={t("title")} data-testid="roster-page">
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      {body}
      {enterprise && (
        <RosterEditor
          enterprise={enterprise}
          target={editing}
          onSaved={(target) => {
            const line = target.line;
            if (line !== undefined) setFixed((f) => new Set(f).add(line));
          }}
          onClose={() => {
            setEditing(null);
            load();
          }}
        />
      )}
    </Card>
  );
}
