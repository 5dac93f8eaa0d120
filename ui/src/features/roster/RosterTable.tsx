import { Button, Empty, Popconfirm, Space, Table, Tag } from "antd";
import type { StaffEntry_Serialize as StaffEntry } from "../../bindings";
import { fill, useMessages } from "../../shared/i18n";
import { messages } from "./messages";

const nowrap = { whiteSpace: "nowrap" as const };

/** The roster, 50 people a page, with row actions and a selection to delete at once. */
export default function RosterTable({
  rows,
  position,
  selected,
  onSelect,
  onEdit,
  onDelete,
}: {
  rows: StaffEntry[];
  /** Each person's number in the whole roster (the search keeps it). */
  position: Map<string, number>;
  selected: string[];
  onSelect: (ids: string[]) => void;
  onEdit: (e: StaffEntry) => void;
  onDelete: (ids: string[]) => void;
}) {
  const t = useMessages(messages);
  return (
    <Table<StaffEntry>
      size="small"
      rowKey="id_number"
      dataSource={rows}
      data-testid="roster-table"
      pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
      // Nine columns do not fit beside the sidebar at 960 px: the table scrolls sideways,
      // the page does not.
      scroll={{ x: "max-content" }}
      rowSelection={{
        selectedRowKeys: selected,
        onChange: (keys) => {
          onSelect(keys.map(String));
        },
      }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noMatch")} /> }}
      onRow={(r) => ({ "data-testid": `roster-row-${r.id_number}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t("colNo"), key: "no", render: (_, r) => position.get(r.id_number) ?? "", onCell: () => ({ style: nowrap }) },
        { title: t("colName"), dataIndex: "name", onCell: () => ({ style: nowrap }) },
        {
          title: t("colId"),
          dataIndex: "id_number",
          render: (v: string) => <span style={{ fontFamily: "monospace", ...nowrap }}>{v}</span>,
        },
        { title: t("colPhone"), dataIndex: "phone", onCell: () => ({ style: nowrap }) },
        { title: t("colDepartment"), dataIndex: "department", onCell: () => ({ style: nowrap }) },
        { title: t("colDormitory"), dataIndex: "dormitory", onCell: () => ({ style: nowrap }) },
        {
          title: t("colTest"),
          key: "test",
          render: (_, r) =>
            r.test_result === "positive" ? (
              <Tag color="red">{t("positive")}</Tag>
            ) : r.test_result === "negative" ? (
              <Tag color="green">{t("negative")}</Tag>
            ) : (
              <Tag>{t("untested")}</Tag>
            ),
        },
        { title: t("colTestDate"), dataIndex: "test_date", onCell: () => ({ style: nowrap }) },
        {
          title: t("colActions"),
          key: "actions",
          // Always in reach, however far the table is scrolled.
          fixed: "right",
          render: (_, r) => (
            <Space size={0} style={nowrap}>
              <Button
                type="link"
                size="small"
                onClick={() => {
                  onEdit(r);
                }}
                data-testid={`roster-edit-${r.id_number}`}
              >
                {t("edit")}
              </Button>
              <Popconfirm
                title={fill(t("removeConfirm"), { name: r.name })}
                onConfirm={() => {
                  onDelete([r.id_number]);
                }}
                okButtonProps={{ danger: true }}
              >
                <Button type="link" size="small" danger data-testid={`roster-delete-${r.id_number}`}>
                  {t("remove")}
                </Button>
              </Popconfirm>
            </Space>
          ),
        },
      ]}
    />
  );
}
