import { App, Button, Modal, Space, Table, Tag, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { Status_Serialize as Status, WorkspaceSummary_Serialize as Summary } from "../../bindings";
import { toErrorInfo } from "../../shared/errors";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { messages } from "./messages";
import { said, saidError } from "../../shared/said";

/** Every enterprise on this computer, with its queue and session: sign out, sign in again,
 *  remove (saying first what would be lost). */
export default function ManageDialog({
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
  const { message, modal } = App.useApp();

  const report = (e: unknown) => {
    void message.error(saidError(toErrorInfo(e)));
  };

  const signOut = async (e: Summary) => {
    try {
      await unwrap(commands.signOut(e.id));
      void message.success(said(messages, "signedOutDone"));
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
          void message.success(said(messages, "removed"));
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
