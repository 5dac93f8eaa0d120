//! Whole-file errors: each has a stable code and says what to do, in both languages.

use std::collections::HashSet;

use yiqifu_roster::{import, import_bytes, Error, Field};

use crate::common::{nobody, TODAY};

fn code(bytes: &[u8]) -> &'static str {
    import_bytes(bytes, "x", &nobody(), TODAY)
        .unwrap_err()
        .code()
}

#[test]
fn empty_files() {
    assert_eq!(code(b""), "EMPTY");
    assert_eq!(code(b" \r\n\t"), "EMPTY");
    assert_eq!(code(b"\xEF\xBB\xBF"), "EMPTY");
    assert_eq!(code(b",,,\r\n,,\r\n"), "EMPTY");
}

#[test]
fn not_a_roster_file() {
    assert_eq!(code(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "UNKNOWN_FORMAT");
    assert_eq!(
        code(b"%PDF-1.7\n\xE2\xE3\xCF\xD3\n\xff\xfe\x80\x81"),
        "UNKNOWN_FORMAT"
    );
    assert_eq!(
        code("<html><table><tr><td>姓名</td></tr></table></html>".as_bytes()),
        "UNKNOWN_FORMAT"
    );
    let err = import_bytes(b"\0\x01\x02", "名单.pdf", &nobody(), TODAY).unwrap_err();
    assert!(err.message_zh().contains("名单.pdf") && err.message_en().contains("名单.pdf"));
}

#[test]
fn damaged_workbooks_are_unreadable() {
    assert_eq!(code(b"PK\x03\x04 this is no zip archive"), "UNREADABLE");
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.extend([0u8; 600]);
    assert_eq!(code(&cfb), "UNREADABLE");
    let missing = import(
        std::path::Path::new("/nonexistent/名单.xlsx"),
        &HashSet::new(),
        TODAY,
    );
    assert_eq!(missing.unwrap_err().code(), "UNREADABLE");
}

#[test]
fn an_empty_workbook_is_empty() -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet();
    assert_eq!(code(&book.save_to_buffer()?), "EMPTY");
    Ok(())
}

#[test]
fn a_bad_today_is_refused() {
    let err = import_bytes(
        "姓名,身份证号,电话\n".as_bytes(),
        "a.csv",
        &nobody(),
        "2022/6/1",
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidToday {
            today: "2022/6/1".into()
        }
    );
}

/// What a spreadsheet reader says of a damaged file, in its own (English) words.
const READER_WORDS: &str = "Zip error: invalid Zip archive";

#[test]
fn codes_are_distinct_and_messages_bilingual() {
    let all = [
        Error::Unreadable {
            detail: READER_WORDS.into(),
        },
        Error::UnknownFormat {
            name: "a.pdf".into(),
        },
        Error::NoSheets,
        Error::Empty,
        Error::MissingColumns {
            missing: vec![Field::Phone],
        },
        Error::TooManyRows { limit: 100_000 },
        Error::ExportFailed {
            detail: READER_WORDS.into(),
        },
        Error::InvalidToday { today: "x".into() },
    ];
    let codes: HashSet<&str> = all.iter().map(Error::code).collect();
    assert_eq!(codes.len(), all.len());
    for e in &all {
        let (zh, en) = (e.message_zh(), e.message_en());
        assert!(
            zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{zh}"
        );
        assert!(en.starts_with(|c: char| c.is_ascii_lowercase()), "{en}");
        assert_ne!(zh, en);
        // The reader's own words are for the log only.
        assert!(
            !zh.contains(READER_WORDS) && !en.contains(READER_WORDS),
            "{zh} / {en}"
        );
        match e.detail() {
            Some(d) => assert_eq!(e.to_string(), format!("{zh} / {en} [{d}]")),
            None => assert_eq!(e.to_string(), format!("{zh} / {en}")),
        }
        assert!(e.code().chars().all(|c| c.is_ascii_uppercase() || c == '_'));
    }
}
