//! Appeals (诉求协调) in the core, against a real `yiqifu-central`: drafts that survive a
//! restart, attachments checked like application materials, sending in one transaction,
//! the thread and clock pulled by the feed, follow-ups, the rating sent once, and appeals
//! filed elsewhere reachable by `srv:` keys.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use yiqifu_core::appeals::{AppealDraftFields, AppealQuery, AppealStage, Delivery};
use yiqifu_core::{App, Workspace};
use yiqifu_files::samples;
use yiqifu_protocol::{AppealAction, AppealCategory, AppealState, Party, Rating};
use yiqifu_tests::journey::{fast, settle};
use yiqifu_tests::{sign_in_as, sign_in_demo, start_central, test_keychain};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn fields(title: &str) -> AppealDraftFields {
    AppealDraftFields {
        category: Some(AppealCategory::Logistics),
        title: title.into(),
        description: "4 辆厢式货车的通行证本周到期，请协助续办。".into(),
        contact_name: "王芳".into(),
        contact_phone: "13800138000".into(),
    }
}

/// A distinct PDF of `n` bytes or so: the seed makes the content differ.
fn pdf(seed: u64) -> Vec<u8> {
    samples::for_formats(&["pdf"], 2048, seed).unwrap().0
}

async fn signed_in(dir: &Path, test: &str) -> (App, yiqifu_central::Running, Arc<Workspace>) {
    let central = start_central().await;
    let app = App::open(dir, test_keychain(test)).await.unwrap();
    app.set_sync_config(fast());
    let ws = sign_in_demo(&app, &central.url()).await;
    app.sync_now().await.unwrap();
    (app, central, ws)
}

fn code<T: std::fmt::Debug>(r: yiqifu_core::Result<T>) -> &'static str {
    r.expect_err("refused").code()
}

/// The authority takes `action` on the appeal with server id `id`.
async fn act(central: &yiqifu_central::Running, id: &str, action: AppealAction) {
    let mut tx = central.db.begin().await.unwrap();
    yiqifu_central::appeals::act(&mut tx, id, action, "reviewer:张科长")
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_draft_survives_a_restart_and_refused_attachments_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let f = files.path();
    let kc = test_keychain("appeal-draft");
    let central = start_central().await;
    let app = App::open(dir.path(), kc.clone()).await.unwrap();
    let ws = sign_in_demo(&app, &central.url()).await;

    let draft = ws.new_appeal_draft().await.unwrap();
    assert!(
        draft.problems.iter().any(|p| p.field == "category"),
        "{:?}",
        draft.problems
    );
    // Saved as typed: a half-written phone number too, named as the problem.
    let mut typed = fields("通行证续办");
    typed.contact_phone = "1380".into();
    let saved = ws
        .save_appeal_draft(&draft.id, typed.clone())
        .await
        .unwrap();
    assert_eq!(saved.fields, typed);
    assert_eq!(
        saved
            .problems
            .iter()
            .map(|p| p.field.as_str())
            .collect::<Vec<_>>(),
        vec!["contact.phone"]
    );

    let refused = [
        ("承诺书.pdf", samples::exe(), "FILE_WRONG_TYPE"),
        ("空.pdf", Vec::new(), "FILE_EMPTY"),
        ("大.pdf", vec![b'%'; 20 * 1024 * 1024 + 1], "FILE_TOO_LARGE"),
    ];
    for (name, bytes, expected) in refused {
        let p = write(f, name, &bytes);
        assert_eq!(
            code(ws.add_appeal_attachment(&draft.id, &p).await),
            expected,
            "{name}"
        );
    }
    for i in 0..5 {
        let p = write(f, &format!("附件{i}.pdf"), &pdf(i));
        ws.add_appeal_attachment(&draft.id, &p).await.unwrap();
    }
    let again = write(f, "又一份.pdf", &pdf(0));
    let sixth = write(f, "第六份.pdf", &pdf(9));
    assert_eq!(
        code(ws.add_appeal_attachment(&draft.id, &sixth).await),
        "FILE_TOO_MANY"
    );
    let gone = ws.appeal_drafts().await.unwrap()[0].attachments[4]
        .id
        .clone();
    ws.remove_appeal_attachment(&draft.id, &gone).await.unwrap();
    assert_eq!(
        code(ws.add_appeal_attachment(&draft.id, &again).await),
        "FILE_DUPLICATE"
    );
    // Not sendable with a bad phone: nothing is queued.
    assert_eq!(code(ws.send_appeal_draft(&draft.id).await), "INVALID_INPUT");
    assert_eq!(ws.summary().queued, 0);
    let id = ws.id().to_string();
    drop(ws);
    app.close().await;

    let app = App::open(dir.path(), kc).await.unwrap();
    let ws = app.workspace(&id).unwrap();
    let drafts = ws.appeal_drafts().await.unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].fields, typed);
    assert_eq!(
        drafts[0]
            .attachments
            .iter()
            .map(|a| a.filename.as_str())
            .collect::<Vec<_>>(),
        vec!["附件0.pdf", "附件1.pdf", "附件2.pdf", "附件3.pdf"]
    );
    // A stored copy gone missing stops the sending whole: nothing queued, the draft kept.
    ws.save_appeal_draft(&draft.id, fields("通行证续办"))
        .await
        .unwrap();
    let lost = &drafts[0].attachments[0];
    std::fs::remove_file(ws.store().dir().join("materials").join(&lost.sha256)).unwrap();
    assert_eq!(code(ws.send_appeal_draft(&draft.id).await), "INVALID_FILE");
    assert_eq!(ws.summary().queued, 0);
    assert_eq!(ws.appeal_drafts().await.unwrap().len(), 1);
    ws.remove_appeal_attachment(&draft.id, &lost.id)
        .await
        .unwrap();
    ws.send_appeal_draft(&draft.id).await.unwrap();
    assert_eq!(ws.summary().queued, 4, "three uploads and the filing");
    assert!(ws.appeal_drafts().await.unwrap().is_empty());

    let other = ws.new_appeal_draft().await.unwrap();
    ws.delete_appeal_draft(&other.id).await.unwrap();
    assert!(ws.appeal_drafts().await.unwrap().is_empty());
    app.close().await;
}

#[tokio::test]
async fn an_appeal_goes_out_whole_and_its_thread_comes_back_by_the_feed() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let (app, central, ws) = signed_in(dir.path(), "appeal-thread").await;
    // A new draft starts with the company's first contact.
    ws.save_company_profile(yiqifu_tests::journey::profile())
        .await
        .unwrap();
    settle(&ws).await;
    let draft = ws.new_appeal_draft().await.unwrap();
    assert_eq!(
        (
            draft.fields.contact_name.as_str(),
            draft.fields.contact_phone.as_str()
        ),
        ("王芳", "13800138000")
    );
    ws.save_appeal_draft(&draft.id, fields("零部件运输通行证"))
        .await
        .unwrap();
    let bytes = [pdf(1), pdf(2)];
    for (i, b) in bytes.iter().enumerate() {
        let p = write(files.path(), &format!("证明{i}.pdf"), b);
        ws.add_appeal_attachment(&draft.id, &p).await.unwrap();
    }

    // One transaction: two uploads and the filing queued, the draft gone.
    let key = ws.send_appeal_draft(&draft.id).await.unwrap();
    assert_eq!(ws.summary().queued, 3);
    assert!(ws.appeal_drafts().await.unwrap().is_empty());
    let list = ws.appeals(&AppealQuery::default()).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].key.as_str(), list[0].stage, list[0].delivery),
        (key.as_str(), AppealStage::Unsent, Delivery::Queued)
    );
    assert_eq!(
        code(
            ws.rate_appeal(
                &key,
                Rating {
                    score: 5,
                    comment: None
                }
            )
            .await
        ),
        "RATING_NOT_OPEN"
    );

    settle(&ws).await;
    app.sync_now().await.unwrap();
    let view = ws.appeal(&key).await.unwrap();
    assert_eq!(view.summary.stage, AppealStage::Submitted);
    assert_eq!(view.summary.delivery, Delivery::Delivered);
    assert_eq!(view.attachments, vec!["证明0.pdf", "证明1.pdf"]);
    let server = ws.record(&key).await.unwrap().server_id.unwrap();
    let clock = view.summary.clock.clone().unwrap();
    assert!(!clock.contact.met && !clock.reply.met);
    // The bytes the service holds are the ones picked.
    let (ids,): (String,) = sqlx::query_as("SELECT body FROM appeals WHERE id = ?")
        .bind(&server)
        .fetch_one(&central.db)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&ids).unwrap();
    let held: Vec<Vec<u8>> = body["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            std::fs::read(central.store.folder().unwrap().join(id.as_str().unwrap())).unwrap()
        })
        .collect();
    assert_eq!(held, bytes.to_vec());

    // A follow-up waits in the thread, marked unsent, until it is delivered.
    ws.send_appeal_message(&key, "  补充：司机名单已整理好。 ")
        .await
        .unwrap();
    let view = ws.appeal(&key).await.unwrap();
    let last = view.thread.last().unwrap();
    assert_eq!(
        (last.from, last.body.as_str(), last.sent),
        (Party::Enterprise, "补充：司机名单已整理好。", false)
    );
    assert_eq!(view.summary.unsent_messages, 1);
    assert_eq!(
        code(ws.send_appeal_message(&key, "   ").await),
        "INVALID_INPUT"
    );
    settle(&ws).await;

    // The authority replies on the service; the feed brings it back.
    act(&central, &server, AppealAction::Accept).await;
    act(
        &central,
        &server,
        AppealAction::Reply {
            body: "已为贵司续办通行证。".into(),
        },
    )
    .await;
    app.sync_now().await.unwrap();
    let view = ws.appeal(&key).await.unwrap();
    assert_eq!(view.summary.stage, AppealStage::Replied);
    let thread: Vec<(Party, &str, bool)> = view
        .thread
        .iter()
        .map(|m| (m.from, m.body.as_str(), m.sent))
        .collect();
    assert_eq!(
        thread,
        vec![
            (Party::Enterprise, "补充：司机名单已整理好。", true),
            (Party::Authority, "已为贵司续办通行证。", true),
        ]
    );
    assert!(view.summary.clock.as_ref().unwrap().contact.met);
    assert_eq!(
        view.timeline.iter().map(|s| s.to).collect::<Vec<_>>(),
        vec![
            AppealState::Submitted,
            AppealState::Accepted,
            AppealState::Replied
        ]
    );
    assert!(view.can_rate);

    // Rated once; the first send's answer is lost (the service already has it), and the
    // retry under the same key gets the same answer instead of parking.
    let rating = Rating {
        score: 5,
        comment: Some("当天就办好了。".into()),
    };
    ws.rate_appeal(&key, rating.clone()).await.unwrap();
    let view = ws.appeal(&key).await.unwrap();
    assert_eq!(
        (view.rating.clone(), view.rating_sent, view.can_rate),
        (Some(rating.clone()), false, false)
    );
    assert!(view.summary.rated);
    assert_eq!(
        code(ws.rate_appeal(&key, rating.clone()).await),
        "ALREADY_RATED"
    );
    let (idem,): (String,) =
        sqlx::query_as("SELECT idempotency_key FROM outbox WHERE kind = 'rate_appeal'")
            .fetch_one(ws.store().pool())
            .await
            .unwrap();
    let token = yiqifu_tests::demo_access_token(&central.url(), 0).await;
    let first = reqwest::Client::new()
        .post(format!("{}/api/v1/appeals/{server}/rating", central.url()))
        .bearer_auth(token)
        .header("Idempotency-Key", idem)
        // The bytes the client sends (a key names one request body).
        .json(&serde_json::to_value(&rating).unwrap())
        .send()
        .await
        .unwrap();
    assert!(first.status().is_success(), "{}", first.status());
    settle(&ws).await;
    assert_eq!(ws.summary().parked, 0);
    app.sync_now().await.unwrap();
    let view = ws.appeal(&key).await.unwrap();
    assert_eq!((view.rating, view.rating_sent), (Some(rating), true));
    let (body,): (String,) = sqlx::query_as("SELECT body FROM appeals WHERE id = ?")
        .bind(&server)
        .fetch_one(&central.db)
        .await
        .unwrap();
    assert!(body.contains(r#""score":5"#), "{body}");
    app.close().await;
}

#[tokio::test]
async fn appeals_filed_elsewhere_are_reachable_and_the_overdue_come_first() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central().await;
    let app = App::open(dir.path(), test_keychain("appeal-srv"))
        .await
        .unwrap();
    app.set_sync_config(fast());
    sign_in_demo(&app, &central.url()).await;
    // 嘉程 (demo 1) has two seeded appeals: a logistics one replied and rated, and a
    // financing one filed four working days ago and never answered.
    let ws = sign_in_as(&app, 1).await;
    app.sync_now().await.unwrap();
    let list = ws.appeals(&AppealQuery::default()).await.unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(list.iter().all(|a| a.key.starts_with("srv:")));
    assert_eq!(list[0].title, "流动资金贷款展期");
    assert!(list[0].overdue && !list[1].overdue, "{list:?}");
    assert_eq!(list[0].stage, AppealStage::Submitted);
    let rated = ws.appeal(&list[1].key).await.unwrap();
    assert!(rated.rating_sent && !rated.can_rate);

    let only = |states: Vec<AppealState>, categories, overdue_only| AppealQuery {
        states,
        categories,
        overdue_only,
    };
    let titles = |l: Vec<yiqifu_core::appeals::AppealSummary>| {
        l.into_iter().map(|a| a.title).collect::<Vec<_>>()
    };
    assert_eq!(
        titles(ws.appeals(&only(vec![], vec![], true)).await.unwrap()),
        vec!["流动资金贷款展期"]
    );
    assert_eq!(
        titles(
            ws.appeals(&only(vec![AppealState::Replied], vec![], false))
                .await
                .unwrap()
        ),
        vec!["零部件运输车辆通行证续办"]
    );
    assert!(ws
        .appeals(&only(vec![], vec![AppealCategory::Staffing], false))
        .await
        .unwrap()
        .is_empty());

    // Answered now: a message and a rating go out under its `srv:` key.
    let key = list[0].key.clone();
    let server = key.strip_prefix("srv:").unwrap().to_string();
    act(
        &central,
        &server,
        AppealAction::Reply {
            body: "已对接合作银行。".into(),
        },
    )
    .await;
    app.sync_now().await.unwrap();
    ws.send_appeal_message(&key, "谢谢，已联系银行。")
        .await
        .unwrap();
    ws.rate_appeal(
        &key,
        Rating {
            score: 4,
            comment: None,
        },
    )
    .await
    .unwrap();
    settle(&ws).await;
    assert_eq!(ws.summary().parked, 0);
    // Sent and not pulled yet: the service's answers keep them in the thread.
    let view = ws.appeal(&key).await.unwrap();
    assert!(view.rating_sent && !view.can_rate);
    assert!(view.thread.iter().all(|m| m.sent), "{:?}", view.thread);
    app.sync_now().await.unwrap();
    let view = ws.appeal(&key).await.unwrap();
    assert_eq!(view.summary.key, key);
    assert!(view.rating_sent);
    assert_eq!(view.thread.last().unwrap().body, "谢谢，已联系银行。");
    assert!(view.thread.iter().all(|m| m.sent));
    // Answered late, but answered: nothing waits on the authority any more.
    assert!(ws
        .appeals(&AppealQuery::default())
        .await
        .unwrap()
        .iter()
        .all(|a| !a.overdue));
    app.close().await;
}

/// Two quick clicks on 提交 file the appeal once, two on 评价 rate it once (neither second
/// one parks), and a closed appeal takes no follow-up.
#[tokio::test]
async fn a_second_click_files_or_rates_nothing_more_and_a_closed_appeal_takes_no_message() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = signed_in(dir.path(), "appeal-twice").await;
    let draft = ws.new_appeal_draft().await.unwrap();
    ws.save_appeal_draft(&draft.id, fields("双击提交的诉求"))
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        ws.send_appeal_draft(&draft.id),
        ws.send_appeal_draft(&draft.id)
    );
    let sent: Vec<&String> = [&a, &b]
        .into_iter()
        .filter_map(|r| r.as_ref().ok())
        .collect();
    assert_eq!(sent.len(), 1, "filed once: {a:?} {b:?}");
    let other = if a.is_ok() { &b } else { &a };
    assert_eq!(other.as_ref().unwrap_err().code(), "NOT_FOUND");
    let key = sent[0].clone();
    settle(&ws).await;
    assert_eq!(ws.appeals(&AppealQuery::default()).await.unwrap().len(), 1);

    let server = ws.record(&key).await.unwrap().server_id.unwrap();
    act(
        &central,
        &server,
        AppealAction::Reply {
            body: "已协调交通部门。".into(),
        },
    )
    .await;
    app.sync_now().await.unwrap();
    let five = || Rating {
        score: 5,
        comment: Some("很及时".into()),
    };
    let (a, b) = tokio::join!(ws.rate_appeal(&key, five()), ws.rate_appeal(&key, five()));
    assert!(a.is_ok() != b.is_ok(), "rated once: {a:?} {b:?}");
    let other = if a.is_ok() { b } else { a };
    assert_eq!(other.unwrap_err().code(), "ALREADY_RATED");
    settle(&ws).await;
    assert_eq!(
        ws.summary().parked,
        0,
        "no second rating reached the service"
    );

    act(&central, &server, AppealAction::Close).await;
    app.sync_now().await.unwrap();
    assert_eq!(
        code(ws.send_appeal_message(&key, "还有一个问题。").await),
        "APPEAL_CLOSED"
    );
    assert_eq!(ws.summary().queued, 0, "nothing queued for a closed appeal");
    app.close().await;
}

/// An appeal whose attachment the service refused for good waits, named, for the officer to
/// deal with the attachment: it is not asked for again every few seconds, it does not count
/// as queued, and it goes out by itself once the attachment does.
#[tokio::test]
async fn an_appeal_waits_on_its_refused_attachment_and_goes_once_the_attachment_does() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let (app, central, ws) = signed_in(dir.path(), "appeal-held").await;
    let draft = ws.new_appeal_draft().await.unwrap();
    ws.save_appeal_draft(&draft.id, fields("冷链车辆通行"))
        .await
        .unwrap();
    let p = write(files.path(), "通行证.pdf", &pdf(7));
    ws.add_appeal_attachment(&draft.id, &p).await.unwrap();
    let key = ws.send_appeal_draft(&draft.id).await.unwrap();
    // Queued by a client whose material types the service no longer knows: it refuses the
    // upload for good.
    let pool = ws.store().pool().clone();
    let (kind,): (String,) = sqlx::query_as("SELECT material_type FROM uploads")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE uploads SET material_type = 'retired_type'")
        .execute(&pool)
        .await
        .unwrap();

    settle(&ws).await;
    let summary = ws.summary();
    assert_eq!((summary.queued, summary.parked), (0, 1), "{summary:?}");
    let parked = ws.parked_items().await.unwrap();
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert_eq!(parked[0].kind, "upload");
    assert_eq!(parked[0].holding, 1, "the appeal waits on it: {parked:?}");
    let waits = || async {
        sqlx::query_as::<_, (Option<String>, i64)>(
            "SELECT waits_on, attempts FROM outbox WHERE kind = 'create_appeal'",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert_eq!(waits().await, (Some(parked[0].id.clone()), 0));
    // Draining again leaves it be: it is not asked for until the upload changes.
    let (due,): (i64,) =
        sqlx::query_as("SELECT next_attempt_at FROM outbox WHERE kind = 'create_appeal'")
            .fetch_one(&pool)
            .await
            .unwrap();
    for _ in 0..3 {
        ws.drain().await.unwrap();
    }
    let (due_after,): (i64,) =
        sqlx::query_as("SELECT next_attempt_at FROM outbox WHERE kind = 'create_appeal'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(due_after, due, "a held request was scheduled again");
    // Its list entry says it is stuck on something the officer must see to.
    assert_eq!(
        ws.appeals(&AppealQuery::default()).await.unwrap()[0].delivery,
        Delivery::Parked
    );

    // The service knows the type again (or the officer had it corrected); Retry sends the
    // upload, and the appeal follows by itself with its attachment.
    sqlx::query("UPDATE uploads SET material_type = ?")
        .bind(&kind)
        .execute(&pool)
        .await
        .unwrap();
    ws.retry_item(&parked[0].id).await.unwrap();
    assert_eq!(
        waits().await.0,
        None,
        "retrying the upload lets the appeal go"
    );
    settle(&ws).await;
    assert!(ws.parked_items().await.unwrap().is_empty());
    let server = ws.record(&key).await.unwrap().server_id.unwrap();
    let (body,): (String,) = sqlx::query_as("SELECT body FROM appeals WHERE id = ?")
        .bind(&server)
        .fetch_one(&central.db)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["attachments"].as_array().unwrap().len(), 1);

    // Discarding a refused attachment instead: the appeal cannot go without it, and says
    // so, to be discarded and filed again.
    let draft = ws.new_appeal_draft().await.unwrap();
    ws.save_appeal_draft(&draft.id, fields("第二份诉求"))
        .await
        .unwrap();
    let p = write(files.path(), "清单.pdf", &pdf(8));
    ws.add_appeal_attachment(&draft.id, &p).await.unwrap();
    ws.send_appeal_draft(&draft.id).await.unwrap();
    sqlx::query("UPDATE uploads SET material_type = 'retired_type' WHERE done = 0")
        .execute(&pool)
        .await
        .unwrap();
    settle(&ws).await;
    let upload = ws.parked_items().await.unwrap();
    assert_eq!(
        (upload.len(), upload[0].kind.as_str(), upload[0].holding),
        (1, "upload", 1)
    );
    ws.discard_item(&upload[0].id).await.unwrap();
    settle(&ws).await;
    let parked = ws.parked_items().await.unwrap();
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert_eq!(parked[0].kind, "create_appeal");
    assert!(
        parked[0].reason_zh.contains("材料已被放弃"),
        "{}",
        parked[0].reason_zh
    );
    ws.discard_item(&parked[0].id).await.unwrap();
    assert_eq!(ws.summary().queued + ws.summary().parked, 0);
    app.close().await;
}

/// The core refuses the message past the thread's limit before queuing it (the service
/// would refuse it, and it would only park), counting those not sent yet.
#[tokio::test]
async fn a_thread_takes_so_many_messages_counting_those_not_sent_yet() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _central, ws) = signed_in(dir.path(), "appeal-thread-cap").await;
    let key = ws
        .create_appeal(yiqifu_protocol::NewAppeal {
            category: AppealCategory::Logistics,
            title: "长期协调".into(),
            description: "运输车辆长期需要协调。".into(),
            attachments: vec![],
            contact: None,
        })
        .await
        .unwrap();
    let max = yiqifu_protocol::LIMITS.appeal_messages;
    for n in 0..max {
        ws.send_appeal_message(&key, &format!("第 {n} 条"))
            .await
            .unwrap();
    }
    let err = ws
        .send_appeal_message(&key, "再补充一条")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    assert!(
        err.message_zh().contains("新建一条诉求"),
        "{}",
        err.message_zh()
    );
    assert_eq!(ws.summary().queued, 1 + max);
    app.close().await;
}
