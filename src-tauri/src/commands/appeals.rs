//! Appeals (诉求): drafts and their attachments, sending, the list, one appeal's thread,
//! follow-ups and the rating.

use serde::Serialize;
use specta::Type;
use tauri::AppHandle;
use yiqifu_core::appeals::{
    AppealDraftFields, AppealDraftView, AppealQuery, AppealSummary, AppealView, AttachmentRule,
    AttachmentView,
};
use yiqifu_core::ErrorInfo;
use yiqifu_protocol::{NewAppeal, Rating};

use super::{CmdResult, Shared};
use crate::dialogs;

#[tauri::command]
#[specta::specta]
pub async fn appeal_drafts(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<Vec<AppealDraftView>> {
    Ok(shell.ws(&enterprise)?.appeal_drafts().await?)
}

/// A new empty draft (its contact taken from the company profile).
#[tauri::command]
#[specta::specta]
pub async fn appeal_draft_new(shell: Shared<'_>, enterprise: String) -> CmdResult<AppealDraftView> {
    Ok(shell.ws(&enterprise)?.new_appeal_draft().await?)
}

/// Keeps the fields as typed; the answer names what still stops sending.
#[tauri::command]
#[specta::specta]
pub async fn appeal_draft_save(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    fields: AppealDraftFields,
) -> CmdResult<AppealDraftView> {
    Ok(shell
        .ws(&enterprise)?
        .save_appeal_draft(&id, fields)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn appeal_draft_delete(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.delete_appeal_draft(&id).await?)
}

/// Queues the appeal with its attachments; the appeal's key.
#[tauri::command]
#[specta::specta]
pub async fn appeal_draft_send(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
) -> CmdResult<String> {
    Ok(shell.ws(&enterprise)?.send_appeal_draft(&id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn appeal_attachment_rule(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<AttachmentRule> {
    Ok(shell.ws(&enterprise)?.appeal_attachment_rule().await?)
}

/// Asks for a file with the native dialog (offering the rule's formats) and attaches it
/// after every check; `None` when the officer cancelled.
#[tauri::command]
#[specta::specta]
pub async fn appeal_attachment_pick(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    draft_id: String,
    title: String,
) -> CmdResult<Option<AttachmentView>> {
    let ws = shell.ws(&enterprise)?;
    let rule = ws.appeal_attachment_rule().await?;
    let formats: Vec<String> = rule
        .formats
        .iter()
        .flat_map(|f| {
            if f == "jpg" {
                vec!["jpg".to_string(), "jpeg".to_string()]
            } else {
                vec![f.clone()]
            }
        })
        .collect();
    let exts: Vec<&str> = formats.iter().map(String::as_str).collect();
    let filter = (!exts.is_empty()).then_some(("", exts.as_slice()));
    let Some(path) = dialogs::pick_file(&app, &title, filter).await else {
        return Ok(None);
    };
    Ok(Some(ws.add_appeal_attachment(&draft_id, &path).await?))
}

/// What became of one file dropped on the attachments.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppealDropOutcome {
    pub name: String,
    pub attachment: Option<AttachmentView>,
    pub error: Option<ErrorInfo>,
}

/// Attaches the files of drop `drop_id`, each checked on its own; the UI never sees paths.
#[tauri::command]
#[specta::specta]
pub async fn appeal_attachment_add_dropped(
    shell: Shared<'_>,
    enterprise: String,
    draft_id: String,
    drop_id: u32,
) -> CmdResult<Vec<AppealDropOutcome>> {
    let ws = shell.ws(&enterprise)?;
    let mut out = Vec::new();
    for path in shell.take_drop(drop_id) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match ws.add_appeal_attachment(&draft_id, &path).await {
            Ok(a) => out.push(AppealDropOutcome {
                name,
                attachment: Some(a),
                error: None,
            }),
            Err(e) => out.push(AppealDropOutcome {
                name,
                attachment: None,
                error: Some(e.into()),
            }),
        }
    }
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn appeal_attachment_remove(
    shell: Shared<'_>,
    enterprise: String,
    draft_id: String,
    attachment_id: String,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .remove_appeal_attachment(&draft_id, &attachment_id)
        .await?)
}

/// The appeals filed, overdue first, then the nearest deadline, then the newest.
#[tauri::command]
#[specta::specta]
pub async fn appeals(
    shell: Shared<'_>,
    enterprise: String,
    query: AppealQuery,
) -> CmdResult<Vec<AppealSummary>> {
    Ok(shell.ws(&enterprise)?.appeals(&query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn appeal(shell: Shared<'_>, enterprise: String, key: String) -> CmdResult<AppealView> {
    Ok(shell.ws(&enterprise)?.appeal(&key).await?)
}

/// Queues a follow-up message on an appeal.
#[tauri::command]
#[specta::specta]
pub async fn appeal_message(
    shell: Shared<'_>,
    enterprise: String,
    key: String,
    body: String,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .send_appeal_message(&key, &body)
        .await?)
}

/// Queues the rating of an appeal's reply (once).
#[tauri::command]
#[specta::specta]
pub async fn appeal_rate(
    shell: Shared<'_>,
    enterprise: String,
    key: String,
    rating: Rating,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.rate_appeal(&key, rating).await?)
}

/// Sends a parked appeal again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_appeal(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    appeal: NewAppeal,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.revise_appeal(&id, appeal).await?)
}

/// Sends a parked appeal message again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_message(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    body: String,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.revise_message(&id, &body).await?)
}
