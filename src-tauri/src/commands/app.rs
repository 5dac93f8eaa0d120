//! App-wide commands: the status line, the service, signing in, syncing.

use serde::Serialize;
use specta::Type;
use yiqifu_core::{ServerChoice, Status};
use yiqifu_protocol::EnterpriseProfile;

use super::{CmdResult, Shared};

#[derive(Debug, Clone, Serialize, Type)]
pub struct ServerInfo {
    pub version: String,
    pub demo: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DemoAccount {
    pub credit_code: String,
    pub name: String,
    pub district: String,
    pub industry: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SyncReport {
    pub upserted: u32,
    pub removed: u32,
    pub full_resync: bool,
}

#[tauri::command]
#[specta::specta]
pub async fn app_status(shell: Shared<'_>) -> CmdResult<Status> {
    shell.app.publish().await?;
    Ok(shell.app.status())
}

#[tauri::command]
#[specta::specta]
pub async fn choose_server(shell: Shared<'_>, choice: ServerChoice) -> CmdResult<ServerInfo> {
    let url = shell.url_for(&choice).await?;
    let health = shell.app.choose_server(choice, &url).await?;
    Ok(ServerInfo {
        version: health.version,
        demo: health.demo,
    })
}

/// The demo enterprises one can sign in as on the built-in demo service.
#[tauri::command]
#[specta::specta]
pub fn demo_accounts() -> Vec<DemoAccount> {
    yiqifu_central::seed::DEMO_ENTERPRISES
        .iter()
        .map(|e| DemoAccount {
            credit_code: e.credit_code(),
            name: e.name.into(),
            district: e.district.into(),
            industry: e.industry.into(),
            password: yiqifu_central::seed::DEMO_PASSWORD.into(),
        })
        .collect()
}

/// Signs an enterprise in and puts it on screen, then syncs it in the background; its
/// progress arrives as status events.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(
    shell: Shared<'_>,
    credit_code: String,
    password: String,
) -> CmdResult<EnterpriseProfile> {
    let profile = shell.app.sign_in(&credit_code, &password).await?;
    let app = shell.app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = app.sync_now().await {
            tracing::warn!(code = e.code(), error = %e, "sync after sign-in failed");
        }
    });
    Ok(profile)
}

/// Syncs the enterprise on screen: its queue, the catalog and its inbox.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(shell: Shared<'_>) -> CmdResult<SyncReport> {
    let stats = shell.app.sync_now().await?;
    Ok(SyncReport {
        upserted: stats.upserted,
        removed: stats.removed,
        full_resync: stats.full_resync,
    })
}

/// The officer's preferences for notifications and their language.
#[tauri::command]
#[specta::specta]
pub async fn desktop_settings(shell: Shared<'_>) -> CmdResult<crate::desktop::DesktopSettings> {
    Ok(shell.desktop_settings().await)
}

#[tauri::command]
#[specta::specta]
pub async fn set_desktop_settings(
    shell: Shared<'_>,
    settings: crate::desktop::DesktopSettings,
) -> CmdResult<()> {
    Ok(shell.set_desktop_settings(&settings).await?)
}

/// Sets the main window's native title (the taskbar shows it): the UI puts the inbox's
/// unread count first. A title that cannot be set leaves the old one, which is no reason to
/// bother the officer: it is logged.
#[tauri::command]
#[specta::specta]
pub fn set_window_title(app: tauri::AppHandle, title: String) {
    use tauri::Manager;
    if let Some(w) = app.get_webview_window("main") {
        if let Err(e) = w.set_title(&title) {
            tracing::warn!(error = %e, "window title not set");
        }
    }
}
