//! Helpers shared by the tests: an ID generator written from the standard, not from the crate.

use std::collections::HashSet;

use yiqifu_roster::{Import, Rejected, StaffRow, TestResult};

pub const TODAY: &str = "2022-06-01";

/// GB 11643-1999's check character, computed here independently of the crate.
pub fn check_char(body: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    "10X98765432"
        .chars()
        .nth((sum % 11) as usize)
        .expect("index")
}

/// A valid ID from 17 digits.
pub fn id(body: &str) -> String {
    assert_eq!(body.len(), 17, "{body}");
    format!("{body}{}", check_char(body))
}

pub fn nobody() -> HashSet<String> {
    HashSet::new()
}

pub fn staff(
    name: &str,
    id_number: &str,
    phone: &str,
    department: &str,
    dormitory: &str,
    test_result: Option<TestResult>,
    test_date: Option<&str>,
) -> StaffRow {
    StaffRow {
        name: name.into(),
        id_number: id_number.into(),
        phone: phone.into(),
        department: department.into(),
        dormitory: dormitory.into(),
        test_result,
        test_date: test_date.map(Into::into),
    }
}

/// (line, codes) of each rejection, for compact assertions.
pub fn rejection_codes(import: &Import) -> Vec<(usize, Vec<&'static str>)> {
    import
        .rejected
        .iter()
        .map(|r: &Rejected| (r.line, r.problems.iter().map(|p| p.code).collect()))
        .collect()
}

pub fn rejected_at(import: &Import, line: usize) -> &Rejected {
    import
        .rejected
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no rejection at line {line}: {:#?}", import.rejected))
}
