//! yiqifu-core: everything the Yiqifu desktop client knows, with no Tauri dependency.
//! The shell (src-tauri) only adapts these functions to commands and events.

pub mod app;
pub mod client;
pub mod error;
pub mod materials;
pub mod outbox;
pub mod policy;
pub mod secrets;
pub mod store;
pub mod sync;
pub mod worker;

pub use app::{App, ServerChoice, Status};
pub use error::{Error, ErrorInfo, Result};
pub use worker::SyncConfig;
