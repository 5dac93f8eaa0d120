import { commands, unwrap } from "../../shared/api";
import type { InboxTarget } from "../../bindings";
import type { Navigate } from "../../shared/navigation";
import { MINE } from "../listings/focus";

/**
 * Marks an entry read and goes to what it is about. Resolves to false when that is not on
 * this computer (the caller says so).
 */
export async function openEntry(enterprise: string, entryId: string, navigate: Navigate): Promise<boolean> {
  await unwrap(commands.inboxMarkRead(enterprise, entryId));
  const target: InboxTarget = await unwrap(commands.inboxTarget(enterprise, entryId));
  switch (target.kind) {
    case "application":
      navigate("application", { enterprise, key: target.record_id });
      return true;
    case "appeal":
      navigate("appeals", { enterprise, key: target.key });
      return true;
    case "listing":
      navigate("listings", { enterprise, key: target.own_key ? `${MINE}${target.own_key}` : target.key });
      return true;
    case "missing":
      return false;
  }
}
