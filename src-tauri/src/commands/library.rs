//! The library's state: a document's status and what replaced it, what the last sync
//! changed, and the enterprise's bookmarks, private notes and ticked key conditions.

use yiqifu_core::catalog::{WhatsNew, WithdrawnDocument};
use yiqifu_core::library::{BookmarkedDocument, LibraryDocument, LibraryMark};

use super::{CmdResult, Shared};

/// A document as the library opens it: status today, what replaced it or what it replaces,
/// new or changed at the last sync, and the marks of `enterprise` (none without one).
#[tauri::command]
#[specta::specta]
pub async fn get_document_view(
    shell: Shared<'_>,
    enterprise: Option<String>,
    id: String,
) -> CmdResult<LibraryDocument> {
    Ok(match enterprise {
        Some(e) => shell.ws(&e)?.library_document(&id).await?,
        None => LibraryDocument {
            view: shell.app.document_view(&id).await?,
            bookmarked: false,
            note: None,
            checks: Vec::new(),
        },
    })
}

/// What the last sync that changed the library brought: new, changed and withdrawn.
#[tauri::command]
#[specta::specta]
pub async fn whats_new(shell: Shared<'_>) -> CmdResult<WhatsNew> {
    Ok(shell.app.whats_new().await?)
}

/// Every document the service withdrew, latest first.
#[tauri::command]
#[specta::specta]
pub async fn withdrawn_documents(shell: Shared<'_>) -> CmdResult<Vec<WithdrawnDocument>> {
    Ok(shell.app.withdrawn_documents().await?)
}

/// Bookmarks a document (`on`) or removes the bookmark.
#[tauri::command]
#[specta::specta]
pub async fn bookmark(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    on: bool,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.bookmark(&id, on).await?)
}

/// Writes the enterprise's private note on a document; an empty text deletes it.
#[tauri::command]
#[specta::specta]
pub async fn set_note(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    text: String,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.set_note(&id, &text).await?)
}

/// Ticks a key condition of a document off (`on`) or clears the tick.
#[tauri::command]
#[specta::specta]
pub async fn check_condition(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    condition_id: String,
    on: bool,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .check_condition(&id, &condition_id, on)
        .await?)
}

/// The documents the enterprise bookmarked or annotated, withdrawn ones included.
#[tauri::command]
#[specta::specta]
pub async fn bookmarks(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<Vec<BookmarkedDocument>> {
    Ok(shell.ws(&enterprise)?.bookmarks().await?)
}

/// Which of `ids` the enterprise bookmarked or annotated, for a list's marks.
#[tauri::command]
#[specta::specta]
pub async fn library_marks(
    shell: Shared<'_>,
    enterprise: String,
    ids: Vec<String>,
) -> CmdResult<Vec<LibraryMark>> {
    Ok(shell.ws(&enterprise)?.library_marks(&ids).await?)
}
