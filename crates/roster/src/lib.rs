//! The returning-staff roster (返岗人员名单) a resume-work application must carry.
//!
//! Officers keep the roster in Excel; this crate reads their files (.xlsx, .xls, .ods, or CSV
//! in UTF-8 or GBK), checks every row, and writes the clean roster back as an .xlsx for the
//! application's materials. It is pure: no database, no clock (the caller passes `today`).

mod check;
mod date;
mod error;
mod export;
mod header;
mod id;
mod import;
mod source;

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use check::{check_row, MAX_NAME_CHARS, MAX_TEXT_CHARS};
pub use error::Error;
pub use export::{export_xlsx, SHEET_NAME};
pub use id::{check_character, check_id};

/// Larger files are refused: a company's returning staff is far fewer, and a bigger sheet is
/// almost always the wrong file.
pub const MAX_DATA_ROWS: usize = 100_000;

/// One person on the roster, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub name: String,
    /// 18 characters: full-width digits made ASCII, a lower-case x made `X`.
    pub id_number: String,
    /// A mobile as 11 digits, a landline as `021-12345678`.
    pub phone: String,
    /// May be empty.
    pub department: String,
    /// Where the person sleeps on site, e.g. "3号楼 201"; empty means off site.
    pub dormitory: String,
    pub test_result: Option<TestResult>,
    /// `YYYY-MM-DD`.
    pub test_date: Option<String>,
}

/// The latest nucleic acid test (核酸) result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestResult {
    Negative,
    Positive,
}

impl TestResult {
    pub const fn label_zh(self) -> &'static str {
        match self {
            Self::Negative => "阴性",
            Self::Positive => "阳性",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Negative => "negative",
            Self::Positive => "positive",
        }
    }
}

/// A column of the roster, to say where a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    IdNumber,
    Phone,
    Department,
    Dormitory,
    TestResult,
    TestDate,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Name,
        Field::IdNumber,
        Field::Phone,
        Field::Department,
        Field::Dormitory,
        Field::TestResult,
        Field::TestDate,
    ];

    /// The columns a file must have.
    pub const REQUIRED: [Field; 3] = [Field::Name, Field::IdNumber, Field::Phone];

    /// The column's name in the exported roster.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Self::Name => "姓名",
            Self::IdNumber => "身份证号",
            Self::Phone => "联系电话",
            Self::Department => "部门",
            Self::Dormitory => "宿舍",
            Self::TestResult => "最近核酸结果",
            Self::TestDate => "最近核酸日期",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::IdNumber => "ID number",
            Self::Phone => "phone",
            Self::Department => "department",
            Self::Dormitory => "dormitory",
            Self::TestResult => "test result",
            Self::TestDate => "test date",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One thing wrong with a row, in words for the officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub field: Field,
    /// Stable, SCREAMING_SNAKE: `ID_CHECKSUM`, `PHONE_FORMAT`, `DUPLICATE`, …
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

/// A row that was not taken, with every reason (not just the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// 1-based row number as the officer sees it in Excel (the line, for a CSV file).
    pub line: usize,
    /// The row's cells as text, for display.
    pub cells: Vec<String>,
    pub problems: Vec<RowProblem>,
}

/// Where the rows came from, for the import summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceInfo {
    /// `xlsx`, `xls`, `csv`, and also `ods` or `xlsb`.
    pub format: &'static str,
    /// For CSV only: `UTF-8`, `GBK` (read as GB 18030, its superset) or `UTF-16`.
    pub encoding: Option<&'static str>,
    /// For workbooks only: the sheet the rows were read from.
    pub sheet: Option<String>,
    /// 1-based row of the header.
    pub header_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Import {
    pub rows: Vec<StaffRow>,
    pub rejected: Vec<Rejected>,
    pub source: SourceInfo,
}

/// Reads a roster file: .xlsx, .xls, .ods, or CSV in UTF-8 (with or without BOM) or GBK.
///
/// The format is decided by the content, so a CSV renamed to .xls still reads. `existing`
/// holds the normalised ID numbers already in the roster: a row with one of them, or
/// repeating an earlier row of the same file, is rejected as a duplicate. `today`
/// (`YYYY-MM-DD`) bounds birth and test dates.
pub fn import(path: &Path, existing: &HashSet<String>, today: &str) -> Result<Import, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::Unreadable {
        detail: e.to_string(),
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    import_bytes(&bytes, &name, existing, today)
}

/// As [`import`], from the file's bytes; `name_hint` is the file name, used in messages.
pub fn import_bytes(
    bytes: &[u8],
    name_hint: &str,
    existing: &HashSet<String>,
    today: &str,
) -> Result<Import, Error> {
    let today = date::Ymd::parse_iso(today).ok_or_else(|| Error::InvalidToday {
        today: today.to_string(),
    })?;
    let found = source::read(bytes, name_hint)?;
    import::build(found, existing, today)
}
