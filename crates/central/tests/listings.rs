//! Listings (供需对接) over HTTP: the market as a feed with `mine` per caller, withdrawals
//! and expiry as tombstones, edits, matches with reasons told once, and every limit.

mod common;

use common::{error_code, invalid_fields, Svc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};
use yiqifu_protocol::calendar::china_today;
use yiqifu_protocol::listings::matches;
use yiqifu_protocol::{InboxKind, Listing, ListingMatch, ListingState, MatchReason};

const FEED: &str = "/api/v1/listings";

fn in_days(n: i64) -> String {
    (china_today(OffsetDateTime::now_utc()) + Duration::days(n)).to_string()
}

fn listing(kind: &str, item: &str, qty: f64, district: &str) -> Value {
    json!({
        "kind": kind, "category": "supplies", "item": item, "quantity": qty, "unit": "只",
        "district": district, "valid_until": in_days(14), "contact_name": "李强",
        "contact_phone": "13800000000", "note": null
    })
}

async fn post(svc: &Svc, token: &str, key: &str, body: &Value) -> Listing {
    let r = svc.post_keyed(FEED, token, key, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

async fn put(svc: &Svc, token: &str, id: &str, body: &Value) -> reqwest::Response {
    svc.req(Method::PUT, &format!("{FEED}/{id}"), token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn withdraw(svc: &Svc, token: &str, id: &str) -> StatusCode {
    svc.req(Method::POST, &format!("{FEED}/{id}/withdraw"), token)
        .send()
        .await
        .unwrap()
        .status()
}

/// Reads the feed from `cursor` to its head: items, tombstones, the head's cursor and ETag.
async fn drain(
    svc: &Svc,
    token: &str,
    cursor: Option<&str>,
    limit: u32,
) -> (Vec<Listing>, Vec<String>, String, String) {
    let (mut items, mut removed) = (Vec::new(), Vec::new());
    let mut cursor = cursor.map(String::from);
    loop {
        let (status, tag, page) = svc.page(FEED, token, cursor.as_deref(), limit, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        items.extend(serde_json::from_value::<Vec<Listing>>(page["items"].clone()).unwrap());
        removed.extend(serde_json::from_value::<Vec<String>>(page["removed"].clone()).unwrap());
        cursor = Some(page["next_cursor"].as_str().unwrap().to_string());
        if page["has_more"] == false {
            return (items, removed, cursor.unwrap(), tag);
        }
    }
}

#[tokio::test]
async fn the_market_is_a_feed_with_mine_per_caller_and_its_own_etag() {
    let svc = Svc::start().await;
    let (a, b) = (svc.login(0).await, svc.login(3).await);
    let (seeded, gone, head, tag_a) = drain(&svc, &a, None, 4).await;
    assert!(seeded.len() >= 5, "the seed posts a market");
    assert!(seeded
        .iter()
        .all(|l| !l.mine && l.state == ListingState::Active));
    assert_eq!(
        gone.len(),
        2,
        "the seed's withdrawn and expired listings are tombstones"
    );
    let (all_at_once, _, same_head, tag_b) = drain(&svc, &b, None, 500).await;
    assert_eq!(same_head, head);
    assert_eq!(all_at_once.len(), seeded.len(), "paging loses nothing");
    assert!(
        all_at_once.iter().any(|l| l.mine),
        "闵通 sees its own as mine"
    );
    // Same head, different callers: different validators, and each earns only its own 304.
    assert_ne!(tag_a, tag_b);
    let (status, _, _) = svc.page(FEED, &a, Some(&head), 10, Some(&tag_a)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    let (status, _, _) = svc.page(FEED, &a, Some(&head), 10, Some(&tag_b)).await;
    assert_eq!(status, StatusCode::OK);

    let mine = post(
        &svc,
        &a,
        "l-1",
        &listing("supply", "一次性医用手套", 1000.0, "浦东新区"),
    )
    .await;
    let (new_a, _, _, _) = drain(&svc, &a, Some(&head), 10).await;
    let (new_b, _, _, _) = drain(&svc, &b, Some(&head), 10).await;
    assert_eq!((new_a.len(), new_b.len()), (1, 1));
    assert_eq!(
        (new_a[0].id.as_str(), new_a[0].mine),
        (mine.id.as_str(), true)
    );
    assert_eq!(
        (new_b[0].id.as_str(), new_b[0].mine),
        (mine.id.as_str(), false)
    );
    // The server no longer filters: the client does, offline.
    let filtered = svc
        .req(Method::GET, FEED, &a)
        .query(&[("kind", "supply")])
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(filtered).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn withdrawn_and_expired_listings_arrive_as_tombstones() {
    let svc = Svc::start().await;
    let a = svc.login(0).await;
    let (_, _, head, _) = drain(&svc, &a, None, 500).await;
    let gone = post(
        &svc,
        &a,
        "l-1",
        &listing("supply", "测温枪", 10.0, "浦东新区"),
    )
    .await;
    let old = post(
        &svc,
        &a,
        "l-2",
        &listing("supply", "防护面屏", 10.0, "浦东新区"),
    )
    .await;
    assert_eq!(
        withdraw(&svc, &svc.login(3).await, &gone.id).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(withdraw(&svc, &a, &gone.id).await, StatusCode::OK);
    // Past its date (as if days went by): the next read expires it.
    let yesterday = in_days(-1);
    let set_until = if common::on_postgres() {
        "UPDATE listings SET valid_until = $1,
             body = CAST(jsonb_set(CAST(body AS jsonb), '{valid_until}', to_jsonb(CAST($2 AS TEXT))) AS TEXT)
          WHERE id = $3"
    } else {
        "UPDATE listings SET valid_until = $1, body = json_set(body, '$.valid_until', $2) WHERE id = $3"
    };
    sqlx::query(set_until)
        .bind(&yesterday)
        .bind(&yesterday)
        .bind(&old.id)
        .execute(&svc.running.db)
        .await
        .unwrap();
    let (items, removed, _, _) = drain(&svc, &a, Some(&head), 10).await;
    assert!(items.is_empty(), "{items:?}");
    assert_eq!(removed, [gone.id.clone(), old.id.clone()]);

    let own: Vec<Listing> = svc.list("/api/v1/listings/mine", &a).await;
    let state = |id: &str| own.iter().find(|l| l.id == id).map(|l| l.state);
    assert_eq!(own.len(), 2, "every state, nothing of others");
    assert_eq!(state(&gone.id), Some(ListingState::Withdrawn));
    assert_eq!(state(&old.id), Some(ListingState::Expired));
    assert!(own.iter().all(|l| l.mine && l.updated_at.is_some()));
    for id in [&gone.id, &old.id] {
        let r = put(
            &svc,
            &a,
            id,
            &listing("supply", "防护面屏", 20.0, "浦东新区"),
        )
        .await;
        assert_eq!(
            error_code(r).await,
            (StatusCode::CONFLICT, "INVALID_TRANSITION".into())
        );
        let m: Vec<ListingMatch> = svc.get(&format!("{FEED}/{id}/matches"), &a).await;
        assert!(m.is_empty());
    }
}

#[tokio::test]
async fn a_match_has_reasons_and_both_sides_are_told_once() {
    let svc = Svc::start().await;
    let (a, minton) = (svc.login(0).await, svc.login(3).await);
    let told_before = svc.inbox(&minton).await.len();
    let mut body = listing("demand", "医用外科口罩", 20000.0, "浦东新区");
    body["valid_until"] = json!(in_days(14));
    let demand = post(&svc, &a, "d-1", &body).await;
    let m: Vec<ListingMatch> = svc.get(&format!("{FEED}/{}/matches", demand.id), &a).await;
    assert_eq!(m.len(), 1, "{m:?}");
    let supply = &m[0].listing;
    assert_eq!(supply.enterprise_name, "上海闵通冷链物流有限公司");
    assert_eq!(supply.details.contact_phone, "13916205731");
    assert!(!supply.mine);
    let kinds: Vec<&str> = m[0]
        .reasons
        .iter()
        .map(|r| match r {
            MatchReason::Category { .. } => "category",
            MatchReason::Item { .. } => "item",
            MatchReason::District { .. } => "district",
            MatchReason::Quantity { covers: true, .. } => "quantity covers",
            MatchReason::Quantity { .. } => "quantity",
            MatchReason::Dates { .. } => "dates",
        })
        .collect();
    assert_eq!(kinds, ["category", "item", "quantity covers", "dates"]);
    // The service's matches are the protocol's over the market the client receives.
    let (market, _, _, _) = drain(&svc, &a, None, 500).await;
    let mine = market.iter().find(|l| l.id == demand.id).unwrap();
    let local = matches(mine, &market, china_today(OffsetDateTime::now_utc()));
    assert_eq!(local, m);

    let ours = svc.inbox(&a).await;
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].kind, InboxKind::ListingMatch);
    assert_eq!(ours[0].ref_id, supply.id);
    assert_eq!(ours[0].related_id.as_deref(), Some(demand.id.as_str()));
    let theirs = svc.inbox(&minton).await;
    assert_eq!(theirs.len(), told_before + 1);
    let told = theirs.iter().find(|e| e.ref_id == demand.id).unwrap();
    assert_eq!(told.related_id.as_deref(), Some(supply.id.as_str()));

    // An edit is a new change of the feed; the same pair is not told again.
    let (_, _, head, _) = drain(&svc, &a, None, 500).await;
    body["quantity"] = json!(30000.0);
    let r = put(&svc, &a, &demand.id, &body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let edited: Listing = r.json().await.unwrap();
    assert_eq!(edited.details.quantity, 30000.0);
    assert!(edited.updated_at.is_some());
    let (changed, _, _, _) = drain(&svc, &a, Some(&head), 10).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(
        (changed[0].id.as_str(), changed[0].details.quantity),
        (demand.id.as_str(), 30000.0)
    );
    assert_eq!(svc.inbox(&a).await.len(), 1);
    assert_eq!(svc.inbox(&minton).await.len(), told_before + 1);

    // Only the owner edits, and supply or demand stays what it was.
    let r = put(&svc, &minton, &demand.id, &body).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let mut flipped = body.clone();
    flipped["kind"] = json!("supply");
    flipped["item"] = json!("");
    assert_eq!(
        invalid_fields(put(&svc, &a, &demand.id, &flipped).await).await,
        ["kind", "item"]
    );
}

#[tokio::test]
async fn every_limit_of_a_listing_is_named() {
    let svc = Svc::start().await;
    let a = svc.login(0).await;
    let bad = json!({
        "kind": "supply", "category": "supplies", "item": "口".repeat(101), "quantity": 0,
        "unit": "", "district": "火星区", "valid_until": in_days(-1), "contact_name": "",
        "contact_phone": "5888", "note": "备".repeat(501)
    });
    let r = svc.post_keyed(FEED, &a, "bad-1", &bad).await;
    assert_eq!(
        invalid_fields(r).await,
        [
            "item",
            "quantity",
            "unit",
            "district",
            "valid_until",
            "contact_name",
            "contact_phone",
            "note"
        ]
    );
    let mut far = listing("supply", "口罩", 1.0, "闵行区");
    far["valid_until"] = json!(in_days(367));
    assert_eq!(
        invalid_fields(svc.post_keyed(FEED, &a, "bad-2", &far).await).await,
        ["valid_until"]
    );
    far["valid_until"] = json!(in_days(366));
    post(&svc, &a, "ok-1", &far).await;
}

/// An enterprise's own listings and a reviewer's queue come a page at a time: read in pages
/// of one or two, they are the same records in the same order as in one page of 500, each
/// once (rows of the same second included); a cursor not issued here, or a page size out of
/// range, is refused saying so.
#[tokio::test]
async fn own_lists_and_review_queues_come_in_pages() {
    let svc = Svc::start().await;
    let me = svc.login(3).await;
    let seeded: Vec<Listing> = svc.list("/api/v1/listings/mine", &me).await;
    let mut posted = Vec::new();
    for n in 0..5 {
        let body = listing("supply", &format!("口罩 {n} 号"), 100.0, "闵行区");
        posted.push(post(&svc, &me, &format!("paged-{n}"), &body).await.id);
    }
    let whole: Vec<Listing> = svc.list("/api/v1/listings/mine", &me).await;
    let ids = |ls: &[Listing]| ls.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
    let mut sorted = ids(&whole);
    sorted.sort();
    let mut mine = [posted.clone(), ids(&seeded)].concat();
    mine.sort();
    assert_eq!(sorted, mine, "every own listing, each once");
    assert!(
        whole.windows(2).all(|w| w[0].created_at >= w[1].created_at),
        "the newest first"
    );
    for size in [1, 2] {
        let paged: Vec<Listing> = svc.list_by("/api/v1/listings/mine", &me, size).await;
        assert_eq!(ids(&paged), ids(&whole), "in pages of {size}");
    }
    let first: Value = svc
        .get_with("/api/v1/listings/mine", &me, &[("limit", "2")])
        .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert!(first["next"].is_string(), "{first}");
    let all = whole.len().to_string();
    let last: Value = svc
        .get_with("/api/v1/listings/mine", &me, &[("limit", all.as_str())])
        .await;
    assert!(
        last.get("next").is_none(),
        "the last page has no next: {last}"
    );

    let rev = svc.reviewer().await;
    let queue: Vec<yiqifu_protocol::Appeal> = svc.list("/api/v1/review/appeals", &rev).await;
    assert!(queue.len() >= 2, "the demo seeds appeals: {}", queue.len());
    let paged: Vec<yiqifu_protocol::Appeal> = svc.list_by("/api/v1/review/appeals", &rev, 1).await;
    assert_eq!(
        paged.iter().map(|a| &a.id).collect::<Vec<_>>(),
        queue.iter().map(|a| &a.id).collect::<Vec<_>>()
    );

    for (path, token) in [
        ("/api/v1/listings/mine", &me),
        ("/api/v1/applications", &me),
        ("/api/v1/review/applications", &rev),
        ("/api/v1/review/appeals", &rev),
    ] {
        for (query, says) in [
            (("after", "c1.3"), "CURSOR_INVALID"),
            (("after", "p1.x.lst_1"), "CURSOR_INVALID"),
            (("limit", "0"), "BAD_REQUEST"),
            (("limit", "501"), "BAD_REQUEST"),
        ] {
            let r = svc
                .req(Method::GET, path, token)
                .query(&[query])
                .send()
                .await
                .unwrap();
            assert_eq!(
                error_code(r).await,
                (StatusCode::BAD_REQUEST, says.to_string()),
                "{path} {query:?}"
            );
        }
    }
}
