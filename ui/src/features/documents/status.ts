import type { DocStatus } from "../../bindings";
import type { TagColour } from "./labels";
import type { messages } from "./messages";

export const statusKey: Record<DocStatus, keyof typeof messages> = {
  in_force: "statusInForce",
  not_yet: "statusNotYet",
  expired: "statusExpired",
  superseded: "statusSuperseded",
};

export const statusColor: Record<DocStatus, TagColour> = {
  in_force: "green",
  not_yet: "gold",
  expired: "default",
  superseded: "default",
};
