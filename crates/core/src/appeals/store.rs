//! The appeal drafts' tables. Only this module touches them.

use serde_json::Value;
use sqlx::{Sqlite, Transaction};
use yiqifu_protocol::AppealCategory;

use super::view::{AppealDraftFields, AttachmentView};
use crate::error::Result;
use crate::store::Store;

type Tx = Transaction<'static, Sqlite>;

pub(super) struct DraftRow {
    pub id: String,
    pub fields: AppealDraftFields,
    pub updated_at: i64,
}

type Row = (String, Option<String>, String, String, String, String, i64);

fn category(s: Option<String>) -> Option<AppealCategory> {
    // A category this version does not know reads as none: the officer picks again.
    s.and_then(|s| serde_json::from_value(Value::String(s)).ok())
}

fn draft_row(r: Row) -> DraftRow {
    DraftRow {
        id: r.0,
        fields: AppealDraftFields {
            category: category(r.1),
            title: r.2,
            description: r.3,
            contact_name: r.4,
            contact_phone: r.5,
        },
        updated_at: r.6,
    }
}

const SELECT: &str =
    "SELECT id, category, title, description, contact_name, contact_phone, updated_at
                      FROM appeal_drafts";

/// Every draft, the last edited first.
pub(super) async fn drafts(store: &Store) -> Result<Vec<DraftRow>> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY updated_at DESC, id"))
        .fetch_all(store.pool())
        .await?;
    Ok(rows.into_iter().map(draft_row).collect())
}

pub(super) async fn draft(store: &Store, id: &str) -> Result<Option<DraftRow>> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = ?"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.map(draft_row))
}

/// Writes the draft's fields, inserting it if new; `false` when `must_exist` and it is gone.
pub(super) async fn put_draft(
    store: &Store,
    id: &str,
    f: &AppealDraftFields,
    now: i64,
    must_exist: bool,
) -> Result<bool> {
    let sql = if must_exist {
        "UPDATE appeal_drafts SET category = ?2, title = ?3, description = ?4, contact_name = ?5,
                contact_phone = ?6, updated_at = ?7 WHERE id = ?1"
    } else {
        "INSERT INTO appeal_drafts (id, category, title, description, contact_name, contact_phone,
                created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
    };
    let done = sqlx::query(sql)
        .bind(id)
        .bind(f.category.map(AppealCategory::as_str))
        .bind(&f.title)
        .bind(&f.description)
        .bind(&f.contact_name)
        .bind(&f.contact_phone)
        .bind(now)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes a draft and its files' rows (the stored copies stay for the uploads that use them).
pub(super) async fn delete_draft(tx: &mut Tx, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM appeal_drafts WHERE id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn files(store: &Store, draft: &str) -> Result<Vec<AttachmentView>> {
    type FileRow = (String, String, String, i64, String);
    let rows: Vec<FileRow> = sqlx::query_as(
        "SELECT id, filename, sha256, size, format FROM appeal_draft_files
         WHERE draft_id = ? ORDER BY added_seq, id",
    )
    .bind(draft)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AttachmentView {
            id: r.0,
            filename: r.1,
            sha256: r.2,
            size: u64::try_from(r.3).unwrap_or(0),
            format: r.4,
        })
        .collect())
}

pub(super) async fn insert_file(store: &Store, draft: &str, f: &AttachmentView) -> Result<()> {
    let mut tx = store.write().await?;
    let (seq,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(added_seq), 0) + 1 FROM appeal_draft_files WHERE draft_id = ?",
    )
    .bind(draft)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO appeal_draft_files (id, draft_id, filename, sha256, size, format, added_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&f.id)
    .bind(draft)
    .bind(&f.filename)
    .bind(&f.sha256)
    .bind(i64::try_from(f.size).unwrap_or(i64::MAX))
    .bind(&f.format)
    .bind(seq)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE appeal_drafts SET updated_at = ? WHERE id = ?")
        .bind(crate::outbox::now_unix())
        .bind(draft)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn delete_file(store: &Store, draft: &str, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM appeal_draft_files WHERE draft_id = ? AND id = ?")
        .bind(draft)
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}
