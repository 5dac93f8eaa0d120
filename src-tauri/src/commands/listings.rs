//! Supply and demand listings (供需对接).

use yiqifu_core::listings::{
    check_listing, china_today, ListingCard, ListingQuery, OwnListingView,
};
use yiqifu_protocol::{FieldProblem, NewListing};

use super::{CmdResult, Shared};

/// The market as last pulled (so offline too), filtered here.
#[tauri::command]
#[specta::specta]
pub async fn listings_browse(
    shell: Shared<'_>,
    enterprise: String,
    query: ListingQuery,
) -> CmdResult<Vec<ListingCard>> {
    Ok(shell.ws(&enterprise)?.browse_listings(&query).await?)
}

/// The enterprise's own listings with their state, what waits to be sent, and matches.
#[tauri::command]
#[specta::specta]
pub async fn listings_own(shell: Shared<'_>, enterprise: String) -> CmdResult<Vec<OwnListingView>> {
    Ok(shell.ws(&enterprise)?.own_listings().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn listing(shell: Shared<'_>, enterprise: String, key: String) -> CmdResult<ListingCard> {
    Ok(shell.ws(&enterprise)?.listing(&key).await?)
}

/// Queues a new listing; its key.
#[tauri::command]
#[specta::specta]
pub async fn listing_create(
    shell: Shared<'_>,
    enterprise: String,
    listing: NewListing,
) -> CmdResult<String> {
    Ok(shell.ws(&enterprise)?.create_listing(listing).await?)
}

/// Queues an edit of one of the enterprise's listings (its kind stays).
#[tauri::command]
#[specta::specta]
pub async fn listing_update(
    shell: Shared<'_>,
    enterprise: String,
    key: String,
    listing: NewListing,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.update_listing(&key, listing).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn listing_withdraw(shell: Shared<'_>, enterprise: String, key: String) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.withdraw_listing(&key).await?)
}

/// What the service would refuse in a listing today, field by field: the form's errors
/// before anything is queued.
#[tauri::command]
#[specta::specta]
pub fn listing_check(listing: NewListing) -> Vec<FieldProblem> {
    check_listing(&listing, china_today())
}

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

/// Sends a parked edit of a listing again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_listing_update(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    listing: NewListing,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .revise_listing_update(&id, listing)
        .await?)
}
