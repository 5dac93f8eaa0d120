import type { AppealCategory, AppealStage, AppealState, Delivery } from "../../bindings";
import type { messages } from "./messages";

export const appealCategoryKey: Record<AppealCategory, keyof typeof messages> = {
  financing: "appealFinancing",
  prevention_supplies: "appealPreventionSupplies",
  logistics: "appealLogistics",
  staffing: "appealStaffing",
  supply_chain: "appealSupplyChain",
  other: "appealOther",
};

export const stageKey: Record<AppealStage, keyof typeof messages> = {
  unsent: "stageUnsent",
  submitted: "stageSubmitted",
  accepted: "stageAccepted",
  assigned: "stageAssigned",
  replied: "stageReplied",
  closed: "stageClosed",
};

export const stageColor: Record<AppealStage, string> = {
  unsent: "default",
  submitted: "blue",
  accepted: "cyan",
  assigned: "geekblue",
  replied: "green",
  closed: "default",
};

export const appealStates: AppealState[] = ["submitted", "accepted", "assigned", "replied", "closed"];

export const deliveryKey: Record<Delivery, keyof typeof messages> = {
  queued: "deliveryQueued",
  parked: "deliveryParked",
  delivered: "deliveryDelivered",
};

