export { default as AppealsPage } from "./AppealsPage";
export { ops } from "./ops";
