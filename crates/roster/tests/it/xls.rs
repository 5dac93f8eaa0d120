//! A real .xls written by xlwt (see tests/fixtures/README.md).

use std::path::Path;

use yiqifu_roster::{import, import_bytes, TestResult};

use crate::common::{id, nobody, rejected_at, rejection_codes, staff, TODAY};

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster.xls")
}

#[test]
fn legacy_workbook_imports_exactly() {
    let got = import(&fixture(), &nobody(), TODAY).expect("import");
    assert_eq!(got.source.format, "xls");
    assert_eq!(got.source.sheet.as_deref(), Some("返岗人员名单"));
    assert_eq!(got.source.header_line, 2);
    let a = id("31011519900307123");
    let b = id("31010419880808567");
    assert_eq!(
        got.rows,
        vec![
            staff(
                "张三",
                &a,
                "13800138000",
                "生产部",
                "1号楼 101",
                Some(TestResult::Negative),
                Some("2022-05-28")
            ),
            staff(
                "李四",
                &b,
                "021-61234567",
                "仓储部",
                "",
                Some(TestResult::Positive),
                Some("2022-05-03")
            ),
        ]
    );
    assert_eq!(
        rejection_codes(&got),
        vec![
            (5, vec!["ID_AS_NUMBER"]),
            (7, vec!["DUPLICATE"]),
            (8, vec!["PHONE_FORMAT"]),
            (9, vec!["DATE_INVALID"]),
        ]
    );
    assert!(rejected_at(&got, 7).problems[0]
        .en
        .contains("same ID as row 3"));
    assert_eq!(rejected_at(&got, 8).cells[3], "12345");
}

#[test]
fn renamed_xls_is_still_a_workbook() {
    let bytes = std::fs::read(fixture()).expect("fixture");
    let got = import_bytes(&bytes, "名单.csv", &nobody(), TODAY).expect("import");
    assert_eq!(got.source.format, "xls");
    assert_eq!(got.rows.len(), 2);
}
