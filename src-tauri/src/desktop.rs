//! What makes the app a desktop citizen beyond its window: files dropped onto it, desktop
//! notifications of new inbox entries, and the officer's preferences for both.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{DragDropEvent, Manager, UserAttentionType, Window, WindowEvent};
use tauri_specta::Event;
use yiqifu_core::changes::{InboxNotice, StatusNotice};

use crate::{ApplicationNotice, InboxNoticed, Shell};

/// How many drops are remembered for the UI to claim: a drop the UI never claims (it fell
/// outside every target) is forgotten as later ones come.
const DROPS_KEPT: usize = 8;
/// How long after a notification the window coming to the front counts as its click.
const CLICK_WINDOW: Duration = Duration::from_secs(10 * 60);
const SETTINGS_KEY: &str = "desktop_settings";

/// Files are being dragged over the window (`over`, at x/y in CSS pixels of the window), or
/// the drag left it (`leave`).
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
pub struct FilesDragged {
    pub phase: String,
    pub x: f64,
    pub y: f64,
}

/// Files were dropped on the window at x/y (CSS pixels): the UI claims them by `drop_id`
/// for the target under that point.
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
pub struct FilesDropped {
    pub drop_id: u32,
    pub names: Vec<String>,
    pub x: f64,
    pub y: f64,
}

/// The officer came back to the app from a notification about this inbox entry: the UI
/// opens what it is about (switching enterprise first if needed).
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
pub struct OpenInboxEntry {
    pub enterprise: String,
    pub entry_id: String,
}

#[derive(Default)]
pub struct Drops {
    next: u32,
    kept: VecDeque<(u32, Vec<PathBuf>)>,
}

pub struct Notified {
    at: Instant,
    enterprise: String,
    entry_id: String,
}

impl Shell {
    fn remember_drop(&self, paths: Vec<PathBuf>) -> u32 {
        let mut d = self.drops.lock().unwrap_or_else(PoisonError::into_inner);
        d.next = d.next.wrapping_add(1);
        let id = d.next;
        d.kept.push_back((id, paths));
        while d.kept.len() > DROPS_KEPT {
            d.kept.pop_front();
        }
        id
    }

    /// The files of a drop, once: a drop is added to one material only.
    pub fn take_drop(&self, id: u32) -> Vec<PathBuf> {
        let mut d = self.drops.lock().unwrap_or_else(PoisonError::into_inner);
        match d.kept.iter().position(|(i, _)| *i == id) {
            Some(i) => d.kept.remove(i).map(|(_, p)| p).unwrap_or_default(),
            None => vec![],
        }
    }

    pub async fn desktop_settings(&self) -> DesktopSettings {
        match self.app.store().setting(SETTINGS_KEY).await {
            Ok(Some(s)) => s,
            _ => DesktopSettings::default(),
        }
    }

    pub async fn set_desktop_settings(&self, s: &DesktopSettings) -> yiqifu_core::Result<()> {
        self.app.store().set_setting(SETTINGS_KEY, s).await
    }
}

/// The officer's preferences the shell acts on by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct DesktopSettings {
    /// A desktop notification for each new entry of the inbox (an application's step, a
    /// reply to an appeal, a match).
    pub notifications: bool,
    /// zh-CN or en-US: the language of notifications.
    pub language: String,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        Self {
            notifications: true,
            language: "zh-CN".into(),
        }
    }
}

/// Drags and drops of files onto the window, and the window coming to the front.
pub fn window_event(window: &Window, event: &WindowEvent) {
    crate::window_state::window_event(window, event);
    let Some(shell) = window.try_state::<Arc<Shell>>() else {
        return;
    };
    let scale = window.scale_factor().unwrap_or(1.0).max(0.1);
    match event {
        WindowEvent::DragDrop(DragDropEvent::Enter { position, .. })
        | WindowEvent::DragDrop(DragDropEvent::Over { position }) => {
            let _ = FilesDragged {
                phase: "over".into(),
                x: position.x / scale,
                y: position.y / scale,
            }
            .emit(window);
        }
        WindowEvent::DragDrop(DragDropEvent::Leave) => {
            let _ = FilesDragged {
                phase: "leave".into(),
                x: 0.0,
                y: 0.0,
            }
            .emit(window);
        }
        WindowEvent::DragDrop(DragDropEvent::Drop { paths, position }) => {
            let names = paths
                .iter()
                .map(|p| {
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
                .collect();
            let drop_id = shell.remember_drop(paths.clone());
            let _ = FilesDropped {
                drop_id,
                names,
                x: position.x / scale,
                y: position.y / scale,
            }
            .emit(window);
        }
        WindowEvent::Focused(true) => {
            let came = shell
                .notified
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(n) = came.filter(|n| n.at.elapsed() < CLICK_WINDOW) {
                let _ = OpenInboxEntry {
                    enterprise: n.enterprise,
                    entry_id: n.entry_id,
                }
                .emit(window);
            }
        }
        _ => {}
    }
}

/// Tells the window of an application's new state (an in-app notice with a button to open
/// it). The desktop hears of it through the inbox entry the same step makes: one
/// notification, not two.
pub fn announce(handle: &tauri::AppHandle, notice: StatusNotice) {
    let _ = ApplicationNotice(notice).emit(handle);
}

/// What a desktop notification of an inbox entry says, in the officer's language.
fn inbox_text(notice: &InboxNotice, language: &str) -> (String, String) {
    if language == "en-US" {
        (
            format!("New feedback for {}", notice.enterprise_name),
            format!("{}: {}", notice.title, notice.body),
        )
    } else {
        (
            format!("{}：{}", notice.enterprise_name, notice.title),
            notice.body.clone(),
        )
    }
}

/// Tells the window of a new inbox entry (an in-app notice for the enterprise on screen)
/// and, when the officer keeps them on, the desktop, for every signed-in enterprise.
pub async fn announce_inbox(handle: &tauri::AppHandle, shell: &Shell, notice: InboxNotice) {
    let _ = InboxNoticed(notice.clone()).emit(handle);
    let settings = shell.desktop_settings().await;
    if !settings.notifications {
        return;
    }
    let (title, body) = inbox_text(&notice, &settings.language);
    // A window in the background also asks for attention (the taskbar entry flashes, the
    // Dock icon bounces).
    let window = handle.get_webview_window("main");
    let background = window
        .as_ref()
        .is_some_and(|w| !w.is_focused().unwrap_or(true));
    if background {
        if let Some(w) = &window {
            let _ = w.request_user_attention(Some(UserAttentionType::Informational));
        }
    }
    let shown = match show(handle, &title, &body) {
        Ok(()) => true,
        // No notification service (a bare Linux session): the in-app notice still shows.
        Err(e) => {
            tracing::info!(error = %e, "desktop notification not shown");
            false
        }
    };
    // Coming back to the app soon after (a click on the notification, or on the flashing
    // icon) opens what the entry is about.
    if shown || background {
        *shell
            .notified
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Notified {
            at: Instant::now(),
            enterprise: notice.enterprise,
            entry_id: notice.entry_id,
        });
    }
}

/// The desktop plugins of this platform.
/// Shows the main window in front, as a second launch of the app asks; `false` when there
/// is no window (the app is ending).
pub fn bring_forward(handle: &tauri::AppHandle) -> bool {
    tracing::info!("a second launch asked for the window");
    let Some(w) = handle.get_webview_window("main") else {
        return false;
    };
    let _ = w.unminimize();
    let _ = w.show();
    w.set_focus().is_ok()
}

pub fn plugins(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    let builder = builder.plugin(crate::window_state::plugin());
    #[cfg(not(target_os = "macos"))]
    let builder = builder.plugin(tauri_plugin_notification::init());
    builder
}

/// A notification in the system's notification area.
#[cfg(not(target_os = "macos"))]
fn show(handle: &tauri::AppHandle, title: &str, body: &str) -> Result<(), String> {
    use tauri_plugin_notification::NotificationExt;
    handle
        .notification()
        .builder()
        .title(title)
        .body(body)
        .show()
        .map_err(|e| e.to_string())
}

/// On macOS the notification plugin is not built (see Cargo.toml): the Dock icon bounces
/// instead, below, beside the in-window notice.
#[cfg(target_os = "macos")]
fn show(_handle: &tauri::AppHandle, _title: &str, _body: &str) -> Result<(), String> {
    Err("no notification centre on this build".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> InboxNotice {
        InboxNotice {
            enterprise: "ws-1".into(),
            entry_id: "inb_1".into(),
            kind: yiqifu_protocol::InboxKind::AppealReply,
            title: "诉求已答复".into(),
            body: "已协调物流通行证".into(),
            enterprise_name: "上海浦江精密机械有限公司".into(),
        }
    }

    #[test]
    fn an_inbox_notification_names_the_enterprise_in_the_officers_language() {
        let (title, body) = inbox_text(&notice(), "zh-CN");
        assert_eq!(title, "上海浦江精密机械有限公司：诉求已答复");
        assert_eq!(body, "已协调物流通行证");
        let (title, body) = inbox_text(&notice(), "en-US");
        assert_eq!(title, "New feedback for 上海浦江精密机械有限公司");
        assert_eq!(body, "诉求已答复: 已协调物流通行证");
    }
}
