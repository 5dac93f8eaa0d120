//! The shared catalog: policies and guidance.

use yiqifu_core::catalog::{DocumentQuery, DocumentSummary};
use yiqifu_protocol::Document;

use super::{CmdResult, Shared};

#[tauri::command]
#[specta::specta]
pub async fn list_documents(
    shell: Shared<'_>,
    query: DocumentQuery,
) -> CmdResult<Vec<DocumentSummary>> {
    Ok(shell.app.documents(&query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_document(shell: Shared<'_>, id: String) -> CmdResult<Document> {
    Ok(shell.app.document(&id).await?)
}
