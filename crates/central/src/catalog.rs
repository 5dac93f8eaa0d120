//! The catalog's change feeds: documents, self-check templates, material rules, the
//! working-day calendar and the attachment rules; and the paging every feed shares.

use crate::db::Conn;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use yiqifu_protocol::calendar::official_years;
use yiqifu_protocol::{
    CalendarYear, Document, ErrorCode, FeedPage, MaterialRule, SelfCheckTemplate, WorkCalendar,
};

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::extract::ApiQuery;
use crate::AppState;

pub const DOCUMENTS: &str = "documents";
pub const TEMPLATES: &str = "templates";
pub const MATERIAL_RULES: &str = "material_rules";
/// The working-day calendar, one entry per year.
pub const CALENDAR: &str = "calendar";
/// Rules of files that are not application materials (appeal attachments): apart, so the
/// application's material list stays what the application needs.
pub const ATTACHMENT_RULES: &str = "attachment_rules";

pub const DEFAULT_PAGE: u32 = 100;
pub const MAX_PAGE: u32 = 500;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// The `next_cursor` of the previous page; absent to start from the beginning.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

const CURSOR_PREFIX: &str = "c1.";

pub fn encode_cursor(seq: i64) -> String {
    format!("{CURSOR_PREFIX}{seq}")
}

fn cursor_invalid() -> Error {
    Error::api(
        StatusCode::BAD_REQUEST,
        ErrorCode::CursorInvalid,
        "同步游标无效，请完整重新同步 / this cursor was not issued by this service: resync from the start",
    )
}

/// Parses a cursor: the seq it stands for, which must not be beyond `head`.
pub fn decode_cursor(cursor: &str, head: i64) -> Result<i64> {
    let seq: i64 = cursor
        .strip_prefix(CURSOR_PREFIX)
        .and_then(|s| s.parse().ok())
        .ok_or_else(cursor_invalid)?;
    if seq < 0 || seq > head {
        return Err(cursor_invalid());
    }
    Ok(seq)
}

pub fn check_limit(limit: Option<u32>) -> Result<u32> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::bad_request(format!(
            "limit 应在 1 到 {MAX_PAGE} 之间 / limit must be between 1 and {MAX_PAGE}"
        )));
    }
    Ok(limit)
}

pub async fn head_seq(conn: &mut Conn, collection: &str) -> Result<i64> {
    let (last, horizon) = bounds(conn, collection).await?;
    Ok(last.max(horizon))
}

/// A feed's last seq and its compaction horizon, in one query.
async fn bounds(conn: &mut Conn, collection: &str) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT COALESCE((SELECT MAX(seq) FROM catalog WHERE collection = $1), 0),
                COALESCE((SELECT seq FROM feed_horizon WHERE collection = $1), 0)",
    )
    .bind(collection)
    .fetch_one(conn)
    .await?)
}

/// The name of one caller's view of a feed, for its ETag: two callers at the same seq may
/// see different pages, so a validator of one must never answer 304 for the other. A hash,
/// so the tag does not carry the credit code around.
pub fn owner_feed(feed: &str, owner: &str) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(owner.as_bytes());
    format!("{feed}-{}", &hex::encode(h)[..12])
}

/// A page from rows read after `after` with `LIMIT limit + 1`, oldest change first: each
/// row's seq and either its item or the key it removes. At the end of the feed the cursor
/// is the head, which may lie past the last row.
pub fn assemble<T>(
    rows: Vec<(i64, std::result::Result<T, String>)>,
    after: i64,
    head: i64,
    limit: u32,
) -> FeedPage<T> {
    let has_more = rows.len() > limit as usize;
    let mut items = Vec::new();
    let mut removed = Vec::new();
    let mut last = after;
    for (seq, row) in rows.into_iter().take(limit as usize) {
        last = seq;
        match row {
            Ok(item) => items.push(item),
            Err(key) => removed.push(key),
        }
    }
    let next = if has_more { last } else { head.max(after) };
    FeedPage {
        items,
        removed,
        next_cursor: encode_cursor(next),
        has_more,
    }
}

/// The position a request asks to continue from: 0 without a cursor.
pub fn after_cursor(q: &FeedQuery, head: i64) -> Result<i64> {
    match q.cursor.as_deref() {
        None | Some("") => Ok(0),
        Some(c) => decode_cursor(c, head),
    }
}

/// The validator of a feed's state: every change takes a new seq, so the head names it.
pub fn etag(collection: &str, head: i64) -> String {
    format!("\"{collection}-{head}\"")
}

/// Answers 304 to a client that is already at the head and names the head's ETag (the
/// common poll: "anything new?"), otherwise the page with the head's ETag.
pub fn conditional<T: Serialize>(
    headers: &axum::http::HeaderMap,
    tag: String,
    page: FeedPage<T>,
    head: i64,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let at_head =
        page.items.is_empty() && page.removed.is_empty() && page.next_cursor == encode_cursor(head);
    let matches = headers
        .get(axum::http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    if at_head && matches {
        return (StatusCode::NOT_MODIFIED, [(axum::http::header::ETAG, tag)]).into_response();
    }
    ([(axum::http::header::ETAG, tag)], Json(page)).into_response()
}

/// One page of a feed, and the feed's head it was read against (which names its ETag).
pub async fn page<T: DeserializeOwned>(
    conn: &mut Conn,
    collection: &str,
    q: &FeedQuery,
) -> Result<(FeedPage<T>, i64)> {
    let limit = check_limit(q.limit)?;
    let (max_seq, horizon) = bounds(conn, collection).await?;
    let head = max_seq.max(horizon);
    let after = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => decode_cursor(c, head)?,
    };
    // Tombstones up to the horizon are gone: a client behind it would miss deletions.
    if after > 0 && after < horizon {
        return Err(Error::api(
            StatusCode::GONE,
            ErrorCode::CursorExpired,
            "同步游标已过期，请完整重新同步 / this cursor has expired: resync from the start",
        ));
    }
    let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT key, seq, withdrawn, body FROM catalog
         WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(collection)
    .bind(after)
    .bind(i64::from(limit) + 1)
    .fetch_all(&mut *conn)
    .await?;
    let has_more = rows.len() > limit as usize;
    let mut items = Vec::new();
    let mut removed = Vec::new();
    let mut last = after;
    for (key, seq, withdrawn, body) in rows.into_iter().take(limit as usize) {
        last = seq;
        if withdrawn == 1 {
            removed.push(key);
        } else {
            items.push(serde_json::from_str::<T>(&body)?);
        }
    }
    // At the end of the feed the cursor is the head itself, which may lie past the last row
    // (compacted tombstones): a client there is up to date, never behind the horizon.
    let next = if has_more { last } else { head.max(after) };
    Ok((
        FeedPage {
            items,
            removed,
            next_cursor: encode_cursor(next),
            has_more,
        },
        head,
    ))
}

macro_rules! feed_route {
    ($name:ident, $collection:expr, $ty:ty, $path:literal) => {
        #[utoipa::path(
            get, path = $path, tag = "catalog",
            params(FeedQuery),
            security(("bearer" = [])),
            responses(
                (status = 200, description = "One page of the change feed, with its ETag", body = FeedPage<$ty>),
                (status = 304, description = "Unchanged since the If-None-Match ETag"),
                (status = 400, description = "Bad cursor or limit", body = yiqifu_protocol::ApiError),
                (status = 401, description = "Not signed in", body = yiqifu_protocol::ApiError),
                (status = 410, description = "Cursor expired: resync from the start", body = yiqifu_protocol::ApiError),
            )
        )]
        pub async fn $name(
            State(state): State<AppState>,
            _who: Caller,
            headers: axum::http::HeaderMap,
            ApiQuery(q): ApiQuery<FeedQuery>,
        ) -> Result<axum::response::Response> {
            let mut conn = state.db.acquire().await?;
            let (p, head): (FeedPage<$ty>, i64) = page(&mut conn, $collection, &q).await?;
            Ok(conditional(&headers, etag($collection, head), p, head))
        }
    };
}

feed_route!(documents, DOCUMENTS, Document, "/api/v1/catalog/documents");
feed_route!(
    templates,
    TEMPLATES,
    SelfCheckTemplate,
    "/api/v1/catalog/templates"
);
feed_route!(
    material_rules,
    MATERIAL_RULES,
    MaterialRule,
    "/api/v1/catalog/material-rules"
);
feed_route!(calendar, CALENDAR, CalendarYear, "/api/v1/catalog/calendar");
feed_route!(
    attachment_rules,
    ATTACHMENT_RULES,
    MaterialRule,
    "/api/v1/catalog/attachment-rules"
);

/// The working-day calendar as published. A service that publishes none uses the tables
/// this build carries, so its deadlines are right before anyone seeds a catalog.
pub async fn work_calendar(conn: &mut Conn) -> Result<WorkCalendar> {
    let mut years: Vec<CalendarYear> = entries(conn, CALENDAR).await?;
    if years.is_empty() {
        years = official_years()?;
    }
    Ok(WorkCalendar::new(years))
}

/// The live entry `key` of a collection, if there is one.
pub async fn entry<T: DeserializeOwned>(
    conn: &mut Conn,
    collection: &str,
    key: &str,
) -> Result<Option<T>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT body FROM catalog WHERE collection = $1 AND key = $2 AND withdrawn = 0",
    )
    .bind(collection)
    .bind(key)
    .fetch_optional(conn)
    .await?;
    match row {
        Some((b,)) => Ok(Some(serde_json::from_str(&b)?)),
        None => Ok(None),
    }
}

/// Every live entry of a collection.
pub async fn entries<T: DeserializeOwned>(conn: &mut Conn, collection: &str) -> Result<Vec<T>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM catalog WHERE collection = $1 AND withdrawn = 0")
            .bind(collection)
            .fetch_all(conn)
            .await?;
    crate::db::decode_all(rows)
}

/// Publishes (or replaces) an entry as the newest change of its feed. Callers hold a write
/// transaction, so two publishers never take the same seq.
pub async fn publish<T: Serialize>(
    conn: &mut Conn,
    collection: &str,
    key: &str,
    value: &T,
) -> Result<()> {
    let seq = head_seq(conn, collection).await? + 1;
    sqlx::query(
        "INSERT INTO catalog (collection, key, seq, withdrawn, body) VALUES ($1, $2, $3, 0, $4)
         ON CONFLICT (collection, key) DO UPDATE SET seq = excluded.seq, withdrawn = 0,
             body = excluded.body",
    )
    .bind(collection)
    .bind(key)
    .bind(seq)
    .bind(serde_json::to_string(value)?)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn publish_document(conn: &mut Conn, doc: &Document) -> Result<()> {
    publish(conn, DOCUMENTS, &doc.id, doc).await
}

/// Withdraws an entry: it stays as a tombstone so clients that saw it delete their copy.
pub async fn withdraw(conn: &mut Conn, collection: &str, key: &str) -> Result<bool> {
    let seq = head_seq(conn, collection).await? + 1;
    let done = sqlx::query(
        "UPDATE catalog SET seq = $1, withdrawn = 1, body = '{}'
         WHERE collection = $2 AND key = $3 AND withdrawn = 0",
    )
    .bind(seq)
    .bind(collection)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Drops the tombstones of a feed up to its head. Cursors from before now get
/// CURSOR_EXPIRED and resync; the feed's seq keeps growing from where it was.
pub async fn compact(conn: &mut Conn, collection: &str) -> Result<u64> {
    let head = head_seq(conn, collection).await?;
    let done = sqlx::query("DELETE FROM catalog WHERE collection = $1 AND withdrawn = 1")
        .bind(collection)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO feed_horizon (collection, seq) VALUES ($1, $2)
         ON CONFLICT (collection) DO UPDATE SET seq = excluded.seq",
    )
    .bind(collection)
    .bind(head)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
