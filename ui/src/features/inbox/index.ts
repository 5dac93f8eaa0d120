export { default as InboxPage } from "./InboxPage";
export { default as InboxWatcher } from "./InboxWatcher";
export { ops } from "./ops";
