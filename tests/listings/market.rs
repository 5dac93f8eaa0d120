//! The market: pulled whole, browsed offline with every filter, and left by withdrawn and
//! expired listings; a validator per enterprise.

use std::sync::Arc;

use time::OffsetDateTime;
use yiqifu_core::client::CentralClient;
use yiqifu_core::listings::ListingQuery;
use yiqifu_core::Workspace;
use yiqifu_protocol::{ListingCategory, ListingKind, ListingState};
use yiqifu_tests::sign_in_as;

use super::common::*;

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
