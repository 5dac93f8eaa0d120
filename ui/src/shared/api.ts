import { commands, events } from "../bindings";
import type { ErrorInfo } from "../bindings";

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: ErrorInfo };

/** Turns a command's result object into a value, throwing its ErrorInfo on failure. */
export async function unwrap<T>(p: Promise<CommandResult<T>>): Promise<T> {
  const r = await p;
  if (r.status === "error") {
    // Thrown as data, not an Error: the UI branches on its code.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw r.error;
  }
  return r.data;
}

export { commands, events };
