//! The enterprise's own listings: posted and edited offline and sent in order, the
//! service's matches, a match in the inbox, withdrawal, and expiry seen with no network.

use yiqifu_core::client::CentralClient;
use yiqifu_core::inbox::InboxTarget;
use yiqifu_core::listings::{china_today, ListingQuery, OwnState};
use yiqifu_core::records::Delivery;
use yiqifu_protocol::listings::MatchReason;
use yiqifu_protocol::{InboxKind, ListingKind, ListingMatch, ListingState};
use yiqifu_tests::journey::settle;

use super::common::*;

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
    let told = inbox
        .iter()
        .find(|e| e.kind == InboxKind::ListingMatch)
        .unwrap_or_else(|| panic!("{inbox:?}"));
    // It opens on the other side's listing, and names this one by the key used here.
    let InboxTarget::Listing {
        key: theirs,
        own_key,
    } = ws.inbox_target(&told.id).await.unwrap()
    else {
        panic!("a match points at listings");
    };
    assert_eq!(own_key.as_deref(), Some(key.as_str()));
    assert_eq!(ws.own_listing_key(&id).await.unwrap(), key);
    let card = ws.listing(&theirs).await.unwrap();
    assert_eq!(card.listing.id, served[0].listing.id);
    assert_eq!(card.key, theirs);

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
    assert!(
        ws.browse_listings(&ListingQuery::default())
            .await
            .unwrap()
            .iter()
            .all(|c| !c.listing.mine),
        "off the market here at once"
    );
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
    assert_eq!(ws.own_listing_key(&posted.id).await.unwrap(), key);
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
    // Seen as sent before the next pull (there is no record here to hold the answer).
    let v = own(&ws.own_listings().await.unwrap(), &key).clone();
    assert_eq!(v.server.unwrap().details, edited);
    assert_eq!((v.delivery, v.pending_edit), (Delivery::Delivered, false));
    assert_eq!(ws.listing(&key).await.unwrap().listing.details, edited);
    app.sync_now().await.unwrap();
    let v = own(&ws.own_listings().await.unwrap(), &key).clone();
    assert_eq!(v.server.unwrap().details, edited);
    assert_eq!(v.delivery, Delivery::Delivered);

    // Withdrawn from here: out of the market as soon as the service has it.
    ws.withdraw_listing(&key).await.unwrap();
    settle(&ws).await;
    let v = own(&ws.own_listings().await.unwrap(), &key).clone();
    assert_eq!(
        (v.state, v.delivery),
        (OwnState::Withdrawn, Delivery::Delivered)
    );
    assert_eq!(v.server.unwrap().state, ListingState::Withdrawn);
    assert!(browse(&ws, ListingQuery::default())
        .await
        .iter()
        .all(|id| id != &posted.id));
}
