use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use sqlx::SqliteConnection;
use yiqifu_protocol::{Document, DocumentPage, ErrorCode};

use crate::auth::Enterprise;
use crate::error::{Error, Result};
use crate::extract::ApiQuery;
use crate::AppState;

pub const DEFAULT_PAGE: u32 = 100;
pub const MAX_PAGE: u32 = 500;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// The `next_cursor` of the previous page; absent to start from the beginning.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
    pub limit: Option<u32>,
}

const CURSOR_PREFIX: &str = "d1.";

pub fn encode_cursor(seq: i64) -> String {
    format!("{CURSOR_PREFIX}{seq}")
}

fn decode_cursor(cursor: &str, head: i64) -> Result<i64> {
    let invalid = || {
        Error::api(
            StatusCode::BAD_REQUEST,
            ErrorCode::CursorInvalid,
            "同步游标无效，请完整重新同步 / this cursor was not issued by this service; resync from the start",
        )
    };
    let seq: i64 = cursor
        .strip_prefix(CURSOR_PREFIX)
        .and_then(|s| s.parse().ok())
        .ok_or_else(invalid)?;
    // A cursor beyond the head was never issued here (another service, or a reset database).
    if seq < 0 || seq > head {
        return Err(invalid());
    }
    Ok(seq)
}

#[utoipa::path(
    get, path = "/api/v1/catalog/documents", tag = "catalog",
    params(FeedQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the change feed", body = DocumentPage),
        (status = 400, description = "Bad cursor or limit", body = yiqifu_protocol::ApiError),
        (status = 401, description = "Not signed in", body = yiqifu_protocol::ApiError),
    )
)]
pub async fn documents(
    State(state): State<AppState>,
    _who: Enterprise,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<Json<DocumentPage>> {
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::bad_request(format!(
            "limit 应在 1 到 {MAX_PAGE} 之间 / limit must be between 1 and {MAX_PAGE}"
        )));
    }
    let mut conn = state.db.acquire().await?;
    let head = head_seq(&mut conn).await?;
    let after = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => decode_cursor(c, head)?,
    };
    let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT id, seq, withdrawn, body FROM documents WHERE seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(after)
    .bind(i64::from(limit) + 1)
    .fetch_all(&mut *conn)
    .await?;
    let has_more = rows.len() > limit as usize;
    let mut items = Vec::new();
    let mut removed = Vec::new();
    let mut last = after;
    for (id, seq, withdrawn, body) in rows.into_iter().take(limit as usize) {
        last = seq;
        if withdrawn == 1 {
            removed.push(id);
        } else {
            items.push(serde_json::from_str::<Document>(&body)?);
        }
    }
    Ok(Json(DocumentPage {
        items,
        removed,
        next_cursor: encode_cursor(last),
        has_more,
    }))
}

pub async fn head_seq(conn: &mut SqliteConnection) -> Result<i64> {
    let (head,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM documents")
        .fetch_one(conn)
        .await?;
    Ok(head)
}

/// Publishes (or replaces) a document as the newest change of the feed.
pub async fn publish(conn: &mut SqliteConnection, doc: &Document) -> Result<()> {
    let seq = head_seq(conn).await? + 1;
    sqlx::query(
        "INSERT INTO documents (id, seq, withdrawn, body) VALUES (?, ?, 0, ?)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, withdrawn = 0, body = excluded.body",
    )
    .bind(&doc.id)
    .bind(seq)
    .bind(serde_json::to_string(doc)?)
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws a document: it stays as a tombstone so clients that saw it delete their copy.
pub async fn withdraw(conn: &mut SqliteConnection, id: &str) -> Result<bool> {
    let seq = head_seq(conn).await? + 1;
    let done = sqlx::query(
        "UPDATE documents SET seq = ?, withdrawn = 1, body = '{}' WHERE id = ? AND withdrawn = 0",
    )
    .bind(seq)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
