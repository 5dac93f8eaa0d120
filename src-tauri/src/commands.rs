//! The commands the UI may call. Each is a thin adapter: argument in, core call, result out.

use std::sync::Arc;

use serde::Serialize;
use specta::Type;
use tauri::State;
use yiqifu_core::outbox::{ParkedItem, Revision};
use yiqifu_core::policy::{DocumentQuery, DocumentSummary};
use yiqifu_core::{ErrorInfo, ServerChoice, Status};
use yiqifu_protocol::{Document, EnterpriseProfile};

use crate::Shell;

type Shared<'a> = State<'a, Arc<Shell>>;
type CmdResult<T> = Result<T, ErrorInfo>;

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

/// Signs in, then starts a sync in the background; its progress arrives as status events.
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

#[tauri::command]
#[specta::specta]
pub async fn sign_out(shell: Shared<'_>) -> CmdResult<()> {
    Ok(shell.app.sign_out().await?)
}

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

#[tauri::command]
#[specta::specta]
pub async fn list_documents(
    shell: Shared<'_>,
    query: DocumentQuery,
) -> CmdResult<Vec<DocumentSummary>> {
    Ok(shell.app.documents(&query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_document(shell: Shared<'_>, id: String) -> CmdResult<Document> {
    Ok(shell.app.document(&id).await?)
}

/// Items the service refused for good, with the reason, for the status area.
#[tauri::command]
#[specta::specta]
pub async fn parked_items(shell: Shared<'_>) -> CmdResult<Vec<ParkedItem>> {
    Ok(shell.app.parked_items().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn retry_item(shell: Shared<'_>, id: String) -> CmdResult<()> {
    Ok(shell.app.retry_item(&id).await?)
}

/// Sends a parked item again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_item(shell: Shared<'_>, id: String, revision: Revision) -> CmdResult<()> {
    Ok(shell.app.revise_item(&id, revision).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn discard_item(shell: Shared<'_>, id: String) -> CmdResult<()> {
    Ok(shell.app.discard_item(&id).await?)
}
