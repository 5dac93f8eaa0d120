//! Per-field checks shared by the importer and the app's row editor.

use crate::date::{DateError, Ymd};
use crate::id::check_id_at;
use crate::{Field, RowProblem, StaffRow, TestResult};

pub const MAX_NAME_CHARS: usize = 50;
/// For department and dormitory: long enough for "浦东新区张江路 123 号 3 号楼 201 室".
pub const MAX_TEXT_CHARS: usize = 100;
/// Nucleic acid tests for work resumption began in 2020; an earlier date is a typo or a number
/// Excel misread as a date.
const EARLIEST_TEST: Ymd = Ymd {
    y: 2020,
    m: 1,
    d: 1,
};

pub(crate) fn problem(field: Field, code: &'static str, zh: String, en: String) -> RowProblem {
    RowProblem {
        field,
        code,
        zh,
        en,
    }
}

/// Chinese input methods type full-width forms (１２３, Ｘ, ／, （）, the ideographic space).
pub(crate) fn to_halfwidth(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Trims and folds every run of whitespace (full-width too) into one space.
pub(crate) fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn check_name(raw: &str) -> Result<String, RowProblem> {
    let squeezed = squeeze(raw);
    // Officers pad two-character names to line them up ("张  三"); a space between two Han
    // characters is never part of a Chinese name. Look-alike dots become the standard "·".
    let chars: Vec<char> = squeezed
        .chars()
        .map(|c| match c {
            '•' | '・' | '･' | '‧' | '∙' | '⋅' | '．' => '·',
            c => c,
        })
        .collect();
    let name: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            !(c == ' '
                && i > 0
                && is_han(chars[i - 1])
                && chars.get(i + 1).is_some_and(|&n| is_han(n)))
        })
        .map(|(_, &c)| c)
        .collect();
    let n = name.chars().count();
    if n == 0 {
        return Err(problem(
            Field::Name,
            "NAME_EMPTY",
            "姓名为空，请填写姓名".into(),
            "the name is empty: fill in the person's name".into(),
        ));
    }
    if n > MAX_NAME_CHARS {
        return Err(problem(
            Field::Name,
            "NAME_TOO_LONG",
            format!("姓名有 {n} 个字，超过 {MAX_NAME_CHARS} 个，请检查是否把别的内容填进了姓名列"),
            format!(
                "the name has {n} characters, more than {MAX_NAME_CHARS}: check that nothing \
                 else was typed into the name column"
            ),
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|&c| !(c.is_alphabetic() || c == '·' || c == ' ' || c == '-'))
    {
        return Err(problem(
            Field::Name,
            "NAME_CHARS",
            format!("姓名中有不允许的字符“{bad}”：姓名只能包含文字、间隔号“·”、空格和连字符“-”"),
            format!(
                "the name contains '{bad}': a name may only have letters, the middle dot '·', \
                 spaces and hyphens"
            ),
        ));
    }
    Ok(name)
}

fn phone_format(shown: &str) -> RowProblem {
    problem(
        Field::Phone,
        "PHONE_FORMAT",
        format!(
            "联系电话“{shown}”不是有效号码：手机号是 1 开头的 11 位数字，固定电话要带区号，\
             如 021-12345678"
        ),
        format!(
            "'{shown}' is not a valid phone number: a mobile has 11 digits starting with 1, a \
             landline needs its area code, as in 021-12345678"
        ),
    )
}

pub(crate) fn check_phone(raw: &str) -> Result<String, RowProblem> {
    let shown = raw.trim();
    let mut digits = String::with_capacity(shown.len());
    for c in shown.chars().map(to_halfwidth) {
        match c {
            '0'..='9' => digits.push(c),
            '-' | ' ' | '—' => {}
            '+' if digits.is_empty() => {}
            _ => {
                return Err(problem(
                    Field::Phone,
                    "PHONE_CHARS",
                    format!("联系电话中有“{c}”：只能填写数字，可以用“-”或空格分隔"),
                    format!(
                        "the phone number contains '{c}': use digits only, separated by '-' or \
                         spaces if you like"
                    ),
                ))
            }
        }
    }
    if digits.is_empty() {
        return Err(problem(
            Field::Phone,
            "PHONE_EMPTY",
            "联系电话为空，请填写手机号或带区号的固定电话".into(),
            "the phone number is empty: fill in a mobile or a landline with its area code".into(),
        ));
    }
    // A country code in front of a mobile ("+86 138…", "0086138…") is dropped.
    for prefix in ["0086", "86"] {
        if digits.len() == 11 + prefix.len()
            && digits.starts_with(prefix)
            && digits[prefix.len()..].starts_with('1')
        {
            digits.drain(..prefix.len());
        }
    }
    let b = digits.as_bytes();
    if b[0] == b'1' {
        return if b.len() == 11 && (b'3'..=b'9').contains(&b[1]) {
            Ok(digits)
        } else {
            Err(phone_format(shown))
        };
    }
    if b[0] == b'0' && b.len() >= 2 {
        // Area codes starting 01 or 02 (Beijing, Shanghai, Guangzhou, …) have three digits
        // with the leading 0; all others have four.
        let area = if matches!(b[1], b'1' | b'2') { 3 } else { 4 };
        let local = b.len().saturating_sub(area);
        if b[1] != b'0' && (7..=8).contains(&local) && b[area] != b'0' {
            return Ok(format!("{}-{}", &digits[..area], &digits[area..]));
        }
    }
    Err(phone_format(shown))
}

/// Department and dormitory: free text, only bounded.
pub(crate) fn check_text(field: Field, raw: &str) -> Result<String, RowProblem> {
    let s = squeeze(raw);
    let n = s.chars().count();
    if n > MAX_TEXT_CHARS {
        let code = match field {
            Field::Dormitory => "DORMITORY_TOO_LONG",
            _ => "DEPARTMENT_TOO_LONG",
        };
        return Err(problem(
            field,
            code,
            format!(
                "{}有 {n} 个字，超过 {MAX_TEXT_CHARS} 个，请写简短些",
                field.label_zh()
            ),
            format!(
                "the {} has {n} characters, more than {MAX_TEXT_CHARS}: shorten it",
                field.label_en()
            ),
        ));
    }
    Ok(s)
}

pub(crate) fn parse_result(raw: &str) -> Result<Option<TestResult>, RowProblem> {
    let s: String = raw
        .chars()
        .map(to_halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    match s.as_str() {
        "" => Ok(None),
        "阴性" | "阴" | "negative" | "neg" => Ok(Some(TestResult::Negative)),
        "阳性" | "阳" | "positive" | "pos" => Ok(Some(TestResult::Positive)),
        _ => Err(problem(
            Field::TestResult,
            "RESULT_UNKNOWN",
            format!("核酸结果“{}”无法识别，请填写“阴性”或“阳性”", raw.trim()),
            format!(
                "the test result '{}' is not recognised: write negative (阴性) or positive (阳性)",
                raw.trim()
            ),
        )),
    }
}

/// Bounds a test date that has been read: from 2020 to `today`.
pub(crate) fn bound_test_date(
    parsed: Result<Ymd, DateError>,
    shown: &str,
    today: Option<Ymd>,
) -> Result<String, RowProblem> {
    let shown = shown.trim();
    let d = match parsed {
        Ok(d) => d,
        Err(DateError::Format) => {
            return Err(problem(
                Field::TestDate,
                "DATE_FORMAT",
                format!("核酸日期“{shown}”无法识别，请写成 2022-05-03 这样的年-月-日"),
                format!(
                    "the test date '{shown}' is not recognised: write it as year-month-day, \
                     like 2022-05-03"
                ),
            ))
        }
        Err(DateError::NoSuchDay) => {
            return Err(problem(
                Field::TestDate,
                "DATE_INVALID",
                format!("核酸日期“{shown}”不存在（例如 2 月 30 日），请核对"),
                format!("the test date '{shown}' does not exist (like 30 February): check it"),
            ))
        }
    };
    if let Some(t) = today.filter(|&t| d > t) {
        return Err(problem(
            Field::TestDate,
            "DATE_FUTURE",
            format!("核酸日期 {d} 晚于今天（{t}），请核对"),
            format!("the test date {d} is after today ({t}): check it"),
        ));
    }
    if d < EARLIEST_TEST {
        return Err(problem(
            Field::TestDate,
            "DATE_TOO_EARLY",
            format!("核酸日期 {d} 早于 2020 年，请核对"),
            format!("the test date {d} is before 2020: check it"),
        ));
    }
    Ok(d.to_string())
}

/// Checks and normalises one row as the officer typed it in the app's editor, returning every
/// problem at once.
///
/// If `today` (`YYYY-MM-DD`) cannot be read, dates are not bounded above.
pub fn check_row(row: &StaffRow, today: &str) -> Result<StaffRow, Vec<RowProblem>> {
    let today = Ymd::parse_iso(today);
    let mut problems = Vec::new();
    let mut keep = |r: Result<String, RowProblem>| match r {
        Ok(v) => v,
        Err(p) => {
            problems.push(p);
            String::new()
        }
    };
    let name = keep(check_name(&row.name));
    let id_number = keep(check_id_at(&row.id_number, today));
    let phone = keep(check_phone(&row.phone));
    let department = keep(check_text(Field::Department, &row.department));
    let dormitory = keep(check_text(Field::Dormitory, &row.dormitory));
    let test_date = match row.test_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(keep(bound_test_date(Ymd::parse_loose(s), s, today))),
    };
    if problems.is_empty() {
        Ok(StaffRow {
            name,
            id_number,
            phone,
            department,
            dormitory,
            test_result: row.test_result,
            test_date,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(check_name("  张三 ").unwrap(), "张三");
        assert_eq!(check_name("张  三").unwrap(), "张三");
        assert_eq!(check_name("买买提•艾力").unwrap(), "买买提·艾力");
        assert_eq!(
            check_name("Anna-Lena  Schmidt").unwrap(),
            "Anna-Lena Schmidt"
        );
        assert_eq!(check_name("").unwrap_err().code, "NAME_EMPTY");
        assert_eq!(check_name("张三1").unwrap_err().code, "NAME_CHARS");
        assert_eq!(check_name("张三（实习）").unwrap_err().code, "NAME_CHARS");
        assert_eq!(
            check_name(&"李".repeat(51)).unwrap_err().code,
            "NAME_TOO_LONG"
        );
        assert!(check_name(&"李".repeat(50)).is_ok());
    }

    #[test]
    fn phones() {
        assert_eq!(check_phone("13800138000").unwrap(), "13800138000");
        assert_eq!(check_phone("138 0013 8000").unwrap(), "13800138000");
        assert_eq!(check_phone("138-0013-8000").unwrap(), "13800138000");
        assert_eq!(
            check_phone("１３８００１３８０００").unwrap(),
            "13800138000"
        );
        assert_eq!(check_phone("021-12345678").unwrap(), "021-12345678");
        assert_eq!(check_phone("02112345678").unwrap(), "021-12345678");
        assert_eq!(check_phone("010 1234567").unwrap(), "010-1234567");
        assert_eq!(check_phone("0571-87654321").unwrap(), "0571-87654321");
        assert_eq!(check_phone("05718765432").unwrap(), "0571-8765432");
        assert_eq!(check_phone("+86 138 0013 8000").unwrap(), "13800138000");
        assert_eq!(check_phone("008613800138000").unwrap(), "13800138000");
        for bad in [
            "12800138000",
            "1380013800",
            "138001380001",
            "12345678",
            "021-1234",
            "0",
        ] {
            assert_eq!(check_phone(bad).unwrap_err().code, "PHONE_FORMAT", "{bad}");
        }
        assert_eq!(check_phone("").unwrap_err().code, "PHONE_EMPTY");
        assert_eq!(
            check_phone("138-0013-800a").unwrap_err().code,
            "PHONE_CHARS"
        );
    }

    #[test]
    fn results() {
        assert_eq!(parse_result("阴性").unwrap(), Some(TestResult::Negative));
        assert_eq!(parse_result(" 阴 ").unwrap(), Some(TestResult::Negative));
        assert_eq!(
            parse_result("Negative").unwrap(),
            Some(TestResult::Negative)
        );
        assert_eq!(parse_result("阳性").unwrap(), Some(TestResult::Positive));
        assert_eq!(
            parse_result("POSITIVE").unwrap(),
            Some(TestResult::Positive)
        );
        assert_eq!(parse_result("").unwrap(), None);
        assert_eq!(parse_result("待出").unwrap_err().code, "RESULT_UNKNOWN");
    }

    #[test]
    fn texts() {
        assert_eq!(
            check_text(Field::Dormitory, " 3号楼   201 ").unwrap(),
            "3号楼 201"
        );
        let long = "宿".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            check_text(Field::Dormitory, &long).unwrap_err().code,
            "DORMITORY_TOO_LONG"
        );
        assert_eq!(
            check_text(Field::Department, &long).unwrap_err().code,
            "DEPARTMENT_TOO_LONG"
        );
    }
}
