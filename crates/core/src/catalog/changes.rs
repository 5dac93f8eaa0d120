//! What the last sync changed in the library: documents new or changed, and documents
//! withdrawn, which keep their summary here instead of vanishing.
//!
//! Each catalog sync that changes documents is one *round* (`library_rounds`). The round is
//! opened by the first change a pull applies and closed when the documents feed reaches its
//! head, in the same transactions as the documents, so an interrupted pull resumed later is
//! still one round. A sync that changes nothing opens none: the badge keeps showing what the
//! last real change brought, however often the worker syncs. The first sync into an empty
//! library is a *baseline* round and marks nothing: everything would be "new".
//!
//! For the search's "only new" filter, a row `d` of `documents` is new or changed at the last
//! round when [`IS_NEW_SQL`] holds.

use serde::Serialize;
use specta::Type;
use sqlx::{Sqlite, Transaction};
use yiqifu_protocol::{Document, DocumentKind, PolicyLevel};

use super::{parse_kind, parse_level, DocumentSummary};
use crate::error::Result;
use crate::pull::now_rfc3339;
use crate::store::Store;

type Tx = Transaction<'static, Sqlite>;

/// A WHERE condition over a row `d` of `documents`: new or changed at the last sync that
/// changed the library. Takes no parameters.
pub const IS_NEW_SQL: &str = "(d.changed_round IS NOT NULL AND d.changed_round = \
     (SELECT MAX(round) FROM library_rounds WHERE closed_at IS NOT NULL))";

/// How a delivered document differs from the copy on this computer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    New,
    Changed,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Changed => "changed",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "new" => Some(Self::New),
            "changed" => Some(Self::Changed),
            _ => None,
        }
    }
}

/// What [`before_upsert`] found, for [`after_upsert`]: the search index may skip
/// re-indexing a document whose `kind` is `None` (delivered again unchanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Delivery {
    pub kind: Option<ChangeKind>,
    /// The round to mark it in; `None` in a baseline round (or when unchanged).
    round: Option<i64>,
}

/// The open round, opening one if there is none. Called before the change is written, so a
/// round opened by the first document of a sync sees whether the library was empty.
async fn open_round(tx: &mut Tx) -> Result<(i64, bool)> {
    let open: Option<(i64, bool)> =
        sqlx::query_as("SELECT round, baseline FROM library_rounds WHERE closed_at IS NULL")
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(r) = open {
        return Ok(r);
    }
    let (round, baseline): (i64, bool) = sqlx::query_as(
        "INSERT INTO library_rounds (round, baseline, started_at)
         SELECT COALESCE(MAX(round), 0) + 1,
                NOT EXISTS (SELECT 1 FROM documents) AND COUNT(*) = 0, ?
         FROM library_rounds
         RETURNING round, baseline",
    )
    .bind(now_rfc3339())
    .fetch_one(&mut **tx)
    .await?;
    Ok((round, baseline))
}

/// Compares a delivered document with the stored copy, before it is written. Only a real
/// difference counts: a full resync delivers every document again, unchanged.
pub(crate) async fn before_upsert(tx: &mut Tx, d: &Document) -> Result<Delivery> {
    let kind = match super::fetch(&mut **tx, &d.id).await? {
        None => Some(ChangeKind::New),
        Some(old) if old != *d => Some(ChangeKind::Changed),
        Some(_) => None,
    };
    let round = match kind {
        Some(_) => {
            let (round, baseline) = open_round(tx).await?;
            (!baseline).then_some(round)
        }
        None => None,
    };
    Ok(Delivery { kind, round })
}

/// Marks the written document new or changed in the round. Changed twice in one round (a
/// resumed pull), a new document stays new. One published again after its withdrawal is
/// new and no longer listed as withdrawn.
pub(crate) async fn after_upsert(tx: &mut Tx, id: &str, delivery: Delivery) -> Result<()> {
    if delivery.kind == Some(ChangeKind::New) {
        sqlx::query("DELETE FROM withdrawn_documents WHERE id = ?")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    let (Some(kind), Some(round)) = (delivery.kind, delivery.round) else {
        return Ok(());
    };
    sqlx::query(
        "UPDATE documents SET
             change_kind = CASE WHEN changed_round = ?1 AND change_kind = 'new' THEN 'new'
                                ELSE ?2 END,
             changed_round = ?1
         WHERE id = ?3",
    )
    .bind(round)
    .bind(kind.as_str())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const SUMMARY_COLUMNS: &str = "id, kind, title, level, district, issuer, doc_number, published_on";

/// Keeps the summary of the documents `condition` selects (binding `arg`) as withdrawn,
/// before they are deleted. Opens a round only when there is something to keep, so a
/// tombstone for a document never seen changes nothing.
async fn withdraw(tx: &mut Tx, condition: &str, arg: Arg<'_>) -> Result<()> {
    let sql = format!(
        "INSERT OR REPLACE INTO withdrawn_documents ({SUMMARY_COLUMNS}, withdrawn_round,
             withdrawn_at)
         SELECT {SUMMARY_COLUMNS}, -1, ? FROM documents WHERE {condition}"
    );
    let q = sqlx::query(&sql).bind(now_rfc3339());
    let q = match arg {
        Arg::Text(s) => q.bind(s),
        Arg::Int(n) => q.bind(n),
    };
    if q.execute(&mut **tx).await?.rows_affected() == 0 {
        return Ok(());
    }
    let (round, _) = open_round(tx).await?;
    sqlx::query("UPDATE withdrawn_documents SET withdrawn_round = ? WHERE withdrawn_round = -1")
        .bind(round)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

enum Arg<'a> {
    Text(&'a str),
    Int(i64),
}

/// Before a tombstone deletes document `id`.
pub(crate) async fn before_remove(tx: &mut Tx, id: &str) -> Result<()> {
    withdraw(tx, "id = ?", Arg::Text(id)).await
}

/// Before a full resync's sweep deletes what it did not deliver.
pub(crate) async fn before_sweep(tx: &mut Tx, generation: i64) -> Result<()> {
    withdraw(tx, "pull_generation < ?", Arg::Int(generation)).await
}

/// When the documents feed reached its head: the round, if one opened, is done.
pub(crate) async fn close_round(tx: &mut Tx) -> Result<()> {
    sqlx::query("UPDATE library_rounds SET closed_at = ? WHERE closed_at IS NULL")
        .bind(now_rfc3339())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A document the service withdrew, as it was last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct WithdrawnDocument {
    pub id: String,
    pub kind: DocumentKind,
    pub title: String,
    pub level: PolicyLevel,
    pub district: Option<String>,
    pub issuer: String,
    pub doc_number: Option<String>,
    pub published_on: String,
    /// RFC 3339 time of the sync that found it withdrawn.
    pub withdrawn_at: String,
}

/// What the last sync that changed the library brought.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct WhatsNew {
    /// Documents the library did not have, newest first.
    pub new: Vec<DocumentSummary>,
    /// Documents whose content changed.
    pub changed: Vec<DocumentSummary>,
    /// Documents the service withdrew.
    pub withdrawn: Vec<WithdrawnDocument>,
    /// RFC 3339 time of that sync; `None` before any.
    pub synced_at: Option<String>,
    /// RFC 3339 time of the sync before it, which these changes are relative to; `None`
    /// when there was none.
    pub since: Option<String>,
}

impl WhatsNew {
    /// What the badge counts.
    pub fn count(&self) -> u32 {
        u32::try_from(self.new.len() + self.changed.len() + self.withdrawn.len())
            .unwrap_or(u32::MAX)
    }
}

type SummaryRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
);

/// What the last sync that changed the library brought. Empty before the second sync: the
/// first brings the whole library, which is not news.
pub async fn whats_new(store: &Store) -> Result<WhatsNew> {
    let rounds: Vec<(i64, bool, Option<String>)> = sqlx::query_as(
        "SELECT round, baseline, closed_at FROM library_rounds WHERE closed_at IS NOT NULL
         ORDER BY round DESC LIMIT 2",
    )
    .fetch_all(store.pool())
    .await?;
    let Some((round, baseline, synced_at)) = rounds.first().cloned() else {
        return Ok(WhatsNew::default());
    };
    let since = rounds.get(1).and_then(|r| r.2.clone());
    if baseline {
        return Ok(WhatsNew {
            synced_at,
            ..WhatsNew::default()
        });
    }
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, kind, title, level, district, issuer, doc_number, published_on, summary,
                tags, change_kind
         FROM documents WHERE changed_round = ? ORDER BY published_on DESC, id",
    )
    .bind(round)
    .fetch_all(store.pool())
    .await?;
    let mut out = WhatsNew {
        synced_at,
        since,
        ..WhatsNew::default()
    };
    for r in rows {
        let kind = r.10.as_deref().and_then(ChangeKind::parse);
        let s = DocumentSummary::from_columns((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9))?;
        match kind {
            Some(ChangeKind::Changed) => out.changed.push(s),
            _ => out.new.push(s),
        }
    }
    out.withdrawn = withdrawn_where(store, "withdrawn_round = ?", Some(round)).await?;
    Ok(out)
}

/// The badge: how many documents the last sync that changed the library made new, changed
/// or withdrew.
pub async fn new_count(store: &Store) -> Result<u32> {
    let last: Option<(i64, bool)> = sqlx::query_as(
        "SELECT round, baseline FROM library_rounds WHERE closed_at IS NOT NULL
         ORDER BY round DESC LIMIT 1",
    )
    .fetch_optional(store.pool())
    .await?;
    let Some((round, false)) = last else {
        return Ok(0);
    };
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM documents WHERE changed_round = ?1)
              + (SELECT COUNT(*) FROM withdrawn_documents WHERE withdrawn_round = ?1)",
    )
    .bind(round)
    .fetch_one(store.pool())
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Every document the service withdrew while this computer followed the catalog, latest
/// first.
pub async fn withdrawn(store: &Store) -> Result<Vec<WithdrawnDocument>> {
    withdrawn_where(store, "1", None).await
}

type WithdrawnRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
);

async fn withdrawn_where(
    store: &Store,
    condition: &str,
    round: Option<i64>,
) -> Result<Vec<WithdrawnDocument>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, withdrawn_at FROM withdrawn_documents WHERE {condition}
         ORDER BY withdrawn_round DESC, published_on DESC, id"
    );
    let mut q = sqlx::query_as::<_, WithdrawnRow>(&sql);
    if let Some(r) = round {
        q = q.bind(r);
    }
    q.fetch_all(store.pool())
        .await?
        .into_iter()
        .map(withdrawn_from)
        .collect()
}

fn withdrawn_from(r: WithdrawnRow) -> Result<WithdrawnDocument> {
    Ok(WithdrawnDocument {
        id: r.0,
        kind: parse_kind(&r.1)?,
        title: r.2,
        level: parse_level(&r.3)?,
        district: r.4,
        issuer: r.5,
        doc_number: r.6,
        published_on: r.7,
        withdrawn_at: r.8,
    })
}

/// The withdrawn documents among `ids`, for bookmarks on documents no longer in the catalog.
pub async fn withdrawn_among(store: &Store, ids: &[&str]) -> Result<Vec<WithdrawnDocument>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, withdrawn_at FROM withdrawn_documents WHERE id IN ({marks})"
    );
    let mut q = sqlx::query_as::<_, WithdrawnRow>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(store.pool())
        .await?
        .into_iter()
        .map(withdrawn_from)
        .collect()
}
