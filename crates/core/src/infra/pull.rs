//! Pulling the central service's feeds into a local database: the catalog into the app's,
//! an enterprise's inbox into its own. A feed names where its entries go ([`FeedStore`]).

use serde_json::Value;
use sqlx::{Sqlite, Transaction};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use yiqifu_protocol::ErrorCode;

use crate::client::CentralClient;
use crate::error::{Error, Result};
use crate::outbox::BoxFuture;
use crate::store::Store;

const PAGE: u32 = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullStats {
    pub upserted: u32,
    pub removed: u32,
    pub pages: u32,
    pub full_resync: bool,
}

impl PullStats {
    pub fn add(&mut self, s: &PullStats) {
        self.upserted += s.upserted;
        self.removed += s.removed;
        self.pages += s.pages;
        self.full_resync |= s.full_resync;
    }
}

pub fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

type Tx = Transaction<'static, Sqlite>;

/// Where a feed's entries are kept, inside the page's transaction.
pub trait FeedStore: Sync {
    fn apply<'a>(
        &'a self,
        tx: &'a mut Tx,
        item: Value,
        generation: i64,
    ) -> BoxFuture<'a, Result<()>>;
    fn remove<'a>(&'a self, tx: &'a mut Tx, key: &'a str) -> BoxFuture<'a, Result<()>>;
    /// After a full pull: drops what it did not deliver; returns how many.
    fn sweep<'a>(&'a self, tx: &'a mut Tx, generation: i64) -> BoxFuture<'a, Result<u64>>;
    /// When a pull reached the feed's head, in its last page's transaction (the library
    /// closes its round of changes here).
    fn finish<'a>(&'a self, _tx: &'a mut Tx) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Ok(()) })
    }
}

/// Entries kept as the service sent them, in a `(collection, key, body, pull_generation)`
/// table.
pub struct Items {
    pub table: &'static str,
    pub collection: &'static str,
    pub key: fn(&Value) -> Option<String>,
}

impl FeedStore for Items {
    fn apply<'a>(
        &'a self,
        tx: &'a mut Tx,
        item: Value,
        generation: i64,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let key = (self.key)(&item).ok_or_else(|| {
                Error::MalformedResponse(format!("{} entry without a key", self.collection))
            })?;
            let sql = format!(
                "INSERT INTO {} (collection, key, body, pull_generation) VALUES (?, ?, ?, ?)
                 ON CONFLICT (collection, key) DO UPDATE SET body = excluded.body,
                     pull_generation = excluded.pull_generation",
                self.table
            );
            sqlx::query(&sql)
                .bind(self.collection)
                .bind(key)
                .bind(serde_json::to_string(&item)?)
                .bind(generation)
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
    }

    fn remove<'a>(&'a self, tx: &'a mut Tx, key: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let sql = format!(
                "DELETE FROM {} WHERE collection = ? AND key = ?",
                self.table
            );
            sqlx::query(&sql)
                .bind(self.collection)
                .bind(key)
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
    }

    fn sweep<'a>(&'a self, tx: &'a mut Tx, generation: i64) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            let sql = format!(
                "DELETE FROM {} WHERE collection = ? AND pull_generation < ?",
                self.table
            );
            let done = sqlx::query(&sql)
                .bind(self.collection)
                .bind(generation)
                .execute(&mut **tx)
                .await?;
            Ok(done.rows_affected())
        })
    }
}

pub fn key_id(v: &Value) -> Option<String> {
    v.get("id")?.as_str().map(str::to_string)
}

/// A pulled collection: where its feed is and where its entries go.
pub struct Feed {
    pub collection: &'static str,
    pub path: &'static str,
    pub store: &'static dyn FeedStore,
}

/// The entries a collection holds in an `Items` table, as JSON, in key order.
pub async fn items(store: &Store, table: &str, collection: &str) -> Result<Vec<Value>> {
    items_ordered(store, table, collection, "key").await
}

/// The items in the order they first arrived, which is the service's order (an update keeps
/// an item's place).
pub async fn items_in_feed_order(
    store: &Store,
    table: &str,
    collection: &str,
) -> Result<Vec<Value>> {
    items_ordered(store, table, collection, "rowid").await
}

async fn items_ordered(
    store: &Store,
    table: &str,
    collection: &str,
    order: &str,
) -> Result<Vec<Value>> {
    let sql = format!("SELECT body FROM {table} WHERE collection = ? ORDER BY {order}");
    let rows: Vec<(String,)> = sqlx::query_as(&sql)
        .bind(collection)
        .fetch_all(store.pool())
        .await?;
    rows.into_iter()
        .map(|(b,)| Ok(serde_json::from_str(&b)?))
        .collect()
}

struct CursorState {
    cursor: Option<String>,
    generation: i64,
    sweep_pending: bool,
    etag: Option<String>,
}

async fn cursor_of(store: &Store, collection: &str) -> Result<CursorState> {
    let row: Option<(Option<String>, i64, bool, Option<String>)> = sqlx::query_as(
        "SELECT cursor, generation, sweep_pending, etag FROM sync_cursors WHERE collection = ?",
    )
    .bind(collection)
    .fetch_optional(store.pool())
    .await?;
    let (cursor, generation, sweep_pending, etag) = row.unwrap_or((None, 0, false, None));
    Ok(CursorState {
        cursor,
        generation,
        sweep_pending,
        etag,
    })
}

/// Pulls each of `feeds` in turn; the stats add up.
pub async fn pull_all(
    store: &Store,
    client: &CentralClient,
    access_token: &str,
    feeds: &[Feed],
) -> Result<PullStats> {
    let mut total = PullStats::default();
    for feed in feeds {
        total.add(&pull(store, client, access_token, feed).await?);
    }
    Ok(total)
}

/// Pulls a feed from where the last pull stopped, one transaction per page, so an
/// interrupted pull resumes from its last applied page. At the head, the last page's ETag
/// makes an unchanged feed cost a 304. A cursor the service no longer accepts starts a full
/// resync, which then sweeps entries the service no longer has; local drafts (records,
/// outbox, uploads) are never touched by it.
pub async fn pull(
    store: &Store,
    client: &CentralClient,
    access_token: &str,
    feed: &Feed,
) -> Result<PullStats> {
    let mut stats = PullStats::default();
    let CursorState {
        mut cursor,
        mut generation,
        mut sweep_pending,
        etag,
    } = cursor_of(store, feed.collection).await?;
    if cursor.is_none() {
        // Starting from nothing is a full pull: everything not delivered by it is stale.
        generation += 1;
        sweep_pending = true;
    }
    stats.full_resync = sweep_pending;
    let mut validator = etag.filter(|_| cursor.is_some());
    loop {
        let page = match client
            .feed(
                feed.path,
                access_token,
                cursor.as_deref(),
                PAGE,
                validator.as_deref(),
            )
            .await
        {
            Err(Error::Server {
                code: ErrorCode::CursorInvalid | ErrorCode::CursorExpired,
                ..
            }) if cursor.is_some() => {
                tracing::info!(
                    collection = feed.collection,
                    "cursor refused, starting a full resync"
                );
                cursor = None;
                validator = None;
                generation += 1;
                sweep_pending = true;
                stats.full_resync = true;
                continue;
            }
            other => other?,
        };
        // Unchanged since the last pull.
        let Some((page, tag)) = page else {
            return Ok(stats);
        };
        validator = None;
        let mut tx = store.write().await?;
        let n_items = page.items.len();
        for item in page.items {
            feed.store.apply(&mut tx, item, generation).await?;
        }
        for key in &page.removed {
            feed.store.remove(&mut tx, key).await?;
        }
        let done = !page.has_more;
        if done && sweep_pending {
            stats.removed +=
                u32::try_from(feed.store.sweep(&mut tx, generation).await?).unwrap_or(u32::MAX);
            sweep_pending = false;
        }
        if done {
            feed.store.finish(&mut tx).await?;
        }
        sqlx::query(
            "INSERT INTO sync_cursors (collection, cursor, generation, sweep_pending, synced_at, etag)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (collection) DO UPDATE SET cursor = excluded.cursor,
                 generation = excluded.generation, sweep_pending = excluded.sweep_pending,
                 synced_at = excluded.synced_at, etag = excluded.etag",
        )
        .bind(feed.collection)
        .bind(&page.next_cursor)
        .bind(generation)
        .bind(sweep_pending)
        .bind(now_rfc3339())
        .bind(if done { tag } else { None })
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        stats.pages += 1;
        stats.upserted += u32::try_from(n_items).unwrap_or(u32::MAX);
        stats.removed += u32::try_from(page.removed.len()).unwrap_or(u32::MAX);
        cursor = Some(page.next_cursor);
        if done {
            return Ok(stats);
        }
    }
}
