//! What the appeal commands return, as the UI reads it.

use serde::{Deserialize, Serialize};
use specta::Type;
use yiqifu_protocol::{
    AppealCategory, AppealContact, AppealState, AppealStep, FieldProblem, Party, Rating,
    ResponseClock,
};

pub use crate::records::Delivery;

/// The fields of an appeal being written, as typed (they may still be wrong).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AppealDraftFields {
    pub category: Option<AppealCategory>,
    pub title: String,
    pub description: String,
    pub contact_name: String,
    pub contact_phone: String,
}

/// A file attached to an appeal draft, checked and kept in the material store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AttachmentView {
    pub id: String,
    pub filename: String,
    #[specta(type = f64)]
    pub size: u64,
    pub format: String,
    pub sha256: String,
}

/// An appeal being written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AppealDraftView {
    pub id: String,
    pub fields: AppealDraftFields,
    pub attachments: Vec<AttachmentView>,
    /// What stops it from being sent, every field named; empty when it can go.
    pub problems: Vec<FieldProblem>,
    /// Unix seconds of the last save.
    #[specta(type = f64)]
    pub updated_at: i64,
}

/// What an appeal's attachments may be: the service's published rule, or the built-in one
/// before the first sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AttachmentRule {
    pub formats: Vec<String>,
    #[specta(type = f64)]
    pub max_bytes: u64,
    pub max_count: u32,
}

/// Which appeals the list shows; empty lists mean every state or category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AppealQuery {
    #[serde(default)]
    pub states: Vec<AppealState>,
    #[serde(default)]
    pub categories: Vec<AppealCategory>,
    /// Only the appeals with a promise past due and not met.
    #[serde(default)]
    pub overdue_only: bool,
}

/// Where an appeal stands: the service's state, or `unsent` while the service has no record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AppealStage {
    Unsent,
    Submitted,
    Accepted,
    Assigned,
    Replied,
    Closed,
}

impl From<AppealState> for AppealStage {
    fn from(s: AppealState) -> Self {
        match s {
            AppealState::Submitted => Self::Submitted,
            AppealState::Accepted => Self::Accepted,
            AppealState::Assigned => Self::Assigned,
            AppealState::Replied => Self::Replied,
            AppealState::Closed => Self::Closed,
        }
    }
}

/// A row of the appeal list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AppealSummary {
    /// Names the appeal in every command: the local record's id, or `srv:<id>` for an appeal
    /// filed elsewhere (another computer, the seeded demo).
    pub key: String,
    pub receipt_no: Option<String>,
    pub category: AppealCategory,
    pub title: String,
    pub stage: AppealStage,
    pub delivery: Delivery,
    /// RFC 3339: the service's filing time, or when it was sent from here while unsent.
    pub created_at: String,
    /// The response clock, once the service has the appeal.
    pub clock: Option<ResponseClock>,
    /// A promise (contact or first reply) is past due and not met.
    pub overdue: bool,
    /// Follow-up messages written here and not yet delivered.
    pub unsent_messages: u32,
    /// Rated, or a rating waits to be sent.
    pub rated: bool,
}

/// One message of an appeal's thread: the service's, or one written here not yet delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ThreadMessage {
    pub from: Party,
    pub body: String,
    /// RFC 3339: the service's time, or when it was written here while unsent.
    pub at: String,
    pub sent: bool,
    /// The service refused it: see 需处理, where it can be corrected.
    pub parked: bool,
    /// The queued request (`outbox:<n>`) while unsent.
    pub outbox_id: Option<String>,
}

/// An appeal in full: the service's record merged with what waits to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AppealView {
    pub summary: AppealSummary,
    pub description: String,
    pub contact: Option<AppealContact>,
    /// The attachments' file names.
    pub attachments: Vec<String>,
    pub assigned_to: Option<String>,
    pub timeline: Vec<AppealStep>,
    pub thread: Vec<ThreadMessage>,
    /// The rating given, sent or waiting to be.
    pub rating: Option<Rating>,
    pub rating_sent: bool,
    /// The authority has replied and no rating was given.
    pub can_rate: bool,
    pub can_message: bool,
}
