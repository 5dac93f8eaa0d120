//! 供需对接: supply and demand listings, and suggested matches between them.
//!
//! The market is one change feed (`GET /listings`): every post, edit, withdrawal and expiry
//! takes the next seq, live listings arrive as items and the others as tombstones, and the
//! client browses and filters its copy offline. Matching is the protocol's, so the client
//! suggests the same matches without the network.

mod store;

use crate::db::Conn;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use time::OffsetDateTime;
use yiqifu_protocol::calendar::china_today;
use yiqifu_protocol::{
    ErrorCode, FeedPage, ListPage, Listing, ListingMatch, ListingState, NewListing,
};

use crate::auth::Enterprise;
use crate::catalog::{
    after_cursor, assemble, check_limit, conditional, etag, owner_feed, FeedQuery,
};
use crate::db::format_time;
use crate::error::{Error, Result};
use crate::extract::{ApiBytes, ApiJson, ApiQuery};
use crate::{idempotency, AppState};

pub use store::{expire_due, expire_in, Stored, TOLD_MATCHES};

/// Trims what the officer typed; an empty note is no note.
fn clean(l: NewListing) -> NewListing {
    NewListing {
        item: l.item.trim().into(),
        unit: l.unit.trim().into(),
        contact_name: l.contact_name.trim().into(),
        contact_phone: l.contact_phone.trim().into(),
        note: l
            .note
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        ..l
    }
}

fn check(l: &NewListing, now: OffsetDateTime) -> Result<()> {
    Error::refuse(l.problems(china_today(now)))
}

/// Posts a listing as of `now` inside the caller's transaction, and tells both sides of its
/// best matches. The caller has checked it (the seed posts listings in the past).
pub async fn post_at(
    conn: &mut Conn,
    owner: &str,
    req: NewListing,
    now: OffsetDateTime,
) -> Result<Listing> {
    let listing = Listing {
        id: crate::db::new_id("lst"),
        enterprise_name: store::enterprise_name(conn, owner).await?,
        mine: true,
        state: ListingState::Active,
        created_at: format_time(now),
        updated_at: None,
        details: clean(req),
    };
    store::save(conn, owner, &listing, now.unix_timestamp()).await?;
    store::tell_matches(conn, owner, &listing, now).await?;
    Ok(listing)
}

async fn create(state: &AppState, owner: &str, req: NewListing) -> Result<(StatusCode, Listing)> {
    let now = OffsetDateTime::now_utc();
    check(&req, now)?;
    let mut tx = crate::db::begin_write(&state.db).await?;
    let listing = post_at(&mut tx, owner, req, now).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, listing))
}

#[utoipa::path(post, path = "/api/v1/listings", tag = "listings", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Retry key")),
    request_body = NewListing,
    responses((status = 201, description = "Posted; both sides of its best matches are told in their inboxes", body = Listing),
              (status = 422, description = "INVALID_FIELD naming every bad field (\"field: zh / en\", joined with \"；\")", body = yiqifu_protocol::ApiError)))]
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
        |state, owner, req: NewListing| async move { create(&state, &owner, req).await },
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/listings", tag = "listings", security(("bearer" = [])),
    params(FeedQuery),
    responses((status = 200, description = "The market's changes since the cursor, oldest first: active, valid listings as items (`mine` for the caller's own), withdrawn and expired ones in `removed`", body = FeedPage<Listing>),
              (status = 304, description = "Unchanged since the If-None-Match ETag"),
              (status = 400, description = "CURSOR_INVALID or a bad limit", body = yiqifu_protocol::ApiError)))]
pub async fn browse(
    State(state): State<AppState>,
    who: Enterprise,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<Response> {
    let limit = check_limit(q.limit)?;
    expire_due(&state.db, OffsetDateTime::now_utc()).await?;
    let mut conn = state.db.acquire().await?;
    let (head,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM listings")
        .fetch_one(&mut *conn)
        .await?;
    let after = after_cursor(&q, head)?;
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT seq, id, owner, state, body FROM listings WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(i64::from(limit) + 1)
    .fetch_all(&mut *conn)
    .await?;
    let me = &who.credit_code;
    let rows = rows
        .into_iter()
        .map(|(seq, id, owner, state, body)| {
            if state != ListingState::Active.as_str() {
                return Ok((seq, Err(id)));
            }
            let listing: Listing = serde_json::from_str(&body)?;
            Ok((seq, Ok(store::view(Stored { owner, listing }, me))))
        })
        .collect::<Result<Vec<_>>>()?;
    let page = assemble(rows, after, head, limit);
    // `mine` differs per caller, so the validator does too.
    let tag = etag(&owner_feed("listings", me), head);
    Ok(conditional(&headers, tag, page, head))
}

#[utoipa::path(get, path = "/api/v1/listings/mine", tag = "listings", security(("bearer" = [])),
    params(crate::pages::PageQuery),
    responses((status = 200, description = "The caller's own listings in every state (active, withdrawn, expired), the newest first, a page at a time", body = ListPage<Listing>),
              (status = 400, description = "CURSOR_INVALID, or a limit outside 1 to 500", body = yiqifu_protocol::ApiError)))]
pub async fn mine(
    State(state): State<AppState>,
    who: Enterprise,
    ApiQuery(q): ApiQuery<crate::pages::PageQuery>,
) -> Result<Json<ListPage<Listing>>> {
    expire_due(&state.db, OffsetDateTime::now_utc()).await?;
    let list = crate::pages::Listed {
        table: "listings",
        key: "created_at",
        owner: Some(&who.credit_code),
        state: None,
        order: crate::pages::Order::NewestFirst,
    };
    let page = crate::pages::read(&state.db, &list, q.after.as_deref(), q.limit).await?;
    Ok(Json(ListPage {
        items: store::decode(page.items)?
            .into_iter()
            .map(|s| store::view(s, &who.credit_code))
            .collect(),
        next: page.next,
    }))
}

#[utoipa::path(put, path = "/api/v1/listings/{id}", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "One of your listings")),
    request_body = NewListing,
    responses((status = 200, description = "Edited: a new change of the feed; new matches are told, pairs already told are not", body = Listing),
              (status = 404, description = "No such listing of yours", body = yiqifu_protocol::ApiError),
              (status = 409, description = "INVALID_TRANSITION: withdrawn or expired listings cannot be edited", body = yiqifu_protocol::ApiError),
              (status = 422, description = "INVALID_FIELD naming every bad field; `kind` cannot change", body = yiqifu_protocol::ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<NewListing>,
) -> Result<Json<Listing>> {
    let now = OffsetDateTime::now_utc();
    let mut tx = crate::db::begin_write(&state.db).await?;
    // Expire first: a listing past its date is over, not revived by a later date.
    expire_in(&mut tx, now).await?;
    let owner = &who.credit_code;
    let mut l = store::own(&mut tx, &id, owner).await?;
    if l.state != ListingState::Active {
        return Err(Error::api(
            StatusCode::CONFLICT,
            ErrorCode::InvalidTransition,
            format!(
                "已{}的对接信息不能修改，请重新发布 / a {} listing cannot be edited: post a new one",
                if l.state == ListingState::Withdrawn { "撤回" } else { "过期" },
                l.state.as_str()
            ),
        ));
    }
    let mut problems = req.problems(china_today(now));
    if req.kind != l.details.kind {
        problems.insert(
            0,
            yiqifu_protocol::FieldProblem {
                field: "kind".into(),
                zh: "供需类型不能修改，如需改为另一类请撤回后重新发布".into(),
                en: "Supply or demand cannot change: withdraw this listing and post a new one"
                    .into(),
            },
        );
    }
    if !problems.is_empty() {
        return Err(Error::invalid_fields(&problems));
    }
    l.details = clean(req);
    l.updated_at = Some(format_time(now));
    store::save(&mut tx, owner, &l, now.unix_timestamp()).await?;
    store::tell_matches(&mut tx, owner, &l, now).await?;
    tx.commit().await?;
    Ok(Json(l))
}

/// Withdraws one of `owner`'s listings as of `now`; a listing already over is left as it is.
pub async fn withdraw_at(
    conn: &mut Conn,
    owner: &str,
    id: &str,
    now: OffsetDateTime,
) -> Result<Listing> {
    let mut l = store::own(conn, id, owner).await?;
    if l.state == ListingState::Active {
        l.state = ListingState::Withdrawn;
        l.updated_at = Some(format_time(now));
        store::save(conn, owner, &l, now.unix_timestamp()).await?;
    }
    Ok(l)
}

#[utoipa::path(post, path = "/api/v1/listings/{id}/withdraw", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "Listing id")),
    responses((status = 200, description = "Withdrawn (a listing already withdrawn or expired is answered as it is)", body = Listing),
              (status = 404, description = "No such listing of yours", body = yiqifu_protocol::ApiError)))]
pub async fn withdraw(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
) -> Result<Json<Listing>> {
    let mut tx = crate::db::begin_write(&state.db).await?;
    let l = withdraw_at(&mut tx, &who.credit_code, &id, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Json(l))
}

#[utoipa::path(get, path = "/api/v1/listings/{id}/matches", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "One of your listings")),
    responses((status = 200, description = "Suggested counterparts, best first, each with its reasons", body = Vec<ListingMatch>),
              (status = 404, description = "No such listing of yours", body = yiqifu_protocol::ApiError)))]
pub async fn matches(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
) -> Result<Json<Vec<ListingMatch>>> {
    let now = OffsetDateTime::now_utc();
    expire_due(&state.db, now).await?;
    let mut conn = state.db.acquire().await?;
    let l = store::own(&mut conn, &id, &who.credit_code).await?;
    Ok(Json(
        store::matches_of(&mut conn, &who.credit_code, &l, now)
            .await?
            .into_iter()
            .map(|(_, m)| m)
            .collect(),
    ))
}
