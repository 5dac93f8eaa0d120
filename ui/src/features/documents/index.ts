export { default as DocumentsPage, DocumentDrawer } from "./DocumentsPage";
export { messages } from "./messages";
