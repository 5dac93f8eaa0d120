//! Native open and save dialogs, asked from async commands: the dialog answers through a
//! channel, so neither the main thread nor a runtime thread waits on it.
//!
//! WebDriver cannot click a native dialog, so an end-to-end run answers them from the
//! environment instead: `YIQIFU_E2E_PICKS` names a text file whose first line each open
//! dialog takes (and removes: a journey picks a different file each time); when it has no
//! line left, `YIQIFU_E2E_PICK` is the file every open dialog picks, and without it the
//! dialog is cancelled; and
//! `YIQIFU_E2E_SAVE_DIR` the folder every save dialog saves into, under the offered name.
//! Only debug builds (the ones the tests drive) listen to them: a release build always asks.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

fn e2e(var: &str) -> Option<std::ffi::OsString> {
    if cfg!(debug_assertions) {
        std::env::var_os(var)
    } else {
        None
    }
}

/// The file the officer picked, or `None` when they cancelled.
pub async fn pick_file(
    app: &AppHandle,
    title: &str,
    filter: Option<(&str, &[&str])>,
) -> Option<PathBuf> {
    if let Some(queue) = e2e("YIQIFU_E2E_PICKS") {
        if let Some(p) = next_pick(&PathBuf::from(queue)) {
            return Some(p);
        }
        return e2e("YIQIFU_E2E_PICK").map(PathBuf::from);
    }
    if let Some(p) = e2e("YIQIFU_E2E_PICK") {
        return Some(PathBuf::from(p));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file().set_title(title);
    if let Some((name, exts)) = filter {
        dialog = dialog.add_filter(name, exts);
    }
    dialog.pick_file(move |picked| {
        let _ = tx.send(picked);
    });
    rx.await.ok().flatten().and_then(|p| p.into_path().ok())
}

/// The folder the officer picked, or `None` when they cancelled. An end-to-end run answers
/// as for [`pick_file`].
pub async fn pick_folder(app: &AppHandle, title: &str) -> Option<PathBuf> {
    if let Some(queue) = e2e("YIQIFU_E2E_PICKS") {
        return next_pick(&PathBuf::from(queue));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .pick_folder(move |picked| {
            let _ = tx.send(picked);
        });
    rx.await.ok().flatten().and_then(|p| p.into_path().ok())
}

/// Ends the app and starts it again. An end-to-end run only ends it, with
/// `YIQIFU_E2E_NO_RESTART` set: its driver starts the next session itself, and a process
/// started behind its back would hold the data folder.
pub fn restart(app: &AppHandle) {
    if e2e("YIQIFU_E2E_NO_RESTART").is_some() {
        app.exit(0);
    } else {
        // Not `restart`: called off the main thread it parks the calling (runtime) thread.
        app.request_restart();
    }
}

/// The first line of the end-to-end pick queue, taken off it.
fn next_pick(queue: &std::path::Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(queue).ok()?;
    let mut lines = text.lines();
    let first = lines.next()?.trim().to_string();
    let rest: Vec<&str> = lines.collect();
    std::fs::write(queue, rest.join("\n")).ok()?;
    (!first.is_empty()).then(|| PathBuf::from(first))
}

/// Where the officer chose to save `default_name`, or `None` when they cancelled.
pub async fn save_file(app: &AppHandle, title: &str, default_name: &str) -> Option<PathBuf> {
    save_file_as(app, title, default_name, ("PDF", &["pdf"])).await
}

/// As [`save_file`], offering files of `filter` (a name and its extensions).
pub async fn save_file_as(
    app: &AppHandle,
    title: &str,
    default_name: &str,
    filter: (&str, &[&str]),
) -> Option<PathBuf> {
    if let Some(dir) = e2e("YIQIFU_E2E_SAVE_DIR") {
        return Some(PathBuf::from(dir).join(default_name));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(default_name)
        .add_filter(filter.0, filter.1)
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    rx.await.ok().flatten().and_then(|p| p.into_path().ok())
}

/// Opens `dir` in the platform's file manager. An end-to-end run names a text file in
/// `YIQIFU_E2E_OPENED` instead, and each folder opened is added to it as a line.
pub fn open_in_file_manager(dir: &std::path::Path) -> yiqifu_core::Result<()> {
    std::fs::create_dir_all(dir)?;
    if let Some(record) = e2e("YIQIFU_E2E_OPENED") {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(record)?;
        writeln!(f, "{}", dir.display())?;
        return Ok(());
    }
    tauri_plugin_opener::open_path(dir, None::<&str>)
        .map_err(|e| yiqifu_core::Error::Io(std::io::Error::other(e.to_string())))
}
