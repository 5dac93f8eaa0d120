//! The library's own tables in the enterprise's database: bookmarks and notes. Only this
//! module touches them.

use super::{LibraryMark, Note};
use crate::error::Result;
use crate::outbox::now_unix;
use crate::store::Store;

/// A marked document: bookmarked, annotated, or both.
pub(super) struct Mark {
    pub id: String,
    pub bookmarked: bool,
    pub marked_at: i64,
    pub note: Option<Note>,
}

pub(super) async fn add_bookmark(store: &Store, id: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("INSERT OR IGNORE INTO library_bookmarks (document_id, created_at) VALUES (?, ?)")
        .bind(id)
        .bind(now_unix())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn remove_bookmark(store: &Store, id: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM library_bookmarks WHERE document_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn is_bookmarked(store: &Store, id: &str) -> Result<bool> {
    let (b,): (bool,) =
        sqlx::query_as("SELECT EXISTS (SELECT 1 FROM library_bookmarks WHERE document_id = ?)")
            .bind(id)
            .fetch_one(store.pool())
            .await?;
    Ok(b)
}

pub(super) async fn put_note(store: &Store, id: &str, text: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO library_notes (document_id, text, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (document_id) DO UPDATE SET text = excluded.text,
             updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(text)
    .bind(now_unix())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn delete_note(store: &Store, id: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM library_notes WHERE document_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn note(store: &Store, id: &str) -> Result<Option<Note>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT text, updated_at FROM library_notes WHERE document_id = ?")
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
    Ok(row.map(|(text, updated_at)| Note { text, updated_at }))
}

/// A marked document's row: id, bookmarked, when marked, note text, note time.
type MarkRow = (String, bool, i64, Option<String>, Option<i64>);

/// Every marked document, most recently marked first.
pub(super) async fn all(store: &Store) -> Result<Vec<Mark>> {
    let rows: Vec<MarkRow> = sqlx::query_as(
        "SELECT m.id, b.document_id IS NOT NULL, COALESCE(b.created_at, n.updated_at),
                n.text, n.updated_at
         FROM (SELECT document_id AS id FROM library_bookmarks
               UNION SELECT document_id FROM library_notes) m
         LEFT JOIN library_bookmarks b ON b.document_id = m.id
         LEFT JOIN library_notes n ON n.document_id = m.id
         ORDER BY 3 DESC, m.id",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, bookmarked, marked_at, text, updated)| Mark {
            id,
            bookmarked,
            marked_at,
            note: text
                .zip(updated)
                .map(|(text, updated_at)| Note { text, updated_at }),
        })
        .collect())
}

/// The marks of the documents among `ids` that have one.
pub(super) async fn marks_of(store: &Store, ids: &[String]) -> Result<Vec<LibraryMark>> {
    let mut out = Vec::new();
    // Within SQLite's default limit of bound parameters per statement.
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "SELECT m.id,
                    EXISTS (SELECT 1 FROM library_bookmarks b WHERE b.document_id = m.id),
                    EXISTS (SELECT 1 FROM library_notes n WHERE n.document_id = m.id)
             FROM (SELECT document_id AS id FROM library_bookmarks WHERE document_id IN ({marks})
                   UNION SELECT document_id FROM library_notes WHERE document_id IN ({marks})) m
             ORDER BY m.id"
        );
        let mut q = sqlx::query_as::<_, (String, bool, bool)>(&sql);
        for _ in 0..2 {
            for id in chunk {
                q = q.bind(id);
            }
        }
        for (id, bookmarked, has_note) in q.fetch_all(store.pool()).await? {
            out.push(LibraryMark {
                id,
                bookmarked,
                has_note,
            });
        }
    }
    Ok(out)
}

/// Ticks key condition `condition_id` of document `id` off, as worded now (`text`); ticking
/// it again after a rewording takes the new wording and time.
pub(super) async fn put_check(
    store: &Store,
    id: &str,
    condition_id: &str,
    text: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO library_checks (document_id, condition_id, text, checked_at)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (document_id, condition_id) DO UPDATE SET text = excluded.text,
             checked_at = excluded.checked_at",
    )
    .bind(id)
    .bind(condition_id)
    .bind(text)
    .bind(now_unix())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn delete_check(store: &Store, id: &str, condition_id: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM library_checks WHERE document_id = ? AND condition_id = ?")
        .bind(id)
        .bind(condition_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The ticks on document `id`: condition id, its text when ticked, when.
pub(super) async fn checks(store: &Store, id: &str) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT condition_id, text, checked_at FROM library_checks WHERE document_id = ?
         ORDER BY condition_id",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await?)
}
