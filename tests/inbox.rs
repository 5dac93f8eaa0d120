//! The feedback inbox (反馈汇总) in the core, against a real `yiqifu-central`: unread counts
//! in the summary and status, read marks that never turn unread again, one notice per new
//! entry (none for the history a sign-in brings), where each entry leads, and entries this
//! version cannot read left out rather than hiding the rest.

use std::sync::Arc;

use yiqifu_core::inbox::InboxTarget;
use yiqifu_core::{App, Workspace};
use yiqifu_protocol::{
    AppealAction, AppealCategory, InboxKind, ListingCategory, ListingKind, NewAppeal, NewListing,
};
use yiqifu_tests::journey::{fast, settle};
use yiqifu_tests::{sign_in_as, sign_in_demo, start_central, test_keychain};

fn appeal(title: &str) -> NewAppeal {
    NewAppeal {
        category: AppealCategory::Logistics,
        title: title.into(),
        description: "货车通行证本周到期。".into(),
        attachments: vec![],
        contact: None,
    }
}

/// The authority replies to the appeal with server id `id`.
async fn reply(central: &yiqifu_central::Running, id: &str, body: &str) {
    let mut tx = central.db.begin().await.unwrap();
    yiqifu_central::appeals::act(
        &mut tx,
        id,
        AppealAction::Reply { body: body.into() },
        "reviewer:张科长",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// An appeal filed from `ws` and delivered; returns its local key and server id.
async fn filed(ws: &Workspace, title: &str) -> (String, String) {
    let key = ws.create_appeal(appeal(title)).await.unwrap();
    settle(ws).await;
    let server = ws.record(&key).await.unwrap().server_id.unwrap();
    (key, server)
}

async fn app_on(
    dir: &std::path::Path,
    test: &str,
) -> (App, yiqifu_central::Running, Arc<Workspace>) {
    let central = start_central().await;
    let app = App::open(dir, test_keychain(test)).await.unwrap();
    app.set_sync_config(fast());
    let ws = sign_in_demo(&app, &central.url()).await;
    app.sync_now().await.unwrap();
    (app, central, ws)
}

#[tokio::test]
async fn a_mark_stays_read_between_its_send_and_the_next_pull() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = app_on(dir.path(), "inbox-marks").await;
    let (_, server) = filed(&ws, "通行证续办").await;
    reply(&central, &server, "已受理，明日办结。").await;
    app.sync_now().await.unwrap();
    let entries = ws.inbox_entries().await.unwrap();
    assert_eq!(entries.len(), 1);
    assert!(!entries[0].read);
    assert_eq!(ws.inbox_unread().await.unwrap(), 1);
    assert_eq!(ws.summary().unread, 1);
    assert_eq!(app.status().inbox_unread, 1);

    let id = entries[0].id.clone();
    ws.mark_inbox_read(&id).await.unwrap();
    assert_eq!(ws.summary().queued, 1, "the mark waits to be sent");
    assert_eq!(app.status().inbox_unread, 0);
    // Sent: its outbox row is gone, the pulled copy still says unread, the entry does not.
    settle(&ws).await;
    let pulled = ws.inbox().await.unwrap();
    assert_eq!(pulled[0]["read"], false);
    assert!(ws.inbox_entries().await.unwrap()[0].read);
    assert_eq!(ws.inbox_unread().await.unwrap(), 0);
    app.sync_now().await.unwrap();
    assert_eq!(ws.inbox().await.unwrap()[0]["read"], true);
    assert!(ws.inbox_entries().await.unwrap()[0].read);
    // Marking again sends nothing.
    ws.mark_inbox_read(&id).await.unwrap();
    assert_eq!(ws.summary().queued, 0);
    assert_eq!(
        ws.mark_inbox_read("no-such-entry")
            .await
            .unwrap_err()
            .code(),
        "NOT_FOUND"
    );

    reply(&central, &server, "补充：电子通行证已发送。").await;
    reply(&central, &server, "请留意短信。").await;
    app.sync_now().await.unwrap();
    assert_eq!(ws.summary().unread, 2);
    assert_eq!(ws.mark_inbox_all_read().await.unwrap(), 2);
    assert_eq!(ws.summary().unread, 0);
    settle(&ws).await;
    app.sync_now().await.unwrap();
    assert!(ws.inbox().await.unwrap().iter().all(|e| e["read"] == true));
    assert_eq!(ws.mark_inbox_all_read().await.unwrap(), 0);
    app.close().await;
}

#[tokio::test]
async fn each_new_entry_is_told_once_and_the_history_of_a_sign_in_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central().await;
    let app = App::open(dir.path(), test_keychain("inbox-notices"))
        .await
        .unwrap();
    app.set_sync_config(fast());
    let mut notices = app.inbox_notices();
    sign_in_demo(&app, &central.url()).await;
    // 嘉程 (demo 1) signs in with a replied appeal in its inbox already.
    let ws = sign_in_as(&app, 1).await;
    app.sync_now().await.unwrap();
    assert!(!ws.inbox_entries().await.unwrap().is_empty());
    assert!(notices.try_recv().is_err(), "no flood after sign-in");

    let list = ws
        .appeals(&yiqifu_core::appeals::AppealQuery::default())
        .await
        .unwrap();
    let open = list.iter().find(|a| a.title == "流动资金贷款展期").unwrap();
    let server = open.key.strip_prefix("srv:").unwrap().to_string();
    reply(&central, &server, "已对接合作银行。").await;
    app.sync_now().await.unwrap();
    let n = notices.try_recv().expect("one notice for the reply");
    assert!(notices.try_recv().is_err(), "only one");
    assert_eq!(n.enterprise, ws.id());
    assert_eq!(n.enterprise_name, "上海嘉程汽车零部件有限公司");
    assert_eq!(n.kind, InboxKind::AppealReply);
    assert_eq!(n.body, "已对接合作银行。");
    // It leads to the appeal, by the key the list uses.
    assert_eq!(
        ws.inbox_target(&n.entry_id).await.unwrap(),
        InboxTarget::Appeal {
            key: open.key.clone()
        }
    );
    app.sync_now().await.unwrap();
    assert!(notices.try_recv().is_err(), "told once");
    app.close().await;
}

#[tokio::test]
async fn entries_lead_to_their_records_and_unreadable_ones_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = app_on(dir.path(), "inbox-targets").await;
    let (key, server) = filed(&ws, "防疫物资调配").await;
    reply(&central, &server, "已安排配送。").await;
    // A demand that the demo's cold-chain supply of masks matches.
    let listing = ws
        .create_listing(NewListing {
            kind: ListingKind::Demand,
            category: ListingCategory::Supplies,
            item: "医用外科口罩".into(),
            quantity: 20000.0,
            unit: "只".into(),
            district: "浦东新区".into(),
            valid_until: plus_days(14),
            contact_name: "王芳".into(),
            contact_phone: "13800138000".into(),
            note: None,
        })
        .await
        .unwrap();
    settle(&ws).await;
    app.sync_now().await.unwrap();
    let entries = ws.inbox_entries().await.unwrap();
    let of = |k: InboxKind| entries.iter().find(|e| e.kind == k).unwrap().id.clone();
    assert_eq!(
        ws.inbox_target(&of(InboxKind::AppealReply)).await.unwrap(),
        InboxTarget::Appeal { key }
    );
    let matched = entries
        .iter()
        .find(|e| e.kind == InboxKind::ListingMatch)
        .expect("a match entry");
    assert_eq!(
        ws.inbox_target(&matched.id).await.unwrap(),
        InboxTarget::Listing {
            key: format!("srv:{}", matched.ref_id),
            own_key: Some(listing),
        }
    );

    // An application's entry leads to the application sent from here; one sent from
    // another computer is not here. (Written straight into the tables: the whole
    // application journey is tests/application.rs's.)
    let pool = ws.store().pool();
    sqlx::query(
        "INSERT INTO records (local_id, kind, draft, server_id, created_at, updated_at)
         VALUES ('application-1', 'application', '{}', 'app_1', 0, 0)",
    )
    .execute(pool)
    .await
    .unwrap();
    for (id, about) in [("ibx-a1", "app_1"), ("ibx-a2", "app_elsewhere")] {
        let entry = serde_json::json!({
            "id": id, "kind": "review_opinion", "title": "已受理", "body": "申请已受理。",
            "ref_type": "application", "ref_id": about,
            "created_at": "2022-05-05T01:00:00Z", "read": true,
        });
        sqlx::query("INSERT INTO feed_items (collection, key, body) VALUES ('inbox', ?, ?)")
            .bind(id)
            .bind(entry.to_string())
            .execute(pool)
            .await
            .unwrap();
    }
    assert_eq!(
        ws.inbox_target("ibx-a1").await.unwrap(),
        InboxTarget::Application {
            record_id: "application-1".into()
        }
    );
    assert_eq!(
        ws.inbox_target("ibx-a2").await.unwrap(),
        InboxTarget::Missing
    );
    let entries = ws.inbox_entries().await.unwrap();

    // An entry this version cannot read (a newer kind) hides nothing else.
    sqlx::query("INSERT INTO feed_items (collection, key, body) VALUES ('inbox', 'ibx-new', ?)")
        .bind(r#"{"id":"ibx-new","kind":"from_the_future","read":false}"#)
        .execute(ws.store().pool())
        .await
        .unwrap();
    assert_eq!(ws.inbox_entries().await.unwrap().len(), entries.len());
    // Nor is it counted: the badge counts what the list shows.
    let unread = entries.iter().filter(|e| !e.read).count() as u32;
    assert_eq!(ws.inbox_unread().await.unwrap(), unread);
    app.close().await;
}

fn plus_days(n: i64) -> String {
    let today = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
    let d = today.date() + time::Duration::days(n);
    d.format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap()
}
