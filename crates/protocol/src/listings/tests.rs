use super::*;
use crate::records::NewListing;
use time::macros::date;

const TODAY: Date = date!(2022 - 05 - 16);

fn listing(id: &str, kind: ListingKind, item: &str, qty: f64, district: &str) -> Listing {
    Listing {
        id: id.into(),
        enterprise_name: format!("{id} 公司"),
        mine: false,
        state: ListingState::Active,
        created_at: "2022-05-10T02:00:00Z".into(),
        updated_at: None,
        details: NewListing {
            kind,
            category: ListingCategory::Supplies,
            item: item.into(),
            quantity: qty,
            unit: "只".into(),
            district: district.into(),
            valid_until: "2022-06-15".into(),
            contact_name: "陈建国".into(),
            contact_phone: "13916205731".into(),
            note: None,
        },
    }
}

fn demand() -> Listing {
    let mut l = listing(
        "mine",
        ListingKind::Demand,
        "医用外科口罩",
        20000.0,
        "浦东新区",
    );
    l.mine = true;
    l.details.valid_until = "2022-05-30".into();
    l
}

fn supply() -> Listing {
    listing(
        "other",
        ListingKind::Supply,
        "医用外科口罩（一次性，三层）",
        50000.0,
        "闵行区",
    )
}

#[test]
fn item_pairs_split_at_punctuation_and_ignore_case() {
    assert_eq!(
        bigrams("医用外科口罩（一次性，三层）"),
        ["医用", "用外", "外科", "科口", "口罩", "一次", "次性", "三层"]
    );
    assert_eq!(bigrams("N95 口罩"), ["n9", "95", "口罩"]);
    assert_eq!(bigrams("钢"), ["钢"]);
}

#[test]
fn a_supply_that_covers_a_demand_is_matched_with_its_reasons() {
    let m = match_of(&demand(), &supply(), TODAY).expect("a match");
    assert_eq!(m.listing.id, "other");
    assert_eq!(
        m.reasons,
        [
            MatchReason::Category {
                category: ListingCategory::Supplies
            },
            MatchReason::Item {
                shared: ["医用", "用外", "外科", "科口", "口罩"]
                    .map(String::from)
                    .to_vec()
            },
            MatchReason::Quantity {
                needed: 20000.0,
                offered: 50000.0,
                unit: "只".into(),
                covers: true
            },
            MatchReason::Dates {
                until: "2022-05-30".into()
            },
        ]
    );
    // 0.5 · 5/8 + 0.2 · 1 + 0 (other district) + 0.1 · 1
    assert_eq!(m.score, 0.61);
    let json = serde_json::to_value(&m.reasons[2]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"kind": "quantity", "needed": 20000.0, "offered": 50000.0, "unit": "只", "covers": true})
    );
    // Seen from the supply's side it is the same match, its reasons the same way round.
    let mut s = supply();
    s.mine = true;
    let mut d = demand();
    d.mine = false;
    let back = match_of(&s, &d, TODAY).unwrap();
    assert_eq!(back.score, 0.61);
    assert_eq!(back.reasons[2], m.reasons[2]);
}

#[test]
fn a_match_needs_the_opposite_kind_the_same_category_a_shared_pair_and_validity() {
    let d = demand();
    let mut same_kind = supply();
    same_kind.details.kind = ListingKind::Demand;
    assert!(match_of(&d, &same_kind, TODAY).is_none());
    let mut other_category = supply();
    other_category.details.category = ListingCategory::Materials;
    assert!(match_of(&d, &other_category, TODAY).is_none());
    let mut unrelated = supply();
    unrelated.details.item = "叉车司机".into();
    assert!(match_of(&d, &unrelated, TODAY).is_none());
    let mut expired = supply();
    expired.details.valid_until = "2022-05-15".into();
    assert!(match_of(&d, &expired, TODAY).is_none());
    let mut withdrawn = supply();
    withdrawn.state = ListingState::Withdrawn;
    assert!(match_of(&d, &withdrawn, TODAY).is_none());
    let mut own = supply();
    own.mine = true;
    assert!(match_of(&d, &own, TODAY).is_none(), "never one's own");
    let mut mine_expired = demand();
    mine_expired.state = ListingState::Expired;
    assert!(match_of(&mine_expired, &supply(), TODAY).is_none());
    assert!(match_of(&d, &supply(), TODAY).is_some());
}

#[test]
fn district_short_quantities_and_units_move_the_score() {
    let d = demand();
    let mut near = supply();
    near.details.district = "浦东新区".into();
    let m = match_of(&d, &near, TODAY).unwrap();
    assert!(m.reasons.contains(&MatchReason::District {
        district: "浦东新区".into()
    }));
    assert_eq!(m.score, 0.81);
    let mut short = supply();
    short.details.quantity = 5000.0;
    let m = match_of(&d, &short, TODAY).unwrap();
    assert!(m.reasons.contains(&MatchReason::Quantity {
        needed: 20000.0,
        offered: 5000.0,
        unit: "只".into(),
        covers: false
    }));
    assert_eq!(m.score, 0.46);
    let mut boxes = supply();
    boxes.details.unit = "箱".into();
    let m = match_of(&d, &boxes, TODAY).unwrap();
    assert!(!m
        .reasons
        .iter()
        .any(|r| matches!(r, MatchReason::Quantity { .. })));
    assert_eq!(m.score, 0.41);
    // A weak name match alone stays below the threshold.
    let mut weak = supply();
    weak.details.item = "口罩耳带松紧绳原料".into();
    weak.details.unit = "箱".into();
    assert!(match_of(&d, &weak, TODAY).is_none());
}

#[test]
fn matches_are_best_first() {
    let d = demand();
    let mut near = supply();
    near.id = "near".into();
    near.details.district = "浦东新区".into();
    let far = supply();
    let mut unrelated = supply();
    unrelated.id = "x".into();
    unrelated.details.item = "防护服".into();
    let m = matches(&d, &[far, unrelated, near], TODAY);
    assert_eq!(
        m.iter().map(|m| m.listing.id.as_str()).collect::<Vec<_>>(),
        ["near", "other"]
    );
}
