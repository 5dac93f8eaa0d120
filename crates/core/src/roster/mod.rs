//! 返岗人员名单: the staff returning to site, imported from Excel or CSV, edited here, and
//! exported as the application's staff list. Parsing and checks are `yiqifu-roster`'s; this
//! module keeps the rows, one enterprise's apart from another's.

pub(crate) mod store;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;
use yiqifu_roster::StaffRow;

use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::infra::clock::today_in_china;
use crate::workspace::Workspace;

/// One person, as the roster page shows and edits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct StaffEntry {
    pub name: String,
    /// Resident ID number, 18 characters (GB 11643).
    pub id_number: String,
    pub phone: String,
    pub department: String,
    /// Where they sleep on site; empty when they do not.
    pub dormitory: String,
    /// `negative` or `positive`.
    pub test_result: Option<String>,
    /// YYYY-MM-DD.
    pub test_date: Option<String>,
}

impl From<StaffRow> for StaffEntry {
    fn from(r: StaffRow) -> Self {
        Self {
            test_result: r.test_result.map(|t| {
                match t {
                    yiqifu_roster::TestResult::Negative => "negative",
                    yiqifu_roster::TestResult::Positive => "positive",
                }
                .to_string()
            }),
            name: r.name,
            id_number: r.id_number,
            phone: r.phone,
            department: r.department,
            dormitory: r.dormitory,
            test_date: r.test_date,
        }
    }
}

impl StaffEntry {
    fn into_row(self) -> StaffRow {
        StaffRow {
            test_result: store::parse_result(self.test_result.as_deref()),
            name: self.name,
            id_number: self.id_number,
            phone: self.phone,
            department: self.department,
            dormitory: self.dormitory,
            test_date: self.test_date.filter(|d| !d.trim().is_empty()),
        }
    }
}

/// What is wrong with one field of a row, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RowProblem {
    /// name, id_number, phone, department, dormitory, test_result, test_date.
    pub field: String,
    pub code: String,
    pub zh: String,
    pub en: String,
}

impl From<yiqifu_roster::RowProblem> for RowProblem {
    fn from(p: yiqifu_roster::RowProblem) -> Self {
        Self {
            field: field_name(p.field).into(),
            code: p.code.into(),
            zh: p.zh,
            en: p.en,
        }
    }
}

/// A roster file refused as a whole; what the reader said goes to the log, not the officer.
fn roster_file(e: yiqifu_roster::Error) -> Error {
    if let Some(detail) = e.detail() {
        tracing::warn!(code = e.code(), detail, "roster file refused");
    }
    Error::RosterFile {
        code: e.code(),
        zh: e.message_zh(),
        en: e.message_en(),
    }
}

fn field_name(f: yiqifu_roster::Field) -> &'static str {
    use yiqifu_roster::Field;
    match f {
        Field::Name => "name",
        Field::IdNumber => "id_number",
        Field::Phone => "phone",
        Field::Department => "department",
        Field::Dormitory => "dormitory",
        Field::TestResult => "test_result",
        Field::TestDate => "test_date",
    }
}

/// A row of an imported file that was not taken, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RejectedRow {
    /// The row's number as the officer sees it in Excel.
    pub line: u32,
    pub cells: Vec<String>,
    pub problems: Vec<RowProblem>,
}

/// What the last import did, kept until the next one so the officer can work through the
/// rejected rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ImportReport {
    pub file_name: String,
    /// xlsx, xls or csv.
    pub format: String,
    /// For CSV: UTF-8 or GBK.
    pub encoding: Option<String>,
    pub added: u32,
    pub rejected: Vec<RejectedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RosterView {
    pub rows: Vec<StaffEntry>,
    pub last_import: Option<ImportReport>,
}

/// Every problem of a row as the officer types it, for the editor to show under each field
/// before anything is saved (saving checks again).
pub fn row_problems(entry: &StaffEntry) -> Vec<RowProblem> {
    match yiqifu_roster::check_row(&entry.clone().into_row(), &today_in_china()) {
        Ok(_) => vec![],
        Err(problems) => problems.into_iter().map(RowProblem::from).collect(),
    }
}

const LAST_IMPORT: &str = "roster_last_import";
/// The largest roster file read.
const ROSTER_MAX_BYTES: u64 = 50 * 1024 * 1024;

impl Workspace {
    pub async fn roster(&self) -> Result<RosterView> {
        Ok(RosterView {
            rows: store::rows(self.store())
                .await?
                .into_iter()
                .map(StaffEntry::from)
                .collect(),
            last_import: self
                .store()
                .setting::<Option<ImportReport>>(LAST_IMPORT)
                .await?
                .flatten(),
        })
    }

    pub(crate) async fn roster_rows(&self) -> Result<Vec<StaffRow>> {
        store::rows(self.store()).await
    }

    pub(crate) async fn roster_count(&self) -> Result<u32> {
        store::count(self.store()).await
    }

    /// Adds the clean rows of a roster file; rows already in the roster (by ID number) or
    /// repeated in the file are refused as duplicates, like every other bad row, each with
    /// its reasons. A file that cannot be read at all changes nothing.
    pub async fn import_roster(&self, path: &Path) -> Result<ImportReport> {
        // The parser reads the whole file: a roster of 100,000 people is a few MB.
        let size = tokio::fs::metadata(path)
            .await
            .map_err(|_| Error::InvalidFile(path.display().to_string()))?
            .len();
        if size > ROSTER_MAX_BYTES {
            return Err(Error::RosterFile {
                code: "ROSTER_TOO_LARGE",
                zh: format!(
                    "名单文件有 {:.1} MB，超过 {} MB：请确认选择的是返岗人员名单，或拆分后分次导入。",
                    size as f64 / 1_048_576.0,
                    ROSTER_MAX_BYTES / 1_048_576
                ),
                en: format!(
                    "The roster file is {:.1} MB, over {} MB: check it is the roster, or split it and import the parts.",
                    size as f64 / 1_048_576.0,
                    ROSTER_MAX_BYTES / 1_048_576
                ),
            });
        }
        let existing = store::ids(self.store()).await?;
        let path: PathBuf = path.to_path_buf();
        let today = today_in_china();
        let imported = tokio::task::spawn_blocking(move || {
            yiqifu_roster::import(&path, &existing, &today).map(|i| (i, path))
        })
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let (imported, path) = imported.map_err(roster_file)?;
        let mut tx = self.store().write().await?;
        store::append(&mut tx, &imported.rows).await?;
        let report = ImportReport {
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: imported.source.format.to_string(),
            encoding: imported.source.encoding.map(str::to_string),
            added: u32::try_from(imported.rows.len()).unwrap_or(u32::MAX),
            rejected: imported
                .rejected
                .into_iter()
                .map(|r| RejectedRow {
                    line: u32::try_from(r.line).unwrap_or(u32::MAX),
                    cells: r.cells,
                    problems: r.problems.into_iter().map(RowProblem::from).collect(),
                })
                .collect(),
        };
        crate::store::put_setting(&mut tx, LAST_IMPORT, &report).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Roster]).await?;
        Ok(report)
    }

    /// Adds a person, or changes the one whose ID number was `original`. A row with bad
    /// fields is refused whole, each field named.
    pub async fn save_roster_row(
        &self,
        original: Option<String>,
        entry: StaffEntry,
    ) -> Result<StaffEntry> {
        let row = yiqifu_roster::check_row(&entry.into_row(), &today_in_china())
            .map_err(|p| Error::InvalidRosterRow(p.into_iter().map(RowProblem::from).collect()))?;
        let mut tx = self.store().write().await?;
        if !store::put(&mut tx, original.as_deref(), &row).await? {
            return Err(Error::InvalidRosterRow(vec![RowProblem {
                field: "id_number".into(),
                code: "DUPLICATE".into(),
                zh: format!("身份证号 {} 已在名单中，不能重复录入。", row.id_number),
                en: format!("ID number {} is already in the roster.", row.id_number),
            }]));
        }
        tx.commit().await?;
        self.after_write(&[Topic::Roster]).await?;
        Ok(row.into())
    }

    pub async fn delete_roster_rows(&self, ids: Vec<String>) -> Result<u32> {
        let mut tx = self.store().write().await?;
        let n = store::delete(&mut tx, &ids).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Roster]).await?;
        Ok(n)
    }

    pub async fn clear_roster(&self) -> Result<()> {
        let mut tx = self.store().write().await?;
        store::clear(&mut tx).await?;
        crate::store::put_setting(&mut tx, LAST_IMPORT, &Option::<ImportReport>::None).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Roster]).await
    }

    /// The roster as the xlsx material (名单 as text cells), with a file name to save it as.
    pub async fn roster_xlsx(&self) -> Result<(String, Vec<u8>)> {
        let rows = store::rows(self.store()).await?;
        if rows.is_empty() {
            return Err(Error::RosterEmpty);
        }
        let bytes = tokio::task::spawn_blocking(move || yiqifu_roster::export_xlsx(&rows))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
            .map_err(roster_file)?;
        let name = format!("返岗人员名单-{}.xlsx", today_in_china());
        Ok((name, bytes))
    }
}
