//! Pulling the central service's collections into the local database.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use yiqifu_protocol::ErrorCode;

use crate::client::CentralClient;
use crate::error::{Error, Result};
use crate::policy;
use crate::store::Store;

pub const DOCUMENTS: &str = "documents";
const PAGE: u32 = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullStats {
    pub upserted: u32,
    pub removed: u32,
    pub pages: u32,
    pub full_resync: bool,
}

pub fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// A pulled collection: where its feed is and how its entries are keyed locally.
pub struct Feed {
    pub collection: &'static str,
    pub path: &'static str,
    key: fn(&serde_json::Value) -> Option<String>,
}

fn key_id(v: &serde_json::Value) -> Option<String> {
    v.get("id")?.as_str().map(str::to_string)
}

fn key_template(v: &serde_json::Value) -> Option<String> {
    Some(format!(
        "{}@{}",
        v.get("id")?.as_str()?,
        v.get("version")?.as_u64()?
    ))
}

fn key_type(v: &serde_json::Value) -> Option<String> {
    v.get("type")?.as_str().map(str::to_string)
}

pub const TEMPLATES: &str = "templates";
pub const MATERIAL_RULES: &str = "material_rules";
pub const INBOX: &str = "inbox";

/// Every collection the client keeps: the catalog and the enterprise's inbox.
pub const FEEDS: [Feed; 4] = [
    Feed {
        collection: DOCUMENTS,
        path: "api/v1/catalog/documents",
        key: key_id,
    },
    Feed {
        collection: TEMPLATES,
        path: "api/v1/catalog/templates",
        key: key_template,
    },
    Feed {
        collection: MATERIAL_RULES,
        path: "api/v1/catalog/material-rules",
        key: key_type,
    },
    Feed {
        collection: INBOX,
        path: "api/v1/inbox",
        key: key_id,
    },
];

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

async fn apply_item(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    feed: &Feed,
    item: serde_json::Value,
    generation: i64,
) -> Result<()> {
    if feed.collection == DOCUMENTS {
        let d: yiqifu_protocol::Document =
            serde_json::from_value(item).map_err(|e| Error::MalformedResponse(e.to_string()))?;
        return policy::upsert(tx, &d, generation).await;
    }
    let key = (feed.key)(&item).ok_or_else(|| {
        Error::MalformedResponse(format!("{} entry without a key", feed.collection))
    })?;
    sqlx::query(
        "INSERT INTO catalog_items (collection, key, body, pull_generation) VALUES (?, ?, ?, ?)
         ON CONFLICT (collection, key) DO UPDATE SET body = excluded.body,
             pull_generation = excluded.pull_generation",
    )
    .bind(feed.collection)
    .bind(key)
    .bind(serde_json::to_string(&item)?)
    .bind(generation)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn remove_item(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    feed: &Feed,
    key: &str,
) -> Result<()> {
    if feed.collection == DOCUMENTS {
        return policy::remove(tx, key).await;
    }
    sqlx::query("DELETE FROM catalog_items WHERE collection = ? AND key = ?")
        .bind(feed.collection)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn sweep(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    feed: &Feed,
    generation: i64,
) -> Result<u64> {
    if feed.collection == DOCUMENTS {
        return policy::sweep_older_than(tx, generation).await;
    }
    let done =
        sqlx::query("DELETE FROM catalog_items WHERE collection = ? AND pull_generation < ?")
            .bind(feed.collection)
            .bind(generation)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected())
}

/// Pulls every collection; the stats add up.
pub async fn pull_all(
    store: &Store,
    client: &CentralClient,
    access_token: &str,
) -> Result<PullStats> {
    let mut total = PullStats::default();
    for feed in &FEEDS {
        let s = pull(store, client, access_token, feed).await?;
        total.upserted += s.upserted;
        total.removed += s.removed;
        total.pages += s.pages;
        total.full_resync |= s.full_resync;
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
            apply_item(&mut tx, feed, item, generation).await?;
        }
        for key in &page.removed {
            remove_item(&mut tx, feed, key).await?;
        }
        let done = !page.has_more;
        if done && sweep_pending {
            stats.removed +=
                u32::try_from(sweep(&mut tx, feed, generation).await?).unwrap_or(u32::MAX);
            sweep_pending = false;
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
