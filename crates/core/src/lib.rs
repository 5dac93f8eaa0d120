//! yiqifu-core: everything the Yiqifu desktop client knows, with no Tauri dependency.
//! The shell (src-tauri) only adapts these functions to commands and events.
//!
//! `App` is app-wide; each enterprise's work is a [`Workspace`]. Features live in their own
//! modules (catalog, selfcheck, appeals, listings, application, inbox), each owning its tables and its
//! outbox requests; `backup` writes and restores them all; `infra` is the plumbing they share.

pub mod app;
pub mod infra;
pub mod workspace;

pub mod appeals;
pub mod application;
pub mod backup;
pub mod catalog;
pub mod inbox;
pub mod library;
pub mod listings;
pub mod roster;
pub mod selfcheck;

pub use infra::{
    changes, client, clock, data_folder, error, materials, outbox, pull, records, secrets, store,
};

pub use app::{App, ServerChoice, Status};

/// This build of the core, the version every crate of the workspace shares.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub use changes::{Changed, Topic};
pub use error::{Error, ErrorInfo, Result};
pub use workspace::{RemovalPreview, SyncConfig, Workspace, WorkspaceSummary};
