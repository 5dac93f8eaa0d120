//! The clean roster as an .xlsx for the application's materials.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use crate::date::Ymd;
use crate::{Error, Field, StaffRow};

pub const SHEET_NAME: &str = "返岗人员名单";
const HEADERS: [&str; 8] = [
    "序号",
    Field::Name.label_zh(),
    Field::IdNumber.label_zh(),
    Field::Phone.label_zh(),
    Field::Department.label_zh(),
    Field::Dormitory.label_zh(),
    Field::TestResult.label_zh(),
    Field::TestDate.label_zh(),
];
/// Width in Excel's character units; CJK characters take two.
const MAX_WIDTH: f64 = 40.0;

fn export_failed(e: XlsxError) -> Error {
    Error::ExportFailed {
        detail: e.to_string(),
    }
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Writes the roster: one sheet 返岗人员名单, a bold header, IDs and phones as text (Excel
/// must never show an ID as 1.1E+17), dates as real dates. The same rows give the same bytes:
/// the document's creation time is fixed.
pub fn export_xlsx(rows: &[StaffRow]) -> Result<Vec<u8>, Error> {
    let mut book = Workbook::new();
    // A fixed date rather than the clock, so an unchanged roster gives an identical file.
    let created = ExcelDateTime::from_ymd(2022, 6, 1).map_err(export_failed)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(SHEET_NAME)
            .set_creation_datetime(&created),
    );

    let bold = Format::new().set_bold().set_align(FormatAlign::Center);
    // Typed-in additions stay text too when the officer edits the exported file.
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("yyyy-mm-dd");

    let sheet = book.add_worksheet();
    sheet.set_name(SHEET_NAME).map_err(export_failed)?;
    for col in [2u16, 3] {
        sheet.set_column_format(col, &text).map_err(export_failed)?;
    }
    let mut widths: Vec<usize> = HEADERS.iter().map(|h| display_width(h)).collect();
    for (col, h) in (0u16..).zip(HEADERS) {
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(export_failed)?;
    }

    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| Error::ExportFailed {
            detail: "too many rows".into(),
        })?;
        sheet
            .write_number(row, 0, (i + 1) as f64)
            .map_err(export_failed)?;
        let texts = [
            (1, r.name.as_str(), None),
            (2, r.id_number.as_str(), Some(&text)),
            (3, r.phone.as_str(), Some(&text)),
            (4, r.department.as_str(), None),
            (5, r.dormitory.as_str(), None),
            (6, r.test_result.map_or("", |t| t.label_zh()), None),
        ];
        for (col, value, format) in texts {
            if value.is_empty() {
                continue;
            }
            match format {
                Some(f) => sheet.write_string_with_format(row, col, value, f),
                None => sheet.write_string(row, col, value),
            }
            .map_err(export_failed)?;
            widths[usize::from(col)] = widths[usize::from(col)].max(display_width(value));
        }
        if let Some(d) = r.test_date.as_deref() {
            // A date that is not YYYY-MM-DD (the row was never checked) is kept as written.
            match Ymd::parse_iso(d).and_then(|d| ExcelDateTime::from_ymd(d.y, d.m, d.d).ok()) {
                Some(dt) => sheet.write_datetime_with_format(row, 7, &dt, &date),
                None => sheet.write_string(row, 7, d),
            }
            .map_err(export_failed)?;
            widths[7] = widths[7].max(display_width(d));
        }
    }

    for (col, w) in (0u16..).zip(widths) {
        // Two characters of air, and no column wider than a screen's third.
        let width = (w as f64 + 2.0).min(MAX_WIDTH);
        sheet.set_column_width(col, width).map_err(export_failed)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(export_failed)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet
        .autofilter(0, 0, last_row, (HEADERS.len() - 1) as u16)
        .map_err(export_failed)?;
    book.save_to_buffer().map_err(export_failed)
}
