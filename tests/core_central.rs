//! The core against a real `yiqifu-central` over HTTP, and against servers that misbehave.

use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use yiqifu_core::catalog::search::{SearchPage, SearchQuery};
use yiqifu_core::{App, ServerChoice};
use yiqifu_protocol::{DocumentKind, PolicyLevel};
use yiqifu_tests::{dead_address, demo_login, serve, serve_on, test_keychain};

fn url_choice(url: &str) -> ServerChoice {
    ServerChoice::Url { url: url.into() }
}

async fn signed_in_app(dir: &std::path::Path, test: &str, url: &str) -> App {
    let app = App::open(dir, test_keychain(test)).await.unwrap();
    yiqifu_tests::sign_in_demo(&app, url).await;
    app
}

#[tokio::test]
async fn signs_in_pulls_the_catalog_and_keeps_it_offline() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let expected = yiqifu_central::seed::demo_catalog().unwrap();

    let app = signed_in_app(dir.path(), "offline", &url).await;
    let status = app.status();
    assert!(status.online && status.signed_in);
    assert_eq!(status.account.as_ref().unwrap().district, "浦东新区");

    let stats = app.sync_now().await.unwrap();
    let templates = yiqifu_central::seed::demo_templates().unwrap().len();
    let rules = yiqifu_central::seed::demo_material_rules().unwrap().len();
    let years = yiqifu_central::seed::demo_calendar().unwrap().len();
    // The calendar's years and the one attachment rule (appeals) come with the catalog, and
    // the market's live listings with the enterprise's feeds (demo 0 has no inbox or appeals).
    let (market,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM listings WHERE state = 'active'")
        .fetch_one(&central.db)
        .await
        .unwrap();
    assert!(market > 0, "the demo seeds a market");
    assert_eq!(
        stats.upserted as usize,
        expected.len() + templates + rules + years + 1 + market as usize
    );
    assert_eq!(app.collection("calendar").await.unwrap().len(), years);
    assert!(stats.full_resync);
    assert_eq!(app.collection("templates").await.unwrap().len(), templates);
    assert_eq!(app.collection("material_rules").await.unwrap().len(), rules);
    let all = app.search_documents(&everything()).await.unwrap();
    assert_eq!(all.total as usize, expected.len());
    assert!(app.status().last_sync_at.is_some());

    // Every document arrives whole, key conditions included.
    for want in &expected {
        let got = app.document(&want.id).await.unwrap();
        assert_eq!(&got, want);
    }
    // Filters work on the local copy.
    let policies = app
        .search_documents(&SearchQuery {
            kind: Some(DocumentKind::Policy),
            levels: vec![PolicyLevel::Municipal],
            ..everything()
        })
        .await
        .unwrap();
    let n = expected
        .iter()
        .filter(|d| d.kind == DocumentKind::Policy && d.level == PolicyLevel::Municipal)
        .count();
    assert_eq!(policies.total as usize, n);
    let first_title = &expected[0].title;
    let found = app
        .search_documents(&SearchQuery {
            text: Some(first_title.chars().take(6).collect()),
            ..everything()
        })
        .await
        .unwrap();
    assert!(found.hits.iter().any(|d| &d.title == first_title));

    // A second sync has nothing new, and at the head every feed answers 304.
    let again = app.sync_now().await.unwrap();
    assert_eq!((again.upserted, again.pages), (0, 0));

    // Quit; the server goes away; start again.
    app.close().await;
    drop(app);
    central.stop().await;
    let app = App::open(dir.path(), test_keychain("offline"))
        .await
        .unwrap();
    assert!(!app.resume(&url).await.unwrap());
    let status = app.status();
    assert!(!status.online);
    assert_eq!(status.server, Some(url_choice(&url)));
    assert_eq!(status.document_count as usize, expected.len());
    assert_eq!(
        app.search_documents(&everything()).await.unwrap().total as usize,
        expected.len()
    );
    let err = app.sync_now().await.unwrap_err();
    assert_eq!(err.code(), "SERVER_UNREACHABLE");
    assert_eq!(app.status().document_count as usize, expected.len());
    assert!(app.status().account.is_some());
    app.sign_out().await.unwrap();
    assert!(!app.status().signed_in);
    assert_eq!(app.status().account, None);
    assert_eq!(app.sync_now().await.unwrap_err().code(), "NOT_SIGNED_IN");
}

#[tokio::test]
async fn incremental_pull_applies_new_documents_and_tombstones() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = signed_in_app(dir.path(), "incremental", &url).await;
    app.sync_now().await.unwrap();
    let catalog = yiqifu_central::seed::demo_catalog().unwrap();

    let mut extra = catalog[0].clone();
    extra.id = "pol-test-new".into();
    extra.title = "关于延长复工复产专窗服务时间的通知".into();
    let mut conn = central.db.acquire().await.unwrap();
    yiqifu_central::catalog::publish_document(&mut conn, &extra)
        .await
        .unwrap();
    assert!(
        yiqifu_central::catalog::withdraw(&mut conn, "documents", &catalog[0].id)
            .await
            .unwrap()
    );
    drop(conn);

    let stats = app.sync_now().await.unwrap();
    assert_eq!(
        (stats.upserted, stats.removed, stats.full_resync),
        (1, 1, false)
    );
    assert_eq!(
        app.document("pol-test-new").await.unwrap().title,
        extra.title
    );
    assert_eq!(
        app.document(&catalog[0].id).await.unwrap_err().code(),
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn a_refused_cursor_triggers_a_full_resync_that_sweeps_stale_rows() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = signed_in_app(dir.path(), "resync", &url).await;
    app.sync_now().await.unwrap();
    let total = app.status().document_count;

    // A row the service never had, and a cursor it never issued.
    sqlx_exec(
        &app,
        "INSERT INTO documents (id, kind, title, level, issuer, published_on, effective_on,
             industries, tags, summary, body, key_conditions)
         SELECT 'stale', kind, title, level, issuer, published_on, effective_on, industries,
             tags, summary, body, key_conditions FROM documents LIMIT 1",
    )
    .await;
    sqlx_exec(&app, "UPDATE sync_cursors SET cursor = 'd1.999999'").await;

    let stats = app.sync_now().await.unwrap();
    assert!(stats.full_resync);
    assert_eq!(stats.removed, 1);
    assert_eq!(app.status().document_count, total);
    assert_eq!(app.document("stale").await.unwrap_err().code(), "NOT_FOUND");
}

async fn sqlx_exec(app: &App, sql: &str) {
    let mut tx = app.store().write().await.unwrap();
    sqlx::query(sql).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn wrong_password_is_refused_and_nothing_changes() {
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path(), test_keychain("wrongpw"))
        .await
        .unwrap();
    app.choose_server(url_choice(&url), &url).await.unwrap();
    let (code, _) = demo_login();
    let err = app.sign_in(&code, "not-the-password").await.unwrap_err();
    assert_eq!(err.code(), "INVALID_CREDENTIALS");
    assert!(err.message_zh().contains("密码不正确"));
    assert!(!app.status().signed_in);
    assert_eq!(app.status().account, None);

    let err = app.sign_in("91350100M000100Y44", "x").await.unwrap_err();
    assert_eq!(err.code(), "INVALID_CREDIT_CODE");
    assert!(err.message_zh().contains("校验位"));
}

#[tokio::test]
async fn an_unreachable_server_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path(), test_keychain("unreachable"))
        .await
        .unwrap();
    let url = format!("http://{}", dead_address());
    let err = app.choose_server(url_choice(&url), &url).await.unwrap_err();
    assert_eq!(err.code(), "SERVER_UNREACHABLE");
    assert!(err.message_zh().contains("无法连接"));
    assert_eq!(app.status().server, None);

    let err = app
        .choose_server(
            url_choice("http://fuwu.example.cn"),
            "http://fuwu.example.cn",
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INSECURE_SERVER_URL");
}

#[tokio::test]
async fn a_server_that_is_not_yiqifu_is_refused() {
    let plain = serve(Router::new().route("/api/v1/health", get(|| async { "OK" }))).await;
    let other = serve(Router::new().route(
        "/api/v1/health",
        get(|| async {
            axum::Json(json!({"service": "other", "api_version": 1, "version": "1", "demo": false}))
        }),
    ))
    .await;
    let none = serve(Router::new()).await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path(), test_keychain("notyiqifu"))
        .await
        .unwrap();
    for addr in [plain, other, none] {
        let url = format!("http://{addr}");
        let err = app.choose_server(url_choice(&url), &url).await.unwrap_err();
        assert_eq!(err.code(), "NOT_A_YIQIFU_SERVICE", "{url}");
    }
    let newer = serve(Router::new().route(
        "/api/v1/health",
        get(|| async { axum::Json(json!({"service": "yiqifu-central", "api_version": 2, "version": "9", "demo": false})) }),
    ))
    .await;
    let url = format!("http://{newer}");
    let err = app.choose_server(url_choice(&url), &url).await.unwrap_err();
    assert_eq!(err.code(), "INCOMPATIBLE_API");
    assert_eq!(app.status().server, None);
}

fn health_ok() -> Router {
    Router::new().route(
        "/api/v1/health",
        get(|| async {
            axum::Json(json!({"service": "yiqifu-central", "api_version": 1, "version": "0", "demo": false}))
        }),
    )
}

#[tokio::test]
async fn a_malformed_answer_is_an_error_and_the_cache_stays() {
    // First a real sync, so there is a cache to keep.
    let central = yiqifu_tests::start_central().await;
    let addr = central.addr;
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = signed_in_app(dir.path(), "malformed", &url).await;
    app.sync_now().await.unwrap();
    let before = ids(app.search_documents(&everything()).await.unwrap());
    central.stop().await;

    // The same address now answers garbage.
    let bad = health_ok()
        .route(
            "/api/v1/catalog/documents",
            get(|| async { ([("content-type", "application/json")], "{\"items\": [1, 2") }),
        )
        .route(
            "/api/v1/auth/login",
            post(|| async { "<html>gateway</html>" }),
        );
    serve_on(bad, addr).await;
    let err = app.sync_now().await.unwrap_err();
    assert_eq!(err.code(), "MALFORMED_RESPONSE");
    assert!(err.message_zh().contains("格式有误"));
    assert_eq!(
        ids(app.search_documents(&everything()).await.unwrap()),
        before
    );

    let (code, pw) = demo_login();
    let err = app.sign_in(&code, pw).await.unwrap_err();
    assert_eq!(err.code(), "MALFORMED_RESPONSE");
    assert_eq!(
        ids(app.search_documents(&everything()).await.unwrap()),
        before
    );
}

/// With no keychain at all (no Secret Service on the bus and a session keyring the kernel
/// has revoked), signing in fails with a message that says what to install, and nothing of
/// the session is kept. The test runs itself again in a child process, so that only the
/// child loses its keyring.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn without_a_keychain_sign_in_says_what_to_install_and_keeps_nothing() {
    const CHILD: &str = "YIQIFU_NO_KEYCHAIN_CHILD";
    if std::env::var_os(CHILD).is_none() {
        // The child starts with a working keyring, so losing it is what the test is about.
        yiqifu_core::secrets::ensure_session_keyring().unwrap();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "without_a_keychain_sign_in_says_what_to_install_and_keeps_nothing",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/yiqifu-no-bus",
            )
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "child failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"));
        return;
    }
    yiqifu_tests::lose_session_keyring();
    // Not start_central: that would join a fresh keyring again.
    let central = yiqifu_central::start_demo(None).await.unwrap();
    let url = central.url();
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(
        dir.path(),
        yiqifu_core::secrets::Keychain::new("yiqifu-test-none"),
    )
    .await
    .unwrap();
    app.choose_server(url_choice(&url), &url).await.unwrap();
    let (code, pw) = demo_login();
    let err = app.sign_in(&code, pw).await.unwrap_err();
    assert_eq!(err.code(), "KEYCHAIN_UNAVAILABLE");
    assert!(
        err.message_zh().contains("gnome-keyring"),
        "{}",
        err.message_zh()
    );
    assert!(err.message_en().contains("install"), "{}", err.message_en());
    // No half sign-in: no account, no session, and sync says why.
    assert!(!app.status().signed_in);
    assert_eq!(app.status().account, None);
    assert_eq!(app.sync_now().await.unwrap_err().code(), "NOT_SIGNED_IN");
}

/// Every document, one page.
fn everything() -> SearchQuery {
    SearchQuery {
        limit: 200,
        ..Default::default()
    }
}

fn ids(page: SearchPage) -> Vec<String> {
    page.hits.into_iter().map(|h| h.id).collect()
}

/// A forward proxy on loopback that counts what goes through it and passes it on.
async fn counting_proxy() -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::atomic::AtomicU32>,
) {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    let seen = Arc::new(AtomicU32::new(0));
    let count = seen.clone();
    let direct = reqwest::Client::builder().no_proxy().build().unwrap();
    let forward = move |req: axum::extract::Request| {
        let direct = direct.clone();
        let count = count.clone();
        async move {
            count.fetch_add(1, Ordering::SeqCst);
            // A request to a proxy names the whole URL.
            let url = req.uri().to_string();
            let method = req.method().clone();
            let headers = req.headers().clone();
            let body = axum::body::to_bytes(req.into_body(), usize::MAX)
                .await
                .unwrap();
            let answer = direct
                .request(method, url)
                .headers(headers)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = answer.status();
            let headers = answer.headers().clone();
            let bytes = answer.bytes().await.unwrap();
            let mut out = axum::response::Response::new(axum::body::Body::from(bytes));
            *out.status_mut() = status;
            *out.headers_mut() = headers;
            out
        }
    };
    let addr = serve(Router::new().fallback(forward)).await;
    (addr, seen)
}

#[tokio::test]
async fn the_service_is_reached_through_the_proxy_the_officer_names_and_directly_when_told() {
    use std::sync::atomic::Ordering;
    use yiqifu_core::client::Proxy;
    let central = yiqifu_tests::start_central().await;
    let (proxy, seen) = counting_proxy().await;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path(), test_keychain("proxy")).await.unwrap();
    assert_eq!(
        app.proxy().await.unwrap(),
        Proxy::System,
        "the system's by default"
    );

    // A proxy that cannot be used is refused, and nothing changes.
    for bad in [
        "proxy.example.com:8080",
        "ftp://proxy.example.com",
        "http://",
    ] {
        let e = app
            .set_proxy(Proxy::Manual { url: bad.into() })
            .await
            .unwrap_err();
        assert_eq!(e.code(), "INVALID_PROXY", "{bad}: {e:?}");
    }
    assert_eq!(app.proxy().await.unwrap(), Proxy::System);

    let through = Proxy::Manual {
        url: format!("http://{proxy}"),
    };
    app.set_proxy(through.clone()).await.unwrap();
    app.choose_server(ServerChoice::Url { url: central.url() }, &central.url())
        .await
        .unwrap();
    assert!(app.probe().await.unwrap());
    let before = seen.load(Ordering::SeqCst);
    assert!(
        before >= 2,
        "the service was reached through the proxy ({before})"
    );

    // Kept: a restart goes through it too.
    drop(app);
    let app = App::open(dir.path(), test_keychain("proxy")).await.unwrap();
    assert_eq!(app.proxy().await.unwrap(), through);
    assert!(app.resume(&central.url()).await.unwrap());
    assert!(seen.load(Ordering::SeqCst) > before);

    // Directly: the proxy sees nothing more.
    assert!(
        app.set_proxy(Proxy::Direct).await.unwrap(),
        "online without it"
    );
    let direct = seen.load(Ordering::SeqCst);
    assert!(app.probe().await.unwrap());
    assert_eq!(seen.load(Ordering::SeqCst), direct);
}
