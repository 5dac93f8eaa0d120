import type { ListingCategory, ListingKind, OwnState } from "../../bindings";
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

export const ownStateKey: Record<OwnState, keyof typeof messages> = {
  unsent: "stateUnsent",
  active: "stateActive",
  withdrawn: "stateWithdrawn",
  expired: "stateExpired",
};

export const ownStateColor: Record<OwnState, string> = {
  unsent: "orange",
  active: "green",
  withdrawn: "default",
  expired: "default",
};

