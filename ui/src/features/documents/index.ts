export { default as DocumentsPage } from "./DocumentsPage";
export { messages } from "./messages";
