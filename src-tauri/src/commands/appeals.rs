//! Appeals (诉求).

use yiqifu_protocol::NewAppeal;

use super::{CmdResult, Shared};

/// Sends a parked appeal again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_appeal(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    appeal: NewAppeal,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.revise_appeal(&id, appeal).await?)
}

/// Sends a parked appeal message again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_message(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    body: String,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.revise_message(&id, &body).await?)
}
