//! The shared catalog: searching policies and guidance.

use yiqifu_core::catalog::search::{Applicability, Facets, SearchPage, SearchQuery};
use yiqifu_protocol::Document;

use super::{CmdResult, Shared};

/// One page of the library for `query`, ranked or by date, with snippets.
#[tauri::command]
#[specta::specta]
pub async fn search_documents(shell: Shared<'_>, query: SearchQuery) -> CmdResult<SearchPage> {
    Ok(shell.app.search_documents(&query).await?)
}

/// The districts, issuers and industries the filters offer.
#[tauri::command]
#[specta::specta]
pub async fn document_facets(shell: Shared<'_>) -> CmdResult<Facets> {
    Ok(yiqifu_core::catalog::search::facets(shell.app.store()).await?)
}

/// What 适用本企业 means for `enterprise`: its district and industry.
#[tauri::command]
#[specta::specta]
pub async fn library_applicability(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<Applicability> {
    let ws = shell.ws(&enterprise)?;
    Ok(yiqifu_core::catalog::search::applicability(&ws).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_document(shell: Shared<'_>, id: String) -> CmdResult<Document> {
    Ok(shell.app.document(&id).await?)
}

/// The self-check items that cite document `id`.
#[tauri::command]
#[specta::specta]
pub async fn document_citations(
    shell: Shared<'_>,
    id: String,
) -> CmdResult<Vec<yiqifu_core::catalog::citations::CitingItem>> {
    Ok(yiqifu_core::catalog::citations::citing_items(shell.app.store(), &id).await?)
}
