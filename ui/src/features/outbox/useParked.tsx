import { useState } from "react";
import type { ReactNode } from "react";
import { App } from "antd";
import type { Status_Serialize as Status } from "../../bindings";
import type { OpInfo } from "../../shared/revise";
import ParkedList, { type Revisable } from "./ParkedList";
import ReviseDialog from "./ReviseDialog";
import { messages } from "./messages";
import { said } from "../../shared/said";

/**
 * The refused items of the enterprise on screen: `content` fills the status line's
 * popover, `dialog` is the correction form when one is open.
 */
export function useParked(
  status: Status,
  ops: Partial<Record<string, OpInfo>>,
): { content: (close: () => void) => ReactNode; dialog: ReactNode } {
  const { message } = App.useApp();
  // Tied to the enterprise it came from: outbox ids repeat across enterprises, so a
  // correction must never be sent to the one that came on screen since.
  const [open, setOpen] = useState<{ enterprise: string; item: Revisable } | null>(null);
  const enterprise = status.enterprise;
  const editing = open && open.enterprise === enterprise ? open.item : null;
  const form = editing ? ops[editing.kind]?.revise : undefined;
  const setEditing = (item: Revisable | null) => {
    setOpen(item && enterprise ? { enterprise, item } : null);
  };

  const content = (close: () => void) =>
    enterprise ? (
      <ParkedList
        key={enterprise}
        enterprise={enterprise}
        version={`${String(status.outbox_parked)}/${String(status.outbox_queued)}`}
        ops={ops}
        onRevise={(item) => {
          close();
          setEditing(item);
        }}
      />
    ) : null;

  const dialog =
    editing && form && enterprise ? (
      <ReviseDialog
        enterprise={enterprise}
        item={editing}
        form={form}
        onClose={() => {
          setEditing(null);
        }}
        onSaved={() => {
          setEditing(null);
          void message.success(said(messages, "revised"));
        }}
      />
    ) : null;

  return { content, dialog };
}
