//! 返岗人员名单: the returning-staff roster.

use tauri::AppHandle;
use yiqifu_core::roster::{ImportReport, RosterView, RowProblem, StaffEntry};

use super::{CmdResult, Shared};
use crate::dialogs;

#[tauri::command]
#[specta::specta]
pub async fn roster(shell: Shared<'_>, enterprise: String) -> CmdResult<RosterView> {
    Ok(shell.ws(&enterprise)?.roster().await?)
}

/// Asks for a roster file (.xlsx, .xls, .csv) and adds its clean rows; `None` when the
/// officer cancelled.
#[tauri::command]
#[specta::specta]
pub async fn roster_import(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    title: String,
) -> CmdResult<Option<ImportReport>> {
    let ws = shell.ws(&enterprise)?;
    let filter = ("Excel / CSV", &["xlsx", "xls", "csv"][..]);
    let Some(path) = dialogs::pick_file(&app, &title, Some(filter)).await else {
        return Ok(None);
    };
    Ok(Some(ws.import_roster(&path).await?))
}

/// Every problem of a row as typed, field by field, for the editor.
#[tauri::command]
#[specta::specta]
pub fn roster_check_row(entry: StaffEntry) -> Vec<RowProblem> {
    yiqifu_core::roster::row_problems(&entry)
}

#[tauri::command]
#[specta::specta]
pub async fn roster_save_row(
    shell: Shared<'_>,
    enterprise: String,
    original: Option<String>,
    entry: StaffEntry,
) -> CmdResult<StaffEntry> {
    Ok(shell
        .ws(&enterprise)?
        .save_roster_row(original, entry)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn roster_delete_rows(
    shell: Shared<'_>,
    enterprise: String,
    ids: Vec<String>,
) -> CmdResult<u32> {
    Ok(shell.ws(&enterprise)?.delete_roster_rows(ids).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn roster_clear(shell: Shared<'_>, enterprise: String) -> CmdResult<()> {
    Ok(shell.ws(&enterprise)?.clear_roster().await?)
}

/// Saves the roster as .xlsx where the officer chooses; the path, or `None` when they
/// cancelled.
#[tauri::command]
#[specta::specta]
pub async fn roster_export(
    app: AppHandle,
    shell: Shared<'_>,
    enterprise: String,
    title: String,
) -> CmdResult<Option<String>> {
    let ws = shell.ws(&enterprise)?;
    let (name, bytes) = ws.roster_xlsx().await?;
    let Some(path) = dialogs::save_file_as(&app, &title, &name, ("Excel", &["xlsx"])).await else {
        return Ok(None);
    };
    yiqifu_core::store::write_file_atomically(&path, &bytes)
        .await
        .map_err(yiqifu_core::ErrorInfo::from)?;
    Ok(Some(path.display().to_string()))
}
