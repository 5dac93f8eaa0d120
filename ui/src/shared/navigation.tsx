import { createContext, useContext } from "react";

/** Opens another page of the sidebar, by its key: a link from one feature to another. */
export type Navigate = (page: string) => void;

export const NavigationContext = createContext<Navigate>(() => undefined);

export function useNavigate(): Navigate {
  return useContext(NavigationContext);
}

const PAGE_KEY = "yiqifu.page";

/** The page last shown, so a restart (even after a crash) comes back to it. */
export function lastPage(): string | null {
  try {
    return localStorage.getItem(PAGE_KEY);
  } catch {
    return null;
  }
}

export function rememberPage(page: string): void {
  try {
    localStorage.setItem(PAGE_KEY, page);
  } catch {
    // Storage refused (private mode): the app starts on the first page, nothing else.
  }
}
