import type { OpInfo } from "../../shared/revise";
import { messages } from "./messages";
import { reviseAppeal, reviseMessage } from "./ReviseAppeal";

/** The appeal requests the outbox may hold, as the status line names and corrects them. */
export const ops: Record<string, OpInfo> = {
  create_appeal: { label: messages.opCreateAppeal, revise: reviseAppeal },
  appeal_message: { label: messages.opAppealMessage, revise: reviseMessage },
  rate_appeal: { label: messages.opRateAppeal },
};
