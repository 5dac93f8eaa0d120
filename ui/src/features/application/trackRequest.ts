import { requestFocus, useFocus } from "../../shared/navigation";

/**
 * "Show the Track tab (at this application)": asked by a notice's 查看 button, an inbox entry
 * or the officer coming back from a desktop notification, wherever they are in the app. The
 * shared focus requests carry it; an empty key means the tab without a record.
 */
export function requestTrack(enterprise: string, recordId: string | null): void {
  requestFocus("application", { enterprise, key: recordId ?? "" });
}

/** The page of `enterprise` takes the request made for it, on mount and while mounted. */
export function useTrackRequests(enterprise: string | null, onRequest: (recordId: string | null) => void): void {
  useFocus("application", enterprise, (key) => {
    onRequest(key === "" ? null : key);
  });
}
