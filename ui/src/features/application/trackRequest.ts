import { useEffect, useRef } from "react";

/**
 * "Show the Track tab (at this application)": asked by a notice's 查看 button or by the
 * officer coming back from a desktop notification, wherever they are in the app. A request
 * waits until the page of its enterprise takes it: the page may mount only after the switch
 * to it (or to the enterprise) has happened.
 */
interface Request {
  enterprise: string;
  recordId: string | null;
}

let pending: Request | null = null;
const listeners = new Set<(r: Request) => boolean>();

export function requestTrack(enterprise: string, recordId: string | null): void {
  pending = { enterprise, recordId };
  for (const l of listeners) {
    if (l(pending)) {
      pending = null;
      return;
    }
  }
}

/** The page of `enterprise` takes the request made for it, on mount and while mounted. */
export function useTrackRequests(enterprise: string | null, onRequest: (recordId: string | null) => void): void {
  const latest = useRef(onRequest);
  latest.current = onRequest;
  useEffect(() => {
    if (!enterprise) return;
    const l = (r: Request) => {
      if (r.enterprise !== enterprise) return false;
      latest.current(r.recordId);
      return true;
    };
    if (pending && l(pending)) pending = null;
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, [enterprise]);
}
