//! The app's settings that are not the features' own: how the service is reached.

use yiqifu_core::client::Proxy;

use super::{CmdResult, Shared};

#[tauri::command]
#[specta::specta]
pub async fn proxy_setting(shell: Shared<'_>) -> CmdResult<Proxy> {
    Ok(shell.app.proxy().await?)
}

/// Keeps how to reach the service and connects again through it; whether it answers.
#[tauri::command]
#[specta::specta]
pub async fn set_proxy(shell: Shared<'_>, proxy: Proxy) -> CmdResult<bool> {
    Ok(shell.app.set_proxy(proxy).await?)
}
