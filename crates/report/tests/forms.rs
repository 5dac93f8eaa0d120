//! The three forms' PDFs, read back with poppler's pdftotext and pdfinfo.

mod common;
mod forms_fixtures;

use std::time::Instant;

use common::poppler;
use forms_fixtures as fx;
use yiqifu_report::{render_application_form, render_commitment_letter, render_receipt};

/// pdftotext breaks lines and drops or keeps spaces around CJK text as it sees fit; compare
/// text with all white space removed.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn text_of(pdf: &[u8]) -> String {
    squash(&poppler("pdftotext", pdf, &["-enc", "UTF-8"]))
}

/// One page's text, in reading order by position (`-layout`), so a table's header row reads
/// as one line.
fn page_text(pdf: &[u8], page: usize) -> String {
    let n = page.to_string();
    squash(&poppler(
        "pdftotext",
        pdf,
        &["-enc", "UTF-8", "-layout", "-f", &n, "-l", &n],
    ))
}

fn pages_of(pdf: &[u8]) -> usize {
    let info = poppler("pdfinfo", pdf, &[]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in pdfinfo's output:\n{info}"))
}

fn assert_has(text: &str, wanted: &str) {
    assert!(
        text.contains(&squash(wanted)),
        "the PDF's text lacks {wanted:?}; it reads:\n{text}"
    );
}

fn assert_a4(pdf: &[u8]) {
    let info = poppler("pdfinfo", pdf, &[]);
    assert!(info.contains("(A4)"), "not A4:\n{info}");
}

const ANNEX_HEADER: &str = "序号姓名身份证号联系电话部门宿舍最近核酸结果日期";

#[test]
fn the_application_form_says_who_and_carries_its_annex() {
    let form = fx::application_form(5);
    let pdf = render_application_form(&form).expect("render");
    assert_a4(&pdf);
    let text = text_of(&pdf);
    for wanted in [
        "企业复工复产申请信息表",
        fx::COMPANY,
        fx::CREDIT_CODE,
        "C 制造业 / 36 汽车制造业",
        "浦东新区第三批",
        "防疫联络员周海燕",
        "工业企业复工复产疫情防控自查表（第二版）",
        &form.selfcheck.answers_sha256,
        "共 5 人",
        "法定代表人（签字）：",
        "经办人（签字）：",
        "企业（盖章）：",
        "日期：",
        "附件：返岗人员名单",
        fx::FIRST_STAFF,
        &form.staff[4].id_number,
        "表单编号 a3f09c1d7b2e4856",
    ] {
        assert_has(&text, wanted);
    }
    let pages = pages_of(&pdf);
    assert_eq!(pages, 2, "form and a 5-person annex");
    assert_has(&text, "第 2 页 / 共 2 页");
    assert_has(&page_text(&pdf, 2), ANNEX_HEADER);
    // The annex starts on a page of its own.
    assert!(!page_text(&pdf, 1).contains(fx::FIRST_STAFF));
    assert_has(
        &page_text(&pdf, 2),
        "《企业复工复产申请信息表》附件，共 5 人",
    );

    let mut form = fx::application_form(5);
    form.whitelist_batch = None;
    form.contacts.clear();
    assert_has(
        &text_of(&render_application_form(&form).expect("render")),
        "未纳入",
    );
}

#[test]
fn the_commitment_letter_weaves_in_the_company() {
    let letter = fx::commitment_letter(5);
    let pdf = render_commitment_letter(&letter).expect("render");
    assert_a4(&pdf);
    let text = text_of(&pdf);
    for wanted in [
        "疫情防控承诺书",
        "浦东新区疫情防控和复工复产工作专班：",
        fx::COMPANY,
        fx::CREDIT_CODE,
        "本企业位于浦东新区防范区，复工后拟在岗 320 人，其中返岗人员 5 人",
        "不少于 14 天",
        "按照防范区的要求",
        "落实宿舍管理",
        "法定代表人（签字）：",
        "企业（盖章）：",
        fx::FIRST_STAFF,
        "表单编号 5be1d04a9c7f3e21",
    ] {
        assert_has(&text, wanted);
    }
    assert_has(&page_text(&pdf, pages_of(&pdf)), ANNEX_HEADER);
}

#[test]
fn the_receipt_shows_the_package_and_the_steps() {
    let receipt = fx::receipt();
    let pdf = render_receipt(&receipt).expect("render");
    assert_a4(&pdf);
    let text = text_of(&pdf);
    for wanted in [
        "复工申请提交回执",
        fx::COMPANY,
        fx::CREDIT_CODE,
        "APP-2022-0506-7F3A91C2",
        fx::PACKAGE_SHA256,
        fx::RECEIPT_NO,
        "第 2 次提交（补正后重新提交）",
        "沪浦复工〔2022〕第 0317 号",
        "2.4 MB",
        &receipt.materials[1].sha256,
        "Prevention_and_Closed-Loop_Management_Plan_v2_FINAL_20220505.pdf",
        "不是政府部门出具的正式文书",
    ] {
        assert_has(&text, wanted);
    }

    let mut pending = fx::receipt();
    pending.certificate_no = None;
    pending.round = 1;
    let text = text_of(&render_receipt(&pending).expect("render"));
    assert!(
        !text.contains("白名单证明编号"),
        "no certificate, yet:\n{text}"
    );
    assert_has(&text, "首次提交");
}

#[test]
fn same_input_gives_same_bytes() {
    let form = fx::application_form(30);
    let letter = fx::commitment_letter(30);
    let receipt = fx::receipt();
    let first = (
        render_application_form(&form).expect("form"),
        render_commitment_letter(&letter).expect("letter"),
        render_receipt(&receipt).expect("receipt"),
    );
    // Again on another thread, after other documents: no state leaks into the bytes.
    let again = std::thread::spawn(move || {
        render_receipt(&fx::receipt_markup()).expect("another");
        (
            render_application_form(&form).expect("form"),
            render_commitment_letter(&letter).expect("letter"),
            render_receipt(&receipt).expect("receipt"),
        )
    })
    .join()
    .expect("thread");
    assert!(first.0 == again.0, "two renders of one form differ");
    assert!(first.1 == again.1, "two renders of one letter differ");
    assert!(first.2 == again.2, "two renders of one receipt differ");

    // One changed staff line is another document, with another identifier.
    let mut other = fx::application_form(30);
    other.staff[29].phone = "13900000000".to_owned();
    let other = render_application_form(&other).expect("render");
    assert!(other != first.0);
    // The trailer's `/ID[(document id)(instance id)]`: the first is made from the identifier
    // this crate derives, the second from the bytes.
    let id = |pdf: &[u8]| {
        let s = String::from_utf8_lossy(pdf).into_owned();
        let at = s.rfind("/ID[(").expect("a PDF identifier") + 5;
        let len = s[at..].find(')').expect("the identifier's end");
        s[at..at + len].to_owned()
    };
    assert!(
        id(&other) != id(&first.0),
        "the same identifier for different data"
    );
}

#[test]
fn markup_in_user_text_prints_literally() {
    let form = fx::application_form_markup();
    let text = text_of(&render_application_form(&form).expect("form"));
    for wanted in [
        fx::MARKUP,
        &form.address,
        "= 不是标题",
        "*第三批*",
        "[张三]",
        "#emph[李四]",
        "<label> @ref",
    ] {
        assert_has(&text, wanted);
    }
    let letter = fx::commitment_letter_markup();
    let pdf = render_commitment_letter(&letter).expect("letter");
    assert_a4(&pdf);
    let text = text_of(&pdf);
    for wanted in [fx::MARKUP, "#let x = 1疫情防控", "$防范区$", "#emph[李四]"] {
        assert_has(&text, wanted);
    }
    let text = text_of(&render_receipt(&fx::receipt_markup()).expect("receipt"));
    for wanted in [
        fx::MARKUP,
        "*已批准*",
        "$需要$ #补充 [签字]",
        "#image(\"/etc/passwd\").pdf",
    ] {
        assert_has(&text, wanted);
    }
}

/// 400 people: the annex runs over many pages, each with the table's header, and the last
/// person makes it. (Unoptimised typst lays out a table cell in about 1.5 ms, so a debug test
/// keeps the list short; the time is printed with `-- --nocapture`, never asserted.)
#[test]
fn a_long_annex_paginates_with_its_header_on_every_page() {
    let form = fx::application_form(400);
    let started = Instant::now();
    let pdf = render_application_form(&form).expect("render");
    eprintln!(
        "application form, 400 staff: {:.2} s, {} bytes",
        started.elapsed().as_secs_f64(),
        pdf.len()
    );
    let pages = pages_of(&pdf);
    assert!(pages > 6, "400 rows on {pages} pages");
    for page in [2, pages / 2, pages] {
        let text = page_text(&pdf, page);
        assert_has(&text, ANNEX_HEADER);
        assert_has(&text, &format!("第 {page} 页 / 共 {pages} 页"));
        assert_has(&text, "表单编号 a3f09c1d7b2e4856");
    }
    let last = page_text(&pdf, pages);
    assert_has(&last, &format!("400{}", form.staff[399].name));
    assert_has(&last, &form.staff[399].id_number);

    // The letter's annex is the same table; a shorter list keeps the test quick.
    let pdf = render_commitment_letter(&fx::commitment_letter(200)).expect("render");
    let pages = pages_of(&pdf);
    assert!(pages > 4, "200 rows on {pages} pages");
    assert_has(&page_text(&pdf, pages), ANNEX_HEADER);
}

#[test]
fn an_empty_annex_still_renders() {
    let text = text_of(&render_commitment_letter(&fx::commitment_letter(0)).expect("render"));
    assert_has(&text, "（无返岗人员）");
    assert_has(&text, "返岗人员 0 人");
}

#[test]
fn bad_input_is_refused_with_a_code() {
    let mut form = fx::application_form(1);
    form.date = "2022-5-6".into();
    let err = render_application_form(&form).expect_err("a bad date");
    assert_eq!(err.code(), "REPORT_INVALID_INPUT");
    assert!(err.to_string().contains("date"), "{err}");

    let mut form = fx::application_form(1);
    form.selfcheck.finished_on = "2022-02-30".into();
    let err = render_application_form(&form).expect_err("a bad self-check date");
    assert!(err.to_string().contains("selfcheck.finished_on"), "{err}");

    let mut form = fx::application_form(1);
    form.selfcheck.answers_sha256 = "abc".into();
    let err = render_application_form(&form).expect_err("a bad digest");
    assert!(
        err.to_string().contains("selfcheck.answers_sha256"),
        "{err}"
    );

    let mut letter = fx::commitment_letter(1);
    letter.date = "06/05/2022".into();
    let err = render_commitment_letter(&letter).expect_err("a bad date");
    assert_eq!(err.code(), "REPORT_INVALID_INPUT");

    let mut receipt = fx::receipt();
    receipt.package_sha256 = "g".repeat(64);
    let err = render_receipt(&receipt).expect_err("a bad package digest");
    assert!(err.to_string().contains("package_sha256"), "{err}");

    let mut receipt = fx::receipt();
    receipt.selfcheck.answers_sha256.pop();
    assert_eq!(
        render_receipt(&receipt).expect_err("short").code(),
        "REPORT_INVALID_INPUT"
    );
}

#[test]
fn forms_round_trip_through_json() {
    let form = fx::application_form(3);
    let back: yiqifu_report::ApplicationForm =
        serde_json::from_str(&serde_json::to_string(&form).expect("json")).expect("parse");
    assert_eq!(back, form);
    let receipt = fx::receipt();
    let back: yiqifu_report::Receipt =
        serde_json::from_str(&serde_json::to_string(&receipt).expect("json")).expect("parse");
    assert_eq!(back, receipt);
}
