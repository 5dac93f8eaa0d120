//! 反馈汇总: what the authorities sent the enterprise, pulled into its own database, and
//! the read marks it sends back.

pub(crate) mod op;

use serde_json::Value;

use crate::error::Result;
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

    pub async fn mark_inbox_read(&self, entry: &str) -> Result<()> {
        let fields = op::MarkRead {
            entry: entry.into(),
        };
        self.enqueue_for(&format!("inbox:{entry}"), &op::MARK_READ, &fields)
            .await
    }
}
