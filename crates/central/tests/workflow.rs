//! The service's workflows over real HTTP: applications through review, uploads by tus,
//! appeals, listings and the inbox, sessions, and every enterprise seeing only its own.

mod common;

use common::{application_body, error_code, sample_file, submit, Svc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use yiqifu_protocol::{Application, ApplicationState, InboxEntry, InboxKind};

async fn review(svc: &Svc, token: &str, id: &str, action: Value) -> reqwest::Response {
    svc.req(
        Method::POST,
        &format!("/api/v1/review/applications/{id}/actions"),
        token,
    )
    .json(&action)
    .send()
    .await
    .unwrap()
}

async fn inbox(svc: &Svc, token: &str) -> Vec<InboxEntry> {
    svc.feed(token, "/api/v1/inbox").await
}

#[tokio::test]
async fn an_application_goes_through_returned_resubmitted_and_approved() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let other = svc.login(1).await;
    let rev = svc.reviewer().await;
    let body = application_body(&svc, &me, 0).await;

    // Idempotency: the same key and body answer the first response again.
    let first = submit(&svc, &me, "k-1", &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let app: Application = first.json().await.unwrap();
    assert_eq!(app.state, ApplicationState::Submitted);
    let again: Application = submit(&svc, &me, "k-1", &body).await.json().await.unwrap();
    assert_eq!(again, app);
    let mut changed = body.clone();
    changed["returning_staff"] = json!(127);
    assert_eq!(
        error_code(submit(&svc, &me, "k-1", &changed).await).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED".into()
        )
    );
    let no_key = svc
        .req(Method::POST, "/api/v1/applications", &me)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(no_key).await,
        (StatusCode::BAD_REQUEST, "IDEMPOTENCY_KEY_MISSING".into())
    );
    let mine: Vec<Application> = svc.list("/api/v1/applications", &me).await;
    assert_eq!(mine.len(), 1, "a retried submission is stored once");

    // Another enterprise cannot see it, nor act as reviewer.
    let peek = svc
        .req(
            Method::GET,
            &format!("/api/v1/applications/{}", app.id),
            &other,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(peek.status(), StatusCode::NOT_FOUND);
    let theirs: Vec<Application> = svc.list("/api/v1/applications", &other).await;
    assert!(theirs.is_empty());
    let forged = review(
        &svc,
        &other,
        &app.id,
        json!({"action": "accept", "note": null}),
    )
    .await;
    assert_eq!(
        error_code(forged).await,
        (StatusCode::FORBIDDEN, "REVIEWER_ONLY".into())
    );

    // Not allowed straight from submitted.
    let early = review(
        &svc,
        &rev,
        &app.id,
        json!({"action": "approve", "note": null}),
    )
    .await;
    assert_eq!(
        error_code(early).await,
        (StatusCode::CONFLICT, "INVALID_TRANSITION".into())
    );

    // 补正: one notice listing every fix.
    let returned: Application = review(
        &svc,
        &rev,
        &app.id,
        json!({"action": "return", "items": [
            {"material_type": "commitment_letter", "text": "承诺书缺少法定代表人签字"},
            {"material_type": null, "text": "返岗人数与名单不一致"}
        ]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(returned.state, ApplicationState::Returned);
    assert_eq!(returned.correction.as_ref().unwrap().items.len(), 2);
    let notes = inbox(&svc, &me).await;
    assert!(notes.iter().any(|n| n.kind == InboxKind::CorrectionNotice
        && n.ref_id == app.id
        && n.body.contains("返岗人数")));
    // Another enterprise hears nothing of it (the seed gives it entries of its own).
    assert!(!inbox(&svc, &other).await.iter().any(|n| n.ref_id == app.id));

    let letter = svc
        .upload(
            &me,
            "commitment_letter",
            "承诺书（已签字）.pdf",
            &sample_file(&["pdf".into()], 3000).0,
            1000,
        )
        .await;
    let resubmitted = svc
        .req(Method::POST, &format!("/api/v1/applications/{}/resubmit", app.id), &me)
        .header("Idempotency-Key", "k-2")
        .json(&json!({"materials": [{"material_type": "commitment_letter", "upload_id": letter}], "note": "已补正"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resubmitted.status(), StatusCode::OK);
    let resubmitted: Application = resubmitted.json().await.unwrap();
    assert_eq!(resubmitted.state, ApplicationState::Resubmitted);
    assert!(resubmitted.materials.iter().any(|m| m.upload_id == letter));
    assert_eq!(
        resubmitted
            .materials
            .iter()
            .filter(|m| m.material_type == "commitment_letter")
            .count(),
        1
    );

    let in_review: Application = review(&svc, &rev, &app.id, json!({"action": "start_review"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(in_review.state, ApplicationState::InReview);
    let approved: Application = review(
        &svc,
        &rev,
        &app.id,
        json!({"action": "approve", "note": "同意复工"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(approved.state, ApplicationState::Approved);
    assert!(approved
        .certificate_no
        .as_deref()
        .unwrap()
        .starts_with("BMD"));
    let states: Vec<ApplicationState> = approved.timeline.iter().map(|t| t.to).collect();
    use ApplicationState::*;
    assert_eq!(
        states,
        vec![Submitted, Returned, Resubmitted, InReview, Approved]
    );
    let receipts: std::collections::HashSet<&str> = approved
        .timeline
        .iter()
        .map(|t| t.receipt_no.as_str())
        .collect();
    assert_eq!(receipts.len(), 5, "every step has its own receipt");
    assert!(approved
        .timeline
        .iter()
        .skip(1)
        .all(|t| t.from.is_some() && !t.at.is_empty()));
    let after = review(
        &svc,
        &rev,
        &app.id,
        json!({"action": "reject", "reasons": ["x"]}),
    )
    .await;
    assert_eq!(
        error_code(after).await,
        (StatusCode::CONFLICT, "INVALID_TRANSITION".into())
    );
    assert!(inbox(&svc, &me)
        .await
        .iter()
        .any(|n| n.title.contains("白名单")));
}

#[tokio::test]
async fn a_failing_self_check_or_bad_materials_are_refused() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let good = application_body(&svc, &me, 0).await;

    let mut failing = good.clone();
    let answers = failing["selfcheck"]["answers"].as_array_mut().unwrap();
    let yes = answers
        .iter_mut()
        .find(|a| a["value"]["kind"] == "yes_no")
        .unwrap();
    yes["value"]["value"] = json!(!yes["value"]["value"].as_bool().unwrap());
    assert_eq!(
        error_code(submit(&svc, &me, "f-1", &failing).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "SELF_CHECK_FAILED".into())
    );

    let mut missing = good.clone();
    missing["materials"].as_array_mut().unwrap().pop();
    let (status, code) = error_code(submit(&svc, &me, "f-2", &missing).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "MATERIAL_INVALID")
    );

    // A text file named .pdf: the content decides, when its last byte arrives, and the
    // upload is gone (tests/uploads.rs has the checks themselves).
    let created = svc
        .tus_create(&me, "application_form", "申请表.pdf", 24)
        .await;
    let fake = common::upload_id(&created);
    let last = svc
        .patch(&me, &fake, 0, b"this is not a pdf at all", true)
        .await;
    assert_eq!(
        error_code(last).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "MATERIAL_INVALID".into())
    );
    let mut wrong = good.clone();
    for m in wrong["materials"].as_array_mut().unwrap() {
        if m["material_type"] == "application_form" {
            m["upload_id"] = json!(fake);
        }
    }
    assert_eq!(
        error_code(submit(&svc, &me, "f-3", &wrong).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "MATERIAL_INVALID".into())
    );

    // An unfinished upload cannot be attached.
    let half = svc
        .tus_create(&me, "application_form", "半截.pdf", 100)
        .await;
    let half_id = common::upload_id(&half);
    let mut unfinished = good.clone();
    for m in unfinished["materials"].as_array_mut().unwrap() {
        if m["material_type"] == "application_form" {
            m["upload_id"] = json!(half_id);
        }
    }
    assert_eq!(
        error_code(submit(&svc, &me, "f-4", &unfinished).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "MATERIAL_INVALID".into())
    );

    let mut bad_phone = good.clone();
    bad_phone["contact_phone"] = json!("call me");
    assert_eq!(
        error_code(submit(&svc, &me, "f-5", &bad_phone).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_FIELD".into())
    );

    // Another enterprise's upload is not ours to attach.
    let other = svc.login(1).await;
    let theirs = svc
        .upload(
            &other,
            "application_form",
            "a.pdf",
            &sample_file(&["pdf".into()], 500).0,
            500,
        )
        .await;
    let mut stolen = good.clone();
    for m in stolen["materials"].as_array_mut().unwrap() {
        if m["material_type"] == "application_form" {
            m["upload_id"] = json!(theirs);
        }
    }
    assert_eq!(
        error_code(submit(&svc, &me, "f-6", &stolen).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "MATERIAL_INVALID".into())
    );
    let none: Vec<Application> = svc.list("/api/v1/applications", &me).await;
    assert!(none.is_empty(), "nothing half-written");
}

#[tokio::test]
async fn tus_uploads_check_offsets_and_checksums_and_expire() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let other = svc.login(1).await;

    let opts = svc
        .http
        .request(Method::OPTIONS, format!("{}/api/v1/uploads", svc.base))
        .send()
        .await
        .unwrap();
    assert_eq!(opts.status(), StatusCode::NO_CONTENT);
    assert_eq!(opts.headers()["tus-version"], "1.0.0");
    assert!(opts.headers()["tus-extension"]
        .to_str()
        .unwrap()
        .contains("checksum"));
    assert_eq!(opts.headers()["tus-checksum-algorithm"], "sha256");

    let no_tus = svc
        .req(Method::POST, "/api/v1/uploads", &me)
        .header("Upload-Length", "10")
        .send()
        .await
        .unwrap();
    assert_eq!(no_tus.status(), StatusCode::PRECONDITION_FAILED);
    let too_big = svc
        .tus_create(&me, "application_form", "a.pdf", 500 * 1024 * 1024)
        .await;
    assert_eq!(
        error_code(too_big).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE".into())
    );
    let unknown = svc.tus_create(&me, "secret_plans", "a.pdf", 10).await;
    assert_eq!(error_code(unknown).await.1, "MATERIAL_INVALID");
    let pathy = svc.tus_create(&me, "application_form", "../../", 10).await;
    assert_eq!(error_code(pathy).await.1, "INVALID_FIELD");

    let data = sample_file(&["pdf".into()], 10_000).0;
    let created = svc
        .tus_create(&me, "application_form", "..\\..\\申请表.pdf", data.len())
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(created.headers().contains_key("upload-expires"));
    let id = common::upload_id(&created);

    assert_eq!(
        svc.patch(&me, &id, 0, &data[..4000], true).await.status(),
        StatusCode::NO_CONTENT
    );
    // Wrong offset: 409, nothing written.
    assert_eq!(
        svc.patch(&me, &id, 0, &data[..10], true).await.status(),
        StatusCode::CONFLICT
    );
    // A chunk that does not match its checksum: 460, discarded.
    let bad = svc
        .tus(Method::PATCH, &me, &id)
        .header("Content-Type", "application/offset+octet-stream")
        .header("Upload-Offset", "4000")
        .header(
            "Upload-Checksum",
            "sha256 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .body(data[4000..8000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 460);
    let head = svc.tus(Method::HEAD, &me, &id).send().await.unwrap();
    assert_eq!(head.headers()["upload-offset"], "4000");
    assert_eq!(head.headers()["upload-length"], "10000");
    // Someone else's upload does not exist for them.
    let theirs = svc.tus(Method::HEAD, &other, &id).send().await.unwrap();
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    // Past the end: 413, discarded.
    let mut long = data[4000..].to_vec();
    long.extend_from_slice(b"extra");
    assert_eq!(
        svc.patch(&me, &id, 4000, &long, false).await.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        svc.patch(&me, &id, 4000, &data[4000..], true)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let info: Value = svc.get(&format!("/api/v1/uploads/{id}"), &me).await;
    use sha2::Digest;
    assert_eq!(info["sha256"], hex::encode(sha2::Sha256::digest(&data)));
    assert_eq!(info["filename"], "申请表.pdf");
    assert_eq!(info["complete"], true);

    // Termination.
    let gone = svc.tus_create(&me, "application_form", "x.pdf", 10).await;
    let gone_id = common::upload_id(&gone);
    let del = svc.tus(Method::DELETE, &me, &gone_id).send().await.unwrap();
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    let head = svc.tus(Method::HEAD, &me, &gone_id).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::NOT_FOUND);

    // Expiry of unfinished uploads.
    let stale = svc
        .tus_create(&me, "application_form", "stale.pdf", 10)
        .await;
    let stale_id = common::upload_id(&stale);
    sqlx::query("UPDATE uploads SET expires_at = 0 WHERE id = $1")
        .bind(&stale_id)
        .execute(&svc.running.db)
        .await
        .unwrap();
    let head = svc.tus(Method::HEAD, &me, &stale_id).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::GONE);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE id = $1")
        .bind(&stale_id)
        .fetch_one(&svc.running.db)
        .await
        .unwrap();
    assert_eq!(left, 1);
    svc.tus_create(&me, "application_form", "next.pdf", 10)
        .await; // creating sweeps expired ones
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE id = $1")
        .bind(&stale_id)
        .fetch_one(&svc.running.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn inbox_read_marks_move_entries_to_the_head_of_the_feed() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let other = svc.login(1).await;
    let rev = svc.reviewer().await;
    let body = application_body(&svc, &me, 0).await;
    let app: Application = submit(&svc, &me, "i-1", &body).await.json().await.unwrap();
    review(
        &svc,
        &rev,
        &app.id,
        json!({"action": "accept", "note": null}),
    )
    .await;
    review(&svc, &rev, &app.id, json!({"action": "start_review"})).await;
    let page: Value = svc.get("/api/v1/inbox", &me).await;
    let entries: Vec<InboxEntry> = serde_json::from_value(page["items"].clone()).unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| !e.read));
    let cursor = page["next_cursor"].as_str().unwrap().to_string();

    assert_eq!(
        svc.req(
            Method::POST,
            &format!("/api/v1/inbox/{}/read", entries[0].id),
            &other
        )
        .send()
        .await
        .unwrap()
        .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        svc.req(
            Method::POST,
            &format!("/api/v1/inbox/{}/read", entries[0].id),
            &me
        )
        .send()
        .await
        .unwrap()
        .status(),
        StatusCode::NO_CONTENT
    );
    let next: Value = svc
        .get_with("/api/v1/inbox", &me, &[("cursor", cursor.as_str())])
        .await;
    let changed: Vec<InboxEntry> = serde_json::from_value(next["items"].clone()).unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].id, entries[0].id);
    assert!(changed[0].read);
}

/// Two enterprises whose inboxes stand at the same seq still have different inboxes: the
/// ETag of one must never earn the other a 304.
#[tokio::test]
async fn the_inbox_etag_is_per_enterprise() {
    let svc = Svc::start().await;
    // Demo enterprises 0 and 4 start with empty inboxes (the seed's appeal replies and
    // match notices go to the others).
    let (a, b) = (svc.login(0).await, svc.login(4).await);
    let tag = |t: &str| {
        let req = svc.req(Method::GET, "/api/v1/inbox", t);
        async move {
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            let etag = r.headers()["etag"].to_str().unwrap().to_string();
            let page: Value = r.json().await.unwrap();
            (etag, page["next_cursor"].as_str().unwrap().to_string())
        }
    };
    let (tag_a, cursor_a) = tag(&a).await;
    let (tag_b, cursor_b) = tag(&b).await;
    assert_eq!(cursor_a, cursor_b, "both stand at the same seq");
    assert_ne!(tag_a, tag_b);
    // B presenting A's validator gets its own page, not a 304.
    let r = svc
        .req(Method::GET, "/api/v1/inbox", &b)
        .query(&[("cursor", cursor_b.as_str())])
        .header("If-None-Match", &tag_a)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Its own validator still saves the transfer.
    let r = svc
        .req(Method::GET, "/api/v1/inbox", &b)
        .query(&[("cursor", cursor_b.as_str())])
        .header("If-None-Match", &tag_b)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn sessions_refresh_rotate_log_out_and_rate_limit() {
    let svc = Svc::start().await;
    let login = svc.login_body(0).await;
    let (access, refresh) = (
        login["access_token"].as_str().unwrap().to_string(),
        login["refresh_token"].as_str().unwrap().to_string(),
    );
    let pair: Value = svc
        .http
        .post(format!("{}/api/v1/auth/refresh", svc.base))
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new_access = pair["access_token"].as_str().unwrap().to_string();
    // Rotation: the old pair is gone.
    let reuse = svc
        .http
        .post(format!("{}/api/v1/auth/refresh", svc.base))
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap();
    assert_eq!(reuse.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        svc.req(Method::GET, "/api/v1/inbox", &access)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        svc.req(Method::GET, "/api/v1/inbox", &new_access)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // An expired access token says so.
    sqlx::query("UPDATE sessions SET expires_at = 0 WHERE kind = 'access'")
        .execute(&svc.running.db)
        .await
        .unwrap();
    assert_eq!(
        error_code(
            svc.req(Method::GET, "/api/v1/inbox", &new_access)
                .send()
                .await
                .unwrap()
        )
        .await,
        (StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED".into())
    );
    let fresh = svc.login(0).await;
    assert_eq!(
        svc.req(Method::POST, "/api/v1/auth/logout", &fresh)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        svc.req(Method::GET, "/api/v1/inbox", &fresh)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Roles.
    let rev = svc.reviewer().await;
    assert_eq!(
        svc.req(Method::GET, "/api/v1/applications", &rev)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let ent = svc.login(1).await;
    assert_eq!(
        svc.req(Method::GET, "/api/v1/review/applications", &ent)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    // Guessing is slowed down.
    let code2 = yiqifu_central::seed::DEMO_ENTERPRISES[4].credit_code();
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let r = svc
            .http
            .post(format!("{}/api/v1/auth/login", svc.base))
            .json(&json!({"credit_code": code2, "password": "guess"}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, vec![401, 401, 401, 401, 401, 429, 429]);
}

#[tokio::test]
async fn a_compacted_feed_answers_old_cursors_with_cursor_expired() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let page: Value = svc
        .get_with("/api/v1/catalog/documents", &me, &[("limit", "10")])
        .await;
    let old = page["next_cursor"].as_str().unwrap().to_string();
    let mut conn = svc.running.db.acquire().await.unwrap();
    yiqifu_central::catalog::withdraw(&mut conn, "documents", "gd-003")
        .await
        .unwrap();
    yiqifu_central::catalog::compact(&mut conn, "documents")
        .await
        .unwrap();
    drop(conn);
    let r = svc
        .req(Method::GET, "/api/v1/catalog/documents", &me)
        .query(&[("cursor", old.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(r).await,
        (StatusCode::GONE, "CURSOR_EXPIRED".into())
    );
    // A full pull works and never goes back in time.
    let full: Value = svc
        .get_with("/api/v1/catalog/documents", &me, &[("limit", "500")])
        .await;
    let head = full["next_cursor"].as_str().unwrap().to_string();
    assert!(full["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["id"] != "gd-003"));
    let at_head = svc
        .req(Method::GET, "/api/v1/catalog/documents", &me)
        .query(&[("cursor", head.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(at_head.status(), StatusCode::OK);
    let seq = |c: &str| c.rsplit('.').next().unwrap().parse::<i64>().unwrap();
    assert!(seq(&head) > seq(&old));
}

#[tokio::test]
async fn the_reviewer_cli_plays_the_authority() {
    let dir = tempfile::tempdir().unwrap();
    let (database, uploads) = common::a_database(dir.path()).await;
    let db = match &database {
        yiqifu_central::Database::Sqlite(path) => path.as_os_str().to_owned(),
        yiqifu_central::Database::Postgres(url) => url.into(),
    };
    let svc = Svc::on(common::start_on(&database, &uploads).await);
    let me = svc.login(1).await;
    let body = application_body(&svc, &me, 1).await;
    let app: Application = submit(&svc, &me, "c-1", &body).await.json().await.unwrap();
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_yiqifu-central"))
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, listed, _) = cli(&["review", "list", "--state", "submitted"]);
    assert!(ok && listed.contains(&app.id));
    let (ok, out, _) = cli(&["review", "accept", &app.id, "--as", "张科长"]);
    assert!(ok && out.contains("accepted"), "{out}");
    let (ok, _, err) = cli(&["review", "approve", &app.id]);
    assert!(!ok && err.contains("cannot become"), "{err}");
    let (ok, _, err) = cli(&["review", "list", "--state", "pending"]);
    assert!(!ok && err.contains("unknown state"), "{err}");
    assert!(cli(&["review", "start", &app.id]).0);
    let (ok, out, _) = cli(&[
        "review",
        "return",
        &app.id,
        "--item",
        "staff_list: 名单缺少身份证号",
        "--item",
        "补充厂区分区图",
    ]);
    assert!(ok && out.contains("returned"), "{out}");
    let now: Application = svc
        .get(&format!("/api/v1/applications/{}", app.id), &me)
        .await;
    assert_eq!(now.state, ApplicationState::Returned);
    assert_eq!(now.timeline[1].actor, "reviewer:张科长");
    assert_eq!(
        now.correction.unwrap().items[0].material_type.as_deref(),
        Some("staff_list")
    );
}

/// A correction may carry corrected self-check answers: they are judged again like a first
/// submission's (and refused, the application staying returned, when they fail), and the
/// package hash the client reports is kept with the round.
#[tokio::test]
async fn a_correction_carries_new_answers_judged_again_and_its_package_hash() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let rev = svc.reviewer().await;
    let body = application_body(&svc, &me, 0).await;
    let app: Application = submit(&svc, &me, "c-1", &body).await.json().await.unwrap();
    for action in [
        json!({"action": "accept", "note": null}),
        json!({"action": "start_review"}),
        json!({"action": "return", "items": [{"material_type": null, "text": "应急预案演练日期填写有误"}]}),
    ] {
        assert_eq!(
            review(&svc, &rev, &app.id, action).await.status(),
            StatusCode::OK
        );
    }
    let resubmit = |key: &'static str, body: Value| {
        let svc = &svc;
        let me = me.clone();
        let id = app.id.clone();
        async move {
            svc.req(
                Method::POST,
                &format!("/api/v1/applications/{id}/resubmit"),
                &me,
            )
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap()
        }
    };
    let mut failing = body["selfcheck"].clone();
    for a in failing["answers"].as_array_mut().unwrap() {
        if a["value"]["kind"] == "yes_no" {
            a["value"]["value"] = json!(false);
        }
    }
    let refused = resubmit(
        "c-2",
        json!({"materials": [], "note": null, "selfcheck": failing}),
    )
    .await;
    assert_eq!(
        error_code(refused).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "SELF_CHECK_FAILED".into())
    );
    let bad_hash = resubmit(
        "c-3",
        json!({"materials": [], "note": null, "package_sha256": "abc"}),
    )
    .await;
    assert_eq!(
        error_code(bad_hash).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_FIELD".into())
    );
    let mut corrected = body["selfcheck"].clone();
    let text = corrected["answers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["value"]["kind"] == "text")
        .expect("a text answer to correct");
    text["value"]["value"] = json!("李强，安全主管，13900139001");
    let hash = "ab".repeat(32);
    let ok = resubmit(
        "c-4",
        json!({"materials": [], "note": "已更正", "selfcheck": corrected, "package_sha256": hash}),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let after: Application = ok.json().await.unwrap();
    assert_eq!(after.state, ApplicationState::Resubmitted);
    assert_eq!(after.package_sha256.as_deref(), Some(hash.as_str()));
    let carried: Value = serde_json::to_value(&after.selfcheck).unwrap();
    assert_eq!(
        carried, corrected,
        "the corrected answers replace the first ones"
    );
    assert_eq!(
        after.materials.len(),
        app.materials.len(),
        "materials stay as they were"
    );
}

/// Two refreshes with one token (the app's pull and its outbox drain both met a 401) must not
/// both get a new 30-day token family: exactly one wins, over many tries. The tries start
/// together on connections opened beforehand, so they reach the service at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_refreshes_of_one_token_have_exactly_one_winner() {
    const TRIES: usize = 8;
    let svc = Svc::start().await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(TRIES)
        .build()
        .unwrap();
    let url = format!("{}/api/v1/auth/refresh", svc.base);
    for round in 0..30 {
        let login = svc.login_body(0).await;
        let refresh = login["refresh_token"].as_str().unwrap().to_string();
        // Open the connections first: a try that still dials arrives late and cannot race.
        let warm: Vec<_> = (0..TRIES)
            .map(|_| {
                let (http, url) = (http.clone(), format!("{}/api/v1/health", svc.base));
                tokio::spawn(async move { http.get(url).send().await.unwrap().status() })
            })
            .collect();
        for w in warm {
            w.await.unwrap();
        }
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(TRIES));
        // Spawned all before any is awaited: the barrier needs every one of them.
        let tries: Vec<_> = (0..TRIES)
            .map(|_| {
                let (http, url, start) = (http.clone(), url.clone(), start.clone());
                let body = json!({ "refresh_token": refresh });
                tokio::spawn(async move {
                    start.wait().await;
                    http.post(url).json(&body).send().await.unwrap().status()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for t in tries {
            statuses.push(t.await.unwrap());
        }
        let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(won, 1, "round {round}: {statuses:?}");
        assert!(statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED));
    }
}

/// Expired sessions do not pile up: issuing a session (a sign-in or a refresh) sweeps the ones
/// that expired, and only those.
#[tokio::test]
async fn expired_sessions_are_purged_as_new_ones_are_issued() {
    let svc = Svc::start().await;
    let old = svc.login(0).await;
    let live = svc.login(1).await;
    let count = |sql: &'static str| {
        let db = svc.running.db.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&db).await.unwrap();
            n
        }
    };
    let before = count("SELECT COUNT(*) FROM sessions").await;
    // The first sign-in's pair ran out (both its tokens).
    let (family,): (String,) = sqlx::query_as("SELECT family FROM sessions WHERE token_hash = $1")
        .bind(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            old.as_bytes(),
        )))
        .fetch_one(&svc.running.db)
        .await
        .unwrap();
    sqlx::query("UPDATE sessions SET expires_at = 1 WHERE family = $1")
        .bind(&family)
        .execute(&svc.running.db)
        .await
        .unwrap();
    let _third = svc.login(2).await;
    assert_eq!(
        count("SELECT COUNT(*) FROM sessions WHERE expires_at <= 1").await,
        0,
        "the expired pair is gone"
    );
    // Two rows went with the expired pair, two came with the new one.
    assert_eq!(count("SELECT COUNT(*) FROM sessions").await, before);
    assert_eq!(
        svc.req(Method::GET, "/api/v1/inbox", &live)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK,
        "a live session is untouched"
    );
}

/// Guesses sent in parallel are counted as they start: of many wrong passwords sent at once
/// for one account, at most the allowed number are even checked, the rest are refused with 429.
/// A reviewer name too long to be real is refused before anything else.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_are_counted_and_a_huge_name_is_refused_first() {
    let svc = Svc::start().await;
    let code = yiqifu_central::seed::DEMO_ENTERPRISES[3].credit_code();
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let (http, url) = (svc.http.clone(), format!("{}/api/v1/auth/login", svc.base));
            let body = json!({"credit_code": code, "password": format!("guess-{i}")});
            tokio::spawn(async move { http.post(url).json(&body).send().await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for g in guesses {
        statuses.push(g.await.unwrap());
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(checked, 5, "{statuses:?}");
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS));

    let huge = "名".repeat(1 << 18);
    let r = svc
        .http
        .post(format!("{}/api/v1/auth/reviewer-login", svc.base))
        .json(&json!({"username": huge, "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn guesses_from_one_source_do_not_lock_the_officer_out_from_another() {
    let svc = Svc::start().await;
    let e = &yiqifu_central::seed::DEMO_ENTERPRISES[2];
    let from = |last: u8| {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, last]))
            .build()
            .unwrap()
    };
    let (guesser, officer) = (from(2), from(3));
    let login = |http: &reqwest::Client, password: &str| {
        http.post(format!("{}/api/v1/auth/login", svc.base))
            .json(&json!({"credit_code": e.credit_code(), "password": password}))
            .send()
    };
    for i in 0..5 {
        let r = login(&guesser, &format!("guess-{i}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // The guessing source is locked out of the account, even with the right password…
    let r = login(&guesser, yiqifu_central::seed::DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // …the officer's own computer is not.
    let r = login(&officer, yiqifu_central::seed::DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
