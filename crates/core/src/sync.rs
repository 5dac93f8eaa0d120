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

async fn cursor_of(store: &Store, collection: &str) -> Result<(Option<String>, i64, bool)> {
    let row: Option<(Option<String>, i64, bool)> = sqlx::query_as(
        "SELECT cursor, generation, sweep_pending FROM sync_cursors WHERE collection = ?",
    )
    .bind(collection)
    .fetch_optional(store.pool())
    .await?;
    Ok(row.unwrap_or((None, 0, false)))
}

/// Pulls the document feed from where the last pull stopped, one transaction per page, so an
/// interrupted pull resumes from its last applied page. A cursor the service no longer
/// accepts starts a full resync, which then sweeps documents the service no longer has.
pub async fn pull_documents(
    store: &Store,
    client: &CentralClient,
    access_token: &str,
) -> Result<PullStats> {
    let mut stats = PullStats::default();
    let (mut cursor, mut generation, mut sweep_pending) = cursor_of(store, DOCUMENTS).await?;
    if cursor.is_none() {
        // Starting from nothing is a full pull: everything not delivered by it is stale.
        generation += 1;
        sweep_pending = true;
    }
    stats.full_resync = sweep_pending;
    loop {
        let page = match client
            .documents(access_token, cursor.as_deref(), PAGE)
            .await
        {
            Err(Error::Server {
                code: ErrorCode::CursorInvalid | ErrorCode::CursorExpired,
                ..
            }) if cursor.is_some() => {
                tracing::info!("document cursor refused, starting a full resync");
                cursor = None;
                generation += 1;
                sweep_pending = true;
                stats.full_resync = true;
                continue;
            }
            other => other?,
        };
        let mut tx = store.write().await?;
        for d in &page.items {
            policy::upsert(&mut tx, d, generation).await?;
        }
        for id in &page.removed {
            policy::remove(&mut tx, id).await?;
        }
        let done = !page.has_more;
        if done && sweep_pending {
            stats.removed += u32::try_from(policy::sweep_older_than(&mut tx, generation).await?)
                .unwrap_or(u32::MAX);
            sweep_pending = false;
        }
        sqlx::query(
            "INSERT INTO sync_cursors (collection, cursor, generation, sweep_pending, synced_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (collection) DO UPDATE SET cursor = excluded.cursor,
                 generation = excluded.generation, sweep_pending = excluded.sweep_pending,
                 synced_at = excluded.synced_at",
        )
        .bind(DOCUMENTS)
        .bind(&page.next_cursor)
        .bind(generation)
        .bind(sweep_pending)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        stats.pages += 1;
        stats.upserted += u32::try_from(page.items.len()).unwrap_or(u32::MAX);
        stats.removed += u32::try_from(page.removed.len()).unwrap_or(u32::MAX);
        cursor = Some(page.next_cursor);
        if done {
            return Ok(stats);
        }
    }
}
