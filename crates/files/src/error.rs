//! The crate's one error type: every refusal of a file or a name, and every way packaging
//! can fail, each with a stable code and a message for the officer in Chinese and English.

use std::{fmt, io};

use crate::check::{Format, Found};

/// Why a file, a name or a package was refused. `code()` never changes once released: the
/// client and the service match on it, and the service stores it.
#[derive(Debug)]
pub enum Error {
    FileEmpty,
    FileTooLarge {
        size: u64,
        max: u64,
    },
    FileWrongType {
        found: Found,
        allowed: Vec<Format>,
    },
    FileUnreadable(io::Error),
    PdfUnreadable,
    PdfEncrypted,
    PdfNoPages,
    ImageUnreadable,
    /// Its dimensions or the memory to decode it pass the limits (a decompression bomb, or a
    /// gigantic scan).
    ImageTooLarge,
    OfficeUnreadable {
        format: Format,
    },
    /// A password-protected Word or Excel file, which Office stores as an OLE2 container.
    OfficeEncrypted,
    ZipUnreadable,
    /// More entries inside than any real document or material archive has: refused before the
    /// directory is read, so its size cannot exhaust memory.
    ArchiveTooManyEntries {
        max: u64,
    },

    NameEmpty,
    NameTooLong {
        chars: usize,
        max_chars: usize,
    },
    NameHasPath,
    NameHasControl,
    NameHasBidi,
    NameHasInvisible,
    NameForbiddenChar {
        ch: char,
    },
    NameReserved {
        stem: String,
    },
    NameTrailingDotOrSpace,

    DiskFull,
    /// A stored copy no longer has the size or SHA-256 it had when it was accepted.
    SourceChanged {
        name: String,
    },
    SourceUnreadable {
        name: String,
        source: io::Error,
    },
    PackageWriteFailed(io::Error),
    /// The caller's entries or manifest do not fit together: a bug, not the officer's doing.
    PackageInvalid {
        reason: String,
    },
    PackageDamaged {
        detail_zh: String,
        detail_en: String,
    },
    PackageUnreadable(io::Error),
}

/// Sizes in messages: MB with one decimal, as Windows Explorer shows them (1 MB = 1024 KiB);
/// below 1 MB in whole KB, rounded up, so a small limit never reads "0.0 MB".
pub fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MB", bytes as f64 / MIB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Chinese text puts a space between Han characters and a Latin word ("这是 PDF 文件").
fn spaced(label: &str) -> String {
    if label.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        format!(" {label}")
    } else {
        label.to_owned()
    }
}

fn list(formats: &[Format], label: fn(Format) -> &'static str, sep: &str) -> String {
    formats
        .iter()
        .map(|f| label(*f))
        .collect::<Vec<_>>()
        .join(sep)
}

/// "PDF 文件、JPG 图片或 PNG 图片": the last two joined by 或, with a space before a Latin
/// word, as Chinese typesetting has it.
fn either_zh(formats: &[Format]) -> String {
    let labels: Vec<&str> = formats.iter().map(|f| Format::label_zh(*f)).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{}或{}", rest.join("、"), spaced(last)),
    }
}

/// Why the system could not read or write a file, in words an officer reads: Chinese, then
/// English. The system's own words (English on macOS and Linux, whatever the officer reads)
/// stay out of the messages; they belong in the log (here through `source()` and `Display`).
pub fn io_reason(e: &io::Error) -> (&'static str, &'static str) {
    io_cause(e).unwrap_or(("系统读写出错", "the system could not read or write it"))
}

/// [`io_reason`], when the system said more than that reading or writing failed.
pub fn io_cause(e: &io::Error) -> Option<(&'static str, &'static str)> {
    if held_by_another_program(e) {
        return Some(("文件正被其他程序使用", "another program is using it"));
    }
    Some(match e.kind() {
        io::ErrorKind::NotFound => ("找不到该文件或文件夹", "it is not there"),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            ("没有读写权限", "access was denied")
        }
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData => {
            ("文件已损坏或不完整", "it is damaged or incomplete")
        }
        io::ErrorKind::IsADirectory => (
            "该处是文件夹而不是文件",
            "a folder is where a file should be",
        ),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            ("磁盘空间不足", "the disk is full")
        }
        io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory => {
            ("该处已有同名的文件", "a file of that name is in the way")
        }
        _ => return None,
    })
}

/// A file another program holds: Windows refuses it with a sharing or lock violation (codes
/// 32 and 33), to which Rust gives no kind of its own.
fn held_by_another_program(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::ResourceBusy {
        return true;
    }
    #[cfg(windows)]
    {
        matches!(e.raw_os_error(), Some(32 | 33))
    }
    #[cfg(not(windows))]
    {
        false
    }
}

impl Error {
    /// What the system said (or, for a bug, what the caller got wrong), which the messages
    /// leave out: for the log.
    pub fn detail(&self) -> Option<String> {
        match self {
            Error::PackageInvalid { reason } => Some(reason.clone()),
            _ => std::error::Error::source(self).map(ToString::to_string),
        }
    }

    /// A stable code (SCREAMING_SNAKE), never renamed.
    pub fn code(&self) -> &'static str {
        match self {
            Error::FileEmpty => "FILE_EMPTY",
            Error::FileTooLarge { .. } => "FILE_TOO_LARGE",
            Error::FileWrongType { .. } => "FILE_WRONG_TYPE",
            Error::FileUnreadable(_) => "FILE_UNREADABLE",
            Error::PdfUnreadable => "PDF_UNREADABLE",
            Error::PdfEncrypted => "PDF_ENCRYPTED",
            Error::PdfNoPages => "PDF_NO_PAGES",
            Error::ImageUnreadable => "IMAGE_UNREADABLE",
            Error::ImageTooLarge => "IMAGE_TOO_LARGE",
            Error::OfficeUnreadable { .. } => "OFFICE_UNREADABLE",
            Error::OfficeEncrypted => "OFFICE_ENCRYPTED",
            Error::ZipUnreadable => "ZIP_UNREADABLE",
            Error::ArchiveTooManyEntries { .. } => "ARCHIVE_TOO_MANY_ENTRIES",
            Error::NameEmpty => "NAME_EMPTY",
            Error::NameTooLong { .. } => "NAME_TOO_LONG",
            Error::NameHasPath => "NAME_HAS_PATH",
            Error::NameHasControl => "NAME_HAS_CONTROL",
            Error::NameHasBidi => "NAME_HAS_BIDI",
            Error::NameHasInvisible => "NAME_HAS_INVISIBLE",
            Error::NameForbiddenChar { .. } => "NAME_FORBIDDEN_CHAR",
            Error::NameReserved { .. } => "NAME_RESERVED",
            Error::NameTrailingDotOrSpace => "NAME_TRAILING_DOT_OR_SPACE",
            Error::DiskFull => "DISK_FULL",
            Error::SourceChanged { .. } => "SOURCE_CHANGED",
            Error::SourceUnreadable { .. } => "SOURCE_UNREADABLE",
            Error::PackageWriteFailed(_) => "PACKAGE_WRITE_FAILED",
            Error::PackageInvalid { .. } => "PACKAGE_INVALID",
            Error::PackageDamaged { .. } => "PACKAGE_DAMAGED",
            Error::PackageUnreadable(_) => "PACKAGE_UNREADABLE",
        }
    }

    pub fn message_zh(&self) -> String {
        const RENAME: &str = "请在电脑上把文件改名后重新选择。";
        match self {
            Error::FileEmpty => "这个文件是空的（0 字节）。请确认选对了文件，或重新导出后再选择。".into(),
            Error::FileTooLarge { size, max } => format!(
                "文件太大：{}，此项材料最大 {}。请压缩图片、分开扫描或降低扫描分辨率后重新选择。",
                size_text(*size),
                size_text(*max)
            ),
            Error::FileWrongType { found, allowed } => format!(
                "这是{}，不是{}。请选择{}；其他格式可先用 WPS 或 Office 另存为（或打印为）PDF。",
                spaced(&found.label_zh()),
                spaced(&either_zh(allowed)),
                spaced(&list(allowed, Format::label_zh, "、"))
            ),
            Error::FileUnreadable(e) => format!(
                "无法读取这个文件（{}）。请确认文件没有被其他程序占用、没有被移动或删除，然后重新选择。",
                io_reason(e).0
            ),
            Error::PdfUnreadable => "这个 PDF 已损坏，无法打开。请重新扫描或重新导出 PDF 后再选择。".into(),
            Error::PdfEncrypted => "这个 PDF 设置了密码或权限保护，审核人员无法打开。请取消密码后另存一份（或重新打印为 PDF），再选择新文件。".into(),
            Error::PdfNoPages => "这个 PDF 没有任何页面。请确认导出时选择了全部页面，重新导出后再选择。".into(),
            Error::ImageUnreadable => "这张图片已损坏或不完整，无法显示。请重新拍照或扫描后再选择。".into(),
            Error::ImageTooLarge => "这张图片尺寸过大（超过约 1 亿像素），无法核验。请缩小图片尺寸或降低扫描分辨率后重新选择。".into(),
            Error::OfficeUnreadable { format } => format!(
                "这个{}已损坏，无法打开。请在 WPS 或 Office 中打开并重新保存后再选择。",
                spaced(format.label_zh())
            ),
            Error::OfficeEncrypted => "这个 Office 文档设置了打开密码，审核人员无法打开。请取消密码后另存一份，再选择新文件。".into(),
            Error::ZipUnreadable => "这个压缩包已损坏或是空的，无法打开。请重新压缩后再选择。".into(),
            Error::ArchiveTooManyEntries { max } => format!(
                "这个文件内部包含的文件数量过多（超过 {max} 个），无法核验。请减少文件数量或分开上传。"
            ),
            Error::NameEmpty => format!("文件名是空的。{RENAME}"),
            Error::NameTooLong { chars, max_chars } => format!(
                "文件名太长（{chars} 个字符）。文件名最多 {max_chars} 个字符（全中文约 80 个字）。请把文件改成简短的名字后重新选择。"
            ),
            Error::NameHasPath => format!("文件名里不能包含路径符号（/ \\ 盘符或 ..）。{RENAME}"),
            Error::NameHasControl => format!("文件名里含有看不见的控制字符。{RENAME}"),
            Error::NameHasBidi => format!(
                "文件名里含有改变文字方向的隐藏字符，可能让文件看起来像另一种类型。{RENAME}"
            ),
            Error::NameHasInvisible => format!("文件名里含有看不见的隐藏字符。{RENAME}"),
            Error::NameForbiddenChar { ch } => format!(
                "文件名里不能有“{ch}”（Windows 不允许 < > : \" | ? * 这些符号）。{RENAME}"
            ),
            Error::NameReserved { stem } => format!(
                "“{stem}”是 Windows 保留的名字，不能用作文件名。{RENAME}"
            ),
            Error::NameTrailingDotOrSpace => format!("文件名不能以句点或空格结尾。{RENAME}"),
            Error::DiskFull => "磁盘空间不足，无法生成申报包。请删除不需要的文件或清空回收站，腾出空间后重试。".into(),
            Error::SourceChanged { name } => format!(
                "材料“{name}”的存档副本已被改动或损坏。请在申报材料中删除它并重新选择原文件，然后再生成申报包。"
            ),
            Error::SourceUnreadable { name, source } => format!(
                "无法读取材料“{name}”的存档副本（{}）。请在申报材料中删除它并重新选择原文件。",
                io_reason(source).0
            ),
            Error::PackageWriteFailed(e) => format!(
                "写入申报包失败（{}）。请确认保存位置可以写入（没有被其他程序占用），然后重试。",
                io_reason(e).0
            ),
            Error::PackageInvalid { .. } => {
                "申报包内容不一致，这是程序错误。请重试；如仍失败请联系技术支持（日志中有详细原因）。".into()
            }
            Error::PackageDamaged { detail_zh, .. } => {
                format!("申报包已损坏（{detail_zh}）。请重新生成申报包。")
            }
            Error::PackageUnreadable(e) => {
                format!(
                    "无法读取申报包（{}）。请确认文件还在原处，或重新生成申报包。",
                    io_reason(e).0
                )
            }
        }
    }

    pub fn message_en(&self) -> String {
        const RENAME: &str = "Please rename the file on your computer and choose it again.";
        match self {
            Error::FileEmpty => "This file is empty (0 bytes). Check that you chose the right file, or export it again.".into(),
            Error::FileTooLarge { size, max } => format!(
                "The file is too large: {}; this material allows at most {}. Compress the images, scan in parts or at a lower resolution, and choose it again.",
                size_text(*size),
                size_text(*max)
            ),
            Error::FileWrongType { found, allowed } => format!(
                "This is {}, not {}. Please choose {}; other formats can first be saved (or printed) as PDF in WPS or Office.",
                found.label_en(),
                list(allowed, Format::label_en, " or "),
                list(allowed, Format::label_en, ", ")
            ),
            Error::FileUnreadable(e) => format!(
                "The file cannot be read ({}). Make sure no other program holds it and it was not moved or deleted, then choose it again.",
                io_reason(e).1
            ),
            Error::PdfUnreadable => "This PDF is damaged and cannot be opened. Scan or export it again, then choose the new file.".into(),
            Error::PdfEncrypted => "This PDF is protected by a password or permissions, so reviewers cannot open it. Save a copy without the password (or print it to PDF again) and choose that.".into(),
            Error::PdfNoPages => "This PDF has no pages. Export it again with all pages and choose the new file.".into(),
            Error::ImageUnreadable => "This image is damaged or incomplete. Take the photo or scan again and choose the new file.".into(),
            Error::ImageTooLarge => "This image is too large to check (over about 100 million pixels). Make it smaller or scan at a lower resolution, then choose it again.".into(),
            Error::OfficeUnreadable { format } => format!(
                "This {} is damaged and cannot be opened. Open it in WPS or Office, save it again, and choose it again.",
                format.label_en()
            ),
            Error::OfficeEncrypted => "This Office document has an opening password, so reviewers cannot open it. Save a copy without the password and choose that.".into(),
            Error::ZipUnreadable => "This archive is damaged or empty. Create the ZIP again and choose the new file.".into(),
            Error::ArchiveTooManyEntries { max } => format!(
                "This file contains too many files inside (more than {max}) to be checked. Reduce their number or upload them separately."
            ),
            Error::NameEmpty => format!("The file name is empty. {RENAME}"),
            Error::NameTooLong { chars, max_chars } => format!(
                "The file name is too long ({chars} characters; at most {max_chars}, or about 80 Chinese characters). Give the file a shorter name and choose it again."
            ),
            Error::NameHasPath => format!("The file name must not contain path parts (/ \\ a drive or ..). {RENAME}"),
            Error::NameHasControl => format!("The file name contains invisible control characters. {RENAME}"),
            Error::NameHasBidi => format!(
                "The file name contains hidden text-direction characters that can make it look like another type of file. {RENAME}"
            ),
            Error::NameHasInvisible => format!("The file name contains invisible characters. {RENAME}"),
            Error::NameForbiddenChar { ch } => format!(
                "The file name must not contain \"{ch}\" (Windows does not allow < > : \" | ? *). {RENAME}"
            ),
            Error::NameReserved { stem } => format!(
                "\"{stem}\" is a name Windows reserves and cannot be a file name. {RENAME}"
            ),
            Error::NameTrailingDotOrSpace => format!("The file name must not end with a dot or a space. {RENAME}"),
            Error::DiskFull => "The disk is full, so the application package cannot be written. Delete files you no longer need or empty the Recycle Bin, then try again.".into(),
            Error::SourceChanged { name } => format!(
                "The stored copy of the material \"{name}\" was changed or damaged. Remove it from the application's materials, choose the original file again, then build the package again."
            ),
            Error::SourceUnreadable { name, source } => format!(
                "The stored copy of the material \"{name}\" cannot be read ({}). Remove it from the application's materials and choose the original file again.",
                io_reason(source).1
            ),
            Error::PackageWriteFailed(e) => format!(
                "Writing the application package failed ({}). Make sure the folder can be written to and no other program holds the file, then try again.",
                io_reason(e).1
            ),
            Error::PackageInvalid { .. } => {
                "The package contents do not fit together; this is a program error. Try again, and contact support if it keeps failing (the log says why).".into()
            }
            Error::PackageDamaged { detail_en, .. } => {
                format!("The application package is damaged ({detail_en}). Please build it again.")
            }
            Error::PackageUnreadable(e) => format!(
                "The application package cannot be read ({}). Make sure it is still where it was saved, or build it again.",
                io_reason(e).1
            ),
        }
    }

    /// Whether an I/O failure means the disk is full; such failures become [`Error::DiskFull`]
    /// because freeing space is the one thing the officer can do about them.
    pub(crate) fn is_disk_full(e: &io::Error) -> bool {
        if e.kind() == io::ErrorKind::StorageFull || e.kind() == io::ErrorKind::QuotaExceeded {
            return true;
        }
        match e.raw_os_error() {
            #[cfg(unix)]
            Some(code) => code == 28, // ENOSPC
            #[cfg(windows)]
            Some(code) => code == 112 || code == 39, // ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL
            #[cfg(not(any(unix, windows)))]
            Some(_) => false,
            None => false,
        }
    }

    /// An I/O failure while writing a package.
    pub(crate) fn from_write(e: io::Error) -> Error {
        if Error::is_disk_full(&e) {
            Error::DiskFull
        } else {
            Error::PackageWriteFailed(e)
        }
    }

    pub(crate) fn damaged(zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::PackageDamaged {
            detail_zh: zh.into(),
            detail_en: en.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.message_zh(), self.message_en())?;
        match self.detail() {
            Some(detail) => write!(f, " [{detail}]"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::FileUnreadable(e)
            | Error::PackageWriteFailed(e)
            | Error::PackageUnreadable(e)
            | Error::SourceUnreadable { source: e, .. } => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// What the system says of a failed read: never in a message, always in the log.
    const SYSTEM_WORDS: &str = "os said: EIO 5";

    fn every_variant() -> Vec<Error> {
        let io = || io::Error::other(SYSTEM_WORDS);
        vec![
            Error::FileEmpty,
            Error::FileTooLarge {
                size: 3 << 20,
                max: 1 << 20,
            },
            Error::FileWrongType {
                found: Found::Unknown,
                allowed: vec![Format::Pdf],
            },
            Error::FileUnreadable(io()),
            Error::PdfUnreadable,
            Error::PdfEncrypted,
            Error::PdfNoPages,
            Error::ImageUnreadable,
            Error::ImageTooLarge,
            Error::OfficeUnreadable {
                format: Format::Docx,
            },
            Error::OfficeEncrypted,
            Error::ZipUnreadable,
            Error::ArchiveTooManyEntries { max: 1 },
            Error::NameEmpty,
            Error::NameTooLong {
                chars: 130,
                max_chars: 120,
            },
            Error::NameHasPath,
            Error::NameHasControl,
            Error::NameHasBidi,
            Error::NameHasInvisible,
            Error::NameForbiddenChar { ch: '?' },
            Error::NameReserved { stem: "CON".into() },
            Error::NameTrailingDotOrSpace,
            Error::DiskFull,
            Error::SourceChanged {
                name: "a.pdf".into(),
            },
            Error::SourceUnreadable {
                name: "a.pdf".into(),
                source: io(),
            },
            Error::PackageWriteFailed(io()),
            Error::PackageInvalid {
                reason: SYSTEM_WORDS.into(),
            },
            Error::damaged("d", "d"),
            Error::PackageUnreadable(io()),
        ]
    }

    #[test]
    fn codes_are_distinct_screaming_snake_and_messages_say_what_to_do() {
        let all = every_variant();
        let codes: HashSet<&str> = all.iter().map(Error::code).collect();
        assert_eq!(codes.len(), all.len(), "two variants share a code");
        for e in &all {
            let code = e.code();
            assert!(
                code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                "{code}"
            );
            // Every message ends with what to do: a sentence with 请 in Chinese, and an
            // imperative in English.
            assert!(e.message_zh().contains('请'), "{code}: {}", e.message_zh());
            assert!(e.message_en().len() > 30, "{code}");
            assert!(
                e.to_string()
                    .starts_with(&format!("{} / {}", e.message_zh(), e.message_en())),
                "{code}"
            );
            for message in [e.message_zh(), e.message_en()] {
                assert!(!message.contains(SYSTEM_WORDS), "{code}: {message}");
            }
            assert_eq!(
                e.to_string().contains(SYSTEM_WORDS),
                e.detail().is_some(),
                "{code}: the log keeps what the system said"
            );
            assert_eq!(
                e.detail().is_some(),
                std::error::Error::source(e).is_some() || e.code() == "PACKAGE_INVALID",
                "{code}"
            );
        }
    }

    #[test]
    fn why_a_read_failed_is_said_in_the_officers_language() {
        let zh = |kind: io::ErrorKind| Error::FileUnreadable(kind.into()).message_zh();
        let en = |kind: io::ErrorKind| Error::FileUnreadable(kind.into()).message_en();
        assert!(zh(io::ErrorKind::NotFound).contains("（找不到该文件或文件夹）"));
        assert!(en(io::ErrorKind::NotFound).contains("(it is not there)"));
        assert!(zh(io::ErrorKind::PermissionDenied).contains("（没有读写权限）"));
        assert!(en(io::ErrorKind::PermissionDenied).contains("(access was denied)"));
        assert!(zh(io::ErrorKind::Other).contains("（系统读写出错）"));
        #[cfg(windows)]
        assert!(Error::FileUnreadable(io::Error::from_raw_os_error(32))
            .message_zh()
            .contains("（文件正被其他程序使用）"));
        let unreadable = Error::PackageUnreadable(io::ErrorKind::UnexpectedEof.into());
        assert!(unreadable.message_zh().contains("（文件已损坏或不完整）"));
        assert!(unreadable
            .message_en()
            .contains("(it is damaged or incomplete)"));
    }

    #[test]
    fn sizes_are_in_mb_with_one_decimal() {
        assert_eq!(size_text(1_572_864), "1.5 MB");
        assert_eq!(size_text(100 * 1024 * 1024), "100.0 MB");
        assert_eq!(size_text(1024), "1 KB");
        assert_eq!(size_text(1000), "1 KB");
        assert_eq!(size_text(2049), "3 KB");
        let e = Error::FileTooLarge {
            size: 31_457_280 + 104_858,
            max: 20 * 1024 * 1024,
        };
        assert!(e.message_zh().contains("30.1 MB") && e.message_zh().contains("20.0 MB"));
    }

    #[test]
    fn a_full_disk_is_recognised_by_kind_and_by_os_code() {
        assert!(Error::is_disk_full(&io::ErrorKind::StorageFull.into()));
        #[cfg(unix)]
        assert!(Error::is_disk_full(&io::Error::from_raw_os_error(28)));
        #[cfg(windows)]
        {
            assert!(Error::is_disk_full(&io::Error::from_raw_os_error(112)));
            assert!(Error::is_disk_full(&io::Error::from_raw_os_error(39)));
        }
        assert!(!Error::is_disk_full(
            &io::ErrorKind::PermissionDenied.into()
        ));
        assert_eq!(
            Error::from_write(io::ErrorKind::StorageFull.into()).code(),
            "DISK_FULL"
        );
    }
}
