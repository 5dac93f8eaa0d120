//! 复工自查: the company profile, the wizard, results and reports, and the gate.

use tauri::AppHandle;
use yiqifu_core::selfcheck::{DraftView, Gate, Overview, ProfileView, RunSummary, RunView};
use yiqifu_protocol::{AnswerValue, CompanyProfile, FieldProblem};

use super::{CmdResult, Shared};
use crate::dialogs;

#[tauri::command]
#[specta::specta]
pub async fn company_profile(shell: Shared<'_>, enterprise: String) -> CmdResult<ProfileView> {
    Ok(shell.ws(&enterprise)?.company_profile().await?)
}

/// Every bad field of `profile`, for the form to show as the officer types.
#[tauri::command]
#[specta::specta]
pub fn check_company_profile(profile: CompanyProfile) -> Vec<FieldProblem> {
    yiqifu_core::selfcheck::profile_problems(&profile)
}

#[tauri::command]
#[specta::specta]
pub async fn save_company_profile(
    shell: Shared<'_>,
    enterprise: String,
    profile: CompanyProfile,
) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.save_company_profile(profile).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn selfcheck_overview(shell: Shared<'_>, enterprise: String) -> CmdResult<Overview> {
    Ok(shell.ws(&enterprise)?.selfcheck_overview().await?)
}

/// Opens the wizard on the newest version of the template, carrying answers over.
#[tauri::command]
#[specta::specta]
pub async fn open_selfcheck(
    shell: Shared<'_>,
    enterprise: String,
    template_id: String,
) -> CmdResult<DraftView> {
    Ok(shell.ws(&enterprise)?.open_selfcheck(&template_id).await?)
}

/// Saves one answer (`None` clears it) and returns the wizard's new state.
#[tauri::command]
#[specta::specta]
pub async fn answer_selfcheck_item(
    shell: Shared<'_>,
    enterprise: String,
    template_id: String,
    item_id: String,
    value: Option<AnswerValue>,
) -> CmdResult<DraftView> {
    Ok(shell
        .ws(&enterprise)?
        .answer_item(&template_id, &item_id, value)
        .await?)
}

/// Asks for the evidence file with the native dialog; `None` when the officer cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_selfcheck_evidence(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    template_id: String,
    item_id: String,
    title: String,
) -> CmdResult<Option<DraftView>> {
    let ws = shell.ws(&enterprise)?;
    let Some(path) = dialogs::pick_file(&app, &title, None).await else {
        return Ok(None);
    };
    Ok(Some(
        ws.answer_with_file(&template_id, &item_id, &path).await?,
    ))
}

#[tauri::command]
#[specta::specta]
pub async fn set_selfcheck_step(
    shell: Shared<'_>,
    enterprise: String,
    template_id: String,
    step: u32,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .set_selfcheck_step(&template_id, step)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn dismiss_template_changes(
    shell: Shared<'_>,
    enterprise: String,
    template_id: String,
) -> CmdResult<()> {
    Ok(shell
        .ws(&enterprise)?
        .dismiss_template_changes(&template_id)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn finish_selfcheck(
    shell: Shared<'_>,
    enterprise: String,
    template_id: String,
) -> CmdResult<RunSummary> {
    Ok(shell
        .ws(&enterprise)?
        .finish_selfcheck(&template_id)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn selfcheck_history(
    shell: Shared<'_>,
    enterprise: String,
) -> CmdResult<Vec<RunSummary>> {
    Ok(shell.ws(&enterprise)?.selfcheck_history().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn selfcheck_run(
    shell: Shared<'_>,
    enterprise: String,
    id: String,
) -> CmdResult<RunView> {
    Ok(shell.ws(&enterprise)?.selfcheck_run(&id).await?)
}

/// Makes the report and saves it where the officer chooses; the path, or `None` when
/// they cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_selfcheck_report(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    id: String,
    title: String,
) -> CmdResult<Option<String>> {
    let ws = shell.ws(&enterprise)?;
    let (name, bytes) = ws.selfcheck_report(&id).await?;
    let Some(path) = dialogs::save_file(&app, &title, &name).await else {
        return Ok(None);
    };
    yiqifu_core::store::write_file_atomically(&path, &bytes)
        .await
        .map_err(yiqifu_core::ErrorInfo::from)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn selfcheck_gate(shell: Shared<'_>, enterprise: String) -> CmdResult<Gate> {
    Ok(shell.ws(&enterprise)?.selfcheck_gate().await?)
}
