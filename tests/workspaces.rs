//! Several enterprises on one computer, against a real `yiqifu-central`: each one's work is
//! kept apart and reaches only its own account, sessions are revoked on sign-out, and a
//! database written before workspaces moves into its enterprise with nothing lost.

use std::path::Path;
use std::time::{Duration, Instant};
use yiqifu_tests::journey::fast;

use yiqifu_core::client::CentralClient;
use yiqifu_core::{App, ServerChoice, Workspace};
use yiqifu_protocol::{AppealAction, AppealCategory, NewAppeal};
use yiqifu_tests::{dead_address, demo_login_of, sign_in_as, sign_in_demo, test_keychain};

fn appeal(title: &str) -> NewAppeal {
    NewAppeal {
        category: AppealCategory::PreventionSupplies,
        title: title.into(),
        description: "抗原试剂库存不足 14 天用量，请协调。".into(),
        attachments: vec![],
        contact: None,
    }
}

/// The titles of the appeals enterprise `i` filed in the last hour: the demo seeds some of its
/// own, filed days ago, which these tests leave out.
async fn titles_of(db: &yiqifu_central::db::Db, i: usize) -> Vec<String> {
    let (code, _) = demo_login_of(i);
    let since = (time::OffsetDateTime::now_utc() - time::Duration::hours(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT body FROM appeals WHERE owner = ? \
         AND json_extract(body, '$.created_at') > ? ORDER BY rowid",
    )
    .bind(&code)
    .bind(&since)
    .fetch_all(db)
    .await
    .unwrap();
    rows.iter()
        .map(|(b,)| {
            let v: serde_json::Value = serde_json::from_str(b).unwrap();
            v["title"].as_str().unwrap().to_string()
        })
        .collect()
}

/// Drains `ws` until nothing is queued; gives up loudly.
async fn settle(ws: &Workspace) {
    for _ in 0..300 {
        ws.drain().await.unwrap();
        if ws.summary().queued == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the queue of {} did not drain: {:?}", ws.id(), ws.summary());
}

#[tokio::test]
async fn what_one_enterprise_queued_never_goes_out_under_another() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path(), test_keychain("isolation"))
        .await
        .unwrap();
    app.set_sync_config(fast());
    let a = sign_in_demo(&app, &url).await;
    // Queued while nothing drains (as offline), then A signs out.
    let local = a.create_appeal(appeal("A 的诉求")).await.unwrap();
    assert_eq!(a.summary().queued, 1);
    app.sign_out().await.unwrap();
    assert_eq!(
        app.status().account,
        None,
        "nobody on screen after A signed out"
    );
    assert!(!a.summary().signed_in);

    let b = sign_in_as(&app, 1).await;
    assert_eq!(
        app.status().account.unwrap().credit_code,
        demo_login_of(1).0
    );
    assert_eq!(app.status().outbox_queued, 0, "B's queue is B's own");
    assert!(b.parked_items().await.unwrap().is_empty());
    assert_eq!(
        b.record(&local).await.unwrap_err().code(),
        "NOT_FOUND",
        "B cannot even read A's draft"
    );
    app.sync_now().await.unwrap();
    app.drain_all().await.unwrap();
    assert!(titles_of(&central.db, 1).await.is_empty());
    assert!(
        titles_of(&central.db, 0).await.is_empty(),
        "A's waits for A"
    );
    // A's work stayed readable and queued, and the switcher lists both.
    assert_eq!(a.summary().queued, 1);
    assert_eq!(app.status().enterprises.len(), 2);

    sign_in_as(&app, 0).await;
    settle(&a).await;
    assert_eq!(
        titles_of(&central.db, 0).await,
        vec!["A 的诉求".to_string()]
    );
    assert!(titles_of(&central.db, 1).await.is_empty());
    // Draining again sends nothing twice.
    app.drain_all().await.unwrap();
    assert_eq!(titles_of(&central.db, 0).await.len(), 1);
}

#[tokio::test]
async fn every_enterprise_drains_in_the_background_with_its_own_session() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path(), test_keychain("background"))
        .await
        .unwrap();
    app.set_sync_config(fast());
    let a = sign_in_demo(&app, &url).await;
    let b = sign_in_as(&app, 1).await;
    for i in 0..3 {
        a.create_appeal(appeal(&format!("A-{i}"))).await.unwrap();
        b.create_appeal(appeal(&format!("B-{i}"))).await.unwrap();
    }
    // Only B is on screen; both workers run.
    assert_eq!(app.active().unwrap().id(), b.id());
    app.start_workers();
    let start = Instant::now();
    while a.summary().queued + b.summary().queued > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the background workers did not drain: {:?} {:?}",
            a.summary(),
            b.summary()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(titles_of(&central.db, 0).await, vec!["A-0", "A-1", "A-2"]);
    assert_eq!(titles_of(&central.db, 1).await, vec!["B-0", "B-1", "B-2"]);
    app.close().await;
}

/// A reviewer accepts and answers the appeal `local` of `ws`.
async fn reply(central: &yiqifu_central::Running, ws: &Workspace, local: &str, body: &str) {
    let sid = ws.record(local).await.unwrap().server_id.unwrap();
    let mut tx = central.db.begin().await.unwrap();
    for action in [
        AppealAction::Accept,
        AppealAction::Reply { body: body.into() },
    ] {
        yiqifu_central::appeals::act(&mut tx, &sid, action, "reviewer:张科长")
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_inbox_and_its_etag_are_per_enterprise() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path(), test_keychain("inbox")).await.unwrap();
    app.set_sync_config(fast());
    let a = sign_in_demo(&app, &url).await;
    let local = a.create_appeal(appeal("需要答复的诉求")).await.unwrap();
    settle(&a).await;
    reply(&central, &a, &local, "已协调区内保供企业，明日送达。").await;
    app.sync_now().await.unwrap();
    let inbox_a = a.inbox().await.unwrap();
    assert_eq!(inbox_a.len(), 1);
    assert!(inbox_a[0]["body"].as_str().unwrap().contains("明日送达"));

    // B signs in on the same computer: its inbox starts from nothing, not from A's cursor.
    let b = sign_in_as(&app, 1).await;
    app.sync_now().await.unwrap();
    let bodies = |inbox: Vec<serde_json::Value>| -> Vec<String> {
        inbox
            .iter()
            .map(|e| e["body"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // B (demo 1) has the demo's own entries, never A's.
    let seeded_b = bodies(b.inbox().await.unwrap());
    assert!(
        !seeded_b.iter().any(|b| b.contains("明日送达")),
        "B never sees A's inbox"
    );
    let local_b = b.create_appeal(appeal("B 的诉求")).await.unwrap();
    settle(&b).await;
    reply(&central, &b, &local_b, "请联系街道防疫办领取。").await;
    app.sync_now().await.unwrap();
    let inbox_b = b.inbox().await.unwrap();
    assert_eq!(inbox_b.len(), seeded_b.len() + 1);
    assert!(bodies(inbox_b).iter().any(|b| b.contains("街道防疫办")));
    let etag = |ws: &Workspace| {
        let pool = ws.store().pool().clone();
        async move {
            let (t,): (Option<String>,) =
                sqlx::query_as("SELECT etag FROM sync_cursors WHERE collection = 'inbox'")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            t.expect("an ETag at the head")
        }
    };
    // Different inboxes: the validators differ, on the service and here.
    assert_ne!(etag(&a).await, etag(&b).await);
    // A's cached inbox is still A's, and a sync of A after B's is not fooled by B's tag.
    assert_eq!(a.inbox().await.unwrap(), inbox_a);
    app.switch_to(a.id()).await.unwrap();
    app.sync_now().await.unwrap();
    assert_eq!(a.inbox().await.unwrap(), inbox_a);
}

#[tokio::test]
async fn sign_out_revokes_the_session_on_the_service_now_or_once_it_is_reachable() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let kc = test_keychain("revoke");
    let app = App::open(dir.path(), kc.clone()).await.unwrap();
    sign_in_demo(&app, &url).await;
    // The keychain entry of an enterprise's session: service and credit code.
    let key = |i: usize| format!("{url}|{}", demo_login_of(i).0);
    let old = kc.load(&key(0)).unwrap().expect("tokens in the keychain");
    app.sign_out().await.unwrap();
    assert_eq!(kc.load(&key(0)).unwrap(), None, "the keychain forgot it");
    let client = CentralClient::new(&url).unwrap();
    assert_eq!(
        client.refresh(&old.refresh).await.unwrap_err().code(),
        "SESSION_EXPIRED",
        "the old refresh token is refused"
    );

    // Signed out while the service cannot be reached: nothing is sent with the old
    // session, and the service hears of the sign-out as soon as it is back.
    let b = sign_in_as(&app, 1).await;
    b.create_appeal(appeal("离线时退出")).await.unwrap();
    let old = kc.load(&key(1)).unwrap().expect("tokens in the keychain");
    app.resume(&format!("http://{}", dead_address()))
        .await
        .unwrap();
    app.sign_out_of(b.id()).await.unwrap();
    assert!(!b.summary().signed_in, "shown as signed out at once");
    assert!(app.resume(&url).await.unwrap());
    b.drain().await.unwrap();
    assert!(
        titles_of(&central.db, 1).await.is_empty(),
        "not sent after sign-out"
    );
    assert_eq!(b.summary().queued, 1, "and not lost");
    assert_eq!(kc.load(&key(1)).unwrap(), None);
    assert_eq!(
        client.refresh(&old.refresh).await.unwrap_err().code(),
        "SESSION_EXPIRED"
    );
}

/// Signed out while offline, then signed in again before the worker could tell the service:
/// the old session is revoked first, and the new one is the one kept.
#[tokio::test]
async fn signing_in_again_revokes_the_session_whose_sign_out_was_never_told() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let kc = test_keychain("resign");
    let app = App::open(dir.path(), kc.clone()).await.unwrap();
    app.set_sync_config(fast());
    let a = sign_in_demo(&app, &url).await;
    let key = format!("{url}|{}", demo_login_of(0).0);
    let old = kc.load(&key).unwrap().expect("tokens in the keychain");
    app.resume(&format!("http://{}", dead_address()))
        .await
        .unwrap();
    app.sign_out().await.unwrap();
    assert!(app.resume(&url).await.unwrap());
    sign_in_as(&app, 0).await;
    let client = CentralClient::new(&url).unwrap();
    assert_eq!(
        client.refresh(&old.refresh).await.unwrap_err().code(),
        "SESSION_EXPIRED",
        "the old session died"
    );
    let new = kc.load(&key).unwrap().expect("the new session is kept");
    assert_ne!(new, old);
    a.create_appeal(appeal("重新登录后")).await.unwrap();
    settle(&a).await;
    assert_eq!(titles_of(&central.db, 0).await, vec!["重新登录后"]);
}

#[tokio::test]
async fn removing_an_enterprise_says_what_would_be_lost_and_deletes_only_its_own() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let kc = test_keychain("remove");
    let app = App::open(dir.path(), kc.clone()).await.unwrap();
    let a = sign_in_demo(&app, &url).await;
    let b = sign_in_as(&app, 1).await;
    a.create_appeal(appeal("未发送 1")).await.unwrap();
    a.create_appeal(appeal("未发送 2")).await.unwrap();
    b.create_appeal(appeal("B 的")).await.unwrap();
    // An appeal still being written would be lost too.
    a.new_appeal_draft().await.unwrap();
    let preview = app.removal_preview(a.id()).await.unwrap();
    assert_eq!((preview.unsent, preview.drafts), (2, 3));

    let a_dir = a.store().dir().to_path_buf();
    assert!(a_dir.exists());
    let enterprises = a_dir.parent().unwrap().to_path_buf();
    let a_id = a.id().to_string();
    drop(a);
    app.remove_workspace(&a_id).await.unwrap();
    assert!(!a_dir.exists(), "its folder is gone");
    assert_eq!(
        std::fs::read_dir(&enterprises).unwrap().count(),
        1,
        "only B's folder is left, no tombstone"
    );
    assert_eq!(
        app.workspace(&a_id).err().map(|e| e.code()),
        Some("NO_SUCH_ENTERPRISE")
    );
    assert_eq!(
        kc.load(&format!("{url}|{}", demo_login_of(0).0)).unwrap(),
        None
    );
    let s = app.status();
    assert_eq!(s.enterprises.len(), 1);
    assert_eq!(s.account.unwrap().credit_code, demo_login_of(1).0);
    assert_eq!(b.summary().queued, 1, "the other enterprise is untouched");
    // After a restart it stays gone.
    app.close().await;
    let app = App::open(dir.path(), kc).await.unwrap();
    assert_eq!(app.status().enterprises.len(), 1);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// `fixtures/before-workspaces` was written by the code before workspaces (see its README):
/// one enterprise signed in, its inbox pulled, four requests and one upload queued.
#[tokio::test]
async fn a_database_from_before_workspaces_moves_into_its_enterprise() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/before-workspaces"),
        &data,
    );
    std::fs::remove_file(data.join("README.md")).unwrap();
    let kc = test_keychain("legacy");
    let app = App::open(&data, kc.clone()).await.unwrap();
    let s = app.status();
    assert_eq!(s.server, Some(ServerChoice::Demo));
    assert_eq!(s.enterprises.len(), 1);
    let code = demo_login_of(1).0;
    let ws = app.active().expect("the migrated enterprise is on screen");
    assert_eq!(ws.profile().credit_code, code);
    assert_eq!(s.account.unwrap().name, "上海嘉程汽车零部件有限公司");
    assert!(!s.signed_in, "its old session was never in this keychain");
    // Nothing lost: records, queue, upload, inbox, and the shared catalog stays shared.
    assert_eq!(ws.records(None).await.unwrap().len(), 4);
    assert_eq!((ws.summary().queued, ws.summary().parked), (5, 0));
    assert_eq!(ws.inbox().await.unwrap().len(), 1);
    assert_eq!(s.document_count, 80);
    assert_eq!(app.collection("templates").await.unwrap().len(), 2);
    let sha = "0d6512055d657ec462d4a13c75a9e5f4b905ec8ee9218e47b9bbcaea7d961dd4";
    assert!(ws.store().dir().join("materials").join(sha).exists());
    assert!(!data.join("materials").join(sha).exists());
    let (legacy,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'legacy_%' OR name IN ('outbox', 'records', 'uploads')",
    )
    .fetch_one(app.store().pool())
    .await
    .unwrap();
    assert_eq!(legacy, 0, "the app's database keeps no enterprise's work");
    app.close().await;

    // Opening again changes nothing; then the officer signs in and it all goes out, once,
    // to its own account.
    let app = App::open(&data, kc).await.unwrap();
    app.set_sync_config(fast());
    assert_eq!(app.status().enterprises.len(), 1);
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    app.choose_server(ServerChoice::Demo, &url).await.unwrap();
    let ws = sign_in_as(&app, 1).await;
    assert_eq!(
        app.status().enterprises.len(),
        1,
        "the same enterprise, not a new one"
    );
    // The fixture's listings run to 2099, past the 366 days a listing may now run: the
    // service would rightly refuse them, which is not what this test is about.
    sqlx::query(
        "UPDATE outbox SET payload = json_set(payload, '$.listing.valid_until', \
         date('now', '+30 days')) WHERE kind = 'create_listing'",
    )
    .execute(ws.store().pool())
    .await
    .unwrap();
    settle(&ws).await;
    assert_eq!(titles_of(&central.db, 1).await, vec!["抗原检测试剂短缺"]);
    let listings: Vec<(String, String)> = sqlx::query_as(
        "SELECT owner, state FROM listings \
         WHERE owner = ? AND json_extract(body, '$.item') IN ('冷链运输车', '医用防护服') \
         ORDER BY rowid",
    )
    .bind(&code)
    .fetch_all(&central.db)
    .await
    .unwrap();
    assert_eq!(
        listings,
        vec![
            (code.clone(), "withdrawn".to_string()),
            (code.clone(), "active".to_string())
        ]
    );
    let (uploads,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE owner = ?")
        .bind(&code)
        .fetch_one(&central.db)
        .await
        .unwrap();
    assert_eq!(uploads, 1);
}

/// Collects everything logged, at every level, while it is the thread's subscriber.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every file under `dir`, recursively: databases, their WAL and shared memory, backups.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Sessions live in the keychain only: after signing in, syncing, queuing and sending work
/// and a refresh, no file of the app's data folder (databases, WAL, backups) and no log line,
/// at any level, holds a token or the password.
#[tokio::test(flavor = "current_thread")]
async fn no_token_or_password_reaches_a_database_file_or_the_log() {
    let log = LogBuffer::default();
    let writer = log.clone();
    // For the whole process: the keychain and SQLite work on threads of their own. (The
    // other tests of this file log into it too, which only widens the net.)
    {
        use tracing_subscriber::util::SubscriberInitExt;
        tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
            .with_writer(move || writer.clone())
            .finish()
            .try_init()
            .expect("the only subscriber of this test binary");
    }
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let kc = test_keychain("secrets");
    let app = App::open(dir.path(), kc.clone()).await.unwrap();
    app.set_sync_config(fast());
    let ws = sign_in_demo(&app, &url).await;
    let key = format!("{url}|{}", demo_login_of(0).0);
    let first = kc.load(&key).unwrap().expect("tokens in the keychain");
    app.sync_now().await.unwrap();
    ws.create_appeal(appeal("日志不含令牌")).await.unwrap();
    ws.drain().await.unwrap();
    // The access token expires on the service: the next request refreshes the pair.
    sqlx::query("UPDATE sessions SET expires_at = 0 WHERE kind = 'access'")
        .execute(&central.db)
        .await
        .unwrap();
    ws.create_appeal(appeal("刷新之后")).await.unwrap();
    ws.drain().await.unwrap();
    assert_eq!(titles_of(&central.db, 0).await.len(), 2, "both went out");
    let second = kc.load(&key).unwrap().expect("tokens in the keychain");
    assert_ne!(first.access, second.access, "the session was refreshed");
    app.close().await;

    let (_, password) = demo_login_of(0);
    let secrets = [
        ("the first access token", first.access.as_str()),
        ("the first refresh token", first.refresh.as_str()),
        ("the refreshed access token", second.access.as_str()),
        ("the refreshed refresh token", second.refresh.as_str()),
        ("the password", password),
    ];
    let files = files_under(dir.path());
    assert!(
        files.iter().any(|f| f.ends_with("workspace.sqlite")),
        "no workspace database was written: {files:?}"
    );
    for file in &files {
        // SQLite removes its journal files as it goes: one gone since the listing holds
        // nothing any more.
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("{}: {e}", file.display()),
        };
        for (what, secret) in secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{what} is in {}",
                file.display()
            );
        }
    }
    let logged = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(
        logged.contains("sqlx") || logged.len() > 1000,
        "the log caught nothing: {logged}"
    );
    for (what, secret) in secrets {
        assert!(!logged.contains(secret), "{what} is in the log");
    }
}
