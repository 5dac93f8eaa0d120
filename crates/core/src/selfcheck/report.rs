//! A finished self-check as the report crate lays it out.

use yiqifu_protocol::profile::industry_label;
use yiqifu_protocol::selfcheck::{answer_text, Lang};
use yiqifu_protocol::{CompanyProfile, EnterpriseProfile};
use yiqifu_report::{ItemStatus as Mark, ReportFact, ReportItem, ReportSection, SelfCheckReport};

use super::{ItemStatus, RunView};
use crate::error::{Error, Result};

/// What of the profile the items shown and their minimums hang on, as the report states it.
fn facts(p: &CompanyProfile) -> Vec<ReportFact> {
    let fact = |label: &str, value: String| ReportFact {
        label: label.into(),
        value,
    };
    let risk = p.risk_area.name_zh();
    vec![
        fact("所在区", p.district.clone()),
        fact(
            "行业",
            industry_label(&p.industry_section, &p.industry_division),
        ),
        fact(
            "员工与在岗",
            format!("员工 {} 人，在岗 {} 人", p.headcount, p.on_site),
        ),
        fact("风险区域", risk.into()),
        fact(
            "员工住宿",
            if p.dormitories {
                "厂区内住宿"
            } else {
                "不在厂区住宿"
            }
            .into(),
        ),
    ]
}

pub(super) fn render(account: &EnterpriseProfile, run: &RunView) -> Result<Vec<u8>> {
    let sections = run
        .template
        .sections
        .iter()
        .filter_map(|s| {
            let items: Vec<ReportItem> = s
                .items
                .iter()
                .filter_map(|item| {
                    let state = run.items.iter().find(|i| i.item_id == item.id)?;
                    if state.status == ItemStatus::Hidden {
                        return None;
                    }
                    let answer = match (&state.answer, &state.file) {
                        (_, Some(f)) => f.filename.clone(),
                        (Some(v), None) => answer_text(Some(item), v, Lang::Zh),
                        (None, None) => "未作答".into(),
                    };
                    let judged = item.pass.is_some() || item.required;
                    let status = match state.status {
                        ItemStatus::Fail => Mark::Fail,
                        ItemStatus::Open if item.required => Mark::Fail,
                        ItemStatus::Pass if judged => Mark::Pass,
                        _ => Mark::NotJudged,
                    };
                    Some(ReportItem {
                        prompt: item.prompt.clone(),
                        answer,
                        status,
                        note: state.problem_zh.clone(),
                    })
                })
                .collect();
            (!items.is_empty()).then(|| ReportSection {
                title: s.title.clone(),
                items,
            })
        })
        .collect();
    let report = SelfCheckReport {
        company_name: account.name.clone(),
        credit_code: account.credit_code.clone(),
        address: run.profile.address.clone(),
        facts: facts(&run.profile),
        template_title: run.template.title.clone(),
        template_id: run.template.id.clone(),
        template_version: run.template.version,
        date: run.summary.finished_on.clone(),
        passed: run.summary.passed,
        sections,
        answers_sha256: run.sha256.clone(),
    };
    yiqifu_report::render(&report).map_err(|e| Error::Report {
        code: e.code(),
        detail: e.to_string(),
    })
}
