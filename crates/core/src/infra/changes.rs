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
}

/// Sent after a write: `enterprise` is the workspace it happened in, `None` for app-wide data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Changed {
    pub enterprise: Option<String>,
    pub topics: Vec<Topic>,
}
