export { default as ApplicationPage } from "./ApplicationPage";
export { default as ApplicationWatcher } from "./ApplicationWatcher";
export { ops } from "./ops";
