//! Supply and demand listings (供需对接).

use yiqifu_protocol::NewListing;

use super::{CmdResult, Shared};

/// Sends a parked listing again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_listing(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    listing: NewListing,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.revise_listing(&id, listing).await?)
}
