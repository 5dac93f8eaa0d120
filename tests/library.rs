//! The library's state against the real central service: statuses (superseded, expired, in
//! force), what the last sync changed, withdrawn documents, and each enterprise's bookmarks,
//! notes and ticked key conditions, through a backup.

use std::time::Duration;

use yiqifu_core::catalog::{ChangeKind, DocStatus};
use yiqifu_core::{App, Topic};
use yiqifu_protocol::Document;
use yiqifu_tests::{sign_in_as, sign_in_demo, test_keychain};

async fn synced_app(dir: &std::path::Path, test: &str, url: &str) -> App {
    let app = App::open(dir, test_keychain(test)).await.unwrap();
    sign_in_demo(&app, url).await;
    app.sync_now().await.unwrap();
    app
}

fn demo_doc(id: &str) -> Document {
    yiqifu_central::seed::demo_catalog()
        .unwrap()
        .into_iter()
        .find(|d| d.id == id)
        .unwrap()
}

async fn publish(central: &yiqifu_central::Running, d: &Document) {
    let mut conn = central.db.acquire().await.unwrap();
    yiqifu_central::catalog::publish_document(&mut conn, d)
        .await
        .unwrap();
}

async fn withdraw(central: &yiqifu_central::Running, id: &str) {
    let mut conn = central.db.acquire().await.unwrap();
    assert!(
        yiqifu_central::catalog::withdraw(&mut conn, "documents", id)
            .await
            .unwrap()
    );
}

/// Makes the next pull of the documents feed a full resync, as a cursor the service no longer
/// accepts does.
async fn force_full_resync(app: &App) {
    let mut tx = app.store().write().await.unwrap();
    sqlx::query(
        "UPDATE sync_cursors SET cursor = 'd1.999999', etag = NULL WHERE collection = 'documents'",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn guideline_v1_is_superseded_by_v2_and_dates_decide_the_rest() {
    let central = yiqifu_tests::start_central().await;
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "lib-status", &central.url()).await;

    let v1 = app.document_view("gd-001").await.unwrap();
    assert_eq!(v1.status, DocStatus::Superseded);
    let by = v1.superseded_by.unwrap();
    assert_eq!(by.id, "gd-002");
    assert!(by.title.contains("第二版"), "{}", by.title);
    let v2 = app.document_view("gd-002").await.unwrap();
    assert_eq!(v2.status, DocStatus::InForce);
    assert_eq!(v2.document.supersedes.as_deref(), Some("gd-001"));
    assert_eq!(v2.supersedes.unwrap().id, "gd-001");
    assert_eq!(v2.superseded_by, None);
    // A real end date in 2022 has passed; "until further notice" has none.
    let ended = app.document_view("pol-sh-002").await.unwrap();
    assert_eq!(ended.status, DocStatus::Expired);
    assert_eq!(ended.superseded_by, None);
    let open = app.document_view("pol-nat-001").await.unwrap();
    assert_eq!(open.document.expires_on, None);
    assert_eq!(open.status, DocStatus::InForce);
    // The whole demo library: superseded, expired and in force, nothing silently current.
    let today = yiqifu_core::clock::today_in_china();
    let all = yiqifu_core::catalog::statuses(app.store(), &today)
        .await
        .unwrap();
    let count = |s| all.iter().filter(|(_, x)| *x == s).count();
    assert_eq!(count(DocStatus::Superseded), 1);
    assert!(count(DocStatus::Expired) >= 20, "{all:?}");
    assert!(count(DocStatus::InForce) >= 40, "{all:?}");
    // Before the second sync nothing is new: the first brought the whole library.
    assert_eq!(v2.change, None);
    let news = app.whats_new().await.unwrap();
    assert_eq!(news.count(), 0);
    assert!(news.synced_at.is_some());
    assert_eq!(app.status().library_new, 0);
}

#[tokio::test]
async fn the_second_sync_shows_what_is_new_changed_and_withdrawn() {
    let central = yiqifu_tests::start_central().await;
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "lib-news", &central.url()).await;
    let first = app.whats_new().await.unwrap();

    // A full resync delivers every document again, unchanged: nothing is new.
    force_full_resync(&app).await;
    let s = app.sync_now().await.unwrap();
    assert!(s.full_resync);
    assert_eq!(app.whats_new().await.unwrap(), first);

    let mut changed = demo_doc("pol-nat-002");
    changed
        .body
        .push_str("\n\n四、补充。白名单企业名单每周更新一次。");
    publish(&central, &changed).await;
    let mut fresh = demo_doc("pol-nat-001");
    fresh.id = "pol-test-new".into();
    fresh.title = "关于延长复工复产专窗服务时间的通知".into();
    publish(&central, &fresh).await;
    withdraw(&central, "pol-nat-003").await;

    let mut changes = app.changes();
    app.sync_now().await.unwrap();
    let news = app.whats_new().await.unwrap();
    let ids = |v: &[yiqifu_core::catalog::DocumentSummary]| {
        v.iter().map(|d| d.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&news.new), ["pol-test-new"]);
    assert_eq!(ids(&news.changed), ["pol-nat-002"]);
    assert_eq!(news.withdrawn.len(), 1);
    let gone = &news.withdrawn[0];
    assert_eq!(gone.id, "pol-nat-003");
    assert_eq!(gone.title, demo_doc("pol-nat-003").title);
    assert_eq!(news.since, first.synced_at);
    assert_eq!(news.count(), 3);
    assert_eq!(app.status().library_new, 3);
    assert_eq!(
        app.document_view("pol-nat-002").await.unwrap().change,
        Some(ChangeKind::Changed)
    );
    assert_eq!(
        app.document_view("pol-test-new").await.unwrap().change,
        Some(ChangeKind::New)
    );
    assert_eq!(app.document_view("pol-nat-001").await.unwrap().change, None);
    // The withdrawn document is listed, not silently gone, and cannot be opened.
    assert_eq!(
        app.document_view("pol-nat-003").await.unwrap_err().code(),
        "NOT_FOUND"
    );
    assert!(app
        .withdrawn_documents()
        .await
        .unwrap()
        .iter()
        .any(|w| w.id == "pol-nat-003"));
    let topics = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let c = changes.recv().await.unwrap();
            if c.enterprise.is_none() && c.topics.contains(&Topic::Catalog) {
                return c;
            }
        }
    })
    .await;
    assert!(topics.is_ok(), "the library is told to reload");

    // Syncs that change nothing, even a full resync, keep the badge on what last changed.
    app.sync_now().await.unwrap();
    force_full_resync(&app).await;
    app.sync_now().await.unwrap();
    assert_eq!(app.whats_new().await.unwrap(), news);

    // Published again, a withdrawn document is back as new and no longer withdrawn.
    publish(&central, &demo_doc("pol-nat-003")).await;
    app.sync_now().await.unwrap();
    let back = app.whats_new().await.unwrap();
    assert_eq!(ids(&back.new), ["pol-nat-003"]);
    assert!(back.changed.is_empty() && back.withdrawn.is_empty());
    assert_eq!(back.since, news.synced_at);
    assert!(app.withdrawn_documents().await.unwrap().is_empty());
    assert_eq!(app.status().library_new, 1);
}

#[tokio::test]
async fn bookmarks_and_notes_belong_to_their_enterprise() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "lib-marks", &url).await;
    let a = app.active().unwrap();
    let mut changes = app.changes();

    a.bookmark("gd-002", true).await.unwrap();
    a.bookmark("gd-002", true).await.unwrap();
    a.bookmark("pol-nat-003", true).await.unwrap();
    a.set_note("gd-001", "已被第二版取代，按第二版更新防控方案")
        .await
        .unwrap();
    let told = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let c = changes.recv().await.unwrap();
            if c.topics.contains(&Topic::Library) {
                return c;
            }
        }
    })
    .await
    .expect("the enterprise's library views are told to reload");
    assert_eq!(told.enterprise.as_deref(), Some(a.id()));
    assert_eq!(
        a.bookmark("no-such-document", true)
            .await
            .unwrap_err()
            .code(),
        "NOT_FOUND"
    );

    let marks = a.bookmarks().await.unwrap();
    let ids: Vec<&str> = marks.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    for id in ["gd-001", "gd-002", "pol-nat-003"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    let v1 = marks.iter().find(|m| m.id == "gd-001").unwrap();
    assert!(!v1.bookmarked);
    assert_eq!(v1.status, Some(DocStatus::Superseded));
    assert!(v1.note.as_ref().unwrap().text.starts_with("已被第二版取代"));
    let opened = a.library_document("gd-002").await.unwrap();
    assert!(opened.bookmarked && opened.note.is_none());
    assert_eq!(opened.view.status, DocStatus::InForce);
    let wanted: Vec<String> = ["gd-001", "gd-002", "gd-003"].map(String::from).to_vec();
    let m = a.library_marks(&wanted).await.unwrap();
    assert_eq!(m.len(), 2);
    assert!(m
        .iter()
        .any(|m| m.id == "gd-001" && m.has_note && !m.bookmarked));
    assert!(m
        .iter()
        .any(|m| m.id == "gd-002" && m.bookmarked && !m.has_note));

    // A note over the limit is refused whole, naming the limit; the stored one is kept.
    let long = "字".repeat(yiqifu_protocol::LIMITS.library_note as usize + 1);
    let err = a.set_note("gd-001", &long).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    assert!(err.message_zh().contains("5000"), "{}", err.message_zh());
    assert!(err.message_en().contains("5000"), "{}", err.message_en());
    assert!(a.note("gd-001").await.unwrap().is_some());

    // Another enterprise on the same computer sees none of it.
    let b = sign_in_as(&app, 1).await;
    assert_ne!(a.id(), b.id());
    assert!(b.bookmarks().await.unwrap().is_empty());
    assert!(b.library_marks(&wanted).await.unwrap().is_empty());
    assert!(!b.library_document("gd-002").await.unwrap().bookmarked);
    b.bookmark("gd-003", true).await.unwrap();
    assert_eq!(a.bookmarks().await.unwrap().len(), 3);

    // A bookmarked document the service withdraws stays listed, as withdrawn.
    withdraw(&central, "pol-nat-003").await;
    app.sync_now().await.unwrap();
    let gone = a
        .bookmarks()
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.id == "pol-nat-003")
        .unwrap();
    assert!(gone.withdrawn && gone.bookmarked);
    assert_eq!(gone.title, Some(demo_doc("pol-nat-003").title));
    assert_eq!(gone.status, None);

    // An empty note deletes it, and an unbookmarked note-less document leaves the list.
    a.set_note("gd-001", "  ").await.unwrap();
    a.bookmark("gd-002", false).await.unwrap();
    let ids: Vec<String> = a
        .bookmarks()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, ["pol-nat-003"]);
}

#[tokio::test]
async fn ticked_key_conditions_stay_with_their_enterprise_and_a_rewording_asks_for_another_look() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "lib-checks", &url).await;
    let a = app.active().unwrap();
    let doc = demo_doc("gd-002");
    assert!(doc.key_conditions.len() >= 2);
    let (c0, c1) = (&doc.key_conditions[0].id, &doc.key_conditions[1].id);
    a.check_condition("gd-002", c0, true).await.unwrap();
    a.check_condition("gd-002", c1, true).await.unwrap();
    for (d, c) in [
        ("gd-002", "no-such-condition"),
        ("no-such-document", c0.as_str()),
    ] {
        assert_eq!(
            a.check_condition(d, c, true).await.unwrap_err().code(),
            "NOT_FOUND"
        );
    }
    let ticked = |o: &yiqifu_core::library::LibraryDocument| {
        o.checks
            .iter()
            .map(|c| (c.condition_id.clone(), c.reworded))
            .collect::<Vec<_>>()
    };
    let mut both = vec![(c0.clone(), false), (c1.clone(), false)];
    both.sort();
    assert_eq!(ticked(&a.library_document("gd-002").await.unwrap()), both);

    // Another enterprise on this computer has its own checklist.
    let b = sign_in_as(&app, 1).await;
    assert!(b
        .library_document("gd-002")
        .await
        .unwrap()
        .checks
        .is_empty());

    // The service rewords one condition: its tick stays, asking for another look.
    let mut reworded = doc.clone();
    reworded.key_conditions[1]
        .text
        .push_str("（修订：每日两次）");
    publish(&central, &reworded).await;
    app.sync_now().await.unwrap();
    let opened = a.library_document("gd-002").await.unwrap();
    let flags: Vec<(String, bool)> = ticked(&opened);
    assert!(flags.contains(&(c0.clone(), false)), "{flags:?}");
    assert!(flags.contains(&(c1.clone(), true)), "{flags:?}");
    // Ticked again, it is done as now worded; cleared, it is gone.
    a.check_condition("gd-002", c1, true).await.unwrap();
    a.check_condition("gd-002", c0, false).await.unwrap();
    assert_eq!(
        ticked(&a.library_document("gd-002").await.unwrap()),
        [(c1.clone(), false)]
    );
}

#[tokio::test]
async fn bookmarks_and_notes_come_back_from_the_backup() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let kc = test_keychain("lib-backup");
    let app = App::open(dir.path(), kc.clone()).await.unwrap();
    let a = sign_in_demo(&app, &url).await;
    app.sync_now().await.unwrap();
    a.bookmark("gd-002", true).await.unwrap();
    a.set_note("pol-sh-011", "消杀支出补贴：六月底前申报")
        .await
        .unwrap();
    let condition = demo_doc("gd-002").key_conditions[0].id.clone();
    a.check_condition("gd-002", &condition, true).await.unwrap();
    a.store().backup().await.unwrap();
    let id = a.id().to_string();
    let db = a.store().dir().join(yiqifu_core::store::WORKSPACE_DB_FILE);
    drop(a);
    app.close().await;
    drop(app);
    // A clean close leaves nothing in the WAL: were pages still there, bytes written over the
    // database file would damage nothing SQLite reads.
    let wal = db.with_file_name(format!("{}-wal", yiqifu_core::store::WORKSPACE_DB_FILE));
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
    std::fs::write(&db, b"damaged by a bad disk".repeat(100)).unwrap();

    let app = App::open(dir.path(), kc).await.unwrap();
    let a = app.workspace(&id).unwrap();
    assert!(a.notice().is_some(), "the damage is reported");
    let marks = a.bookmarks().await.unwrap();
    assert_eq!(marks.len(), 2);
    assert!(marks.iter().any(|m| m.id == "gd-002" && m.bookmarked));
    assert_eq!(
        a.note("pol-sh-011").await.unwrap().unwrap().text,
        "消杀支出补贴：六月底前申报"
    );
    let checks = a.library_document("gd-002").await.unwrap().checks;
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].condition_id, condition);
}
