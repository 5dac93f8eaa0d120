//! CSV as Excel saves it: UTF-8 with or without BOM, GBK on Chinese Windows, comma or tab.

use yiqifu_roster::{import_bytes, Error, Field, Import, TestResult};

use crate::common::{id, nobody, rejection_codes, staff, TODAY};

fn rows_text(sep: &str) -> (String, String, String) {
    let a = id("31011519900307123");
    let b = id("31010419880808567");
    let quote = |s: &str| {
        if sep == "," && s.contains(',') {
            format!("\"{s}\"")
        } else {
            s.to_string()
        }
    };
    let lines = [
        vec!["返岗人员名单".to_string()],
        [
            "序号",
            "姓名",
            "身份证号",
            "联系电话",
            "部门",
            "宿舍",
            "最近核酸结果",
            "最近核酸日期",
        ]
        .map(String::from)
        .to_vec(),
        vec![
            "1".into(),
            "张三".into(),
            a.clone(),
            "13800138000".into(),
            "生产部".into(),
            quote("3号楼, 201"),
            "阴性".into(),
            "2022/5/3".into(),
        ],
        vec![],
        // Excel's tricks to keep an ID as text, as other systems export them.
        vec![
            "2".into(),
            "李四".into(),
            format!("=\"{b}\""),
            "'13900139000".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
        ],
        vec![
            "3".into(),
            "王五".into(),
            "3.10115E+17".into(),
            "13700137000".into(),
        ],
    ];
    let text = lines
        .iter()
        .map(|l| l.join(sep))
        .collect::<Vec<_>>()
        .join("\r\n")
        + "\r\n";
    (text, a, b)
}

fn check(got: &Import, a: &str, b: &str, encoding: &str) {
    assert_eq!(got.source.format, "csv");
    assert_eq!(got.source.encoding, Some(encoding));
    assert_eq!(got.source.sheet, None);
    assert_eq!(got.source.header_line, 2);
    assert_eq!(
        got.rows,
        vec![
            staff(
                "张三",
                a,
                "13800138000",
                "生产部",
                "3号楼, 201",
                Some(TestResult::Negative),
                Some("2022-05-03")
            ),
            staff("李四", b, "13900139000", "", "", None, None),
        ]
    );
    assert_eq!(rejection_codes(got), vec![(6, vec!["ID_AS_NUMBER"])]);
}

#[test]
fn utf8_comma() {
    let (text, a, b) = rows_text(",");
    let got = import_bytes(text.as_bytes(), "名单.csv", &nobody(), TODAY).expect("import");
    check(&got, &a, &b, "UTF-8");
}

#[test]
fn utf8_with_bom_tab() {
    let (text, a, b) = rows_text("\t");
    let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let got = import_bytes(&bytes, "名单.txt", &nobody(), TODAY).expect("import");
    check(&got, &a, &b, "UTF-8");
}

#[test]
fn gbk_comma_and_tab() {
    for sep in [",", "\t"] {
        let (text, a, b) = rows_text(sep);
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the test must really be GBK"
        );
        let got = import_bytes(&bytes, "名单.csv", &nobody(), TODAY).expect("import");
        check(&got, &a, &b, "GBK");
    }
}

#[test]
fn utf16_unicode_text() {
    let (text, a, b) = rows_text("\t");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let got = import_bytes(&bytes, "名单.txt", &nobody(), TODAY).expect("import");
    check(&got, &a, &b, "UTF-16");
}

#[test]
fn format_is_decided_by_content_not_name() {
    let (text, a, b) = rows_text(",");
    let got = import_bytes(text.as_bytes(), "名单.xlsx", &nobody(), TODAY).expect("import");
    check(&got, &a, &b, "UTF-8");
}

#[test]
fn missing_columns_lists_exactly_the_missing_ones() {
    let text = "姓名,部门,宿舍\n张三,生产部,1号楼\n";
    let err = import_bytes(text.as_bytes(), "a.csv", &nobody(), TODAY).unwrap_err();
    assert_eq!(
        err,
        Error::MissingColumns {
            missing: vec![Field::IdNumber, Field::Phone]
        }
    );
    assert_eq!(err.code(), "MISSING_COLUMNS");
    let zh = err.message_zh();
    assert!(zh.contains("缺少：身份证号、联系电话。"), "{zh}");
    assert!(
        zh.contains("公民身份号码") && zh.contains("手机号码"),
        "{zh}"
    );
    assert!(!zh.contains("员工姓名"), "the name column is present: {zh}");
    let en = err.message_en();
    assert!(en.contains("missing: ID number, phone."), "{en}");
    assert!(err.to_string().contains(" / "));

    let none = import_bytes("a,b\n1,2\n".as_bytes(), "a.csv", &nobody(), TODAY).unwrap_err();
    assert_eq!(
        none,
        Error::MissingColumns {
            missing: Field::REQUIRED.to_vec()
        }
    );
}

#[test]
fn header_only_gives_no_rows() {
    let got =
        import_bytes("姓名,身份证号,电话\n".as_bytes(), "a.csv", &nobody(), TODAY).expect("import");
    assert!(got.rows.is_empty() && got.rejected.is_empty());
    assert_eq!(got.source.header_line, 1);
}

#[test]
fn twenty_thousand_rows() {
    let mut text = String::from("姓名,身份证号,手机,宿舍,核酸结果,核酸日期\n");
    for i in 0..20_000u32 {
        // (i / 1000, i % 1000) differ for every i, so no two IDs repeat.
        let body = format!("3101{:02}{:04}0101{:03}", i / 1000, 1950 + i % 50, i % 1000);
        let name = ["员工甲", "员工乙", "员工丙", "员工丁"][(i % 4) as usize];
        text.push_str(&format!(
            "{name},{},138{i:08},1号楼,阴性,2022-05-03\n",
            id(&body)
        ));
    }
    let start = std::time::Instant::now();
    let got = import_bytes(text.as_bytes(), "big.csv", &nobody(), TODAY).expect("import");
    eprintln!("20,000 CSV rows: {:?}", start.elapsed());
    assert_eq!(got.rejected.len(), 0, "{:?}", got.rejected.first());
    assert_eq!(got.rows.len(), 20_000);
}

#[test]
fn row_cap_is_exact() {
    let cap = yiqifu_roster::MAX_DATA_ROWS;
    let mut text = String::from("姓名,身份证号,电话\n");
    text.push_str(&"张三,1,1\n".repeat(cap));
    let at_cap = import_bytes(text.as_bytes(), "a.csv", &nobody(), TODAY).expect("at the cap");
    assert_eq!(at_cap.rejected.len(), cap);
    text.push_str("张三,1,1\n");
    let err = import_bytes(text.as_bytes(), "a.csv", &nobody(), TODAY).unwrap_err();
    assert_eq!(err, Error::TooManyRows { limit: cap });
}
