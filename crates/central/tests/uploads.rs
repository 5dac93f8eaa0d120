//! Every upload is checked by its content when its last byte arrives, with the same checks
//! the desktop client runs before it accepts a file: application materials and appeal
//! attachments alike. A refused upload is gone, so it can never be attached.

mod common;

use common::{error_code, Svc};
use reqwest::{Method, StatusCode};
use yiqifu_central::store::Store;
use yiqifu_files::samples;

/// Uploads `data` whole in chunks; returns the id and the last PATCH's answer.
async fn send(
    svc: &Svc,
    token: &str,
    material_type: &str,
    name: &str,
    data: &[u8],
) -> (String, reqwest::Response) {
    let created = svc.tus_create(token, material_type, name, data.len()).await;
    assert_eq!(created.status(), StatusCode::CREATED, "{name}");
    let id = common::upload_id(&created);
    let chunk = 64 * 1024;
    let mut offset = 0;
    loop {
        let end = (offset + chunk).min(data.len());
        let r = svc
            .patch(token, &id, offset, &data[offset..end], true)
            .await;
        if end == data.len() {
            return (id, r);
        }
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "{name} at {offset}");
        offset = end;
    }
}

async fn head_status(svc: &Svc, token: &str, id: &str) -> StatusCode {
    svc.req(Method::HEAD, &format!("/api/v1/uploads/{id}"), token)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_refused_file_is_answered_with_why_and_is_gone() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        // (material, name, bytes, what the message must say)
        ("commitment_letter", "承诺书.pdf", samples::exe(), "Windows"),
        (
            "commitment_letter",
            "承诺书.pdf",
            samples::pdf_encrypted(),
            "密码",
        ),
        (
            "commitment_letter",
            "承诺书.pdf",
            b"%PDF-1.7\n garbage".to_vec(),
            "PDF",
        ),
        (
            "commitment_letter",
            "承诺书.png",
            samples::png_claiming(40_000, 40_000),
            "图片",
        ),
        (
            "application_form",
            "申请表.docx",
            samples::plain_zip(),
            "压缩包",
        ),
        ("appeal_attachment", "附件.pdf", samples::exe(), "Windows"),
    ];
    for (kind, name, bytes, says) in cases {
        let (id, last) = send(&svc, &me, kind, name, &bytes).await;
        let status = last.status();
        let body: serde_json::Value = last.json().await.unwrap();
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kind} {name}: {body}"
        );
        assert_eq!(body["code"], "MATERIAL_INVALID", "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(name), "names the file: {message}");
        assert!(message.contains(says), "{kind} {name}: {message}");
        assert!(message.contains(" / "), "both languages: {message}");
        assert_eq!(
            head_status(&svc, &me, &id).await,
            StatusCode::NOT_FOUND,
            "{name} is gone"
        );
    }
}

#[tokio::test]
async fn a_good_file_completes_with_its_format() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    for (kind, name, bytes, format) in [
        (
            "commitment_letter",
            "承诺书.pdf",
            samples::pdf_sized(300_000, 3),
            "pdf",
        ),
        (
            "commitment_letter",
            "承诺书.jpg",
            samples::jpeg(64, 48),
            "jpg",
        ),
        ("application_form", "申请表.docx", samples::docx(), "docx"),
        ("staff_list", "名单.xlsx", samples::xlsx(), "xlsx"),
        ("appeal_attachment", "照片.png", samples::png(32, 32), "png"),
    ] {
        let (id, last) = send(&svc, &me, kind, name, &bytes).await;
        assert_eq!(last.status(), StatusCode::NO_CONTENT, "{name}");
        let info: serde_json::Value = svc
            .req(Method::GET, &format!("/api/v1/uploads/{id}"), &me)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(info["complete"], true, "{info}");
        let (stored,): (Option<String>,) =
            sqlx::query_as("SELECT format FROM uploads WHERE id = $1")
                .bind(&id)
                .fetch_one(&svc.running.db)
                .await
                .unwrap();
        assert_eq!(stored.as_deref(), Some(format), "{name}");
    }
}

#[tokio::test]
async fn an_empty_upload_is_refused_at_once() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let created = svc.tus_create(&me, "commitment_letter", "空.pdf", 0).await;
    assert_eq!(
        error_code(created).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "MATERIAL_INVALID".into())
    );
}

/// An upload from before the checks existed has no format: it is checked when an
/// application first names it, and refused then if it fails.
#[tokio::test]
async fn an_old_unchecked_upload_is_checked_when_attached() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let (id, last) = send(
        &svc,
        &me,
        "commitment_letter",
        "承诺书.pdf",
        &samples::pdf(),
    )
    .await;
    assert_eq!(last.status(), StatusCode::NO_CONTENT);
    // As an older service would have left it: complete, unchecked, and not a PDF at all.
    sqlx::query("UPDATE uploads SET format = NULL WHERE id = $1")
        .bind(&id)
        .execute(&svc.running.db)
        .await
        .unwrap();
    svc.running
        .store
        .write(&Store::file(&id), samples::exe().into())
        .await
        .unwrap();
    let mut body = common::application_body(&svc, &me, 0).await;
    let good = body.clone();
    for m in body["materials"].as_array_mut().unwrap() {
        if m["material_type"] == "commitment_letter" {
            m["upload_id"] = serde_json::json!(id);
        }
    }
    let refused = common::submit(&svc, &me, "old-1", &body).await;
    let (status, code) = error_code(refused).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "MATERIAL_INVALID")
    );
    // The same application with its own letter goes through: only the old file was wrong.
    let accepted = common::submit(&svc, &me, "old-2", &good).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
}

/// Appeal attachments follow the rule the service publishes in `attachment_rules`, not one
/// written into the upload code: narrowing the published rule narrows what is accepted.
#[tokio::test]
async fn appeal_attachments_follow_the_published_rule() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let big = svc
        .tus_create(&me, "appeal_attachment", "扫描件.pdf", 2 * 1024 * 1024)
        .await;
    assert_eq!(big.status(), StatusCode::CREATED);
    let (_, png) = send(
        &svc,
        &me,
        "appeal_attachment",
        "照片.png",
        &samples::png(32, 32),
    )
    .await;
    assert_eq!(png.status(), StatusCode::NO_CONTENT);

    let mut rule = yiqifu_protocol::appeal_attachment_rule();
    rule.formats = vec!["pdf".into()];
    rule.max_bytes = 1024 * 1024;
    // Takes the write lock up front: a deferred transaction that must upgrade while the
    // service writes fails at once with "database is locked" (busy_timeout cannot wait on it).
    let mut tx = yiqifu_central::db::begin_write(&svc.running.db)
        .await
        .unwrap();
    yiqifu_central::catalog::publish(
        &mut tx,
        yiqifu_central::catalog::ATTACHMENT_RULES,
        &rule.material_type,
        &rule,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let big = svc
        .tus_create(&me, "appeal_attachment", "扫描件.pdf", 2 * 1024 * 1024)
        .await;
    assert_eq!(
        error_code(big).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE".into())
    );
    let (_, png) = send(
        &svc,
        &me,
        "appeal_attachment",
        "照片.png",
        &samples::png(32, 32),
    )
    .await;
    assert_eq!(
        error_code(png).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "MATERIAL_INVALID".into())
    );
    let feed: Vec<yiqifu_protocol::MaterialRule> =
        svc.feed(&me, "/api/v1/catalog/attachment-rules").await;
    assert_eq!(feed, [rule]);
}

/// A reviewer is shown the name of every upload: one that reads as something else (a text
/// direction override showing "gpj.exe" as "exe.jpg", an invisible character) is refused
/// with the client's own message, and a path keeps only its last part.
#[tokio::test]
async fn a_misleading_file_name_is_refused_and_a_path_keeps_its_last_part() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    for (name, says) in [
        ("invoice\u{202E}fdp.exe", "direction"),
        ("承诺\u{200B}书.pdf", "invisible"),
        ("承诺书\u{7}.pdf", "control"),
    ] {
        let created = svc.tus_create(&me, "commitment_letter", name, 10).await;
        let status = created.status();
        let body: serde_json::Value = created.json().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name:?}");
        assert_eq!(body["code"], "INVALID_FIELD", "{name:?}");
        let message = body["message"].as_str().unwrap_or_default().to_lowercase();
        assert!(message.contains(says), "{name:?}: {message}");
    }
    let created = svc
        .tus_create(&me, "commitment_letter", "C:\\Users\\hr\\承诺书.pdf", 10)
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = common::upload_id(&created);
    let info: serde_json::Value = svc.get(&format!("/api/v1/uploads/{id}"), &me).await;
    assert_eq!(info["filename"], "承诺书.pdf");
}

#[tokio::test]
async fn a_stalled_patch_lets_go_of_its_upload_and_the_next_one_succeeds() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Wide enough that a machine busy with other tests (argon2 sign-ins, Wine) still sees the
    // lock held before it times out; the release itself is waited for, not timed.
    let idle = std::time::Duration::from_secs(2);
    let svc = Svc::start_with_timeouts(idle, yiqifu_central::HEADER_READ).await;
    let me = svc.login(0).await;
    let data = samples::pdf_sized(200_000, 3);
    let created = svc
        .tus_create(&me, "commitment_letter", "承诺书.pdf", data.len())
        .await;
    let id = common::upload_id(&created);
    let head = format!(
        "PATCH /api/v1/uploads/{id} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {me}\r\n\
         Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n\
         Upload-Offset: 0\r\nContent-Length: 65536\r\n\r\n",
        svc.running.addr
    );

    // A chunk of 64 KiB announced, 1,000 bytes sent, then silence: a laptop gone to sleep.
    // Meanwhile the upload is held: a probing PATCH (at an offset that would be refused
    // anyway, so it changes nothing) is told it is locked. A probe holds the upload for a
    // moment itself, so the stalled PATCH may arrive in that moment and be refused (423, on
    // its socket): then it is sent again.
    let mut seen = Vec::new();
    let mut stalled = None;
    'attempt: for _ in 0..5 {
        let mut stream = tokio::net::TcpStream::connect(svc.running.addr)
            .await
            .unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&data[..1000]).await.unwrap();
        stream.flush().await.unwrap();
        let started = std::time::Instant::now();
        while started.elapsed() < idle {
            let status = svc.patch(&me, &id, 999_999, b"x", false).await.status();
            seen.push(status.as_u16());
            if status == StatusCode::LOCKED {
                stalled = Some(stream);
                break 'attempt;
            }
            let mut answer = [0u8; 64];
            let wait = std::time::Duration::from_millis(10);
            if let Ok(read) = tokio::time::timeout(wait, stream.read(&mut answer)).await {
                let answer = String::from_utf8_lossy(&answer[..read.unwrap_or(0)]).to_string();
                assert!(answer.contains(" 423 "), "the stalled PATCH got {answer:?}");
                seen.push(0);
                continue 'attempt;
            }
        }
        break;
    }
    assert!(
        stalled.is_some(),
        "the stalled PATCH never held the upload (0 = it was refused and sent again): {seen:?}"
    );

    // After the idle time the lock is free, with what arrived kept (the offset moves only
    // when the PATCH ends); the upload finishes while the stalled connection is still open.
    let offset_now = || async {
        svc.tus(Method::HEAD, &me, &id)
            .send()
            .await
            .unwrap()
            .headers()["upload-offset"]
            .to_str()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    let waiting = std::time::Instant::now();
    let offset = loop {
        let offset = offset_now().await;
        if offset != 0 {
            break offset;
        }
        assert!(
            waiting.elapsed() < std::time::Duration::from_secs(30),
            "the stalled PATCH still holds the upload 30 s on"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(offset, 1000, "the bytes that arrived are kept");
    let r = svc.patch(&me, &id, offset, &data[offset..], true).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT, "{:?}", r.text().await);
    assert_eq!(head_status(&svc, &me, &id).await, StatusCode::OK);
    drop(stalled);
}

/// A client that sends half a request's headers and then nothing (or opens a connection and
/// says nothing) is cut off after the header timeout, and the service still answers others.
#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let header_read = std::time::Duration::from_millis(500);
    let svc = Svc::start_with_timeouts(yiqifu_central::BODY_IDLE, header_read).await;
    let mut half = tokio::net::TcpStream::connect(svc.running.addr)
        .await
        .unwrap();
    half.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut silent = tokio::net::TcpStream::connect(svc.running.addr)
        .await
        .unwrap();
    // Well past the timeout, the service has hung up on both: reading ends, with at most an
    // error answer, instead of waiting.
    for conn in [&mut half, &mut silent] {
        let mut got = Vec::new();
        let read = tokio::time::timeout(header_read * 10, conn.read_to_end(&mut got)).await;
        assert!(
            read.is_ok(),
            "the connection was still open after {:?}",
            header_read * 10
        );
    }
    let health = svc
        .http
        .get(format!("{}/api/v1/health", svc.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

/// A complete upload no record takes is swept after `UNUSED_KEEP_SECS` (row and file), one an
/// appeal took stays; and an enterprise holds at most `PENDING_UPLOADS` untaken uploads (or
/// `PENDING_BYTES`), refused past that with UPLOAD_QUOTA until one goes.
#[tokio::test]
async fn untaken_uploads_are_swept_and_counted_against_a_quota() {
    let svc = Svc::start().await;
    let me = svc.login(2).await;
    let pdf = samples::pdf_sized(2_000, 1);
    let (unused, r) = send(&svc, &me, "appeal_attachment", "没用上.pdf", &pdf).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (taken, r) = send(&svc, &me, "appeal_attachment", "说明.pdf", &pdf).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let body = serde_json::json!({
        "category": "supply_chain", "title": "原料通行证",
        "description": "上游供应商位于封控区。", "attachments": [taken],
    });
    let filed = svc
        .post_keyed("/api/v1/appeals", &me, "quota-1", &body)
        .await;
    assert_eq!(filed.status(), StatusCode::CREATED);

    // A month and a day on: the next create sweeps.
    let month = yiqifu_central::uploads::UNUSED_KEEP_SECS + 86_400;
    sqlx::query("UPDATE uploads SET created_at = created_at - $1")
        .bind(month)
        .execute(&svc.running.db)
        .await
        .unwrap();
    let r = svc
        .tus_create(&me, "appeal_attachment", "新的.pdf", 10)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(head_status(&svc, &me, &unused).await, StatusCode::NOT_FOUND);
    let store = &svc.running.store;
    let gone = store.read(&Store::file(&unused)).await.unwrap();
    assert!(gone.is_none(), "its file is gone too");
    assert_eq!(head_status(&svc, &me, &taken).await, StatusCode::OK);
    assert!(store.read(&Store::file(&taken)).await.unwrap().is_some());

    // The count: one untaken upload is held now (the one just created).
    let quota = yiqifu_central::uploads::PENDING_UPLOADS as usize;
    let mut last = String::new();
    for n in 1..quota {
        let r = svc
            .tus_create(&me, "appeal_attachment", &format!("{n}.pdf"), 10)
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "upload {n}");
        last = common::upload_id(&r);
    }
    let over = svc
        .tus_create(&me, "appeal_attachment", "多一个.pdf", 10)
        .await;
    assert_eq!(
        error_code(over).await,
        (StatusCode::TOO_MANY_REQUESTS, "UPLOAD_QUOTA".into())
    );
    // Another enterprise is not held by it.
    let other = svc.login(1).await;
    let r = svc
        .tus_create(&other, "appeal_attachment", "别家的.pdf", 10)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // Terminating one frees a place.
    let gone = svc.tus(Method::DELETE, &me, &last).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let r = svc
        .tus_create(&me, "appeal_attachment", "再来.pdf", 10)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let freed = common::upload_id(&r);

    // The bytes: the untaken uploads' announced lengths count.
    sqlx::query(
        "DELETE FROM uploads WHERE owner = (SELECT owner FROM uploads WHERE id = $1) AND id <> $2",
    )
    .bind(&freed)
    .bind(&freed)
    .execute(&svc.running.db)
    .await
    .unwrap();
    sqlx::query("UPDATE uploads SET length = $1 WHERE id = $2")
        .bind(yiqifu_central::uploads::PENDING_BYTES - 5)
        .bind(&freed)
        .execute(&svc.running.db)
        .await
        .unwrap();
    let over = svc.tus_create(&me, "appeal_attachment", "大.pdf", 10).await;
    assert_eq!(
        error_code(over).await,
        (StatusCode::TOO_MANY_REQUESTS, "UPLOAD_QUOTA".into())
    );
    let r = svc.tus_create(&me, "appeal_attachment", "小.pdf", 5).await;
    assert_eq!(r.status(), StatusCode::CREATED, "up to the byte");

    // An application takes its materials as an appeal takes its attachments.
    let applicant = svc.login(0).await;
    let body = common::application_body(&svc, &applicant, 0).await;
    let untaken = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM uploads WHERE used = 0 AND owner =
               (SELECT owner FROM uploads WHERE id = $1)",
        )
        .bind(body["materials"][0]["upload_id"].as_str().unwrap())
        .fetch_one(&svc.running.db)
        .await
        .unwrap();
        n
    };
    assert!(untaken().await > 0);
    let r = common::submit(&svc, &applicant, "quota-app", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(untaken().await, 0, "every material is taken");
}

/// A file larger than the store's one-request buffer goes up in chunks of the client's
/// size. While it is unfinished each chunk is a part of its own; a chunk sent again for an
/// offset already passed is refused and leaves nothing. Complete, it is one object holding
/// exactly the bytes sent and no part is left; an upload terminated half way leaves nothing.
/// Runs on a folder, and on S3 in the PostgreSQL run.
#[tokio::test]
async fn a_complete_upload_is_one_object_and_leaves_no_part() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let store = &svc.running.store;
    let data = samples::pdf_sized(9 * 1024 * 1024 + 4321, 11);
    let created = svc
        .tus_create(&me, "prevention_plan", "防控方案.pdf", data.len())
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = common::upload_id(&created);
    let chunk = 1024 * 1024;
    let chunks: Vec<&[u8]> = data.chunks(chunk).collect();
    for (i, part) in chunks.iter().enumerate().take(chunks.len() - 1) {
        let r = svc.patch(&me, &id, i * chunk, part, true).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "chunk {i}");
    }
    let parts = store.names(&format!("parts/{id}")).await.unwrap();
    assert_eq!(
        parts.len(),
        chunks.len() - 1,
        "one part per chunk: {parts:?}"
    );
    let again = svc.patch(&me, &id, 0, chunks[0], true).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(
        store.names(&format!("parts/{id}")).await.unwrap(),
        parts,
        "the refused chunk left nothing"
    );
    let last = chunks.len() - 1;
    let r = svc.patch(&me, &id, last * chunk, chunks[last], true).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let stored = store.read(&Store::file(&id)).await.unwrap();
    assert!(
        stored.as_deref() == Some(&data[..]),
        "the object is the file"
    );
    assert!(store.names("parts").await.unwrap().is_empty());
    let info: serde_json::Value = svc
        .req(Method::GET, &format!("/api/v1/uploads/{id}"), &me)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    use sha2::Digest;
    assert_eq!(info["sha256"], hex::encode(sha2::Sha256::digest(&data)));

    let created = svc
        .tus_create(&me, "prevention_plan", "半途.pdf", data.len())
        .await;
    let half = common::upload_id(&created);
    let r = svc.patch(&me, &half, 0, chunks[0], true).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = svc
        .req(Method::DELETE, &format!("/api/v1/uploads/{half}"), &me)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(store.names("parts").await.unwrap().is_empty());
    assert!(store.read(&Store::file(&half)).await.unwrap().is_none());
}

/// A full disk under the upload store (a 4 MiB tmpfs, mounted for the service alone in a
/// mount namespace of its own, so no root is needed): the chunk that does not fit is answered
/// 503 STORAGE_FULL with Retry-After, which the client retries and never parks; the offset
/// stays at the last chunk stored; the service goes on serving; and once there is room again
/// (here: the upload deleted) a new upload goes through.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_full_upload_disk_is_answered_503_and_the_service_goes_on() {
    use base64::Engine;
    use sha2::Digest;

    let dir = tempfile::tempdir().unwrap();
    let (database, _) = common::a_database(dir.path()).await;
    let folder = dir.path().join("full");
    std::fs::create_dir(&folder).unwrap();
    let mut cmd = tokio::process::Command::new("unshare");
    cmd.args(["--user", "--map-root-user", "--mount", "--", "sh", "-c"])
        .arg(r#"d=$1; shift; mount -t tmpfs -o size=4m yiqifu-full "$d" && exec "$@""#)
        .arg("sh")
        .arg(&folder)
        .arg(env!("CARGO_BIN_EXE_yiqifu-central"))
        .args(["--addr", "127.0.0.1:0", "--demo", "--db"]);
    match &database {
        yiqifu_central::Database::Sqlite(path) => cmd.arg(path),
        yiqifu_central::Database::Postgres(url) => cmd.arg(url),
    };
    cmd.arg("--uploads").arg(&folder).env("RUST_LOG", "error");
    // `unshare` (util-linux) runs the service once the tmpfs is mounted.
    let service = common::process::serve(cmd).await;
    let base = service.base.clone();
    let http = reqwest::Client::new();
    let token = service.login(&http, 0).await;
    let create = |len: usize| {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        http.post(format!("{base}/api/v1/uploads"))
            .bearer_auth(&token)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", len.to_string())
            .header(
                "Upload-Metadata",
                format!(
                    "material_type {},filename {}",
                    b64("application_form"),
                    b64("申请表.pdf")
                ),
            )
            .send()
    };
    let patch = |id: &str, offset: usize, bytes: &[u8]| {
        let digest = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes));
        http.patch(format!("{base}/api/v1/uploads/{id}"))
            .bearer_auth(&token)
            .header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Checksum", format!("sha256 {digest}"))
            .body(bytes.to_vec())
            .send()
    };

    // 6 MiB does not fit in 4: some 1 MiB chunks are stored, then one is refused.
    let big = samples::pdf_sized(6 << 20, 5);
    let created = create(big.len()).await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = common::upload_id(&created);
    let chunk = 1 << 20;
    let mut offset = 0;
    let refused = loop {
        assert!(offset < big.len(), "6 MiB went into a 4 MiB disk");
        let end = (offset + chunk).min(big.len());
        let r = patch(&id, offset, &big[offset..end]).await.unwrap();
        if r.status() != StatusCode::NO_CONTENT {
            break r;
        }
        offset = end;
    };
    println!("the disk filled after {} MiB stored", offset >> 20);
    assert!(
        offset >= 1 << 20,
        "no chunk was stored before the disk was full"
    );
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.headers()["retry-after"], "60");
    let body: yiqifu_protocol::ApiError = refused.json().await.unwrap();
    assert_eq!(body.code, yiqifu_protocol::ErrorCode::StorageFull);
    assert!(body.message.contains("retry later"), "{}", body.message);

    // Nothing stored is lost: the upload resumes from the last chunk the service kept.
    let head = http
        .head(format!("{base}/api/v1/uploads/{id}"))
        .bearer_auth(&token)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["upload-offset"], offset.to_string().as_str());
    let health = http
        .get(format!("{base}/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    // Room again: the big upload deleted, a 1 MiB one completes and is checked.
    let gone = http
        .delete(format!("{base}/api/v1/uploads/{id}"))
        .bearer_auth(&token)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let small = samples::pdf_sized(1 << 20, 6);
    let created = create(small.len()).await.unwrap();
    let id = common::upload_id(&created);
    let done = patch(&id, 0, &small).await.unwrap();
    assert_eq!(
        done.status(),
        StatusCode::NO_CONTENT,
        "{:?}",
        done.text().await
    );
}
