//! The formats a material rule can ask for, and what a file turned out to be.

use serde::{Deserialize, Serialize};

/// A format a material rule accepts. The wire names ("pdf", "docx", …) are the ones the
/// catalog's `MaterialRule::formats` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
    Xlsx,
    Xls,
    Jpg,
    Png,
    Zip,
    Csv,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Xls,
        Format::Jpg,
        Format::Png,
        Format::Zip,
        Format::Csv,
    ];

    /// The wire name, case-insensitively; "jpeg" is taken as "jpg" because rule authors write
    /// both.
    pub fn parse(s: &str) -> Option<Format> {
        let s = s.trim().to_ascii_lowercase();
        if s == "jpeg" {
            return Some(Format::Jpg);
        }
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Jpg => "jpg",
            Format::Png => "png",
            Format::Zip => "zip",
            Format::Csv => "csv",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Format::Pdf => "PDF 文件",
            Format::Docx => "Word 文档(.docx)",
            Format::Xlsx => "Excel 表格(.xlsx)",
            Format::Xls => "Excel 97-2003 表格(.xls)",
            Format::Jpg => "JPG 图片",
            Format::Png => "PNG 图片",
            Format::Zip => "ZIP 压缩包",
            Format::Csv => "CSV 表格(.csv)",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Format::Pdf => "PDF file",
            Format::Docx => "Word document (.docx)",
            Format::Xlsx => "Excel workbook (.xlsx)",
            Format::Xls => "Excel 97-2003 workbook (.xls)",
            Format::Jpg => "JPG image",
            Format::Png => "PNG image",
            Format::Zip => "ZIP archive",
            Format::Csv => "CSV table (.csv)",
        }
    }

    /// Already compressed, so a package stores it as is: deflating it again costs time and
    /// gains nothing.
    pub fn compressed(self) -> bool {
        match self {
            Format::Pdf | Format::Docx | Format::Xlsx | Format::Jpg | Format::Png | Format::Zip => {
                true
            }
            Format::Xls | Format::Csv => false,
        }
    }
}

/// What a refused file really is, for the message that refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// One of the formats, just not one this material accepts.
    Format(Format),
    /// Something recognisable that no rule accepts (a program, a .doc, a RAR archive…).
    Other { label_zh: String, label_en: String },
    /// Nothing recognisable: damaged, or binary data of no known kind.
    Unknown,
}

impl Found {
    pub(crate) fn other(zh: impl Into<String>, en: impl Into<String>) -> Found {
        Found::Other {
            label_zh: zh.into(),
            label_en: en.into(),
        }
    }

    /// Names what `infer` recognised in words an office worker knows.
    pub(crate) fn from_infer(kind: &infer::Type) -> Found {
        let ext = kind.extension();
        let (zh, en) = match ext {
            "exe" | "dll" => ("Windows 程序（exe）", "a Windows program (exe)"),
            "msi" => ("Windows 安装包（msi）", "a Windows installer (msi)"),
            "elf" => ("Linux 程序", "a Linux program"),
            "mach" => ("苹果电脑程序", "a macOS program"),
            "doc" => ("旧版 Word 文档（.doc）", "an old Word document (.doc)"),
            "ppt" | "pptx" => ("PowerPoint 演示文稿", "a PowerPoint presentation"),
            "odt" | "ods" | "odp" => ("OpenDocument 文档", "an OpenDocument file"),
            "rtf" => ("RTF 文档", "an RTF document"),
            "rar" => ("RAR 压缩包", "a RAR archive"),
            "7z" => ("7z 压缩包", "a 7z archive"),
            "gz" | "bz2" | "xz" | "tar" | "zst" => ("压缩包", "a compressed archive"),
            "gif" | "bmp" | "tif" | "webp" | "heif" | "avif" | "ico" | "psd" | "jxr" => {
                return Found::other(
                    format!("{} 图片", ext.to_ascii_uppercase()),
                    format!("a {} image", ext.to_ascii_uppercase()),
                )
            }
            _ => match kind.matcher_type() {
                infer::MatcherType::Video => ("视频文件", "a video"),
                infer::MatcherType::Audio => ("音频文件", "an audio file"),
                infer::MatcherType::Font => ("字体文件", "a font file"),
                infer::MatcherType::App => ("程序文件", "a program"),
                infer::MatcherType::Archive => ("压缩包", "an archive"),
                _ => {
                    return Found::other(
                        format!("{} 类型的文件", ext.to_ascii_uppercase()),
                        format!("a file of type {}", ext.to_ascii_uppercase()),
                    )
                }
            },
        };
        Found::other(zh, en)
    }

    pub fn label_zh(&self) -> String {
        match self {
            Found::Format(f) => f.label_zh().to_owned(),
            Found::Other { label_zh, .. } => label_zh.clone(),
            Found::Unknown => "无法识别的文件".to_owned(),
        }
    }

    pub fn label_en(&self) -> String {
        match self {
            Found::Format(f) => {
                let label = f.label_en();
                let article = if label.starts_with(['A', 'E', 'I', 'O', 'U']) {
                    "an"
                } else {
                    "a"
                };
                format!("{article} {label}")
            }
            Found::Other { label_en, .. } => label_en.clone(),
            Found::Unknown => "a file of unknown type".to_owned(),
        }
    }
}
