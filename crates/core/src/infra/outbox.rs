//! The transactional outbox: an officer's action and the request that tells the service
//! are written in one transaction, and sent later, exactly once, by the worker.
//!
//! The outbox knows no feature: each feature declares its kinds of request ([`OpKind`]) in
//! its own `op.rs`, and the workspace lists them once (`workspace::ops`).

use std::future::Future;
use std::pin::Pin;

use rand::Rng;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;
use specta::Type;
use sqlx::{Sqlite, Transaction};

use crate::error::{Error, Result};
use crate::store::Store;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request to the service, as a feature builds it from a queued item.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    /// Below the service's base URL, e.g. `api/v1/appeals`.
    pub path: String,
    pub body: Option<Value>,
    /// Whether it carries the item's idempotency key (creating requests do).
    pub keyed: bool,
}

/// What a feature made of a queued item.
#[derive(Debug, Clone)]
pub enum Prepared {
    Send(Request),
    /// Something it needs is not done yet.
    Wait(Need),
}

impl Prepared {
    /// The request, in tests that expect one.
    #[cfg(test)]
    pub fn request(self) -> Request {
        match self {
            Self::Send(r) => r,
            Self::Wait(need) => panic!("waits for {need:?}"),
        }
    }
}

/// What a queued request waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// An upload (its local id) that has not finished.
    Upload(String),
    /// The requests of another record, which must reach the service first.
    Record(String),
}

/// One kind of queued request, declared by the feature it belongs to.
pub struct OpKind {
    /// Stored with each row, never renamed once released.
    pub kind: &'static str,
    /// The payload format this version writes; it reads every older one.
    pub version: u32,
    /// Builds the request, turning local ids into the service's, or says what it waits for.
    pub prepare: for<'a> fn(&'a Store, &'a Item) -> BoxFuture<'a, Result<Prepared>>,
    /// What of this request the officer may correct, as it stands (shown when it is parked).
    pub draft: fn(&Value) -> Option<Value>,
}

/// The payload as stored: the request's fields and `"op": kind`, the form every version
/// since the first has written.
pub fn payload<T: Serialize>(kind: &str, fields: &T) -> Result<Value> {
    let mut v = serde_json::to_value(fields)?;
    if let Value::Object(m) = &mut v {
        m.insert("op".into(), Value::String(kind.into()));
    }
    Ok(v)
}

/// Reads a payload's fields into the feature's type; a payload this version cannot read
/// is reported, never guessed at.
pub fn fields<T: serde::de::DeserializeOwned>(item: &Item) -> Result<T> {
    serde_json::from_value(item.payload.clone())
        .map_err(|e| Error::UnreadablePayload(format!("{} v{}: {e}", item.kind, item.version)))
}

/// An item the service refused for good, waiting for the officer to correct, retry or
/// discard it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ParkedItem {
    /// `outbox:<n>` or `upload:<local id>`.
    pub id: String,
    pub kind: String,
    pub record_id: String,
    pub reason_zh: String,
    pub reason_en: String,
    pub attempts: u32,
    /// What the officer wrote and may correct, shaped by `kind` (a listing, an appeal, a
    /// message, an application); none for uploads, withdrawals or read marks. The feature
    /// that owns the kind reads it (in TypeScript it is `unknown` until then).
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub draft: Option<Value>,
    /// Queued requests that wait for this one (later ones of its record, or ones that need
    /// it): they go out once it is retried or corrected and goes through.
    pub holding: u32,
}

/// Queued and parked items of a workspace (outbox and uploads together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// What will go out by itself.
    pub queued: u32,
    pub parked: u32,
    /// Queued requests held by a parked item: they go out once the officer deals with it.
    pub held: u32,
}

/// Whether the queued item `o` is held by a parked one: one it names, or an earlier one of
/// its record (an item never overtakes an earlier one of the same record).
const HELD: &str = "(o.waits_on IS NOT NULL
      OR EXISTS (SELECT 1 FROM outbox e WHERE e.record_id = o.record_id AND e.id < o.id AND e.parked = 1))";

pub fn new_local_id(prefix: &str) -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill(&mut b);
    format!("{prefix}-{}", hex::encode(b))
}

pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Queues a request of `op` for `record_id` inside the caller's transaction; returns its
/// retry key.
pub async fn enqueue<T: Serialize>(
    tx: &mut Transaction<'static, Sqlite>,
    record_id: &str,
    op: &OpKind,
    fields: &T,
) -> Result<String> {
    let key = new_local_id("idem");
    sqlx::query(
        "INSERT INTO outbox (kind, version, record_id, idempotency_key, payload, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(op.kind)
    .bind(i64::from(op.version))
    .bind(record_id)
    .bind(&key)
    .bind(serde_json::to_string(&payload(op.kind, fields)?)?)
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(key)
}

/// A queued request ready to go.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub kind: String,
    /// The payload's format version, as the version that queued it wrote it.
    pub version: u32,
    pub record_id: String,
    pub key: String,
    pub payload: Value,
    pub attempts: u32,
}

/// The next item to send: due, not parked, and first in line for its record (an item
/// never overtakes an earlier one of the same record; a parked one holds only its record).
pub async fn next_due(store: &Store, now: i64) -> Result<Option<Item>> {
    type Row = (i64, String, i64, String, String, String, i64);
    let row: Option<Row> = sqlx::query_as(
        "SELECT o.id, o.kind, o.version, o.record_id, o.idempotency_key, o.payload, o.attempts
         FROM outbox o
         WHERE o.parked = 0 AND o.waits_on IS NULL AND o.next_attempt_at <= ?
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.record_id = o.record_id AND e.id < o.id)
         ORDER BY o.next_attempt_at, o.id LIMIT 1",
    )
    .bind(now)
    .fetch_optional(store.pool())
    .await?;
    match row {
        None => Ok(None),
        Some((id, kind, version, record_id, key, payload, attempts)) => Ok(Some(Item {
            id,
            kind,
            version: u32::try_from(version).unwrap_or(u32::MAX),
            record_id,
            key,
            // A row that is not even JSON is still an item: the worker parks it with why.
            payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        })),
    }
}

/// Queued and parked items, outbox and uploads together.
pub async fn counts(store: &Store) -> Result<Counts> {
    let (queued, parked, held): (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT (SELECT COUNT(*) FROM outbox o WHERE o.parked = 0 AND NOT {HELD})
              + (SELECT COUNT(*) FROM uploads WHERE done = 0 AND parked = 0),
                (SELECT COUNT(*) FROM outbox WHERE parked = 1)
              + (SELECT COUNT(*) FROM uploads WHERE parked = 1),
                (SELECT COUNT(*) FROM outbox o WHERE o.parked = 0 AND {HELD})"
    ))
    .fetch_one(store.pool())
    .await?;
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(Counts {
        queued: n(queued),
        parked: n(parked),
        held: n(held),
    })
}

/// When the next queued item becomes due, if any.
pub async fn next_wakeup(store: &Store) -> Result<Option<i64>> {
    let (t,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(t) FROM (SELECT next_attempt_at AS t FROM outbox
                           WHERE parked = 0 AND waits_on IS NULL
                           UNION ALL
                           SELECT next_attempt_at FROM uploads WHERE done = 0 AND parked = 0)",
    )
    .fetch_one(store.pool())
    .await?;
    Ok(t)
}

/// Exponential backoff with jitter: base·2^attempts, capped, times 0.5–1.5.
pub fn backoff_ms(attempts: u32, base_ms: u64, max_ms: u64) -> u64 {
    let exp = base_ms.saturating_mul(1u64 << attempts.min(20));
    let capped = exp.min(max_ms);
    let jitter: f64 = rand::thread_rng().gen_range(0.5..1.5);
    (capped as f64 * jitter) as u64
}

/// One queued item of either queue, as the officer's list names it: `outbox:<n>` or
/// `upload:<local id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Outbox(i64),
    Upload(&'a str),
}

impl<'a> Target<'a> {
    pub fn parse(id: &'a str) -> Result<Self> {
        if let Some(n) = id.strip_prefix("outbox:").and_then(|n| n.parse().ok()) {
            Ok(Self::Outbox(n))
        } else if let Some(l) = id.strip_prefix("upload:") {
            Ok(Self::Upload(l))
        } else {
            Err(Error::NotFound(id.into()))
        }
    }

    /// The item's table and a WHERE clause naming it, binding one parameter last.
    fn place(self) -> (&'static str, &'static str) {
        match self {
            Self::Outbox(_) => ("outbox", "id = ?"),
            Self::Upload(_) => ("uploads", "local_id = ?"),
        }
    }

    fn bind<'q>(
        self,
        q: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    ) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>
    where
        'a: 'q,
    {
        match self {
            Self::Outbox(n) => q.bind(n),
            Self::Upload(l) => q.bind(l),
        }
    }
}

/// Schedules another try after `delay_ms`, keeping the error to show.
pub async fn retry_later(
    store: &Store,
    target: Target<'_>,
    attempts: u32,
    delay_ms: u64,
    err: &Error,
) -> Result<()> {
    let due = now_unix() + i64::try_from(delay_ms.div_ceil(1000)).unwrap_or(i64::MAX / 2);
    let (table, which) = target.place();
    let sql = format!(
        "UPDATE {table} SET attempts = ?, next_attempt_at = ?, last_error = ?, last_error_en = ? WHERE {which}"
    );
    let q = sqlx::query(&sql)
        .bind(i64::from(attempts))
        .bind(due)
        .bind(err.message_zh())
        .bind(err.message_en());
    target.bind(q).execute(store.pool()).await?;
    Ok(())
}

/// Holds queued item `id` while what it needs is parked: it names that item and is not
/// tried again until the officer deals with it. `false` when nothing it needs is parked (it
/// is simply not ready yet).
pub async fn hold(store: &Store, id: i64, need: &Need) -> Result<bool> {
    let blocker: Option<(String,)> = match need {
        Need::Upload(local) => {
            sqlx::query_as(
                "SELECT 'upload:' || local_id FROM uploads WHERE local_id = ? AND parked = 1",
            )
            .bind(local)
            .fetch_optional(store.pool())
            .await?
        }
        Need::Record(record) => {
            sqlx::query_as(
                "SELECT 'outbox:' || id FROM outbox WHERE record_id = ? AND parked = 1
                 ORDER BY id LIMIT 1",
            )
            .bind(record)
            .fetch_optional(store.pool())
            .await?
        }
    };
    let Some((blocker,)) = blocker else {
        return Ok(false);
    };
    sqlx::query("UPDATE outbox SET waits_on = ? WHERE id = ?")
        .bind(&blocker)
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(true)
}

/// Lets the items held by `id` go again, due now: the officer retried, corrected or
/// discarded it (then they find out for themselves what is left of what they need).
async fn release(tx: &mut Transaction<'static, Sqlite>, id: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET waits_on = NULL, next_attempt_at = 0 WHERE waits_on = ?")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets an item aside with its reason until the officer acts on it.
///
/// A request the service refused (a 4xx answer) created nothing, and the service keeps that
/// answer under its idempotency key: a retry under the same key would only replay the refusal
/// for ever, even once the cause is gone. So it gets a new key now. Any other reason (an
/// answer the client could not read, say) keeps the key, since the service may have acted.
pub async fn park(store: &Store, target: Target<'_>, attempts: u32, err: &Error) -> Result<()> {
    let rotate = matches!(
        err,
        Error::Server {
            status: 400..=499,
            ..
        }
    ) && matches!(target, Target::Outbox(_));
    let (table, which) = target.place();
    let sql = if rotate {
        format!(
            "UPDATE {table} SET parked = 1, attempts = ?, last_error = ?, last_error_en = ?,
                    idempotency_key = ? WHERE {which}"
        )
    } else {
        format!(
            "UPDATE {table} SET parked = 1, attempts = ?, last_error = ?, last_error_en = ? WHERE {which}"
        )
    };
    let mut q = sqlx::query(&sql)
        .bind(i64::from(attempts))
        .bind(err.message_zh())
        .bind(err.message_en());
    if rotate {
        q = q.bind(new_local_id("idem"));
    }
    target.bind(q).execute(store.pool()).await?;
    Ok(())
}

type ParkedTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    i64,
);

/// The parked items, each with what the officer may correct as `ops` describe it.
pub async fn parked(store: &Store, ops: &[&OpKind]) -> Result<Vec<ParkedItem>> {
    let rows: Vec<ParkedTuple> = sqlx::query_as(
        "SELECT 'outbox:' || p.id, p.kind, p.record_id, p.last_error, p.last_error_en, p.attempts, p.payload,
                (SELECT COUNT(*) FROM outbox o WHERE o.parked = 0
                   AND (o.waits_on = 'outbox:' || p.id OR (o.record_id = p.record_id AND o.id > p.id)))
           FROM outbox p WHERE p.parked = 1
         UNION ALL
         SELECT 'upload:' || u.local_id, 'upload', u.local_id, u.last_error, u.last_error_en, u.attempts, NULL,
                (SELECT COUNT(*) FROM outbox o WHERE o.parked = 0 AND o.waits_on = 'upload:' || u.local_id)
           FROM uploads u WHERE u.parked = 1
         ORDER BY 1",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ParkedItem {
            id: r.0,
            kind: r.1.clone(),
            record_id: r.2,
            reason_zh: r.3.unwrap_or_default(),
            reason_en: r.4.unwrap_or_default(),
            attempts: u32::try_from(r.5).unwrap_or(u32::MAX),
            // A payload this version cannot read is still listed: retry and discard work.
            draft: r
                .6
                .and_then(|p| serde_json::from_str::<Value>(&p).ok())
                .and_then(|p| {
                    ops.iter()
                        .find(|o| o.kind == r.1)
                        .and_then(|o| (o.draft)(&p))
                }),
            holding: u32::try_from(r.7).unwrap_or(u32::MAX),
        })
        .collect())
}

/// Replaces a parked request of kind `op` with the officer's corrected one and queues it,
/// due now; `revise` turns the stored payload into the new fields and the record's new
/// draft. A request of another kind is `NOT_EDITABLE`. It goes under a new idempotency key:
/// the service refused the old one, and a key names one request body.
pub async fn revise<T: Serialize>(
    store: &Store,
    id: &str,
    op: &OpKind,
    revise: impl FnOnce(Item) -> Result<(T, Option<Value>)>,
) -> Result<String> {
    revise_superseding(store, id, op, &[], revise).await
}

/// [`revise`], also dropping the record's waiting requests of the kinds `superseded` in the
/// same transaction: the correction is the officer's last word (a corrected listing is not
/// to be overwritten by an edit queued before it).
pub async fn revise_superseding<T: Serialize>(
    store: &Store,
    id: &str,
    op: &OpKind,
    superseded: &[&str],
    revise: impl FnOnce(Item) -> Result<(T, Option<Value>)>,
) -> Result<String> {
    let Target::Outbox(n) = Target::parse(id)? else {
        return Err(Error::NotFound(id.into()));
    };
    let mut tx = store.write().await?;
    let row: Option<(String, i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT kind, version, record_id, idempotency_key, payload, attempts FROM outbox
         WHERE id = ? AND parked = 1",
    )
    .bind(n)
    .fetch_optional(&mut *tx)
    .await?;
    let (kind, version, record, key, stored, attempts) =
        row.ok_or_else(|| Error::NotFound(id.into()))?;
    if kind != op.kind {
        return Err(Error::NotEditable(kind));
    }
    let item = Item {
        id: n,
        kind,
        version: u32::try_from(version).unwrap_or(u32::MAX),
        record_id: record.clone(),
        key,
        payload: serde_json::from_str(&stored)?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
    };
    let (fields, draft) = revise(item)?;
    sqlx::query(
        "UPDATE outbox SET payload = ?, version = ?, idempotency_key = ?, parked = 0, attempts = 0,
                next_attempt_at = 0, last_error = NULL, last_error_en = NULL WHERE id = ?",
    )
    .bind(serde_json::to_string(&payload(op.kind, &fields)?)?)
    .bind(i64::from(op.version))
    .bind(new_local_id("idem"))
    .bind(n)
    .execute(&mut *tx)
    .await?;
    if let Some(draft) = draft {
        crate::records::update_draft(&mut tx, &record, &draft).await?;
    }
    for kind in superseded {
        supersede(&mut tx, &record, kind).await?;
    }
    release(&mut tx, id).await?;
    tx.commit().await?;
    Ok(record)
}

/// Puts a parked item back in the queue, due now.
pub async fn retry(store: &Store, id: &str) -> Result<()> {
    let target = Target::parse(id)?;
    let (table, which) = target.place();
    let sql = format!(
        "UPDATE {table} SET parked = 0, attempts = 0, next_attempt_at = 0 WHERE parked = 1 AND {which}"
    );
    let mut tx = store.write().await?;
    let done = target.bind(sqlx::query(&sql)).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound(id.into()));
    }
    release(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Drops a parked item for good, with whatever of its record was never sent.
pub async fn discard(store: &Store, id: &str) -> Result<()> {
    let mut tx = store.write().await?;
    match Target::parse(id)? {
        Target::Outbox(n) => {
            let row: Option<(String,)> = sqlx::query_as(
                "DELETE FROM outbox WHERE id = ? AND parked = 1 RETURNING record_id",
            )
            .bind(n)
            .fetch_optional(&mut *tx)
            .await?;
            let (record,) = row.ok_or_else(|| Error::NotFound(id.into()))?;
            // A record the service never got is gone with its request, and so is everything
            // queued after it for that record (it could only ever fail).
            if crate::records::delete_unsent(&mut tx, &record).await? {
                sqlx::query("DELETE FROM outbox WHERE record_id = ?")
                    .bind(&record)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        Target::Upload(l) => {
            let done = sqlx::query("DELETE FROM uploads WHERE local_id = ? AND parked = 1")
                .bind(l)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(Error::NotFound(id.into()));
            }
        }
    }
    release(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// A new idempotency key for item `id`: the service keeps its refusal under the old one, and
/// the item is to be sent again as a new request.
pub async fn rekey(tx: &mut Transaction<'static, Sqlite>, id: i64) -> Result<()> {
    sqlx::query("UPDATE outbox SET idempotency_key = ? WHERE id = ?")
        .bind(new_local_id("idem"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn remove_sent(tx: &mut Transaction<'static, Sqlite>, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM outbox WHERE id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What removing an enterprise from this computer would lose: requests and uploads not yet
/// sent, and records the service never got.
pub async fn unsent(store: &Store) -> Result<(u32, u32)> {
    let (items, drafts): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM outbox) + (SELECT COUNT(*) FROM uploads WHERE done = 0),
                (SELECT COUNT(*) FROM records WHERE server_id IS NULL)",
    )
    .fetch_one(store.pool())
    .await?;
    Ok((
        u32::try_from(items).unwrap_or(u32::MAX),
        u32::try_from(drafts).unwrap_or(u32::MAX),
    ))
}

/// Drops the queued and parked requests of `kind` for `record_id`: a request that states
/// the whole of something (a PUT) makes the earlier ones pointless. One being sent right
/// now still finishes; the new one follows it.
pub async fn supersede(
    tx: &mut Transaction<'static, Sqlite>,
    record_id: &str,
    kind: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM outbox WHERE record_id = ? AND kind = ?")
        .bind(record_id)
        .bind(kind)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether a request of `kind` for `record_id` is still queued or parked, as seen inside a
/// write transaction (so two callers cannot both find none and both queue one).
pub async fn waiting_in(
    tx: &mut Transaction<'static, Sqlite>,
    record_id: &str,
    kind: &str,
) -> Result<bool> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE record_id = ? AND kind = ?")
            .bind(record_id)
            .bind(kind)
            .fetch_one(&mut **tx)
            .await?;
    Ok(n > 0)
}

/// Whether a request of `record_id` waits for the officer (parked).
pub async fn parked_for(store: &Store, record_id: &str) -> Result<bool> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE record_id = ? AND parked = 1")
            .bind(record_id)
            .fetch_one(store.pool())
            .await?;
    Ok(n > 0)
}

/// Requests of `record_id` still queued or parked.
pub async fn pending_for(store: &Store, record_id: &str) -> Result<u32> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE record_id = ?")
        .bind(record_id)
        .fetch_one(store.pool())
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A request of a record that is still queued or parked, for views that show what waits.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingOp {
    /// `outbox:<n>`, as the parked list names it.
    pub id: String,
    pub payload: Value,
    /// Unix seconds of when it was queued.
    pub created_at: i64,
    pub parked: bool,
    pub reason_zh: Option<String>,
    pub reason_en: Option<String>,
}

/// The requests of `kind` for `record_id` still queued or parked, oldest first.
pub async fn pending_of(store: &Store, record_id: &str, kind: &str) -> Result<Vec<PendingOp>> {
    type Row = (i64, String, i64, bool, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, payload, created_at, parked, last_error, last_error_en FROM outbox
         WHERE record_id = ? AND kind = ? ORDER BY id",
    )
    .bind(record_id)
    .bind(kind)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PendingOp {
            id: format!("outbox:{}", r.0),
            // A row that is not JSON still counts as waiting; its content shows as nothing.
            payload: serde_json::from_str(&r.1).unwrap_or(Value::Null),
            created_at: r.2,
            parked: r.3,
            reason_zh: r.4,
            reason_en: r.5,
        })
        .collect())
}

/// The newest request of `record` among `kinds`, read inside the caller's transaction, with
/// whether it is parked.
pub async fn newest_of(
    tx: &mut Transaction<'static, Sqlite>,
    record: &str,
    kinds: &[&str],
) -> Result<Option<(Item, bool)>> {
    type Row = (i64, String, i64, String, String, i64, bool);
    let marks = vec!["?"; kinds.len()].join(", ");
    let sql = format!(
        "SELECT id, kind, version, idempotency_key, payload, attempts, parked FROM outbox
         WHERE record_id = ? AND kind IN ({marks}) ORDER BY id DESC LIMIT 1"
    );
    let mut query = sqlx::query_as::<_, Row>(&sql).bind(record);
    for kind in kinds {
        query = query.bind(*kind);
    }
    let Some((id, kind, version, key, payload, attempts, parked)) =
        query.fetch_optional(&mut **tx).await?
    else {
        return Ok(None);
    };
    let item = Item {
        id,
        kind,
        version: u32::try_from(version).unwrap_or(u32::MAX),
        record_id: record.into(),
        key,
        payload: serde_json::from_str(&payload)?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
    };
    Ok(Some((item, parked)))
}

/// Takes item `n` out of the queue inside the caller's transaction; whatever waited on it
/// is due again (and finds it gone).
pub async fn remove(tx: &mut Transaction<'static, Sqlite>, n: i64) -> Result<()> {
    sqlx::query("DELETE FROM outbox WHERE id = ?")
        .bind(n)
        .execute(&mut **tx)
        .await?;
    release(tx, &format!("outbox:{n}")).await
}

/// Drops the unfinished uploads among `local_ids` that no queued request names any more
/// (their request was taken back): left, they would go to the service for nothing, or sit
/// refused in the officer's list.
pub async fn drop_unused_uploads(
    tx: &mut Transaction<'static, Sqlite>,
    local_ids: &[String],
) -> Result<()> {
    for id in local_ids {
        let done = sqlx::query(
            "DELETE FROM uploads WHERE local_id = ?1 AND done = 0
               AND NOT EXISTS (SELECT 1 FROM outbox WHERE instr(payload, ?1) > 0)",
        )
        .bind(id)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() > 0 {
            release(tx, &format!("upload:{id}")).await?;
        }
    }
    Ok(())
}
