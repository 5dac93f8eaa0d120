mod common;

use std::path::Path;

use common::*;
use yiqifu_files::{check_file, sniff, Checked, Error, Format, Found, Limits};

fn limits(formats: &[Format]) -> Limits {
    Limits {
        formats: formats.to_vec(),
        max_bytes: 10 * 1024 * 1024,
    }
}

fn check(bytes: &[u8], name: &str, formats: &[Format]) -> Result<Checked, Error> {
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), name, bytes);
    check_file(&path, &limits(formats))
}

fn code(result: Result<Checked, Error>) -> &'static str {
    match result {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

#[test]
fn valid_files_of_every_format_pass() {
    let cases: [(Vec<u8>, Format); 8] = [
        (pdf(), Format::Pdf),
        (docx(), Format::Docx),
        (xlsx(), Format::Xlsx),
        (xls(), Format::Xls),
        (jpeg(64, 48), Format::Jpg),
        (png(64, 48), Format::Png),
        (plain_zip(), Format::Zip),
        (
            "姓名,身份证号\n张三,310101199001011234\n"
                .as_bytes()
                .to_vec(),
            Format::Csv,
        ),
    ];
    for (bytes, format) in cases {
        let checked =
            check(&bytes, "file", &Format::ALL).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(
            checked,
            Checked {
                format,
                size: bytes.len() as u64
            }
        );
    }
}

#[test]
fn sniff_tells_formats_apart_by_content() {
    let dir = tempfile::tempdir().expect("dir");
    let cases: [(&str, Vec<u8>, Option<Format>); 10] = [
        ("a.docx", pdf(), Some(Format::Pdf)),
        ("b.zip", docx(), Some(Format::Docx)),
        ("c.docx", xlsx(), Some(Format::Xlsx)),
        ("d.xlsx", plain_zip(), Some(Format::Zip)),
        ("e.png", jpeg(8, 8), Some(Format::Jpg)),
        ("f.jpg", png(8, 8), Some(Format::Png)),
        ("g.xlsx", xls(), Some(Format::Xls)),
        ("h.pdf", exe(), None),
        ("i.txt", "a,b\n1,2\n".as_bytes().to_vec(), Some(Format::Csv)),
        ("j.csv", vec![0, 1, 2, 3, 0xFF, 0xFE, 0, 0], None),
    ];
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, &bytes);
        assert_eq!(sniff(&path).expect("sniff"), expected, "{name}");
    }
}

#[test]
fn a_program_renamed_pdf_is_named_for_what_it_is() {
    let err = check(&exe(), "承诺书.pdf", &[Format::Pdf]).expect_err("refused");
    assert_eq!(err.code(), "FILE_WRONG_TYPE");
    assert!(
        err.message_zh()
            .starts_with("这是 Windows 程序（exe），不是 PDF 文件"),
        "{}",
        err.message_zh()
    );
    assert!(
        err.message_en().contains("Windows program"),
        "{}",
        err.message_en()
    );
}

#[test]
fn a_real_format_the_rule_does_not_take_is_named() {
    let err = check(&png(4, 4), "x.pdf", &[Format::Pdf, Format::Jpg]).expect_err("refused");
    match &err {
        Error::FileWrongType { found, allowed } => {
            assert_eq!(found, &Found::Format(Format::Png));
            assert_eq!(allowed, &vec![Format::Pdf, Format::Jpg]);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.message_zh().contains("不是 PDF 文件或 JPG 图片"),
        "{}",
        err.message_zh()
    );
    // A zip is not a Word document, even renamed .docx.
    assert_eq!(
        code(check(&plain_zip(), "x.docx", &[Format::Docx])),
        "FILE_WRONG_TYPE"
    );
    // An old .doc is not an .xls.
    let doc = ole2(&["WordDocument"], b"\xEC\xA5");
    let err = check(&doc, "x.xls", &[Format::Xls]).expect_err("refused");
    assert!(err.message_zh().contains(".doc"), "{}", err.message_zh());
}

#[test]
fn checks_run_in_order_empty_size_type_content() {
    assert_eq!(code(check(b"", "a.pdf", &[Format::Pdf])), "FILE_EMPTY");
    // Too large is said before the wrong type.
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), "big.pdf", &vec![b'M'; 1_572_864]);
    let err = check_file(
        &path,
        &Limits {
            formats: vec![Format::Pdf],
            max_bytes: 1024 * 1024,
        },
    )
    .expect_err("too large");
    assert_eq!(err.code(), "FILE_TOO_LARGE");
    assert!(
        err.message_zh().contains("1.5 MB") && err.message_zh().contains("1.0 MB"),
        "{}",
        err.message_zh()
    );
    // A damaged file of an unallowed type is a type problem, not a damage one.
    assert_eq!(
        code(check(b"%PDF-1.4\ngarbage", "a.pdf", &[Format::Png])),
        "FILE_WRONG_TYPE"
    );
    assert_eq!(
        code(check_file(
            Path::new("/no/such/file.pdf"),
            &limits(&[Format::Pdf])
        )),
        "FILE_UNREADABLE"
    );
}

#[test]
fn pdfs_must_load_be_unencrypted_and_have_pages() {
    assert_eq!(code(check(&pdf(), "a.pdf", &[Format::Pdf])), "OK");
    assert_eq!(
        code(check(&pdf_encrypted(), "a.pdf", &[Format::Pdf])),
        "PDF_ENCRYPTED"
    );
    assert_eq!(
        code(check(&pdf_without_pages(), "a.pdf", &[Format::Pdf])),
        "PDF_NO_PAGES"
    );
    let junk = [b"%PDF-1.7\n".as_slice(), &[0x42; 4000]].concat();
    assert_eq!(
        code(check(&junk, "a.pdf", &[Format::Pdf])),
        "PDF_UNREADABLE"
    );
}

#[test]
fn images_must_decode_fully_within_limits() {
    assert_eq!(code(check(&png(300, 200), "a.png", &[Format::Png])), "OK");
    let good = png(300, 200);
    let truncated = &good[..good.len() / 2];
    assert_eq!(
        code(check(truncated, "a.png", &[Format::Png])),
        "IMAGE_UNREADABLE"
    );
    let mut damaged_jpeg = jpeg(64, 64);
    let len = damaged_jpeg.len();
    damaged_jpeg.truncate(len / 3);
    assert_eq!(
        code(check(&damaged_jpeg, "a.jpg", &[Format::Jpg])),
        "IMAGE_UNREADABLE"
    );
    // Claims 19000 x 19000: refused from the header, never allocated.
    let bomb = png_claiming(19_000, 19_000);
    assert!(bomb.len() < 200);
    assert_eq!(
        code(check(&bomb, "a.png", &[Format::Png])),
        "IMAGE_TOO_LARGE"
    );
    assert_eq!(
        code(check(&png_claiming(30_000, 2), "a.png", &[Format::Png])),
        "IMAGE_TOO_LARGE"
    );
}

#[test]
fn office_files_must_open_and_have_their_main_part() {
    // A flipped byte inside document.xml's deflated data: the directory still reads.
    let mut damaged = docx();
    let at = damaged
        .windows(17)
        .position(|w| w == b"word/document.xml")
        .expect("name")
        + 17
        + 40;
    damaged[at] ^= 0xFF;
    damaged[at + 1] ^= 0xFF;
    assert_eq!(
        code(check(&damaged, "a.docx", &[Format::Docx])),
        "OFFICE_UNREADABLE"
    );
    // Cut short: the directory is gone, the local headers still say Word.
    let good = docx();
    let err = check(&good[..good.len() - 200], "a.docx", &[Format::Docx]).expect_err("cut");
    assert_eq!(err.code(), "OFFICE_UNREADABLE");
    assert!(
        err.message_zh().contains("这个 Word 文档(.docx)已损坏"),
        "{}",
        err.message_zh()
    );
    // A password-protected xlsx is an OLE2 container with an EncryptedPackage stream.
    let locked = ole2(&["EncryptionInfo", "EncryptedPackage"], b"\x04\x00\x04\x00");
    assert_eq!(
        code(check(&locked, "a.xlsx", &[Format::Xlsx])),
        "OFFICE_ENCRYPTED"
    );
    // An xls whose workbook stream does not start with a BOF record.
    let bad_xls = ole2(&["Workbook"], b"\x00\x00\x00\x00");
    assert_eq!(
        code(check(&bad_xls, "a.xls", &[Format::Xls])),
        "OFFICE_UNREADABLE"
    );
}

#[test]
fn zips_must_open_have_files_and_a_sane_directory() {
    let empty = zip_of(&[]);
    assert_eq!(
        code(check(&empty, "a.zip", &[Format::Zip])),
        "ZIP_UNREADABLE"
    );
    // The end record claims 40000 entries: refused before the directory is read.
    let mut claims = plain_zip();
    let eocd = claims
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .expect("eocd");
    claims[eocd + 8..eocd + 10].copy_from_slice(&40_000u16.to_le_bytes());
    claims[eocd + 10..eocd + 12].copy_from_slice(&40_000u16.to_le_bytes());
    assert_eq!(
        code(check(&claims, "a.zip", &[Format::Zip])),
        "ARCHIVE_TOO_MANY_ENTRIES"
    );
}

#[test]
fn csv_is_utf8_or_gbk_text_and_only_when_allowed() {
    let utf8 = "\u{FEFF}企业名称,人数\n上海某某有限公司,35\n"
        .as_bytes()
        .to_vec();
    let (gbk, _, bad) = encoding_rs::GBK.encode("企业名称,人数\r\n上海某某有限公司,35\r\n");
    assert!(!bad);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the GBK fixture must not be UTF-8 too"
    );
    assert_eq!(code(check(&utf8, "a.csv", &[Format::Csv])), "OK");
    assert_eq!(code(check(&gbk, "a.csv", &[Format::Csv])), "OK");
    // UTF-16 (what Excel's "Unicode text" writes) has NUL bytes: not a CSV here.
    let utf16: Vec<u8> = "a,b\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert_eq!(
        code(check(&utf16, "a.csv", &[Format::Csv])),
        "FILE_WRONG_TYPE"
    );
    // Neither UTF-8 nor GBK: 0xFF never starts a GBK character.
    assert_eq!(
        code(check(b"a,b\n\xFF\xFF,1\n", "a.csv", &[Format::Csv])),
        "FILE_WRONG_TYPE"
    );
    // Text where CSV is not allowed is described as text.
    let err = check(&utf8, "a.pdf", &[Format::Pdf]).expect_err("refused");
    assert!(
        err.message_zh().starts_with("这是纯文本文件"),
        "{}",
        err.message_zh()
    );
}

#[test]
fn formats_parse_and_print_their_wire_names() {
    for format in Format::ALL {
        assert_eq!(Format::parse(format.as_str()), Some(format));
        let json = serde_json::to_string(&format).expect("json");
        assert_eq!(json, format!("\"{}\"", format.as_str()));
    }
    assert_eq!(Format::parse(" JPEG "), Some(Format::Jpg));
    assert_eq!(Format::parse("doc"), None);
    assert!(Format::Pdf.compressed() && !Format::Csv.compressed() && !Format::Xls.compressed());
}
