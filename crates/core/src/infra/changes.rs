//! Which reads a write made stale. The core names the topics it changed, and the UI reloads
//! the views that read them, instead of guessing when to reload.

use serde::Serialize;
use specta::Type;

/// A kind of data a view reads. Each feature names its own; a write lists what it touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// The enterprises on this computer: added, removed, signed in or out, switched.
    Workspaces,
    /// The public catalog: policies, guidance, templates, material rules.
    Catalog,
    /// What waits to be sent, and what the service refused (parked).
    Outbox,
    /// The enterprise's own records and the service's answers to them.
    Records,
    /// What the authorities sent back.
    Inbox,
    /// The company profile, self-check drafts and results.
    SelfCheck,
    /// The returning-staff roster.
    Roster,
    /// The application being prepared, its files and forms, and the applications sent.
    Application,
    /// Appeal drafts, the appeals filed and their threads.
    Appeals,
    /// The supply-and-demand listings, the enterprise's own and everyone's.
    Listings,
    /// The enterprise's bookmarks and private notes on catalog documents.
    Library,
}

impl Topic {
    /// Every topic: what a view reloads when it may have missed a change.
    pub const ALL: [Topic; 11] = [
        Topic::Workspaces,
        Topic::Catalog,
        Topic::Outbox,
        Topic::Records,
        Topic::Inbox,
        Topic::SelfCheck,
        Topic::Roster,
        Topic::Application,
        Topic::Appeals,
        Topic::Listings,
        Topic::Library,
    ];
}

/// Sent after a write: `enterprise` is the workspace it happened in, `None` for app-wide data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Changed {
    pub enterprise: Option<String>,
    pub topics: Vec<Topic>,
}

/// Packaging under way, for the progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct PackageProgress {
    pub enterprise: String,
    #[specta(type = f64)]
    pub done: u64,
    #[specta(type = f64)]
    pub total: u64,
}

/// A change of an application's state the officer should hear of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct StatusNotice {
    pub enterprise: String,
    pub record_id: String,
    pub state: yiqifu_protocol::ApplicationState,
    pub title_zh: String,
    pub title_en: String,
    pub body_zh: String,
    pub body_en: String,
}

/// A new entry of an enterprise's inbox, told once (desktop notification, in-window notice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct InboxNotice {
    pub enterprise: String,
    pub entry_id: String,
    pub kind: yiqifu_protocol::InboxKind,
    pub title: String,
    pub body: String,
    /// Which enterprise it is for, as the notification names it (several may be signed in).
    pub enterprise_name: String,
}
