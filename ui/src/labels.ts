import type { AppealCategory, ListingCategory, ListingKind, PolicyLevel } from "./bindings";
import type { MessageKey } from "./i18n";

export const levelKey: Record<PolicyLevel, MessageKey> = {
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

/** What each kind of queued request is called in the officer's list. */
export const opKey: Partial<Record<string, MessageKey>> = {
  create_appeal: "opCreateAppeal",
  create_listing: "opCreateListing",
  withdraw_listing: "opWithdrawListing",
  appeal_message: "opAppealMessage",
  submit_application: "opSubmitApplication",
  upload: "opUpload",
};

export const appealCategoryKey: Record<AppealCategory, MessageKey> = {
  financing: "appealFinancing",
  prevention_supplies: "appealPreventionSupplies",
  logistics: "appealLogistics",
  staffing: "appealStaffing",
  supply_chain: "appealSupplyChain",
  other: "appealOther",
};

export const listingKindKey: Record<ListingKind, MessageKey> = {
  supply: "listingSupply",
  demand: "listingDemand",
};

export const listingCategoryKey: Record<ListingCategory, MessageKey> = {
  supplies: "listingSupplies",
  materials: "listingMaterials",
  logistics: "listingLogistics",
  staff: "listingStaff",
};
