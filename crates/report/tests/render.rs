//! The rendered PDF, read back with poppler's pdftotext and pdfinfo.

mod common;

use common::{poppler, COMPANY, MARKUP_COMPANY};
use yiqifu_report::{render, ItemStatus};

/// pdftotext breaks lines and drops or keeps spaces around CJK text as it sees fit; compare
/// text with all white space removed.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn text_of(pdf: &[u8]) -> String {
    squash(&poppler("pdftotext", pdf, &["-enc", "UTF-8"]))
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

#[test]
fn same_input_gives_same_bytes() {
    let report = common::industrial();
    let first = render(&report).expect("render");
    // Something else laid out in between, and a render on another thread: no state leaks.
    render(&common::long(12)).expect("render another");
    let again = std::thread::spawn({
        let report = report.clone();
        move || render(&report).expect("render on a thread")
    })
    .join()
    .expect("thread");
    assert!(first == again, "two renders of one report differ");
    assert!(first.starts_with(b"%PDF-"));

    let mut other = report.clone();
    other.answers_sha256 = "0".repeat(64);
    assert!(
        render(&other).expect("render") != first,
        "a different report, the same bytes"
    );
}

#[test]
fn the_pdf_says_who_what_and_the_verdict() {
    let report = common::industrial();
    let pdf = render(&report).expect("render");
    let text = text_of(&pdf);
    assert_has(&text, COMPANY); // with 䶮, CJK Extension A
    assert_has(&text, "复工复产疫情防控自查报告");
    assert_has(&text, &report.template_title);
    assert_has(&text, "91310115MA1K4C7P2E");
    assert_has(&text, "上海市浦东新区川沙路 5558 号 3 幢");
    // The facts the verdict depended on.
    assert_has(&text, "风险区域");
    assert_has(&text, "防范区");
    assert_has(&text, "industrial-guideline，第 2 版");
    assert_has(&text, "2022-05-06");
    assert_has(&text, "未通过");
    // A Chinese answer, a failing item with its status and its note.
    assert_has(&text, "每间不超过 4 人");
    assert_has(
        &text,
        "抗原检测试剂储备是否满足全体在岗人员不少于 14 天的使用量？",
    );
    assert_has(&text, "9 天");
    assert_has(&text, "不符合");
    assert_has(&text, "需不少于 14 天，当前 9 天");
    assert_has(&text, "不评判");
    assert_has(&text, "共 45 项：符合 41 项，不符合 2 项，不评判 2 项");
    // The footer block.
    assert_has(&text, &format!("答卷 SHA-256：{}", report.answers_sha256));
    assert_has(&text, "企业负责人（签字）：");
    assert_has(&text, "企业（盖章）：");
    assert_has(&text, "日期：");
    let pages = pages_of(&pdf);
    assert_has(&text, &format!("第 1 页 / 共 {pages} 页"));

    let passed = text_of(&render(&common::industrial_passed()).expect("render"));
    assert_has(&passed, "通过");
    assert!(!passed.contains("未通过"), "a passing report says 未通过");
    // 不符合 only in the summary line, as its count.
    assert_has(&passed, "不符合 0 项");
    assert_eq!(
        passed.matches("不符合").count(),
        1,
        "a passing report lists 不符合"
    );
}

#[test]
fn markup_in_user_text_prints_literally() {
    let report = common::markup();
    let pdf = render(&report).expect("render");
    let text = text_of(&pdf);
    assert_has(&text, MARKUP_COMPANY);
    assert_has(&text, &report.template_title);
    assert_has(&text, &report.sections[0].title);
    assert_has(&text, &report.sections[0].items[0].prompt);
    assert_has(&text, "$需要$ #补充 [签字] *页*");
    // The long file name wraps inside its cell, and its text stays whole.
    assert_has(&text, &report.sections[0].items[0].answer);
    assert_has(&text, "未填写"); // the empty address
                                 // Had `#set page(width: 1cm)` been obeyed, the page would not be A4.
    let info = poppler("pdfinfo", &pdf, &[]);
    assert!(info.contains("(A4)"), "not A4:\n{info}");
}

#[test]
fn a_long_report_paginates_with_page_numbers() {
    let report = common::long(60);
    let pdf = render(&report).expect("render");
    let pages = pages_of(&pdf);
    assert!(pages > 1, "60 long items on {pages} page");
    let text = text_of(&pdf);
    for page in 1..=pages {
        assert_has(&text, &format!("第 {page} 页 / 共 {pages} 页"));
    }
    // Every item made it, the last one too.
    assert_has(&text, "第 60 项：企业是否已按照");
    assert_has(&text, "第 53 项需补充记录");
}

#[test]
fn an_empty_checklist_still_renders() {
    let mut report = common::industrial();
    report.sections.clear();
    report.passed = true;
    let text = text_of(&render(&report).expect("render"));
    assert_has(&text, "共 0 项");
    assert_has(&text, "企业负责人（签字）：");
}

#[test]
fn bad_input_is_refused_with_a_code() {
    let mut report = common::industrial();
    report.date = "2022-13-01".into();
    let err = render(&report).expect_err("a bad date");
    assert_eq!(err.code(), "REPORT_INVALID_INPUT");
    assert!(err.to_string().contains(" / invalid report data"), "{err}");

    let mut report = common::industrial();
    report.answers_sha256 = "not a digest".into();
    assert_eq!(
        render(&report).expect_err("a bad digest").code(),
        "REPORT_INVALID_INPUT"
    );
}

#[test]
fn status_serializes_in_snake_case() {
    let json = serde_json::to_string(&ItemStatus::NotJudged).expect("json");
    assert_eq!(json, "\"not_judged\"");
    let report = common::industrial();
    let back: yiqifu_report::SelfCheckReport =
        serde_json::from_str(&serde_json::to_string(&report).expect("json")).expect("parse");
    assert_eq!(back, report);
}
