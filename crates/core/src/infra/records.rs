//! The records table of a workspace: what the officer created (appeals, listings,
//! applications), with the service's latest answer once it came. Only this module touches it.

use serde::Serialize;
use serde_json::Value;
use specta::Type;
use sqlx::{Sqlite, Transaction};

use crate::error::{Error, Result};
use crate::outbox::{new_local_id, now_unix};
use crate::store::Store;

/// Where something sent from here (an application, an appeal, a listing) stands on this
/// side of the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Its files or its requests wait to be sent.
    Queued,
    /// The service refused something for good: see 需处理.
    Parked,
    /// The service has it.
    Delivered,
}

/// A record the officer created here, with the service's answer once it came.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct LocalRecord {
    pub local_id: String,
    pub kind: String,
    /// What the officer wrote, as JSON text.
    pub draft: String,
    pub server_id: Option<String>,
    /// The service's latest answer, as JSON text.
    pub server_body: Option<String>,
    /// Requests of this record still queued or parked.
    pub pending: u32,
}

/// Writes a new record inside the caller's transaction; returns its local id.
pub async fn create(
    tx: &mut Transaction<'static, Sqlite>,
    kind: &str,
    draft: &Value,
) -> Result<String> {
    let local_id = new_local_id(kind);
    sqlx::query(
        "INSERT INTO records (local_id, kind, draft, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&local_id)
    .bind(kind)
    .bind(serde_json::to_string(draft)?)
    .bind(now_unix())
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(local_id)
}

/// What the officer corrected, for a record the service has not got yet.
pub async fn update_draft(
    tx: &mut Transaction<'static, Sqlite>,
    local_id: &str,
    draft: &Value,
) -> Result<()> {
    sqlx::query(
        "UPDATE records SET draft = ?, updated_at = ? WHERE local_id = ? AND server_id IS NULL",
    )
    .bind(serde_json::to_string(draft)?)
    .bind(now_unix())
    .bind(local_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Drops a record the service never got; `false` when it had got it (it stays).
pub async fn delete_unsent(tx: &mut Transaction<'static, Sqlite>, local_id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM records WHERE local_id = ? AND server_id IS NULL")
        .bind(local_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Keeps the service's answer to a request of the record.
pub async fn apply_answer(
    tx: &mut Transaction<'static, Sqlite>,
    local_id: &str,
    answer: &Value,
) -> Result<()> {
    let server_id = answer.get("id").and_then(Value::as_str);
    sqlx::query(
        "UPDATE records SET server_id = COALESCE(server_id, ?), server_body = ?, updated_at = ?
         WHERE local_id = ?",
    )
    .bind(server_id)
    .bind(serde_json::to_string(answer)?)
    .bind(now_unix())
    .bind(local_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The service's id of a record, once the service has it.
pub async fn server_id(store: &Store, local_id: &str) -> Result<String> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT server_id FROM records WHERE local_id = ?")
            .bind(local_id)
            .fetch_optional(store.pool())
            .await?;
    match row {
        Some((Some(id),)) => Ok(id),
        _ => Err(Error::NotFound(local_id.into())),
    }
}

pub async fn get(store: &Store, local_id: &str) -> Result<LocalRecord> {
    query(store, None, Some(local_id))
        .await?
        .pop()
        .ok_or_else(|| Error::NotFound(local_id.into()))
}

pub async fn list(store: &Store, kind: Option<&str>) -> Result<Vec<LocalRecord>> {
    query(store, kind, None).await
}

async fn query(
    store: &Store,
    kind: Option<&str>,
    local_id: Option<&str>,
) -> Result<Vec<LocalRecord>> {
    type Row = (String, String, String, Option<String>, Option<String>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.local_id, r.kind, r.draft, r.server_id, r.server_body,
                (SELECT COUNT(*) FROM outbox o WHERE o.record_id = r.local_id)
         FROM records r WHERE (?1 IS NULL OR r.kind = ?1) AND (?2 IS NULL OR r.local_id = ?2)
         ORDER BY r.created_at, r.local_id",
    )
    .bind(kind)
    .bind(local_id)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LocalRecord {
            local_id: r.0,
            kind: r.1,
            draft: r.2,
            server_id: r.3,
            server_body: r.4,
            pending: u32::try_from(r.5).unwrap_or(u32::MAX),
        })
        .collect())
}

/// When each record of `kind` was created here (unix seconds), by local id.
pub async fn created_times(store: &Store, kind: &str) -> Result<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT local_id, created_at FROM records WHERE kind = ?")
            .bind(kind)
            .fetch_all(store.pool())
            .await?,
    )
}
