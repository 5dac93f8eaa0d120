//! The resume-work application (复工意向).

use yiqifu_protocol::NewApplication;

use super::{CmdResult, Shared};

/// Sends a parked application again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_application(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    application: NewApplication,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .revise_application(&id, application)
        .await?)
}
