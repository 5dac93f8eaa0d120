import { Suspense, lazy, useRef, useState } from "react";
import type { ReactNode } from "react";
import { App, Spin } from "antd";
import type { Status_Serialize as Status } from "../../bindings";
import type { OpInfo, ReviseForm } from "../../shared/revise";
import type { Revisable } from "./ParkedList";
import { messages } from "./messages";
import { said } from "../../shared/said";

// The list and the correction form load when the officer opens them (the status line's
// count of refused items, then "edit"): the main page's start parses neither, nor antd's
// forms and lists that they bring.
const ParkedList = lazy(() => import("./ParkedList"));
const ReviseDialog = lazy(() => import("./ReviseDialog"));

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
  const [open, setOpen] = useState<{ enterprise: string; item: Revisable; form: ReviseForm } | null>(null);
  const enterprise = status.enterprise;
  const editing = open && open.enterprise === enterprise ? open : null;
  // The enterprise on screen when a form's code arrives: the officer may have switched since.
  const onScreen = useRef(enterprise);
  onScreen.current = enterprise;
  const revise = (item: Revisable) => {
    const load = ops[item.kind]?.revise;
    if (!load || !enterprise) return;
    // The dialog's code with the form's, so that either failing is told the same way.
    Promise.all([load(), import("./ReviseDialog")]).then(
      ([form]) => {
        // Switched away meanwhile: the form is not opened later over the enterprise it was
        // not asked on, when the officer comes back to this one.
        if (onScreen.current === enterprise) setOpen({ enterprise, item, form });
      },
      () => {
        void message.error(said(messages, "reviseUnavailable"));
      },
    );
  };

  const content = (close: () => void) =>
    enterprise ? (
      <Suspense fallback={<Spin size="small" />}>
        <ParkedList
          key={enterprise}
          enterprise={enterprise}
          version={`${String(status.outbox_parked)}/${String(status.outbox_queued)}`}
          ops={ops}
          onRevise={(item) => {
            close();
            revise(item);
          }}
        />
      </Suspense>
    ) : null;

  const dialog = editing ? (
    <Suspense fallback={null}>
      <ReviseDialog
        enterprise={editing.enterprise}
        item={editing.item}
        form={editing.form}
        onClose={() => {
          setOpen(null);
        }}
        onSaved={() => {
          setOpen(null);
          void message.success(said(messages, "revised"));
        }}
      />
    </Suspense>
  ) : null;

  return { content, dialog };
}
