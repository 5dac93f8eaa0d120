import type { AppealCategory } from "../../bindings";
import type { messages } from "./messages";

export const appealCategoryKey: Record<AppealCategory, keyof typeof messages> = {
  financing: "appealFinancing",
  prevention_supplies: "appealPreventionSupplies",
  logistics: "appealLogistics",
  staffing: "appealStaffing",
  supply_chain: "appealSupplyChain",
  other: "appealOther",
};
