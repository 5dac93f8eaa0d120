//! The PDFs Yiqifu prints, laid out by typst used as a library. Four documents, each an A4
//! PDF from one function:
//!
//! - [`render`]: the self-check report (复工自查报告) from a [`SelfCheckReport`]: a title, a
//!   header block with the company, the template and the verdict, one table per section of
//!   the checklist, and a footer block with the SHA-256 of the canonical answers and lines
//!   for the signature and the seal (`src/report.typ`).
//! - [`render_application_form`]: the application form (企业复工复产申请信息表) from an
//!   [`ApplicationForm`]: the company's facts, contacts and self-check as a bordered form, a
//!   declaration, blanks for 法定代表人（签字）, 经办人, 企业（盖章） and 日期, and the
//!   returning-staff list as its annex (`src/application_form.typ`).
//! - [`render_commitment_letter`]: the commitment letter (疫情防控承诺书) from a
//!   [`CommitmentLetter`]: numbered commitments with the company's numbers woven in, the same
//!   blanks and the same annex (`src/commitment_letter.typ`).
//! - [`render_receipt`]: the submission receipt (复工申请提交回执) from a [`Receipt`]: the
//!   application, the package's SHA-256, the materials, the steps with their receipt numbers
//!   and the certificate number once approved; the officer's own record, which says it is not
//!   an official document (`src/receipt.typ`).
//!
//! The two signed forms are printed, signed, sealed, scanned and attached back to the
//! application, so every page's footer carries 第 x 页 / 共 y 页 and the form id, and the
//! annex (附件：返岗人员名单) repeats its header row on every page. The three forms share
//! `src/form_common.typ`.
//!
//! Nothing is read from the network, and from disk only the fonts on Linux: the layouts are
//! compiled in, and so are the fonts on Windows and macOS (a subset of Noto Sans CJK SC, see
//! `fonts/README.md`); on Linux they are the system's Noto Sans CJK collections, which the .deb
//! depends on. The compiled-in Bold face only has GB 2312, so only the layouts' own headings are
//! bold, never user text.
//!
//! User text never becomes typst markup: a document travels to its layout as a JSON file of
//! the in-memory world, which the layout reads with `json(..)` and prints as plain strings, so
//! `#`, `*`, `$`, `[` or `\` in a company name print as they are.
//!
//! The same input always gives the same bytes: the PDF's date is the document's own date and
//! its identifier is derived from the document, never from the clock.

mod documents;
mod forms;
mod selfcheck;
mod world;

// Lets the unit tests share the integration tests' reports, which name this crate.
#[cfg(test)]
extern crate self as yiqifu_report;
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod common;

use serde::{Deserialize, Serialize};
use typst::foundations::Datetime;

pub use forms::{
    ApplicationForm, CommitmentLetter, Contact, Receipt, ReceiptMaterial, ReceiptStep,
    SelfCheckRef, StaffLine,
};
use world::Printable;

/// A finished self-check, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelfCheckReport {
    pub company_name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// May be empty; the report then says 未填写.
    pub address: String,
    /// The facts of the company the verdict depended on (risk area, staff on site…), each a
    /// row of the header, in order.
    #[serde(default)]
    pub facts: Vec<ReportFact>,
    /// E.g. 工业企业复工复产疫情防控自查表（第二版）.
    pub template_title: String,
    pub template_id: String,
    pub template_version: u32,
    /// `YYYY-MM-DD`, the day the self-check was finished; also the PDF's creation date.
    pub date: String,
    pub passed: bool,
    pub sections: Vec<ReportSection>,
    /// SHA-256 of the canonical answers, 64 hex digits.
    pub answers_sha256: String,
}

/// A labelled fact in the report's header, e.g. 风险区域 / 防范区.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFact {
    pub label: String,
    pub value: String,
}

/// One section of the checklist and its items, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSection {
    pub title: String,
    pub items: Vec<ReportItem>,
}

/// One question, its answer and how it was judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportItem {
    /// The question, in Chinese.
    pub prompt: String,
    /// Already rendered for people: 是 / 否 / 14 天 / a choice label / a file name / 未作答.
    pub answer: String,
    pub status: ItemStatus,
    /// For failing items: why, and what would make it pass (需不少于 14 天，当前 9 天).
    pub note: Option<String>,
}

/// How an item was judged: 符合 / 不符合 / 不评判.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Pass,
    Fail,
    NotJudged,
}

/// Why a report could not be made. Messages are Chinese, then English.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field the report cannot print as given (a date that is not `YYYY-MM-DD`, a digest
    /// that is not 64 hex digits).
    #[error("报告数据无效：{field}（{reason}） / invalid report data: {field} ({reason})")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
    /// The compiled-in font could not be loaded: a broken build, never the user's doing.
    #[error("报告字体缺失或损坏：{0} / the report font is missing or damaged: {0}")]
    FontMissing(&'static str),
    /// typst refused the layout; the detail lists its diagnostics.
    #[error("报告排版失败：{0} / report layout failed: {0}")]
    Layout(String),
    /// The laid-out pages could not be written as PDF.
    #[error("报告导出 PDF 失败：{0} / writing the report PDF failed: {0}")]
    Export(String),
}

impl Error {
    /// A stable code, never renamed once released: callers and the UI match on it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidInput { .. } => "REPORT_INVALID_INPUT",
            Self::FontMissing(_) => "REPORT_FONT_MISSING",
            Self::Layout(_) => "REPORT_LAYOUT_FAILED",
            Self::Export(_) => "REPORT_EXPORT_FAILED",
        }
    }
}

/// Renders the report as the bytes of a PDF. Pure: the same report gives the same bytes.
pub fn render(report: &SelfCheckReport) -> Result<Vec<u8>, Error> {
    let date = parse_date(&report.date)?;
    check_digest(&report.answers_sha256)?;
    let (document, _warnings) = world::compile(report)?;
    world::export(&document, selfcheck::ident(report), date)
}

/// Renders the application form (企业复工复产申请信息表) with its staff annex as the bytes of
/// a PDF. Pure: the same form gives the same bytes.
pub fn render_application_form(form: &ApplicationForm) -> Result<Vec<u8>, Error> {
    let date = parse_date(&form.date)?;
    check_selfcheck(&form.selfcheck)?;
    render_form(form, "application-form", date)
}

/// Renders the commitment letter (疫情防控承诺书) with its staff annex as the bytes of a PDF.
/// Pure: the same letter gives the same bytes.
pub fn render_commitment_letter(letter: &CommitmentLetter) -> Result<Vec<u8>, Error> {
    let date = parse_date(&letter.date)?;
    render_form(letter, "commitment-letter", date)
}

/// Renders the submission receipt (复工申请提交回执) as the bytes of a PDF. Pure: the same
/// receipt gives the same bytes.
pub fn render_receipt(receipt: &Receipt) -> Result<Vec<u8>, Error> {
    let date = parse_date(&receipt.date)?;
    check_digest_of("package_sha256", &receipt.package_sha256)?;
    check_selfcheck(&receipt.selfcheck)?;
    render_form(receipt, "receipt", date)
}

fn render_form<P: Printable>(form: &P, kind: &str, date: Datetime) -> Result<Vec<u8>, Error> {
    let data = form.layout_data()?;
    let ident = documents::ident(kind, &data);
    let (document, _warnings) = world::compile_layout(&P::LAYOUT, data)?;
    world::export(&document, ident, date)
}

fn check_selfcheck(selfcheck: &SelfCheckRef) -> Result<(), Error> {
    parse_date_of("selfcheck.finished_on", &selfcheck.finished_on)?;
    check_digest_of("selfcheck.answers_sha256", &selfcheck.answers_sha256)
}

/// `YYYY-MM-DD`, a real calendar day.
fn parse_date(date: &str) -> Result<Datetime, Error> {
    parse_date_of("date", date)
}

/// [`parse_date`] for the field named `field`, which the error names.
fn parse_date_of(field: &'static str, date: &str) -> Result<Datetime, Error> {
    let invalid = || Error::InvalidInput {
        field,
        reason: "需为 YYYY-MM-DD / must be YYYY-MM-DD",
    };
    let bytes = date.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(invalid());
    }
    let year: i32 = date[0..4].parse().map_err(|_| invalid())?;
    let month: u8 = date[5..7].parse().map_err(|_| invalid())?;
    let day: u8 = date[8..10].parse().map_err(|_| invalid())?;
    Datetime::from_ymd(year, month, day).ok_or_else(invalid)
}

fn check_digest(digest: &str) -> Result<(), Error> {
    check_digest_of("answers_sha256", digest)
}

/// 64 hex digits, for the field named `field`, which the error names.
fn check_digest_of(field: &'static str, digest: &str) -> Result<(), Error> {
    if digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(Error::InvalidInput {
            field,
            reason: "需为 64 位十六进制 / must be 64 hex digits",
        })
    }
}

#[cfg(test)]
#[path = "../tests/forms_fixtures/mod.rs"]
mod forms_fixtures;
#[cfg(test)]
mod forms_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common;

    /// Every character the report prints has a real glyph in the embedded fonts: typst falls
    /// back to glyph 0 (.notdef, a box) for a character no font has, which pdftotext would
    /// still read as the character.
    #[test]
    fn every_character_has_a_glyph() {
        for report in [common::industrial(), common::markup(), common::long(20)] {
            let (document, warnings) = world::compile(&report).expect("layout");
            assert!(warnings.is_empty(), "typst warns: {warnings:?}");
            let mut glyphs = Vec::new();
            for page in document.pages() {
                world::inspect::glyphs(&page.frame, &mut glyphs);
            }
            let missing: Vec<&str> = glyphs
                .iter()
                .filter(|(_, id)| *id == 0)
                .map(|(text, _)| text.as_str())
                .collect();
            assert!(missing.is_empty(), "no glyph for {missing:?}");
            assert!(glyphs.len() > 1000, "only {} glyphs laid out", glyphs.len());
        }
        // The rare name character is really there, as a glyph of its own.
        let (document, _) = world::compile(&common::industrial()).expect("layout");
        let mut glyphs = Vec::new();
        world::inspect::glyphs(&document.pages()[0].frame, &mut glyphs);
        assert!(glyphs.iter().any(|(text, id)| text == "䶮" && *id != 0));
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            parse_date("2022-05-03").ok(),
            Datetime::from_ymd(2022, 5, 3)
        );
        for bad in [
            "2022-5-3",
            "2022-02-30",
            "20220503",
            "2022/05/03",
            "２０22-05-03",
        ] {
            let err = parse_date(bad).err();
            assert_eq!(err.map(|e| e.code()), Some("REPORT_INVALID_INPUT"), "{bad}");
        }
    }

    #[test]
    fn digests_are_checked() {
        assert!(check_digest(&"ab".repeat(32)).is_ok());
        assert!(check_digest(&"ab".repeat(31)).is_err());
        assert!(check_digest(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn messages_are_chinese_then_english() {
        let e = Error::Layout("x".into());
        assert_eq!(e.code(), "REPORT_LAYOUT_FAILED");
        assert_eq!(e.to_string(), "报告排版失败：x / report layout failed: x");
    }
}
