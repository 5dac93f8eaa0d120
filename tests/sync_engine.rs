//! The sync engine against a real `yiqifu-central`: exactly once, in order, parking what can
//! never succeed without blocking the rest, refreshing sessions, and the fault scenario.

use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use yiqifu_tests::journey::fast;

use yiqifu_core::{App, Workspace};
use yiqifu_protocol::{AppealCategory, ListingCategory, ListingKind, NewAppeal, NewListing};
use yiqifu_tests::{demo_login, test_keychain};

async fn signed_in(dir: &std::path::Path, test: &str, url: &str) -> (App, Arc<Workspace>) {
    let app = App::open(dir, test_keychain(test)).await.unwrap();
    app.set_sync_config(fast());
    let ws = yiqifu_tests::sign_in_demo(&app, url).await;
    (app, ws)
}

fn appeal(title: &str) -> NewAppeal {
    NewAppeal {
        category: AppealCategory::Logistics,
        title: title.into(),
        description: "货车通行证到期，需续办。".into(),
        attachments: vec![],
        contact: None,
    }
}

fn listing(item: &str, district: &str) -> NewListing {
    NewListing {
        kind: ListingKind::Supply,
        category: ListingCategory::Logistics,
        item: item.into(),
        quantity: 3.0,
        unit: "辆".into(),
        district: district.into(),
        valid_until: (time::OffsetDateTime::now_utc().date() + time::Duration::days(7)).to_string(),
        contact_name: "赵六".into(),
        contact_phone: "13700000000".into(),
        note: None,
    }
}

/// Rows of `table` owned by the enterprise these tests sign in as (demo 0, which the demo
/// seeds no appeals or listings for: the others' seeded rows are not the tests').
async fn count(db: &yiqifu_central::db::Db, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE owner = ?"))
        .bind(demo_login().0)
        .fetch_one(db)
        .await
        .unwrap();
    n
}

/// Drains until nothing is queued (items held behind a parked one are not queued).
async fn settle(app: &App, ws: &Workspace) {
    for _ in 0..200 {
        ws.drain().await.unwrap();
        if app.status().outbox_queued == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the queue did not drain: {:?}", app.status());
}

#[tokio::test]
async fn actions_are_instant_offline_and_go_out_once_in_order_with_the_refused_one_parked() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let (app, ws) = signed_in(dir.path(), "outbox", &url).await;

    let first = ws.create_appeal(appeal("通行证续办-1")).await.unwrap();
    // The core refuses a district that does not exist; a request queued by an older client
    // that never checked it is what the service still has to refuse.
    let bad = ws
        .create_listing(listing("冷藏车", "闵行区"))
        .await
        .unwrap();
    yiqifu_tests::age_queued_listing(&ws, &bad, "$.listing.district", "火星区").await;
    ws.withdraw_listing(&bad).await.unwrap();
    let good = ws
        .create_listing(listing("冷藏车", "闵行区"))
        .await
        .unwrap();
    ws.withdraw_listing(&good).await.unwrap();
    ws.send_appeal_message(&first, "司机已完成核酸检测。")
        .await
        .unwrap();
    let second = ws.create_appeal(appeal("通行证续办-2")).await.unwrap();
    // Written locally at once, nothing sent yet.
    assert_eq!(app.status().outbox_queued, 7);
    assert_eq!(count(&central.db, "appeals").await, 0);

    // The withdrawal held behind the refused listing is not counted as queued.
    settle(&app, &ws).await;
    assert_eq!(count(&central.db, "appeals").await, 2);
    assert_eq!(count(&central.db, "listings").await, 1);
    // The refused listing is parked with its reason; its withdrawal waits behind it; the
    // items of other records went out.
    let parked = ws.parked_items().await.unwrap();
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert_eq!(parked[0].kind, "create_listing");
    assert_eq!(parked[0].holding, 1, "its withdrawal waits behind it");
    assert!(
        parked[0].reason_zh.contains("区"),
        "{}",
        parked[0].reason_zh
    );
    assert_eq!(app.status().outbox_parked, 1);
    let rec = ws.record(&good).await.unwrap();
    assert_eq!(rec.pending, 0);
    assert!(rec.server_body.unwrap().contains("\"withdrawn\""));
    let a = ws.record(&first).await.unwrap();
    assert!(a.server_body.unwrap().contains("司机已完成核酸检测"));
    assert!(ws.record(&second).await.unwrap().server_id.is_some());

    // Retrying as it is asks the service again (under a new key: the old one holds the
    // refusal) and parks it again; discarding drops it and the withdrawal behind it.
    let asked = count(&central.db, "idempotency").await;
    ws.retry_item(&parked[0].id).await.unwrap();
    assert_eq!(
        app.status().outbox_parked,
        0,
        "retry puts it back in the queue"
    );
    settle_parked(&app, &ws).await;
    assert_eq!(
        count(&central.db, "idempotency").await,
        asked + 1,
        "the retry reached the service as a new request, not a replay of the stored refusal"
    );
    ws.discard_item(&ws.parked_items().await.unwrap()[0].id)
        .await
        .unwrap();
    assert!(ws.parked_items().await.unwrap().is_empty());
    settle(&app, &ws).await;
    assert_eq!(ws.record(&bad).await.unwrap_err().code(), "NOT_FOUND");
    assert_eq!(app.status().outbox_parked, 0);
    // Draining again sends nothing twice.
    ws.drain().await.unwrap();
    assert_eq!(count(&central.db, "appeals").await, 2);
    assert_eq!(count(&central.db, "listings").await, 1);
}

/// The service holds exactly one finished upload, and it is `bytes`.
async fn assert_one_finished_upload_of(db: &yiqifu_central::db::Db, bytes: &[u8]) {
    let (count, sha): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(sha256) FROM uploads WHERE sha256 IS NOT NULL")
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(count, 1);
    use sha2::Digest;
    assert_eq!(sha.unwrap(), hex::encode(sha2::Sha256::digest(bytes)));
}

async fn settle_parked(app: &App, ws: &Workspace) {
    for _ in 0..200 {
        ws.drain().await.unwrap();
        if app.status().outbox_parked == 1 && ws.parked_items().await.unwrap().len() == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("nothing was parked: {:?}", app.status());
}

#[tokio::test]
async fn an_expired_session_refreshes_and_a_refused_refresh_waits_for_sign_in() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let (app, ws) = signed_in(dir.path(), "refresh", &url).await;

    sqlx::query("UPDATE sessions SET expires_at = 0 WHERE kind = 'access'")
        .execute(&central.db)
        .await
        .unwrap();
    ws.create_appeal(appeal("刷新后发送")).await.unwrap();
    settle(&app, &ws).await;
    assert_eq!(count(&central.db, "appeals").await, 1);
    assert!(app.status().signed_in);

    // The service forgets every session: the queue waits, nothing is lost.
    sqlx::query("DELETE FROM sessions")
        .execute(&central.db)
        .await
        .unwrap();
    ws.create_appeal(appeal("重新登录后发送")).await.unwrap();
    ws.drain().await.unwrap();
    let s = app.status();
    assert!(!s.signed_in, "the officer is asked to sign in again");
    assert!(s.account.is_some(), "the account and its work stay");
    assert_eq!(s.outbox_queued, 1);
    assert_eq!(count(&central.db, "appeals").await, 1);
    let (code, pw) = demo_login();
    app.sign_in(&code, pw).await.unwrap();
    settle(&app, &ws).await;
    assert_eq!(count(&central.db, "appeals").await, 2);
}

/// What the gateway in front of the service does with `POST …/auth/refresh`.
#[derive(Default)]
struct RefreshGate {
    /// Refreshes that reached the gateway.
    asked: AtomicU32,
    /// Non-zero: answered with this status by the gateway itself, in plain text.
    answer: AtomicU16,
    /// Held this long before going on to the service.
    hold_ms: AtomicU64,
    /// Answers tus's OPTIONS as a tus server without the checksum extension does.
    no_checksums: std::sync::atomic::AtomicBool,
}

/// An HTTP gateway in front of `upstream` that passes everything on and does what `gate`
/// says with session refreshes.
async fn gateway(upstream: String, gate: Arc<RefreshGate>) -> String {
    use axum::response::IntoResponse;
    let forward = move |req: axum::extract::Request| {
        let (upstream, gate) = (upstream.clone(), gate.clone());
        async move {
            let path = req.uri().path_and_query().map(|p| p.as_str().to_string());
            let path = path.unwrap_or_default();
            if req.method() == axum::http::Method::OPTIONS
                && path == "/api/v1/uploads"
                && gate.no_checksums.load(Ordering::SeqCst)
            {
                return (
                    axum::http::StatusCode::NO_CONTENT,
                    [
                        ("tus-resumable", "1.0.0"),
                        ("tus-version", "1.0.0"),
                        ("tus-extension", "creation,termination,expiration"),
                    ],
                )
                    .into_response();
            }
            if path.ends_with("/auth/refresh") {
                gate.asked.fetch_add(1, Ordering::SeqCst);
                let answer = gate.answer.load(Ordering::SeqCst);
                if answer != 0 {
                    let status = axum::http::StatusCode::from_u16(answer).unwrap();
                    return (status, "refused by the gateway").into_response();
                }
                let hold = gate.hold_ms.load(Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(hold)).await;
            }
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let mut out = reqwest::Client::new()
                .request(parts.method, format!("{upstream}{path}"))
                .body(body);
            for (name, value) in &parts.headers {
                if name != axum::http::header::HOST {
                    out = out.header(name, value);
                }
            }
            let resp = out.send().await.unwrap();
            let status = resp.status();
            let headers = resp.headers().clone();
            let bytes = resp.bytes().await.unwrap();
            let mut back = axum::response::Response::new(axum::body::Body::from(bytes));
            *back.status_mut() = status;
            for (name, value) in &headers {
                if name != axum::http::header::TRANSFER_ENCODING {
                    back.headers_mut().insert(name, value.clone());
                }
            }
            back
        }
    };
    let addr = yiqifu_tests::serve(axum::Router::new().fallback(forward)).await;
    format!("http://{addr}")
}

#[tokio::test]
async fn one_refresh_serves_every_task_and_only_a_refused_refresh_ends_the_session() {
    let central = yiqifu_tests::start_central().await;
    let gate = Arc::new(RefreshGate::default());
    let url = gateway(central.url(), gate.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let (app, ws) = signed_in(dir.path(), "refresh-race", &url).await;
    let expire = || async {
        sqlx::query("UPDATE sessions SET expires_at = 0 WHERE kind = 'access'")
            .execute(&central.db)
            .await
            .unwrap();
    };

    // A gateway that refuses the refresh (403, in text) says nothing about the session: the
    // officer stays signed in and the appeal waits in the queue, not parked.
    expire().await;
    gate.answer.store(403, Ordering::SeqCst);
    ws.create_appeal(appeal("网关拒绝刷新")).await.unwrap();
    ws.drain().await.unwrap();
    assert!(
        gate.asked.load(Ordering::SeqCst) >= 1,
        "the refresh was tried"
    );
    let s = app.status();
    assert!(s.signed_in, "a gateway's 403 ended the session: {s:?}");
    assert_eq!((s.outbox_queued, s.outbox_parked), (1, 0), "{s:?}");
    assert_eq!(count(&central.db, "appeals").await, 0);

    // The service busy: the same.
    gate.answer.store(503, Ordering::SeqCst);
    ws.drain().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    ws.drain().await.unwrap();
    assert!(app.status().signed_in, "a 503 ended the session");
    gate.answer.store(0, Ordering::SeqCst);
    settle(&app, &ws).await;
    assert_eq!(count(&central.db, "appeals").await, 1);

    // A pull and the queue meet the expired token together, while one refresh is on its
    // way: it is the only one, and both go on with its pair.
    expire().await;
    gate.hold_ms.store(400, Ordering::SeqCst);
    let before = gate.asked.load(Ordering::SeqCst);
    let (pulled, ()) = tokio::join!(app.sync_now(), async {
        for _ in 0..500 {
            if gate.asked.load(Ordering::SeqCst) > before {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(
            gate.asked.load(Ordering::SeqCst) > before,
            "no refresh started"
        );
        ws.create_appeal(appeal("与拉取同时发送")).await.unwrap();
        ws.drain().await.unwrap();
    });
    settle(&app, &ws).await;
    assert_eq!(
        gate.asked.load(Ordering::SeqCst) - before,
        1,
        "one refresh for every task that met the expired token"
    );
    assert!(app.status().signed_in, "{:?}", app.status());
    assert_eq!(count(&central.db, "appeals").await, 2);
    assert!(pulled.is_ok());

    // The service refuses the refresh token itself (401): now the officer signs in again.
    expire().await;
    sqlx::query("DELETE FROM sessions WHERE kind = 'refresh'")
        .execute(&central.db)
        .await
        .unwrap();
    gate.hold_ms.store(0, Ordering::SeqCst);
    ws.create_appeal(appeal("重新登录后发送")).await.unwrap();
    ws.drain().await.unwrap();
    assert!(!app.status().signed_in);
}

/// Sends the first chunks of what is queued, then stops as a crash would.
async fn interrupt_after(ws: &Workspace, sent: u64) {
    let mut progress = ws.progress();
    let drain = ws.drain();
    tokio::pin!(drain);
    loop {
        tokio::select! {
            p = progress.recv() => {
                if p.unwrap().sent >= sent { break; }
            }
            _ = &mut drain => panic!("finished before the interruption"),
        }
    }
    // Dropping the drain here is the crash.
}

/// A real PDF of about 700 kB: the service checks every upload by its content.
fn pdf_bytes() -> Vec<u8> {
    yiqifu_files::samples::pdf_sized(700_000, 7)
}

#[tokio::test]
async fn an_upload_resumes_from_the_services_offset_after_a_restart_on_another_port() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("承诺书 (签字版).pdf");
    let bytes = pdf_bytes();
    std::fs::write(&file, &bytes).unwrap();
    let data = dir.path().join("data");
    {
        let (_app, ws) = signed_in(&data, "resume", &url).await;
        ws.add_material(&file, "commitment_letter").await.unwrap();
        // The picked file may now change or go: the store has its own copy.
        std::fs::remove_file(&file).unwrap();
        interrupt_after(&ws, 3 * 64 * 1024).await;
    }
    let (sent,): (i64,) = sqlx::query_as("SELECT offset FROM uploads")
        .fetch_one(&central.db)
        .await
        .unwrap();
    assert!(
        sent >= 3 * 64 * 1024 && (sent as usize) < bytes.len(),
        "{sent}"
    );
    // The service comes back on another port, as the built-in demo service does at each
    // start: the upload goes on there.
    let moved = yiqifu_tests::faultproxy::FaultProxy::start(central.addr, 7).await;
    let app = App::open(&data, test_keychain("resume")).await.unwrap();
    app.set_sync_config(fast());
    assert!(app.resume(&moved.url()).await.unwrap());
    let ws = app.active().expect("the enterprise is still on screen");
    let mut progress = ws.progress();
    settle(&app, &ws).await;
    let first = progress.try_recv().unwrap();
    assert!(
        first.sent > sent as u64,
        "resumed past the service's offset, not from zero"
    );
    let (count, sha): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(sha256) FROM uploads")
            .fetch_one(&central.db)
            .await
            .unwrap();
    assert_eq!(count, 1, "one upload, resumed");
    use sha2::Digest;
    assert_eq!(sha.unwrap(), hex::encode(sha2::Sha256::digest(&bytes)));
}

#[tokio::test]
async fn mutations_and_uploads_survive_faults_and_kills() {
    let r = yiqifu_tests::scenario::run(yiqifu_tests::scenario::Plan {
        mutations: 40,
        uploads: 4,
        upload_bytes: 1536 * 1024,
        kills: 3,
        fault_pct: 30,
    })
    .await;
    eprintln!("faults: {r}");
    assert_eq!(
        r.kills_after_progress, 3,
        "every kill came after work had landed"
    );
    assert!(r.faults > 0, "the scenario injected faults");
}

#[tokio::test]
async fn a_parked_draft_is_corrected_by_the_officer_and_goes_out_once() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let (app, ws) = signed_in(dir.path(), "revise", &url).await;

    // Prepared offline days ago: the date it was valid until has passed since.
    // Queued while it was valid, so the core let it in; its date has passed since.
    let mut stale = listing("医用口罩", "闵行区");
    let local = ws.create_listing(stale.clone()).await.unwrap();
    stale.valid_until =
        (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string();
    yiqifu_tests::age_queued_listing(&ws, &local, "$.listing.valid_until", &stale.valid_until)
        .await;
    settle_parked(&app, &ws).await;
    let parked = ws.parked_items().await.unwrap();
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert!(
        parked[0].reason_zh.contains("有效期"),
        "{}",
        parked[0].reason_zh
    );
    // The officer is shown what they wrote, to correct it.
    assert_eq!(parked[0].draft, Some(serde_json::to_value(&stale).unwrap()));

    // A correction of another kind is refused and changes nothing.
    let err = ws.revise_message(&parked[0].id, "x").await.unwrap_err();
    assert_eq!(err.code(), "NOT_EDITABLE");
    assert_eq!(ws.parked_items().await.unwrap(), parked);

    let mut fixed = stale.clone();
    fixed.valid_until =
        (time::OffsetDateTime::now_utc().date() + time::Duration::days(14)).to_string();
    ws.revise_listing(&parked[0].id, fixed.clone())
        .await
        .unwrap();
    settle(&app, &ws).await;
    assert!(ws.parked_items().await.unwrap().is_empty());
    assert_eq!(app.status().outbox_parked, 0);
    assert_eq!(count(&central.db, "listings").await, 1);
    let rec = ws.record(&local).await.unwrap();
    assert_eq!(
        serde_json::from_str::<NewListing>(&rec.draft).unwrap(),
        fixed
    );
    assert!(rec.server_body.unwrap().contains(&fixed.valid_until));
    // Only a parked item can be corrected.
    let err = ws.revise_listing(&parked[0].id, fixed).await.unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");
    ws.drain().await.unwrap();
    assert_eq!(count(&central.db, "listings").await, 1);
}

#[tokio::test]
async fn an_upload_that_expired_on_the_service_starts_again_by_itself() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("承诺书.pdf");
    let bytes = pdf_bytes();
    std::fs::write(&file, &bytes).unwrap();
    let (app, ws) = signed_in(&dir.path().join("data"), "expired", &url).await;
    ws.add_material(&file, "commitment_letter").await.unwrap();
    interrupt_after(&ws, 2 * 64 * 1024).await;
    // Days pass before the app is back: the service let the half upload expire.
    sqlx::query("UPDATE uploads SET expires_at = 0")
        .execute(&central.db)
        .await
        .unwrap();
    settle(&app, &ws).await;
    assert!(ws.parked_items().await.unwrap().is_empty());
    assert_one_finished_upload_of(&central.db, &bytes).await;
}

/// A service that would not notice damaged bytes gets none: the upload parks saying why,
/// nothing reaches the service, and once the service verifies chunks, Retry sends it whole.
#[tokio::test]
async fn an_upload_waits_for_a_service_that_verifies_its_bytes() {
    let central = yiqifu_tests::start_central().await;
    let gate = Arc::new(RefreshGate::default());
    gate.no_checksums.store(true, Ordering::SeqCst);
    let url = gateway(central.url(), gate.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("承诺书.pdf");
    let bytes = pdf_bytes();
    std::fs::write(&file, &bytes).unwrap();
    let (app, ws) = signed_in(&dir.path().join("data"), "unverified", &url).await;
    ws.add_material(&file, "commitment_letter").await.unwrap();
    settle_parked(&app, &ws).await;
    let parked = ws.parked_items().await.unwrap();
    assert!(parked[0].id.starts_with("upload:"), "{parked:?}");
    assert!(
        parked[0]
            .reason_en
            .contains("does not verify uploaded files")
            && parked[0].reason_zh.contains("不校验上传文件"),
        "{parked:?}"
    );
    assert_eq!(count(&central.db, "uploads").await, 0, "no byte went out");

    gate.no_checksums.store(false, Ordering::SeqCst);
    ws.retry_item(&parked[0].id).await.unwrap();
    settle(&app, &ws).await;
    assert!(ws.parked_items().await.unwrap().is_empty());
    assert_one_finished_upload_of(&central.db, &bytes).await;
}
