use proptest::prelude::*;

use super::*;
use crate::catalog::{
    AnswerCondition, ChoiceOption, Citation, Constraint, PassRule, ProfileCondition,
    TemplateSection,
};
use crate::profile::{Contact, RiskArea};

fn item(id: &str, kind: ItemKind) -> TemplateItem {
    TemplateItem {
        id: id.into(),
        kind,
        prompt: format!("{id}?"),
        help: String::new(),
        required: true,
        pass: None,
        unit: None,
        choices: None,
        material_type: None,
        show_if: None,
        constraint: None,
        cites: Citation {
            document_id: "gd-002".into(),
            clause: "一、".into(),
        },
    }
}

fn template(items: Vec<TemplateItem>) -> SelfCheckTemplate {
    SelfCheckTemplate {
        id: "t".into(),
        version: 2,
        title: String::new(),
        published_on: String::new(),
        based_on: "gd-002".into(),
        sections: vec![TemplateSection {
            id: "s".into(),
            title: String::new(),
            items,
        }],
    }
}

fn profile() -> CompanyProfile {
    CompanyProfile {
        address: "上海市浦东新区张江路 1 号".into(),
        district: "浦东新区".into(),
        industry_section: "C".into(),
        industry_division: "36".into(),
        headcount: 120,
        on_site: 80,
        contacts: vec![Contact {
            name: "王芳".into(),
            role: String::new(),
            phone: "13800138000".into(),
        }],
        risk_area: RiskArea::Precaution,
        dormitories: true,
        whitelist_batch: None,
    }
}

fn a(id: &str, value: AnswerValue) -> Answer {
    Answer {
        item_id: id.into(),
        value,
    }
}

fn choices(ids: &[&str]) -> Option<Vec<ChoiceOption>> {
    Some(
        ids.iter()
            .map(|i| ChoiceOption {
                id: (*i).into(),
                label: format!("{i}-label"),
            })
            .collect(),
    )
}

fn reasons(v: &Verdict) -> Vec<(&str, FailureReason)> {
    v.failures
        .iter()
        .map(|f| (f.item_id.as_str(), f.reason))
        .collect()
}

/// Every item kind, with a passing, a failing and a wrong-kind answer.
#[test]
fn table_every_item_kind() {
    use AnswerValue as V;
    struct Row {
        item: TemplateItem,
        pass: V,
        fail: Option<V>,
        need: Option<Need>,
    }
    let with = |mut i: TemplateItem, f: &dyn Fn(&mut TemplateItem)| {
        f(&mut i);
        i
    };
    let rows = vec![
        Row {
            item: with(item("yes", ItemKind::YesNo), &|i| {
                i.pass = Some(PassRule {
                    equals: Some(true),
                    ..Default::default()
                })
            }),
            pass: V::YesNo(true),
            fail: Some(V::YesNo(false)),
            need: Some(Need::Equals { value: true }),
        },
        Row {
            item: with(item("min", ItemKind::Number), &|i| {
                i.pass = Some(PassRule {
                    min: Some(14.0),
                    ..Default::default()
                })
            }),
            pass: V::Number(14.0),
            fail: Some(V::Number(9.0)),
            need: Some(Need::AtLeast { min: 14.0 }),
        },
        Row {
            item: with(item("max", ItemKind::Number), &|i| {
                i.pass = Some(PassRule {
                    max: Some(4.0),
                    ..Default::default()
                })
            }),
            pass: V::Number(4.0),
            fail: Some(V::Number(6.0)),
            need: Some(Need::AtMost { max: 4.0 }),
        },
        Row {
            // 80 on site × 28 masks each.
            item: with(item("scaled", ItemKind::Number), &|i| {
                i.pass = Some(PassRule {
                    min: Some(100.0),
                    min_per_on_site: Some(28.0),
                    ..Default::default()
                })
            }),
            pass: V::Number(2240.0),
            fail: Some(V::Number(2239.0)),
            need: Some(Need::AtLeast { min: 2240.0 }),
        },
        Row {
            item: with(item("choice", ItemKind::Choice), &|i| {
                i.choices = choices(&["a", "b", "c"]);
                i.pass = Some(PassRule {
                    any_of: Some(vec!["a".into(), "b".into()]),
                    ..Default::default()
                });
            }),
            pass: V::Choice("b".into()),
            fail: Some(V::Choice("c".into())),
            need: Some(Need::OneOf {
                ids: vec!["a".into(), "b".into()],
            }),
        },
        Row {
            item: with(item("date", ItemKind::Date), &|i| {
                i.pass = Some(PassRule {
                    not_after: Some("2022-05-31".into()),
                    ..Default::default()
                })
            }),
            pass: V::Date("2022-05-31".into()),
            fail: Some(V::Date("2022-06-01".into())),
            need: Some(Need::NotAfter {
                date: "2022-05-31".into(),
            }),
        },
        Row {
            item: item("text", ItemKind::Text),
            pass: V::Text("王芳".into()),
            fail: Some(V::Text("  ".into())),
            need: Some(Need::NotEmpty),
        },
        Row {
            item: item("evidence", ItemKind::Evidence),
            pass: V::Evidence("up-1".into()),
            fail: Some(V::Evidence(String::new())),
            need: Some(Need::NotEmpty),
        },
    ];
    for row in rows {
        let id = row.item.id.clone();
        let t = template(vec![row.item.clone()]);
        let ok = evaluate(&t, &profile(), &[a(&id, row.pass.clone())]);
        assert!(ok.passed, "{id}: {:?} should pass: {ok:?}", row.pass);
        if let Some(fail) = row.fail {
            let v = evaluate(&t, &profile(), &[a(&id, fail.clone())]);
            assert_eq!(
                reasons(&v),
                vec![(id.as_str(), FailureReason::NotMet)],
                "{id}"
            );
            assert_eq!(v.failures[0].need, row.need, "{id}");
            assert_eq!(v.failures[0].answer, Some(fail), "{id}");
            for lang in [Lang::Zh, Lang::En] {
                let text = explain(Some(&row.item), &v.failures[0], lang);
                assert!(
                    !text.is_empty() && !text.contains("not_met"),
                    "{id}: {text}"
                );
            }
        }
        // The answer of another kind.
        let wrong = match row.pass {
            V::YesNo(_) => V::Number(1.0),
            _ => V::YesNo(true),
        };
        let v = evaluate(&t, &profile(), &[a(&id, wrong)]);
        assert_eq!(reasons(&v), vec![(id.as_str(), FailureReason::WrongKind)]);
        // No answer at all.
        let v = evaluate(&t, &profile(), &[]);
        assert_eq!(reasons(&v), vec![(id.as_str(), FailureReason::Missing)]);
    }
}

#[test]
fn explains_what_would_make_it_pass() {
    let mut masks = item("masks", ItemKind::Number);
    masks.unit = Some("天".into());
    masks.pass = Some(PassRule {
        min: Some(14.0),
        hint: Some("需储备至少 14 天口罩".into()),
        ..Default::default()
    });
    let t = template(vec![masks.clone()]);
    let v = evaluate(&t, &profile(), &[a("masks", AnswerValue::Number(9.0))]);
    assert_eq!(
        explain(Some(&masks), &v.failures[0], Lang::Zh),
        "需储备至少 14 天口罩，当前为“9 天”"
    );
    assert_eq!(
        explain(Some(&masks), &v.failures[0], Lang::En),
        "Needs at least 14 days; the answer is “9 days”"
    );
    // One of a measure is said as one.
    let one = evaluate(&t, &profile(), &[a("masks", AnswerValue::Number(1.0))]);
    assert_eq!(
        explain(Some(&masks), &one.failures[0], Lang::En),
        "Needs at least 14 days; the answer is “1 day”"
    );
    masks.pass = Some(PassRule {
        min: Some(14.0),
        ..Default::default()
    });
    assert_eq!(
        explain(Some(&masks), &v.failures[0], Lang::Zh),
        "需不少于 14 天，当前为“9 天”"
    );
}

#[test]
fn constraints_reject_impossible_answers_with_their_own_message() {
    let mut days = item("days", ItemKind::Number);
    days.constraint = Some(Constraint {
        min: Some(0.0),
        max: Some(365.0),
        integer: true,
        message: "天数应为 0 到 365 的整数".into(),
        message_en: Some("Days must be a whole number from 0 to 365".into()),
        ..Default::default()
    });
    let mut when = item("when", ItemKind::Date);
    when.constraint = Some(Constraint {
        not_before: Some("2022-01-01".into()),
        message: "日期不能早于 2022 年".into(),
        ..Default::default()
    });
    let mut note = item("note", ItemKind::Text);
    note.constraint = Some(Constraint {
        max_chars: Some(4),
        message: "不超过 4 字".into(),
        ..Default::default()
    });
    for (it, bad, good) in [
        (&days, AnswerValue::Number(-1.0), AnswerValue::Number(0.0)),
        (&days, AnswerValue::Number(1.5), AnswerValue::Number(365.0)),
        (
            &days,
            AnswerValue::Number(f64::NAN),
            AnswerValue::Number(3.0),
        ),
        (
            &when,
            AnswerValue::Date("2021-12-31".into()),
            AnswerValue::Date("2022-01-01".into()),
        ),
        (
            &when,
            AnswerValue::Date("2022-02-30".into()),
            AnswerValue::Date("2024-02-29".into()),
        ),
        (
            &when,
            AnswerValue::Date("22-1-1".into()),
            AnswerValue::Date("2022-12-31".into()),
        ),
        (
            &note,
            AnswerValue::Text("五个字符呀".into()),
            AnswerValue::Text("四个字符".into()),
        ),
    ] {
        assert_eq!(
            check_answer(it, &bad),
            Err(FailureReason::Invalid),
            "{bad:?}"
        );
        assert_eq!(check_answer(it, &good), Ok(()), "{good:?}");
        let t = template(vec![it.clone()]);
        let v = evaluate(&t, &profile(), &[a(&it.id, bad)]);
        assert_eq!(reasons(&v), vec![(it.id.as_str(), FailureReason::Invalid)]);
        let text = explain(Some(it), &v.failures[0], Lang::Zh);
        assert!(
            text.starts_with(&it.constraint.as_ref().unwrap().message),
            "{text}"
        );
    }
    let v = evaluate(
        &template(vec![days.clone()]),
        &profile(),
        &[a("days", AnswerValue::Number(-3.0))],
    );
    assert_eq!(
        explain(Some(&days), &v.failures[0], Lang::En),
        "Days must be a whole number from 0 to 365; the answer is “-3”"
    );
}

fn on_profile(field: ProfileField, test: ValueTest) -> Condition {
    Condition::Profile(ProfileCondition { field, test })
}

fn on_answer(item: &str, test: ValueTest) -> Condition {
    Condition::Answer(AnswerCondition {
        item: item.into(),
        test,
    })
}

fn eq_text(s: &str) -> ValueTest {
    ValueTest {
        equals: Some(Expected::Text(s.into())),
        ..Default::default()
    }
}

fn eq_bool(b: bool) -> ValueTest {
    ValueTest {
        equals: Some(Expected::Bool(b)),
        ..Default::default()
    }
}

fn any_of(ids: &[&str]) -> ValueTest {
    ValueTest {
        any_of: Some(ids.iter().map(|s| (*s).into()).collect()),
        ..Default::default()
    }
}

fn at_least(n: f64) -> ValueTest {
    ValueTest {
        at_least: Some(n),
        ..Default::default()
    }
}

fn at_most(n: f64) -> ValueTest {
    ValueTest {
        at_most: Some(n),
        ..Default::default()
    }
}

/// Every kind of condition, each once holding and once not.
#[test]
fn table_every_condition() {
    use AnswerValue as V;
    let base = profile();
    let mut sealed = profile();
    sealed.risk_area = RiskArea::Sealed;
    sealed.dormitories = false;
    sealed.on_site = 600;
    sealed.headcount = 900;
    sealed.district = "嘉定区".into();
    sealed.industry_section = "G".into();
    sealed.industry_division = "54".into();
    let answers = [
        a("mode", V::Choice("p2p".into())),
        a("staff", V::Number(300.0)),
        a("plan", V::YesNo(true)),
    ];
    let rows: Vec<(&str, Condition, bool, bool)> = vec![
        (
            "district",
            on_profile(ProfileField::District, eq_text("浦东新区")),
            true,
            false,
        ),
        (
            "industry",
            on_profile(ProfileField::Industry, any_of(&["G"])),
            false,
            true,
        ),
        (
            "division",
            on_profile(ProfileField::IndustryDivision, eq_text("36")),
            true,
            false,
        ),
        (
            "risk in",
            on_profile(ProfileField::RiskArea, any_of(&["sealed", "controlled"])),
            false,
            true,
        ),
        (
            "dorms",
            on_profile(ProfileField::Dormitories, eq_bool(true)),
            true,
            false,
        ),
        (
            "headcount",
            on_profile(ProfileField::Headcount, at_least(500.0)),
            false,
            true,
        ),
        (
            "on site",
            on_profile(ProfileField::OnSite, at_most(100.0)),
            true,
            false,
        ),
        (
            "unknown field",
            on_profile(ProfileField::Unknown, eq_text("x")),
            false,
            false,
        ),
        (
            "no test",
            on_profile(ProfileField::District, ValueTest::default()),
            false,
            false,
        ),
        (
            "type mismatch",
            on_profile(ProfileField::Headcount, eq_text("120")),
            false,
            false,
        ),
        (
            "answer choice in",
            on_answer("mode", any_of(&["p2p"])),
            true,
            true,
        ),
        (
            "answer choice eq",
            on_answer("mode", eq_text("in-plant")),
            false,
            false,
        ),
        (
            "answer at least",
            on_answer("staff", at_least(300.0)),
            true,
            true,
        ),
        (
            "answer at most",
            on_answer("staff", at_most(299.0)),
            false,
            false,
        ),
        ("answer yes", on_answer("plan", eq_bool(true)), true, true),
        (
            "answer missing",
            on_answer("ghost", eq_bool(true)),
            false,
            false,
        ),
        (
            "all",
            Condition::All(vec![
                on_profile(ProfileField::Dormitories, eq_bool(true)),
                on_answer("plan", eq_bool(true)),
            ]),
            true,
            false,
        ),
        ("all of none", Condition::All(vec![]), true, true),
        (
            "any",
            Condition::Any(vec![
                on_profile(ProfileField::RiskArea, eq_text("sealed")),
                on_profile(ProfileField::District, eq_text("浦东新区")),
            ]),
            true,
            true,
        ),
        ("any of none", Condition::Any(vec![]), false, false),
        (
            "not",
            Condition::Not(Box::new(on_profile(
                ProfileField::RiskArea,
                eq_text("precaution"),
            ))),
            false,
            true,
        ),
    ];
    let mut earlier = vec![
        item("mode", ItemKind::Choice),
        item("staff", ItemKind::Number),
        item("plan", ItemKind::YesNo),
    ];
    earlier[0].choices = choices(&["p2p", "in-plant"]);
    for (name, cond, on_base, on_sealed) in rows {
        let mut target = item("target", ItemKind::YesNo);
        target.show_if = Some(cond);
        let mut items = earlier.clone();
        items.push(target);
        let t = template(items);
        for (p, want) in [(&base, on_base), (&sealed, on_sealed)] {
            let shown = visible_items(&t, p, &answers)
                .iter()
                .any(|i| i.id == "target");
            assert_eq!(shown, want, "{name} on {:?}", p.risk_area);
            // A shown required item without an answer fails; a hidden one does not.
            let v = evaluate(&t, p, &answers);
            assert_eq!(
                v.failures.iter().any(|f| f.item_id == "target"),
                want,
                "{name}"
            );
        }
    }
}

#[test]
fn hiding_an_item_hides_what_hangs_on_it() {
    let mut first = item("first", ItemKind::YesNo);
    first.show_if = Some(on_profile(ProfileField::Dormitories, eq_bool(true)));
    let mut second = item("second", ItemKind::YesNo);
    second.show_if = Some(on_answer("first", eq_bool(true)));
    let t = template(vec![first, second]);
    let answers = [a("first", AnswerValue::YesNo(true))];
    let mut p = profile();
    assert_eq!(visible_items(&t, &p, &answers).len(), 2);
    p.dormitories = false;
    assert!(visible_items(&t, &p, &answers).is_empty());
    // The answer to the hidden item is ignored, not a failure.
    assert!(evaluate(&t, &p, &answers).passed);
}

#[test]
fn unknown_answers_and_choices_are_named() {
    let mut c = item("c", ItemKind::Choice);
    c.choices = choices(&["a"]);
    let t = template(vec![c]);
    let v = evaluate(
        &t,
        &profile(),
        &[
            a("c", AnswerValue::Choice("zz".into())),
            a("ghost", AnswerValue::YesNo(true)),
        ],
    );
    assert_eq!(
        reasons(&v),
        vec![
            ("ghost", FailureReason::UnknownItem),
            ("c", FailureReason::UnknownChoice)
        ]
    );
}

#[test]
fn diff_names_added_changed_and_removed_items() {
    let keep = item("keep", ItemKind::YesNo);
    let mut help_only = item("help", ItemKind::YesNo);
    let gone = item("gone", ItemKind::YesNo);
    let mut rule = item("rule", ItemKind::Number);
    rule.pass = Some(PassRule {
        min: Some(7.0),
        ..Default::default()
    });
    let old = template(vec![keep.clone(), help_only.clone(), gone, rule.clone()]);
    help_only.help = "new explanation".into();
    rule.pass = Some(PassRule {
        min: Some(14.0),
        ..Default::default()
    });
    let mut new = template(vec![item("new", ItemKind::Date), keep, help_only, rule]);
    new.version = 3;
    assert_eq!(
        diff(&old, &new),
        TemplateDiff {
            added: vec!["new".into()],
            changed: vec!["rule".into()],
            removed: vec!["gone".into()],
        }
    );
    assert_eq!(diff(&new, &new), TemplateDiff::default());
}

#[test]
fn canonical_answers_ignore_order_and_hidden_items() {
    let mut hidden = item("hidden", ItemKind::YesNo);
    hidden.show_if = Some(on_profile(ProfileField::Dormitories, eq_bool(false)));
    let t = template(vec![
        item("x", ItemKind::YesNo),
        item("y", ItemKind::Number),
        hidden,
    ]);
    let one = canonical_answers(
        &t,
        &profile(),
        &[
            a("y", AnswerValue::Number(3.0)),
            a("x", AnswerValue::YesNo(true)),
            a("hidden", AnswerValue::YesNo(true)),
        ],
    );
    let two = canonical_answers(
        &t,
        &profile(),
        &[
            a("x", AnswerValue::YesNo(true)),
            a("y", AnswerValue::Number(3.0)),
        ],
    );
    assert_eq!(one, two);
    assert!(
        one.starts_with(r#"{"template_id":"t","template_version":2,"answers":[{"item_id":"x""#),
        "{one}"
    );
}

#[test]
fn template_problems_are_found() {
    let mut c = item("c", ItemKind::Choice);
    c.choices = choices(&["a"]);
    c.pass = Some(PassRule {
        any_of: Some(vec!["b".into()]),
        ..Default::default()
    });
    let mut fwd = item("fwd", ItemKind::YesNo);
    fwd.show_if = Some(Condition::Not(Box::new(on_answer("later", eq_bool(true)))));
    let t = template(vec![
        c,
        fwd,
        item("later", ItemKind::YesNo),
        item("later", ItemKind::YesNo),
        item("empty", ItemKind::Choice),
    ]);
    let p = t.problems();
    assert_eq!(p.len(), 4, "{p:?}");
}

#[test]
fn the_demo_templates_are_sound() {
    let raw = include_str!("../../../central/demo/templates.json");
    let templates: Vec<SelfCheckTemplate> =
        serde_json::from_str(raw).expect("demo templates parse");
    assert!(!templates.is_empty());
    for t in &templates {
        assert_eq!(t.problems(), Vec::<String>::new(), "{}", t.key());
    }
}

// ---- Property test: nothing can make the engine panic ----------------------------------

fn arb_value() -> impl Strategy<Value = AnswerValue> {
    prop_oneof![
        any::<bool>().prop_map(AnswerValue::YesNo),
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            -1e6..1e6f64
        ]
        .prop_map(AnswerValue::Number),
        "[0-9-]{0,12}".prop_map(AnswerValue::Date),
        "[a-d]{0,2}".prop_map(AnswerValue::Choice),
        ".{0,6}".prop_map(AnswerValue::Text),
        "[a-z0-9]{0,4}".prop_map(AnswerValue::Evidence),
    ]
}

fn arb_test() -> impl Strategy<Value = ValueTest> {
    (
        prop::option::of(prop_oneof![
            any::<bool>().prop_map(Expected::Bool),
            "[a-d]{0,2}".prop_map(Expected::Text)
        ]),
        prop::option::of(prop::collection::vec("[a-d]{0,2}", 0..3)),
        prop::option::of(any::<f64>()),
        prop::option::of(any::<f64>()),
    )
        .prop_map(|(equals, any_of, at_least, at_most)| ValueTest {
            equals,
            any_of,
            at_least,
            at_most,
        })
}

fn arb_condition() -> impl Strategy<Value = Condition> {
    let field = prop_oneof![
        Just(ProfileField::District),
        Just(ProfileField::Industry),
        Just(ProfileField::IndustryDivision),
        Just(ProfileField::RiskArea),
        Just(ProfileField::Headcount),
        Just(ProfileField::OnSite),
        Just(ProfileField::Dormitories),
        Just(ProfileField::Unknown),
    ];
    let leaf = prop_oneof![
        (field, arb_test()).prop_map(|(field, test)| on_profile(field, test)),
        ("i[0-9]", arb_test()).prop_map(|(item, test)| on_answer(&item, test)),
    ];
    leaf.prop_recursive(6, 40, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Condition::All),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Condition::Any),
            inner.prop_map(|c| Condition::Not(Box::new(c))),
        ]
    })
}

fn arb_item() -> impl Strategy<Value = TemplateItem> {
    let kind = prop_oneof![
        Just(ItemKind::YesNo),
        Just(ItemKind::Number),
        Just(ItemKind::Date),
        Just(ItemKind::Choice),
        Just(ItemKind::Text),
        Just(ItemKind::Evidence),
    ];
    let rule = (
        prop::option::of(any::<bool>()),
        prop::option::of(any::<f64>()),
        prop::option::of(any::<f64>()),
        prop::option::of(any::<f64>()),
        prop::option::of(prop::collection::vec("[a-d]{0,2}", 0..3)),
        prop::option::of("[0-9-]{0,10}"),
    )
        .prop_map(
            |(equals, min, min_per_on_site, max, any_of, not_after)| PassRule {
                equals,
                min,
                min_per_on_site,
                max,
                any_of,
                not_after,
                hint: None,
            },
        );
    let constraint = (
        prop::option::of(any::<f64>()),
        prop::option::of(any::<f64>()),
        any::<bool>(),
        prop::option::of("[0-9-]{0,10}"),
        prop::option::of(any::<u32>()),
    )
        .prop_map(|(min, max, integer, not_after, max_chars)| Constraint {
            min,
            max,
            integer,
            not_after,
            max_chars,
            message: "约束".into(),
            ..Default::default()
        });
    (
        "i[0-9]",
        kind,
        any::<bool>(),
        prop::option::of(rule),
        prop::option::of(prop::collection::vec("[a-d]{0,2}", 0..4)),
        prop::option::of(arb_condition()),
        prop::option::of(constraint),
        prop::option::of("[天间次]"),
    )
        .prop_map(
            |(id, kind, required, pass, choice_ids, show_if, constraint, unit)| {
                let mut i = item(&id, kind);
                i.required = required;
                i.pass = pass;
                i.choices = choice_ids.map(|ids| {
                    ids.into_iter()
                        .map(|id| ChoiceOption {
                            label: id.clone(),
                            id,
                        })
                        .collect()
                });
                i.show_if = show_if;
                i.constraint = constraint;
                i.unit = unit;
                i
            },
        )
}

fn arb_profile() -> impl Strategy<Value = CompanyProfile> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
        prop_oneof![
            Just(RiskArea::Sealed),
            Just(RiskArea::Controlled),
            Just(RiskArea::Precaution)
        ],
        "[A-Z]?",
        "[0-9]{0,2}",
    )
        .prop_map(
            |(headcount, on_site, dormitories, risk_area, section, division)| CompanyProfile {
                headcount,
                on_site,
                dormitories,
                risk_area,
                industry_section: section,
                industry_division: division,
                ..profile()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_template_or_answers_make_the_engine_panic(
        items in prop::collection::vec(arb_item(), 0..12),
        answers in prop::collection::vec(("i[0-9]", arb_value()), 0..12),
        p in arb_profile(),
    ) {
        let t = template(items);
        let answers: Vec<Answer> = answers.into_iter().map(|(id, v)| a(&id, v)).collect();
        let v = evaluate(&t, &p, &answers);
        prop_assert_eq!(v.passed, v.failures.is_empty());
        // Deterministic (compared as text: NaN answers are not equal to themselves).
        prop_assert_eq!(format!("{v:?}"), format!("{:?}", evaluate(&t, &p, &answers)));
        let shown: Vec<&str> = visible_items(&t, &p, &answers).iter().map(|i| i.id.as_str()).collect();
        for f in &v.failures {
            let it = t.items().find(|i| i.id == f.item_id);
            if f.reason != FailureReason::UnknownItem {
                prop_assert!(shown.contains(&f.item_id.as_str()), "a hidden item failed");
            }
            for lang in [Lang::Zh, Lang::En] {
                prop_assert!(!explain(it, f, lang).is_empty());
            }
        }
        let _ = canonical_answers(&t, &p, &answers);
        let _ = t.problems();
        let _ = diff(&t, &template(vec![]));
        for i in t.items() {
            for ans in &answers {
                let _ = check_answer(i, &ans.value);
                let _ = answer_text(Some(i), &ans.value, Lang::Zh);
            }
        }
    }

    #[test]
    fn deep_conditions_do_not_exhaust_the_stack(depth in 0usize..5000) {
        let mut c = on_profile(ProfileField::Dormitories, eq_bool(true));
        for _ in 0..depth {
            c = Condition::Not(Box::new(c));
        }
        let mut i = item("deep", ItemKind::YesNo);
        i.show_if = Some(c);
        let t = template(vec![i]);
        let _ = evaluate(&t, &profile(), &[]);
        let _ = t.problems();
    }
}
