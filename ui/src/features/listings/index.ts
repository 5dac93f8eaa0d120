export { default as ListingsPage } from "./ListingsPage";
export { ops } from "./ops";
