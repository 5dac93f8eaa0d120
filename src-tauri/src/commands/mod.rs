//! The commands the UI may call, one file per feature. Each is a thin adapter: argument in,
//! core call, result out. Workspace commands name their enterprise (its workspace id).
//! `build.rs` finds every `#[tauri::command]` here: registering one is writing it.

pub mod about;
pub mod app;
pub mod appeals;
pub mod application;
pub mod backup;
pub mod catalog;
pub mod data_folder;
pub mod inbox;
pub mod library;
pub mod listings;
pub mod outbox;
pub mod roster;
pub mod selfcheck;
pub mod settings;
pub mod workspaces;

use std::sync::Arc;

use tauri::State;
use yiqifu_core::{ErrorInfo, Workspace};

use crate::Shell;

pub(crate) type Shared<'a> = State<'a, Arc<Shell>>;
pub(crate) type CmdResult<T> = Result<T, ErrorInfo>;

impl Shell {
    /// The workspace a command names.
    pub(crate) fn ws(&self, enterprise: &str) -> yiqifu_core::Result<Arc<Workspace>> {
        self.app.workspace(enterprise)
    }
}

/// Every command, as build.rs found them, with their types for the bindings.
pub(crate) fn all() -> tauri_specta::Commands<tauri::Wry> {
    include!(concat!(env!("OUT_DIR"), "/commands.rs"))
}

/// Every command, as build.rs found them: what the running app answers with.
pub(crate) fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
    include!(concat!(env!("OUT_DIR"), "/handler.rs"))
}
