//! A workbook as officers make them: a notes sheet first, a title row above the header,
//! numbers where Excel put numbers.

use std::collections::HashSet;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use yiqifu_roster::{import, TestResult};

use crate::common::{id, rejected_at, rejection_codes, staff, TODAY};

struct Ids {
    zhang: String,
    li: String,
    wang: String,
    qian: String,
    sun: String,
    zhou: String,
}

fn ids() -> Ids {
    Ids {
        zhang: id("31011519900307123"),
        li: id("31010419880808567"),
        wang: id("44030619851111456"),
        qian: id("65010219780615003"),
        sun: id("32058319930909212"),
        zhou: id("31011519870420102").to_lowercase(),
    }
}

fn workbook(ids: &Ids) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let notes = book.add_worksheet();
    notes.set_name("填表说明")?;
    notes.write_string(0, 0, "请按表头填写，身份证号列设为文本")?;

    let s = book.add_worksheet();
    s.set_name("名单")?;
    s.write_string(0, 0, "某某公司返岗人员名单（2022年6月）")?;
    let header = [
        "序号",
        "姓名",
        "身份证号码",
        "手机号码",
        "所在部门",
        "宿舍号",
        "核酸结果",
        "采样日期",
    ];
    for (c, h) in (0u16..).zip(header) {
        s.write_string(1, c, h)?;
    }
    // Excel row 3: a clean row, phone as a number, date as a real date.
    s.write_number(2, 0, 1)?;
    s.write_string(2, 1, "张三")?;
    s.write_string(2, 2, &ids.zhang)?;
    s.write_number(2, 3, 13800138000.0)?;
    s.write_string(2, 4, "生产部")?;
    s.write_string(2, 5, "3号楼 201")?;
    s.write_string(2, 6, "阴性")?;
    s.write_datetime_with_format(2, 7, &ExcelDateTime::from_ymd(2022, 5, 30)?, &date)?;
    // Row 4: date as text with slashes, short result.
    s.write_number(3, 0, 2)?;
    s.write_string(3, 1, "李四")?;
    s.write_string(3, 2, &ids.li)?;
    s.write_number(3, 3, 13900139000.0)?;
    s.write_string(3, 4, "质检部")?;
    s.write_string(3, 6, "阴")?;
    s.write_string(3, 7, "2022/5/3")?;
    // Row 5: the ID typed into a number cell.
    s.write_number(4, 0, 3)?;
    s.write_string(4, 1, "王五")?;
    s.write_number(4, 2, ids.wang.parse::<f64>().expect("digits"))?;
    s.write_number(4, 3, 13700137000.0)?;
    // Row 6 stays empty. Row 7 repeats 张三's ID.
    s.write_number(6, 0, 4)?;
    s.write_string(6, 1, "赵六")?;
    s.write_string(6, 2, &ids.zhang)?;
    s.write_number(6, 3, 13600136000.0)?;
    // Row 8: a phone with too few digits.
    s.write_number(7, 0, 5)?;
    s.write_string(7, 1, "钱七")?;
    s.write_string(7, 2, &ids.qian)?;
    s.write_string(7, 3, "1234567")?;
    // Row 9: already in the roster.
    s.write_number(8, 0, 6)?;
    s.write_string(8, 1, "孙八")?;
    s.write_string(8, 2, &ids.sun)?;
    s.write_string(8, 3, "13500135000")?;
    // Row 10: landline with spaces, lower-case x, English result, Chinese date.
    s.write_number(9, 0, 7)?;
    s.write_string(9, 1, "周九")?;
    s.write_string(9, 2, &ids.zhou)?;
    s.write_string(9, 3, "021 6123 4567")?;
    s.write_string(9, 4, "行政部")?;
    s.write_string(9, 6, "Negative")?;
    s.write_string(9, 7, "2022年5月31日")?;
    // Row 11: three things wrong at once.
    s.write_number(10, 0, 8)?;
    s.write_string(10, 1, "吴十1")?;
    s.write_string(10, 2, "310115199003071238")?;
    s.write_string(10, 3, "13300133000")?;
    s.write_string(10, 6, "待出")?;
    s.write_string(10, 7, "2022-06-02")?;
    book.save_to_buffer()
}

#[test]
fn officer_workbook_imports_exactly() {
    let ids = ids();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("返岗名单.xlsx");
    std::fs::write(&path, workbook(&ids).expect("workbook")).expect("write");
    let existing: HashSet<String> = [ids.sun.clone()].into();

    let got = import(&path, &existing, TODAY).expect("import");

    assert_eq!(got.source.format, "xlsx");
    assert_eq!(got.source.encoding, None);
    assert_eq!(got.source.sheet.as_deref(), Some("名单"));
    assert_eq!(got.source.header_line, 2);
    let neg = Some(TestResult::Negative);
    assert_eq!(
        got.rows,
        vec![
            staff(
                "张三",
                &ids.zhang,
                "13800138000",
                "生产部",
                "3号楼 201",
                neg,
                Some("2022-05-30")
            ),
            staff(
                "李四",
                &ids.li,
                "13900139000",
                "质检部",
                "",
                neg,
                Some("2022-05-03")
            ),
            staff(
                "周九",
                &ids.zhou.to_uppercase(),
                "021-61234567",
                "行政部",
                "",
                neg,
                Some("2022-05-31")
            ),
        ]
    );
    assert_eq!(
        rejection_codes(&got),
        vec![
            (5, vec!["ID_AS_NUMBER"]),
            (7, vec!["DUPLICATE"]),
            (8, vec!["PHONE_FORMAT"]),
            (9, vec!["DUPLICATE"]),
            (
                11,
                vec!["NAME_CHARS", "ID_CHECKSUM", "RESULT_UNKNOWN", "DATE_FUTURE"]
            ),
        ]
    );
    let dup = rejected_at(&got, 7);
    assert!(
        dup.problems[0].zh.contains("与第 3 行"),
        "{:?}",
        dup.problems
    );
    assert!(
        dup.problems[0].en.contains("same ID as row 3"),
        "{:?}",
        dup.problems
    );
    assert_eq!(dup.cells, vec!["4", "赵六", &ids.zhang, "13600136000"]);
    let known = rejected_at(&got, 9);
    assert!(
        known.problems[0].zh.contains("已在名单中"),
        "{:?}",
        known.problems
    );
    let number = rejected_at(&got, 5);
    assert!(
        number.problems[0].zh.contains("文本"),
        "{:?}",
        number.problems
    );
    assert!(number.problems[0]
        .en
        .contains("format the ID column as Text"));
}

#[test]
fn missing_columns_in_a_workbook_are_named() -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in (0u16..).zip(["序号", "姓名", "手机", "宿舍"]) {
        s.write_string(0, c, h)?;
    }
    s.write_string(1, 1, "张三")?;
    let bytes = book.save_to_buffer()?;
    let err = yiqifu_roster::import_bytes(&bytes, "a.xlsx", &HashSet::new(), TODAY).unwrap_err();
    assert_eq!(
        err,
        yiqifu_roster::Error::MissingColumns {
            missing: vec![yiqifu_roster::Field::IdNumber]
        }
    );
    Ok(())
}

#[test]
fn twenty_thousand_rows() -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in (0u16..).zip(["姓名", "身份证号", "手机", "宿舍", "核酸结果", "核酸日期"])
    {
        s.write_string(0, c, h)?;
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let day = ExcelDateTime::from_ymd(2022, 5, 3)?;
    for i in 0..20_000u32 {
        let r = i + 1;
        let body = format!("3101{:02}{:04}0101{:03}", i / 1000, 1950 + i % 50, i % 1000);
        s.write_string(r, 0, "员工甲")?;
        s.write_string(r, 1, id(&body))?;
        s.write_number(r, 2, 13_800_000_000.0 + f64::from(i))?;
        s.write_string(r, 3, "1号楼")?;
        s.write_string(r, 4, "阴性")?;
        s.write_datetime_with_format(r, 5, &day, &date)?;
    }
    let bytes = book.save_to_buffer()?;
    let start = std::time::Instant::now();
    let got =
        yiqifu_roster::import_bytes(&bytes, "big.xlsx", &HashSet::new(), TODAY).expect("import");
    eprintln!("20,000 xlsx rows: {:?}", start.elapsed());
    assert_eq!(got.rejected.len(), 0, "{:?}", got.rejected.first());
    assert_eq!(got.rows.len(), 20_000);
    assert_eq!(got.rows[19_999].phone, "13800019999");
    Ok(())
}
