//! 供需对接 in the core, against a real `yiqifu-central`: the market pulled and browsed
//! offline, withdrawals and expiries leaving it, own listings posted and edited offline and
//! sent in order, expiry seen on the day with no network, the same matches as the
//! service's, a match told in the inbox, and a validator of the market per enterprise.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use time::{Duration, OffsetDateTime};
use yiqifu_central::{Config, Running};
use yiqifu_core::application::Delivery;
use yiqifu_core::client::CentralClient;
use yiqifu_core::listings::{china_today, ListingQuery, OwnListingView, OwnState};
use yiqifu_core::{App, Workspace};
use yiqifu_protocol::listings::MatchReason;
use yiqifu_protocol::{
    InboxKind, ListingCategory, ListingKind, ListingMatch, ListingState, NewListing,
};
use yiqifu_tests::journey::{fast, settle};
use yiqifu_tests::{demo_login_of, sign_in_as, sign_in_demo, test_keychain};

/// The supply of journey b: 闵通冷链's surgical masks.
const MASKS: &str = "医用外科口罩（一次性，三层）";

fn day(offset: i64) -> String {
    (china_today() + Duration::days(offset)).to_string()
}

/// The demand of journey b: 20,000 masks in Pudong for two weeks.
fn masks_wanted() -> NewListing {
    NewListing {
        kind: ListingKind::Demand,
        category: ListingCategory::Supplies,
        item: "医用外科口罩".into(),
        quantity: 20000.0,
        unit: "只".into(),
        district: "浦东新区".into(),
        valid_until: day(14),
        contact_name: "王芳".into(),
        contact_phone: "13800138000".into(),
        note: Some("车间复工首周用量".into()),
    }
}

/// The demo service on a database of the test's own, so it can stop and start again on
/// the same address with the same data (offline, then online).
async fn central_at(dir: &Path, addr: SocketAddr) -> Running {
    // Before the service's hashing starts threads: see `yiqifu_tests::start_central`.
    yiqifu_core::secrets::ensure_session_keyring().expect("a session keyring for the test");
    yiqifu_central::start(Config {
        addr,
        db_path: dir.join("central.sqlite"),
        demo: true,
        scale: 0,
    })
    .await
    .expect("the demo service")
}

async fn app_on(dir: &Path, test: &str, central: &Running) -> (App, Arc<Workspace>) {
    let app = App::open(&dir.join("app"), test_keychain(test))
        .await
        .unwrap();
    app.set_sync_config(fast());
    let ws = sign_in_demo(&app, &central.url()).await;
    app.sync_now().await.unwrap();
    (app, ws)
}

/// Ids of the market's live listings, as the service holds them.
async fn live_on_service(central: &Running) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM listings WHERE state = 'active' AND valid_until >= ? ORDER BY id",
    )
    .bind(day(0))
    .fetch_all(&central.db)
    .await
    .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

async fn id_of_item(central: &Running, item: &str) -> (String, String) {
    sqlx::query_as(
        "SELECT id, owner FROM listings WHERE json_extract(body, '$.item') = ? AND state = 'active'",
    )
    .bind(item)
    .fetch_one(&central.db)
    .await
    .unwrap()
}

/// Rewrites the date the service *shows* for a listing (not the one it expires by), with
/// a new seq so the feed carries it: what a client sees of a listing whose day has come
/// before the service has marked it.
async fn show_valid_until(central: &Running, id: &str, date: &str) {
    sqlx::query(
        "UPDATE listings SET body = json_set(body, '$.valid_until', ?),
             seq = (SELECT MAX(seq) + 1 FROM listings) WHERE id = ?",
    )
    .bind(date)
    .bind(id)
    .execute(&central.db)
    .await
    .unwrap();
}

async fn browse(ws: &Workspace, q: ListingQuery) -> Vec<String> {
    let mut ids: Vec<String> = ws
        .browse_listings(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.listing.id)
        .collect();
    ids.sort();
    ids
}

fn own<'a>(views: &'a [OwnListingView], key: &str) -> &'a OwnListingView {
    views
        .iter()
        .find(|v| v.key == key)
        .unwrap_or_else(|| panic!("no own listing {key} in {views:?}"))
}

async fn token_of(client: &CentralClient, i: usize) -> String {
    let (code, pw) = demo_login_of(i);
    client.login(&code, pw).await.unwrap().access_token
}

#[tokio::test]
async fn the_market_is_pulled_whole_and_browsed_offline_with_every_filter() {
    let dir = tempfile::tempdir().unwrap();
    let central = central_at(dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    // One listing's day has come, though the service has not marked it yet.
    let (antigen, _) = id_of_item(&central, "抗原检测试剂盒").await;
    show_valid_until(&central, &antigen, &day(-1)).await;
    let (app, ws) = app_on(dir.path(), "listings-browse", &central).await;

    let all = browse(&ws, ListingQuery::default()).await;
    assert_eq!(all, live_on_service(&central).await);
    assert!(all.len() >= 8, "the demo market: {all:?}");
    let cards = ws.browse_listings(&ListingQuery::default()).await.unwrap();
    // Newest first, none of them this enterprise's, none over but the one shown lapsed.
    let created: Vec<&str> = cards
        .iter()
        .map(|c| c.listing.created_at.as_str())
        .collect();
    let mut sorted = created.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted);
    assert!(cards
        .iter()
        .all(|c| !c.listing.mine && c.key == format!("srv:{}", c.listing.id)));
    assert!(cards
        .iter()
        .all(|c| c.listing.state == ListingState::Active));
    let lapsed: Vec<&str> = cards
        .iter()
        .filter(|c| c.expired)
        .map(|c| c.listing.id.as_str())
        .collect();
    assert_eq!(lapsed, [antigen.as_str()]);
    let masks = cards
        .iter()
        .find(|c| c.listing.details.item == MASKS)
        .unwrap();
    assert_eq!(masks.listing.enterprise_name, "上海闵通冷链物流有限公司");
    assert_eq!(masks.listing.details.contact_phone, "13916205731");

    // Offline from here on: the service is gone, every filter still answers.
    central.stop().await;
    assert_eq!(
        ws.browse_listings(&ListingQuery::default()).await.unwrap(),
        cards
    );
    let demand = ws
        .browse_listings(&ListingQuery {
            kind: Some(ListingKind::Demand),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!demand.is_empty());
    assert!(demand
        .iter()
        .all(|c| c.listing.details.kind == ListingKind::Demand));
    assert_eq!(
        demand.len(),
        cards
            .iter()
            .filter(|c| c.listing.details.kind == ListingKind::Demand)
            .count()
    );
    let minhang_supplies = ws
        .browse_listings(&ListingQuery {
            category: Some(ListingCategory::Supplies),
            district: Some("闵行区".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(minhang_supplies.len(), 1, "{minhang_supplies:?}");
    assert_eq!(minhang_supplies[0].listing.details.item, MASKS);

    // Search: the item, the enterprise's name, the note; Latin letters without case.
    let search = |t: &str| ListingQuery {
        text: Some(t.into()),
        ..Default::default()
    };
    let found = ws.browse_listings(&search("口罩")).await.unwrap();
    let items: Vec<&str> = found
        .iter()
        .map(|c| c.listing.details.item.as_str())
        .collect();
    assert!(
        items.contains(&MASKS) && items.contains(&"N95 口罩"),
        "{items:?}"
    );
    assert!(items.iter().all(|i| i.contains("口罩")), "{items:?}");
    let jiacheng = ws.browse_listings(&search("嘉程汽车")).await.unwrap();
    assert!(!jiacheng.is_empty());
    assert!(jiacheng
        .iter()
        .all(|c| c.listing.enterprise_name == "上海嘉程汽车零部件有限公司"));
    let steel = ws.browse_listings(&search("spcc")).await.unwrap();
    assert_eq!(steel.len(), 1);
    assert!(steel[0].listing.details.item.contains("SPCC"));
    let by_note = ws.browse_listings(&search("出厂检验报告")).await.unwrap();
    assert_eq!(by_note.len(), 1);
    assert_eq!(by_note[0].listing.details.item, MASKS);
    assert!(ws
        .browse_listings(&search("火星"))
        .await
        .unwrap()
        .is_empty());

    // Still valid today: the lapsed one goes, the rest stay.
    let valid = browse(
        &ws,
        ListingQuery {
            valid_only: true,
            ..Default::default()
        },
    )
    .await;
    let mut expected = all.clone();
    expected.retain(|id| id != &antigen);
    assert_eq!(valid, expected);

    // One card by key, offline too; a key nobody has is NOT_FOUND.
    let card = ws.listing(&masks.key).await.unwrap();
    assert_eq!(&card, masks);
    assert_eq!(ws.listing(&masks.listing.id).await.unwrap(), card);
    assert_eq!(
        ws.listing("srv:lst_nobody").await.unwrap_err().code(),
        "NOT_FOUND"
    );
    assert_eq!(
        app.sync_now().await.unwrap_err().code(),
        "SERVER_UNREACHABLE",
        "all of the above was offline"
    );
}

#[tokio::test]
async fn withdrawn_and_expired_listings_leave_the_market_and_each_enterprise_has_its_own_validator()
{
    let dir = tempfile::tempdir().unwrap();
    let central = central_at(dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let (app, ws) = app_on(dir.path(), "listings-removed", &central).await;
    let before = browse(&ws, ListingQuery::default()).await;

    // The other side withdraws one listing; another's day passes on the service.
    let (masks, minton) = id_of_item(&central, MASKS).await;
    let mut tx = central.db.begin().await.unwrap();
    yiqifu_central::listings::withdraw_at(&mut tx, &minton, &masks, OffsetDateTime::now_utc())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (steel, _) = id_of_item(&central, "冷轧钢板 SPCC 1.0mm").await;
    sqlx::query(
        "UPDATE listings SET valid_until = ?1, body = json_set(body, '$.valid_until', ?1)
         WHERE id = ?2",
    )
    .bind(day(-1))
    .bind(&steel)
    .execute(&central.db)
    .await
    .unwrap();

    app.sync_now().await.unwrap();
    let after = browse(&ws, ListingQuery::default()).await;
    let mut expected = before.clone();
    expected.retain(|id| id != &masks && id != &steel);
    assert_eq!(after, expected);
    assert_eq!(after, live_on_service(&central).await);
    assert_eq!(
        ws.listing(&format!("srv:{masks}"))
            .await
            .unwrap_err()
            .code(),
        "NOT_FOUND"
    );

    // A second enterprise on the same computer keeps its own copy and validator: the
    // market reads differently for each (`mine`), so one's ETag is no good for the other.
    let other = sign_in_as(&app, 1).await;
    app.sync_now().await.unwrap();
    let theirs = other
        .browse_listings(&ListingQuery::default())
        .await
        .unwrap();
    assert!(
        theirs.iter().any(|c| c.listing.mine),
        "嘉程 has listings of its own"
    );
    assert!(ws
        .browse_listings(&ListingQuery::default())
        .await
        .unwrap()
        .iter()
        .all(|c| !c.listing.mine));
    let validator = |w: Arc<Workspace>| async move {
        let row: (Option<String>, Option<String>) =
            sqlx::query_as("SELECT cursor, etag FROM sync_cursors WHERE collection = 'listings'")
                .fetch_one(w.store().pool())
                .await
                .unwrap();
        (row.0.unwrap(), row.1.unwrap())
    };
    let (cursor0, tag0) = validator(ws.clone()).await;
    let (_, tag1) = validator(other.clone()).await;
    assert_ne!(tag0, tag1);
    let client = CentralClient::new(&central.url()).unwrap();
    let token0 = token_of(&client, 0).await;
    let path = "api/v1/listings";
    let unchanged = client
        .feed(path, &token0, Some(&cursor0), 200, Some(&tag0))
        .await
        .unwrap();
    assert!(unchanged.is_none(), "its own validator: 304");
    let answered = client
        .feed(path, &token0, Some(&cursor0), 200, Some(&tag1))
        .await
        .unwrap();
    assert!(
        answered.is_some(),
        "another enterprise's validator is not its own"
    );
}

#[tokio::test]
async fn a_listing_posted_and_edited_offline_goes_out_in_order_and_matches_as_the_service_says() {
    let dir = tempfile::tempdir().unwrap();
    let central = central_at(dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let addr = central.addr;
    let (app, ws) = app_on(dir.path(), "listings-own", &central).await;
    assert!(ws.own_listings().await.unwrap().is_empty());
    central.stop().await;

    // Refused before anything is queued, every bad field named.
    let mut bad = masks_wanted();
    bad.item = "口".repeat(101);
    bad.district = "火星区".into();
    bad.valid_until = day(-1);
    let err = ws.create_listing(bad.clone()).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    let yiqifu_core::Error::InvalidInput(problems) = &err else {
        panic!("{err:?}");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["item", "district", "valid_until"]);
    assert_eq!(
        yiqifu_core::listings::check_listing(&bad, china_today()),
        *problems
    );
    assert!(
        err.message_zh().contains("最多 100 字"),
        "{}",
        err.message_zh()
    );
    assert_eq!(app.status().outbox_queued, 0);

    // Posted and edited with no network: both wait, in that order.
    let key = ws.create_listing(masks_wanted()).await.unwrap();
    let mut more = masks_wanted();
    more.quantity = 30000.0;
    ws.update_listing(&key, more.clone()).await.unwrap();
    let mut once_more = more.clone();
    once_more.note = Some("两周用量".into());
    ws.update_listing(&key, once_more.clone()).await.unwrap();
    // The second edit replaced the first: one create and one edit wait.
    assert_eq!(app.status().outbox_queued, 2);
    let mut switched = once_more.clone();
    switched.kind = ListingKind::Supply;
    let err = ws.update_listing(&key, switched).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    assert!(matches!(&err, yiqifu_core::Error::InvalidInput(p) if p[0].field == "kind"));

    let views = ws.own_listings().await.unwrap();
    let v = own(&views, &key);
    assert_eq!(v.state, OwnState::Unsent);
    assert_eq!(v.delivery, Delivery::Queued);
    assert!(v.pending_edit);
    assert_eq!(v.details, once_more);
    assert!(v.server.is_none());
    // Suggested offline, from the market as pulled: 闵通's masks, with every reason.
    let m = &v.matches[0];
    assert_eq!(m.listing.enterprise_name, "上海闵通冷链物流有限公司");
    assert_eq!(m.listing.details.contact_phone, "13916205731");
    let kinds: Vec<&str> = m
        .reasons
        .iter()
        .map(|r| match r {
            MatchReason::Category { .. } => "category",
            MatchReason::Item { .. } => "item",
            MatchReason::District { .. } => "district",
            MatchReason::Quantity { covers, .. } => {
                assert!(covers, "50,000 cover 30,000");
                "quantity"
            }
            MatchReason::Dates { .. } => "dates",
        })
        .collect();
    assert_eq!(kinds, ["category", "item", "quantity", "dates"]);

    // Online again: the create goes first, then the edit.
    let central = central_at(dir.path(), addr).await;
    settle(&ws).await;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT l.id, l.body FROM listings l JOIN enterprises e ON e.credit_code = l.owner
         WHERE e.name = '上海浦江精密机械有限公司'",
    )
    .fetch_all(&central.db)
    .await
    .unwrap();
    assert_eq!(rows.len(), 1, "posted once: {rows:?}");
    let on_service: yiqifu_protocol::Listing = serde_json::from_str(&rows[0].1).unwrap();
    assert_eq!(on_service.details, once_more);
    assert!(
        on_service.updated_at.is_some(),
        "edited after it was posted"
    );
    app.sync_now().await.unwrap();
    let views = ws.own_listings().await.unwrap();
    assert_eq!(views.len(), 1);
    let v = own(&views, &key);
    assert_eq!(v.state, OwnState::Active);
    assert_eq!(v.delivery, Delivery::Delivered);
    assert!(!v.pending_edit);
    assert_eq!(v.details, once_more);
    let id = v.server.as_ref().unwrap().id.clone();
    assert_eq!(id, rows[0].0);

    // The same matches as the service's, reasons and scores included.
    let client = CentralClient::new(&central.url()).unwrap();
    let token = token_of(&client, 0).await;
    let served: Vec<ListingMatch> = serde_json::from_value(
        client
            .call(
                reqwest::Method::GET,
                &format!("api/v1/listings/{id}/matches"),
                &token,
                None,
                None,
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(!served.is_empty());
    assert_eq!(v.matches, served);

    // The service told this side of the match in its inbox.
    let inbox = ws.inbox_entries().await.unwrap();
    assert!(
        inbox.iter().any(|e| e.kind == InboxKind::ListingMatch),
        "{inbox:?}"
    );

    // In the market as this enterprise's own, under the same key.
    let mine: Vec<_> = ws
        .browse_listings(&ListingQuery::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.listing.mine)
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].key, key);
    assert_eq!(ws.listing(&key).await.unwrap(), mine[0]);

    // Withdrawn: at once here, then on the service and out of the market.
    ws.withdraw_listing(&key).await.unwrap();
    let v = ws.own_listings().await.unwrap().remove(0);
    assert_eq!(
        (v.state, v.delivery),
        (OwnState::Withdrawn, Delivery::Queued)
    );
    assert!(v.matches.is_empty());
    let err = ws.update_listing(&key, once_more).await.unwrap_err();
    assert!(matches!(&err, yiqifu_core::Error::InvalidInput(p) if p[0].field == "state"));
    settle(&ws).await;
    app.sync_now().await.unwrap();
    let v = ws.own_listings().await.unwrap().remove(0);
    assert_eq!(
        (v.state, v.delivery),
        (OwnState::Withdrawn, Delivery::Delivered)
    );
    assert_eq!(v.server.unwrap().state, ListingState::Withdrawn);
    assert!(ws
        .browse_listings(&ListingQuery::default())
        .await
        .unwrap()
        .iter()
        .all(|c| !c.listing.mine));
}

#[tokio::test]
async fn an_own_listing_expires_on_its_day_with_no_network_and_one_posted_elsewhere_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let central = central_at(dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let addr = central.addr;
    let (app, ws) = app_on(dir.path(), "listings-expiry", &central).await;

    // Posted from another computer of the same enterprise: known here by the service's id.
    let client = CentralClient::new(&central.url()).unwrap();
    let token = token_of(&client, 0).await;
    let mut elsewhere = masks_wanted();
    elsewhere.item = "红外额温枪".into();
    elsewhere.valid_until = day(1);
    let posted: yiqifu_protocol::Listing = serde_json::from_value(
        client
            .call(
                reqwest::Method::POST,
                "api/v1/listings",
                &token,
                Some("idem-elsewhere-1"),
                Some(&serde_json::to_value(&elsewhere).unwrap()),
            )
            .await
            .unwrap(),
    )
    .unwrap();
    app.sync_now().await.unwrap();
    let key = format!("srv:{}", posted.id);
    let v = own(&ws.own_listings().await.unwrap(), &key).clone();
    assert_eq!(
        (v.state, v.delivery),
        (OwnState::Active, Delivery::Delivered)
    );
    assert_eq!(v.details, elsewhere);

    // The service shows its date as passed (it has not marked it yet); the network goes.
    show_valid_until(&central, &posted.id, &day(-1)).await;
    app.sync_now().await.unwrap();
    central.stop().await;
    assert!(app.sync_now().await.is_err());
    let v = own(&ws.own_listings().await.unwrap(), &key).clone();
    assert_eq!(v.state, OwnState::Expired, "seen here on the day, offline");
    assert_eq!(v.server.as_ref().unwrap().state, ListingState::Active);
    assert!(v.matches.is_empty());
    let card = ws.listing(&key).await.unwrap();
    assert!(card.expired);
    assert!(browse(
        &ws,
        ListingQuery {
            valid_only: true,
            ..Default::default()
        }
    )
    .await
    .iter()
    .all(|id| id != &posted.id));
    let err = ws
        .update_listing(&key, elsewhere.clone())
        .await
        .unwrap_err();
    assert!(matches!(&err, yiqifu_core::Error::InvalidInput(p) if p[0].field == "state"));

    // Back online, the service marks it expired too, and it leaves the market.
    let central = central_at(dir.path(), addr).await;
    sqlx::query("UPDATE listings SET valid_until = ? WHERE id = ?")
        .bind(day(-1))
        .bind(&posted.id)
        .execute(&central.db)
        .await
        .unwrap();
    app.sync_now().await.unwrap();
    let v = own(&ws.own_listings().await.unwrap(), &key).clone();
    assert_eq!(v.state, OwnState::Expired);
    assert_eq!(
        v.server.unwrap().state,
        ListingState::Expired,
        "the service says so too"
    );
    assert!(browse(&ws, ListingQuery::default())
        .await
        .iter()
        .all(|id| id != &posted.id));

    // A live listing posted elsewhere is edited from here: the edit goes to its id.
    let mut second = elsewhere.clone();
    second.item = "一次性医用手套".into();
    second.valid_until = day(10);
    let client = CentralClient::new(&central.url()).unwrap();
    let token = token_of(&client, 0).await;
    let posted: yiqifu_protocol::Listing = serde_json::from_value(
        client
            .call(
                reqwest::Method::POST,
                "api/v1/listings",
                &token,
                Some("idem-elsewhere-2"),
                Some(&serde_json::to_value(&second).unwrap()),
            )
            .await
            .unwrap(),
    )
    .unwrap();
    app.sync_now().await.unwrap();
    let key = format!("srv:{}", posted.id);
    let mut edited = second.clone();
    edited.quantity = 400.0;
    ws.update_listing(&key, edited.clone()).await.unwrap();
    settle(&ws).await;
    app.sync_now().await.unwrap();
    let v = own(&ws.own_listings().await.unwrap(), &key).clone();
    assert_eq!(v.server.unwrap().details, edited);
    assert_eq!(v.delivery, Delivery::Delivered);
}
