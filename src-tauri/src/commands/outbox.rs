//! An enterprise's queue: what the service refused for good, retried or discarded.

use yiqifu_core::outbox::ParkedItem;

use super::{CmdResult, Shared};

/// Items the service refused for good, with the reason, for the status area.
#[tauri::command]
#[specta::specta]
pub async fn parked_items(shell: Shared<'_>, enterprise: String) -> CmdResult<Vec<ParkedItem>> {
    Ok(shell.ws(&enterprise)?.parked_items().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn retry_item(shell: Shared<'_>, enterprise: String, id: String) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.retry_item(&id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn discard_item(shell: Shared<'_>, enterprise: String, id: String) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.discard_item(&id).await?)
}
