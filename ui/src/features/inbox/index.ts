import type { OpInfo } from "../../shared/revise";
import { messages } from "./messages";

export { default as InboxPage } from "./InboxPage";
export { default as InboxWatcher } from "./InboxWatcher";

/** The inbox requests the outbox may hold. */
export const ops: Record<string, OpInfo> = {
  mark_read: { label: messages.opMarkRead },
};
