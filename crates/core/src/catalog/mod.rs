//! The public catalog, shared by every enterprise on this computer and synced once: the
//! offline policy and guidance library (政策查询 / 防疫指导), the self-check templates and
//! the material rules. It lives in the app's database; only this module touches its tables.

use serde::Serialize;
use serde_json::Value;
use specta::Type;
use sqlx::{Sqlite, Transaction};
use yiqifu_protocol::calendar::{CalendarYear, WorkCalendar};
use yiqifu_protocol::{
    appeal_attachment_rule, Document, DocumentKind, KeyCondition, MaterialRule, PolicyLevel,
    APPEAL_ATTACHMENT,
};

pub mod citations;
pub mod pinyin;
pub mod search;
pub mod text;

use crate::error::{Error, Result};
use crate::outbox::BoxFuture;
use crate::pull::{Feed, FeedStore, Items};
use crate::store::Store;

pub mod changes;
pub mod status;
#[cfg(test)]
mod tests;
mod view;

pub use changes::{new_count, whats_new, withdrawn, ChangeKind, WhatsNew, WithdrawnDocument};
pub use status::{document_status, DocStatus};
pub use view::{statuses, summaries_of, view, DocumentRef, DocumentView};

pub const DOCUMENTS: &str = "documents";
pub const TEMPLATES: &str = "templates";
pub const MATERIAL_RULES: &str = "material_rules";
/// The working-day calendar, a year per entry.
pub const CALENDAR: &str = "calendar";
/// Rules of files that are not application materials (an appeal's attachments).
pub const ATTACHMENT_RULES: &str = "attachment_rules";
const TABLE: &str = "catalog_items";

fn key_template(v: &Value) -> Option<String> {
    Some(format!(
        "{}@{}",
        v.get("id")?.as_str()?,
        v.get("version")?.as_u64()?
    ))
}

fn key_year(v: &Value) -> Option<String> {
    v.get("year")?.as_i64().map(|y| y.to_string())
}

fn key_type(v: &Value) -> Option<String> {
    v.get("type")?.as_str().map(str::to_string)
}

static TEMPLATE_ITEMS: Items = Items {
    table: TABLE,
    collection: TEMPLATES,
    key: key_template,
};
static RULE_ITEMS: Items = Items {
    table: TABLE,
    collection: MATERIAL_RULES,
    key: key_type,
};

static CALENDAR_ITEMS: Items = Items {
    table: TABLE,
    collection: CALENDAR,
    key: key_year,
};
static ATTACHMENT_RULE_ITEMS: Items = Items {
    table: TABLE,
    collection: ATTACHMENT_RULES,
    key: key_type,
};

/// Documents go to their own table, with the columns the library filters on.
struct Documents;

impl FeedStore for Documents {
    fn apply<'a>(
        &'a self,
        tx: &'a mut Transaction<'static, Sqlite>,
        item: Value,
        generation: i64,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let d: Document = serde_json::from_value(item)
                .map_err(|e| Error::MalformedResponse(e.to_string()))?;
            upsert(tx, &d, generation).await
        })
    }

    fn remove<'a>(
        &'a self,
        tx: &'a mut Transaction<'static, Sqlite>,
        key: &'a str,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(remove(tx, key))
    }

    fn sweep<'a>(
        &'a self,
        tx: &'a mut Transaction<'static, Sqlite>,
        generation: i64,
    ) -> BoxFuture<'a, Result<u64>> {
        Box::pin(sweep_older_than(tx, generation))
    }

    fn finish<'a>(&'a self, tx: &'a mut Transaction<'static, Sqlite>) -> BoxFuture<'a, Result<()>> {
        Box::pin(changes::close_round(tx))
    }
}

static DOCUMENT_STORE: Documents = Documents;

/// The catalog's feeds, pulled into the app's database.
pub static FEEDS: [Feed; 5] = [
    Feed {
        collection: DOCUMENTS,
        path: "api/v1/catalog/documents",
        store: &DOCUMENT_STORE,
    },
    Feed {
        collection: TEMPLATES,
        path: "api/v1/catalog/templates",
        store: &TEMPLATE_ITEMS,
    },
    Feed {
        collection: MATERIAL_RULES,
        path: "api/v1/catalog/material-rules",
        store: &RULE_ITEMS,
    },
    Feed {
        collection: CALENDAR,
        path: "api/v1/catalog/calendar",
        store: &CALENDAR_ITEMS,
    },
    Feed {
        collection: ATTACHMENT_RULES,
        path: "api/v1/catalog/attachment-rules",
        store: &ATTACHMENT_RULE_ITEMS,
    },
];

/// The pulled entries of a catalog collection (templates, material rules), as JSON.
pub async fn collection(store: &Store, collection: &str) -> Result<Vec<Value>> {
    crate::pull::items(store, TABLE, collection).await
}

/// The material rules in the service's order (the order its list gives them).
pub async fn material_rules(store: &Store) -> Result<Vec<Value>> {
    crate::pull::items_in_feed_order(store, TABLE, MATERIAL_RULES).await
}

/// The working-day calendar as last synced. Before the first sync (or for a year the
/// service has not published) the tables this build carries stand in, and past those the
/// calendar assumes Monday to Friday and says so (`estimated`).
pub async fn calendar(store: &Store) -> Result<WorkCalendar> {
    let mut years: Vec<CalendarYear> = Vec::new();
    for v in collection(store, CALENDAR).await? {
        match serde_json::from_value::<CalendarYear>(v) {
            Ok(y) => years.push(y),
            // One bad year must not stop every deadline: that year is estimated instead.
            Err(e) => tracing::warn!(error = %e, "unreadable calendar year skipped"),
        }
    }
    let official = yiqifu_protocol::calendar::official_years()?;
    for y in official {
        if !years.iter().any(|k| k.year == y.year) {
            years.push(y);
        }
    }
    Ok(WorkCalendar::new(years))
}

/// The rule of files of `material_type` outside the application (an appeal's attachments),
/// as published; the protocol's rule for appeal attachments before the first sync.
pub async fn attachment_rule(store: &Store, material_type: &str) -> Result<MaterialRule> {
    let published = collection(store, ATTACHMENT_RULES)
        .await?
        .into_iter()
        .filter_map(|v| serde_json::from_value::<MaterialRule>(v).ok())
        .find(|r| r.material_type == material_type);
    match published {
        Some(rule) => Ok(rule),
        None if material_type == APPEAL_ATTACHMENT => Ok(appeal_attachment_rule()),
        None => Err(Error::FileRefused {
            code: "MATERIAL_UNKNOWN",
            zh: format!("服务未列出附件类型“{material_type}”：请联网同步后重试。"),
            en: format!(
                "The service lists no attachment \"{material_type}\": sync, then try again."
            ),
        }),
    }
}

/// A row of the library list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DocumentSummary {
    pub id: String,
    pub kind: DocumentKind,
    pub title: String,
    pub level: PolicyLevel,
    pub district: Option<String>,
    pub issuer: String,
    pub doc_number: Option<String>,
    pub published_on: String,
    pub summary: String,
    pub tags: Vec<String>,
}

/// The summary columns of a `documents` row, in the order `id, kind, title, level, district,
/// issuer, doc_number, published_on, summary, tags` (queries select these first).
pub(crate) type SummaryColumns = (
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
);

impl DocumentSummary {
    pub(crate) fn from_columns(c: SummaryColumns) -> Result<Self> {
        Ok(Self {
            id: c.0,
            kind: parse_kind(&c.1)?,
            title: c.2,
            level: parse_level(&c.3)?,
            district: c.4,
            issuer: c.5,
            doc_number: c.6,
            published_on: c.7,
            summary: c.8,
            tags: serde_json::from_str(&c.9)?,
        })
    }
}

pub(crate) fn parse_kind(s: &str) -> Result<DocumentKind> {
    DocumentKind::parse(s).ok_or_else(|| Error::MalformedResponse(format!("kind {s}")))
}

pub(crate) fn parse_level(s: &str) -> Result<PolicyLevel> {
    PolicyLevel::parse(s).ok_or_else(|| Error::MalformedResponse(format!("level {s}")))
}

pub async fn get(store: &Store, id: &str) -> Result<Document> {
    fetch(store.pool(), id)
        .await?
        .ok_or_else(|| Error::NotFound(id.to_string()))
}

/// The stored document `id`, through a pool or inside a transaction.
pub(crate) async fn fetch<'e>(
    ex: impl sqlx::SqliteExecutor<'e>,
    id: &str,
) -> Result<Option<Document>> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, kind, title, level, district, issuer, doc_number, published_on, effective_on,
                expires_on, industries, tags, summary, body, key_conditions, supersedes
         FROM documents WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let key_conditions: Vec<KeyCondition> = serde_json::from_str(&r.14)?;
    Ok(Some(Document {
        id: r.0,
        kind: parse_kind(&r.1)?,
        title: r.2,
        level: parse_level(&r.3)?,
        district: r.4,
        issuer: r.5,
        doc_number: r.6,
        published_on: r.7,
        effective_on: r.8,
        expires_on: r.9,
        industries: serde_json::from_str(&r.10)?,
        tags: serde_json::from_str(&r.11)?,
        summary: r.12,
        body: r.13,
        key_conditions,
        supersedes: r.15,
    }))
}

/// The titles of the documents among `ids` that the catalog has, by id (one query, no bodies).
pub async fn titles(store: &Store, ids: &[&str]) -> Result<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!("SELECT id, title FROM documents WHERE id IN ({marks}) ORDER BY id");
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(store.pool()).await?)
}

pub async fn count(store: &Store) -> Result<u32> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM documents")
        .fetch_one(store.pool())
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

async fn upsert(
    tx: &mut Transaction<'static, Sqlite>,
    d: &Document,
    generation: i64,
) -> Result<()> {
    // Library: new or changed since the last sync (before the row is overwritten).
    let delivery = changes::before_upsert(tx, d).await?;
    sqlx::query(
        "INSERT INTO documents (id, kind, title, level, district, issuer, doc_number, published_on,
             effective_on, expires_on, industries, tags, summary, body, key_conditions, pull_generation,
             supersedes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
             level = excluded.level, district = excluded.district, issuer = excluded.issuer,
             doc_number = excluded.doc_number, published_on = excluded.published_on,
             effective_on = excluded.effective_on, expires_on = excluded.expires_on,
             industries = excluded.industries, tags = excluded.tags, summary = excluded.summary,
             body = excluded.body, key_conditions = excluded.key_conditions,
             pull_generation = excluded.pull_generation, supersedes = excluded.supersedes",
    )
    .bind(&d.id)
    .bind(d.kind.as_str())
    .bind(&d.title)
    .bind(d.level.as_str())
    .bind(&d.district)
    .bind(&d.issuer)
    .bind(&d.doc_number)
    .bind(&d.published_on)
    .bind(&d.effective_on)
    .bind(&d.expires_on)
    .bind(serde_json::to_string(&d.industries)?)
    .bind(serde_json::to_string(&d.tags)?)
    .bind(&d.summary)
    .bind(&d.body)
    .bind(serde_json::to_string(&d.key_conditions)?)
    .bind(generation)
    .bind(&d.supersedes)
    .execute(&mut **tx)
    .await?;
    // A document delivered again unchanged (a full resync) keeps its index entry.
    let changed = delivery.kind.is_some();
    changes::after_upsert(tx, &d.id, delivery).await?;
    if changed {
        search::put(tx, d).await?;
    }
    Ok(())
}

async fn remove(tx: &mut Transaction<'static, Sqlite>, id: &str) -> Result<()> {
    // Library: listed as withdrawn, never silently gone.
    changes::before_remove(tx, id).await?;
    sqlx::query("DELETE FROM documents WHERE id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    search::drop_entry(tx, id).await
}

/// After a full resync: whatever the new pull did not deliver is gone from the service.
async fn sweep_older_than(tx: &mut Transaction<'static, Sqlite>, generation: i64) -> Result<u64> {
    // Library: listed as withdrawn, never silently gone.
    changes::before_sweep(tx, generation).await?;
    search::drop_older_than(tx, generation).await?;
    let done = sqlx::query("DELETE FROM documents WHERE pull_generation < ?")
        .bind(generation)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}
