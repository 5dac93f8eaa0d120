//! The exported roster: identical bytes for identical rows, IDs kept as text.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use yiqifu_roster::{export_xlsx, import_bytes, StaffRow, TestResult, SHEET_NAME};

use crate::common::{id, nobody, staff, TODAY};

fn roster() -> Vec<StaffRow> {
    vec![
        staff(
            "张三",
            &id("31011519900307123"),
            "13800138000",
            "生产部",
            "3号楼 201",
            Some(TestResult::Negative),
            Some("2022-05-03"),
        ),
        staff(
            "李四",
            "11010519491231002X",
            "021-61234567",
            "",
            "",
            None,
            None,
        ),
        staff(
            "买买提·艾力",
            &id("65010219780615003"),
            "13900139000",
            "质检部",
            "",
            Some(TestResult::Positive),
            Some("2022-05-31"),
        ),
    ]
}

#[test]
fn same_rows_same_bytes() {
    let first = export_xlsx(&roster()).expect("export");
    // Past the next second, so a creation time taken from the clock would differ.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = export_xlsx(&roster()).expect("export");
    assert_eq!(first, second);
    let fewer = export_xlsx(&roster()[..2]).expect("export");
    assert_ne!(first, fewer);
}

#[test]
fn ids_and_phones_read_back_as_text() {
    let rows = roster();
    let bytes = export_xlsx(&rows).expect("export");
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("open");
    assert_eq!(book.sheet_names(), vec![SHEET_NAME.to_string()]);
    let range = book.worksheet_range(SHEET_NAME).expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "序号",
            "姓名",
            "身份证号",
            "联系电话",
            "部门",
            "宿舍",
            "最近核酸结果",
            "最近核酸日期"
        ]
    );
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(
            range.get_value((row, 0)),
            Some(&Data::Float((i + 1) as f64))
        );
        assert_eq!(
            range.get_value((row, 2)),
            Some(&Data::String(r.id_number.clone()))
        );
        assert_eq!(
            range.get_value((row, 3)),
            Some(&Data::String(r.phone.clone()))
        );
    }
    assert_eq!(range.get_value((1, 6)), Some(&Data::String("阴性".into())));
    match range.get_value((1, 7)) {
        Some(Data::DateTime(dt)) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            assert_eq!((y, m, d), (2022, 5, 3));
        }
        other => panic!("the date should be a real date cell: {other:?}"),
    }
}

#[test]
fn export_then_import_gives_the_same_rows() {
    let rows = roster();
    let bytes = export_xlsx(&rows).expect("export");
    let back = import_bytes(&bytes, "返岗人员名单.xlsx", &nobody(), TODAY).expect("import");
    assert_eq!(back.rejected, vec![]);
    assert_eq!(back.rows, rows);
}

#[test]
fn an_empty_roster_still_has_its_header() {
    let bytes = export_xlsx(&[]).expect("export");
    let back = import_bytes(&bytes, "a.xlsx", &nobody(), TODAY).expect("import");
    assert!(back.rows.is_empty());
    assert_eq!(back.source.header_line, 1);
}
