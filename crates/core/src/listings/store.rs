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
            // Kept even when this version cannot read it (a category added later): browsing
            // skips it, a newer version reads it, and the rest of the sync goes on.
            let id = item
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::MalformedResponse("a listing without an id".into()))?;
            if let Err(e) = serde_json::from_value::<Listing>(item.clone()) {
                tracing::warn!(listing = %id, error = %e, "listing kept unread");
            }
            let text = |field: &str| item.get(field).and_then(Value::as_str).unwrap_or_default();
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
            .bind(id)
            .bind(text("kind"))
            .bind(text("category"))
            .bind(text("district"))
            .bind(text("valid_until"))
            .bind(text("item"))
            .bind(text("enterprise_name"))
            .bind(item.get("mine").and_then(Value::as_bool).unwrap_or(false))
            .bind(text("created_at"))
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
    // Never over a newer copy a pull stored meanwhile (the pull's cursor is past it and
    // would not bring it again).
    let updated = l.updated_at.clone().unwrap_or_default();
    sqlx::query(
        "UPDATE own_listings SET body = ? WHERE id = ?
             AND COALESCE(json_extract(body, '$.updated_at'), '') <= ?",
    )
    .bind(serde_json::to_string(&l)?)
    .bind(&l.id)
    .bind(&updated)
    .execute(&mut **tx)
    .await?;
    if l.state == ListingState::Active {
        let d = &l.details;
        sqlx::query(
            "UPDATE listing_cache SET category = ?, district = ?, valid_until = ?, item = ?,
                 body = ? WHERE id = ? AND COALESCE(json_extract(body, '$.updated_at'), '') <= ?",
        )
        .bind(d.category.as_str())
        .bind(&d.district)
        .bind(&d.valid_until)
        .bind(&d.item)
        .bind(serde_json::to_string(&l)?)
        .bind(&l.id)
        .bind(&updated)
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
    // Only these kinds are read: an application's payloads can be large.
    let rows: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT record_id, kind, payload, parked FROM outbox
         WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
    .bind(serde_json::to_string(kinds)?)
    .fetch_all(store.pool())
    .await?;
    let mut out: HashMap<String, Vec<Pending>> = HashMap::new();
    for (record, kind, payload, parked) in rows {
        out.entry(record).or_default().push(Pending {
            kind,
            // An unreadable payload still counts as waiting; only its details are lost.
            payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
            parked,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn listing(id: &str, category: &str) -> Value {
        json!({
            "id": id, "enterprise_name": "上海闵通冷链物流有限公司", "mine": false,
            "state": "active", "created_at": "2026-12-01T02:00:00Z",
            "kind": "supply", "category": category, "item": "医用外科口罩", "quantity": 50000.0,
            "unit": "只", "district": "闵行区", "valid_until": "2026-12-30",
            "contact_name": "陈建国", "contact_phone": "13916205731", "note": null
        })
    }

    /// A listing this version cannot read (a category the service added later) is kept for
    /// a version that can, and fails neither the page nor browsing.
    #[tokio::test]
    async fn a_listing_this_version_cannot_read_is_kept_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_as(dir.path(), crate::store::Schema::Workspace)
            .await
            .unwrap();
        let mut tx = store.write().await.unwrap();
        Cache
            .apply(&mut tx, listing("lst_1", "supplies"), 1)
            .await
            .unwrap();
        Cache
            .apply(&mut tx, listing("lst_2", "drones"), 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let shown: Vec<String> = cached(&store, &Filter::default())
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(shown, ["lst_1"]);
        let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM listing_cache")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(kept, 2);
    }
}
