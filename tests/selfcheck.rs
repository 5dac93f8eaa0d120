//! The self-check against a real `yiqifu-central`: the company profile, the wizard's answers
//! kept across a restart, the verdict and its reasons, the report, a template update and
//! the gate, in the core and on the service.

use std::path::Path;
use std::time::Duration;

use yiqifu_core::selfcheck::{DraftView, GateLock, ItemStatus};
use yiqifu_core::{App, Workspace};
use yiqifu_protocol::{AnswerValue, NewApplication, RiskArea, SelfCheckSubmission};
use yiqifu_tests::journey::{answer_all, fast, profile, ready, settle, TEMPLATE};
use yiqifu_tests::{sign_in_demo, test_keychain};

/// An application as a form would send it: its self-check says `version` with no answers,
/// which the core replaces with the passing result.
fn application(version: u32, materials: Vec<yiqifu_protocol::MaterialRef>) -> NewApplication {
    NewApplication {
        contact_name: "王芳".into(),
        contact_phone: "13800138000".into(),
        returning_staff: 80,
        selfcheck: SelfCheckSubmission {
            template_id: TEMPLATE.into(),
            template_version: version,
            answers: vec![],
        },
        materials,
        note: None,
        package_sha256: None,
    }
}

/// One file of each required kind of material, in the material store.
async fn required_materials(
    app: &App,
    ws: &Workspace,
    dir: &Path,
) -> Vec<yiqifu_protocol::MaterialRef> {
    let mut materials = Vec::new();
    for rule in app.collection("material_rules").await.unwrap() {
        if rule["required"] != true {
            continue;
        }
        let formats: Vec<&str> = rule["formats"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f.as_str())
            .collect();
        let kind = rule["type"].as_str().unwrap();
        // Each its own bytes: the application refuses one file as two materials.
        let seed = materials.len() as u64 + 1;
        let (bytes, ext) = yiqifu_files::samples::for_formats(&formats, 2048, seed).unwrap();
        let path = dir.join(format!("{kind}.{ext}"));
        std::fs::write(&path, bytes).unwrap();
        materials.push(yiqifu_protocol::MaterialRef {
            material_type: kind.into(),
            upload_id: ws.add_material(&path, kind).await.unwrap(),
        });
    }
    materials
}

#[tokio::test]
async fn the_profile_is_checked_field_by_field_saved_and_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = ready(dir.path(), "profile").await;

    // Nothing yet: the form starts from the account's district and industry.
    let view = ws.company_profile().await.unwrap();
    assert!(view.profile.is_none());
    assert_eq!(view.suggested.district, ws.profile().district);
    assert_eq!(view.suggested.industry_section, "C");

    let mut bad = profile();
    bad.contacts[0].phone = "12345".into();
    bad.on_site = 500;
    let err = ws.save_company_profile(bad).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_PROFILE");
    let zh = err.message_zh();
    assert!(zh.contains("手机号") && zh.contains("在岗人数"), "{zh}");
    assert!(err.message_en().contains("mobile"), "{}", err.message_en());
    assert!(
        ws.saved_profile().await.unwrap().is_none(),
        "a bad profile is not kept"
    );
    assert_eq!(ws.summary().queued, 0, "nor queued");

    // Saved twice offline-first: only the last one goes.
    let mut first = profile();
    first.headcount = 100;
    ws.save_company_profile(first).await.unwrap();
    ws.save_company_profile(profile()).await.unwrap();
    assert_eq!(
        ws.summary().queued,
        1,
        "a newer profile replaces the queued one"
    );
    assert!(ws.company_profile().await.unwrap().unsent);
    settle(&ws).await;
    assert!(!ws.company_profile().await.unwrap().unsent);

    let client = yiqifu_core::client::CentralClient::new(&central.url()).unwrap();
    let (code, pw) = yiqifu_tests::demo_login();
    let login = client.login(&code, pw).await.unwrap();
    let stored = client
        .call(
            reqwest::Method::GET,
            "api/v1/profile",
            &login.access_token,
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(stored["profile"]["headcount"], 120);
    assert_eq!(stored["profile"]["contacts"][0]["phone"], "13800138000");

    // Another computer: the first sync brings the profile the service has.
    let other_dir = tempfile::tempdir().unwrap();
    let other = App::open(other_dir.path(), test_keychain("profile-other"))
        .await
        .unwrap();
    other.set_sync_config(fast());
    let ws2 = sign_in_demo(&other, &central.url()).await;
    assert!(ws2.company_profile().await.unwrap().profile.is_none());
    other.sync_now().await.unwrap();
    let view = ws2.company_profile().await.unwrap();
    assert_eq!(view.profile, Some(profile()));
    assert!(
        !view.unsent,
        "taken from the service, not queued back to it"
    );
    other.close().await;
    app.close().await;
}

#[tokio::test]
async fn a_walk_to_a_pass_opens_the_gate_and_the_service_takes_the_application() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = ready(dir.path(), "pass").await;
    assert_eq!(
        ws.selfcheck_gate().await.unwrap().lock,
        Some(GateLock::NoProfile)
    );
    assert_eq!(
        ws.open_selfcheck(TEMPLATE).await.unwrap_err().code(),
        "PROFILE_REQUIRED"
    );
    ws.save_company_profile(profile()).await.unwrap();
    assert_eq!(
        ws.selfcheck_gate().await.unwrap().lock,
        Some(GateLock::NoSelfCheck)
    );

    let view = ws.open_selfcheck(TEMPLATE).await.unwrap();
    assert_eq!(
        view.template.version, 2,
        "the newest version is the one opened"
    );
    // The profile decides what is shown: staff live on site, 80 on site, precaution area.
    let shown = |v: &DraftView, id: &str| {
        v.items
            .iter()
            .any(|i| i.item_id == id && i.status != ItemStatus::Hidden)
    };
    assert!(shown(&view, "life-dorm-rule") && shown(&view, "supply-mask-count"));
    assert!(shown(&view, "test-closed") && !shown(&view, "test-closed-strict"));
    assert!(
        !shown(&view, "supply-thermal"),
        "120 staff: no thermal camera item"
    );

    let view = answer_all(&ws, dir.path(), view, &profile()).await;
    assert!(view.verdict.passed, "{:?}", view.verdict.failures);
    let run = ws.finish_selfcheck(TEMPLATE).await.unwrap();
    assert!(run.passed && run.current);
    let gate = ws.selfcheck_gate().await.unwrap();
    assert!(gate.open, "{gate:?}");
    assert_eq!(gate.run_id.as_deref(), Some(run.id.as_str()));

    // The report: a PDF, the same bytes each time.
    let (name, pdf) = ws.selfcheck_report(&run.id).await.unwrap();
    assert!(
        name.ends_with(".pdf") && name.contains(&ws.profile().name),
        "{name}"
    );
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(ws.selfcheck_report(&run.id).await.unwrap().1, pdf);

    // Whatever self-check the form carried, the application carries the passing one.
    let materials = required_materials(&app, &ws, dir.path()).await;
    let local = ws
        .submit_application(application(1, materials))
        .await
        .unwrap();
    settle(&ws).await;
    assert_eq!(
        ws.summary().parked,
        0,
        "{:?}",
        ws.parked_items().await.unwrap()
    );
    let record = ws.record(&local).await.unwrap();
    let body: serde_json::Value =
        serde_json::from_str(record.server_body.as_deref().unwrap()).unwrap();
    assert_eq!(body["selfcheck"]["template_version"], 2);
    assert_eq!(
        body["profile"]["on_site"], 80,
        "the reviewer sees the profile"
    );
    drop(central);
    app.close().await;
}

#[tokio::test]
async fn a_failing_walk_names_each_reason_and_keeps_the_gate_shut() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _central, ws) = ready(dir.path(), "fail").await;
    ws.save_company_profile(profile()).await.unwrap();
    let view = ws.open_selfcheck(TEMPLATE).await.unwrap();
    let view = answer_all(&ws, dir.path(), view, &profile()).await;
    assert!(view.verdict.passed);

    // Nine days of masks, and too few masks for 80 people on site.
    let view = ws
        .answer_item(TEMPLATE, "supply-mask-days", Some(AnswerValue::Number(9.0)))
        .await
        .unwrap();
    let view2 = ws
        .answer_item(
            TEMPLATE,
            "supply-mask-count",
            Some(AnswerValue::Number(1000.0)),
        )
        .await
        .unwrap();
    assert!(!view.verdict.passed);
    let reasons: Vec<(&str, &str)> = view2
        .verdict
        .failures
        .iter()
        .map(|f| (f.item_id.as_str(), f.reason_zh.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("supply-mask-days", "需储备至少 14 天口罩，当前为“9 天”"),
            (
                "supply-mask-count",
                "口罩库存需不少于在岗人数×每人每天2只×14天（需不少于 2240 只），当前为“1000 只”"
            ),
        ]
    );
    assert!(view2.verdict.failures[0]
        .reason_en
        .contains("at least 14 days"));
    let state = view2
        .items
        .iter()
        .find(|i| i.item_id == "supply-mask-count")
        .unwrap();
    assert_eq!(state.status, ItemStatus::Fail);

    // An impossible answer is refused with the item's own message, and not kept.
    let err = ws
        .answer_item(
            TEMPLATE,
            "supply-mask-days",
            Some(AnswerValue::Number(-3.0)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_ANSWER");
    assert!(
        err.message_zh()
            .starts_with("天数应为 0 到 3650 之间的整数"),
        "{}",
        err.message_zh()
    );
    let again = ws.open_selfcheck(TEMPLATE).await.unwrap();
    let days = again
        .items
        .iter()
        .find(|i| i.item_id == "supply-mask-days")
        .unwrap();
    assert_eq!(days.answer, Some(AnswerValue::Number(9.0)));

    let run = ws.finish_selfcheck(TEMPLATE).await.unwrap();
    assert!(!run.passed);
    assert_eq!(run.failures, 2);
    assert_eq!(
        ws.selfcheck_gate().await.unwrap().lock,
        Some(GateLock::Failed)
    );
    let err = ws
        .submit_application(application(2, vec![]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "SELFCHECK_REQUIRED");
    assert!(err.message_zh().contains("未通过"), "{}", err.message_zh());
    assert!(
        ws.records(Some("application")).await.unwrap().is_empty(),
        "nothing queued"
    );

    // Fixed and finished again: open. Then the site's area is sealed: the same answers no
    // longer pass (the daily PCR item applies), and the gate says why.
    ws.answer_item(
        TEMPLATE,
        "supply-mask-days",
        Some(AnswerValue::Number(14.0)),
    )
    .await
    .unwrap();
    ws.answer_item(
        TEMPLATE,
        "supply-mask-count",
        Some(AnswerValue::Number(2240.0)),
    )
    .await
    .unwrap();
    assert!(ws.finish_selfcheck(TEMPLATE).await.unwrap().passed);
    assert!(ws.selfcheck_gate().await.unwrap().open);
    let mut sealed = profile();
    sealed.risk_area = RiskArea::Sealed;
    ws.save_company_profile(sealed).await.unwrap();
    assert_eq!(
        ws.selfcheck_gate().await.unwrap().lock,
        Some(GateLock::ProfileChanged)
    );
    let history = ws.selfcheck_history().await.unwrap();
    assert_eq!(
        history.iter().map(|r| r.passed).collect::<Vec<_>>(),
        [true, false],
        "newest first"
    );
    let old = ws.selfcheck_run(&history[1].id).await.unwrap();
    assert!(
        !old.verdict.passed && old.verdict.failures.len() == 2,
        "a past result stays as it was judged"
    );
    app.close().await;
}

#[tokio::test]
async fn answers_and_the_step_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    {
        let (app, _central, ws) = ready(&data, "resume").await;
        ws.save_company_profile(profile()).await.unwrap();
        ws.open_selfcheck(TEMPLATE).await.unwrap();
        ws.answer_item(TEMPLATE, "org-duties", Some(AnswerValue::YesNo(true)))
            .await
            .unwrap();
        ws.answer_item(
            TEMPLATE,
            "org-liaison",
            Some(AnswerValue::Text("张伟 主任 13900139000".into())),
        )
        .await
        .unwrap();
        ws.answer_item(
            TEMPLATE,
            "supply-mask-days",
            Some(AnswerValue::Number(21.0)),
        )
        .await
        .unwrap();
        ws.set_selfcheck_step(TEMPLATE, 4).await.unwrap();
        // No close: the process goes as a kill would take it.
        std::mem::forget(app);
    }
    let app = App::open(&data, test_keychain("resume")).await.unwrap();
    let ws = app
        .workspaces()
        .into_iter()
        .next()
        .expect("the enterprise is still here");
    let view = ws.open_selfcheck(TEMPLATE).await.unwrap();
    assert_eq!(view.step, 4);
    let answer = |id: &str| {
        view.items
            .iter()
            .find(|i| i.item_id == id)
            .and_then(|i| i.answer.clone())
    };
    assert_eq!(answer("org-duties"), Some(AnswerValue::YesNo(true)));
    assert_eq!(
        answer("org-liaison"),
        Some(AnswerValue::Text("张伟 主任 13900139000".into()))
    );
    assert_eq!(answer("supply-mask-days"), Some(AnswerValue::Number(21.0)));
    assert_eq!(view.answered, 3);
    app.close().await;
}

#[tokio::test]
async fn a_newer_template_shows_what_changed_carries_the_rest_and_shuts_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _central, ws) = ready(dir.path(), "update").await;
    ws.save_company_profile(profile()).await.unwrap();
    let view = ws.open_selfcheck(TEMPLATE).await.unwrap();
    answer_all(&ws, dir.path(), view, &profile()).await;
    assert!(ws.finish_selfcheck(TEMPLATE).await.unwrap().passed);
    assert!(ws.selfcheck_gate().await.unwrap().open);

    // Version 3 arrives: one rule tightened, one item gone, one new.
    let rows = app.collection("templates").await.unwrap();
    let mut v3 = rows.into_iter().find(|t| t["version"] == 2).unwrap();
    v3["version"] = 3.into();
    let supply = v3["sections"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["id"] == "supply")
        .unwrap();
    let items = supply["items"].as_array_mut().unwrap();
    let days = items
        .iter_mut()
        .find(|i| i["id"] == "supply-mask-days")
        .unwrap();
    days["pass"]["min"] = 21.into();
    items.retain(|i| i["id"] != "supply-replenish");
    let mut new_item = items[0].clone();
    new_item["id"] = "supply-n95-days".into();
    new_item["prompt"] = "现有N95口罩按隔离区岗位用量计算，可以使用多少天？".into();
    items.push(new_item);
    sqlx::query("INSERT INTO catalog_items (collection, key, body) VALUES ('templates', 'tpl-industrial@3', ?)")
        .bind(v3.to_string())
        .execute(app.store().pool())
        .await
        .unwrap();

    assert_eq!(
        ws.selfcheck_gate().await.unwrap().lock,
        Some(GateLock::Outdated)
    );
    let overview = ws.selfcheck_overview().await.unwrap();
    assert!(overview.templates[0].updated);
    assert!(!overview.templates[0].last_run.as_ref().unwrap().current);

    let view = ws.open_selfcheck(TEMPLATE).await.unwrap();
    assert_eq!(view.template.version, 3);
    let changes = view.changes.clone().expect("what changed is shown");
    let ids = |l: &[yiqifu_core::selfcheck::ChangedItem]| {
        l.iter().map(|i| i.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&changes.added), ["supply-n95-days"]);
    assert_eq!(ids(&changes.changed), ["supply-mask-days"]);
    assert_eq!(ids(&changes.removed), ["supply-replenish"]);
    let state =
        |v: &DraftView, id: &str| v.items.iter().find(|i| i.item_id == id).cloned().unwrap();
    let days = state(&view, "supply-mask-days");
    assert!(
        days.recheck && days.answer.is_some(),
        "changed: kept, to look at again"
    );
    assert!(
        !state(&view, "org-duties").recheck && state(&view, "org-duties").answer.is_some(),
        "unchanged: carried over"
    );
    assert!(
        state(&view, "supply-n95-days").added && state(&view, "supply-n95-days").answer.is_none()
    );
    assert_eq!(view.recheck, 1);

    let err = ws.finish_selfcheck(TEMPLATE).await.unwrap_err();
    assert_eq!(err.code(), "RECHECK_PENDING");
    // Looked at again: 14 days no longer passes version 3.
    let view = ws
        .answer_item(
            TEMPLATE,
            "supply-mask-days",
            Some(AnswerValue::Number(14.0)),
        )
        .await
        .unwrap();
    assert_eq!(view.recheck, 0);
    assert!(view
        .verdict
        .failures
        .iter()
        .any(|f| f.item_id == "supply-mask-days"));
    ws.dismiss_template_changes(TEMPLATE).await.unwrap();
    assert!(ws.open_selfcheck(TEMPLATE).await.unwrap().changes.is_none());
    app.close().await;
}

#[tokio::test]
async fn an_application_waits_until_the_service_has_the_profile_it_was_judged_with() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _central, ws) = ready(dir.path(), "order").await;
    ws.save_company_profile(profile()).await.unwrap();
    let view = ws.open_selfcheck(TEMPLATE).await.unwrap();
    answer_all(&ws, dir.path(), view, &profile()).await;
    assert!(ws.finish_selfcheck(TEMPLATE).await.unwrap().passed);
    let materials = required_materials(&app, &ws, dir.path()).await;
    // The profile's request is refused for now (parked): the service has no profile yet.
    sqlx::query("UPDATE outbox SET parked = 1 WHERE kind = 'update_profile'")
        .execute(ws.store().pool())
        .await
        .unwrap();
    let local = ws
        .submit_application(application(2, materials))
        .await
        .unwrap();
    for _ in 0..60 {
        ws.drain().await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let record = ws.record(&local).await.unwrap();
    assert!(
        record.server_id.is_none(),
        "the application went before the profile"
    );
    assert_eq!(record.pending, 1, "it waits, neither sent nor refused");
    let parked = ws.parked_items().await.unwrap();
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert_eq!(parked[0].kind, "update_profile");

    // Sent again: the profile goes, then the application, and the service takes it.
    ws.retry_item(&parked[0].id).await.unwrap();
    settle(&ws).await;
    let record = ws.record(&local).await.unwrap();
    assert!(
        record.server_id.is_some(),
        "{:?}",
        ws.parked_items().await.unwrap()
    );
    app.close().await;
}

#[tokio::test]
async fn evidence_is_only_a_file_stored_for_that_item() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _central, ws) = ready(dir.path(), "evidence").await;
    ws.save_company_profile(profile()).await.unwrap();
    ws.open_selfcheck(TEMPLATE).await.unwrap();
    let err = ws
        .answer_item(
            TEMPLATE,
            "org-plan-file",
            Some(AnswerValue::Evidence("upl-made-up".into())),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_ANSWER");
    // A file stored for another kind of material is not this item's evidence either.
    let file = dir.path().join("名单.pdf");
    std::fs::write(&file, yiqifu_files::samples::pdf()).unwrap();
    let view = ws
        .answer_with_file(TEMPLATE, "staff-list", &file)
        .await
        .unwrap();
    let Some(AnswerValue::Evidence(staff)) = view
        .items
        .iter()
        .find(|i| i.item_id == "staff-list")
        .and_then(|i| i.answer.clone())
    else {
        panic!("the staff list has no file");
    };
    let err = ws
        .answer_item(
            TEMPLATE,
            "org-plan-file",
            Some(AnswerValue::Evidence(staff.clone())),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_ANSWER");
    // Confirming an item's own file again is fine.
    let view = ws
        .answer_item(TEMPLATE, "staff-list", Some(AnswerValue::Evidence(staff)))
        .await
        .unwrap();
    let state = view
        .items
        .iter()
        .find(|i| i.item_id == "staff-list")
        .unwrap();
    assert_eq!(
        state.file.as_ref().map(|f| f.filename.as_str()),
        Some("名单.pdf")
    );
    app.close().await;
}
