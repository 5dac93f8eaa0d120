//! 诉求协调: requests for help, their two-way thread, response clock and rating.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use sqlx::SqliteConnection;
use yiqifu_protocol::{
    Appeal, AppealAction, AppealMessage, AppealState, ErrorCode, InboxKind, NewAppeal, NewMessage,
    Party, Rating,
};

use crate::auth::{Enterprise, Reviewer};
use crate::db::{new_id, now_rfc3339, now_unix, receipt_no, rfc3339};
use crate::error::{Error, Result};
use crate::extract::ApiJson;
use crate::uploads::{completed, APPEAL_ATTACHMENT};
use crate::{idempotency, inbox, AppState};

fn check_text(s: &str, max: usize, what: &str) -> Result<()> {
    let n = s.trim().chars().count();
    if n == 0 || n > max {
        return Err(Error::invalid_field(format!(
            "{what}应为 1 到 {max} 字 / {what} must be 1 to {max} characters"
        )));
    }
    Ok(())
}

async fn save(conn: &mut SqliteConnection, owner: &str, a: &Appeal) -> Result<()> {
    crate::db::save_record(conn, "appeals", &a.id, owner, a.state.as_str(), a).await
}

pub async fn load(
    conn: &mut SqliteConnection,
    id: &str,
    owner: Option<&str>,
) -> Result<(String, Appeal)> {
    crate::db::load_record(conn, "appeals", id, owner).await
}

fn transition_error(from: AppealState, to: AppealState) -> Error {
    Error::api(
        StatusCode::CONFLICT,
        ErrorCode::InvalidTransition,
        format!("诉求当前状态不允许此操作 / an appeal in state {from:?} cannot become {to:?}"),
    )
}

async fn create(state: &AppState, owner: &str, req: NewAppeal) -> Result<(StatusCode, Appeal)> {
    check_text(&req.title, 100, "标题")?;
    check_text(&req.description, 5000, "诉求内容")?;
    if req.attachments.len() > 5 {
        return Err(Error::invalid_field(
            "附件最多 5 个 / at most 5 attachments",
        ));
    }
    for id in &req.attachments {
        if completed(state, owner, id).await?.material_type != APPEAL_ATTACHMENT {
            return Err(Error::invalid_field(
                "附件须以诉求附件类型上传 / attachments must be uploaded as appeal_attachment",
            ));
        }
    }
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let now = now_unix();
    // The published calendar replaces this table in the next step; until then the one the
    // build carries.
    let cal = yiqifu_protocol::WorkCalendar::new(
        yiqifu_protocol::calendar::official_years().unwrap_or_default(),
    );
    let created =
        time::OffsetDateTime::from_unix_timestamp(now).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let (contact_due, reply_due) = yiqifu_protocol::due_times(&cal, req.category, created);
    let contact_by = rfc3339(contact_due.value.unix_timestamp());
    let reply_by = rfc3339(reply_due.value.unix_timestamp());
    let appeal = Appeal {
        id: new_id("apl"),
        receipt_no: receipt_no(&mut tx, "SQ-SU").await?,
        category: req.category,
        title: req.title.trim().into(),
        description: req.description.trim().into(),
        attachments: req.attachments,
        state: AppealState::Submitted,
        created_at: rfc3339(now),
        respond_by: reply_by.clone(),
        assigned_to: None,
        messages: vec![],
        rating: None,
        contact: req.contact,
        contact_by: Some(contact_by),
        reply_by: Some(reply_by),
        timeline: vec![],
        updated_at: None,
    };
    save(&mut tx, owner, &appeal).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, appeal))
}

#[utoipa::path(post, path = "/api/v1/appeals", tag = "appeals", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Retry key")),
    request_body = NewAppeal,
    responses((status = 201, description = "Filed", body = Appeal),
              (status = 422, description = "Invalid fields or attachments", body = yiqifu_protocol::ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    who: Enterprise,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    idempotency::create_once(
        &state,
        who.credit_code,
        &headers,
        body,
        |state, owner, req: NewAppeal| async move { create(&state, &owner, req).await },
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/appeals", tag = "appeals", security(("bearer" = [])),
    responses((status = 200, description = "The enterprise's appeals", body = Vec<Appeal>)))]
pub async fn list(State(state): State<AppState>, who: Enterprise) -> Result<Json<Vec<Appeal>>> {
    Ok(Json(
        crate::db::owned_records(&state.db, "appeals", &who.credit_code).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/appeals/{id}", tag = "appeals", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id")),
    responses((status = 200, description = "The appeal and its thread", body = Appeal),
              (status = 404, description = "No such appeal", body = yiqifu_protocol::ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
) -> Result<Json<Appeal>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(load(&mut conn, &id, Some(&who.credit_code)).await?.1))
}

#[utoipa::path(post, path = "/api/v1/appeals/{id}/messages", tag = "appeals", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id"), ("Idempotency-Key" = String, Header, description = "Retry key")),
    request_body = NewMessage,
    responses((status = 200, description = "The appeal with the message added", body = Appeal),
              (status = 409, description = "The appeal is closed", body = yiqifu_protocol::ApiError)))]
pub async fn message(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    idempotency::create_once(&state, who.credit_code, &headers, body, move |state, owner, req: NewMessage| async move {
        add_message(&state, &owner, &id, req).await
    })
    .await
}

async fn add_message(
    state: &AppState,
    who: &str,
    id: &str,
    req: NewMessage,
) -> Result<(StatusCode, Appeal)> {
    check_text(&req.body, 5000, "留言")?;
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let (owner, mut a) = load(&mut tx, id, Some(who)).await?;
    if a.state == AppealState::Closed {
        return Err(transition_error(a.state, a.state));
    }
    a.messages.push(AppealMessage {
        from: Party::Enterprise,
        body: req.body.trim().into(),
        at: now_rfc3339(),
    });
    save(&mut tx, &owner, &a).await?;
    tx.commit().await?;
    Ok((StatusCode::OK, a))
}

#[utoipa::path(post, path = "/api/v1/appeals/{id}/rating", tag = "appeals", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id")),
    request_body = Rating,
    responses((status = 200, description = "Rated", body = Appeal),
              (status = 409, description = "Not answered yet, or already rated", body = yiqifu_protocol::ApiError)))]
pub async fn rate(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<Rating>,
) -> Result<Json<Appeal>> {
    if !(1..=5).contains(&req.score) {
        return Err(Error::invalid_field(
            "评分应为 1 到 5 / score must be 1 to 5",
        ));
    }
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let (owner, mut a) = load(&mut tx, &id, Some(&who.credit_code)).await?;
    let answered = a.messages.iter().any(|m| m.from == Party::Authority);
    if !answered || a.rating.is_some() {
        return Err(Error::api(
            StatusCode::CONFLICT,
            ErrorCode::InvalidTransition,
            "答复后才能评价，且只能评价一次 / rate once, after the reply",
        ));
    }
    a.rating = Some(req);
    save(&mut tx, &owner, &a).await?;
    tx.commit().await?;
    Ok(Json(a))
}

/// One authority step on an appeal, for the API and the CLI alike.
pub async fn act(
    conn: &mut SqliteConnection,
    id: &str,
    action: AppealAction,
    actor: &str,
) -> Result<Appeal> {
    let (owner, mut a) = load(conn, id, None).await?;
    let to = match &action {
        AppealAction::Accept => AppealState::Accepted,
        AppealAction::Assign { .. } => AppealState::Assigned,
        AppealAction::Reply { .. } => AppealState::Replied,
        AppealAction::Close => AppealState::Closed,
    };
    if !a.state.can_become(to) {
        return Err(transition_error(a.state, to));
    }
    match action {
        AppealAction::Assign { to } => {
            let to = if to.trim().is_empty() {
                actor.to_string()
            } else {
                to
            };
            check_text(&to, 100, "承办人")?;
            a.assigned_to = Some(to);
        }
        AppealAction::Reply { body } => {
            check_text(&body, 5000, "答复")?;
            a.messages.push(AppealMessage {
                from: Party::Authority,
                body: body.trim().into(),
                at: now_rfc3339(),
            });
            inbox::push(
                conn,
                &owner,
                InboxKind::AppealReply,
                format!("诉求“{}”已答复", a.title),
                body.trim().into(),
                ("appeal", &a.id),
            )
            .await?;
        }
        AppealAction::Accept | AppealAction::Close => {}
    }
    a.state = to;
    save(conn, &owner, &a).await?;
    Ok(a)
}

#[utoipa::path(get, path = "/api/v1/review/appeals", tag = "review", security(("bearer" = [])),
    responses((status = 200, description = "All appeals, oldest first", body = Vec<Appeal>)))]
pub async fn review_list(
    State(state): State<AppState>,
    _who: Reviewer,
) -> Result<Json<Vec<Appeal>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(list_all(&mut conn).await?))
}

pub async fn list_all(conn: &mut SqliteConnection) -> Result<Vec<Appeal>> {
    crate::db::all_records(conn, "appeals", None).await
}

#[utoipa::path(post, path = "/api/v1/review/appeals/{id}/actions", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id")),
    request_body = AppealAction,
    responses((status = 200, description = "The appeal after the step", body = Appeal),
              (status = 409, description = "Not allowed in the appeal's state", body = yiqifu_protocol::ApiError)))]
pub async fn review_action(
    State(state): State<AppState>,
    who: Reviewer,
    Path(id): Path<String>,
    ApiJson(action): ApiJson<AppealAction>,
) -> Result<Json<Appeal>> {
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let a = act(&mut tx, &id, action, &who.username).await?;
    tx.commit().await?;
    Ok(Json(a))
}
