export { default as BackupCard } from "./BackupCard";
export { default as RestoreDialog } from "./RestoreDialog";
export { default as RestoredNotice } from "./RestoredNotice";
export { messages } from "./messages";
