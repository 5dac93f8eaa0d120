import type { OpInfo } from "../../shared/revise";
import { messages } from "./messages";

/** The appeal requests the outbox may hold, as the status line names and corrects them. */
export const ops: Record<string, OpInfo> = {
  create_appeal: { label: messages.opCreateAppeal, revise: () => import("./ReviseAppeal").then((m) => m.reviseAppeal) },
  appeal_message: { label: messages.opAppealMessage, revise: () => import("./ReviseAppeal").then((m) => m.reviseMessage) },
  rate_appeal: { label: messages.opRateAppeal },
};
