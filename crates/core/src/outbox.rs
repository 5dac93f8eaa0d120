//! The transactional outbox: an officer's action and the request that tells the service
//! are written in one transaction, and sent later, exactly once, by the worker.

use rand::Rng;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{Sqlite, Transaction};
use yiqifu_protocol::{NewAppeal, NewApplication, NewListing};

use crate::error::{Error, Result};
use crate::store::Store;

/// One request to make. Ids inside are local ids (records, uploads), resolved to the
/// service's ids when the request is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateAppeal { appeal: NewAppeal },
    CreateListing { listing: NewListing },
    WithdrawListing { listing: String },
    AppealMessage { appeal: String, body: String },
    SubmitApplication { application: NewApplication },
    MarkRead { entry: String },
}

impl Op {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CreateAppeal { .. } => "create_appeal",
            Self::CreateListing { .. } => "create_listing",
            Self::WithdrawListing { .. } => "withdraw_listing",
            Self::AppealMessage { .. } => "appeal_message",
            Self::SubmitApplication { .. } => "submit_application",
            Self::MarkRead { .. } => "mark_read",
        }
    }

    /// What of this request the officer may change, as it stands now.
    pub fn revision(&self) -> Option<Revision> {
        match self {
            Self::CreateAppeal { appeal } => Some(Revision::Appeal {
                appeal: appeal.clone(),
            }),
            Self::CreateListing { listing } => Some(Revision::Listing {
                listing: listing.clone(),
            }),
            Self::AppealMessage { body, .. } => Some(Revision::Message { body: body.clone() }),
            Self::SubmitApplication { application } => Some(Revision::Application {
                application: application.clone(),
            }),
            Self::WithdrawListing { .. } | Self::MarkRead { .. } => None,
        }
    }

    /// This request with the officer's changes. Local ids inside it (attachments, materials,
    /// self-check evidence) are kept as they were: a form cannot point them elsewhere.
    pub fn revised(&self, revision: Revision) -> Result<Op> {
        Ok(match (self, revision) {
            (Self::CreateAppeal { appeal: old }, Revision::Appeal { appeal }) => {
                Self::CreateAppeal {
                    appeal: NewAppeal {
                        attachments: old.attachments.clone(),
                        ..appeal
                    },
                }
            }
            (Self::CreateListing { .. }, Revision::Listing { listing }) => {
                Self::CreateListing { listing }
            }
            (Self::AppealMessage { appeal, .. }, Revision::Message { body }) => {
                Self::AppealMessage {
                    appeal: appeal.clone(),
                    body,
                }
            }
            (
                Self::SubmitApplication { application: old },
                Revision::Application { application },
            ) => Self::SubmitApplication {
                application: NewApplication {
                    selfcheck: old.selfcheck.clone(),
                    materials: old.materials.clone(),
                    ..application
                },
            },
            _ => return Err(Error::NotEditable(self.kind().into())),
        })
    }

    /// The record's own content, for requests that create one.
    fn draft(&self) -> Result<Option<serde_json::Value>> {
        Ok(match self {
            Self::CreateAppeal { appeal } => Some(serde_json::to_value(appeal)?),
            Self::CreateListing { listing } => Some(serde_json::to_value(listing)?),
            Self::SubmitApplication { application } => Some(serde_json::to_value(application)?),
            _ => None,
        })
    }
}

/// The part of a parked request the officer can correct before it is sent again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Revision {
    Appeal { appeal: NewAppeal },
    Listing { listing: NewListing },
    Message { body: String },
    Application { application: NewApplication },
}

/// An item the service refused for good, waiting for the officer to retry or discard it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ParkedItem {
    /// `outbox:<n>` or `upload:<local id>`.
    pub id: String,
    pub kind: String,
    pub record_id: String,
    pub reason_zh: String,
    pub reason_en: String,
    pub attempts: u32,
    /// What the officer can correct, when there is anything (not for uploads, withdrawals
    /// or read marks).
    pub revision: Option<Revision>,
}

pub fn new_local_id(prefix: &str) -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill(&mut b);
    format!("{prefix}-{}", hex::encode(b))
}

pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Queues `op` for `record_id` inside the caller's transaction; returns its retry key.
pub async fn enqueue(
    tx: &mut Transaction<'static, Sqlite>,
    record_id: &str,
    op: &Op,
) -> Result<String> {
    let key = new_local_id("idem");
    sqlx::query(
        "INSERT INTO outbox (kind, record_id, idempotency_key, payload, created_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(op.kind())
    .bind(record_id)
    .bind(&key)
    .bind(serde_json::to_string(op)?)
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(key)
}

/// A queued request ready to go.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub record_id: String,
    pub key: String,
    pub op: Op,
    pub attempts: u32,
}

/// The next item to send: due, not parked, and first in line for its record (an item
/// never overtakes an earlier one of the same record; a parked one holds only its record).
pub async fn next_due(store: &Store, now: i64) -> Result<Option<Item>> {
    let row: Option<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT o.id, o.record_id, o.idempotency_key, o.payload, o.attempts FROM outbox o
         WHERE o.parked = 0 AND o.next_attempt_at <= ?
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.record_id = o.record_id AND e.id < o.id)
         ORDER BY o.next_attempt_at, o.id LIMIT 1",
    )
    .bind(now)
    .fetch_optional(store.pool())
    .await?;
    match row {
        None => Ok(None),
        Some((id, record_id, key, payload, attempts)) => Ok(Some(Item {
            id,
            record_id,
            key,
            op: serde_json::from_str(&payload)?,
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        })),
    }
}

/// When the next queued item becomes due, if any.
pub async fn next_wakeup(store: &Store) -> Result<Option<i64>> {
    let (t,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(t) FROM (SELECT next_attempt_at AS t FROM outbox WHERE parked = 0
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

/// Sets an item aside with its reason until the officer acts on it.
pub async fn park(store: &Store, target: Target<'_>, attempts: u32, err: &Error) -> Result<()> {
    let (table, which) = target.place();
    let sql = format!(
        "UPDATE {table} SET parked = 1, attempts = ?, last_error = ?, last_error_en = ? WHERE {which}"
    );
    let q = sqlx::query(&sql)
        .bind(i64::from(attempts))
        .bind(err.message_zh())
        .bind(err.message_en());
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
);

pub async fn parked(store: &Store) -> Result<Vec<ParkedItem>> {
    let rows: Vec<ParkedTuple> = sqlx::query_as(
        "SELECT 'outbox:' || id, kind, record_id, last_error, last_error_en, attempts, payload FROM outbox WHERE parked = 1
         UNION ALL
         SELECT 'upload:' || local_id, 'upload', local_id, last_error, last_error_en, attempts, NULL FROM uploads WHERE parked = 1
         ORDER BY 1",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ParkedItem {
            id: r.0,
            kind: r.1,
            record_id: r.2,
            reason_zh: r.3.unwrap_or_default(),
            reason_en: r.4.unwrap_or_default(),
            attempts: u32::try_from(r.5).unwrap_or(u32::MAX),
            // A payload this version cannot read is still listed: retry and discard work.
            revision: r
                .6
                .and_then(|p| serde_json::from_str::<Op>(&p).ok())
                .and_then(|op| op.revision()),
        })
        .collect())
}

/// Replaces a parked request with the officer's corrected one and queues it, due now; the
/// record's draft follows. It goes under a new idempotency key: the service refused the old
/// one, and a key names one request body.
pub async fn revise(store: &Store, id: &str, revision: Revision) -> Result<()> {
    let Target::Outbox(n) = Target::parse(id)? else {
        return Err(Error::NotFound(id.into()));
    };
    let mut tx = store.write().await?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT record_id, payload FROM outbox WHERE id = ? AND parked = 1")
            .bind(n)
            .fetch_optional(&mut *tx)
            .await?;
    let (record, payload) = row.ok_or_else(|| Error::NotFound(id.into()))?;
    let op = serde_json::from_str::<Op>(&payload)?.revised(revision)?;
    sqlx::query(
        "UPDATE outbox SET payload = ?, idempotency_key = ?, parked = 0, attempts = 0,
                next_attempt_at = 0, last_error = NULL, last_error_en = NULL WHERE id = ?",
    )
    .bind(serde_json::to_string(&op)?)
    .bind(new_local_id("idem"))
    .bind(n)
    .execute(&mut *tx)
    .await?;
    if let Some(draft) = op.draft()? {
        sqlx::query(
            "UPDATE records SET draft = ?, updated_at = ? WHERE local_id = ? AND server_id IS NULL",
        )
        .bind(serde_json::to_string(&draft)?)
        .bind(now_unix())
        .bind(&record)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Puts a parked item back in the queue, due now.
pub async fn retry(store: &Store, id: &str) -> Result<()> {
    let target = Target::parse(id)?;
    let (table, which) = target.place();
    let sql = format!(
        "UPDATE {table} SET parked = 0, attempts = 0, next_attempt_at = 0 WHERE parked = 1 AND {which}"
    );
    let done = target.bind(sqlx::query(&sql)).execute(store.pool()).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound(id.into()));
    }
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
            let never_sent =
                sqlx::query("DELETE FROM records WHERE local_id = ? AND server_id IS NULL")
                    .bind(&record)
                    .execute(&mut *tx)
                    .await?;
            if never_sent.rows_affected() > 0 {
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
    tx.commit().await?;
    Ok(())
}

pub async fn remove_sent(tx: &mut Transaction<'static, Sqlite>, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM outbox WHERE id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use yiqifu_protocol::AppealCategory;

    fn appeal(title: &str, attachments: &[&str]) -> NewAppeal {
        NewAppeal {
            category: AppealCategory::Staffing,
            title: title.into(),
            description: "返岗人员核酸检测排队时间长。".into(),
            attachments: attachments.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn a_revision_changes_what_the_officer_wrote_and_keeps_local_ids() {
        let op = Op::CreateAppeal {
            appeal: appeal("旧标题", &["upload-1"]),
        };
        let revised = op
            .revised(Revision::Appeal {
                appeal: appeal("新标题", &["upload-of-someone-else"]),
            })
            .unwrap();
        assert_eq!(
            revised,
            Op::CreateAppeal {
                appeal: appeal("新标题", &["upload-1"])
            }
        );
        let msg = Op::AppealMessage {
            appeal: "appeal-1".into(),
            body: "旧".into(),
        };
        assert_eq!(
            msg.revised(Revision::Message { body: "新".into() })
                .unwrap(),
            Op::AppealMessage {
                appeal: "appeal-1".into(),
                body: "新".into()
            }
        );
        let withdraw = Op::WithdrawListing {
            listing: "listing-1".into(),
        };
        assert_eq!(withdraw.revision(), None);
        assert_eq!(
            withdraw
                .revised(Revision::Message { body: "x".into() })
                .unwrap_err()
                .code(),
            "NOT_EDITABLE"
        );
        assert_eq!(
            op.revised(Revision::Message { body: "x".into() })
                .unwrap_err()
                .code(),
            "NOT_EDITABLE"
        );
    }
}
