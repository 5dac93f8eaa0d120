export { default as ProfilePage } from "./ProfilePage";
export { ops } from "./ops";
