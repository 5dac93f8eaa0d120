use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqliteConnection, SqlitePool};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::Result;

/// How hard each commit is pressed to the disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=FULL`: the WAL is synced at every commit, so an answered 201 survives a
    /// power cut. The client deletes its outbox row on that answer, so a commit lost after
    /// it would be an application lost for good. The cost is measured in
    /// docs/benchmarks.md ("Service durability").
    #[default]
    Full,
    /// `synchronous=NORMAL`: a power cut may lose the last commits. Only for measuring what
    /// `Full` costs.
    Normal,
}

pub async fn open(path: &Path) -> Result<SqlitePool> {
    open_with(path, Durability::Full).await
}

pub async fn open_with(path: &Path, durability: Durability) -> Result<SqlitePool> {
    let synchronous = match durability {
        Durability::Full => SqliteSynchronous::Full,
        Durability::Normal => SqliteSynchronous::Normal,
    };
    let opts = SqliteConnectOptions::from_str("sqlite://")?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(opts)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

pub fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

pub fn now_rfc3339() -> String {
    rfc3339(now_unix())
}

/// A random id with a readable prefix, e.g. `app_3f9c…`.
pub fn new_id(prefix: &str) -> String {
    let mut b = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut b);
    format!("{prefix}_{}", hex::encode(b))
}

/// The next value of a named counter, inside the caller's transaction.
pub async fn next_counter(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    let (v,): (i64,) = sqlx::query_as(
        "INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
    )
    .bind(name)
    .fetch_one(conn)
    .await?;
    Ok(v)
}

/// RFC 3339 in UTC, as every time on the wire.
pub fn format_time(t: OffsetDateTime) -> String {
    rfc3339(t.unix_timestamp())
}

/// A dated receipt number (回执编号): prefix, date, and a running number.
pub async fn receipt_no(conn: &mut SqliteConnection, prefix: &str) -> Result<String> {
    receipt_no_on(conn, prefix, OffsetDateTime::now_utc().date()).await
}

/// A receipt number dated `date`.
pub async fn receipt_no_on(
    conn: &mut SqliteConnection,
    prefix: &str,
    date: time::Date,
) -> Result<String> {
    let n = next_counter(conn, &format!("receipt:{prefix}")).await?;
    Ok(format!(
        "{prefix}{:04}{:02}{:02}{n:06}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// Decodes rows of JSON bodies, as the record tables store them.
pub fn decode_all<T: DeserializeOwned>(rows: Vec<(String,)>) -> Result<Vec<T>> {
    rows.into_iter()
        .map(|(b,)| Ok(serde_json::from_str(&b)?))
        .collect()
}

/// The record tables (`appeals`, `applications`) keep each record as a JSON body beside the
/// columns queried: owner, state, last change. The table names are constants, never input.
pub async fn save_record<T: Serialize>(
    conn: &mut SqliteConnection,
    table: &'static str,
    id: &str,
    owner: &str,
    state: &str,
    body: &T,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO {table} (id, owner, state, body, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body,
             updated_at = excluded.updated_at"
    );
    sqlx::query(&sql)
        .bind(id)
        .bind(owner)
        .bind(state)
        .bind(serde_json::to_string(body)?)
        .bind(now_unix())
        .execute(conn)
        .await?;
    Ok(())
}

/// A record and its owner. With `owner`, another enterprise's record answers exactly like a
/// missing one.
pub async fn load_record<T: DeserializeOwned>(
    conn: &mut SqliteConnection,
    table: &'static str,
    id: &str,
    owner: Option<&str>,
) -> Result<(String, T)> {
    let sql = format!("SELECT owner, body FROM {table} WHERE id = ?");
    let row: Option<(String, String)> = sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?;
    match row {
        Some((o, body)) if owner.is_none_or(|w| w == o) => Ok((o, serde_json::from_str(&body)?)),
        _ => Err(crate::error::Error::not_found()),
    }
}

/// Every enterprise's records, in one state or all, the oldest change first: the reviewers'
/// queue.
pub async fn all_records<T: DeserializeOwned>(
    conn: &mut SqliteConnection,
    table: &'static str,
    state: Option<&str>,
) -> Result<Vec<T>> {
    let sql = format!(
        "SELECT body FROM {table} WHERE (?1 IS NULL OR state = ?1) ORDER BY updated_at, id"
    );
    let rows: Vec<(String,)> = sqlx::query_as(&sql).bind(state).fetch_all(conn).await?;
    decode_all(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_connection_syncs_each_commit_to_disk() {
        let dir = tempfile::tempdir().unwrap();
        let pool = open(&dir.path().join("central.sqlite")).await.unwrap();
        // Several connections at once, so the check is not of one lucky connection.
        let mut held = Vec::new();
        for _ in 0..4 {
            let mut c = pool.acquire().await.unwrap();
            let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            assert_eq!((sync, mode.as_str()), (2, "wal"), "2 is FULL");
            held.push(c);
        }
    }
}
