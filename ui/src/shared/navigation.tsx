import { createContext, useContext, useEffect, useRef } from "react";

/** Where to land on the page opened: one record of one enterprise. */
export interface Focus {
  enterprise: string;
  key: string;
}

/**
 * Opens another page of the sidebar, by its key, optionally at one record: a link from one
 * feature to another (an inbox entry to its appeal, a notice to its application).
 */
export type Navigate = (page: string, focus?: Focus) => void;

export const NavigationContext = createContext<Navigate>(() => undefined);

export function useNavigate(): Navigate {
  return useContext(NavigationContext);
}

/*
 * A focus request waits until the page of its enterprise takes it: the page may mount only
 * after the switch to it (or to the enterprise) has happened, so the request cannot be a
 * prop of a page that does not exist yet.
 */
interface Request extends Focus {
  page: string;
}

let pending: Request | null = null;
const listeners = new Set<(r: Request) => boolean>();

/** Asks `page` of `focus.enterprise` to show the record `focus.key`, now or once mounted. */
export function requestFocus(page: string, focus: Focus): void {
  pending = { page, ...focus };
  for (const l of listeners) {
    if (l(pending)) {
      pending = null;
      return;
    }
  }
}

/** The page `page` of `enterprise` takes the focus requests made for it, on mount and while mounted. */
export function useFocus(page: string, enterprise: string | null, onFocus: (key: string) => void): void {
  const latest = useRef(onFocus);
  latest.current = onFocus;
  useEffect(() => {
    if (!enterprise) return;
    const l = (r: Request) => {
      if (r.page !== page || r.enterprise !== enterprise) return false;
      latest.current(r.key);
      return true;
    };
    if (pending && l(pending)) pending = null;
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, [page, enterprise]);
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
