export { default as DocumentsPage } from "./DocumentsPage";
export { DocumentDrawer } from "./DocumentDrawer";
export { messages } from "./messages";
