//! Finding the header row and mapping its cells to the roster's columns.

use std::sync::OnceLock;

use crate::check::to_halfwidth;
use crate::Field;

/// How many non-empty rows at the top may come before the header (titles, notes, dates).
pub(crate) const HEADER_SEARCH_ROWS: usize = 10;

/// The header names recognised for each column, as officers write them. Matching ignores
/// case, spaces, punctuation and anything in parentheses.
pub(crate) fn synonyms(field: Field) -> &'static [&'static str] {
    match field {
        Field::Name => &["姓名", "名字", "员工姓名", "人员姓名", "name", "full name"],
        Field::IdNumber => &[
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "证件号码",
            "证件号",
            "身份证",
            "ID number",
            "ID No.",
            "ID card",
            "ID",
        ],
        Field::Phone => &[
            "联系电话",
            "手机",
            "手机号码",
            "手机号",
            "电话",
            "电话号码",
            "联系方式",
            "phone",
            "phone number",
            "mobile",
            "tel",
        ],
        Field::Department => &["部门", "所在部门", "所属部门", "department", "dept"],
        Field::Dormitory => &[
            "宿舍",
            "住宿",
            "宿舍号",
            "宿舍地址",
            "住宿地址",
            "dormitory",
            "dorm",
        ],
        Field::TestResult => &[
            "核酸结果",
            "最近核酸结果",
            "核酸检测结果",
            "检测结果",
            "test result",
            "result",
        ],
        Field::TestDate => &[
            "核酸日期",
            "最近核酸日期",
            "核酸检测日期",
            "采样日期",
            "检测日期",
            "test date",
        ],
    }
}

/// Lower case, half-width, without parenthesised remarks ("（必填）"), spaces or punctuation.
fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for c in s.chars().map(to_halfwidth) {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// Every synonym's key, worked out once: the importer asks for each data row too.
fn keys() -> &'static [(String, Field)] {
    static KEYS: OnceLock<Vec<(String, Field)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        Field::ALL
            .into_iter()
            .flat_map(|f| synonyms(f).iter().map(move |syn| (key(syn), f)))
            .collect()
    })
}

fn field_of_key(k: &str) -> Option<Field> {
    if k.is_empty() {
        return None;
    }
    keys().iter().find(|(syn, _)| syn == k).map(|&(_, f)| f)
}

/// The column a header cell names. Bilingual headers ("姓名 Name", "姓名/name") match when
/// every part names the same column, so "工号 ID" is not taken for the ID number.
pub(crate) fn field_of(cell: &str) -> Option<Field> {
    if let Some(f) = field_of_key(&key(cell)) {
        return Some(f);
    }
    agreeing(cell.split(['/', '／', '\n', '|']), |part| {
        field_of_key(&key(part)).or_else(|| {
            let han: String = part.chars().filter(|c| !c.is_ascii()).collect();
            let latin: String = part.chars().filter(char::is_ascii).collect();
            agreeing([han.as_str(), latin.as_str()].into_iter(), |p| {
                field_of_key(&key(p))
            })
        })
    })
}

/// The one column all non-empty parts name, or `None` if one names nothing or they disagree.
fn agreeing<'a>(
    parts: impl Iterator<Item = &'a str>,
    name: impl Fn(&str) -> Option<Field>,
) -> Option<Field> {
    let mut found = None;
    for part in parts.filter(|p| !key(p).is_empty()) {
        let f = name(part)?;
        if found.is_some_and(|g| g != f) {
            return None;
        }
        found = Some(f);
    }
    found
}

/// Which cell index holds each column, indexed by `Field::index`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Columns(pub [Option<usize>; 7]);

impl Columns {
    pub fn of(cells: &[String]) -> Self {
        let mut cols = Columns::default();
        for (i, cell) in cells.iter().enumerate() {
            if let Some(f) = field_of(cell) {
                // The first column with a given name wins; a second "电话" is left alone.
                cols.0[f.index()].get_or_insert(i);
            }
        }
        cols
    }

    pub fn get(&self, f: Field) -> Option<usize> {
        self.0[f.index()]
    }

    pub fn recognised(&self) -> usize {
        self.0.iter().flatten().count()
    }

    pub fn missing(&self) -> Vec<Field> {
        Field::REQUIRED
            .into_iter()
            .filter(|&f| self.get(f).is_none())
            .collect()
    }
}

/// The header among the first rows: the first that names every required column, or else the
/// most complete candidate with what it lacks.
pub(crate) enum Found {
    Header { row: usize, columns: Columns },
    Missing(Vec<Field>),
}

pub(crate) fn find<'a>(rows: impl Iterator<Item = &'a [String]>) -> Found {
    let mut best = Columns::default();
    for (i, cells) in rows.take(HEADER_SEARCH_ROWS).enumerate() {
        let cols = Columns::of(cells);
        if cols.missing().is_empty() {
            return Found::Header {
                row: i,
                columns: cols,
            };
        }
        if cols.recognised() > best.recognised() {
            best = cols;
        }
    }
    Found::Missing(best.missing())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_spellings() {
        let cases = [
            ("姓名", Field::Name),
            (" 姓 名 ", Field::Name),
            ("Name", Field::Name),
            ("姓名/Name", Field::Name),
            ("姓名\nName", Field::Name),
            ("姓名 Name", Field::Name),
            ("身份证号码（必填）", Field::IdNumber),
            ("身份证号(18位)", Field::IdNumber),
            ("*公民身份号码", Field::IdNumber),
            ("ID Number", Field::IdNumber),
            ("id_number", Field::IdNumber),
            ("联系电话（手机）", Field::Phone),
            ("手机号码", Field::Phone),
            ("Phone", Field::Phone),
            ("所在部门", Field::Department),
            ("宿舍号", Field::Dormitory),
            ("住宿", Field::Dormitory),
            ("最近核酸结果", Field::TestResult),
            ("检测结果", Field::TestResult),
            ("Test Result", Field::TestResult),
            ("采样日期", Field::TestDate),
            ("最近核酸日期", Field::TestDate),
            ("test date", Field::TestDate),
        ];
        for (cell, want) in cases {
            assert_eq!(field_of(cell), Some(want), "{cell}");
        }
        for cell in [
            "序号",
            "备注",
            "",
            "性别",
            "年龄",
            "工号 ID",
            "工号/ID",
            "姓名/电话",
        ] {
            assert_eq!(field_of(cell), None, "{cell}");
        }
    }

    #[test]
    fn first_complete_row_is_the_header() {
        let rows: Vec<Vec<String>> = vec![
            vec!["返岗人员名单".into()],
            vec!["姓名".into(), "备注".into()],
            vec![
                "序号".into(),
                "姓名".into(),
                "身份证号".into(),
                "手机".into(),
            ],
            vec!["姓名".into(), "身份证号".into(), "手机".into()],
        ];
        let Found::Header { row, columns } = find(rows.iter().map(Vec::as_slice)) else {
            panic!("no header found");
        };
        assert_eq!(row, 2);
        assert_eq!(columns.get(Field::Name), Some(1));
        assert_eq!(columns.get(Field::Phone), Some(3));
        assert_eq!(columns.get(Field::Dormitory), None);
    }

    #[test]
    fn missing_comes_from_the_best_candidate() {
        let rows: Vec<Vec<String>> = vec![
            vec!["名单".into()],
            vec!["姓名".into(), "身份证号".into(), "部门".into()],
        ];
        let Found::Missing(missing) = find(rows.iter().map(Vec::as_slice)) else {
            panic!("found a header");
        };
        assert_eq!(missing, vec![Field::Phone]);
    }
}
