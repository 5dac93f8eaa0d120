//! A company profile and self-check answers that pass, built from the published template
//! alone: for the service's tests and for the load generator, which submits applications as
//! officers would.

use yiqifu_protocol::profile::{section_of_name, INDUSTRY_SECTIONS};
use yiqifu_protocol::selfcheck::visible_items;
use yiqifu_protocol::{
    evaluate, Answer, AnswerValue, CompanyProfile, Contact, ItemKind, RiskArea, SelfCheckTemplate,
    TemplateItem,
};

/// A valid profile in `district` and the industry section named `industry`, its site the
/// `i`-th: a precaution area, with dormitories.
pub fn profile(district: &str, industry: &str, i: usize) -> CompanyProfile {
    let section = section_of_name(industry).expect("an industry section's name");
    let first_division = INDUSTRY_SECTIONS
        .iter()
        .find(|s| s.0 == section)
        .map(|s| s.3)
        .expect("a section of the table");
    let p = CompanyProfile {
        address: format!("上海市{district}复工路 {} 号", i + 1),
        district: district.into(),
        industry_section: section.into(),
        industry_division: format!("{first_division:02}"),
        headcount: 200,
        on_site: 120,
        contacts: vec![Contact {
            name: "王敏".into(),
            role: "行政人事经理".into(),
            phone: "13916001234".into(),
        }],
        risk_area: RiskArea::Precaution,
        dormitories: true,
        whitelist_batch: None,
    };
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    p
}

/// A number that meets the item's rule and its constraint.
fn passing_number(item: &TemplateItem, who: &CompanyProfile) -> f64 {
    let pass = item.pass.clone().unwrap_or_default();
    let c = item.constraint.clone().unwrap_or_default();
    let per_person = pass.min_per_on_site.map(|m| m * f64::from(who.on_site));
    let lo = [pass.min, per_person, c.min]
        .into_iter()
        .flatten()
        .reduce(f64::max);
    let hi = [pass.max, c.max].into_iter().flatten().reduce(f64::min);
    let mut n = lo.or(hi).unwrap_or(1.0);
    if c.integer {
        n = if lo.is_some() { n.ceil() } else { n.floor() };
    }
    assert!(
        lo.is_none_or(|l| n >= l) && hi.is_none_or(|h| n <= h),
        "{}: no number passes",
        item.id
    );
    n
}

/// A date that meets the item's rule and its constraint.
fn passing_date(item: &TemplateItem) -> String {
    let pass = item.pass.clone().unwrap_or_default();
    let c = item.constraint.clone().unwrap_or_default();
    let mut d = "2022-05-20".to_string();
    for max in [pass.not_after, c.not_after].into_iter().flatten() {
        if d > max {
            d = max;
        }
    }
    if let Some(min) = c.not_before {
        if d < min {
            d = min;
        }
    }
    d
}

/// Answers that pass every visible item, built in template order so each item's condition
/// sees the answers before it. An evidence item's answer names its material type: the
/// caller uploads a file of that type and puts the upload's id in its place.
pub fn passing(t: &SelfCheckTemplate, who: &CompanyProfile) -> Vec<Answer> {
    let mut answers: Vec<Answer> = Vec::new();
    for item in t.items() {
        let shown = visible_items(t, who, &answers)
            .iter()
            .any(|i| i.id == item.id);
        if !shown {
            continue;
        }
        let pass = item.pass.clone().unwrap_or_default();
        let value = match item.kind {
            ItemKind::YesNo => AnswerValue::YesNo(pass.equals.unwrap_or(true)),
            ItemKind::Number => AnswerValue::Number(passing_number(item, who)),
            ItemKind::Date => AnswerValue::Date(passing_date(item)),
            ItemKind::Choice => AnswerValue::Choice(
                pass.any_of
                    .and_then(|v| v.first().cloned())
                    .or_else(|| {
                        item.choices
                            .as_ref()
                            .and_then(|c| c.first())
                            .map(|c| c.id.clone())
                    })
                    .expect("a choice item has choices"),
            ),
            ItemKind::Text => {
                let max = item
                    .constraint
                    .as_ref()
                    .and_then(|c| c.max_chars)
                    .unwrap_or(u32::MAX) as usize;
                AnswerValue::Text(
                    "已按要求落实，相关记录留存备查。"
                        .chars()
                        .take(max)
                        .collect(),
                )
            }
            ItemKind::Evidence => AnswerValue::Evidence(
                item.material_type
                    .clone()
                    .expect("an evidence item names its material"),
            ),
        };
        answers.push(Answer {
            item_id: item.id.clone(),
            value,
        });
    }
    let verdict = evaluate(t, who, &answers);
    assert!(
        verdict.passed,
        "the generated answers must pass: {:?}",
        verdict.failures
    );
    answers
}
