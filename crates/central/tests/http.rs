//! The service over real HTTP: health, OpenAPI, sign-in and the catalog feed, and the 4xx
//! answers bad input gets.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use yiqifu_central::seed::DEMO_ENTERPRISES;

mod common;
use common::Svc;

async fn token(svc: &Svc) -> String {
    let r = svc.login_body(1).await;
    assert_eq!(r["enterprise"]["district"], DEMO_ENTERPRISES[1].district);
    r["access_token"].as_str().unwrap().to_string()
}

async fn error_of(resp: reqwest::Response) -> (StatusCode, String) {
    let status = resp.status();
    let body: Value = resp.json().await.expect("errors are JSON");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    (
        status,
        body["code"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn health_and_openapi_describe_the_service() {
    let svc = Svc::start().await;
    let (base, http) = (svc.base.clone(), svc.http.clone());
    let h: Value = http
        .get(format!("{base}/api/v1/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["service"], "yiqifu-central");
    assert_eq!(h["api_version"], 1);
    assert_eq!(h["demo"], true);

    let doc: Value = http
        .get(format!("{base}/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/health",
        "/api/v1/openapi.json",
        "/api/v1/auth/login",
        "/api/v1/catalog/documents",
        "/api/v1/profile",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["Document"].is_object());
    let profile = &doc["paths"]["/api/v1/profile"];
    assert!(profile["put"]["responses"]["422"].is_object());
    assert!(profile["get"]["responses"]["404"].is_object());
    for schema in ["CompanyProfile", "StoredProfile", "Contact", "RiskArea"] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} missing from the OpenAPI schemas"
        );
    }
    assert!(
        doc["components"]["schemas"]["Application"]["properties"]["profile"].is_object(),
        "the application shows its profile snapshot"
    );
}

#[tokio::test]
async fn the_feed_pages_forward_with_an_opaque_cursor() {
    let svc = Svc::start().await;
    let (base, http) = (svc.base.clone(), svc.http.clone());
    let t = token(&svc).await;
    let total = yiqifu_central::seed::demo_catalog().unwrap().len();
    let mut cursor: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    let mut pages = 0;
    loop {
        let mut req = http
            .get(format!("{base}/api/v1/catalog/documents"))
            .bearer_auth(&t)
            .query(&[("limit", "7")]);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c)]);
        }
        let page: Value = req.send().await.unwrap().json().await.unwrap();
        for d in page["items"].as_array().unwrap() {
            assert!(
                seen.insert(d["id"].as_str().unwrap().to_string()),
                "an item came twice"
            );
        }
        pages += 1;
        cursor = Some(page["next_cursor"].as_str().unwrap().to_string());
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(seen.len(), total);
    assert_eq!(pages, total.div_ceil(7));
    // At the head, the same cursor answers an empty page and stays put.
    let page: Value = http
        .get(format!("{base}/api/v1/catalog/documents"))
        .bearer_auth(&t)
        .query(&[("cursor", cursor.clone().unwrap())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    assert_eq!(page["next_cursor"].as_str(), cursor.as_deref());

    // Polling at the head with the head's ETag costs a 304 until something changes.
    let poll = |tag: String| {
        http.get(format!("{base}/api/v1/catalog/documents"))
            .bearer_auth(&t)
            .header("If-None-Match", tag)
            .query(&[("cursor", cursor.clone().unwrap())])
            .send()
    };
    let first = http
        .get(format!("{base}/api/v1/catalog/documents"))
        .bearer_auth(&t)
        .query(&[("cursor", cursor.clone().unwrap())])
        .send()
        .await
        .unwrap();
    let tag = first.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(
        poll(tag.clone()).await.unwrap().status(),
        StatusCode::NOT_MODIFIED
    );
    let mut conn = svc.running.db.acquire().await.unwrap();
    yiqifu_central::catalog::withdraw(&mut conn, "documents", "gd-001")
        .await
        .unwrap();
    drop(conn);
    let changed = poll(tag).await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let body: Value = changed.json().await.unwrap();
    assert_eq!(body["removed"], serde_json::json!(["gd-001"]));
}

#[tokio::test]
async fn bad_input_gets_a_4xx_with_a_code() {
    let svc = Svc::start().await;
    let (base, http) = (svc.base.clone(), svc.http.clone());
    let login = format!("{base}/api/v1/auth/login");
    let feed = format!("{base}/api/v1/catalog/documents");
    let t = token(&svc).await;

    let cases: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
        (
            http.post(&login)
                .header("content-type", "application/json")
                .body("{\"credit_code\": "),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            http.post(&login)
                .json(&json!({"credit_code": "x", "password": "y", "role": "reviewer"})),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            http.post(&login)
                .json(&json!({"credit_code": 91, "password": "y"})),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            http.post(&login).body("credit_code=x"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
        ),
        (
            http.post(&login)
                .json(&json!({"credit_code": "91350100M000100Y44", "password": "y"})),
            StatusCode::BAD_REQUEST,
            "INVALID_CREDIT_CODE",
        ),
        (
            http.post(&login)
                .json(&json!({"credit_code": "91350100M000100Y43", "password": "y"})),
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
        ),
        (
            http.post(&login).json(
                &json!({"credit_code": DEMO_ENTERPRISES[0].credit_code(), "password": "nope"}),
            ),
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
        ),
        (
            http.post(&login)
                .header("content-type", "application/json")
                .body(vec![b' '; 2 * 1024 * 1024]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
        ),
        (http.get(&feed), StatusCode::UNAUTHORIZED, "UNAUTHORIZED"),
        (
            http.get(&feed).bearer_auth("forged"),
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        ),
        (
            http.get(&feed)
                .bearer_auth(&t)
                .query(&[("cursor", "d1.99999")]),
            StatusCode::BAD_REQUEST,
            "CURSOR_INVALID",
        ),
        (
            http.get(&feed)
                .bearer_auth(&t)
                .query(&[("cursor", "../../etc/passwd")]),
            StatusCode::BAD_REQUEST,
            "CURSOR_INVALID",
        ),
        (
            http.get(&feed).bearer_auth(&t).query(&[("limit", "0")]),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            http.get(&feed).bearer_auth(&t).query(&[("limit", "-3")]),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            http.get(&feed).bearer_auth(&t).query(&[("sort", "title")]),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            http.get(format!("{base}/api/v1/nothing-here")),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
    ];
    for (i, (req, status, code)) in cases.into_iter().enumerate() {
        let (got_status, got_code) = error_of(req.send().await.unwrap()).await;
        assert_eq!((got_status, got_code.as_str()), (status, code), "case {i}");
    }
}

/// `yiqifu-central --demo` as an officer's IT department would run it.
#[tokio::test]
async fn the_binary_seeds_a_database_file_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("中央 服务.sqlite");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yiqifu-central"))
        .args(["--demo", "--addr", &format!("127.0.0.1:{port}"), "--db"])
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let http = reqwest::Client::new();
    let start = Instant::now();
    let health = loop {
        if let Ok(r) = http
            .get(format!("http://127.0.0.1:{port}/api/v1/health"))
            .send()
            .await
        {
            break r.json::<Value>().await.unwrap();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the service did not come up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(health["service"], "yiqifu-central");
    assert!(db.exists());

    // A bad address is refused with a message, not a panic.
    let out = Command::new(env!("CARGO_BIN_EXE_yiqifu-central"))
        .args(["--addr", "not-an-address"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--addr"));
}
