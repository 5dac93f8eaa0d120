import type { OpInfo } from "../../shared/revise";
import { messages } from "./messages";

/** The inbox requests the outbox may hold. */
export const ops: Record<string, OpInfo> = {
  mark_read: { label: messages.opMarkRead },
};
