//! 反馈汇总: everything the authorities sent an enterprise, as one feed with read marks.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::db::Conn;
use yiqifu_protocol::{FeedPage, InboxEntry, InboxKind};

use crate::auth::Enterprise;
use crate::catalog::{check_limit, conditional, decode_cursor, encode_cursor, etag, FeedQuery};
use crate::db::{new_id, now_rfc3339};
use crate::error::{Error, Result};
use crate::extract::ApiQuery;
use crate::AppState;

async fn next_seq(conn: &mut Conn, owner: &str) -> Result<i64> {
    let (s,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM inbox WHERE owner = $1")
            .bind(owner)
            .fetch_one(conn)
            .await?;
    Ok(s)
}

fn inbox_feed(owner: &str) -> String {
    crate::catalog::owner_feed("inbox", owner)
}

/// Adds an entry to an enterprise's inbox, inside the caller's transaction.
pub async fn push(
    conn: &mut Conn,
    owner: &str,
    kind: InboxKind,
    title: String,
    body: String,
    (ref_type, ref_id): (&str, &str),
) -> Result<()> {
    send(
        conn,
        owner,
        Notice {
            kind,
            title,
            body,
            about: (ref_type, ref_id),
            related_id: None,
            at: now_rfc3339(),
        },
    )
    .await
}

/// An inbox entry to send: what it says, the record it is about, and when.
pub struct Notice<'a> {
    pub kind: InboxKind,
    pub title: String,
    pub body: String,
    /// `(ref_type, ref_id)`: the record the entry opens.
    pub about: (&'a str, &'a str),
    /// A second record it concerns (for a match, the recipient's own listing).
    pub related_id: Option<String>,
    /// RFC 3339; the seed dates its entries in the past.
    pub at: String,
}

/// Adds an entry to an enterprise's inbox, inside the caller's transaction.
pub async fn send(conn: &mut Conn, owner: &str, n: Notice<'_>) -> Result<()> {
    let entry = InboxEntry {
        id: new_id("msg"),
        kind: n.kind,
        title: n.title,
        body: n.body,
        ref_type: n.about.0.into(),
        ref_id: n.about.1.into(),
        created_at: n.at,
        read: false,
        related_id: n.related_id,
    };
    let seq = next_seq(conn, owner).await?;
    sqlx::query("INSERT INTO inbox (id, owner, seq, read, body) VALUES ($1, $2, $3, 0, $4)")
        .bind(&entry.id)
        .bind(owner)
        .bind(seq)
        .bind(serde_json::to_string(&entry)?)
        .execute(conn)
        .await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/inbox", tag = "inbox", security(("bearer" = [])),
    params(FeedQuery),
    responses((status = 200, description = "Entries new or changed since the cursor", body = FeedPage<InboxEntry>),
              (status = 304, description = "Unchanged since the If-None-Match ETag"),
              (status = 400, description = "Bad cursor", body = yiqifu_protocol::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    who: Enterprise,
    headers: axum::http::HeaderMap,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<axum::response::Response> {
    let limit = check_limit(q.limit)?;
    let mut conn = state.db.acquire().await?;
    let head = next_seq(&mut conn, &who.credit_code).await? - 1;
    let after = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => decode_cursor(c, head)?,
    };
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT seq, read, body FROM inbox WHERE owner = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(&who.credit_code)
    .bind(after)
    .bind(i64::from(limit) + 1)
    .fetch_all(&mut *conn)
    .await?;
    let has_more = rows.len() > limit as usize;
    let mut items = Vec::new();
    let mut last = after;
    for (seq, read, body) in rows.into_iter().take(limit as usize) {
        let mut e: InboxEntry = serde_json::from_str(&body)?;
        e.read = read == 1;
        items.push(e);
        last = seq;
    }
    let page = FeedPage {
        items,
        removed: vec![],
        next_cursor: encode_cursor(last),
        has_more,
    };
    Ok(conditional(
        &headers,
        etag(&inbox_feed(&who.credit_code), head),
        page,
        head,
    ))
}

/// Marks an entry read; it moves to the head of the feed so other devices see the mark.
#[utoipa::path(post, path = "/api/v1/inbox/{id}/read", tag = "inbox", security(("bearer" = [])),
    params(("id" = String, Path, description = "Entry id")),
    responses((status = 204, description = "Marked read"), (status = 404, description = "No such entry", body = yiqifu_protocol::ApiError)))]
pub async fn mark_read(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let mut tx = crate::db::begin_write(&state.db).await?;
    let seq = next_seq(&mut tx, &who.credit_code).await?;
    let done = sqlx::query(
        "UPDATE inbox SET read = 1, seq = $1 WHERE id = $2 AND owner = $3 AND read = 0",
    )
    .bind(seq)
    .bind(&id)
    .bind(&who.credit_code)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        let (exists,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM inbox WHERE id = $1 AND owner = $2")
                .bind(&id)
                .bind(&who.credit_code)
                .fetch_one(&mut *tx)
                .await?;
        if exists == 0 {
            return Err(Error::not_found());
        }
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
