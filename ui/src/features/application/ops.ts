import type { OpInfo } from "../../shared/revise";
import { messages } from "./messages";

/** The application requests the outbox may hold, as the status line names and corrects them. */
export const ops: Record<string, OpInfo> = {
  submit_application: { label: messages.opSubmitApplication, revise: () => import("./ReviseApplication").then((m) => m.reviseApplication) },
};
