//! The feedback inbox (反馈汇总).

use yiqifu_protocol::InboxEntry;

use super::{CmdResult, Shared};

/// What the authorities sent the enterprise, newest first, as last synced.
#[tauri::command]
#[specta::specta]
pub async fn inbox_entries(shell: Shared<'_>, enterprise: String) -> CmdResult<Vec<InboxEntry>> {
    Ok(shell.ws(&enterprise)?.inbox_entries().await?)
}
