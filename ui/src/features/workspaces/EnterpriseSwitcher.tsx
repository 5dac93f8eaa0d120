import { Suspense, lazy, useState } from "react";
import { App, Badge, Button, Dropdown, Space, Tag, Typography } from "antd";
import type { MenuProps } from "antd";
import { CheckOutlined, DownOutlined, PlusOutlined, SettingOutlined } from "@ant-design/icons";
import { commands, unwrap } from "../../shared/api";
import type { Status_Serialize as Status } from "../../bindings";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { messages } from "./messages";
import { saidError } from "../../shared/said";

// The dialog's table (and the tree antd's table brings for its filters) is code a start does
// not need: it loads when the officer first opens the dialog.
const ManageDialog = lazy(() => import("./ManageDialog"));

interface Props {
  status: Status;
  /** Opens the sign-in page to add an enterprise, or to sign one in again. */
  onSignIn: (creditCode?: string) => void;
}

/** The header's enterprise menu: every enterprise on this computer, each with its queue. */
export default function EnterpriseSwitcher({ status, onSignIn }: Props) {
  const t = useMessages(messages);
  const shared = useI18n().t;
  const { message } = App.useApp();
  const [managing, setManaging] = useState(false);

  const report = (e: unknown) => {
    void message.error(saidError(toErrorInfo(e)));
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
        <Suspense fallback={null}>
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
        </Suspense>
      )}
    </>
  );
}
