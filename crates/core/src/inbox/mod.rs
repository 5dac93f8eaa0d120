//! 反馈汇总: what the authorities sent the enterprise, pulled into its own database, the
//! read marks it sends back, and where each entry leads.

pub(crate) mod notify;
pub(crate) mod op;
mod store;

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;
use specta::Type;
use yiqifu_protocol::InboxEntry;

use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::pull::{key_id, Feed, Items};
use crate::workspace::Workspace;

pub const INBOX: &str = "inbox";
pub(crate) const TABLE: &str = "feed_items";

static ITEMS: Items = Items {
    table: TABLE,
    collection: INBOX,
    key: key_id,
};

/// The inbox feed, pulled into the enterprise's database.
pub(crate) static FEEDS: [Feed; 1] = [Feed {
    collection: INBOX,
    path: "api/v1/inbox",
    store: &ITEMS,
}];

/// Where an inbox entry leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboxTarget {
    /// An application sent from here (its local record).
    Application { record_id: String },
    /// An appeal, by its key (a local id, or `srv:<id>`).
    Appeal { key: String },
    /// A listing, `srv:<id>` of the one the entry is about; for a match, `own_key` is the
    /// enterprise's own listing when this computer filed it.
    Listing {
        key: String,
        own_key: Option<String>,
    },
    /// The record is not on this computer (sent from elsewhere, or withdrawn).
    Missing,
}

/// The outbox record of an entry's read mark.
fn mark_record(entry: &str) -> String {
    format!("inbox:{entry}")
}

impl Workspace {
    /// The inbox as last pulled, as the service sent it.
    pub async fn inbox(&self) -> Result<Vec<Value>> {
        crate::pull::items(self.store(), TABLE, INBOX).await
    }

    /// The inbox, newest first. An entry marked read here is read from then on, before and
    /// after its mark reaches the service. An entry this version cannot read is left out
    /// (and logged) rather than hiding the others.
    pub async fn inbox_entries(&self) -> Result<Vec<InboxEntry>> {
        let marks = store::marks(self.store()).await?;
        // Marks queued by the version before the marks table.
        let queued: HashSet<String> =
            sqlx::query_as::<_, (String,)>("SELECT record_id FROM outbox WHERE kind = ?")
                .bind(op::MARK_READ.kind)
                .fetch_all(self.store().pool())
                .await?
                .into_iter()
                .map(|(r,)| r)
                .collect();
        let mut entries = Vec::new();
        for v in self.inbox().await? {
            match serde_json::from_value::<InboxEntry>(v) {
                Ok(mut e) => {
                    if marks.contains(&e.id) || queued.contains(&mark_record(&e.id)) {
                        e.read = true;
                    }
                    entries.push(e);
                }
                Err(e) => tracing::warn!(error = %e, "unreadable inbox entry skipped"),
            }
        }
        entries.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(entries)
    }

    /// Unread entries: the menu badge and the window title. Counted from the list itself,
    /// so the badge never counts an entry the list leaves out.
    pub async fn inbox_unread(&self) -> Result<u32> {
        let n = self
            .inbox_entries()
            .await?
            .iter()
            .filter(|e| !e.read)
            .count();
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Marks an entry read here and queues the mark for the service, in one transaction;
    /// nothing happens for one already read.
    pub async fn mark_inbox_read(&self, entry: &str) -> Result<()> {
        let e = self
            .inbox_entries()
            .await?
            .into_iter()
            .find(|e| e.id == entry)
            .ok_or_else(|| Error::NotFound(entry.into()))?;
        if e.read {
            return Ok(());
        }
        self.mark_read(&[e.id]).await?;
        Ok(())
    }

    /// Marks every unread entry read; returns how many were.
    pub async fn mark_inbox_all_read(&self) -> Result<u32> {
        let unread: Vec<String> = self
            .inbox_entries()
            .await?
            .into_iter()
            .filter(|e| !e.read)
            .map(|e| e.id)
            .collect();
        self.mark_read(&unread).await?;
        Ok(u32::try_from(unread.len()).unwrap_or(u32::MAX))
    }

    async fn mark_read(&self, entries: &[String]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut tx = self.store().write().await?;
        for id in entries {
            store::mark(&mut tx, id).await?;
            let fields = op::MarkRead { entry: id.clone() };
            crate::outbox::enqueue(&mut tx, &mark_record(id), &op::MARK_READ, &fields).await?;
        }
        tx.commit().await?;
        self.after_write(&[Topic::Inbox, Topic::Outbox]).await
    }

    /// Where the entry leads: the application, appeal or listing it is about.
    pub async fn inbox_target(&self, entry: &str) -> Result<InboxTarget> {
        let e = self
            .inbox_entries()
            .await?
            .into_iter()
            .find(|e| e.id == entry)
            .ok_or_else(|| Error::NotFound(entry.into()))?;
        let local_of = |kind: &'static str, server: String| async move {
            Ok::<_, Error>(
                crate::records::list(self.store(), Some(kind))
                    .await?
                    .into_iter()
                    .find(|r| r.server_id.as_deref() == Some(server.as_str()))
                    .map(|r| r.local_id),
            )
        };
        Ok(match e.ref_type.as_str() {
            "application" => match local_of("application", e.ref_id).await? {
                Some(record_id) => InboxTarget::Application { record_id },
                None => InboxTarget::Missing,
            },
            "appeal" => match self
                .appeal_key(&crate::records::server_key(&e.ref_id))
                .await
            {
                Ok(key) => InboxTarget::Appeal { key },
                Err(Error::NotFound(_)) => InboxTarget::Missing,
                Err(err) => return Err(err),
            },
            "listing" => InboxTarget::Listing {
                key: crate::records::server_key(&e.ref_id),
                own_key: match e.related_id {
                    Some(own) => Some(self.own_listing_key(&own).await?),
                    None => None,
                },
            },
            _ => InboxTarget::Missing,
        })
    }
}
