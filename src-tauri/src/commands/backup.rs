//! Backups: exporting enterprises' work to one file, the automatic backups, and restoring.

use std::path::PathBuf;

use tauri::AppHandle;
use yiqifu_core::backup::{BackupFile, BackupInfo, BackupScope, RestoreOutcome, EXTENSION};

use super::{CmdResult, Shared};

/// The file type as the save and open dialogs name it.
const FILTER: &str = "益企服备份 / Yiqifu backup";

/// Asks where to save, then writes the backup there; `None` when the officer cancelled.
/// Progress comes as `BackupProgressed` events.
#[tauri::command]
#[specta::specta]
pub async fn backup_export(
    shell: Shared<'_>,
    handle: AppHandle,
    scope: BackupScope,
    title: String,
    all_label: String,
    // What the offered file name starts with, in the officer's language ("益企服备份").
    name_prefix: String,
) -> CmdResult<Option<BackupFile>> {
    let who = match &scope {
        BackupScope::Enterprise { id } => shell.ws(id)?.profile().name,
        BackupScope::All => all_label,
    };
    let date = yiqifu_core::clock::today_in_china();
    let name = offered_name(&name_prefix, &who, &date);
    let Some(dest) =
        crate::dialogs::save_file_as(&handle, &title, &name, (FILTER, &[EXTENSION])).await
    else {
        return Ok(None);
    };
    Ok(Some(shell.app.export_backup(&scope, &dest).await?))
}

/// The file name an export offers: "益企服备份-上海某某有限公司-2022-05-20.yqfbak", or
/// "Yiqifu backup-…" in English. A company name may hold a character no file name can (a
/// slash, a colon).
fn offered_name(prefix: &str, who: &str, date: &str) -> String {
    use yiqifu_core::application::safe_name;
    format!(
        "{}-{}-{date}.{EXTENSION}",
        safe_name(prefix),
        safe_name(who)
    )
}

/// Asks for a backup file and says what it holds; `None` when the officer cancelled.
#[tauri::command]
#[specta::specta]
pub async fn backup_pick(
    shell: Shared<'_>,
    handle: AppHandle,
    title: String,
) -> CmdResult<Option<BackupInfo>> {
    let Some(path) = crate::dialogs::pick_file(&handle, &title, Some((FILTER, &[EXTENSION]))).await
    else {
        return Ok(None);
    };
    Ok(Some(shell.app.backup_info(&path).await?))
}

/// What the backup at `path` (one of the automatic ones) holds.
#[tauri::command]
#[specta::specta]
pub async fn backup_info(shell: Shared<'_>, path: String) -> CmdResult<BackupInfo> {
    Ok(shell.app.backup_info(&PathBuf::from(path)).await?)
}

/// The automatic backups, newest first.
#[tauri::command]
#[specta::specta]
pub async fn automatic_backups(shell: Shared<'_>) -> CmdResult<Vec<BackupFile>> {
    Ok(shell.app.automatic_backups().await?)
}

/// Puts the chosen enterprises of a backup back; newer work here only for the enterprises
/// the officer `confirmed`.
#[tauri::command]
#[specta::specta]
pub async fn backup_restore(
    shell: Shared<'_>,
    path: String,
    enterprises: Vec<String>,
    confirmed: Vec<String>,
) -> CmdResult<RestoreOutcome> {
    Ok(shell
        .app
        .restore_backup(&PathBuf::from(path), &enterprises, &confirmed)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_offers_a_name_in_the_officers_language_that_any_system_can_save() {
        assert_eq!(
            offered_name("益企服备份", "上海浦江/精密:机械", "2022-05-20"),
            format!(
                "益企服备份-{}-2022-05-20.{EXTENSION}",
                yiqifu_core::application::safe_name("上海浦江/精密:机械")
            )
        );
        let en = offered_name("Yiqifu backup", "all enterprises", "2022-05-20");
        assert_eq!(
            en,
            format!("Yiqifu backup-all enterprises-2022-05-20.{EXTENSION}")
        );
        assert!(!offered_name("a", "x/y:z", "d").contains(['/', ':']));
    }
}
