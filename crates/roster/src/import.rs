//! From located rows to checked staff rows and rejections.

use std::collections::{HashMap, HashSet};

use crate::check::{bound_test_date, check_name, check_phone, check_text, parse_result, problem};
use crate::date::Ymd;
use crate::header::{field_of, Columns};
use crate::id::{check_id_at, id_as_number};
use crate::source::{Cell, Found, Row};
use crate::{Error, Field, Import, Rejected, RowProblem, SourceInfo, StaffRow, MAX_DATA_ROWS};

/// Excel keeps 15 significant digits; a number with more has lost its tail.
const EXCEL_EXACT_DIGITS: f64 = 1e15;

pub(crate) fn build(found: Found, existing: &HashSet<String>, today: Ymd) -> Result<Import, Error> {
    let Found {
        format,
        encoding,
        sheet,
        rows,
        header,
        columns,
    } = found;
    let data = rows.get(header + 1..).unwrap_or_default();
    if data.len() > MAX_DATA_ROWS {
        return Err(Error::TooManyRows {
            limit: MAX_DATA_ROWS,
        });
    }
    let mut out = Import {
        rows: Vec::with_capacity(data.len()),
        rejected: Vec::new(),
        source: SourceInfo {
            format,
            encoding,
            sheet,
            header_line: rows.get(header).map_or(1, |r| r.line),
        },
    };
    // ID number -> the line it was first seen on, taken or not: a later copy is a duplicate
    // either way, and the officer fixes the first one.
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(data.len());
    for row in data {
        if repeats_header(row, &columns) {
            continue;
        }
        let (staff, mut problems, valid_id) = check_cells(row, &columns, today);
        if let Some(id) = valid_id {
            if existing.contains(&id) {
                problems.push(problem(
                    Field::IdNumber,
                    "DUPLICATE",
                    "该身份证号已在名单中，无需重复导入；如需修改请直接编辑名单中的那一行".into(),
                    "this ID number is already in the roster: no need to import it again; to \
                     change the person's details, edit their row in the roster"
                        .into(),
                ));
            } else if let Some(&first) = seen.get(&id) {
                problems.push(problem(
                    Field::IdNumber,
                    "DUPLICATE",
                    format!("与第 {first} 行身份证号重复，请删去其中一行"),
                    format!("same ID as row {first}: delete one of the two rows"),
                ));
            } else {
                seen.insert(id, row.line);
            }
        }
        match staff {
            Some(staff) if problems.is_empty() => out.rows.push(staff),
            _ => out.rejected.push(Rejected {
                line: row.line,
                cells: display_cells(&row.cells),
                problems,
            }),
        }
    }
    Ok(out)
}

/// A header printed again further down (sheets pasted together, print titles).
fn repeats_header(row: &Row, columns: &Columns) -> bool {
    let names = |f: Field| {
        columns
            .get(f)
            .and_then(|i| row.cells.get(i))
            .is_some_and(|c| field_of(&c.text()) == Some(f))
    };
    names(Field::Name) && names(Field::IdNumber)
}

fn display_cells(cells: &[Cell]) -> Vec<String> {
    let end = cells
        .iter()
        .rposition(|c| *c != Cell::Empty)
        .map_or(0, |i| i + 1);
    cells[..end].iter().map(|c| c.text().into_owned()).collect()
}

fn keep<T>(list: &mut Vec<RowProblem>, r: Result<T, RowProblem>) -> Option<T> {
    r.map_err(|p| list.push(p)).ok()
}

/// The row as a staff row if every cell is good, the problems, and the row's ID when it is
/// valid even if other cells are not (for duplicate checks).
fn check_cells(
    row: &Row,
    columns: &Columns,
    today: Ymd,
) -> (Option<StaffRow>, Vec<RowProblem>, Option<String>) {
    let cell = |f: Field| {
        columns
            .get(f)
            .and_then(|i| row.cells.get(i))
            .unwrap_or(&Cell::Empty)
    };
    let list = &mut Vec::new();
    let name = keep(list, check_name(&cell(Field::Name).text()));
    let id_number = keep(
        list,
        match cell(Field::IdNumber) {
            Cell::Number(v) if v.abs() >= EXCEL_EXACT_DIGITS => Err(id_as_number()),
            c => check_id_at(&c.text(), Some(today)),
        },
    );
    let phone = keep(list, check_phone(&cell(Field::Phone).text()));
    let department = keep(
        list,
        check_text(Field::Department, &cell(Field::Department).text()),
    );
    let dormitory = keep(
        list,
        check_text(Field::Dormitory, &cell(Field::Dormitory).text()),
    );
    let test_result = keep(list, parse_result(&cell(Field::TestResult).text()));
    let date_cell = cell(Field::TestDate);
    let parsed = match date_cell {
        Cell::Empty => None,
        Cell::Date(dt) => Some(Ymd::from_excel(dt)),
        Cell::Number(v) => Some(Ymd::from_number(*v)),
        Cell::Text(s) => Some(Ymd::parse_loose(s)),
    };
    let test_date = match parsed {
        None => Some(None),
        Some(p) => keep(list, bound_test_date(p, &date_cell.text(), Some(today))).map(Some),
    };
    let valid_id = id_number.clone();
    let staff = (|| {
        Some(StaffRow {
            name: name?,
            id_number: id_number?,
            phone: phone?,
            department: department?,
            dormitory: dormitory?,
            test_result: test_result?,
            test_date: test_date?,
        })
    })();
    (staff, std::mem::take(list), valid_id)
}
