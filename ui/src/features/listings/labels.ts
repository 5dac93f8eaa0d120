import type { ListingCategory, ListingKind } from "../../bindings";
import type { messages } from "./messages";

export const listingKindKey: Record<ListingKind, keyof typeof messages> = {
  supply: "listingSupply",
  demand: "listingDemand",
};

export const listingCategoryKey: Record<ListingCategory, keyof typeof messages> = {
  supplies: "listingSupplies",
  materials: "listingMaterials",
  logistics: "listingLogistics",
  staff: "listingStaff",
};
