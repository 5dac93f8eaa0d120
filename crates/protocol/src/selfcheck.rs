//! Judging a self-check against its template: the client shows the verdict as the officer
//! answers, and the service applies the same rules before it takes an application.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use specta::Type;
use utoipa::ToSchema;

use crate::catalog::{Expected, ItemKind, SelfCheckTemplate, ShowIf, TemplateItem};
use crate::records::{Answer, AnswerValue};
use crate::EnterpriseProfile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// A required, visible item has no answer.
    Missing,
    /// The answer's kind is not the item's.
    WrongKind,
    /// The answer does not meet the item's pass rule.
    NotMet,
    /// The answer names an item the template does not have.
    UnknownItem,
    /// The chosen option is not one of the item's.
    UnknownChoice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct ItemFailure {
    pub item_id: String,
    pub reason: FailureReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct Verdict {
    pub passed: bool,
    pub failures: Vec<ItemFailure>,
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

/// Whether `item` is shown, given the profile and the answers so far.
pub fn visible(
    item: &TemplateItem,
    profile: &EnterpriseProfile,
    answers: &HashMap<&str, &AnswerValue>,
) -> bool {
    match &item.show_if {
        None => true,
        Some(ShowIf::Profile(c)) => match c.field.as_str() {
            "industry" => profile.industry == c.equals,
            "district" => profile.district == c.equals,
            _ => false,
        },
        Some(ShowIf::Answer(c)) => match (answers.get(c.item.as_str()), &c.equals) {
            (Some(AnswerValue::YesNo(b)), Expected::Bool(want)) => b == want,
            (Some(AnswerValue::Choice(id)), Expected::Text(want)) => id == want,
            _ => false,
        },
    }
}

fn meets(item: &TemplateItem, value: &AnswerValue) -> Result<(), FailureReason> {
    if kind_of(value) != item.kind {
        return Err(FailureReason::WrongKind);
    }
    if let (AnswerValue::Choice(id), Some(choices)) = (value, &item.choices) {
        if !choices.iter().any(|c| &c.id == id) {
            return Err(FailureReason::UnknownChoice);
        }
    }
    let Some(rule) = &item.pass else {
        return Ok(());
    };
    let ok = match value {
        AnswerValue::YesNo(b) => rule.equals.is_none_or(|want| *b == want),
        AnswerValue::Number(n) => {
            n.is_finite() && rule.min.is_none_or(|m| *n >= m) && rule.max.is_none_or(|m| *n <= m)
        }
        AnswerValue::Choice(id) => rule.any_of.as_ref().is_none_or(|ids| ids.contains(id)),
        // ISO dates compare correctly as text.
        AnswerValue::Date(d) => rule
            .not_after
            .as_ref()
            .is_none_or(|max| d.as_str() <= max.as_str()),
        AnswerValue::Text(t) => !t.trim().is_empty(),
        AnswerValue::Evidence(id) => !id.is_empty(),
    };
    if ok {
        Ok(())
    } else {
        Err(FailureReason::NotMet)
    }
}

/// Judges `answers`: every visible required item answered, every answer of the right kind
/// and meeting its rule. Answers to hidden items are ignored.
pub fn evaluate(
    template: &SelfCheckTemplate,
    profile: &EnterpriseProfile,
    answers: &[Answer],
) -> Verdict {
    let by_id: HashMap<&str, &AnswerValue> = answers
        .iter()
        .map(|a| (a.item_id.as_str(), &a.value))
        .collect();
    let mut failures = Vec::new();
    for a in answers {
        if !template.items().any(|i| i.id == a.item_id) {
            failures.push(ItemFailure {
                item_id: a.item_id.clone(),
                reason: FailureReason::UnknownItem,
            });
        }
    }
    for item in template.items() {
        if !visible(item, profile, &by_id) {
            continue;
        }
        let outcome = match by_id.get(item.id.as_str()) {
            None if item.required => Err(FailureReason::Missing),
            None => Ok(()),
            Some(v) => meets(item, v),
        };
        if let Err(reason) = outcome {
            failures.push(ItemFailure {
                item_id: item.id.clone(),
                reason,
            });
        }
    }
    Verdict {
        passed: failures.is_empty(),
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{AnswerCondition, Citation, PassRule, ProfileCondition, TemplateSection};

    fn item(
        id: &str,
        kind: ItemKind,
        pass: Option<PassRule>,
        show_if: Option<ShowIf>,
    ) -> TemplateItem {
        TemplateItem {
            id: id.into(),
            kind,
            prompt: String::new(),
            help: String::new(),
            required: true,
            pass,
            unit: None,
            choices: None,
            material_type: None,
            show_if,
            cites: Citation {
                document_id: "gd-002".into(),
                clause: "一、".into(),
            },
        }
    }

    fn template() -> SelfCheckTemplate {
        let rule = |equals, min| PassRule {
            equals,
            min,
            max: None,
            any_of: None,
            not_after: None,
        };
        SelfCheckTemplate {
            id: "t".into(),
            version: 2,
            title: String::new(),
            published_on: String::new(),
            based_on: "gd-002".into(),
            sections: vec![TemplateSection {
                id: "s".into(),
                title: String::new(),
                items: vec![
                    item("plan", ItemKind::YesNo, Some(rule(Some(true), None)), None),
                    item("days", ItemKind::Number, Some(rule(None, Some(14.0))), None),
                    item(
                        "canteen",
                        ItemKind::YesNo,
                        Some(rule(Some(true), None)),
                        Some(ShowIf::Answer(AnswerCondition {
                            item: "plan".into(),
                            equals: Expected::Bool(true),
                        })),
                    ),
                    item(
                        "cold-chain",
                        ItemKind::Text,
                        None,
                        Some(ShowIf::Profile(ProfileCondition {
                            field: "industry".into(),
                            equals: "交通运输、仓储和邮政业".into(),
                        })),
                    ),
                ],
            }],
        }
    }

    fn profile(industry: &str) -> EnterpriseProfile {
        EnterpriseProfile {
            credit_code: String::new(),
            name: String::new(),
            district: "浦东新区".into(),
            industry: industry.into(),
        }
    }

    fn a(id: &str, value: AnswerValue) -> Answer {
        Answer {
            item_id: id.into(),
            value,
        }
    }

    #[test]
    fn passes_when_every_visible_item_meets_its_rule() {
        let v = evaluate(
            &template(),
            &profile("制造业"),
            &[
                a("plan", AnswerValue::YesNo(true)),
                a("days", AnswerValue::Number(14.0)),
                a("canteen", AnswerValue::YesNo(true)),
            ],
        );
        assert_eq!(
            v,
            Verdict {
                passed: true,
                failures: vec![]
            }
        );
    }

    #[test]
    fn names_each_failing_item_and_why() {
        let v = evaluate(
            &template(),
            &profile("交通运输、仓储和邮政业"),
            &[
                a("plan", AnswerValue::YesNo(true)),
                a("days", AnswerValue::Number(7.0)),
                a("canteen", AnswerValue::Text("有".into())),
                a("ghost", AnswerValue::YesNo(true)),
            ],
        );
        assert!(!v.passed);
        let got: Vec<(&str, FailureReason)> = v
            .failures
            .iter()
            .map(|f| (f.item_id.as_str(), f.reason))
            .collect();
        assert_eq!(
            got,
            vec![
                ("ghost", FailureReason::UnknownItem),
                ("days", FailureReason::NotMet),
                ("canteen", FailureReason::WrongKind),
                ("cold-chain", FailureReason::Missing),
            ]
        );
    }

    #[test]
    fn hidden_items_are_not_required() {
        let v = evaluate(
            &template(),
            &profile("制造业"),
            &[
                a("plan", AnswerValue::YesNo(false)),
                a("days", AnswerValue::Number(30.0)),
            ],
        );
        // "canteen" is hidden because plan is false; plan itself fails its rule.
        assert_eq!(v.failures.len(), 1);
        assert_eq!(v.failures[0].item_id, "plan");
    }
}
