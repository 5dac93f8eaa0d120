//! The feedback inbox (反馈汇总).

use yiqifu_core::inbox::InboxTarget;
use yiqifu_protocol::InboxEntry;

use super::{CmdResult, Shared};

/// What the authorities sent the enterprise, newest first, as last synced.
#[tauri::command]
#[specta::specta]
pub async fn inbox_entries(shell: Shared<'_>, enterprise: String) -> CmdResult<Vec<InboxEntry>> {
    Ok(shell.ws(&enterprise)?.inbox_entries().await?)
}

/// Marks one entry read (here at once; on the service when the mark is sent).
#[tauri::command]
#[specta::specta]
pub async fn inbox_mark_read(
    shell: Shared<'_>,
    enterprise: String,
    entry_id: String,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.mark_inbox_read(&entry_id).await?)
}

/// Marks every unread entry read; how many were.
#[tauri::command]
#[specta::specta]
pub async fn inbox_mark_all_read(shell: Shared<'_>, enterprise: String) -> CmdResult<u32> {
    Ok(shell.ws(&enterprise)?.mark_inbox_all_read().await?)
}

/// Where an entry leads: its application, appeal or listing, or nowhere on this computer.
#[tauri::command]
#[specta::specta]
pub async fn inbox_target(
    shell: Shared<'_>,
    enterprise: String,
    entry_id: String,
) -> CmdResult<InboxTarget> {
    Ok(shell.ws(&enterprise)?.inbox_target(&entry_id).await?)
}
