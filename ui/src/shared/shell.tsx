import { createContext, useContext } from "react";

/** What any page may ask of the app around it. */
export interface ShellActions {
  /** Opens the choice of central service (the setup page, with the current one and Back). */
  changeServer: () => void;
}

export const ShellContext = createContext<ShellActions>({ changeServer: () => undefined });

export function useShell(): ShellActions {
  return useContext(ShellContext);
}
