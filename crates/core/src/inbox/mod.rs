//! 反馈汇总: what the authorities sent the enterprise, pulled into its own database, and
//! the read marks it sends back.

pub(crate) mod op;

use serde_json::Value;
use yiqifu_protocol::InboxEntry;

use crate::error::{Error, Result};
use crate::pull::{key_id, Feed, Items};
use crate::workspace::Workspace;

pub const INBOX: &str = "inbox";
pub(crate) const TABLE: &str = "feed_items";

static ITEMS: Items = Items {
    table: TABLE,
    collection: INBOX,
    key: key_id,
};

/// The enterprise's own feeds, pulled into its database.
pub(crate) static FEEDS: [Feed; 1] = [Feed {
    collection: INBOX,
    path: "api/v1/inbox",
    store: &ITEMS,
}];

impl Workspace {
    /// The inbox as last pulled, as the service sent it.
    pub async fn inbox(&self) -> Result<Vec<Value>> {
        crate::pull::items(self.store(), TABLE, INBOX).await
    }

    /// The inbox, newest first; an entry marked read here shows as read before the service
    /// has heard of it.
    pub async fn inbox_entries(&self) -> Result<Vec<InboxEntry>> {
        let marked: Vec<(String,)> = sqlx::query_as("SELECT record_id FROM outbox WHERE kind = ?")
            .bind(op::MARK_READ.kind)
            .fetch_all(self.store().pool())
            .await?;
        let mut entries = self
            .inbox()
            .await?
            .into_iter()
            .map(|v| {
                serde_json::from_value::<InboxEntry>(v)
                    .map_err(|e| Error::MalformedResponse(format!("inbox entry: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        for e in &mut entries {
            if marked.iter().any(|(r,)| r == &format!("inbox:{}", e.id)) {
                e.read = true;
            }
        }
        entries.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(entries)
    }

    pub async fn mark_inbox_read(&self, entry: &str) -> Result<()> {
        let fields = op::MarkRead {
            entry: entry.into(),
        };
        self.enqueue_for(&format!("inbox:{entry}"), &op::MARK_READ, &fields)
            .await
    }
}
