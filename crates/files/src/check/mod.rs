//! Checking a material file against a material's rule, by content: the same checks run in
//! the desktop client before a file is accepted and in the service when an upload completes.

mod format;
mod name;
mod open;
mod sniff;
mod zipdir;

use std::{fs::File, io, path::Path};

use serde::{Deserialize, Serialize};

pub use format::{Format, Found};
pub use name::{check_name, MAX_NAME_BYTES, MAX_NAME_CHARS};
pub use open::PDF_MAX_BYTES;
pub use sniff::sniff;
pub use zipdir::MAX_ARCHIVE_ENTRIES;

pub(crate) use name::{fit, sanitize, split_ext};
pub(crate) use sniff::read_full;
pub(crate) use zipdir::open as open_zip;

use crate::Error;

/// What a material's rule accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub formats: Vec<Format>,
    pub max_bytes: u64,
}

impl Limits {
    /// The limits of a rule given by format names (a material rule's list); a name the checks
    /// do not know admits nothing, rather than everything.
    pub fn from_names<S: AsRef<str>>(formats: &[S], max_bytes: u64) -> Self {
        Self {
            formats: formats
                .iter()
                .filter_map(|f| Format::parse(f.as_ref()))
                .collect(),
            max_bytes,
        }
    }
}

/// A file that passed every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    pub format: Format,
    pub size: u64,
}

/// Every check of a file's content against a material's rule, in this order: empty, too
/// large, type by content not allowed, does not open. Memory stays bounded: only a PDF is
/// read whole (for lopdf), and never more than [`PDF_MAX_BYTES`].
pub fn check_file(path: &Path, limits: &Limits) -> Result<Checked, Error> {
    let mut file = File::open(path).map_err(Error::FileUnreadable)?;
    let meta = file.metadata().map_err(Error::FileUnreadable)?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            io::ErrorKind::IsADirectory
        } else {
            io::ErrorKind::InvalidInput
        };
        return Err(Error::FileUnreadable(io::Error::new(
            kind,
            "not a regular file",
        )));
    }
    let size = meta.len();
    if size == 0 {
        return Err(Error::FileEmpty);
    }
    if size > limits.max_bytes {
        return Err(Error::FileTooLarge {
            size,
            max: limits.max_bytes,
        });
    }
    let scan_text = limits.formats.contains(&Format::Csv);
    let detected = sniff::detect(&mut file, size, scan_text)?;
    let format = match detected.found {
        Found::Format(f) if limits.formats.contains(&f) => f,
        found => {
            let office_allowed = limits
                .formats
                .iter()
                .any(|f| matches!(f, Format::Docx | Format::Xlsx | Format::Xls));
            if detected.encrypted_office && office_allowed {
                return Err(Error::OfficeEncrypted);
            }
            return Err(Error::FileWrongType {
                found,
                allowed: limits.formats.clone(),
            });
        }
    };
    open::check_opens(&mut file, format, size)?;
    Ok(Checked { format, size })
}
