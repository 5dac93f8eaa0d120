//! A document as the library opens it: with its status today, what replaced it or what it
//! replaces, and whether the last sync brought it new or changed.

use serde::Serialize;
use specta::Type;
use yiqifu_protocol::Document;

use super::changes::{ChangeKind, IS_NEW_SQL};
use super::status::{document_status, DocStatus};
use super::DocumentSummary;
use crate::error::Result;
use crate::store::Store;

/// Another document of the catalog, by id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DocumentRef {
    pub id: String,
    pub title: String,
    pub effective_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DocumentView {
    pub document: Document,
    pub status: DocStatus,
    /// The document that replaces this one (the earliest to take effect, if several do),
    /// when the catalog has it; it may not have taken effect yet (see `status`).
    pub superseded_by: Option<DocumentRef>,
    /// The document `document.supersedes` names, when the catalog still has it.
    pub supersedes: Option<DocumentRef>,
    /// New or changed at the last sync that changed the library.
    pub change: Option<ChangeKind>,
}

/// The document `id` as the library shows it on `today` (China's date, `YYYY-MM-DD`).
pub async fn view(store: &Store, id: &str, today: &str) -> Result<DocumentView> {
    let document = super::get(store, id).await?;
    let superseded_by: Option<(String, String, String)> = sqlx::query_as(
        "SELECT id, title, effective_on FROM documents WHERE supersedes = ? AND id <> ?
         ORDER BY effective_on, id LIMIT 1",
    )
    .bind(id)
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    let supersedes: Option<(String, String, String)> = match &document.supersedes {
        Some(old) => {
            sqlx::query_as("SELECT id, title, effective_on FROM documents WHERE id = ?")
                .bind(old)
                .fetch_optional(store.pool())
                .await?
        }
        None => None,
    };
    let change: Option<(Option<String>,)> = sqlx::query_as(&format!(
        "SELECT CASE WHEN {IS_NEW_SQL} THEN d.change_kind END FROM documents d WHERE d.id = ?"
    ))
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    let change = change.and_then(|(c,)| c);
    let to_ref = |(id, title, effective_on)| DocumentRef {
        id,
        title,
        effective_on,
    };
    let superseded_by = superseded_by.map(to_ref);
    let status = document_status(
        &document.effective_on,
        document.expires_on.as_deref(),
        superseded_by.as_ref().map(|s| s.effective_on.as_str()),
        today,
    );
    Ok(DocumentView {
        document,
        status,
        superseded_by,
        supersedes: supersedes.map(to_ref),
        change: change.as_deref().and_then(ChangeKind::parse),
    })
}

/// The status of every document today, by id: the Rust rule for each, for callers holding
/// a list (and for the tests that hold the SQL to the same answers).
pub async fn statuses(store: &Store, today: &str) -> Result<Vec<(String, DocStatus)>> {
    let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT d.id, d.effective_on, d.expires_on,
                (SELECT MIN(s.effective_on) FROM documents s
                 WHERE s.supersedes = d.id AND s.id <> d.id)
         FROM documents d ORDER BY d.id",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, eff, exp, succ)| {
            let s = document_status(&eff, exp.as_deref(), succ.as_deref(), today);
            (id, s)
        })
        .collect())
}

/// The summaries and statuses today of the documents among `ids` the catalog has.
pub async fn summaries_of(
    store: &Store,
    ids: &[&str],
    today: &str,
) -> Result<Vec<(DocumentSummary, DocStatus)>> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "SELECT d.id, d.kind, d.title, d.level, d.district, d.issuer, d.doc_number,
                    d.published_on, d.summary, d.tags, d.effective_on, d.expires_on,
                    (SELECT MIN(s.effective_on) FROM documents s
                     WHERE s.supersedes = d.id AND s.id <> d.id)
             FROM documents d WHERE d.id IN ({marks})"
        );
        let mut q = sqlx::query_as::<_, Row>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(store.pool()).await? {
            let status = document_status(&r.10, r.11.as_deref(), r.12.as_deref(), today);
            let summary =
                DocumentSummary::from_columns((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9))?;
            out.push((summary, status));
        }
    }
    Ok(out)
}
