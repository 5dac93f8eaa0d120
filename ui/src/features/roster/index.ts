export { default as RosterPage } from "./RosterPage";
export { messages } from "./messages";
