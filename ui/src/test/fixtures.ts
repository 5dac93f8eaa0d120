import type { Status_Serialize as Status } from "../bindings";

/** The status of an app signed in to the demo service, with enterprise `ent-a` on screen. */
export const signedInStatus: Status = {
  seq: 1,
  server: { kind: "demo" },
  online: true,
  account: null,
  enterprise: "ent-a",
  enterprises: [],
  signed_in: true,
  syncing: false,
  outbox_queued: 0,
  outbox_parked: 0,
  last_sync_at: null,
  document_count: 0,
  library_new: 0,
  notice: null,
  inbox_unread: 0,
};
