//! The window's size and place, remembered between runs (the official window-state
//! plugin). Saved a moment after each resize or move, not only at a clean exit: an app
//! ended by the system, or a crash, keeps what the officer set. On Wayland the position is
//! neither saved nor restored: the compositor places windows, and a restored position is
//! ignored at best.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{Manager, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// The file, in the app's config folder; inside the data folder when `YIQIFU_DATA_DIR`
/// names one (a portable copy, and each test's app, keep their own).
const FILE: &str = "window-state.json";

/// How long the window must be still before its state is written.
const SETTLE: Duration = Duration::from_millis(500);

static CHANGES: AtomicU64 = AtomicU64::new(0);

fn on_wayland() -> bool {
    cfg!(target_os = "linux")
        && std::env::var_os("WAYLAND_DISPLAY").is_some()
        && std::env::var("GDK_BACKEND").map_or(true, |b| !b.contains("x11"))
}

fn flags() -> StateFlags {
    let mut flags = StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED;
    if on_wayland() {
        flags.remove(StateFlags::POSITION);
    }
    flags
}

pub fn plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    let file = match std::env::var_os("YIQIFU_DATA_DIR") {
        // An absolute name: the plugin joins it to the config folder, which it replaces.
        Some(dir) => std::path::Path::new(&dir).join(FILE).display().to_string(),
        None => FILE.to_string(),
    };
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(flags())
        .with_filename(file)
        .build()
}

/// Writes the state once the window has been still for [`SETTLE`].
pub fn window_event(window: &Window, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
        return;
    }
    let n = CHANGES.fetch_add(1, Ordering::SeqCst) + 1;
    let handle = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        if CHANGES.load(Ordering::SeqCst) != n {
            return;
        }
        // On the main thread: the plugin holds its cache's lock while it asks the window for
        // its size, which from another thread is a round trip to the main thread, and the
        // main thread takes that lock on every move or resize. Saved from a worker thread, a
        // resize at that moment would leave each waiting on the other: the app frozen.
        let saver = handle.clone();
        let queued = handle.run_on_main_thread(move || {
            if let Err(e) = saver.save_window_state(flags()) {
                tracing::warn!(error = %e, "the window's size was not saved");
            }
        });
        if let Err(e) = queued {
            tracing::warn!(error = %e, "the window's size was not saved");
        }
    });
}
