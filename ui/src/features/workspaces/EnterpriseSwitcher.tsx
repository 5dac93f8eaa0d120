import { useState } from "react";
import { App, Badge, Button, Dropdown, Modal, Space, Table, Tag, Typography } from "antd";
import type { MenuProps } from "antd";
import { CheckOutlined, DownOutlined, PlusOutlined, SettingOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import type { Status_Serialize as Status, WorkspaceSummary_Serialize as Summary } from "../../bindings";
import { errorText, toErrorInfo } from "../../shared/errors";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { messages } from "./messages";

interface Props {
  status: Status;
  /** Opens the sign-in page to add an enterprise, or to sign one in again. */
  onSignIn: (creditCode?: string) => void;
}

/** The header's enterprise menu: every enterprise on this computer, each with its queue. */
export default function EnterpriseSwitcher({ status, onSignIn }: Props) {
  const t = useMessages(messages);
  const shared = useI18n().t;
  const { locale } = useI18n();
  const { message } = App.useApp();
  const [managing, setManaging] = useState(false);

  const report = (e: unknown) => {
    void message.error(errorText(toErrorInfo(e), locale));
  };
  const switchTo = (id: string) => {
    unwrap(commands.switchEnterprise(id)).catch(report);
  };

  const items: MenuProps["items"] = [
    ...status.enterprises.map((e) => ({
      key: e.id,
      label: (
        <Space data-testid={`switch-to-${e.profile.credit_code}`} size={6}>
          {e.id === status.enterprise ? <CheckOutlined /> : <span style={{ width: 14, display: "inline-block" }} />}
          <span>{e.profile.name}</span>
          <Badge count={e.queued} showZero={false} color="#8c8c8c" title={shared("queued")} />
          <Badge count={e.parked} title={shared("parked")} />
          {!e.signed_in && <Tag color="orange">{t("needsSignIn")}</Tag>}
        </Space>
      ),
    })),
    { type: "divider" as const },
    { key: "add", icon: <PlusOutlined />, label: <span data-testid="add-enterprise">{t("addEnterprise")}</span> },
    { key: "manage", icon: <SettingOutlined />, label: <span data-testid="manage-enterprises">{t("manage")}</span> },
  ];

  const others = status.enterprises.filter((e) => e.id !== status.enterprise);
  const waitingElsewhere = others.reduce((n, e) => n + e.parked, 0);

  return (
    <>
      <Dropdown
        trigger={["click"]}
        menu={{
          items,
          selectable: false,
          onClick: ({ key }) => {
            if (key === "add") onSignIn();
            else if (key === "manage") setManaging(true);
            else if (key !== status.enterprise) switchTo(key);
          },
        }}
      >
        <Button type="text" data-testid="enterprise-switcher" title={t("switchTitle")}>
          <Space size={6}>
            {/* Company names run long; the full one is in the tooltip and the menu. */}
            <Typography.Text
              strong
              data-testid="enterprise-name"
              title={status.account?.name}
              style={{ display: "inline-block", maxWidth: 200, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", verticalAlign: "bottom" }}
            >
              {status.account?.name}
            </Typography.Text>
            <Badge count={waitingElsewhere} size="small" />
            <DownOutlined />
          </Space>
        </Button>
      </Dropdown>
      {managing && (
        <ManageDialog
          status={status}
          onClose={() => {
            setManaging(false);
          }}
          onSignIn={(code) => {
            setManaging(false);
            onSignIn(code);
          }}
        />
      )}
    </>
  );
}

function ManageDialog({
  status,
  onClose,
  onSignIn,
}: {
  status: Status;
  onClose: () => void;
  onSignIn: (creditCode: string) => void;
}) {
  const t = useMessages(messages);
  const shared = useI18n().t;
  const { locale } = useI18n();
  const { message, modal } = App.useApp();

  const report = (e: unknown) => {
    void message.error(errorText(toErrorInfo(e), locale));
  };

  const signOut = async (e: Summary) => {
    try {
      await unwrap(commands.signOut(e.id));
      void message.success(t("signedOutDone"));
    } catch (err) {
      report(err);
    }
  };

  const remove = async (e: Summary) => {
    let preview;
    try {
      preview = await unwrap(commands.removalPreview(e.id));
    } catch (err) {
      report(err);
      return;
    }
    const lost = preview.unsent + preview.drafts > 0;
    modal.confirm({
      title: `${t("removeTitle")} ${e.profile.name}`,
      content: (
        <Typography.Text type={lost ? "danger" : undefined} data-testid="removal-preview">
          {lost ? fill(t("removeLoses"), { unsent: preview.unsent, drafts: preview.drafts }) : t("removeNothingLost")}
        </Typography.Text>
      ),
      okText: t("removeConfirm"),
      okButtonProps: { danger: true },
      cancelText: shared("cancel"),
      onOk: async () => {
        try {
          await unwrap(commands.removeEnterprise(e.id));
          void message.success(t("removed"));
        } catch (err) {
          report(err);
        }
      },
    });
  };

  return (
    <Modal open title={t("manageTitle")} footer={null} onCancel={onClose} width={760} data-testid="manage-dialog">
      <Table<Summary>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={status.enterprises}
        columns={[
          {
            title: t("colName"),
            render: (_: unknown, e) => (
              <Space direction="vertical" size={0}>
                <Space size={4}>
                  <Typography.Text strong>{e.profile.name}</Typography.Text>
                  {e.id === status.enterprise && <Tag color="blue">{t("onScreen")}</Tag>}
                </Space>
                <Typography.Text type="secondary">{e.profile.credit_code}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t("colQueue"),
            width: 150,
            render: (_: unknown, e) => `${String(e.queued)} / ${String(e.parked)}`,
          },
          {
            title: t("colSession"),
            width: 110,
            render: (_: unknown, e) =>
              e.signed_in ? <Tag color="green">{t("signedIn")}</Tag> : <Tag color="orange">{t("needsSignIn")}</Tag>,
          },
          {
            title: "",
            width: 250,
            render: (_: unknown, e) => (
              <Space>
                {e.signed_in ? (
                  <Button size="small" onClick={() => void signOut(e)}>
                    {shared("signOut")}
                  </Button>
                ) : (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => {
                      onSignIn(e.profile.credit_code);
                    }}
                  >
                    {shared("signInAgain")}
                  </Button>
                )}
                <Button size="small" danger onClick={() => void remove(e)} data-testid={`remove-${e.profile.credit_code}`}>
                  {t("remove")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Modal>
  );
}
