import type { ErrorInfo, Status_Serialize as Status } from "../bindings";
import { commands, unwrap } from "../shared/api";
import { toErrorInfo } from "../shared/errors";

/** Signs the enterprise on screen out. Resolves to what went wrong, or to null; the frame and
 *  the page each show it their own way, in the language on screen when it is shown. */
export async function signOutOnScreen(status: Status): Promise<ErrorInfo | null> {
  if (!status.enterprise) return null;
  try {
    await unwrap(commands.signOut(status.enterprise));
    return null;
  } catch (e) {
    return toErrorInfo(e);
  }
}
