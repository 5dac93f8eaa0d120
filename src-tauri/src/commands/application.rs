//! 复工意向: the application being prepared, its files and forms, the check, sending, the
//! applications sent, and corrections.

use serde::Serialize;
use specta::Type;
use tauri::AppHandle;
use yiqifu_core::application::{
    ApplicationDraft, ApplicationView, CheckReport, CorrectionDiff, DraftFile, FileOrigin,
    FormKind, SubmitOutcome,
};
use yiqifu_core::ErrorInfo;
use yiqifu_protocol::NewApplication;

use super::{CmdResult, Shared};
use crate::dialogs;

#[tauri::command]
#[specta::specta]
pub async fn application_draft(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<ApplicationDraft> {
    Ok(shell.ws(&enterprise)?.application_draft().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn application_save_fields(
    shell: Shared<'_>,
    enterprise: String,
    contact_name: String,
    contact_phone: String,
    note: String,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .save_application_fields(contact_name, contact_phone, note)
        .await?)
}

/// Asks for a file for `material_type` with the native dialog (offering its formats) and
/// adds it after every check; `None` when the officer cancelled.
#[tauri::command]
#[specta::specta]
pub async fn application_pick_file(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    material_type: String,
    title: String,
) -> CmdResult<Option<DraftFile>> {
    let ws = shell.ws(&enterprise)?;
    let draft = ws.application_draft().await?;
    let formats: Vec<String> = draft
        .slots
        .iter()
        .find(|s| s.rule.material_type == material_type)
        .map(|s| {
            s.rule
                .formats
                .iter()
                .flat_map(|f| {
                    if f == "jpg" {
                        vec!["jpg".to_string(), "jpeg".to_string()]
                    } else {
                        vec![f.clone()]
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let exts: Vec<&str> = formats.iter().map(String::as_str).collect();
    let filter = (!exts.is_empty()).then_some(("", exts.as_slice()));
    let Some(path) = dialogs::pick_file(&app, &title, filter).await else {
        return Ok(None);
    };
    Ok(Some(
        ws.add_application_file(&material_type, &path, FileOrigin::Picked)
            .await?,
    ))
}

/// What became of one dropped file.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DropOutcome {
    pub name: String,
    pub file: Option<DraftFile>,
    pub error: Option<ErrorInfo>,
}

/// Adds the files of drop `drop_id` (as the window reported it) to `material_type`, each
/// checked on its own; the UI never sees their paths.
#[tauri::command]
#[specta::specta]
pub async fn application_add_dropped(
    shell: Shared<'_>,
    enterprise: String,
    material_type: String,
    drop_id: u32,
) -> CmdResult<Vec<DropOutcome>> {
    let ws = shell.ws(&enterprise)?;
    let mut out = Vec::new();
    for path in shell.take_drop(drop_id) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match ws
            .add_application_file(&material_type, &path, FileOrigin::Dropped)
            .await
        {
            Ok(f) => out.push(DropOutcome {
                name,
                file: Some(f),
                error: None,
            }),
            Err(e) => out.push(DropOutcome {
                name,
                file: None,
                error: Some(e.into()),
            }),
        }
    }
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn application_remove_file(
    shell: Shared<'_>,
    enterprise: String,
    file_id: String,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .remove_application_file(&file_id)
        .await?)
}

/// Attaches the roster, exported as .xlsx, as the staff list.
#[tauri::command]
#[specta::specta]
pub async fn application_attach_roster(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<DraftFile> {
    Ok(shell.ws(&enterprise)?.attach_roster().await?)
}

/// Makes a form for signature and saves it where the officer chooses; the path, or `None`
/// when they cancelled.
#[tauri::command]
#[specta::specta]
pub async fn application_generate_form(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    kind: FormKind,
    title: String,
) -> CmdResult<Option<String>> {
    let ws = shell.ws(&enterprise)?;
    let (name, bytes) = ws.generate_form(kind).await?;
    save(&app, &title, &name, ("PDF", &["pdf"]), &bytes).await
}

async fn save(
    app: &AppHandle,
    title: &str,
    name: &str,
    filter: (&str, &[&str]),
    bytes: &[u8],
) -> CmdResult<Option<String>> {
    let Some(path) = dialogs::save_file_as(app, title, name, filter).await else {
        return Ok(None);
    };
    yiqifu_core::store::write_file_atomically(&path, bytes)
        .await
        .map_err(ErrorInfo::from)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn application_check(shell: Shared<'_>, enterprise: String) -> CmdResult<CheckReport> {
    Ok(shell.ws(&enterprise)?.check_application().await?)
}

/// Packs and queues the application; progress comes as `PackageProgressed` events.
#[tauri::command]
#[specta::specta]
pub async fn application_send(shell: Shared<'_>, enterprise: String) -> CmdResult<SubmitOutcome> {
    Ok(shell.ws(&enterprise)?.send_application().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn applications(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<Vec<ApplicationView>> {
    Ok(shell.ws(&enterprise)?.applications().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn application_start_correction(
    shell: Shared<'_>,
    enterprise: String,
    record_id: String,
) -> CmdResult<ApplicationDraft> {
    Ok(shell.ws(&enterprise)?.start_correction(&record_id).await?)
}

/// Takes an application the service never accepted back to the application page, to
/// change its files.
#[tauri::command]
#[specta::specta]
pub async fn application_reopen(
    shell: Shared<'_>,
    enterprise: String,
    record_id: String,
) -> CmdResult<ApplicationDraft> {
    Ok(shell
        .ws(&enterprise)?
        .reopen_application(&record_id)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn application_cancel_correction(shell: Shared<'_>, enterprise: String) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.cancel_correction().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn application_correction_diff(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<Option<CorrectionDiff>> {
    Ok(shell.ws(&enterprise)?.correction_diff().await?)
}

/// Saves a round's receipt as PDF where the officer chooses.
#[tauri::command]
#[specta::specta]
pub async fn application_save_receipt(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    record_id: String,
    round: Option<u32>,
    title: String,
) -> CmdResult<Option<String>> {
    let ws = shell.ws(&enterprise)?;
    let (name, bytes) = ws.application_receipt(&record_id, round).await?;
    save(&app, &title, &name, ("PDF", &["pdf"]), &bytes).await
}

/// Saves the package a round sent where the officer chooses.
#[tauri::command]
#[specta::specta]
pub async fn application_save_package(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    record_id: String,
    round: u32,
    title: String,
) -> CmdResult<Option<String>> {
    let ws = shell.ws(&enterprise)?;
    let name = ws.package_name(&record_id, round).await?;
    let Some(path) = dialogs::save_file_as(&app, &title, &name, ("ZIP", &["zip"])).await else {
        return Ok(None);
    };
    ws.export_package(&record_id, round, &path).await?;
    Ok(Some(path.display().to_string()))
}

/// Sends a parked application again with the officer's corrections.
#[tauri::command]
#[specta::specta]
pub async fn revise_application(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    application: NewApplication,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .revise_application(&id, application)
        .await?)
}
