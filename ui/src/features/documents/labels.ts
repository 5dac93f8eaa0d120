import type { PolicyLevel } from "../../bindings";
import type { messages } from "./messages";

export const levelKey: Record<PolicyLevel, keyof typeof messages> = {
  national: "levelNational",
  municipal: "levelMunicipal",
  district: "levelDistrict",
};

/** The colours a document's tags are drawn in: antd's presets of those names, and the
 *  results list's own (styles.css, `.plain-tag.tag-<colour>`), which a test keeps alike. */
export const TAG_COLOURS = ["red", "blue", "green", "gold", "default"] as const;
export type TagColour = (typeof TAG_COLOURS)[number];

export const levelColor: Record<PolicyLevel, TagColour> = {
  national: "red",
  municipal: "blue",
  district: "green",
};

/** Splits a document body into paragraphs for display; blank lines separate them. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n|\r\n\s*\r\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}
