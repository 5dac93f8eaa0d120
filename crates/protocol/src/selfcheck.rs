//! Judging a self-check against its template: the client shows the verdict as the officer
//! answers, and the service applies the same rules before it takes an application. Pure and
//! deterministic: no clock, no I/O, and no template or answer can make it panic.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use specta::Type;
use utoipa::ToSchema;

use crate::catalog::{
    Condition, Constraint, Expected, ItemKind, ProfileField, SelfCheckTemplate, TemplateItem,
    ValueTest,
};
use crate::profile::CompanyProfile;
use crate::records::{Answer, AnswerValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// A required, visible item has no answer.
    Missing,
    /// The answer's kind is not the item's.
    WrongKind,
    /// The answer breaks the item's constraint: it cannot be a real answer.
    Invalid,
    /// The answer does not meet the item's pass rule.
    NotMet,
    /// The answer names an item the template does not have.
    UnknownItem,
    /// The chosen option is not one of the item's.
    UnknownChoice,
}

/// What the item asked for, when an answer fell short of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Need {
    Equals {
        value: bool,
    },
    /// `min` is already scaled by the staff on site where the rule says so.
    AtLeast {
        min: f64,
    },
    AtMost {
        max: f64,
    },
    OneOf {
        ids: Vec<String>,
    },
    NotAfter {
        date: String,
    },
    NotEmpty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct ItemFailure {
    pub item_id: String,
    pub reason: FailureReason,
    /// For `not_met`: the rule that was not met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<Need>,
    /// The answer given, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct Verdict {
    pub passed: bool,
    pub failures: Vec<ItemFailure>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Zh,
    En,
}

fn kind_of(v: &AnswerValue) -> ItemKind {
    match v {
        AnswerValue::YesNo(_) => ItemKind::YesNo,
        AnswerValue::Number(_) => ItemKind::Number,
        AnswerValue::Date(_) => ItemKind::Date,
        AnswerValue::Choice(_) => ItemKind::Choice,
        AnswerValue::Text(_) => ItemKind::Text,
        AnswerValue::Evidence(_) => ItemKind::Evidence,
    }
}

/// A value a condition can test.
enum Val<'a> {
    Text(&'a str),
    Num(f64),
    Bool(bool),
}

fn profile_value(profile: &CompanyProfile, field: ProfileField) -> Option<Val<'_>> {
    Some(match field {
        ProfileField::District => Val::Text(&profile.district),
        ProfileField::Industry => Val::Text(&profile.industry_section),
        ProfileField::IndustryDivision => Val::Text(&profile.industry_division),
        ProfileField::RiskArea => Val::Text(profile.risk_area.as_str()),
        ProfileField::Headcount => Val::Num(f64::from(profile.headcount)),
        ProfileField::OnSite => Val::Num(f64::from(profile.on_site)),
        ProfileField::Dormitories => Val::Bool(profile.dormitories),
        ProfileField::Unknown => return None,
    })
}

fn answer_value(v: &AnswerValue) -> Val<'_> {
    match v {
        AnswerValue::YesNo(b) => Val::Bool(*b),
        AnswerValue::Number(n) => Val::Num(*n),
        AnswerValue::Date(s)
        | AnswerValue::Choice(s)
        | AnswerValue::Text(s)
        | AnswerValue::Evidence(s) => Val::Text(s),
    }
}

fn holds(test: &ValueTest, value: Option<Val<'_>>) -> bool {
    let Some(value) = value else {
        return false;
    };
    if test.equals.is_none()
        && test.any_of.is_none()
        && test.at_least.is_none()
        && test.at_most.is_none()
    {
        return false;
    }
    let equals = test
        .equals
        .as_ref()
        .is_none_or(|want| match (want, &value) {
            (Expected::Bool(w), Val::Bool(b)) => w == b,
            (Expected::Text(w), Val::Text(t)) => w == t,
            _ => false,
        });
    let any_of = test
        .any_of
        .as_ref()
        .is_none_or(|ids| matches!(&value, Val::Text(t) if ids.iter().any(|i| i == t)));
    let number = |bound: Option<f64>, ok: fn(f64, f64) -> bool| {
        bound.is_none_or(|b| matches!(value, Val::Num(n) if n.is_finite() && ok(n, b)))
    };
    equals && any_of && number(test.at_least, |n, b| n >= b) && number(test.at_most, |n, b| n <= b)
}

/// Conditions nest at most this deep; deeper ones never hold, so a hostile template cannot
/// exhaust the stack.
const MAX_DEPTH: usize = 32;

fn condition_holds(
    c: &Condition,
    profile: &CompanyProfile,
    answers: &HashMap<&str, &AnswerValue>,
    depth: usize,
) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match c {
        Condition::All(cs) => cs
            .iter()
            .all(|c| condition_holds(c, profile, answers, depth + 1)),
        Condition::Any(cs) => cs
            .iter()
            .any(|c| condition_holds(c, profile, answers, depth + 1)),
        Condition::Not(c) => !condition_holds(c, profile, answers, depth + 1),
        Condition::Profile(p) => holds(&p.test, profile_value(profile, p.field)),
        Condition::Answer(a) => holds(
            &a.test,
            answers.get(a.item.as_str()).map(|v| answer_value(v)),
        ),
    }
}

/// The items shown for this profile and these answers, in template order. An item's
/// condition sees only the answers of items before it that are themselves shown, so hiding
/// an item hides what hangs on it, and no template can loop.
pub fn visible_items<'t>(
    template: &'t SelfCheckTemplate,
    profile: &CompanyProfile,
    answers: &[Answer],
) -> Vec<&'t TemplateItem> {
    let given: HashMap<&str, &AnswerValue> = answers
        .iter()
        .map(|a| (a.item_id.as_str(), &a.value))
        .collect();
    let mut seen: HashMap<&str, &AnswerValue> = HashMap::new();
    let mut out = Vec::new();
    for item in template.items() {
        let shown = item
            .show_if
            .as_ref()
            .is_none_or(|c| condition_holds(c, profile, &seen, 0));
        if shown {
            if let Some(v) = given.get(item.id.as_str()) {
                seen.insert(&item.id, v);
            }
            out.push(item);
        }
    }
    out
}

/// Whether `value` can be an answer to `item` at all: its kind, its choice and its
/// constraint. The wizard calls it as the officer types.
pub fn check_answer(item: &TemplateItem, value: &AnswerValue) -> Result<(), FailureReason> {
    if kind_of(value) != item.kind {
        return Err(FailureReason::WrongKind);
    }
    if let (AnswerValue::Choice(id), Some(choices)) = (value, &item.choices) {
        if !choices.iter().any(|c| &c.id == id) {
            return Err(FailureReason::UnknownChoice);
        }
    }
    if let AnswerValue::Number(n) = value {
        if !n.is_finite() {
            return Err(FailureReason::Invalid);
        }
    }
    if let AnswerValue::Date(d) = value {
        if !is_iso_date(d) {
            return Err(FailureReason::Invalid);
        }
    }
    match &item.constraint {
        Some(c) if !within(c, value) => Err(FailureReason::Invalid),
        _ => Ok(()),
    }
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn within(c: &Constraint, value: &AnswerValue) -> bool {
    match value {
        AnswerValue::Number(n) => {
            c.min.is_none_or(|m| *n >= m)
                && c.max.is_none_or(|m| *n <= m)
                && (!c.integer || n.fract() == 0.0)
        }
        // ISO dates compare correctly as text.
        AnswerValue::Date(d) => {
            c.not_before
                .as_ref()
                .is_none_or(|m| d.as_str() >= m.as_str())
                && c.not_after
                    .as_ref()
                    .is_none_or(|m| d.as_str() <= m.as_str())
        }
        AnswerValue::Text(t) => c.max_chars.is_none_or(|m| t.chars().count() <= m as usize),
        _ => true,
    }
}

/// The first rule of `item` the answer does not meet.
fn unmet(item: &TemplateItem, profile: &CompanyProfile, value: &AnswerValue) -> Option<Need> {
    let rule = item.pass.as_ref();
    match value {
        AnswerValue::YesNo(b) => {
            let want = rule?.equals?;
            (*b != want).then_some(Need::Equals { value: want })
        }
        AnswerValue::Number(n) => {
            let rule = rule?;
            let scaled = rule
                .min_per_on_site
                .map(|per| per * f64::from(profile.on_site));
            let min = match (rule.min, scaled) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            // A NaN answer meets no bound.
            if let Some(min) = min.filter(|m| n.is_nan() || *n < *m) {
                return Some(Need::AtLeast { min });
            }
            rule.max
                .filter(|m| n.is_nan() || *n > *m)
                .map(|max| Need::AtMost { max })
        }
        AnswerValue::Choice(id) => {
            let ids = rule?.any_of.as_ref()?;
            (!ids.contains(id)).then(|| Need::OneOf { ids: ids.clone() })
        }
        AnswerValue::Date(d) => {
            let max = rule?.not_after.as_ref()?;
            (d.as_str() > max.as_str()).then(|| Need::NotAfter { date: max.clone() })
        }
        AnswerValue::Text(t) => t.trim().is_empty().then_some(Need::NotEmpty),
        AnswerValue::Evidence(id) => id.is_empty().then_some(Need::NotEmpty),
    }
}

/// Judges `answers`: every visible required item answered, every answer of the right kind,
/// within its constraint and meeting its rule. Answers to hidden items are ignored.
pub fn evaluate(
    template: &SelfCheckTemplate,
    profile: &CompanyProfile,
    answers: &[Answer],
) -> Verdict {
    let by_id: HashMap<&str, &AnswerValue> = answers
        .iter()
        .map(|a| (a.item_id.as_str(), &a.value))
        .collect();
    let known: HashSet<&str> = template.items().map(|i| i.id.as_str()).collect();
    let mut failures = Vec::new();
    for a in answers {
        if !known.contains(a.item_id.as_str()) {
            failures.push(ItemFailure {
                item_id: a.item_id.clone(),
                reason: FailureReason::UnknownItem,
                need: None,
                answer: Some(a.value.clone()),
            });
        }
    }
    for item in visible_items(template, profile, answers) {
        let given = by_id.get(item.id.as_str()).copied();
        let outcome = match given {
            None if item.required => Err((FailureReason::Missing, None)),
            None => Ok(()),
            Some(v) => check_answer(item, v).map_err(|r| (r, None)).and_then(|()| {
                match unmet(item, profile, v) {
                    Some(need) => Err((FailureReason::NotMet, Some(need))),
                    None => Ok(()),
                }
            }),
        };
        if let Err((reason, need)) = outcome {
            failures.push(ItemFailure {
                item_id: item.id.clone(),
                reason,
                need,
                answer: given.cloned(),
            });
        }
    }
    Verdict {
        passed: failures.is_empty(),
        failures,
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The measures a template's number items use: Chinese, then English for one and for more.
/// The app shows an item's unit from this list too, so a form and the answers it gives read
/// alike. A unit missing here stays as the template writes it.
pub const UNITS: [(&str, &str, &str); 12] = [
    ("天", "day", "days"),
    ("间", "room", "rooms"),
    ("次", "time", "times"),
    ("分钟", "minute", "minutes"),
    ("人", "person", "people"),
    ("只", "piece", "pieces"),
    ("个", "piece", "pieces"),
    ("份", "piece", "pieces"),
    ("件", "piece", "pieces"),
    ("瓶", "bottle", "bottles"),
    ("套", "set", "sets"),
    ("支", "unit", "units"),
];

fn unit_en(unit: &str, n: f64) -> &str {
    UNITS
        .iter()
        .find(|(zh, ..)| *zh == unit)
        .map_or(unit, |(_, one, many)| if n == 1.0 { one } else { many })
}

fn with_unit(n: f64, unit: Option<&str>, lang: Lang) -> String {
    match (unit, lang) {
        (None, _) => number(n),
        (Some(u), Lang::Zh) => format!("{} {u}", number(n)),
        (Some(u), Lang::En) => format!("{} {}", number(n), unit_en(u, n)),
    }
}

/// How an answer reads to a person: 是 / 14 天 / the choice's label.
pub fn answer_text(item: Option<&TemplateItem>, value: &AnswerValue, lang: Lang) -> String {
    let unit = item.and_then(|i| i.unit.as_deref());
    match value {
        AnswerValue::YesNo(b) => match (b, lang) {
            (true, Lang::Zh) => "是".into(),
            (false, Lang::Zh) => "否".into(),
            (true, Lang::En) => "yes".into(),
            (false, Lang::En) => "no".into(),
        },
        AnswerValue::Number(n) => with_unit(*n, unit, lang),
        AnswerValue::Choice(id) => choice_label(item, id),
        AnswerValue::Date(s) | AnswerValue::Text(s) | AnswerValue::Evidence(s) => s.clone(),
    }
}

fn choice_label(item: Option<&TemplateItem>, id: &str) -> String {
    item.and_then(|i| i.choices.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.id == id))
        .map_or_else(|| id.to_string(), |c| c.label.clone())
}

/// Why an item fails and what would make it pass, in words: "需储备至少 14 天口罩，当前 9 天".
pub fn explain(item: Option<&TemplateItem>, failure: &ItemFailure, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let given = failure.answer.as_ref().map(|v| answer_text(item, v, lang));
    let now = |s: String| match (&given, zh) {
        (Some(g), true) => format!("{s}，当前为“{g}”"),
        (Some(g), false) => format!("{s}; the answer is “{g}”"),
        (None, _) => s,
    };
    match failure.reason {
        FailureReason::Missing if zh => "此项必答，尚未作答".into(),
        FailureReason::Missing => "This item is required and has no answer yet".into(),
        FailureReason::WrongKind if zh => "答案类型与此项不符，请重新作答".into(),
        FailureReason::WrongKind => {
            "The answer is of the wrong kind for this item; answer it again".into()
        }
        FailureReason::UnknownItem if zh => "自查表中已没有此项，其答案不计入".into(),
        FailureReason::UnknownItem => {
            "The template no longer has this item; its answer does not count".into()
        }
        FailureReason::UnknownChoice if zh => "所选选项已不在此项的选项中，请重新选择".into(),
        FailureReason::UnknownChoice => {
            "The chosen option is no longer one of this item's; choose again".into()
        }
        FailureReason::Invalid => {
            let c = item.and_then(|i| i.constraint.as_ref());
            let msg = match (c, zh) {
                (Some(c), true) => c.message.clone(),
                (Some(c), false) => c
                    .message_en
                    .clone()
                    .unwrap_or_else(|| "The answer is not a possible value".into()),
                (None, true) => "答案不是有效的值".into(),
                (None, false) => "The answer is not a possible value".into(),
            };
            now(msg)
        }
        FailureReason::NotMet => {
            let unit = item.and_then(|i| i.unit.as_deref());
            let hint = item
                .and_then(|i| i.pass.as_ref())
                .and_then(|p| p.hint.clone())
                .filter(|_| zh);
            let need = match (&failure.need, zh) {
                (Some(Need::Equals { value }), true) => {
                    format!("需为“{}”", if *value { "是" } else { "否" })
                }
                (Some(Need::Equals { value }), false) => {
                    format!("Needs “{}”", if *value { "yes" } else { "no" })
                }
                (Some(Need::AtLeast { min }), true) => {
                    format!("需不少于 {}", with_unit(*min, unit, lang))
                }
                (Some(Need::AtLeast { min }), false) => {
                    format!("Needs at least {}", with_unit(*min, unit, lang))
                }
                (Some(Need::AtMost { max }), true) => {
                    format!("需不超过 {}", with_unit(*max, unit, lang))
                }
                (Some(Need::AtMost { max }), false) => {
                    format!("Needs at most {}", with_unit(*max, unit, lang))
                }
                (Some(Need::OneOf { ids }), _) => {
                    let labels: Vec<String> = ids.iter().map(|id| choice_label(item, id)).collect();
                    if zh {
                        format!("需选择“{}”", labels.join("”或“"))
                    } else {
                        format!("Needs “{}”", labels.join("” or “"))
                    }
                }
                (Some(Need::NotAfter { date }), true) => format!("日期需不晚于 {date}"),
                (Some(Need::NotAfter { date }), false) => {
                    format!("The date must be {date} or earlier")
                }
                (Some(Need::NotEmpty) | None, true) => "需填写内容".into(),
                (Some(Need::NotEmpty) | None, false) => "Needs an answer with content".into(),
            };
            // A minimum scaled by the staff on site is a number the officer cannot see in the
            // guideline's words: say it too.
            let scaled = item
                .and_then(|i| i.pass.as_ref())
                .is_some_and(|p| p.min_per_on_site.is_some());
            match hint {
                Some(h) if scaled => now(format!("{h}（{need}）")),
                Some(h) => now(h),
                None => now(need),
            }
        }
    }
}

/// The answers as the report's hash covers them: those of shown items only, sorted by item,
/// in one line of JSON with the template they answer.
pub fn canonical_answers(
    template: &SelfCheckTemplate,
    profile: &CompanyProfile,
    answers: &[Answer],
) -> String {
    let shown: HashSet<&str> = visible_items(template, profile, answers)
        .into_iter()
        .map(|i| i.id.as_str())
        .collect();
    let mut kept: Vec<&Answer> = answers
        .iter()
        .filter(|a| shown.contains(a.item_id.as_str()))
        .collect();
    kept.sort_by(|a, b| a.item_id.cmp(&b.item_id));
    kept.dedup_by(|a, b| a.item_id == b.item_id);
    #[derive(Serialize)]
    struct Canonical<'a> {
        template_id: &'a str,
        template_version: u32,
        answers: Vec<&'a Answer>,
    }
    serde_json::to_string(&Canonical {
        template_id: &template.id,
        template_version: template.version,
        answers: kept,
    })
    .unwrap_or_default()
}

/// What a newer version of a template changed, item by item.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema, Type)]
pub struct TemplateDiff {
    pub added: Vec<String>,
    /// Same id, but a change that may change the answer: its question, kind, options, rule,
    /// constraint, whether it is required or when it is shown.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

fn same_question(a: &TemplateItem, b: &TemplateItem) -> bool {
    a.kind == b.kind
        && a.prompt == b.prompt
        && a.required == b.required
        && a.pass == b.pass
        && a.choices == b.choices
        && a.show_if == b.show_if
        && a.constraint == b.constraint
        && a.unit == b.unit
}

/// Items added, changed and removed from `old` to `new`, each in its template's order.
pub fn diff(old: &SelfCheckTemplate, new: &SelfCheckTemplate) -> TemplateDiff {
    let olds: HashMap<&str, &TemplateItem> = old.items().map(|i| (i.id.as_str(), i)).collect();
    let news: HashSet<&str> = new.items().map(|i| i.id.as_str()).collect();
    let mut d = TemplateDiff::default();
    for item in new.items() {
        match olds.get(item.id.as_str()) {
            None => d.added.push(item.id.clone()),
            Some(o) if !same_question(o, item) => d.changed.push(item.id.clone()),
            Some(_) => {}
        }
    }
    d.removed = old
        .items()
        .filter(|i| !news.contains(i.id.as_str()))
        .map(|i| i.id.clone())
        .collect();
    d
}

impl SelfCheckTemplate {
    /// What is wrong with a template as data: duplicate ids, conditions on items that do not
    /// come earlier, pass rules naming options the item does not have. Empty when it is sound.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut earlier: HashMap<&str, &TemplateItem> = HashMap::new();
        for item in self.items() {
            if earlier.contains_key(item.id.as_str()) {
                out.push(format!("{}: the id is used twice", item.id));
            }
            if let Some(c) = &item.show_if {
                let mut refs = Vec::new();
                answer_refs(c, &mut refs, 0);
                for r in refs {
                    if !earlier.contains_key(r) {
                        out.push(format!(
                            "{}: its condition reads {r}, which is not an earlier item",
                            item.id
                        ));
                    }
                }
            }
            if let (Some(ids), Some(choices)) = (
                item.pass.as_ref().and_then(|p| p.any_of.as_ref()),
                &item.choices,
            ) {
                for id in ids {
                    if !choices.iter().any(|c| &c.id == id) {
                        out.push(format!(
                            "{}: its pass rule names unknown option {id}",
                            item.id
                        ));
                    }
                }
            }
            if item.kind == ItemKind::Choice && item.choices.as_ref().is_none_or(Vec::is_empty) {
                out.push(format!("{}: a choice item without options", item.id));
            }
            earlier.insert(&item.id, item);
        }
        out
    }
}

fn answer_refs<'a>(c: &'a Condition, out: &mut Vec<&'a str>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match c {
        Condition::All(cs) | Condition::Any(cs) => {
            cs.iter().for_each(|c| answer_refs(c, out, depth + 1))
        }
        Condition::Not(c) => answer_refs(c, out, depth + 1),
        Condition::Answer(a) => out.push(&a.item),
        Condition::Profile(_) => {}
    }
}

#[cfg(test)]
mod tests;
