//! The shared catalog: searching policies and guidance.

use yiqifu_core::catalog::search::{Applicability, Facets, FirstResults, SearchPage, SearchQuery};
use yiqifu_protocol::{Document, DocumentKind};

use super::{CmdResult, Shared};
use crate::first_results::Opening;

/// One page of the library for `query`, ranked or by date, with snippets.
#[tauri::command]
#[specta::specta]
pub async fn search_documents(shell: Shared<'_>, query: SearchQuery) -> CmdResult<SearchPage> {
    Ok(shell.app.search_documents(&query).await?)
}

/// The library's first results as a page of `kind` opens for `enterprise` (or none): the
/// enterprise's applicability and the first page of its own documents, in one call. Begun as
/// the app started, they are ready when the first page asks.
#[tauri::command]
#[specta::specta]
pub async fn first_results(
    shell: Shared<'_>,
    enterprise: Option<String>,
    kind: DocumentKind,
) -> CmdResult<FirstResults> {
    let opening = Opening {
        enterprise: enterprise.clone(),
        kind,
        document_count: shell.app.document_count(),
    };
    if let Some(begun) = shell.first_results.take(&opening) {
        match begun.await {
            Ok(Ok(results)) => return Ok(results),
            // Asked again below, where a failure is the page's to report.
            Ok(Err(e)) => tracing::warn!(code = e.code(), error = %e, "first results begun failed"),
            Err(e) => tracing::warn!(error = %e, "first results begun did not finish"),
        }
    }
    let ws = enterprise.map(|e| shell.ws(&e)).transpose()?;
    Ok(shell.app.library_first_results(ws.as_deref(), kind).await?)
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

#[cfg(test)]
mod tests {
    use yiqifu_core::catalog::search::{opening_query, Applicability};
    use yiqifu_protocol::DocumentKind;

    #[derive(serde::Deserialize)]
    struct Cases {
        cases: Vec<Case>,
    }

    #[derive(serde::Deserialize)]
    struct Case {
        kind: DocumentKind,
        applies_to: Option<Applicability>,
        query: serde_json::Value,
    }

    /// The first results begun before the page asks are the page's own first search only if
    /// both build one query: the UI's test holds it to the same cases.
    #[test]
    fn the_opening_query_is_the_one_the_ui_builds() {
        let cases: Cases = serde_json::from_str(include_str!(
            "../../../ui/src/features/documents/opening-queries.json"
        ))
        .unwrap();
        assert_eq!(cases.cases.len(), 2);
        for case in cases.cases {
            let built = serde_json::to_value(opening_query(case.kind, case.applies_to)).unwrap();
            assert_eq!(built, case.query, "{:?}", case.kind);
        }
    }
}
