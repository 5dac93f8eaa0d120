import type { PolicyLevel } from "../../bindings";
import type { messages } from "./messages";

export const levelKey: Record<PolicyLevel, keyof typeof messages> = {
  national: "levelNational",
  municipal: "levelMunicipal",
  district: "levelDistrict",
};

export const levelColor: Record<PolicyLevel, string> = {
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
