//! Turning a file's bytes into rows of cells: workbooks through calamine, text through csv.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, ExcelDateTime, Reader, SheetType, Sheets};

use crate::date::Ymd;
use crate::header::{self, Columns};
use crate::{Error, MAX_DATA_ROWS};

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Compound File Binary: .xls, and also a password-protected .xlsx.
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const DELIMITERS: [u8; 3] = [b',', b'\t', b';'];

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(ExcelDateTime),
}

impl Cell {
    /// The cell as text, as Excel would roughly show it.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s),
            // Phones and other whole numbers must not come out as "13800138000.0".
            Cell::Number(v) if v.fract() == 0.0 && v.abs() < 1e21 => Cow::Owned(format!("{v:.0}")),
            Cell::Number(v) => Cow::Owned(v.to_string()),
            Cell::Date(dt) => Cow::Owned(match Ymd::from_excel(dt) {
                Ok(d) => d.to_string(),
                Err(_) => dt.as_f64().to_string(),
            }),
        }
    }
}

/// A row with at least one non-empty cell.
pub(crate) struct Row {
    /// 1-based, as the officer sees it.
    pub line: usize,
    pub cells: Vec<Cell>,
}

/// Rows of the sheet or file that holds the roster, and where its header is.
pub(crate) struct Found {
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub sheet: Option<String>,
    pub rows: Vec<Row>,
    /// Index into `rows`.
    pub header: usize,
    pub columns: Columns,
}

pub(crate) fn read(bytes: &[u8], name: &str) -> Result<Found, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC) {
        return workbook(bytes);
    }
    let (text, encoding) = decode(bytes).ok_or_else(|| unknown(name))?;
    // An "Excel" file that is really a web page, as some systems export: Excel opens it, but
    // it is neither a workbook nor a table of values.
    let head = text.trim_start();
    if head.starts_with('<') || text.contains('\0') {
        return Err(unknown(name));
    }
    delimited(&text, encoding)
}

fn unknown(name: &str) -> Error {
    Error::UnknownFormat {
        name: name.to_string(),
    }
}

fn unreadable(e: impl std::fmt::Display) -> Error {
    Error::Unreadable {
        detail: e.to_string(),
    }
}

fn workbook(bytes: &[u8]) -> Result<Found, Error> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let format = match &book {
        Sheets::Xls(_) => "xls",
        Sheets::Xlsx(_) => "xlsx",
        Sheets::Xlsb(_) => "xlsb",
        Sheets::Ods(_) => "ods",
    };
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    if names.is_empty() {
        return Err(Error::NoSheets);
    }
    let mut first_missing = None;
    let mut last_error = None;
    for name in names {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                last_error = Some(e);
                continue;
            }
        };
        let first_line = range.start().map_or(1, |(r, _)| r as usize + 1);
        let rows: Vec<Row> = range
            .rows()
            .enumerate()
            .filter(|(_, cells)| cells.iter().any(|c| !is_blank(c)))
            .map(|(i, cells)| Row {
                line: first_line + i,
                cells: cells.iter().map(cell_of).collect(),
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        match locate(&rows) {
            Ok((header, columns)) => {
                return Ok(Found {
                    format,
                    encoding: None,
                    sheet: Some(name),
                    rows,
                    header,
                    columns,
                })
            }
            Err(missing) => {
                first_missing.get_or_insert(missing);
            }
        }
    }
    match (first_missing, last_error) {
        (Some(missing), _) => Err(Error::MissingColumns { missing }),
        (None, Some(e)) => Err(unreadable(e)),
        (None, None) => Err(Error::Empty),
    }
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text_cell(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
        Data::DateTime(dt) if dt.is_datetime() => Cell::Date(*dt),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}

fn text_cell(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(t.to_string())
    }
}

fn locate(rows: &[Row]) -> Result<(usize, Columns), Vec<crate::Field>> {
    let texts: Vec<Vec<String>> = rows
        .iter()
        .take(header::HEADER_SEARCH_ROWS)
        .map(|r| r.cells.iter().map(|c| c.text().into_owned()).collect())
        .collect();
    match header::find(texts.iter().map(Vec::as_slice)) {
        header::Found::Header { row, columns } => Ok((row, columns)),
        header::Found::Missing(missing) => Err(missing),
    }
}

/// UTF-8 is tried strictly first: GBK bytes are almost never valid UTF-8, while UTF-8 text
/// often decodes as (wrong) GBK.
fn decode(bytes: &[u8]) -> Option<(Cow<'_, str>, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .ok()
            .map(|s| (Cow::Borrowed(s), "UTF-8"));
    }
    // Excel's "Unicode text" save is UTF-16 with a BOM.
    for (bom, enc) in [
        (b"\xFF\xFE", encoding_rs::UTF_16LE),
        (b"\xFE\xFF", encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return enc
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|s| (s, "UTF-16"));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some((Cow::Borrowed(s), "UTF-8"));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s, "GBK"))
}

/// Cell text from a CSV, without the tricks officers use to keep Excel from turning IDs into
/// numbers: `="110…"` and a leading apostrophe or tab.
fn csv_cell(s: &str) -> Cell {
    let t = s.trim();
    let t = t
        .strip_prefix("=\"")
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(t);
    let t = t.strip_prefix('\'').unwrap_or(t);
    text_cell(t)
}

fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// Reads rows until `limit` non-empty ones; `Err` if the text is not valid CSV.
///
/// A row's number is the one Excel shows when it opens the file: every line break counts,
/// blank lines included, except those inside a quoted cell. (csv's own line count is off
/// by one after a CRLF and skips blank lines.)
fn csv_rows(text: &str, delimiter: u8, limit: usize) -> Result<Vec<Row>, csv::Error> {
    let bytes = text.as_bytes();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut reader = csv_reader(text, delimiter);
    let (mut scanned, mut breaks, mut quoted_breaks) = (0usize, 0usize, 0usize);
    while rows.len() < limit && reader.read_record(&mut record)? {
        let mut start = record.position().map_or(scanned, |p| p.byte() as usize);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.clamp(scanned, bytes.len());
        breaks += bytes[scanned..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        scanned = start;
        let line = 1 + breaks - quoted_breaks.min(breaks);
        quoted_breaks += record
            .iter()
            .map(|f| f.bytes().filter(|&b| b == b'\n').count())
            .sum::<usize>();
        let cells: Vec<Cell> = record.iter().map(csv_cell).collect();
        if cells.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        rows.push(Row { line, cells });
    }
    Ok(rows)
}

/// The delimiter is whichever of comma, tab and semicolon yields a header: a tab-separated
/// file may well have commas inside its cells.
fn delimited(text: &str, encoding: &'static str) -> Result<Found, Error> {
    // Only separators: what Excel saves from a sheet whose cells were cleared.
    if text
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, ',' | ';' | '"'))
    {
        return Err(Error::Empty);
    }
    let mut best: Option<Vec<crate::Field>> = None;
    for delimiter in DELIMITERS {
        let Ok(top) = csv_rows(text, delimiter, header::HEADER_SEARCH_ROWS) else {
            continue;
        };
        if top.is_empty() {
            continue;
        }
        match locate(&top) {
            Ok((header, columns)) => {
                // The header plus the cap, plus one to notice the overflow.
                let limit = header + 1 + MAX_DATA_ROWS + 1;
                let rows = csv_rows(text, delimiter, limit).map_err(unreadable)?;
                return Ok(Found {
                    format: "csv",
                    encoding: Some(encoding),
                    sheet: None,
                    rows,
                    header,
                    columns,
                });
            }
            Err(missing) => {
                if best.as_ref().is_none_or(|b| missing.len() < b.len()) {
                    best = Some(missing);
                }
            }
        }
    }
    // With flexible records and text already decoded, csv cannot fail; no rows means empty.
    match best {
        Some(missing) => Err(Error::MissingColumns { missing }),
        None => Err(Error::Empty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<usize> {
        csv_rows(text, b',', 100)
            .expect("csv")
            .iter()
            .map(|r| r.line)
            .collect()
    }

    #[test]
    fn csv_rows_are_numbered_as_excel_shows_them() {
        assert_eq!(lines("a\r\nb,c\r\n1,2\r\n\r\n3,4\r\n"), [1, 2, 3, 5]);
        assert_eq!(lines("a\nb\n\n\nc"), [1, 2, 5]);
        // A line break inside a quoted cell stays in its row.
        assert_eq!(lines("a,\"x\r\ny\"\r\nb\r\n,,\r\nc\n"), [1, 2, 4]);
    }

    #[test]
    fn csv_cells_lose_excel_text_tricks() {
        assert_eq!(csv_cell("=\"0123\""), Cell::Text("0123".into()));
        assert_eq!(csv_cell("'0123"), Cell::Text("0123".into()));
        assert_eq!(csv_cell("\t0123 "), Cell::Text("0123".into()));
        assert_eq!(csv_cell("  "), Cell::Empty);
    }
}
