//! How an own listing reads from its record, the service's copy and what waits in the
//! outbox, on a given day.

use std::collections::HashMap;

use serde_json::json;
use time::macros::date;
use time::Date;
use yiqifu_protocol::{Listing, ListingCategory, ListingKind, ListingState, NewListing};

use super::{newer, Own, OwnState, Pending};
use crate::records::Delivery;

const TODAY: Date = date!(2022 - 05 - 10);

fn wanted() -> NewListing {
    NewListing {
        kind: ListingKind::Demand,
        category: ListingCategory::Supplies,
        item: "医用外科口罩".into(),
        quantity: 20000.0,
        unit: "只".into(),
        district: "浦东新区".into(),
        valid_until: "2022-05-24".into(),
        contact_name: "王芳".into(),
        contact_phone: "13800138000".into(),
        note: None,
    }
}

fn served(id: &str, details: NewListing, state: ListingState, updated: Option<&str>) -> Listing {
    Listing {
        id: id.into(),
        enterprise_name: "上海浦江精密机械有限公司".into(),
        mine: true,
        state,
        created_at: "2022-05-09T01:00:00Z".into(),
        updated_at: updated.map(str::to_string),
        details,
    }
}

/// 闵通's masks: a supply that matches `wanted`.
fn market() -> Vec<Listing> {
    let mut d = wanted();
    d.kind = ListingKind::Supply;
    d.item = "医用外科口罩（一次性，三层）".into();
    d.quantity = 50000.0;
    d.district = "闵行区".into();
    d.valid_until = "2022-06-08".into();
    vec![Listing {
        mine: false,
        enterprise_name: "上海闵通冷链物流有限公司".into(),
        ..served("lst_minton", d, ListingState::Active, None)
    }]
}

fn waiting(key: &str, ops: Vec<(&str, serde_json::Value, bool)>) -> HashMap<String, Vec<Pending>> {
    let list = ops
        .into_iter()
        .map(|(kind, payload, parked)| Pending {
            kind: kind.into(),
            payload,
            parked,
        })
        .collect();
    HashMap::from([(key.to_string(), list)])
}

fn own(pending: HashMap<String, Vec<Pending>>) -> Own {
    Own {
        records: Vec::new(),
        served: Vec::new(),
        pending,
    }
}

#[test]
fn an_unsent_listing_waits_and_already_has_its_matches() {
    let key = "listing-1";
    let o = own(waiting(key, vec![("create_listing", json!({}), false)]));
    let v = o.view(key, wanted(), None, &market(), TODAY);
    assert_eq!((v.state, v.delivery), (OwnState::Unsent, Delivery::Queued));
    assert!(!v.pending_edit);
    assert_eq!(v.matches.len(), 1);
    assert_eq!(v.matches[0].listing.id, "lst_minton");
}

#[test]
fn a_queued_withdrawal_reads_withdrawn_at_once_and_suggests_nothing() {
    let key = "srv:lst_1";
    let o = own(waiting(key, vec![("withdraw_listing", json!({}), false)]));
    let s = served("lst_1", wanted(), ListingState::Active, None);
    let v = o.view(key, wanted(), Some(s), &market(), TODAY);
    assert_eq!(
        (v.state, v.delivery),
        (OwnState::Withdrawn, Delivery::Queued)
    );
    assert!(v.matches.is_empty());
}

#[test]
fn a_listing_past_its_date_is_expired_here_before_the_service_says_so() {
    let mut d = wanted();
    d.valid_until = "2022-05-09".into();
    let s = served("lst_1", d.clone(), ListingState::Active, None);
    let o = own(HashMap::new());
    let v = o.view("srv:lst_1", d.clone(), Some(s.clone()), &market(), TODAY);
    assert_eq!(
        (v.state, v.delivery),
        (OwnState::Expired, Delivery::Delivered)
    );
    assert!(v.matches.is_empty());
    // On its last day it is still live.
    let v = o.view("srv:lst_1", d, Some(s), &market(), date!(2022 - 05 - 09));
    assert_eq!(v.state, OwnState::Active);
    // A later date in an edit does not revive it: the service's date counts.
    let mut later = wanted();
    later.valid_until = "2022-05-30".into();
    let mut past = wanted();
    past.valid_until = "2022-05-09".into();
    let o = own(waiting(
        "srv:lst_1",
        vec![(
            "update_listing",
            json!({ "listing": "srv:lst_1", "details": later }),
            false,
        )],
    ));
    let s = served("lst_1", past.clone(), ListingState::Active, None);
    let v = o.view("srv:lst_1", past, Some(s), &market(), TODAY);
    assert_eq!(v.state, OwnState::Expired);
    assert_eq!(v.details, later);
}

#[test]
fn the_last_edit_waiting_is_what_the_listing_reads_and_a_refused_one_is_parked() {
    let key = "listing-1";
    let mut first = wanted();
    first.quantity = 25000.0;
    let mut second = wanted();
    second.quantity = 30000.0;
    let o = own(waiting(
        key,
        vec![
            (
                "update_listing",
                json!({ "listing": key, "details": first }),
                true,
            ),
            (
                "update_listing",
                json!({ "listing": key, "details": second }),
                false,
            ),
        ],
    ));
    let s = served("lst_1", wanted(), ListingState::Active, None);
    let v = o.view(key, wanted(), Some(s), &market(), TODAY);
    assert_eq!((v.state, v.delivery), (OwnState::Active, Delivery::Parked));
    assert!(v.pending_edit);
    assert_eq!(v.details, second);
    // The suggestions follow the listing as edited.
    let covers = v.matches[0].reasons.iter().any(|r| {
        matches!(r, yiqifu_protocol::listings::MatchReason::Quantity { needed, .. } if *needed == 30000.0)
    });
    assert!(covers, "{:?}", v.matches[0].reasons);
}

#[test]
fn the_newer_copy_of_the_service_record_wins() {
    let old = served("lst_1", wanted(), ListingState::Active, None);
    let edited = served(
        "lst_1",
        wanted(),
        ListingState::Withdrawn,
        Some("2022-05-10T02:00:00Z"),
    );
    assert_eq!(
        newer(Some(old.clone()), Some(edited.clone())),
        Some(edited.clone())
    );
    assert_eq!(newer(Some(edited.clone()), Some(old.clone())), Some(edited));
    assert_eq!(newer(None, Some(old.clone())), Some(old.clone()));
    assert_eq!(newer(Some(old.clone()), None), Some(old));
}
