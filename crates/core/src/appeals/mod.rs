//! 诉求协调: the appeals an enterprise files, from a draft kept here to the thread with the
//! authority, its response clock and the rating.

mod draft;
pub(crate) mod op;
mod read;
mod store;

pub(crate) use store::count as draft_count;
pub mod view;

use yiqifu_protocol::{NewAppeal, NewMessage, Rating};

use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::pull::{key_id, Feed, Items};
use crate::workspace::Workspace;

pub use view::{
    AppealDraftFields, AppealDraftView, AppealQuery, AppealStage, AppealSummary, AppealView,
    AttachmentRule, AttachmentView, Delivery, ThreadMessage,
};

/// The pulled appeals of the enterprise, kept as the service sent them.
pub const APPEALS: &str = "appeals";

static ITEMS: Items = Items {
    table: crate::inbox::TABLE,
    collection: APPEALS,
    key: key_id,
};

/// The enterprise's appeals as the service has them (replies, steps, deadlines).
pub(crate) static FEEDS: [Feed; 1] = [Feed {
    collection: APPEALS,
    path: "api/v1/appeals",
    store: &ITEMS,
}];

/// Keeps the service's answer about an appeal filed elsewhere as its pulled copy (the next
/// pull replaces it). An answer that is not an appeal is left alone.
pub(crate) async fn keep_answer(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    answer: &serde_json::Value,
) -> Result<()> {
    let Ok(appeal) = serde_json::from_value::<yiqifu_protocol::Appeal>(answer.clone()) else {
        return Ok(());
    };
    // Never over a newer copy a pull stored meanwhile (a reply the cursor is already past).
    sqlx::query(
        "UPDATE feed_items SET body = ? WHERE collection = ? AND key = ?
             AND COALESCE(json_extract(body, '$.updated_at'), '') <= ?",
    )
    .bind(serde_json::to_string(answer)?)
    .bind(APPEALS)
    .bind(&appeal.id)
    .bind(appeal.updated_at.unwrap_or_default())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Workspace {
    /// Files an appeal (诉求) at once; `attachments` are local upload ids. The app files
    /// through drafts ([`Workspace::send_appeal_draft`]); tests and the sync client use this.
    pub async fn create_appeal(&self, appeal: NewAppeal) -> Result<String> {
        let fields = op::Create { appeal };
        self.create_record("appeal", &fields.appeal, &op::CREATE, &fields)
            .await
    }

    /// Queues a follow-up message on the appeal `key` (a local id or `srv:<id>`).
    pub async fn send_appeal_message(&self, key: &str, body: &str) -> Result<()> {
        let problems = NewMessage { body: body.into() }.problems();
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let key = self.appeal_key(key).await?;
        let view = self.appeal(&key).await?;
        if !view.can_message {
            return Err(Error::AppealClosed);
        }
        // Counting the ones not sent yet: each will be.
        let sent = view
            .thread
            .iter()
            .filter(|m| m.from == yiqifu_protocol::Party::Enterprise)
            .count();
        let problems = yiqifu_protocol::limits::thread_problems(sent);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let fields = op::Message {
            appeal: key.clone(),
            body: body.trim().into(),
        };
        self.enqueue_for(&key, &op::MESSAGE, &fields).await?;
        self.changed(&[Topic::Appeals]);
        Ok(())
    }

    /// Rates the appeal `key` once, after the authority replied; sent through the outbox.
    pub async fn rate_appeal(&self, key: &str, rating: Rating) -> Result<()> {
        let problems = rating.problems();
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let view = self.appeal(key).await?;
        if view.rating.is_some() {
            return Err(Error::AlreadyRated);
        }
        if !view.can_rate {
            return Err(Error::RatingNotOpen);
        }
        let key = view.summary.key;
        let comment = rating
            .comment
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        let fields = op::Rate {
            appeal: key.clone(),
            rating: Rating {
                score: rating.score,
                comment,
            },
        };
        // Checked again under the write lock: of two quick submits, the second finds the
        // first queued instead of queuing a rating the service would refuse.
        let mut tx = self.store().write().await?;
        if crate::outbox::waiting_in(&mut tx, &key, op::RATE.kind).await? {
            return Err(Error::AlreadyRated);
        }
        crate::outbox::enqueue(&mut tx, &key, &op::RATE, &fields).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Outbox, Topic::Appeals]).await
    }

    /// Sends a parked appeal again as the officer corrected it; its attachments stay.
    pub async fn revise_appeal(&self, id: &str, appeal: NewAppeal) -> Result<()> {
        self.revise(id, &op::CREATE, |item| op::revise_create(item, appeal))
            .await
    }

    /// Sends a parked message again as the officer corrected it.
    pub async fn revise_message(&self, id: &str, body: &str) -> Result<()> {
        self.revise(id, &op::MESSAGE, |item| op::revise_message(item, body))
            .await
    }
}
