//! The enterprises on this computer: switching, signing out, removing.

use yiqifu_core::RemovalPreview;

use super::{CmdResult, Shared};

/// Puts another enterprise on screen.
#[tauri::command]
#[specta::specta]
pub async fn switch_enterprise(shell: Shared<'_>, enterprise: String) -> CmdResult<()> {
    Ok(shell.app.switch_to(&enterprise).await?)
}

/// Signs an enterprise out; its work stays here, not sent, until it signs in again.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(shell: Shared<'_>, enterprise: String) -> CmdResult<()> {
    Ok(shell.app.sign_out_of(&enterprise).await?)
}

/// What removing an enterprise from this computer would lose, to ask first.
#[tauri::command]
#[specta::specta]
pub async fn removal_preview(shell: Shared<'_>, enterprise: String) -> CmdResult<RemovalPreview> {
    Ok(shell.app.removal_preview(&enterprise).await?)
}

/// Removes an enterprise and all its local work from this computer.
#[tauri::command]
#[specta::specta]
pub async fn remove_enterprise(shell: Shared<'_>, enterprise: String) -> CmdResult<()> {
    Ok(shell.app.remove_workspace(&enterprise).await?)
}
