import dayjs from "dayjs";

/** A byte count as people read it: KB under a megabyte, then MB, then GB. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** An RFC 3339 time in this computer's time zone, to the minute. */
export function localTime(rfc3339: string | null): string | null {
  return rfc3339 ? dayjs(rfc3339).format("YYYY-MM-DD HH:mm") : null;
}
