//! The service on PostgreSQL where one process cannot show it: two service processes on one
//! database, the two schemas held to each other, and a start that cannot work saying why.
//! (Every other test of the service runs on PostgreSQL too, in `cargo xtask test`'s second
//! run of them.)
//!
//! Unix only: the harness starts Debian's server with its shell tools. The Windows run of
//! the service's tests (under Wine) is for the SQLite path's Windows semantics.
#![cfg(unix)]

mod common;

use std::process::Stdio;

use base64::Engine;

use common::process::Process;
use reqwest::StatusCode;
use serde_json::{json, Value};
use yiqifu_central::Database;
use yiqifu_protocol::{Appeal, Listing};

/// A `yiqifu-central` process serving the demo on `url`, killed when dropped.
async fn serve(url: &str, uploads: &yiqifu_central::Uploads) -> Process {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_yiqifu-central"));
    cmd.args(["--addr", "127.0.0.1:0", "--demo", "--db", url, "--uploads"]);
    match uploads {
        yiqifu_central::Uploads::Disk(dir) => {
            cmd.arg(dir);
        }
        // As an operator runs it: the bucket on the command line, the rest in AWS_*.
        yiqifu_central::Uploads::S3 { url, options } => {
            cmd.arg(url);
            for (key, value) in options {
                cmd.env(key.to_uppercase(), value);
            }
        }
    }
    cmd.env("RUST_LOG", "warn").stderr(Stdio::inherit());
    common::process::serve(cmd).await
}

/// The first page (up to 500 items) of one of a caller's feeds.
async fn feed<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
) -> Vec<T> {
    let page: Value = http
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .query(&[("limit", "500")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    serde_json::from_value(page["items"].clone()).unwrap()
}

fn appeal_body(title: &str) -> Value {
    json!({
        "category": "supply_chain", "title": title,
        "description": "上游供应商位于封控区，需协调原料通行证。",
        "attachments": [],
        "contact": {"name": "周凯", "phone": "021-57761208"}
    })
}

async fn post_appeal(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    key: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let r = http
        .post(format!("{base}/api/v1/appeals"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

/// One Idempotency-Key sent to two service processes at once gives one appeal: the claim is
/// the database's primary key, not a lock inside either process. Writes without a shared key
/// (each appeal takes the next number of its enterprise's feed) interleave from both
/// processes without a clash.
#[tokio::test]
async fn two_service_processes_on_one_database_keep_one_record_per_key() {
    let url = common::postgres::fresh_database().await;
    let uploads = common::s3::fresh_bucket().await;
    // One after the other, so that the demo is seeded once.
    let a = serve(&url, &uploads).await;
    let b = serve(&url, &uploads).await;
    let http = reqwest::Client::new();
    let token = a.login(&http, 2).await;

    const ROUNDS: usize = 30;
    let mut overlapped = 0;
    for round in 0..ROUNDS {
        let key = format!("both-{round}");
        let body = appeal_body(&format!("两处同时提交 {round}"));
        let (first, second) = tokio::join!(
            post_appeal(&http, &a.base, &token, &key, &body),
            post_appeal(&http, &b.base, &token, &key, &body),
        );
        let mut ids = Vec::new();
        for (status, answer) in [first, second] {
            match status {
                StatusCode::CREATED => ids.push(answer["id"].as_str().unwrap().to_string()),
                // The other process held the key's claim while its request ran.
                StatusCode::CONFLICT => {
                    assert_eq!(answer["code"], "REQUEST_IN_PROGRESS", "{answer}");
                    overlapped += 1;
                }
                other => panic!("round {round}: {other} {answer}"),
            }
        }
        // Whatever each got at first, a retry on either process gets the one appeal.
        let (status, answer) = post_appeal(&http, &b.base, &token, &key, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        ids.push(answer["id"].as_str().unwrap().to_string());
        ids.dedup();
        assert_eq!(
            ids.len(),
            1,
            "round {round}: two appeals for one key: {ids:?}"
        );
    }
    println!("one key sent to both processes at once: {overlapped} of {ROUNDS} rounds overlapped");
    assert!(
        overlapped > 0,
        "no round's two requests overlapped, so the test proved nothing about concurrency"
    );

    // Distinct listings at once, half to each process: every one stored, none refused. Each
    // takes the next number of the market's feed, and nothing else orders them (appeals are
    // ordered by their receipt counter's row lock), so without one write lock across the
    // processes two would take the same number and one would fail.
    const EACH: usize = 60;
    let until = (time::OffsetDateTime::now_utc().date() + time::Duration::days(14)).to_string();
    let sent: Vec<_> = (0..EACH)
        .map(|i| {
            let base = if i % 2 == 0 { &a.base } else { &b.base };
            let (http, token, until) = (&http, &token, &until);
            async move {
                let r = http
                    .post(format!("{base}/api/v1/listings"))
                    .bearer_auth(token)
                    .header("Idempotency-Key", format!("each-{i}"))
                    .json(&json!({
                        "kind": "supply", "category": "supplies", "item": format!("口罩 {i}"),
                        "quantity": 100.0, "unit": "只", "district": "嘉定区",
                        "valid_until": until, "contact_name": "李强",
                        "contact_phone": "13800000000", "note": null
                    }))
                    .send()
                    .await
                    .unwrap();
                (r.status(), r.text().await.unwrap())
            }
        })
        .collect();
    for (status, answer) in futures::future::join_all(sent).await {
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let listings: Vec<Listing> = feed(&http, &b.base, &token, "/api/v1/listings").await;
    for i in 0..EACH {
        let item = format!("口罩 {i}");
        assert_eq!(
            listings.iter().filter(|l| l.details.item == item).count(),
            1,
            "{item}"
        );
    }

    // One upload, its bucket shared: every chunk is sent to both processes at once (a
    // client's retry racing its first attempt). One of each pair is taken and the other told
    // the offset moved on; the file comes out whole, as the one object both processes see.
    let data = yiqifu_files::samples::pdf_sized(6 * 1024 * 1024 + 99, 5);
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let created = http
        .post(format!("{}/api/v1/uploads", a.base))
        .bearer_auth(&token)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", data.len())
        .header(
            "Upload-Metadata",
            format!(
                "material_type {},filename {}",
                b64("prevention_plan"),
                b64("方案.pdf")
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let patch = |base: &str, offset: usize, chunk: &[u8]| {
        use sha2::Digest;
        let digest = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(chunk));
        http.patch(format!("{base}{location}"))
            .bearer_auth(&token)
            .header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset)
            .header("Upload-Checksum", format!("sha256 {digest}"))
            .body(chunk.to_vec())
            .send()
    };
    let chunk = 1024 * 1024;
    let mut joined_while_asked = 0;
    for (i, part) in data.chunks(chunk).enumerate() {
        let (x, y) = tokio::join!(
            patch(&a.base, i * chunk, part),
            patch(&b.base, i * chunk, part)
        );
        let mut statuses = [x.unwrap().status(), y.unwrap().status()];
        statuses.sort();
        // The other is told the offset moved on (409), or, for the last chunk, that the one
        // taken is being joined (423).
        assert!(
            statuses[0] == StatusCode::NO_CONTENT
                && [StatusCode::CONFLICT, StatusCode::LOCKED].contains(&statuses[1]),
            "chunk {i}: one taken and one turned away, not {statuses:?}"
        );
        if statuses[1] == StatusCode::LOCKED {
            joined_while_asked += 1;
        }
    }
    println!("the last chunk's second PATCH found it being joined: {joined_while_asked} time(s)");
    let info: Value = http
        .get(format!("{}{location}", b.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    use sha2::Digest;
    assert_eq!(info["complete"], true, "{info}");
    assert_eq!(
        info["sha256"],
        hex::encode(sha2::Sha256::digest(&data)),
        "{info}"
    );
    let store = yiqifu_central::store::Store::open(&uploads).await.unwrap();
    let id = info["id"].as_str().unwrap();
    let stored = store
        .read(&yiqifu_central::store::Store::file(id))
        .await
        .unwrap();
    assert!(
        stored.as_deref() == Some(&data[..]),
        "the object is the file"
    );
    assert!(store.names("parts").await.unwrap().is_empty());

    let appeals: Vec<Appeal> = feed(&http, &a.base, &token, "/api/v1/appeals").await;
    for round in 0..ROUNDS {
        let title = format!("两处同时提交 {round}");
        assert_eq!(
            appeals.iter().filter(|x| x.title == title).count(),
            1,
            "{title}"
        );
    }
}

/// The PostgreSQL schema, written as one migration, has every table and column the SQLite
/// migrations end with: a column added to one and not the other fails here.
#[tokio::test]
async fn both_schemas_have_the_same_tables_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = yiqifu_central::db::open(&dir.path().join("c.sqlite"))
        .await
        .unwrap();
    let postgres = yiqifu_central::db::connect(
        &Database::Postgres(common::postgres::fresh_database().await),
        Default::default(),
    )
    .await
    .unwrap();
    let on_sqlite: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p
          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'
          ORDER BY 1, 2",
    )
    .fetch_all(&sqlite)
    .await
    .unwrap();
    let on_postgres: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT)
           FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'
          ORDER BY 1, 2",
    )
    .fetch_all(&postgres)
    .await
    .unwrap();
    // Sorted here: the two engines' orders of text may differ.
    let (mut on_sqlite, mut on_postgres) = (on_sqlite, on_postgres);
    on_sqlite.sort();
    on_postgres.sort();
    assert!(on_sqlite.len() > 50, "{on_sqlite:?}");
    assert_eq!(on_sqlite, on_postgres);
}

/// A PostgreSQL URL without an upload folder, and a server that is not there: the service
/// does not start, and says what to change, without printing the password.
#[tokio::test]
async fn a_postgres_start_that_cannot_work_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_yiqifu-central"))
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, err) = run(&["--db", "postgres://officer:s3cret@127.0.0.1:9/yiqifu"]);
    assert!(!ok);
    assert!(err.contains("--uploads"), "{err}");
    // Port 1: nothing listens there.
    let uploads = dir.path().join("up");
    let (ok, err) = run(&[
        "--db",
        "postgres://officer:s3cret@127.0.0.1:1/yiqifu",
        "--uploads",
        uploads.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("127.0.0.1:1/yiqifu"), "{err}");
    assert!(!err.contains("s3cret"), "the password was printed: {err}");
}

/// A city's database is reached over TLS with its certificate checked: the service starts on
/// `sslmode=verify-ca` and `verify-full` with the server's CA, and a CA that did not sign the
/// server's certificate stops the start saying so. (rustls cannot pick its crypto by itself
/// in this binary, which carries both ring and aws-lc-rs: without a provider chosen at start,
/// verify-ca panicked.)
#[tokio::test]
async fn the_service_checks_the_database_servers_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::postgres::fresh_database().await;
    let ca = common::postgres::certificate().await;
    let uploads = yiqifu_central::Uploads::Disk(dir.path().join("up"));
    for mode in ["verify-ca", "verify-full"] {
        let svc = serve(
            &format!("{url}?sslmode={mode}&sslrootcert={}", ca.display()),
            &uploads,
        )
        .await;
        let health = reqwest::get(format!("{}/api/v1/health", svc.base))
            .await
            .unwrap();
        assert_eq!(health.status(), StatusCode::OK, "{mode}");
    }
    // Another CA: a certificate the server's was not signed by.
    let other = dir.path().join("other.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=another", "-keyout"])
        .arg(dir.path().join("other.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yiqifu-central"))
        .args(["--addr", "127.0.0.1:0", "--db"])
        .arg(format!(
            "{url}?sslmode=verify-full&sslrootcert={}",
            other.display()
        ))
        .arg("--uploads")
        .arg(dir.path().join("up"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.to_lowercase().contains("certificate"), "{err}");
}

/// An S3 store the service cannot write (a bucket that is not there) stops the start with a
/// message naming the store, and never the secret key.
#[tokio::test]
async fn an_upload_store_that_cannot_be_written_stops_the_start_saying_which() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_yiqifu-central"));
    cmd.args(["--addr", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("c.sqlite"))
        .args(["--uploads", "s3://no-such-bucket/uploads"]);
    for (key, value) in common::s3::options().await {
        cmd.env(key.to_uppercase(), value);
    }
    let out = cmd
        .env("AWS_SECRET_ACCESS_KEY", "s3cret-key")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("s3://no-such-bucket/uploads"), "{err}");
    assert!(err.contains("cannot be written"), "{err}");
    assert!(!err.contains("s3cret-key"), "the key was printed: {err}");
}

/// PostgreSQL's own full disk (SQLSTATE 53100, `disk_full`), raised by the server as a full
/// volume makes it, is STORAGE_FULL (a 503 to retry later), as SQLite's is; another error is
/// not.
#[tokio::test]
async fn a_full_postgres_disk_is_storage_full() {
    use sqlx::{Connection, Executor};
    let url = common::postgres::fresh_database().await;
    let mut db = sqlx::AnyConnection::connect(&url).await.unwrap();
    let raise = |code: &str| {
        format!(
            "DO $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' \
             USING ERRCODE = '{code}'; END $$"
        )
    };
    let full = yiqifu_central::error::Error::Db(
        db.execute(raise("disk_full").as_str()).await.unwrap_err(),
    );
    assert_eq!(
        full.code(),
        yiqifu_protocol::ErrorCode::StorageFull,
        "{full}"
    );
    let other = yiqifu_central::error::Error::Db(
        db.execute(raise("division_by_zero").as_str())
            .await
            .unwrap_err(),
    );
    assert_eq!(
        other.code(),
        yiqifu_protocol::ErrorCode::Internal,
        "{other}"
    );
}
