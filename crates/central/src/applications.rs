//! 复工意向: applications, their review workflow and its receipts.

use std::collections::HashMap;

use crate::db::Conn;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use yiqifu_protocol::selfcheck::explain;
use yiqifu_protocol::{
    evaluate, AnswerValue, Application, ApplicationState, CompanyProfile, CorrectionNotice,
    EnterpriseProfile, ErrorCode, InboxKind, ItemFailure, Lang, ListPage, MaterialInfo,
    MaterialRef, MaterialRule, NewApplication, Resubmission, ReviewAction, SelfCheckSubmission,
    SelfCheckTemplate, Transition,
};

use crate::auth::{Enterprise, Reviewer};
use crate::catalog::{MATERIAL_RULES, TEMPLATES};
use crate::db::{new_id, now_rfc3339, receipt_no};
use crate::error::{Error, Result};
use crate::extract::{ApiBytes, ApiJson, ApiQuery};
use crate::idempotency;
use crate::inbox;
use crate::uploads::{checked_format, completed};
use crate::AppState;

fn invalid(code: ErrorCode, message: String) -> Error {
    Error::api(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

pub async fn profile(conn: &mut Conn, code: &str) -> Result<EnterpriseProfile> {
    let (name, district, industry): (String, String, String) =
        sqlx::query_as("SELECT name, district, industry FROM enterprises WHERE credit_code = $1")
            .bind(code)
            .fetch_one(conn)
            .await?;
    Ok(EnterpriseProfile {
        credit_code: code.into(),
        name,
        district,
        industry,
    })
}

async fn rules(conn: &mut Conn) -> Result<Vec<MaterialRule>> {
    crate::catalog::entries(conn, MATERIAL_RULES).await
}

/// Checks the attached files against the material rules; with `all_required`, every
/// required material must be there.
async fn check_materials(
    state: &AppState,
    owner: &str,
    refs: &[MaterialRef],
    all_required: bool,
) -> Result<Vec<MaterialInfo>> {
    let mut conn = state.db.acquire().await?;
    let rules = rules(&mut conn).await?;
    drop(conn);
    let mut out = Vec::new();
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for r in refs {
        let rule = rules
            .iter()
            .find(|x| x.material_type == r.material_type)
            .ok_or_else(|| {
                invalid(
                    ErrorCode::MaterialInvalid,
                    format!(
                        "未知的材料类型“{}” / unknown material type",
                        r.material_type
                    ),
                )
            })?;
        let done = completed(state, owner, &r.upload_id).await?;
        let filename = done.filename.clone();
        if done.material_type != r.material_type {
            return Err(invalid(
                ErrorCode::MaterialInvalid,
                format!(
                    "{filename} 是作为{}上传的，不能用作{} / {filename} was uploaded as {}",
                    done.material_type, rule.name, done.material_type
                ),
            ));
        }
        if done.size > rule.max_bytes {
            return Err(invalid(
                ErrorCode::MaterialInvalid,
                format!(
                    "{filename} 超过{}的大小上限 / {filename} is larger than allowed",
                    rule.name
                ),
            ));
        }
        // Checked by content when it completed; the rule may have changed since.
        let format = checked_format(state, &r.upload_id, &done, rule).await?;
        if !crate::uploads::limits(rule).formats.contains(&format) {
            return Err(invalid(
                ErrorCode::MaterialInvalid,
                format!(
                    "{filename} 的内容不是{}允许的格式（{}） / {filename} is not one of {}",
                    rule.name,
                    rule.formats.join("、"),
                    rule.formats.join(", ")
                ),
            ));
        }
        let n = counts.entry(rule.material_type.as_str()).or_default();
        *n += 1;
        if *n > rule.max_count {
            return Err(invalid(
                ErrorCode::MaterialInvalid,
                format!(
                    "{}最多 {} 份 / at most {} files of {}",
                    rule.name, rule.max_count, rule.max_count, rule.material_type
                ),
            ));
        }
        out.push(MaterialInfo {
            material_type: r.material_type.clone(),
            upload_id: r.upload_id.clone(),
            filename,
            size: done.size,
            sha256: done.sha256,
        });
    }
    if all_required {
        let missing: Vec<&str> = rules
            .iter()
            .filter(|r| r.required && !counts.contains_key(r.material_type.as_str()))
            .map(|r| r.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(invalid(
                ErrorCode::MaterialInvalid,
                format!(
                    "缺少必需材料：{} / required materials are missing",
                    missing.join("、")
                ),
            ));
        }
    }
    Ok(out)
}

/// The newest published version of template `id`, if any version of it is live.
async fn newest_version(conn: &mut Conn, id: &str) -> Result<Option<u32>> {
    // The bodies are JSON text on both engines; each reads fields its own way.
    let sql = match crate::db::Backend::of(conn) {
        crate::db::Backend::Sqlite => {
            "SELECT MAX(json_extract(body, '$.version')) FROM catalog
              WHERE collection = $1 AND withdrawn = 0 AND json_extract(body, '$.id') = $2"
        }
        crate::db::Backend::Postgres => {
            "SELECT MAX(CAST(CAST(body AS jsonb) ->> 'version' AS BIGINT)) FROM catalog
              WHERE collection = $1 AND withdrawn = 0 AND CAST(body AS jsonb) ->> 'id' = $2"
        }
    };
    let (v,): (Option<i64>,) = sqlx::query_as(sql)
        .bind(TEMPLATES)
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(v.and_then(|v| u32::try_from(v).ok()))
}

/// The template version the answers were given on, which must be the newest: answers to an
/// older version were judged against rules that no longer apply.
async fn template(conn: &mut Conn, id: &str, version: u32) -> Result<SelfCheckTemplate> {
    let absent = || {
        invalid(
            ErrorCode::SelfCheckFailed,
            format!(
                "自查表 {id} 第 {version} 版不存在 / no self-check template {id} version {version}"
            ),
        )
    };
    let newest = newest_version(conn, id).await?.ok_or_else(absent)?;
    if version < newest {
        return Err(invalid(
            ErrorCode::SelfCheckOutdated,
            format!(
                "自查表已更新至第 {newest} 版，请按新版重新自查 / the self-check template has been updated to version {newest}: do the self-check again on it"
            ),
        ));
    }
    crate::catalog::entry(conn, TEMPLATES, &format!("{id}@{version}"))
        .await?
        .ok_or_else(absent)
}

/// Why the self-check does not pass, item by item, in words rather than codes.
fn failed(tpl: &SelfCheckTemplate, failures: &[ItemFailure]) -> Error {
    let explain_all = |lang: Lang| -> Vec<String> {
        failures
            .iter()
            .map(|f| {
                let item = tpl.items().find(|i| i.id == f.item_id);
                format!("{}: {}", f.item_id, explain(item, f, lang))
            })
            .collect()
    };
    invalid(
        ErrorCode::SelfCheckFailed,
        format!(
            "复工自查未通过，不能提交：{} / the self-check does not pass: {}",
            explain_all(Lang::Zh).join("；"),
            explain_all(Lang::En).join("; ")
        ),
    )
}

async fn save(conn: &mut Conn, owner: &str, app: &Application) -> Result<()> {
    crate::db::save_record(
        conn,
        "applications",
        &app.id,
        owner,
        app.state.as_str(),
        app,
    )
    .await?;
    // Its materials, and the evidence its self-check answers point at.
    let evidence = app.selfcheck.answers.iter().filter_map(|a| match &a.value {
        AnswerValue::Evidence(id) => Some(id.clone()),
        _ => None,
    });
    let taken = app
        .materials
        .iter()
        .map(|m| m.upload_id.clone())
        .chain(evidence)
        .collect();
    crate::uploads::mark_used(conn, owner, taken).await
}

pub async fn load(conn: &mut Conn, id: &str, owner: Option<&str>) -> Result<Application> {
    Ok(crate::db::load_record(conn, "applications", id, owner)
        .await?
        .1)
}

/// Judges self-check answers as a submission must carry them: against the company profile
/// on file and the newest template version, with every evidence file uploaded. Returns the
/// profile they were judged with.
async fn judge_selfcheck(
    state: &AppState,
    owner: &str,
    selfcheck: &SelfCheckSubmission,
) -> Result<CompanyProfile> {
    let mut conn = state.db.acquire().await?;
    let company = crate::profiles::load(&mut conn, owner)
        .await?
        .ok_or_else(|| {
            invalid(
                ErrorCode::ProfileMissing,
                "请先填写并提交企业信息 / send the company profile first".into(),
            )
        })?
        .profile;
    let tpl = template(
        &mut conn,
        &selfcheck.template_id,
        selfcheck.template_version,
    )
    .await?;
    drop(conn);
    let verdict = evaluate(&tpl, &company, &selfcheck.answers);
    if !verdict.passed {
        return Err(failed(&tpl, &verdict.failures));
    }
    for a in &selfcheck.answers {
        if let AnswerValue::Evidence(upload) = &a.value {
            completed(state, owner, upload).await?;
        }
    }
    Ok(company)
}

fn check_package_hash(hash: Option<&str>) -> Result<()> {
    match hash {
        Some(h) if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Err(Error::invalid_field(
                "package_sha256 须为 64 位十六进制 / package_sha256 must be 64 hex digits",
            ))
        }
        _ => Ok(()),
    }
}

async fn create(
    state: &AppState,
    owner: &str,
    req: NewApplication,
) -> Result<(StatusCode, Application)> {
    Error::refuse(req.problems())?;
    check_package_hash(req.package_sha256.as_deref())?;
    let company = judge_selfcheck(state, owner, &req.selfcheck).await?;
    let mut conn = state.db.acquire().await?;
    let me = profile(&mut conn, owner).await?;
    drop(conn);
    let materials = check_materials(state, owner, &req.materials, true).await?;
    let mut tx = crate::db::begin_write(&state.db).await?;
    let receipt = receipt_no(&mut tx, "SQ").await?;
    let now = now_rfc3339();
    let app = Application {
        id: new_id("app"),
        credit_code: owner.into(),
        enterprise_name: me.name,
        state: ApplicationState::Submitted,
        contact_name: req.contact_name.trim().into(),
        contact_phone: req.contact_phone.trim().into(),
        returning_staff: req.returning_staff,
        selfcheck: req.selfcheck,
        materials,
        note: req.note,
        correction: None,
        certificate_no: None,
        reasons: vec![],
        timeline: vec![Transition {
            from: None,
            to: ApplicationState::Submitted,
            at: now.clone(),
            actor: owner.into(),
            receipt_no: receipt,
            note: None,
        }],
        updated_at: now,
        profile: Some(company),
        package_sha256: req.package_sha256.map(|h| h.to_ascii_lowercase()),
    };
    save(&mut tx, owner, &app).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, app))
}

#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Retry key of this request")),
    request_body = NewApplication,
    responses(
        (status = 201, description = "Submitted", body = Application),
        (status = 400, description = "Malformed, or no Idempotency-Key", body = yiqifu_protocol::ApiError),
        (status = 409, description = "The first request with this key still runs", body = yiqifu_protocol::ApiError),
        (status = 422, description = "PROFILE_MISSING: no company profile sent yet; SELF_CHECK_OUTDATED: the answers are for an older template version; SELF_CHECK_FAILED: the self-check does not pass against the stored profile, each failing item explained; MATERIAL_INVALID, INVALID_FIELD; or IDEMPOTENCY_KEY_REUSED (the key was used with another body or on another route; a key is kept 30 days)", body = yiqifu_protocol::ApiError),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    who: Enterprise,
    request: idempotency::Request,
    ApiBytes(body): ApiBytes,
) -> Result<Response> {
    idempotency::create_once(
        &state,
        who.credit_code,
        &request,
        body,
        |state, owner, req: NewApplication| async move { create(&state, &owner, req).await },
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", security(("bearer" = [])),
    params(crate::pages::PageQuery),
    responses((status = 200, description = "The enterprise's applications, the latest change first, a page at a time", body = ListPage<Application>),
              (status = 400, description = "CURSOR_INVALID, or a limit outside 1 to 500", body = yiqifu_protocol::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    who: Enterprise,
    ApiQuery(q): ApiQuery<crate::pages::PageQuery>,
) -> Result<Json<ListPage<Application>>> {
    let list = crate::pages::Listed {
        table: "applications",
        key: "updated_at",
        owner: Some(&who.credit_code),
        state: None,
        order: crate::pages::Order::NewestFirst,
    };
    Ok(Json(
        crate::pages::read_as(&state.db, &list, q.after.as_deref(), q.limit).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, description = "The application with its timeline", body = Application),
              (status = 404, description = "No such application", body = yiqifu_protocol::ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
) -> Result<Json<Application>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(load(&mut conn, &id, Some(&who.credit_code)).await?))
}

fn transition_error(from: ApplicationState, to: ApplicationState) -> Error {
    Error::api(
        StatusCode::CONFLICT,
        ErrorCode::InvalidTransition,
        format!(
            "申请当前状态为 {}，不能变为 {} / an application in state {} cannot become {}",
            from.as_str(),
            to.as_str(),
            from.as_str(),
            to.as_str()
        ),
    )
}

async fn resubmit_inner(
    state: &AppState,
    owner: &str,
    id: &str,
    req: Resubmission,
) -> Result<(StatusCode, Application)> {
    check_package_hash(req.package_sha256.as_deref())?;
    Error::refuse(req.problems())?;
    {
        // Refused before anything is judged: only a returned application may be corrected.
        let mut conn = state.db.acquire().await?;
        let app = load(&mut conn, id, Some(owner)).await?;
        if !app.state.can_become(ApplicationState::Resubmitted) {
            return Err(transition_error(app.state, ApplicationState::Resubmitted));
        }
    }
    let materials = check_materials(state, owner, &req.materials, false).await?;
    let judged = match &req.selfcheck {
        Some(sc) => Some(judge_selfcheck(state, owner, sc).await?),
        None => None,
    };
    let mut tx = crate::db::begin_write(&state.db).await?;
    let mut app = load(&mut tx, id, Some(owner)).await?;
    if !app.state.can_become(ApplicationState::Resubmitted) {
        return Err(transition_error(app.state, ApplicationState::Resubmitted));
    }
    if let (Some(sc), Some(company)) = (req.selfcheck, judged) {
        app.selfcheck = sc;
        app.profile = Some(company);
    }
    if let Some(h) = req.package_sha256 {
        app.package_sha256 = Some(h.to_ascii_lowercase());
    }
    // The new files replace the earlier ones of the same types.
    app.materials
        .retain(|m| !materials.iter().any(|n| n.material_type == m.material_type));
    app.materials.extend(materials);
    let receipt = receipt_no(&mut tx, "BZ").await?;
    let now = now_rfc3339();
    app.timeline.push(Transition {
        from: Some(app.state),
        to: ApplicationState::Resubmitted,
        at: now.clone(),
        actor: owner.into(),
        receipt_no: receipt,
        note: req.note,
    });
    app.state = ApplicationState::Resubmitted;
    app.updated_at = now;
    save(&mut tx, owner, &app).await?;
    tx.commit().await?;
    Ok((StatusCode::OK, app))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/resubmit", tag = "applications", security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), ("Idempotency-Key" = String, Header, description = "Retry key")),
    request_body = Resubmission,
    responses((status = 200, description = "Resubmitted after corrections", body = Application),
              (status = 409, description = "Not returned for corrections", body = yiqifu_protocol::ApiError)))]
pub async fn resubmit(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
    request: idempotency::Request,
    ApiBytes(body): ApiBytes,
) -> Result<Response> {
    idempotency::create_once(
        &state,
        who.credit_code,
        &request,
        body,
        move |state, owner, req: Resubmission| async move {
            resubmit_inner(&state, &owner, &id, req).await
        },
    )
    .await
}

fn nonempty(list: &[String], what: &str) -> Result<()> {
    if list.is_empty() || list.iter().any(|s| s.trim().is_empty()) {
        return Err(Error::invalid_field(format!(
            "{what}不能为空 / {what} must list at least one non-empty reason"
        )));
    }
    Ok(())
}

/// One step of the review workflow, for the API and the reviewer CLI alike.
pub async fn review(
    conn: &mut Conn,
    id: &str,
    action: ReviewAction,
    actor: &str,
) -> Result<Application> {
    use ApplicationState::*;
    let mut app = load(conn, id, None).await?;
    let (to, prefix) = match &action {
        ReviewAction::Accept { .. } => (Accepted, "SL"),
        ReviewAction::Refuse { .. } => (NotAccepted, "BSL"),
        ReviewAction::StartReview => (InReview, "SH"),
        ReviewAction::Return { .. } => (Returned, "BZTZ"),
        ReviewAction::Approve { .. } => (Approved, "TG"),
        ReviewAction::Reject { .. } => (Rejected, "BTG"),
    };
    if !app.state.can_become(to) {
        return Err(transition_error(app.state, to));
    }
    let receipt = receipt_no(conn, prefix).await?;
    let now = now_rfc3339();
    let mut note = None;
    let (kind, title, body) = match action {
        ReviewAction::Accept { note: n } => {
            note = n;
            (
                InboxKind::ReviewOpinion,
                "复工申请已受理".to_string(),
                format!("受理回执编号 {receipt}。"),
            )
        }
        ReviewAction::Refuse { reasons } | ReviewAction::Reject { reasons } => {
            let (what, title) = if to == NotAccepted {
                ("不予受理理由", "复工申请不予受理")
            } else {
                ("不予通过理由", "复工申请不予通过")
            };
            nonempty(&reasons, what)?;
            let text = reasons.join("；");
            app.reasons = reasons;
            (
                InboxKind::ReviewOpinion,
                title.to_string(),
                format!("理由：{text}。回执编号 {receipt}。"),
            )
        }
        ReviewAction::StartReview => (
            InboxKind::ReviewOpinion,
            "复工申请进入审核".to_string(),
            format!("回执编号 {receipt}。"),
        ),
        ReviewAction::Return { items } => {
            if items.is_empty() || items.iter().any(|i| i.text.trim().is_empty()) {
                return Err(Error::invalid_field(
                    "补正通知须列明全部补正事项 / a correction notice lists every item to fix",
                ));
            }
            let text: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, x)| format!("{}. {}", i + 1, x.text))
                .collect();
            app.correction = Some(CorrectionNotice {
                receipt_no: receipt.clone(),
                issued_at: now.clone(),
                items,
            });
            (
                InboxKind::CorrectionNotice,
                "复工申请需补正材料".to_string(),
                format!(
                    "请一次补正以下事项：{}。通知编号 {receipt}。",
                    text.join(" ")
                ),
            )
        }
        ReviewAction::Approve { note: n } => {
            note = n;
            let cert = format!("BMD{}", &receipt[2..]);
            app.certificate_no = Some(cert.clone());
            (
                InboxKind::ReviewOpinion,
                "复工申请审核通过，已列入白名单".to_string(),
                format!("白名单编号 {cert}。"),
            )
        }
    };
    app.timeline.push(Transition {
        from: Some(app.state),
        to,
        at: now.clone(),
        actor: actor.into(),
        receipt_no: receipt,
        note,
    });
    app.state = to;
    app.updated_at = now;
    let owner = app.credit_code.clone();
    save(conn, &owner, &app).await?;
    inbox::push(conn, &owner, kind, title, body, ("application", &app.id)).await?;
    Ok(app)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReviewQuery {
    /// Only applications in this state.
    pub state: Option<ApplicationState>,
    /// The `next` of the previous page; absent for the first page.
    pub after: Option<String>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/review/applications", tag = "review", security(("bearer" = [])),
    params(ReviewQuery),
    responses((status = 200, description = "Applications to review, the longest unchanged first, a page at a time", body = ListPage<Application>),
              (status = 400, description = "CURSOR_INVALID, or a limit outside 1 to 500", body = yiqifu_protocol::ApiError),
              (status = 403, description = "Not a reviewer", body = yiqifu_protocol::ApiError)))]
pub async fn review_list(
    State(state): State<AppState>,
    _who: Reviewer,
    ApiQuery(q): ApiQuery<ReviewQuery>,
) -> Result<Json<ListPage<Application>>> {
    let list = crate::pages::Listed {
        table: "applications",
        key: "updated_at",
        owner: None,
        state: q.state.map(ApplicationState::as_str),
        order: crate::pages::Order::OldestFirst,
    };
    Ok(Json(
        crate::pages::read_as(&state.db, &list, q.after.as_deref(), q.limit).await?,
    ))
}

pub async fn list_all(
    conn: &mut Conn,
    filter: Option<ApplicationState>,
) -> Result<Vec<Application>> {
    crate::db::all_records(conn, "applications", filter.map(ApplicationState::as_str)).await
}

#[utoipa::path(post, path = "/api/v1/review/applications/{id}/actions", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = ReviewAction,
    responses((status = 200, description = "The application after the step", body = Application),
              (status = 409, description = "The workflow does not allow this step now", body = yiqifu_protocol::ApiError),
              (status = 422, description = "INVALID_FIELD: a correction notice without items, a reason empty or too long", body = yiqifu_protocol::ApiError)))]
pub async fn review_action(
    State(state): State<AppState>,
    who: Reviewer,
    Path(id): Path<String>,
    ApiJson(action): ApiJson<ReviewAction>,
) -> Result<Json<Application>> {
    let mut tx = crate::db::begin_write(&state.db).await?;
    let app = review(&mut tx, &id, action, &format!("reviewer:{}", who.username)).await?;
    tx.commit().await?;
    Ok(Json(app))
}
