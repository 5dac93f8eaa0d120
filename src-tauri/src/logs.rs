//! The app's log: to stderr as before, and to files in the log folder (one a day, the last
//! [`KEEP`] kept), stamped in local time, since an officer's "it failed yesterday at three"
//! is local. What is logged never carries a token or a password: the core's types redact
//! them, and the end-to-end suite reads these files for both.

use std::path::{Path, PathBuf};

use tauri::Manager;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::fmt::time::ChronoLocal;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// Days of log files kept.
pub const KEEP: usize = 14;

/// The file names' start: `yiqifu-desktop.2026-12-04.log`.
pub const PREFIX: &str = "yiqifu-desktop";

/// Where the log goes: the platform's log folder for the app, or `logs` inside a data folder
/// given by `YIQIFU_DATA_DIR` (a portable copy and each test keep theirs apart).
pub fn folder(handle: &tauri::AppHandle, data_dir: &Path) -> PathBuf {
    if std::env::var_os("YIQIFU_DATA_DIR").is_some() {
        return data_dir.join("logs");
    }
    handle
        .path()
        .app_log_dir()
        .unwrap_or_else(|_| data_dir.join("logs"))
}

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into())
}

/// Starts logging to stderr and to `dir`. A folder that cannot be written leaves the log on
/// stderr only, and says so: the app is no less usable without its file log.
pub fn start(dir: &Path) {
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_timer(ChronoLocal::rfc_3339());
    let files = std::fs::create_dir_all(dir)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            Builder::new()
                .rotation(Rotation::DAILY)
                .filename_prefix(PREFIX)
                .filename_suffix("log")
                .max_log_files(KEEP)
                .build(dir)
                .map_err(|e| e.to_string())
        });
    let (appender, failed) = match files {
        Ok(appender) => (Some(appender), None),
        Err(e) => (None, Some(e)),
    };
    let file = appender.map(|appender| {
        fmt::layer()
            .with_writer(appender)
            .with_ansi(false)
            .with_timer(ChronoLocal::rfc_3339())
    });
    let _ = tracing_subscriber::registry()
        .with(filter())
        .with(stderr)
        .with(file)
        .try_init();
    match failed {
        None => tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            folder = %dir.display(),
            "Yiqifu Desktop started"
        ),
        Some(e) => {
            tracing::warn!(folder = %dir.display(), error = %e, "no log file: logging to stderr only")
        }
    }
}
