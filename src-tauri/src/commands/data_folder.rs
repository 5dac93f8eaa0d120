//! Where the data lives, and moving it: the folder is picked, checked while the app goes on
//! working, then copied with everything closed, and the app starts again on the new folder
//! (see `yiqifu_core::data_folder`).

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_specta::Event;
use yiqifu_core::{data_folder, ErrorInfo};

use super::{CmdResult, Shared};
use crate::DataMoveProgressed;

/// Asks for the folder to move the data to, and checks that it can take it (empty,
/// writable, not inside the data); `None` when the officer cancelled. Nothing moves yet.
#[tauri::command]
#[specta::specta]
pub async fn data_folder_pick(
    shell: Shared<'_>,
    handle: AppHandle,
    title: String,
) -> CmdResult<Option<String>> {
    let Some(to) = crate::dialogs::pick_folder(&handle, &title).await else {
        return Ok(None);
    };
    data_folder::check_target(&shell.base_dir, &shell.data_dir, &to)?;
    Ok(Some(to.display().to_string()))
}

/// Moves the data to `to`: an automatic backup, every database closed, the copy (progress
/// as `DataMoveProgressed` events), and the app starts again on the new folder.
/// An error means the folder was refused and nothing changed: the app goes on as it was.
/// `Some` means the copy failed after the databases were closed: the data is where it was,
/// and the app must start again (`restart_app`), which the page offers with the reason.
#[tauri::command]
#[specta::specta]
pub async fn data_folder_move(
    shell: Shared<'_>,
    handle: AppHandle,
    to: String,
) -> CmdResult<Option<ErrorInfo>> {
    let to = PathBuf::from(to);
    data_folder::check_target(&shell.base_dir, &shell.data_dir, &to)?;
    match shell.app.backup_at_quit().await {
        Ok(path) => tracing::info!(backup = ?path, "backed up before moving the data"),
        Err(e) => tracing::warn!(code = e.code(), error = %e, "backup before the move failed"),
    }
    shell.close_for_move().await;
    let (from, base, dest) = (shell.data_dir.clone(), shell.base_dir.clone(), to.clone());
    let emitter = handle.clone();
    let moved = tauri::async_runtime::spawn_blocking(move || {
        let entries = data_folder::copy(&from, &dest, |p| {
            let _ = DataMoveProgressed(p.clone()).emit(&emitter);
        })?;
        data_folder::switch(&base, &from, &dest, entries)
    })
    .await
    .unwrap_or_else(|e| Err(yiqifu_core::Error::Io(std::io::Error::other(e.to_string()))));
    if let Err(e) = moved {
        return Ok(Some(e.into()));
    }
    tracing::info!(to = %to.display(), "data copied; starting again on it");
    crate::dialogs::restart(&handle);
    Ok(None)
}

/// Starts the app again: after a move that failed, whose databases are closed.
#[tauri::command]
#[specta::specta]
pub async fn restart_app(handle: AppHandle) -> CmdResult<()> {
    crate::dialogs::restart(&handle);
    Ok(())
}
