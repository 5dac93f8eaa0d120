//! The self-check report's data as its layout (`report.typ`) reads it.

use serde::Serialize;
use typst::foundations::Bytes;

use crate::world::{to_json, Layout, Printable};
use crate::{Error, ItemStatus, SelfCheckReport};

/// What the layout reads: the report's fields, plus the few strings easier made here.
#[derive(Serialize)]
struct LayoutData<'a> {
    company_name: &'a str,
    credit_code: &'a str,
    address: &'a str,
    facts: &'a [crate::ReportFact],
    template_title: &'a str,
    template_id: &'a str,
    template_version: u32,
    date: &'a str,
    passed: bool,
    /// 通过 / 未通过.
    verdict: &'static str,
    sections: Vec<LayoutSection<'a>>,
    answers_sha256: &'a str,
}

#[derive(Serialize)]
struct LayoutSection<'a> {
    title: &'a str,
    items: Vec<LayoutItem<'a>>,
}

#[derive(Serialize)]
struct LayoutItem<'a> {
    prompt: &'a str,
    answer: &'a str,
    /// pass / fail / not_judged, for the colour.
    status: ItemStatus,
    /// 符合 / 不符合 / 不评判.
    status_label: &'static str,
    note: Option<&'a str>,
}

fn status_label(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Pass => "符合",
        ItemStatus::Fail => "不符合",
        ItemStatus::NotJudged => "不评判",
    }
}

impl Printable for SelfCheckReport {
    const LAYOUT: Layout = Layout {
        main: ("/report.typ", include_str!("report.typ")),
        modules: &[],
        data_path: "/report.json",
    };

    fn layout_data(&self) -> Result<Bytes, Error> {
        let report = self;
        let data = LayoutData {
            company_name: &report.company_name,
            credit_code: &report.credit_code,
            address: &report.address,
            facts: &report.facts,
            template_title: &report.template_title,
            template_id: &report.template_id,
            template_version: report.template_version,
            date: &report.date,
            passed: report.passed,
            answers_sha256: &report.answers_sha256,
            verdict: if report.passed { "通过" } else { "未通过" },
            sections: report
                .sections
                .iter()
                .map(|s| LayoutSection {
                    title: &s.title,
                    items: s
                        .items
                        .iter()
                        .map(|i| LayoutItem {
                            prompt: &i.prompt,
                            answer: &i.answer,
                            status: i.status,
                            status_label: status_label(i.status),
                            note: i.note.as_deref().filter(|n| !n.trim().is_empty()),
                        })
                        .collect(),
                })
                .collect(),
        };
        to_json(&data)
    }
}

/// Stable across renders of the same self-check, distinct between companies and answer sets.
pub(crate) fn ident(report: &SelfCheckReport) -> String {
    format!(
        "yiqifu-self-check/{}/{}/{}/{}",
        report.credit_code, report.template_id, report.template_version, report.answers_sha256
    )
}
