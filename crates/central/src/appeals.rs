//! 诉求协调: requests for help, their two-way thread, response clock and rating.
//!
//! An enterprise's appeals are a change feed of its own (`GET /appeals`): every save takes
//! the next seq of its owner, so a client pulls the authority's steps and replies like any
//! other feed. Deadlines come from the published working-day calendar.

use crate::db::Conn;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use time::OffsetDateTime;
use yiqifu_protocol::calendar::china_today;
use yiqifu_protocol::{
    due_times, Appeal, AppealAction, AppealMessage, AppealState, AppealStep, ErrorCode, FeedPage,
    InboxKind, ListPage, NewAppeal, NewMessage, Party, Rating, LIMITS,
};

use crate::auth::{Enterprise, Reviewer};
use crate::catalog::{
    after_cursor, assemble, check_limit, conditional, etag, owner_feed, work_calendar, FeedQuery,
};
use crate::db::{format_time, new_id, receipt_no_on};
use crate::error::{Error, Result};
use crate::extract::{ApiBytes, ApiJson, ApiQuery};
use crate::inbox::{self, Notice};
use crate::uploads::{completed, APPEAL_ATTACHMENT};
use crate::{idempotency, AppState};

/// The actor of the filing step.
pub const ENTERPRISE_ACTOR: &str = "enterprise";

/// Saves an appeal as the newest change of its owner's feed.
/// The body keeps everything but the thread, whose messages are rows of their own: a
/// message appends its row (messages are never edited), so a long thread is not written
/// again with each new one.
async fn save(conn: &mut Conn, owner: &str, a: &Appeal) -> Result<()> {
    let (stored,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM appeal_messages WHERE appeal_id = $1")
            .bind(&a.id)
            .fetch_one(&mut *conn)
            .await?;
    let header = Appeal {
        messages: Vec::new(),
        ..a.clone()
    };
    sqlx::query(
        "INSERT INTO appeals (id, owner, state, body, updated_at, seq)
         VALUES ($1, $2, $3, $4, $5,
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM appeals WHERE owner = $2))
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body,
             updated_at = excluded.updated_at, seq = excluded.seq",
    )
    .bind(&a.id)
    .bind(owner)
    .bind(a.state.as_str())
    .bind(serde_json::to_string(&header)?)
    .bind(crate::db::now_unix())
    .execute(&mut *conn)
    .await?;
    let from = usize::try_from(stored).unwrap_or(0);
    for (n, m) in a.messages.iter().enumerate().skip(from) {
        sqlx::query(
            "INSERT INTO appeal_messages (appeal_id, n, party, body, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&a.id)
        .bind(i64::try_from(n).unwrap_or(i64::MAX))
        .bind(match m.from {
            Party::Enterprise => "enterprise",
            Party::Authority => "authority",
        })
        .bind(&m.body)
        .bind(&m.at)
        .execute(&mut *conn)
        .await?;
    }
    crate::uploads::mark_used(conn, owner, a.attachments.clone()).await
}

/// Puts each appeal's thread back from its rows, with one query for all of them (a feed
/// page holds up to 500 appeals).
async fn with_threads(conn: &mut Conn, appeals: &mut [Appeal]) -> Result<()> {
    if appeals.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(&appeals.iter().map(|a| &a.id).collect::<Vec<_>>())?;
    let ids_of = match crate::db::Backend::of(conn) {
        crate::db::Backend::Sqlite => "SELECT value FROM json_each($1)",
        crate::db::Backend::Postgres => "SELECT jsonb_array_elements_text(CAST($1 AS jsonb))",
    };
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT appeal_id, party, body, at FROM appeal_messages
          WHERE appeal_id IN ({ids_of}) ORDER BY appeal_id, n"
    ))
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut threads: std::collections::HashMap<String, Vec<AppealMessage>> =
        std::collections::HashMap::new();
    for (id, party, body, at) in rows {
        threads.entry(id).or_default().push(AppealMessage {
            from: if party == "authority" {
                Party::Authority
            } else {
                Party::Enterprise
            },
            body,
            at,
        });
    }
    for a in appeals {
        a.messages = threads.remove(&a.id).unwrap_or_default();
    }
    Ok(())
}

pub async fn load(conn: &mut Conn, id: &str, owner: Option<&str>) -> Result<(String, Appeal)> {
    let (owner, mut a) = crate::db::load_record(conn, "appeals", id, owner).await?;
    with_threads(conn, std::slice::from_mut(&mut a)).await?;
    Ok((owner, a))
}

fn transition_error(from: AppealState, to: AppealState) -> Error {
    Error::api(
        StatusCode::CONFLICT,
        ErrorCode::InvalidTransition,
        format!(
            "诉求当前状态（{}）不允许此操作 / an appeal in state {} cannot become {}",
            from.as_str(),
            from.as_str(),
            to.as_str()
        ),
    )
}

async fn create(state: &AppState, owner: &str, req: NewAppeal) -> Result<(StatusCode, Appeal)> {
    Error::refuse(req.problems())?;
    for id in &req.attachments {
        if completed(state, owner, id).await?.material_type != APPEAL_ATTACHMENT {
            return Err(Error::invalid_field(
                "attachments: 附件须以“诉求附件”类型上传 / attachments must be uploaded as appeal_attachment",
            ));
        }
    }
    let mut tx = crate::db::begin_write(&state.db).await?;
    let appeal = create_at(&mut tx, owner, req, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, appeal))
}

/// Files an appeal as of `now`, inside the caller's transaction: its receipt, its deadlines
/// by the published calendar, the first step of its timeline. The caller has checked the
/// request (the seed files appeals in the past through here).
pub async fn create_at(
    conn: &mut Conn,
    owner: &str,
    req: NewAppeal,
    now: OffsetDateTime,
) -> Result<Appeal> {
    let cal = work_calendar(conn).await?;
    let (contact_by, reply_by) = due_times(&cal, req.category, now);
    let at = format_time(now);
    let appeal = Appeal {
        id: new_id("apl"),
        receipt_no: receipt_no_on(conn, "SQ-SU", china_today(now)).await?,
        category: req.category,
        title: req.title.trim().into(),
        description: req.description.trim().into(),
        attachments: req.attachments,
        state: AppealState::Submitted,
        created_at: at.clone(),
        respond_by: format_time(reply_by.value),
        assigned_to: None,
        messages: vec![],
        rating: None,
        contact: req.contact.map(|c| yiqifu_protocol::AppealContact {
            name: c.name.trim().into(),
            phone: c.phone.trim().into(),
        }),
        contact_by: Some(format_time(contact_by.value)),
        reply_by: Some(format_time(reply_by.value)),
        timeline: vec![AppealStep {
            to: AppealState::Submitted,
            at: at.clone(),
            actor: ENTERPRISE_ACTOR.into(),
        }],
        updated_at: Some(at),
    };
    save(conn, owner, &appeal).await?;
    Ok(appeal)
}

#[utoipa::path(post, path = "/api/v1/appeals", tag = "appeals", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Retry key")),
    request_body = NewAppeal,
    responses((status = 201, description = "Filed, with its deadlines by the working-day calendar", body = Appeal),
              (status = 422, description = "INVALID_FIELD naming every bad field (\"field: zh / en\", joined with \"；\"), or attachments that are not completed appeal attachments", body = yiqifu_protocol::ApiError)))]
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
        |state, owner, req: NewAppeal| async move { create(&state, &owner, req).await },
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/appeals", tag = "appeals", security(("bearer" = [])),
    params(FeedQuery),
    responses((status = 200, description = "The enterprise's appeals changed since the cursor, oldest change first (never `removed`: appeals are not deleted)", body = FeedPage<Appeal>),
              (status = 304, description = "Unchanged since the If-None-Match ETag"),
              (status = 400, description = "CURSOR_INVALID or a bad limit", body = yiqifu_protocol::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    who: Enterprise,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<Response> {
    let limit = check_limit(q.limit)?;
    let mut conn = state.db.acquire().await?;
    let owner = &who.credit_code;
    let (head,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM appeals WHERE owner = $1")
            .bind(owner)
            .fetch_one(&mut *conn)
            .await?;
    let after = after_cursor(&q, head)?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT seq, body FROM appeals WHERE owner = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(owner)
    .bind(after)
    .bind(i64::from(limit) + 1)
    .fetch_all(&mut *conn)
    .await?;
    let mut appeals = rows
        .iter()
        .map(|(_, body)| Ok(serde_json::from_str::<Appeal>(body)?))
        .collect::<Result<Vec<_>>>()?;
    with_threads(&mut conn, &mut appeals).await?;
    let rows = rows
        .iter()
        .zip(appeals)
        .map(|((seq, _), a)| (*seq, Ok(a)))
        .collect::<Vec<_>>();
    let page = assemble(rows, after, head, limit);
    let tag = etag(&owner_feed("appeals", owner), head);
    Ok(conditional(&headers, tag, page, head))
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
              (status = 409, description = "The appeal is closed", body = yiqifu_protocol::ApiError),
              (status = 422, description = "INVALID_FIELD `body`: empty, too long, or the appeal already has the 100 enterprise messages it takes", body = yiqifu_protocol::ApiError)))]
pub async fn message(
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
        move |state, owner, req: NewMessage| async move {
            add_message(&state, &owner, &id, req, OffsetDateTime::now_utc()).await
        },
    )
    .await
}

/// The enterprise's own message on its appeal, as of `now`.
pub async fn add_message(
    state: &AppState,
    who: &str,
    id: &str,
    req: NewMessage,
    now: OffsetDateTime,
) -> Result<(StatusCode, Appeal)> {
    Error::refuse(req.problems())?;
    let mut tx = crate::db::begin_write(&state.db).await?;
    let a = enterprise_message(&mut tx, who, id, req, now).await?;
    tx.commit().await?;
    Ok((StatusCode::OK, a))
}

async fn enterprise_message(
    conn: &mut Conn,
    who: &str,
    id: &str,
    req: NewMessage,
    now: OffsetDateTime,
) -> Result<Appeal> {
    let (owner, mut a) = load(conn, id, Some(who)).await?;
    if a.state == AppealState::Closed {
        return Err(transition_error(a.state, a.state));
    }
    let sent = a
        .messages
        .iter()
        .filter(|m| m.from == Party::Enterprise)
        .count();
    Error::refuse(yiqifu_protocol::limits::thread_problems(sent))?;
    let at = format_time(now);
    a.messages.push(AppealMessage {
        from: Party::Enterprise,
        body: req.body.trim().into(),
        at: at.clone(),
    });
    a.updated_at = Some(at);
    save(conn, &owner, &a).await?;
    Ok(a)
}

#[utoipa::path(post, path = "/api/v1/appeals/{id}/rating", tag = "appeals", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id"), ("Idempotency-Key" = String, Header, description = "Retry key: a retry after a lost answer gets the first answer again")),
    request_body = Rating,
    responses((status = 200, description = "Rated", body = Appeal),
              (status = 409, description = "Not answered yet, or already rated", body = yiqifu_protocol::ApiError),
              (status = 422, description = "INVALID_FIELD `score` or `comment`", body = yiqifu_protocol::ApiError)))]
pub async fn rate(
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
        move |state, owner, req: Rating| async move {
            Error::refuse(req.problems())?;
            let mut tx = crate::db::begin_write(&state.db).await?;
            let a = rate_in(&mut tx, &owner, &id, req, OffsetDateTime::now_utc()).await?;
            tx.commit().await?;
            Ok((StatusCode::OK, a))
        },
    )
    .await
}

/// Rates an appeal once, after the authority's first reply.
pub async fn rate_in(
    conn: &mut Conn,
    who: &str,
    id: &str,
    req: Rating,
    now: OffsetDateTime,
) -> Result<Appeal> {
    let (owner, mut a) = load(conn, id, Some(who)).await?;
    let answered = a.messages.iter().any(|m| m.from == Party::Authority);
    if !answered || a.rating.is_some() {
        return Err(Error::api(
            StatusCode::CONFLICT,
            ErrorCode::InvalidTransition,
            "答复后才能评价，且只能评价一次 / rate once, after the reply",
        ));
    }
    a.rating = Some(Rating {
        score: req.score,
        comment: req
            .comment
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
    });
    a.updated_at = Some(format_time(now));
    save(conn, &owner, &a).await?;
    Ok(a)
}

/// One authority step on an appeal, for the API and the CLI alike.
pub async fn act(conn: &mut Conn, id: &str, action: AppealAction, actor: &str) -> Result<Appeal> {
    act_at(conn, id, action, actor, OffsetDateTime::now_utc()).await
}

/// [`act`] as of `now`: the step joins the timeline; a reply joins the thread and the
/// enterprise's inbox.
pub async fn act_at(
    conn: &mut Conn,
    id: &str,
    action: AppealAction,
    actor: &str,
    now: OffsetDateTime,
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
    let at = format_time(now);
    match action {
        AppealAction::Assign { to } => {
            let to = if to.trim().is_empty() {
                actor.to_string()
            } else {
                to.trim().to_string()
            };
            let n = yiqifu_protocol::limits::chars(&to);
            if n > LIMITS.assignee {
                return Err(Error::invalid_field(format!(
                    "to: 承办人最多 {max} 字，现有 {n} 字 / the assignee is limited to {max} characters (it has {n})",
                    max = LIMITS.assignee
                )));
            }
            a.assigned_to = Some(to);
        }
        AppealAction::Reply { body } => {
            Error::refuse(NewMessage { body: body.clone() }.problems())?;
            a.messages.push(AppealMessage {
                from: Party::Authority,
                body: body.trim().into(),
                at: at.clone(),
            });
            let notice = Notice {
                kind: InboxKind::AppealReply,
                title: format!("诉求“{}”已答复", a.title),
                body: body.trim().into(),
                about: ("appeal", &a.id),
                related_id: None,
                at: at.clone(),
            };
            inbox::send(conn, &owner, notice).await?;
        }
        AppealAction::Accept | AppealAction::Close => {}
    }
    a.state = to;
    a.timeline.push(AppealStep {
        to,
        at: at.clone(),
        actor: actor.into(),
    });
    a.updated_at = Some(at);
    save(conn, &owner, &a).await?;
    Ok(a)
}

/// The enterprise's own follow-up, as the seed writes it into a thread.
pub async fn follow_up_at(
    conn: &mut Conn,
    owner: &str,
    id: &str,
    body: &str,
    now: OffsetDateTime,
) -> Result<Appeal> {
    let req = NewMessage { body: body.into() };
    Error::refuse(req.problems())?;
    enterprise_message(conn, owner, id, req, now).await
}

#[utoipa::path(get, path = "/api/v1/review/appeals", tag = "review", security(("bearer" = [])),
    params(crate::pages::PageQuery),
    responses((status = 200, description = "All appeals, the longest unchanged first, a page at a time", body = ListPage<Appeal>),
              (status = 400, description = "CURSOR_INVALID, or a limit outside 1 to 500", body = yiqifu_protocol::ApiError)))]
pub async fn review_list(
    State(state): State<AppState>,
    _who: Reviewer,
    ApiQuery(q): ApiQuery<crate::pages::PageQuery>,
) -> Result<Json<ListPage<Appeal>>> {
    let list = crate::pages::Listed {
        table: "appeals",
        key: "updated_at",
        owner: None,
        state: None,
        order: crate::pages::Order::OldestFirst,
    };
    let mut page: ListPage<Appeal> =
        crate::pages::read_as(&state.db, &list, q.after.as_deref(), q.limit).await?;
    let mut conn = state.db.acquire().await?;
    with_threads(&mut conn, &mut page.items).await?;
    Ok(Json(page))
}

pub async fn list_all(conn: &mut Conn) -> Result<Vec<Appeal>> {
    let mut all = crate::db::all_records(conn, "appeals", None).await?;
    with_threads(conn, &mut all).await?;
    Ok(all)
}

#[utoipa::path(post, path = "/api/v1/review/appeals/{id}/actions", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appeal id")),
    request_body = AppealAction,
    responses((status = 200, description = "The appeal after the step", body = Appeal),
              (status = 409, description = "Not allowed in the appeal's state", body = yiqifu_protocol::ApiError),
              (status = 422, description = "INVALID_FIELD: a reply that is empty or too long, an assignee name too long", body = yiqifu_protocol::ApiError)))]
pub async fn review_action(
    State(state): State<AppState>,
    who: Reviewer,
    Path(id): Path<String>,
    ApiJson(action): ApiJson<AppealAction>,
) -> Result<Json<Appeal>> {
    let mut tx = crate::db::begin_write(&state.db).await?;
    let actor = format!("reviewer:{}", who.username);
    let a = act(&mut tx, &id, action, &actor).await?;
    tx.commit().await?;
    Ok(Json(a))
}
