import type { OpInfo } from "../../shared/revise";
import { messages } from "./messages";

/** The listing requests the outbox may hold, as the status line names and corrects them. */
export const ops: Record<string, OpInfo> = {
  create_listing: { label: messages.opCreateListing, revise: () => import("./ReviseListing").then((m) => m.reviseListing) },
  withdraw_listing: { label: messages.opWithdrawListing },
  update_listing: { label: messages.opUpdateListing, revise: () => import("./ReviseListing").then((m) => m.reviseListingUpdate) },
};
