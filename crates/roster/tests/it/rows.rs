//! `check_row`, as the app's editor calls it.

use yiqifu_roster::{check_row, Field, StaffRow, TestResult};

use crate::common::{id, staff, TODAY};

#[test]
fn a_typed_row_is_normalised() {
    let a = id("31011519900307123");
    let typed = StaffRow {
        name: " 张 三 ".into(),
        id_number: format!(" {} ", a.to_lowercase()),
        phone: "138 0013 8000".into(),
        department: " 生产部 ".into(),
        dormitory: "3号楼   201".into(),
        test_result: Some(TestResult::Negative),
        test_date: Some("2022/5/3".into()),
    };
    assert_eq!(
        check_row(&typed, TODAY),
        Ok(staff(
            "张三",
            &a,
            "13800138000",
            "生产部",
            "3号楼 201",
            Some(TestResult::Negative),
            Some("2022-05-03")
        ))
    );
    let blank_date = StaffRow {
        test_date: Some("  ".into()),
        ..typed
    };
    assert_eq!(
        check_row(&blank_date, TODAY).expect("valid").test_date,
        None
    );
}

#[test]
fn every_problem_is_reported() {
    let row = StaffRow {
        name: "张三3".into(),
        id_number: "310115199003071238".into(),
        phone: "".into(),
        department: "部".repeat(101),
        dormitory: String::new(),
        test_result: None,
        test_date: Some("2022-06-02".into()),
    };
    let problems = check_row(&row, TODAY).unwrap_err();
    let got: Vec<(Field, &str)> = problems.iter().map(|p| (p.field, p.code)).collect();
    assert_eq!(
        got,
        vec![
            (Field::Name, "NAME_CHARS"),
            (Field::IdNumber, "ID_CHECKSUM"),
            (Field::Phone, "PHONE_EMPTY"),
            (Field::Department, "DEPARTMENT_TOO_LONG"),
            (Field::TestDate, "DATE_FUTURE"),
        ]
    );
    for p in &problems {
        assert!(!p.zh.is_empty() && !p.en.is_empty(), "{p:?}");
    }
}

#[test]
fn dates_are_bounded() {
    let a = id("31011519900307123");
    let with_date = |d: &str| StaffRow {
        test_date: Some(d.into()),
        ..staff("张三", &a, "13800138000", "", "", None, None)
    };
    assert!(check_row(&with_date(TODAY), TODAY).is_ok());
    let code = |d: &str| check_row(&with_date(d), TODAY).unwrap_err()[0].code;
    assert_eq!(code("2022-06-02"), "DATE_FUTURE");
    assert_eq!(code("2019-12-31"), "DATE_TOO_EARLY");
    assert_eq!(code("2022-02-30"), "DATE_INVALID");
    assert_eq!(code("上周"), "DATE_FORMAT");
}
