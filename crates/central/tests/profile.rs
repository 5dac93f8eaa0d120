//! 企业信息 over real HTTP, and the gate it feeds: an application is judged against the
//! company profile the service holds and the newest template, and carries a snapshot of the
//! profile to the reviewer.

mod common;

use common::{application_body, application_body_for, company_profile, error_code, submit, Svc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use yiqifu_protocol::{Application, RiskArea, StoredProfile};

async fn get_profile(svc: &Svc, token: &str) -> reqwest::Response {
    svc.req(Method::GET, "/api/v1/profile", token)
        .send()
        .await
        .unwrap()
}

/// Status, code and message of an error answer.
async fn refusal(resp: reqwest::Response) -> (StatusCode, String, String) {
    let status = resp.status();
    let v: Value = resp.json().await.unwrap();
    (
        status,
        v["code"].as_str().unwrap_or_default().into(),
        v["message"].as_str().unwrap_or_default().into(),
    )
}

fn answer_mut<'a>(body: &'a mut Value, item: &str) -> &'a mut Value {
    body["selfcheck"]["answers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["item_id"] == item)
        .unwrap_or_else(|| panic!("{item} is answered"))
}

#[tokio::test]
async fn a_profile_round_trips_and_the_last_write_wins() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let other = svc.login(1).await;

    let (status, code, message) = refusal(get_profile(&svc, &me).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::NOT_FOUND, "PROFILE_MISSING")
    );
    assert!(message.contains("企业信息"), "{message}");

    let p = company_profile(0);
    let sent = svc.put_profile(&me, &p).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let stored: StoredProfile = sent.json().await.unwrap();
    assert_eq!(stored.profile, p);
    assert!(!stored.updated_at.is_empty());
    let got: StoredProfile = get_profile(&svc, &me).await.json().await.unwrap();
    assert_eq!(got, stored);

    // The same PUT again changes nothing; another one replaces it whole.
    let again: StoredProfile = svc.put_profile(&me, &p).await.json().await.unwrap();
    assert_eq!(again.profile, p);
    let mut changed = p.clone();
    changed.on_site = 40;
    changed.whitelist_batch = Some("第二批".into());
    changed.contacts.push(yiqifu_protocol::Contact {
        name: "李强".into(),
        role: "安全主管".into(),
        phone: "021-58881234".into(),
    });
    assert_eq!(
        svc.put_profile(&me, &changed).await.status(),
        StatusCode::OK
    );
    let got: StoredProfile = get_profile(&svc, &me).await.json().await.unwrap();
    assert_eq!(got.profile, changed);

    // Each enterprise sees only its own; a reviewer has none to send.
    assert_eq!(
        error_code(get_profile(&svc, &other).await).await,
        (StatusCode::NOT_FOUND, "PROFILE_MISSING".into())
    );
    let rev = svc.reviewer().await;
    assert_eq!(
        error_code(svc.put_profile(&rev, &p).await).await,
        (StatusCode::FORBIDDEN, "FORBIDDEN".into())
    );
    let anonymous = svc
        .http
        .get(format!("{}/api/v1/profile", svc.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_bad_field_is_named_and_nothing_is_stored() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let mut bad = company_profile(0);
    bad.contacts[0].phone = "123".into();
    bad.on_site = bad.headcount + 1;
    let (status, code, message) = refusal(svc.put_profile(&me, &bad).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_FIELD")
    );
    let parts: Vec<&str> = message.split('；').collect();
    assert_eq!(parts.len(), 2, "one part per problem: {message}");
    assert!(
        parts.contains(
            &"on_site: 在岗人数不能多于员工总数 / Staff on site cannot outnumber the headcount"
        ),
        "{message}"
    );
    assert!(
        parts
            .iter()
            .any(|p| p.starts_with("contacts.0.phone: 请填写 11 位手机号")
                && p.contains(" / Enter an 11-digit")),
        "{message}"
    );
    assert_eq!(
        error_code(get_profile(&svc, &me).await).await,
        (StatusCode::NOT_FOUND, "PROFILE_MISSING".into())
    );

    // A bad write leaves the good one before it in place.
    let good = company_profile(0);
    svc.put_profile(&me, &good).await;
    assert_eq!(
        svc.put_profile(&me, &bad).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let got: StoredProfile = get_profile(&svc, &me).await.json().await.unwrap();
    assert_eq!(got.profile, good);
}

#[tokio::test]
async fn a_field_the_profile_does_not_have_is_refused() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let put = |body: Value| {
        svc.req(Method::PUT, "/api/v1/profile", &me)
            .json(&body)
            .send()
    };
    let mut extra = serde_json::to_value(company_profile(0)).unwrap();
    extra["verified"] = json!(true);
    let (status, code, message) = refusal(put(extra).await.unwrap()).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "BAD_REQUEST")
    );
    assert!(message.contains("verified"), "{message}");
    let mut nested = serde_json::to_value(company_profile(0)).unwrap();
    nested["contacts"][0]["email"] = json!("a@b.cn");
    assert_eq!(
        error_code(put(nested).await.unwrap()).await,
        (StatusCode::BAD_REQUEST, "BAD_REQUEST".into())
    );
    let mut unknown_risk = serde_json::to_value(company_profile(0)).unwrap();
    unknown_risk["risk_area"] = json!("medium");
    assert_eq!(
        error_code(put(unknown_risk).await.unwrap()).await,
        (StatusCode::BAD_REQUEST, "BAD_REQUEST".into())
    );
    assert_eq!(
        error_code(get_profile(&svc, &me).await).await,
        (StatusCode::NOT_FOUND, "PROFILE_MISSING".into())
    );
}

#[tokio::test]
async fn no_profile_no_application_and_the_same_key_works_once_it_is_sent() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let p = company_profile(0);
    let body = application_body_for(&svc, &me, &p).await;
    let (status, code, message) = refusal(submit(&svc, &me, "np-1", &body).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "PROFILE_MISSING")
    );
    assert!(message.contains("企业信息"), "{message}");
    let none: Vec<Application> = svc.list("/api/v1/applications", &me).await;
    assert!(none.is_empty());

    // The refusal is not pinned to the key: the retry after sending the profile goes through.
    svc.put_profile(&me, &p).await;
    let retried = submit(&svc, &me, "np-1", &body).await;
    assert_eq!(retried.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn answers_to_an_older_template_version_are_outdated() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let mut body = application_body(&svc, &me, 0).await;
    let current = body["selfcheck"]["template_version"].as_u64().unwrap();
    assert!(current > 1, "the demo publishes more than one version");
    body["selfcheck"]["template_version"] = json!(1);
    let (status, code, message) = refusal(submit(&svc, &me, "old-1", &body).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "SELF_CHECK_OUTDATED")
    );
    assert!(
        message.contains(&format!("自查表已更新至第 {current} 版，请按新版重新自查")),
        "{message}"
    );
    // A version that was never published is not "outdated", it is wrong.
    body["selfcheck"]["template_version"] = json!(current + 1);
    assert_eq!(
        error_code(submit(&svc, &me, "old-2", &body).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "SELF_CHECK_FAILED".into())
    );
}

#[tokio::test]
async fn a_failing_self_check_is_explained_item_by_item() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let mut body = application_body(&svc, &me, 0).await;
    answer_mut(&mut body, "supply-mask-days")["value"]["value"] = json!(9);
    answer_mut(&mut body, "zone-isolation-rooms")["value"]["value"] = json!(1);
    let (status, code, message) = refusal(submit(&svc, &me, "fail-1", &body).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "SELF_CHECK_FAILED")
    );
    // The item's own hint where it has one, the rule in words where it has not.
    assert!(
        message.contains("supply-mask-days: 需储备至少 14 天口罩，当前为“9 天”"),
        "{message}"
    );
    assert!(
        message.contains("zone-isolation-rooms: 需不少于 3 间，当前为“1 间”"),
        "{message}"
    );
    assert!(message.contains("Needs at least 3 rooms"), "{message}");
    assert!(!message.contains("NotMet"), "no debug codes: {message}");

    // The per-person minimum scales with the staff on site the profile gives.
    let mut short = application_body(&svc, &me, 0).await;
    let needed = 28 * company_profile(0).on_site;
    answer_mut(&mut short, "supply-mask-count")["value"]["value"] = json!(needed - 1);
    let (_, code, message) = refusal(submit(&svc, &me, "fail-2", &short).await).await;
    assert_eq!(code, "SELF_CHECK_FAILED");
    assert!(
        message.contains(&format!(
            "supply-mask-count: 口罩库存需不少于在岗人数×每人每天2只×14天（需不少于 {needed} 只），当前为“{} 只”",
            needed - 1
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("Needs at least {needed} pieces")),
        "{message}"
    );
}

#[tokio::test]
async fn the_risk_area_decides_which_items_apply() {
    let svc = Svc::start().await;
    let me = svc.login(0).await;
    let precaution = company_profile(0);
    let body = application_body(&svc, &me, 0).await;

    let mut sealed = precaution.clone();
    sealed.risk_area = RiskArea::Sealed;
    assert_eq!(svc.put_profile(&me, &sealed).await.status(), StatusCode::OK);
    let (status, code, message) = refusal(submit(&svc, &me, "risk-1", &body).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "SELF_CHECK_FAILED")
    );
    assert!(
        message.contains("test-closed-strict: 此项必答，尚未作答"),
        "the strict testing item applies in a sealed area: {message}"
    );

    // The very same answers pass once the site is back in a precaution area.
    svc.put_profile(&me, &precaution).await;
    assert_eq!(
        submit(&svc, &me, "risk-2", &body).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn the_application_carries_the_profile_it_was_judged_against() {
    let svc = Svc::start().await;
    let me = svc.login(3).await;
    let rev = svc.reviewer().await;
    let p = company_profile(3);
    assert_eq!(p.industry_section, "G", "the logistics company");
    let body = application_body(&svc, &me, 3).await;
    let created = submit(&svc, &me, "snap-1", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let app: Application = created.json().await.unwrap();
    assert_eq!(app.profile.as_ref(), Some(&p));

    // A later change to the profile does not rewrite what was submitted.
    let mut later = p.clone();
    later.headcount = 999;
    svc.put_profile(&me, &later).await;
    let mine: Application = svc
        .get(&format!("/api/v1/applications/{}", app.id), &me)
        .await;
    assert_eq!(mine.profile.as_ref(), Some(&p));
    let queue: Vec<Application> = svc.list("/api/v1/review/applications", &rev).await;
    let seen = queue.iter().find(|a| a.id == app.id).unwrap();
    assert_eq!(seen.profile.as_ref(), Some(&p));
    let accepted: Application = svc
        .req(
            Method::POST,
            &format!("/api/v1/review/applications/{}/actions", app.id),
            &rev,
        )
        .json(&json!({"action": "accept", "note": null}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(accepted.profile.as_ref(), Some(&p));

    // A record stored before profiles existed still loads, without one.
    let mut old: Value = serde_json::to_value(&accepted).unwrap();
    old.as_object_mut().unwrap().remove("profile");
    sqlx::query("UPDATE applications SET body = $1 WHERE id = $2")
        .bind(old.to_string())
        .bind(&app.id)
        .execute(&svc.running.db)
        .await
        .unwrap();
    let before: Application = svc
        .get(&format!("/api/v1/applications/{}", app.id), &me)
        .await;
    assert_eq!(before.profile, None);
    assert_eq!(before.state, accepted.state);
}
