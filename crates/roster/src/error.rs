//! Errors about a whole file (row problems are `RowProblem`s, not errors).

use std::fmt;

use crate::header::synonyms;
use crate::Field;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The file could not be read or is damaged; `detail` is the reader's own words, for the
    /// log (the messages say what to do in the officer's language).
    Unreadable {
        detail: String,
    },
    /// Neither a workbook nor text: a PDF, an image, a web page saved as .xls.
    UnknownFormat {
        name: String,
    },
    /// A workbook without a single worksheet.
    NoSheets,
    /// No cell has anything in it.
    Empty,
    /// No header row among the first rows names these required columns.
    MissingColumns {
        missing: Vec<Field>,
    },
    TooManyRows {
        limit: usize,
    },
    ExportFailed {
        detail: String,
    },
    /// The caller passed a `today` that is not `YYYY-MM-DD`: a bug, not the officer's doing.
    InvalidToday {
        today: String,
    },
}

impl Error {
    /// Stable and never renamed: the app and logs key on it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "UNREADABLE",
            Self::UnknownFormat { .. } => "UNKNOWN_FORMAT",
            Self::NoSheets => "NO_SHEETS",
            Self::Empty => "EMPTY",
            Self::MissingColumns { .. } => "MISSING_COLUMNS",
            Self::TooManyRows { .. } => "TOO_MANY_ROWS",
            Self::ExportFailed { .. } => "EXPORT_FAILED",
            Self::InvalidToday { .. } => "INVALID_TODAY",
        }
    }

    /// What the reader or writer said, in its own (English) words: for the log, never for
    /// the officer.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::Unreadable { detail } | Self::ExportFailed { detail } => Some(detail),
            _ => None,
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            Self::Unreadable { .. } => "无法读取这个文件。请确认文件还在原处、没有在 Excel 中打开、\
                 没有设置打开密码，并用 Excel 打开后另存为 .xlsx 再导入"
                .into(),
            Self::UnknownFormat { name } => format!(
                "无法识别文件“{name}”的格式。请用 Excel 打开它，另存为“Excel 工作簿 (.xlsx)”\
                 或“CSV”后再导入"
            ),
            Self::NoSheets => {
                "这个工作簿里没有工作表。请打开文件确认名单在其中，保存后再导入".into()
            }
            Self::Empty => "文件里没有内容。请确认选择了填好的名单文件".into(),
            Self::MissingColumns { missing } => {
                let names: Vec<&str> = missing.iter().map(|f| f.label_zh()).collect();
                let known: Vec<String> = missing
                    .iter()
                    .map(|&f| format!("{}：{}", f.label_zh(), synonyms(f).join("、")))
                    .collect();
                format!(
                    "在前 10 行中没有找到包含必填列的表头，缺少：{}。请在表头中写明这些列名，\
                     可识别的写法有——{}",
                    names.join("、"),
                    known.join("；")
                )
            }
            Self::TooManyRows { limit } => format!(
                "名单超过 {limit} 行，可能选错了文件。请确认文件只包含返岗人员，必要时分成几个文件导入"
            ),
            Self::ExportFailed { .. } => "生成名单表格失败。请检查名单中是否有异常长的内容后重试；\
                 问题仍在请联系技术支持（原因已写入日志，日志文件夹见“设置与关于”）"
                .into(),
            Self::InvalidToday { today } => format!(
                "系统日期“{today}”无效，无法检查日期。请检查电脑的日期设置后重试"
            ),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            Self::Unreadable { .. } => "the file cannot be read: make sure it is still where it \
                 was, is not open in Excel and has no password, or open it in Excel, save it as \
                 .xlsx and import that"
                .into(),
            Self::UnknownFormat { name } => format!(
                "the format of '{name}' is not recognised: open it in Excel, save it as an Excel \
                 workbook (.xlsx) or as CSV, and import that"
            ),
            Self::NoSheets => "the workbook has no worksheet: open the file, check that the \
                               roster is in it, save and import again"
                .into(),
            Self::Empty => "the file is empty: check that you chose the filled-in roster".into(),
            Self::MissingColumns { missing } => {
                let names: Vec<&str> = missing.iter().map(|f| f.label_en()).collect();
                let known: Vec<String> = missing
                    .iter()
                    .map(|&f| format!("{}: {}", f.label_en(), synonyms(f).join(", ")))
                    .collect();
                format!(
                    "no header row with the required columns in the first 10 rows; missing: {}. \
                     Name these columns in the header; recognised names are: {}",
                    names.join(", "),
                    known.join("; ")
                )
            }
            Self::TooManyRows { limit } => format!(
                "the roster has more than {limit} rows, so it is probably the wrong file: check \
                 that it lists only returning staff, or split it into several files"
            ),
            Self::ExportFailed { .. } => "the roster spreadsheet could not be made: check the \
                 roster for unusually long entries and try again; if it persists, contact support \
                 (the log says why; its folder is under Settings & about)"
                .into(),
            Self::InvalidToday { today } => format!(
                "the system date '{today}' is invalid, so dates cannot be checked: check the \
                 computer's date settings and try again"
            ),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.message_zh(), self.message_en())?;
        match self.detail() {
            Some(d) => write!(f, " [{d}]"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Error {}
