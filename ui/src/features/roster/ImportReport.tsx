import { Button, Card, Descriptions, Table, Tag, Typography } from "antd";
import type { ImportReport_Serialize as Report, RejectedRow } from "../../bindings";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { fillNodes } from "./format";
import { messages } from "./messages";

/** What the last import took and, row by row, what it refused and why. */
export default function ImportReport({
  report,
  fixed,
  onFix,
}: {
  report: Report;
  /** Lines fixed and added since the page opened. */
  fixed: ReadonlySet<number>;
  onFix: (row: RejectedRow) => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const format = report.format.toUpperCase() + (report.encoding ? ` · ${report.encoding}` : "");
  return (
    <Card size="small" title={t("reportTitle")} style={{ marginBottom: 16 }} data-testid="roster-import-report">
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: report.rejected.length > 0 ? 12 : 0 }}>
        <Descriptions.Item label={t("reportFile")}>
          <Typography.Text style={{ overflowWrap: "anywhere" }}>{report.file_name}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t("reportFormat")}>{format}</Descriptions.Item>
        <Descriptions.Item label={null}>
          <Typography.Text strong>
            {fillNodes(t("importDone"), { n: <span data-testid="roster-imported">{report.added}</span> })}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      {report.rejected.length > 0 && (
        <>
          <Typography.Paragraph type="warning">{fill(t("reportRejected"), { n: report.rejected.length })}</Typography.Paragraph>
          <Table<RejectedRow>
            size="small"
            rowKey="line"
            dataSource={report.rejected}
            data-testid="roster-rejected"
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            // Narrower than this, the table scrolls sideways rather than squeeze the reasons.
            scroll={{ x: 600 }}
            onRow={(r) => ({ "data-testid": `roster-rejected-${String(r.line)}` }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t("colLine"),
                dataIndex: "line",
                width: 72,
                render: (n: number) => <span style={{ whiteSpace: "nowrap" }}>{fill(t("line"), { n })}</span>,
              },
              {
                title: t("colCells"),
                width: 180,
                render: (_, r) => (
                  // The cells as they were, in the file's order: the officer recognises the row.
                  // Lines break between cells, never inside one.
                  <Typography.Text type="secondary" data-testid="roster-cells">
                    {r.cells.map((c, i) => (
                      <span key={i}>
                        {i > 0 && " | "}
                        <span style={{ whiteSpace: "nowrap" }}>{c.trim() === "" ? "—" : c}</span>
                      </span>
                    ))}
                  </Typography.Text>
                ),
              },
              {
                title: t("colReasons"),
                render: (_, r) => (
                  <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="roster-reasons">
                    {r.problems.map((p, i) => (
                      <li key={`${p.field}-${String(i)}`}>
                        <Typography.Text type="danger">{locale === "zh-CN" ? p.zh : p.en}</Typography.Text>
                      </li>
                    ))}
                  </ul>
                ),
              },
              {
                title: "",
                width: 118,
                render: (_, r) =>
                  fixed.has(r.line) ? (
                    <Tag color="green" data-testid={`roster-fixed-${String(r.line)}`}>
                      {t("fixedTag")}
                    </Tag>
                  ) : (
                  <Button
                    size="small"
                    onClick={() => {
                      onFix(r);
                    }}
                    data-testid={`roster-fix-${String(r.line)}`}
                  >
                    {t("fix")}
                  </Button>
                  ),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
