import type { Status_Serialize as Status } from "../bindings";
import { commands, unwrap } from "../shared/api";
import { errorText, toErrorInfo } from "../shared/errors";
import type { Locale } from "../shared/i18n";

/** Signs the enterprise on screen out. Resolves to what went wrong, in the officer's language,
 *  or to null; the frame and the page each show it their own way. */
export async function signOutOnScreen(status: Status, locale: Locale): Promise<string | null> {
  if (!status.enterprise) return null;
  try {
    await unwrap(commands.signOut(status.enterprise));
    return null;
  } catch (e) {
    return errorText(toErrorInfo(e), locale);
  }
}
