//! The demo seed: the calendar and attachment rule as catalog feeds, a market and appeals
//! that the journeys rely on (and nothing for demo enterprise 0, where they start), and an
//! older demo database topped up with what it lacks.

mod common;

use common::{published_calendar, Svc};
use reqwest::StatusCode;
use serde_json::Value;
use time::OffsetDateTime;
use yiqifu_central::seed::{demo_listings, DEMO_ENTERPRISES};
use yiqifu_protocol::calendar::{china_today, official_years};
use yiqifu_protocol::{
    appeal_attachment_rule, response_clock, Appeal, AppealCategory, AppealState, CalendarYear,
    InboxKind, Listing, ListingState, MaterialRule, Party,
};

#[tokio::test]
async fn the_calendar_and_the_attachment_rule_are_catalog_feeds() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let years: Vec<CalendarYear> = svc.feed(&me, "/api/v1/catalog/calendar").await;
    assert_eq!(years, official_years().unwrap());
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2022, 2023, 2024, 2025, 2026]
    );
    assert!(years.iter().all(|y| y.problems().is_empty()));
    let (_, tag, page) = svc
        .page("/api/v1/catalog/calendar", &me, None, 10, None)
        .await;
    let head = page["next_cursor"].as_str().unwrap();
    let (status, _, _) = svc
        .page("/api/v1/catalog/calendar", &me, Some(head), 10, Some(&tag))
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    let rules: Vec<MaterialRule> = svc.feed(&me, "/api/v1/catalog/attachment-rules").await;
    assert_eq!(rules, [appeal_attachment_rule()]);
    let materials: Vec<MaterialRule> = svc.feed(&me, "/api/v1/catalog/material-rules").await;
    assert!(
        materials
            .iter()
            .all(|r| r.material_type != "appeal_attachment"),
        "the application's material list stays the application's"
    );
}

#[tokio::test]
async fn the_demo_market_is_valid_and_has_the_supply_the_match_journey_needs() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let market: Vec<Listing> = svc.feed(&me, "/api/v1/listings").await;
    let today = china_today(OffsetDateTime::now_utc());
    assert!(market.len() >= 8, "{}", market.len());
    for l in &market {
        assert_eq!(l.state, ListingState::Active);
        assert!(!l.mine);
        assert!(
            l.details.problems(today).is_empty(),
            "{}: {:?}",
            l.details.item,
            l.details.problems(today)
        );
    }
    let masks = market
        .iter()
        .find(|l| l.details.item == "医用外科口罩（一次性，三层）")
        .expect("闵通's masks");
    assert_eq!(masks.enterprise_name, "上海闵通冷链物流有限公司");
    assert_eq!(
        (
            masks.details.quantity,
            masks.details.unit.as_str(),
            masks.details.district.as_str()
        ),
        (50000.0, "只", "闵行区")
    );
    assert_eq!(
        (
            masks.details.contact_name.as_str(),
            masks.details.contact_phone.as_str()
        ),
        ("陈建国", "13916205731")
    );
    // The seed's withdrawn and expired listings are tombstones, and their owners see why.
    let page: Value = svc.get("/api/v1/listings", &me).await;
    assert_eq!(page["removed"].as_array().unwrap().len(), 2);
    let jiacheng = svc.login(1).await;
    let own: Vec<Listing> = svc.list("/api/v1/listings/mine", &jiacheng).await;
    assert!(own
        .iter()
        .any(|l| l.state == ListingState::Expired && l.details.item.starts_with("84 消毒液")));
    let songyun = svc.login(2).await;
    let own: Vec<Listing> = svc.list("/api/v1/listings/mine", &songyun).await;
    assert!(own
        .iter()
        .any(|l| l.state == ListingState::Withdrawn && l.details.item == "医用防护服"));
    let zero = DEMO_ENTERPRISES[0].name;
    assert!(demo_listings()
        .unwrap()
        .iter()
        .all(|l| l.enterprise != zero));
}

#[tokio::test]
async fn demo_enterprise_0_starts_with_nothing() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let appeals: Vec<Appeal> = svc.feed(&me, "/api/v1/appeals").await;
    let own: Vec<Listing> = svc.list("/api/v1/listings/mine", &me).await;
    assert!(appeals.is_empty() && own.is_empty());
    assert!(svc.inbox(&me).await.is_empty());
}

#[tokio::test]
async fn the_demo_appeals_are_stepped_with_real_times() {
    let svc = Svc::start().await;
    let jiacheng = svc.login(1).await;
    let cal = published_calendar(&svc, &jiacheng).await;
    let now = OffsetDateTime::now_utc();
    let appeals: Vec<Appeal> = svc.feed(&jiacheng, "/api/v1/appeals").await;
    assert_eq!(appeals.len(), 2);
    let by = |c: AppealCategory| appeals.iter().find(|a| a.category == c).unwrap();

    let answered = by(AppealCategory::Logistics);
    assert_eq!(answered.state, AppealState::Replied);
    assert_eq!(
        answered.timeline.iter().map(|s| s.to).collect::<Vec<_>>(),
        [
            AppealState::Submitted,
            AppealState::Accepted,
            AppealState::Assigned,
            AppealState::Replied
        ]
    );
    assert!(answered.timeline[1..]
        .iter()
        .all(|s| s.actor.starts_with("reviewer:")));
    assert!(answered.timeline.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(
        answered.assigned_to.as_deref(),
        Some("嘉定区经委物流保障专班")
    );
    assert_eq!(
        answered.messages.iter().map(|m| m.from).collect::<Vec<_>>(),
        [Party::Enterprise, Party::Authority]
    );
    assert_eq!(answered.rating.as_ref().map(|r| r.score), Some(5));
    let clock = response_clock(answered, &cal, now);
    assert!(clock.contact.met && !clock.contact.overdue);
    assert!(clock.reply.met && !clock.reply.overdue);

    let waiting = by(AppealCategory::Financing);
    assert_eq!(waiting.state, AppealState::Submitted);
    let clock = response_clock(waiting, &cal, now);
    assert!(clock.contact.overdue && clock.reply.overdue, "{clock:?}");
    assert!(waiting.created_at < answered.created_at);

    let minton = svc.login(3).await;
    let theirs: Vec<Appeal> = svc.feed(&minton, "/api/v1/appeals").await;
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].state, AppealState::Replied);
    assert!(theirs[0].rating.is_none());
    let inbox = svc.inbox(&minton).await;
    assert!(inbox
        .iter()
        .any(|e| e.kind == InboxKind::AppealReply && e.ref_id == theirs[0].id));
    assert!(svc
        .inbox(&jiacheng)
        .await
        .iter()
        .any(|e| e.kind == InboxKind::AppealReply && e.ref_id == answered.id));
}

#[tokio::test]
async fn an_older_demo_database_gains_the_calendar_and_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let (database, uploads) = common::a_database(dir.path()).await;
    let first = common::start_on(&database, &uploads).await;
    let count = |sql: &'static str| {
        let db = first.db.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&db).await.unwrap();
            n
        }
    };
    let listings = count("SELECT COUNT(*) FROM listings").await;
    let appeals = count("SELECT COUNT(*) FROM appeals").await;
    // As a database seeded before the calendar and the attachment rules existed.
    sqlx::query("DELETE FROM catalog WHERE collection IN ('calendar', 'attachment_rules')")
        .execute(&first.db)
        .await
        .unwrap();
    first.stop().await;

    let again = common::start_on(&database, &uploads).await;
    let n = |sql: &'static str| {
        let db = again.db.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&db).await.unwrap();
            n
        }
    };
    assert_eq!(
        n("SELECT COUNT(*) FROM catalog WHERE collection = 'calendar'").await,
        official_years().unwrap().len() as i64
    );
    assert_eq!(
        n("SELECT COUNT(*) FROM catalog WHERE collection = 'attachment_rules'").await,
        1
    );
    assert_eq!(n("SELECT COUNT(*) FROM listings").await, listings);
    assert_eq!(n("SELECT COUNT(*) FROM appeals").await, appeals);
    again.stop().await;
}
