//! Appeals (诉求) over HTTP: the thread, the authority's steps on the timeline, deadlines by
//! the published calendar, the keyed rating, the per-enterprise feed, and every limit.

mod common;

use common::{error_code, invalid_fields, published_calendar, sample_file, Svc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use yiqifu_central::catalog::{publish, CALENDAR};
use yiqifu_central::seed::DEMO_ENTERPRISES;
use yiqifu_protocol::calendar::official_years;
use yiqifu_protocol::{
    due_times, Appeal, AppealCategory, AppealState, InboxKind, NewAppeal, WorkCalendar,
};

fn appeal_body(title: &str) -> Value {
    json!({
        "category": "supply_chain", "title": title,
        "description": "上游供应商位于封控区，需协调原料通行证。",
        "attachments": [],
        "contact": {"name": "周凯", "phone": "021-57761208"}
    })
}

async fn file(svc: &Svc, token: &str, key: &str, body: &Value) -> Appeal {
    let r = svc.post_keyed("/api/v1/appeals", token, key, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

async fn step(svc: &Svc, rev: &str, id: &str, action: Value) -> reqwest::Response {
    svc.req(
        Method::POST,
        &format!("/api/v1/review/appeals/{id}/actions"),
        rev,
    )
    .json(&action)
    .send()
    .await
    .unwrap()
}

fn time_of(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).unwrap()
}

#[tokio::test]
async fn an_appeal_has_a_thread_a_timeline_deadlines_and_one_keyed_rating() {
    let svc = Svc::start().await;
    let me = svc.login(2).await;
    let other = svc.login(3).await;
    let rev = svc.reviewer().await;
    let attachment = svc
        .upload(
            &me,
            "appeal_attachment",
            "原料断供说明.pdf",
            &sample_file(&["pdf".into()], 800).0,
            800,
        )
        .await;
    let mut body = appeal_body("芯片原料断供");
    body["attachments"] = json!([attachment]);
    let a = file(&svc, &me, "a-1", &body).await;
    assert_eq!(a.contact.as_ref().unwrap().phone, "021-57761208");
    // Deadlines by the published calendar, as the protocol computes them.
    let cal = published_calendar(&svc, &me).await;
    let (contact, reply) = due_times(&cal, AppealCategory::SupplyChain, time_of(&a.created_at));
    assert_eq!(time_of(a.contact_by.as_deref().unwrap()), contact.value);
    assert_eq!(time_of(a.reply_by.as_deref().unwrap()), reply.value);
    assert_eq!(a.respond_by, a.reply_by.clone().unwrap());
    assert_eq!(a.timeline.len(), 1);
    assert_eq!(
        (a.timeline[0].to, a.timeline[0].actor.as_str()),
        (AppealState::Submitted, "enterprise")
    );
    let id = a.id.clone();
    let rating = format!("/api/v1/appeals/{id}/rating");

    let early = svc
        .post_keyed(&rating, &me, "r-0", &json!({"score": 5, "comment": null}))
        .await;
    assert_eq!(
        error_code(early).await,
        (StatusCode::CONFLICT, "INVALID_TRANSITION".into())
    );
    let msg = svc
        .post_keyed(
            &format!("/api/v1/appeals/{id}/messages"),
            &me,
            "m-1",
            &json!({"body": "补充：需 3 天内到货。"}),
        )
        .await;
    assert_eq!(msg.status(), StatusCode::OK);
    assert_eq!(
        svc.req(Method::GET, &format!("/api/v1/appeals/{id}"), &other)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    for action in [
        json!({"action": "accept"}),
        json!({"action": "assign", "to": "区经委产业科"}),
        json!({"action": "reply", "body": "已协调通行证，明日可提货。"}),
    ] {
        let r = step(&svc, &rev, &id, action.clone()).await;
        assert_eq!(r.status(), StatusCode::OK, "{action}");
    }
    let a: Appeal = svc.get(&format!("/api/v1/appeals/{id}"), &me).await;
    assert_eq!(a.state, AppealState::Replied);
    assert_eq!(a.assigned_to.as_deref(), Some("区经委产业科"));
    assert_eq!(a.messages.len(), 2);
    let steps: Vec<(AppealState, &str)> = a
        .timeline
        .iter()
        .map(|s| (s.to, s.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (AppealState::Submitted, "enterprise"),
            (AppealState::Accepted, "reviewer:reviewer"),
            (AppealState::Assigned, "reviewer:reviewer"),
            (AppealState::Replied, "reviewer:reviewer"),
        ]
    );
    assert!(a.updated_at.is_some());
    assert!(svc
        .inbox(&me)
        .await
        .iter()
        .any(|n| n.kind == InboxKind::AppealReply && n.ref_id == id));

    // The rating is keyed: no key is refused, a retry of the same key is answered again.
    let unkeyed = svc
        .req(Method::POST, &rating, &me)
        .json(&json!({"score": 5, "comment": "响应及时"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(unkeyed).await,
        (StatusCode::BAD_REQUEST, "IDEMPOTENCY_KEY_MISSING".into())
    );
    let bad = svc
        .post_keyed(&rating, &me, "r-1", &json!({"score": 9, "comment": null}))
        .await;
    assert_eq!(invalid_fields(bad).await, ["score"]);
    let long = svc
        .post_keyed(
            &rating,
            &me,
            "r-2",
            &json!({"score": 4, "comment": "好".repeat(501)}),
        )
        .await;
    assert_eq!(invalid_fields(long).await, ["comment"]);
    let good = json!({"score": 5, "comment": "响应及时"});
    let rated = svc.post_keyed(&rating, &me, "r-3", &good).await;
    assert_eq!(rated.status(), StatusCode::OK);
    let rated: Value = rated.json().await.unwrap();
    assert_eq!(rated["rating"]["score"], 5);
    let again = svc.post_keyed(&rating, &me, "r-3", &good).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap(), rated);
    let twice = svc
        .post_keyed(&rating, &me, "r-4", &json!({"score": 4, "comment": null}))
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);

    assert_eq!(
        step(&svc, &rev, &id, json!({"action": "close"}))
            .await
            .status(),
        StatusCode::OK
    );
    let after = svc
        .post_keyed(
            &format!("/api/v1/appeals/{id}/messages"),
            &me,
            "m-2",
            &json!({"body": "还有一事"}),
        )
        .await;
    assert_eq!(after.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn deadlines_follow_the_calendar_the_service_publishes() {
    let svc = Svc::start().await;
    let owner = DEMO_ENTERPRISES[2].credit_code();
    let req = NewAppeal {
        category: AppealCategory::Financing,
        title: "流动资金贷款展期".into(),
        description: "回款延迟两个月。".into(),
        attachments: vec![],
        contact: None,
    };
    // Friday 2022-04-29 16:30 in Shanghai: May Day runs to May 4, Saturday May 7 is worked.
    let filed = time_of("2022-04-29T08:30:00Z");
    // Takes the write lock up front: a deferred transaction that must upgrade while the
    // service writes fails at once with "database is locked" (busy_timeout cannot wait on it).
    let mut tx = yiqifu_central::db::begin_write(&svc.running.db)
        .await
        .unwrap();
    let a = yiqifu_central::appeals::create_at(&mut tx, &owner, req.clone(), filed)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(a.contact_by.as_deref(), Some("2022-05-05T01:30:00Z"));
    assert_eq!(a.reply_by.as_deref(), Some("2022-05-07T09:00:00Z"));
    assert_eq!(a.created_at, "2022-04-29T08:30:00Z");
    assert!(
        a.receipt_no.starts_with("SQ-SU20220429"),
        "{}",
        a.receipt_no
    );
    let cal = WorkCalendar::new(official_years().unwrap());
    let (c, r) = due_times(&cal, AppealCategory::Financing, filed);
    assert_eq!(
        (
            a.contact_by.as_deref().map(time_of),
            a.reply_by.as_deref().map(time_of)
        ),
        (Some(c.value), Some(r.value))
    );

    // Publish a 2022 table without the make-up Saturday: the reply moves to Monday.
    let mut y2022 = official_years().unwrap().remove(0);
    y2022.workdays.retain(|d| d != "2022-05-07");
    // Takes the write lock up front: a deferred transaction that must upgrade while the
    // service writes fails at once with "database is locked" (busy_timeout cannot wait on it).
    let mut tx = yiqifu_central::db::begin_write(&svc.running.db)
        .await
        .unwrap();
    publish(&mut tx, CALENDAR, "2022", &y2022).await.unwrap();
    let b = yiqifu_central::appeals::create_at(&mut tx, &owner, req, filed)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(b.reply_by.as_deref(), Some("2022-05-09T09:00:00Z"));
}

#[tokio::test]
async fn a_reply_may_come_straight_from_submitted() {
    let svc = Svc::start().await;
    let me = svc.login(2).await;
    let rev = svc.reviewer().await;
    let a = file(&svc, &me, "a-1", &appeal_body("员工返岗核酸排队")).await;
    let r = step(
        &svc,
        &rev,
        &a.id,
        json!({"action": "reply", "body": "已协调街道增设采样点。"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let a: Appeal = r.json().await.unwrap();
    assert_eq!(a.state, AppealState::Replied);
    assert_eq!(
        a.timeline.iter().map(|s| s.to).collect::<Vec<_>>(),
        [AppealState::Submitted, AppealState::Replied]
    );
    let clock = yiqifu_protocol::response_clock(
        &a,
        &published_calendar(&svc, &me).await,
        OffsetDateTime::now_utc(),
    );
    assert!(clock.contact.met && clock.reply.met);
    // Closed is final: nothing moves it again.
    assert_eq!(
        step(&svc, &rev, &a.id, json!({"action": "close"}))
            .await
            .status(),
        StatusCode::OK
    );
    let r = step(
        &svc,
        &rev,
        &a.id,
        json!({"action": "reply", "body": "再补充"}),
    )
    .await;
    assert_eq!(
        error_code(r).await,
        (StatusCode::CONFLICT, "INVALID_TRANSITION".into())
    );
}

#[tokio::test]
async fn the_appeals_feed_pages_each_enterprise_its_own() {
    let svc = Svc::start().await;
    let (me, other) = (svc.login(2).await, svc.login(4).await);
    let rev = svc.reviewer().await;
    const PATH: &str = "/api/v1/appeals";
    let (status, _, empty) = svc.page(PATH, &me, None, 10, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["items"], json!([]), "the seed files none for 松云");
    // One appeal each: both feeds stand at seq 1, yet each has its own validator, and
    // another's earns no 304.
    let mut ids = vec![file(&svc, &me, "f-0", &appeal_body("诉求 0")).await.id];
    let theirs = file(&svc, &other, "o-1", &appeal_body("静数的诉求")).await;
    let (_, mine_tag, mine_page) = svc.page(PATH, &me, None, 10, None).await;
    let (_, their_tag, their_page) = svc.page(PATH, &other, None, 10, None).await;
    assert_eq!(mine_page["next_cursor"], their_page["next_cursor"]);
    assert_ne!(mine_tag, their_tag);
    let (status, _, _) = svc
        .page(PATH, &other, Some("c1.1"), 10, Some(&mine_tag))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = svc
        .page(PATH, &other, Some("c1.1"), 10, Some(&their_tag))
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    for i in 1..3 {
        ids.push(
            file(
                &svc,
                &me,
                &format!("f-{i}"),
                &appeal_body(&format!("诉求 {i}")),
            )
            .await
            .id,
        );
    }
    let (_, _, p1) = svc.page(PATH, &me, None, 2, None).await;
    assert_eq!(p1["items"].as_array().unwrap().len(), 2);
    assert_eq!(p1["has_more"], true);
    assert_eq!(p1["removed"], json!([]));
    let c1 = p1["next_cursor"].as_str().unwrap();
    let (_, tag, p2) = svc.page(PATH, &me, Some(c1), 2, None).await;
    assert_eq!(p2["items"][0]["id"], ids[2]);
    assert_eq!(p2["has_more"], false);
    let head = p2["next_cursor"].as_str().unwrap().to_string();
    let (status, _, _) = svc.page(PATH, &me, Some(&head), 2, Some(&tag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    // An authority step is a new change: the appeal comes again after the head.
    assert_eq!(
        step(&svc, &rev, &ids[0], json!({"action": "accept"}))
            .await
            .status(),
        StatusCode::OK
    );
    let (status, tag2, p3) = svc.page(PATH, &me, Some(&head), 10, Some(&tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(tag2, tag);
    assert_eq!(p3["items"].as_array().unwrap().len(), 1);
    assert_eq!(p3["items"][0]["id"], ids[0]);
    assert_eq!(p3["items"][0]["state"], "accepted");

    // Another enterprise never sees them.
    let (_, _, all) = svc.page(PATH, &other, None, 100, None).await;
    let seen: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(seen, [theirs.id.as_str()]);
    let bad = svc
        .req(Method::GET, PATH, &me)
        .query(&[("cursor", "c1.999")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(bad).await,
        (StatusCode::BAD_REQUEST, "CURSOR_INVALID".into())
    );
}

#[tokio::test]
async fn every_limit_of_an_appeal_is_named() {
    let svc = Svc::start().await;
    let me = svc.login(2).await;
    let rev = svc.reviewer().await;
    let bad = json!({
        "category": "other", "title": "长".repeat(101), "description": "  ",
        "attachments": ["u1", "u2", "u3", "u4", "u5", "u6"],
        "contact": {"name": "", "phone": "12345"}
    });
    let r = svc.post_keyed("/api/v1/appeals", &me, "bad-1", &bad).await;
    assert_eq!(
        invalid_fields(r).await,
        [
            "title",
            "description",
            "contact.name",
            "contact.phone",
            "attachments"
        ]
    );
    let a = file(&svc, &me, "ok-1", &appeal_body("用工缺口")).await;
    let long = svc
        .post_keyed(
            &format!("/api/v1/appeals/{}/messages", a.id),
            &me,
            "m-1",
            &json!({"body": "字".repeat(5001)}),
        )
        .await;
    assert_eq!(invalid_fields(long).await, ["body"]);
    let r = step(&svc, &rev, &a.id, json!({"action": "accept"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = step(
        &svc,
        &rev,
        &a.id,
        json!({"action": "assign", "to": "科".repeat(101)}),
    )
    .await;
    assert_eq!(invalid_fields(r).await, ["to"]);
    let r = step(&svc, &rev, &a.id, json!({"action": "reply", "body": " "})).await;
    assert_eq!(invalid_fields(r).await, ["body"]);
    // A thread takes so many of the enterprise's messages, and a reply does not count.
    let max = yiqifu_protocol::LIMITS.appeal_messages;
    let say = |n: u32| {
        let path = format!("/api/v1/appeals/{}/messages", a.id);
        let me = me.clone();
        let svc = &svc;
        async move {
            svc.post_keyed(
                &path,
                &me,
                &format!("say-{n}"),
                &json!({"body": format!("第 {n} 条")}),
            )
            .await
        }
    };
    let stored = || async {
        let (len, rows): (i64, i64) = sqlx::query_as(
            "SELECT length(body), (SELECT COUNT(*) FROM appeal_messages WHERE appeal_id = id)
               FROM appeals WHERE id = $1",
        )
        .bind(&a.id)
        .fetch_one(&svc.running.db)
        .await
        .unwrap();
        (len, rows)
    };
    let mut first_len = 0;
    for n in 1..=max {
        assert_eq!(say(n).await.status(), StatusCode::OK, "message {n}");
        if n == 1 {
            first_len = stored().await.0;
        }
    }
    // Each message was a row of its own: the appeal's row did not grow with the thread.
    assert_eq!(stored().await, (first_len, i64::from(max)));
    let over = say(max + 1).await;
    assert_eq!(invalid_fields(over).await, ["body"]);
    let r = step(
        &svc,
        &rev,
        &a.id,
        json!({"action": "reply", "body": "已收到"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "the authority may still answer");
    let whole: Appeal = svc.get(&format!("/api/v1/appeals/{}", a.id), &me).await;
    assert_eq!(whole.messages.len(), max as usize + 1);
    assert_eq!(whole.messages[0].body, "第 1 条");
    assert_eq!(
        whole.messages[max as usize - 1].body,
        format!("第 {max} 条")
    );
    assert_eq!(whole.messages[max as usize].body, "已收到");
}

/// An Idempotency-Key names one request on one route: the same key and body sent to another
/// appeal's thread is refused, not answered with the first appeal's thread (with nothing
/// added to the second). A key's answer is kept for `KEPT_SECS`; after that it runs again.
#[tokio::test]
async fn an_idempotency_key_belongs_to_one_route_and_its_answer_expires() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let a = file(&svc, &me, "k-a", &appeal_body("原料通行证 A")).await;
    let b = file(&svc, &me, "k-b", &appeal_body("原料通行证 B")).await;
    let say = json!({"body": "补充：需 3 天内到货。"});
    let to = |id: &str| format!("/api/v1/appeals/{id}/messages");
    let first = svc.post_keyed(&to(&a.id), &me, "m-1", &say).await;
    assert_eq!(first.status(), StatusCode::OK);
    let elsewhere = svc.post_keyed(&to(&b.id), &me, "m-1", &say).await;
    assert_eq!(
        error_code(elsewhere).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED".into()
        )
    );
    let b_now: Appeal = svc.get(&format!("/api/v1/appeals/{}", b.id), &me).await;
    assert!(b_now.messages.is_empty(), "{:?}", b_now.messages);
    // The same request again is the first one's answer, and adds nothing.
    let again: Appeal = svc
        .post_keyed(&to(&a.id), &me, "m-1", &say)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.messages.len(), 1);

    // Past the kept time the answer is gone with its row, and the key runs the request anew.
    sqlx::query("UPDATE idempotency SET created_at = created_at - $1 - 1")
        .bind(yiqifu_central::idempotency::KEPT_SECS)
        .execute(&svc.running.db)
        .await
        .unwrap();
    let later: Appeal = svc
        .post_keyed(&to(&a.id), &me, "m-1", &say)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(later.messages.len(), 2);
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM idempotency WHERE owner = $1")
        .bind(DEMO_ENTERPRISES[0].credit_code())
        .fetch_one(&svc.running.db)
        .await
        .unwrap();
    assert_eq!(kept, 1, "only the new answer is kept");
}
