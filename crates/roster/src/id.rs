//! The resident ID number (公民身份号码) of GB 11643-1999: a 6-digit region, an 8-digit birth
//! date, a 3-digit sequence and a check character over the first 17.

use crate::check::{problem, to_halfwidth};
use crate::date::Ymd;
use crate::{Field, RowProblem};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";
const EARLIEST_BIRTH: Ymd = Ymd {
    y: 1900,
    m: 1,
    d: 1,
};

/// The check character for 17 ASCII digits, or `None` for anything else.
pub fn check_character(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK_CHARS[(sum % 11) as usize] as char)
}

/// Full-width digits and X become ASCII, a lower-case x becomes `X`, spaces go: the forms in
/// which officers paste ID numbers.
pub(crate) fn normalise(id: &str) -> String {
    id.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match to_halfwidth(c) {
            'x' => 'X',
            c => c,
        })
        .collect()
}

/// "1.10101E+17": what Excel shows, and writes into a CSV, once it has turned an ID into a
/// number.
fn looks_scientific(s: &str) -> bool {
    let Some((mantissa, exp)) = s.split_once(['E', 'e']) else {
        return false;
    };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let mantissa_ok = mantissa.split_once('.').map_or_else(
        || mantissa.bytes().all(|b| b.is_ascii_digit()),
        |(a, b)| {
            !a.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        },
    );
    !mantissa.is_empty()
        && mantissa_ok
        && !exp.is_empty()
        && exp.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn id_as_number() -> RowProblem {
    problem(
        Field::IdNumber,
        "ID_AS_NUMBER",
        "身份证号被 Excel 存成了数字，最后几位已经丢失。请把身份证号这一列的格式设为“文本”，\
         重新输入这些身份证号后再导入"
            .into(),
        "Excel stored this ID number as a number and its last digits are lost: format the ID \
         column as Text, type the ID numbers again, then import"
            .into(),
    )
}

/// Checks one ID number and returns it normalised (18 characters, upper-case `X`).
///
/// `today` (`YYYY-MM-DD`) bounds the birth date; if it cannot be read, birth dates are only
/// checked to be real days from 1900 on.
pub fn check_id(id: &str, today: &str) -> Result<String, RowProblem> {
    check_id_at(id, Ymd::parse_iso(today))
}

pub(crate) fn check_id_at(id: &str, today: Option<Ymd>) -> Result<String, RowProblem> {
    let s = normalise(id);
    if s.is_empty() {
        return Err(problem(
            Field::IdNumber,
            "ID_EMPTY",
            "身份证号为空，请填写 18 位身份证号".into(),
            "the ID number is empty: fill in the 18-character ID number".into(),
        ));
    }
    if looks_scientific(&s) {
        return Err(id_as_number());
    }
    let n = s.chars().count();
    if n != 18 {
        let (zh_hint, en_hint) = if n == 15 {
            (
                "；15 位的是旧号码，请换成身份证上的 18 位号码",
                "; 15 characters is the old format: use the 18-character number on the card",
            )
        } else {
            ("，请对照身份证核对", ": compare it with the ID card")
        };
        return Err(problem(
            Field::IdNumber,
            "ID_LENGTH",
            format!("身份证号应为 18 位，这里是 {n} 位{zh_hint}"),
            format!("an ID number has 18 characters, this one has {n}{en_hint}"),
        ));
    }
    for (i, c) in s.chars().enumerate() {
        let ok = c.is_ascii_digit() || (i == 17 && c == 'X');
        if !ok {
            let pos = i + 1;
            return Err(problem(
                Field::IdNumber,
                "ID_CHARS",
                format!(
                    "身份证号第 {pos} 位“{c}”无效：前 17 位只能是数字，最后一位是数字或 X，请核对"
                ),
                format!(
                    "character {pos} of the ID number ('{c}') is wrong: the first 17 are digits, \
                     the last is a digit or X; check it against the card"
                ),
            ));
        }
    }
    // All ASCII from here on, so byte slicing is safe.
    if !matches!(s.as_bytes()[0], b'1'..=b'8') {
        return Err(problem(
            Field::IdNumber,
            "ID_REGION",
            "身份证号第 1 位是地区码，应为 1–8，请核对".into(),
            "the first digit of an ID number is its region and must be 1 to 8: check it".into(),
        ));
    }
    let birth = &s[6..14];
    let birth_ok = Ymd::parse_compact(birth)
        .is_some_and(|b| b >= EARLIEST_BIRTH && today.is_none_or(|t| b <= t));
    if !birth_ok {
        return Err(problem(
            Field::IdNumber,
            "ID_BIRTHDATE",
            format!("身份证号第 7–14 位的出生日期 {birth} 不是有效日期（或晚于今天），请核对"),
            format!(
                "digits 7 to 14 of the ID number ({birth}) are not a real birth date (or are \
                 after today): check them"
            ),
        ));
    }
    if check_character(&s[..17]) != s.chars().nth(17) {
        return Err(problem(
            Field::IdNumber,
            "ID_CHECKSUM",
            "身份证号的最后一位（校验位）与前 17 位不符，可能有数字输错，请对照身份证核对".into(),
            "the last character of the ID number (its check character) does not match the \
             others, so a digit is probably mistyped: compare it with the ID card"
                .into(),
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scientific_spellings() {
        for s in ["1.10101E+17", "1.10101e17", "1E+17", "3.3010219900307E+17"] {
            assert!(looks_scientific(s), "{s}");
        }
        for s in ["11010119900307123X", "E17", "1.1E", "1.1E+", "ab.cE+1"] {
            assert!(!looks_scientific(s), "{s}");
        }
    }
}
