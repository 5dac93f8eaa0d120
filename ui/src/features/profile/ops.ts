import type { OpInfo } from "../../shared/revise";
import { messages } from "./messages";

/** The profile requests the outbox may hold. A parked one is corrected in the form itself:
 *  saving the profile again replaces it. */
export const ops: Record<string, OpInfo> = {
  update_profile: { label: messages.opUpdateProfile },
};
