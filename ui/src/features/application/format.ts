import type { ApplicationState, MaterialRuleView } from "../../bindings";
import type { Locale } from "../../shared/i18n";
import { messages } from "./messages";

type Key = keyof typeof messages;

import { fill } from "../../shared/i18n";

/** A size as the service's limits state it: megabytes with one decimal, or kilobytes. */
export function formatSize(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${String(bytes)} B`;
}

/** The limits of a material, as one line: "PDF、JPG、PNG · 不超过 10.0 MB · 最多 1 份". */
export function limitsLine(rule: MaterialRuleView, t: (k: Key) => string, locale: Locale): string {
  const parts = [rule.formats.map((f) => f.toUpperCase()).join(locale === "zh-CN" ? "、" : ", ")];
  if (rule.max_bytes !== null && rule.max_bytes > 0) parts.push(fill(t("upTo"), { size: formatSize(rule.max_bytes) }));
  parts.push(rule.max_count === 1 ? t("atMostOne") : fill(t("atMost"), { n: rule.max_count }));
  return parts.filter((p) => p !== "").join(" · ");
}

export const stateKey: Record<ApplicationState, Key> = {
  submitted: "state_submitted",
  accepted: "state_accepted",
  not_accepted: "state_not_accepted",
  in_review: "state_in_review",
  returned: "state_returned",
  resubmitted: "state_resubmitted",
  approved: "state_approved",
  rejected: "state_rejected",
};

export const stateColor: Record<ApplicationState, string> = {
  submitted: "blue",
  accepted: "cyan",
  not_accepted: "red",
  in_review: "processing",
  returned: "orange",
  resubmitted: "blue",
  approved: "green",
  rejected: "red",
};

/** The first hex digits of a hash, enough to tell files apart at a glance. */
export function shortHash(sha256: string, n = 8): string {
  return sha256.slice(0, n);
}
