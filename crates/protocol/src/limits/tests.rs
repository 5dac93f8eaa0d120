use super::*;
use crate::records::{AppealCategory, AppealContact, ListingCategory, ListingKind};
use time::macros::date;

fn fields(p: Vec<FieldProblem>) -> Vec<String> {
    p.into_iter().map(|f| f.field).collect()
}

/// `n` Chinese characters: each counts as one.
fn han(n: u32) -> String {
    "字".repeat(n as usize)
}

fn appeal() -> NewAppeal {
    NewAppeal {
        category: AppealCategory::Logistics,
        title: "货车通行证续办".into(),
        description: "原料运输车辆通行证即将到期，申请续办。".into(),
        attachments: vec!["upl_1".into()],
        contact: Some(AppealContact {
            name: "王敏".into(),
            phone: "13816204417".into(),
        }),
    }
}

const TODAY: Date = date!(2022 - 05 - 16);

fn listing() -> NewListing {
    NewListing {
        kind: ListingKind::Demand,
        category: ListingCategory::Supplies,
        item: "医用外科口罩".into(),
        quantity: 20000.0,
        unit: "只".into(),
        district: "浦东新区".into(),
        valid_until: "2022-05-30".into(),
        contact_name: "李强".into(),
        contact_phone: "021-58881234".into(),
        note: None,
    }
}

#[test]
fn a_good_appeal_message_rating_and_listing_have_no_problems() {
    assert!(appeal().problems().is_empty());
    assert!(NewMessage {
        body: "补充".into()
    }
    .problems()
    .is_empty());
    assert!(Rating {
        score: 5,
        comment: None
    }
    .problems()
    .is_empty());
    assert!(listing().problems(TODAY).is_empty());
    let mut old = appeal();
    old.contact = None;
    assert!(
        old.problems().is_empty(),
        "appeals queued before contacts pass"
    );
}

#[test]
fn appeal_texts_at_their_limits() {
    for (max, set) in [
        (
            LIMITS.appeal_title,
            (|a: &mut NewAppeal, s: String| a.title = s) as fn(&mut NewAppeal, String),
        ),
        (LIMITS.appeal_description, |a, s| a.description = s),
    ] {
        let mut a = appeal();
        set(&mut a, han(max));
        assert!(a.problems().is_empty(), "{max} characters are allowed");
        set(&mut a, format!("  {}  ", han(max)));
        assert!(a.problems().is_empty(), "surrounding spaces do not count");
        set(&mut a, han(max + 1));
        assert_eq!(a.problems().len(), 1);
        set(&mut a, " \t ".into());
        assert_eq!(a.problems().len(), 1, "whitespace alone is empty");
    }
    let mut a = appeal();
    a.title = han(101);
    a.description = String::new();
    a.contact = Some(AppealContact {
        name: han(41),
        phone: "12345".into(),
    });
    a.attachments = (0..6).map(|i| format!("upl_{i}")).collect();
    assert_eq!(
        fields(a.problems()),
        [
            "title",
            "description",
            "contact.name",
            "contact.phone",
            "attachments"
        ]
    );
    let p = a.problems();
    assert!(
        p[0].zh.contains("100") && p[0].zh.contains("101"),
        "{}",
        p[0].zh
    );
    assert!(p[0].en.contains("100"), "{}", p[0].en);
    let mut a = appeal();
    a.contact = Some(AppealContact {
        name: han(40),
        phone: "13816204417".into(),
    });
    a.attachments = (0..5).map(|i| format!("upl_{i}")).collect();
    assert!(a.problems().is_empty());
    a.attachments[4] = "upl_0".into();
    assert_eq!(fields(a.problems()), ["attachments"]);
}

#[test]
fn messages_and_ratings_at_their_limits() {
    assert!(NewMessage { body: han(5000) }.problems().is_empty());
    assert_eq!(fields(NewMessage { body: han(5001) }.problems()), ["body"]);
    assert_eq!(
        fields(NewMessage { body: "  ".into() }.problems()),
        ["body"]
    );
    let rating = |score, comment: Option<String>| Rating { score, comment }.problems();
    assert!(rating(1, Some(han(500))).is_empty());
    assert_eq!(fields(rating(5, Some(han(501)))), ["comment"]);
    assert_eq!(fields(rating(0, None)), ["score"]);
    assert_eq!(fields(rating(6, None)), ["score"]);
}

#[test]
fn listing_fields_at_their_limits() {
    let check = |f: fn(&mut NewListing)| {
        let mut l = listing();
        f(&mut l);
        fields(l.problems(TODAY))
    };
    assert!(check(|l| l.item = han(100)).is_empty());
    assert_eq!(check(|l| l.item = han(101)), ["item"]);
    assert!(check(|l| l.unit = han(20)).is_empty());
    assert_eq!(check(|l| l.unit = han(21)), ["unit"]);
    assert!(check(|l| l.contact_name = han(40)).is_empty());
    assert_eq!(check(|l| l.contact_name = han(41)), ["contact_name"]);
    assert!(check(|l| l.note = Some(han(500))).is_empty());
    assert_eq!(check(|l| l.note = Some(han(501))), ["note"]);
    assert_eq!(check(|l| l.quantity = 0.0), ["quantity"]);
    assert_eq!(check(|l| l.quantity = f64::NAN), ["quantity"]);
    assert_eq!(check(|l| l.quantity = 1e12), ["quantity"]);
    assert!(check(|l| l.quantity = 0.5).is_empty());
    assert_eq!(check(|l| l.district = "北京市".into()), ["district"]);
    assert_eq!(
        check(|l| l.contact_phone = "5888".into()),
        ["contact_phone"]
    );
    // valid_until: from today to today + 366 days.
    assert!(check(|l| l.valid_until = "2022-05-16".into()).is_empty());
    assert_eq!(
        check(|l| l.valid_until = "2022-05-15".into()),
        ["valid_until"]
    );
    assert!(check(|l| l.valid_until = "2023-05-17".into()).is_empty());
    assert_eq!(
        check(|l| l.valid_until = "2023-05-18".into()),
        ["valid_until"]
    );
    assert_eq!(check(|l| l.valid_until = "下周".into()), ["valid_until"]);
    let mut l = listing();
    l.item = " ".into();
    l.unit = String::new();
    l.contact_name = String::new();
    let p = l.problems(TODAY);
    assert_eq!(fields(p.clone()), ["item", "unit", "contact_name"]);
    assert!(p.iter().all(|f| !f.zh.is_empty() && !f.en.is_empty()));
}
