//! Where the officer's data lives, and moving it (to a larger disk, or a folder the IT
//! department backs up).
//!
//! The app's own folder (the OS app-data folder, or `YIQIFU_DATA_DIR`) is the *base*: the data
//! is there, or in the folder a pointer file there names. A move copies everything while the
//! app has its databases closed, flushes and checks the copy, and only then points the base
//! at it; the next start opens the new folder and only then removes the old copy. Until the
//! pointer is written the data in use is the old folder, untouched, so a move cut off
//! anywhere leaves the officer's work where it was.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::store::DB_FILE;
use crate::{Error, Result};

/// The pointer, in the base folder.
pub const POINTER: &str = "data-location.json";
/// Files of the running app, never carried along: the single-instance lock and port.
const LOCAL: &[&str] = &["instance.lock", "instance.port", POINTER];

#[derive(Debug, Default, Serialize, Deserialize)]
struct Pointer {
    /// The data folder, when it is not the base itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dir: Option<PathBuf>,
    /// The copy a move left behind: removed once the new folder has opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous: Option<Previous>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Previous {
    dir: PathBuf,
    /// What the move copied from it (top-level names): only these are removed, so anything
    /// else the officer keeps there stays.
    entries: Vec<String>,
}

/// How far a move has got, for its progress bar.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MoveProgress {
    pub done_bytes: f64,
    pub total_bytes: f64,
    pub done_files: u32,
    pub total_files: u32,
}

fn refused(code: &'static str, zh: String, en: String) -> Error {
    Error::DataFolder { code, zh, en }
}

fn read_pointer(base: &Path) -> Result<Option<Pointer>> {
    let path = base.join(POINTER);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        // A base that is not a folder has no pointer: what it is gets said where the app
        // takes the folder.
        Err(_) if !base.is_dir() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        // The parser's words are for the log; the officer is told what to do.
        tracing::warn!(path = %path.display(), error = %e, "data folder pointer unreadable");
        refused(
            "DATA_FOLDER_POINTER_INVALID",
            format!(
                "记录数据位置的文件“{}”已损坏：请把它删除后再打开本应用，然后在“设置与关于”中重新选择数据文件夹。",
                path.display()
            ),
            format!(
                "The file that says where the data is, \"{}\", is damaged: delete it, start the app again, then choose the data folder again under Settings & about.",
                path.display()
            ),
        )
    })
}

/// Writes the pointer whole or not at all, and on disk before it returns.
fn write_pointer(base: &Path, pointer: &Pointer) -> Result<()> {
    let path = base.join(POINTER);
    if pointer.dir.is_none() && pointer.previous.is_none() {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        };
    }
    let tmp = base.join(format!("{POINTER}.tmp"));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(&serde_json::to_vec_pretty(pointer)?)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, &path)?;
    Ok(())
}

/// The folder the data is in: the base, or the one its pointer names. A pointer to a folder
/// that is not there (a disk not connected) is an error, never a fresh empty start that would
/// look to the officer like lost work.
pub fn resolve(base: &Path) -> Result<PathBuf> {
    let Some(Pointer { dir: Some(dir), .. }) = read_pointer(base)? else {
        return Ok(base.to_path_buf());
    };
    if dir.join(DB_FILE).is_file() {
        return Ok(dir);
    }
    Err(refused(
        "DATA_FOLDER_MISSING",
        format!(
            "数据文件夹“{}”不存在或无法读取：若它在外接硬盘或网络驱动器上，请连接后再打开本应用。若它已不在了，删除“{}”后再打开，应用会在默认位置从头开始（可从备份恢复）。",
            dir.display(),
            base.join(POINTER).display()
        ),
        format!(
            "The data folder \"{}\" is missing or cannot be read: if it is on an external or network drive, connect it and start the app again. If it is gone for good, delete \"{}\" and start again: the app starts afresh in its default folder (a backup can be restored).",
            dir.display(),
            base.join(POINTER).display()
        ),
    ))
}

/// `path` made absolute, with `.` and `..` and, for the part that exists, links resolved:
/// two spellings of one folder compare equal.
fn normalized(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Whether `to` can take the data now in `current`: an absolute folder, empty or not there
/// yet, writable, and neither inside the data nor holding it. Creates `to` (to try writing);
/// nothing else changes, and the app keeps running on `current` whatever the answer.
pub fn check_target(base: &Path, current: &Path, to: &Path) -> Result<()> {
    let shown = to.display().to_string();
    if !to.is_absolute() {
        return Err(refused(
            "DATA_FOLDER_NOT_ABSOLUTE",
            format!("“{shown}”不是完整的文件夹路径：请用“选择文件夹…”选一个文件夹。"),
            format!("\"{shown}\" is not a full folder path: choose a folder with Choose folder…."),
        ));
    }
    let (here, there) = (normalized(current), normalized(to));
    if here == there {
        return Err(refused(
            "DATA_FOLDER_SAME",
            format!("数据已经在“{shown}”中，无需移动。"),
            format!("The data is already in \"{shown}\": nothing to move."),
        ));
    }
    if there.starts_with(&here) || here.starts_with(&there) {
        return Err(refused(
            "DATA_FOLDER_NESTED",
            format!("“{shown}”在当前数据文件夹之内，或包含它：请选择数据文件夹以外的一个空文件夹。"),
            format!("\"{shown}\" is inside the current data folder, or holds it: choose an empty folder outside it."),
        ));
    }
    let back_home = there == normalized(base);
    let existed = to.exists();
    if existed {
        if !to.is_dir() {
            return Err(refused(
                "DATA_FOLDER_NOT_EMPTY",
                format!("“{shown}”是一个文件，不是文件夹：请选择一个空文件夹。"),
                format!("\"{shown}\" is a file, not a folder: choose an empty folder."),
            ));
        }
        // The base keeps its pointer (and a lock) when the data is elsewhere.
        let others = std::fs::read_dir(to)?
            .filter_map(|e| e.ok())
            .filter(|e| !(back_home && LOCAL.contains(&e.file_name().to_string_lossy().as_ref())))
            .count();
        if others > 0 {
            return Err(refused(
                "DATA_FOLDER_NOT_EMPTY",
                format!("文件夹“{shown}”不是空的：为免与其中的文件混在一起，请新建或选择一个空文件夹。"),
                format!("The folder \"{shown}\" is not empty: so that nothing mixes with its files, create or choose an empty folder."),
            ));
        }
    }
    let probe = to.join(".yiqifu-write-test");
    let writable = std::fs::create_dir_all(to)
        .and_then(|()| std::fs::write(&probe, b"ok"))
        .and_then(|()| std::fs::remove_file(&probe));
    if let Err(e) = writable {
        if !existed {
            let _ = std::fs::remove_dir(to);
        }
        tracing::warn!(folder = %shown, error = %e, "data folder not writable");
        let (zh, en) = yiqifu_files::io_reason(&e);
        return Err(refused(
            "DATA_FOLDER_NOT_WRITABLE",
            format!("无法写入“{shown}”（{zh}）：请选择当前用户可写的文件夹。"),
            format!("Cannot write to \"{shown}\" ({en}): choose a folder this user can write to."),
        ));
    }
    Ok(())
}

/// Every file under `dir`, as paths relative to it, with its size; the running app's own
/// files at the top are left out.
fn files_of(dir: &Path) -> Result<Vec<(PathBuf, u64)>> {
    let mut out = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        for entry in std::fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let name = entry.file_name();
            if rel.as_os_str().is_empty() && LOCAL.contains(&name.to_string_lossy().as_ref()) {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(rel.join(&name));
            } else if kind.is_file() {
                out.push((rel.join(&name), entry.metadata()?.len()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Copies the data in `from` (every database closed) into the empty folder `to`, each file
/// flushed to disk and its size checked. Returns the top-level entries copied. On failure
/// what was copied is removed again, `from` is as it was, and the error says so.
pub fn copy(
    from: &Path,
    to: &Path,
    mut progress: impl FnMut(&MoveProgress),
) -> Result<Vec<String>> {
    let files = files_of(from)?;
    let mut state = MoveProgress {
        done_bytes: 0.0,
        total_bytes: files.iter().map(|(_, n)| *n as f64).sum(),
        done_files: 0,
        total_files: u32::try_from(files.len()).unwrap_or(u32::MAX),
    };
    progress(&state);
    let mut entries: Vec<String> = Vec::new();
    for (rel, _) in &files {
        if let Some(Component::Normal(top)) = rel.components().next() {
            let top = top.to_string_lossy().into_owned();
            if !entries.contains(&top) {
                entries.push(top);
            }
        }
    }
    let copied = (|| -> std::io::Result<()> {
        for (rel, size) in &files {
            let (src, dst) = (from.join(rel), to.join(rel));
            if let Some(parent) = dst.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let written = match std::fs::copy(&src, &dst) {
                Ok(n) => Some(n),
                // Gone since the listing: a write-ahead log SQLite folded in and removed as
                // its last connection closed. Nothing of it is data any more.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !src.exists() => {
                    tracing::info!(file = %rel.display(), "gone before it was copied");
                    None
                }
                Err(e) => {
                    // Returned as the system gave it, so that its code still says why (a
                    // file Windows says another program holds); which file goes to the log.
                    tracing::warn!(file = %rel.display(), error = %e, "not copied");
                    return Err(e);
                }
            };
            if let Some(written) = written {
                // Opened for writing: Windows flushes only a handle with write access.
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&dst)?
                    .sync_all()?;
                // At least the size listed: a log kept in the data folder (YIQIFU_DATA_DIR) may
                // grow while the copy runs (the databases are closed). Not against `written`:
                // Windows' copy may report 0 bytes for a whole file.
                let landed = std::fs::metadata(&dst)?.len();
                if landed < *size {
                    return Err(std::io::Error::other(format!(
                        "{} was copied short ({landed} of {size} bytes, {written} reported)",
                        rel.display()
                    )));
                }
            }
            state.done_bytes = (state.done_bytes + *size as f64).min(state.total_bytes);
            state.done_files += 1;
            progress(&state);
        }
        Ok(())
    })();
    if let Err(e) = copied {
        for top in &entries {
            let path = to.join(top);
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
        tracing::warn!(to = %to.display(), error = %e, "data folder copy failed");
        let (zh, en) = yiqifu_files::io_reason(&e);
        return Err(refused(
            "DATA_FOLDER_COPY_FAILED",
            format!(
                "复制到“{}”时出错（{zh}）：数据仍在原文件夹，没有任何改动，已复制的部分已删除。请确认那里空间足够、可写后再试。",
                to.display()
            ),
            format!(
                "Copying to \"{}\" failed ({en}): the data is still in its old folder, unchanged, and what was copied has been removed. Make sure there is room and it can be written to, then try again.",
                to.display()
            ),
        ));
    }
    Ok(entries)
}

/// Points the base at `to`, where [`copy`] put the data of `from`: from the next start on the
/// data is there, and the copy in `from` is removed once it has opened.
pub fn switch(base: &Path, from: &Path, to: &Path, entries: Vec<String>) -> Result<()> {
    let pointer = Pointer {
        dir: (normalized(to) != normalized(base)).then(|| to.to_path_buf()),
        previous: Some(Previous {
            dir: from.to_path_buf(),
            entries,
        }),
    };
    write_pointer(base, &pointer)
}

/// After a start opened `current`: removes what the last move copied out of the old folder,
/// and the folder itself when that leaves it empty. Returns the old folder when there was
/// one. What cannot be removed now (a file another program holds) is tried again next start.
pub fn tidy(base: &Path, current: &Path) -> Result<Option<PathBuf>> {
    let Some(mut pointer) = read_pointer(base)? else {
        return Ok(None);
    };
    let Some(previous) = pointer.previous.take() else {
        return Ok(None);
    };
    if normalized(&previous.dir) == normalized(current) {
        // A move that never switched: nothing was left behind.
        write_pointer(base, &pointer)?;
        return Ok(None);
    }
    let old_is_base = normalized(&previous.dir) == normalized(base);
    let mut left = Vec::new();
    for name in previous.entries {
        // Only a plain name: a pointer edited by hand must not reach outside the folder.
        let plain = Path::new(&name).components().count() == 1
            && matches!(
                Path::new(&name).components().next(),
                Some(Component::Normal(_))
            )
            && !LOCAL.contains(&name.as_str());
        if !plain {
            continue;
        }
        let path = previous.dir.join(&name);
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match removed {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "old data not removed yet");
                left.push(name);
            }
        }
    }
    if !old_is_base && left.is_empty() {
        for name in LOCAL {
            let _ = std::fs::remove_file(previous.dir.join(name));
        }
        // Only when empty: anything else the officer keeps there stays.
        let _ = std::fs::remove_dir(&previous.dir);
    }
    let dir = previous.dir.clone();
    if !left.is_empty() {
        pointer.previous = Some(Previous {
            dir: previous.dir,
            entries: left,
        });
    }
    write_pointer(base, &pointer)?;
    Ok(Some(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dirs {
        root: PathBuf,
    }
    impl Dirs {
        fn new(name: &str) -> Self {
            let root = std::env::temp_dir()
                .join(format!("yiqifu-data-folder-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(&root).unwrap();
            Self { root }
        }
        fn path(&self, rel: &str) -> PathBuf {
            self.root.join(rel)
        }
    }
    impl Drop for Dirs {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }

    /// A data folder as the app leaves it: its database, a workspace, material files, the
    /// running app's lock.
    fn data_in(dir: &Path) {
        let ws = dir.join("enterprises").join("E1");
        std::fs::create_dir_all(ws.join("materials")).unwrap();
        std::fs::write(dir.join(DB_FILE), vec![7u8; 40_000]).unwrap();
        std::fs::write(ws.join("workspace.sqlite"), vec![1u8; 9_000]).unwrap();
        std::fs::write(ws.join("materials").join("licence.pdf"), b"%PDF-1.7 ...").unwrap();
        std::fs::write(dir.join("instance.lock"), b"").unwrap();
    }

    fn code(e: Error) -> &'static str {
        e.code()
    }

    #[test]
    fn a_move_copies_everything_switches_and_the_next_start_removes_the_old_copy() {
        let d = Dirs::new("move");
        let base = d.path("base");
        data_in(&base);
        std::fs::write(base.join("instance.port"), b"4000").unwrap();
        let to = d.path("bigger disk/yiqifu");
        assert_eq!(resolve(&base).unwrap(), base);

        check_target(&base, &base, &to).unwrap();
        let mut seen = Vec::new();
        let entries = copy(&base, &to, |p| seen.push(p.clone())).unwrap();
        assert_eq!(
            entries,
            vec!["enterprises".to_string(), DB_FILE.to_string()]
        );
        let last = seen.last().unwrap();
        assert_eq!((last.done_files, last.total_files), (3, 3));
        assert_eq!(last.done_bytes, last.total_bytes);
        assert_eq!(last.total_bytes, (40_000 + 9_000 + 12) as f64);
        assert_eq!(
            seen.len(),
            4,
            "one step before the first file and one per file"
        );
        assert_eq!(
            std::fs::read(to.join("enterprises/E1/materials/licence.pdf")).unwrap(),
            b"%PDF-1.7 ..."
        );
        assert!(
            !to.join("instance.lock").exists(),
            "the lock stays with its app"
        );
        // Copied but not switched: the data in use is still the old folder.
        assert_eq!(resolve(&base).unwrap(), base);

        switch(&base, &base, &to, entries).unwrap();
        assert_eq!(resolve(&base).unwrap(), to);
        assert_eq!(tidy(&base, &to).unwrap(), Some(base.clone()));
        assert!(!base.join(DB_FILE).exists());
        assert!(!base.join("enterprises").exists());
        assert!(
            base.join(POINTER).exists(),
            "the base keeps pointing at the data"
        );
        assert_eq!(resolve(&base).unwrap(), to);
        assert_eq!(tidy(&base, &to).unwrap(), None, "once only");
    }

    #[test]
    fn moving_back_home_and_on_again_leaves_no_copy_behind() {
        let d = Dirs::new("home");
        let base = d.path("base");
        let first = d.path("first");
        data_in(&base);
        let entries = copy(&base, &first, |_| {}).unwrap();
        switch(&base, &base, &first, entries).unwrap();
        tidy(&base, &first).unwrap();
        // Back to the base, which holds only the pointer.
        check_target(&base, &first, &base).unwrap();
        let entries = copy(&first, &base, |_| {}).unwrap();
        switch(&base, &first, &base, entries).unwrap();
        assert_eq!(resolve(&base).unwrap(), base);
        assert_eq!(tidy(&base, &base).unwrap(), Some(first.clone()));
        assert!(!first.exists(), "an emptied folder goes too");
        assert!(!base.join(POINTER).exists(), "home again: no pointer");

        // On again, twice; a file the officer keeps in the data folder moves with it.
        let second = d.path("second");
        check_target(&base, &base, &second).unwrap();
        let entries = copy(&base, &second, |_| {}).unwrap();
        switch(&base, &base, &second, entries).unwrap();
        tidy(&base, &second).unwrap();
        std::fs::write(second.join("notes.txt"), b"mine").unwrap();
        let third = d.path("third");
        check_target(&base, &second, &third).unwrap();
        let entries = copy(&second, &third, |_| {}).unwrap();
        switch(&base, &second, &third, entries).unwrap();
        assert_eq!(tidy(&base, &third).unwrap(), Some(second.clone()));
        assert!(!second.exists());
        assert_eq!(std::fs::read(third.join("notes.txt")).unwrap(), b"mine");
        assert_eq!(resolve(&base).unwrap(), third);
        assert!(third.join("enterprises/E1/workspace.sqlite").is_file());
    }

    #[test]
    fn a_target_that_cannot_take_the_data_is_refused_and_nothing_changes() {
        let d = Dirs::new("refuse");
        let base = d.path("base");
        data_in(&base);
        let full = d.path("full");
        std::fs::create_dir_all(&full).unwrap();
        std::fs::write(full.join("report.docx"), b"x").unwrap();
        let file = d.path("a-file");
        std::fs::write(&file, b"x").unwrap();

        let cases: Vec<(PathBuf, &str)> = vec![
            (PathBuf::from("relative/dir"), "DATA_FOLDER_NOT_ABSOLUTE"),
            (base.clone(), "DATA_FOLDER_SAME"),
            (base.join("."), "DATA_FOLDER_SAME"),
            (base.join("enterprises").join("new"), "DATA_FOLDER_NESTED"),
            (d.root.clone(), "DATA_FOLDER_NESTED"),
            (full.clone(), "DATA_FOLDER_NOT_EMPTY"),
            (file.clone(), "DATA_FOLDER_NOT_EMPTY"),
        ];
        for (to, want) in cases {
            let e = check_target(&base, &base, &to).unwrap_err();
            let info = crate::ErrorInfo::from(&e);
            assert_eq!(code(e), want, "{}", to.display());
            assert!(!info.message_zh.is_empty() && !info.message_en.is_empty());
        }
        assert_eq!(std::fs::read(full.join("report.docx")).unwrap(), b"x");
        assert_eq!(resolve(&base).unwrap(), base);
    }

    #[test]
    fn a_copy_cut_off_removes_what_it_copied_and_leaves_the_data_in_use() {
        let d = Dirs::new("cut");
        let base = d.path("base");
        data_in(&base);
        let to = d.path("to");
        check_target(&base, &base, &to).unwrap();
        // The second file cannot be written: a folder already sits where it goes.
        std::fs::create_dir_all(to.join("enterprises/E1/workspace.sqlite/in-the-way")).unwrap();
        let mut landed = 0;
        let e = copy(&base, &to, |p| landed = p.done_files).unwrap_err();
        assert!(landed >= 1, "the fault came after a file had been copied");
        assert_eq!(e.code(), "DATA_FOLDER_COPY_FAILED");
        let info = crate::ErrorInfo::from(&e);
        assert!(info.message_en.contains("unchanged"));
        // Why, in the officer's words: the system's own ("Is a directory (os error 21)") go
        // to the log.
        for message in [&info.message_zh, &info.message_en] {
            assert!(!message.contains("os error"), "{message}");
        }
        assert_eq!(
            std::fs::read_dir(&to).unwrap().count(),
            0,
            "nothing left half-copied"
        );
        assert_eq!(resolve(&base).unwrap(), base);
        assert_eq!(std::fs::read(base.join(DB_FILE)).unwrap().len(), 40_000);
    }

    #[test]
    fn a_pointer_to_a_folder_that_is_not_there_or_a_damaged_one_is_an_error_not_a_fresh_start() {
        let d = Dirs::new("missing");
        let base = d.path("base");
        data_in(&base);
        let to = d.path("usb/yiqifu");
        let entries = copy(&base, &to, |_| {}).unwrap();
        switch(&base, &base, &to, entries).unwrap();
        std::fs::rename(d.path("usb"), d.path("unplugged")).unwrap();
        let e = resolve(&base).unwrap_err();
        assert_eq!(e.code(), "DATA_FOLDER_MISSING");
        assert!(crate::ErrorInfo::from(&e).message_zh.contains("外接硬盘"));
        std::fs::rename(d.path("unplugged"), d.path("usb")).unwrap();
        assert_eq!(resolve(&base).unwrap(), to);

        std::fs::write(base.join(POINTER), b"{ not json").unwrap();
        let e = crate::ErrorInfo::from(&resolve(&base).unwrap_err());
        assert_eq!(e.code, "DATA_FOLDER_POINTER_INVALID");
        // Told what to do in their language, without the parser's English.
        assert!(!e.message_zh.contains("line"), "{}", e.message_zh);
        assert!(!e.message_en.contains("line"), "{}", e.message_en);
        assert!(
            e.message_en.contains("Settings & about"),
            "{}",
            e.message_en
        );

        // A base that is a file is no folder with a pointer: taking it fails later, with why.
        let file = d.path("a-file");
        std::fs::write(&file, b"x").unwrap();
        assert_eq!(resolve(&file).unwrap(), file);
    }

    #[test]
    fn a_hand_edited_pointer_cannot_make_tidy_remove_anything_outside_the_old_folder() {
        let d = Dirs::new("edited");
        let base = d.path("base");
        std::fs::create_dir_all(&base).unwrap();
        let old = d.path("old");
        std::fs::create_dir_all(&old).unwrap();
        let precious = d.path("precious.txt");
        std::fs::write(&precious, b"keep").unwrap();
        let pointer = Pointer {
            dir: None,
            previous: Some(Previous {
                dir: old.clone(),
                entries: vec!["../precious.txt".into(), "..".into(), POINTER.into()],
            }),
        };
        write_pointer(&base, &pointer).unwrap();
        tidy(&base, &base).unwrap();
        assert_eq!(std::fs::read(&precious).unwrap(), b"keep");
    }
}
