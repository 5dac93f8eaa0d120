//! A picked file checked by content against a material rule (yiqifu-files, the same checks
//! the service runs) before anything keeps it: the application's materials and the appeals'
//! attachments go through the same gate.

use std::path::Path;

use yiqifu_files::{Format, Limits};
use yiqifu_protocol::MaterialRule;

use crate::error::{Error, Result};
use crate::materials::{self, Incoming};
use crate::store::Store;

pub(crate) fn refused(e: &yiqifu_files::Error) -> Error {
    // The messages say why in the officer's words; what the system said is for the log.
    if let Some(cause) = e.detail() {
        tracing::warn!(code = e.code(), %cause, "file refused");
    }
    Error::FileRefused {
        code: e.code(),
        zh: e.message_zh(),
        en: e.message_en(),
    }
}

/// The limits a rule sets, as the checks read them.
pub(crate) fn limits(rule: &MaterialRule) -> Limits {
    Limits::from_names(&rule.formats, rule.max_bytes)
}

/// A picked file that passed every check, copied beside the store and not yet kept.
pub(crate) struct Checked {
    pub filename: String,
    pub incoming: Incoming,
    pub format: Format,
}

/// Checks a picked file against `rule`: its name, then its size before anything is copied
/// (a 4 GB file is refused at once), then its content, on the copy that will be kept.
pub(crate) async fn check_picked(
    store: &Store,
    src: &Path,
    rule: &MaterialRule,
) -> Result<Checked> {
    let raw = src
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let filename = yiqifu_files::check_name(&raw).map_err(|e| refused(&e))?;
    let meta = tokio::fs::metadata(src)
        .await
        .map_err(|_| Error::InvalidFile(filename.clone()))?;
    if !meta.is_file() {
        return Err(Error::InvalidFile(filename));
    }
    let limits = limits(rule);
    // Refused before a byte is copied: a 4 GB file is not copied to be told it is too large.
    if meta.len() == 0 {
        return Err(refused(&yiqifu_files::Error::FileEmpty));
    }
    if meta.len() > limits.max_bytes {
        return Err(refused(&yiqifu_files::Error::FileTooLarge {
            size: meta.len(),
            max: limits.max_bytes,
        }));
    }
    let incoming = materials::copy_in(store, src).await?;
    let tmp = incoming.tmp.clone();
    let checked = tokio::task::spawn_blocking(move || yiqifu_files::check_file(&tmp, &limits))
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    match checked {
        Ok(c) => Ok(Checked {
            filename,
            incoming,
            format: c.format,
        }),
        Err(e) => {
            incoming.discard().await;
            Err(refused(&e))
        }
    }
}

pub(crate) fn duplicate(existing: &str) -> Error {
    Error::FileRefused {
        code: "FILE_DUPLICATE",
        zh: format!("这个文件与已添加的“{existing}”内容完全相同，无需重复添加；如要替换，请先移除原文件。"),
        en: format!("This file is identical to \"{existing}\", already added: remove that one first to replace it."),
    }
}

pub(crate) fn too_many(rule: &MaterialRule) -> Error {
    Error::FileRefused {
        code: "FILE_TOO_MANY",
        zh: format!(
            "{}最多 {} 份：请先移除一份再添加。",
            rule.name, rule.max_count
        ),
        en: format!(
            "At most {} files of this material: remove one first.",
            rule.max_count
        ),
    }
}
