//! The only code that touches the listing tables: the market as pulled (`listing_cache`),
//! the enterprise's own listings as the service last listed them (`own_listings`), and the
//! listing requests still in the outbox.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::{Sqlite, Transaction};
use time::Date;
use yiqifu_protocol::{Listing, ListingState};

use crate::error::{Error, Result};
use crate::outbox::BoxFuture;
use crate::pull::FeedStore;
use crate::store::Store;

type Tx = Transaction<'static, Sqlite>;

/// The `listings` feed's entries, one row each, with the columns browsing filters on.
pub(crate) struct Cache;

impl FeedStore for Cache {
    fn apply<'a>(
        &'a self,
        tx: &'a mut Tx,
        item: Value,
        generation: i64,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            // A listing this version cannot read fails the page (nothing of it is applied):
            // dropping it would lose it until the next full resync.
            let l: Listing = serde_json::from_value(item.clone())
                .map_err(|e| Error::MalformedResponse(format!("listing: {e}")))?;
            let d = &l.details;
            sqlx::query(
                "INSERT INTO listing_cache (id, kind, category, district, valid_until, item,
                     enterprise_name, mine, created_at, body, pull_generation)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, category = excluded.category,
                     district = excluded.district, valid_until = excluded.valid_until,
                     item = excluded.item, enterprise_name = excluded.enterprise_name,
                     mine = excluded.mine, created_at = excluded.created_at, body = excluded.body,
                     pull_generation = excluded.pull_generation",
            )
            .bind(&l.id)
            .bind(d.kind.as_str())
            .bind(d.category.as_str())
            .bind(&d.district)
            .bind(&d.valid_until)
            .bind(&d.item)
            .bind(&l.enterprise_name)
            .bind(l.mine)
            .bind(&l.created_at)
            .bind(serde_json::to_string(&item)?)
            .bind(generation)
            .execute(&mut **tx)
            .await?;
            Ok(())
        })
    }

    fn remove<'a>(&'a self, tx: &'a mut Tx, key: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            sqlx::query("DELETE FROM listing_cache WHERE id = ?")
                .bind(key)
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
    }

    fn sweep<'a>(&'a self, tx: &'a mut Tx, generation: i64) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM listing_cache WHERE pull_generation < ?")
                .bind(generation)
                .execute(&mut **tx)
                .await?;
            Ok(done.rows_affected())
        })
    }
}

/// The filters SQL can apply; the text search runs on the decoded listings.
#[derive(Debug, Default)]
pub(crate) struct Filter<'a> {
    pub kind: Option<&'a str>,
    pub category: Option<&'a str>,
    pub district: Option<&'a str>,
    /// Only listings valid on this day or later.
    pub valid_on: Option<Date>,
}

fn decode(rows: Vec<(String, String)>, what: &str) -> Vec<Listing> {
    rows.into_iter()
        .filter_map(|(id, body)| match serde_json::from_str(&body) {
            Ok(l) => Some(l),
            Err(e) => {
                // One unreadable row must not hide the others.
                tracing::warn!(listing = %id, error = %e, what, "unreadable stored listing");
                None
            }
        })
        .collect()
}

/// The market as pulled, newest first.
pub(crate) async fn cached(store: &Store, f: &Filter<'_>) -> Result<Vec<Listing>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, body FROM listing_cache
         WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR category = ?2)
           AND (?3 IS NULL OR district = ?3) AND (?4 IS NULL OR valid_until >= ?4)
         ORDER BY created_at DESC, id DESC",
    )
    .bind(f.kind)
    .bind(f.category)
    .bind(f.district)
    .bind(f.valid_on.map(|d| d.to_string()))
    .fetch_all(store.pool())
    .await?;
    Ok(decode(rows, "listing_cache"))
}

pub(crate) async fn cached_one(store: &Store, id: &str) -> Result<Option<Listing>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, body FROM listing_cache WHERE id = ?")
            .bind(id)
            .fetch_all(store.pool())
            .await?;
    Ok(decode(rows, "listing_cache").pop())
}

/// The enterprise's own listings as the service last listed them.
pub(crate) async fn own(store: &Store) -> Result<Vec<Listing>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, body FROM own_listings")
        .fetch_all(store.pool())
        .await?;
    Ok(decode(rows, "own_listings"))
}

/// Replaces the own listings with the service's list, in one transaction; `true` when
/// anything differs from what was kept.
pub(crate) async fn replace_own(store: &Store, listings: &[Listing]) -> Result<bool> {
    let mut tx = store.write().await?;
    let before: Vec<(String, String)> =
        sqlx::query_as("SELECT id, body FROM own_listings ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
    let mut after = listings
        .iter()
        .map(|l| Ok((l.id.clone(), serde_json::to_string(l)?)))
        .collect::<Result<Vec<_>>>()?;
    after.sort();
    after.dedup_by(|a, b| a.0 == b.0);
    if before == after {
        return Ok(false);
    }
    sqlx::query("DELETE FROM own_listings")
        .execute(&mut *tx)
        .await?;
    for (id, body) in &after {
        sqlx::query("INSERT INTO own_listings (id, body) VALUES (?, ?)")
            .bind(id)
            .bind(body)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The service's answer to a listing request, kept at once in the copies the views read
/// (own listings, the market), so the officer sees what was sent before the next pull: a
/// listing posted elsewhere has no record here to hold it.
pub(crate) async fn keep_answer(tx: &mut Tx, answer: &Value) -> Result<()> {
    // An answer this version cannot read changes nothing here; the next pull brings it.
    let Ok(l) = serde_json::from_value::<Listing>(answer.clone()) else {
        return Ok(());
    };
    sqlx::query("UPDATE own_listings SET body = ? WHERE id = ?")
        .bind(serde_json::to_string(&l)?)
        .bind(&l.id)
        .execute(&mut **tx)
        .await?;
    if l.state == ListingState::Active {
        let d = &l.details;
        sqlx::query(
            "UPDATE listing_cache SET category = ?, district = ?, valid_until = ?, item = ?,
                 body = ? WHERE id = ?",
        )
        .bind(d.category.as_str())
        .bind(&d.district)
        .bind(&d.valid_until)
        .bind(&d.item)
        .bind(serde_json::to_string(&l)?)
        .bind(&l.id)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query("DELETE FROM listing_cache WHERE id = ?")
            .bind(&l.id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A listing request still in the outbox.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub kind: String,
    pub payload: Value,
    pub parked: bool,
}

/// The queued and parked requests of `kinds`, by record, each record's in queue order.
pub(crate) async fn pending(
    store: &Store,
    kinds: &[&str],
) -> Result<HashMap<String, Vec<Pending>>> {
    let rows: Vec<(String, String, String, bool)> =
        sqlx::query_as("SELECT record_id, kind, payload, parked FROM outbox ORDER BY id")
            .fetch_all(store.pool())
            .await?;
    let mut out: HashMap<String, Vec<Pending>> = HashMap::new();
    for (record, kind, payload, parked) in rows {
        if !kinds.contains(&kind.as_str()) {
            continue;
        }
        out.entry(record).or_default().push(Pending {
            kind,
            // An unreadable payload still counts as waiting; only its details are lost.
            payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
            parked,
        });
    }
    Ok(out)
}
