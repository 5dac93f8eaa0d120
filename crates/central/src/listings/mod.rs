//! 供需对接: supply and demand listings, and suggested matches between them.

use std::collections::HashSet;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use sqlx::SqliteConnection;
use yiqifu_protocol::{
    InboxKind, Listing, ListingCategory, ListingKind, ListingMatch, ListingState, NewListing,
};

use crate::auth::Enterprise;
use crate::db::{new_id, now_rfc3339, now_unix};
use crate::error::{Error, Result};
use crate::extract::ApiQuery;
use crate::{idempotency, inbox, AppState};

/// Matches scoring below this are not suggested.
pub const MATCH_THRESHOLD: f64 = 0.3;

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

fn check(l: &NewListing) -> Result<()> {
    let item = l.item.trim().chars().count();
    if item == 0 || item > 100 {
        return Err(Error::invalid_field(
            "物品名称应为 1 到 100 字 / item must be 1 to 100 characters",
        ));
    }
    if !(l.quantity.is_finite() && l.quantity > 0.0 && l.quantity < 1e12) {
        return Err(Error::invalid_field(
            "数量应为正数 / quantity must be a positive number",
        ));
    }
    if l.unit.trim().is_empty() || l.unit.chars().count() > 20 {
        return Err(Error::invalid_field(
            "单位应为 1 到 20 字 / unit must be 1 to 20 characters",
        ));
    }
    if !crate::seed::DISTRICTS.contains(&l.district.as_str()) {
        return Err(Error::invalid_field(
            "区应为上海 16 个区之一 / district must be one of Shanghai's 16 districts",
        ));
    }
    let date_ok = time::Date::parse(
        &l.valid_until,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .is_ok();
    if !date_ok || l.valid_until < today() {
        return Err(Error::invalid_field(
            "有效期应为今天或之后的日期（YYYY-MM-DD） / valid_until must be a date from today on",
        ));
    }
    if l.contact_name.trim().is_empty() || l.contact_phone.trim().len() < 5 {
        return Err(Error::invalid_field(
            "请填写联系人和联系电话 / contact_name and contact_phone are required",
        ));
    }
    Ok(())
}

fn bigrams(s: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() == 1 {
        return HashSet::from([(chars[0], chars[0])]);
    }
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// How well a supply fits a demand: item names (character bigrams) and quantities.
pub fn score(a: &NewListing, b: &NewListing) -> f64 {
    let (x, y) = (bigrams(&a.item), bigrams(&b.item));
    let union = x.union(&y).count();
    let names = if union == 0 {
        0.0
    } else {
        x.intersection(&y).count() as f64 / union as f64
    };
    let qty = a.quantity.min(b.quantity) / a.quantity.max(b.quantity);
    let same_unit = if a.unit.trim() == b.unit.trim() {
        1.0
    } else {
        0.5
    };
    0.7 * names + 0.3 * qty * same_unit
}

fn kind_str(k: ListingKind) -> &'static str {
    match k {
        ListingKind::Supply => "supply",
        ListingKind::Demand => "demand",
    }
}

fn category_str(c: ListingCategory) -> &'static str {
    match c {
        ListingCategory::Supplies => "supplies",
        ListingCategory::Materials => "materials",
        ListingCategory::Logistics => "logistics",
        ListingCategory::Staff => "staff",
    }
}

struct Stored {
    owner: String,
    listing: Listing,
}

/// Whose listings to read.
#[derive(Clone, Copy)]
enum Owners<'a> {
    All,
    Only(&'a str),
    AllBut(&'a str),
}

async fn load_where(
    conn: &mut SqliteConnection,
    kind: Option<ListingKind>,
    category: Option<ListingCategory>,
    only_active: bool,
    owners: Owners<'_>,
) -> Result<Vec<Stored>> {
    let (only, but) = match owners {
        Owners::All => (None, None),
        Owners::Only(o) => (Some(o), None),
        Owners::AllBut(o) => (None, Some(o)),
    };
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT owner, body FROM listings
         WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR category = ?2)
           AND (?3 = 0 OR state = 'active')
           AND (?4 IS NULL OR owner = ?4) AND (?5 IS NULL OR owner <> ?5)
         ORDER BY created_at DESC, id",
    )
    .bind(kind.map(kind_str))
    .bind(category.map(category_str))
    .bind(only_active)
    .bind(only)
    .bind(but)
    .fetch_all(conn)
    .await?;
    let today = today();
    let mut out = Vec::new();
    for (owner, body) in rows {
        let listing: Listing = serde_json::from_str(&body)?;
        if only_active && listing.details.valid_until < today {
            continue;
        }
        out.push(Stored { owner, listing });
    }
    Ok(out)
}

fn view(s: Stored, me: &str) -> Listing {
    let mut l = s.listing;
    l.mine = s.owner == me;
    l
}

async fn matches_for(
    conn: &mut SqliteConnection,
    owner: &str,
    l: &Listing,
) -> Result<Vec<(String, ListingMatch)>> {
    let other = match l.details.kind {
        ListingKind::Supply => ListingKind::Demand,
        ListingKind::Demand => ListingKind::Supply,
    };
    let mut out: Vec<(String, ListingMatch)> = load_where(
        conn,
        Some(other),
        Some(l.details.category),
        true,
        Owners::AllBut(owner),
    )
    .await?
    .into_iter()
    .map(|s| {
        let sc = score(&l.details, &s.listing.details);
        let o = s.owner.clone();
        (
            o,
            ListingMatch {
                listing: view(s, owner),
                score: sc,
                reasons: vec![],
            },
        )
    })
    .filter(|(_, m)| m.score >= MATCH_THRESHOLD)
    .collect();
    out.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    Ok(out)
}

async fn create(state: &AppState, owner: &str, req: NewListing) -> Result<(StatusCode, Listing)> {
    check(&req)?;
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let (name,): (String,) = sqlx::query_as("SELECT name FROM enterprises WHERE credit_code = ?")
        .bind(owner)
        .fetch_one(&mut *tx)
        .await?;
    let listing = Listing {
        id: new_id("lst"),
        enterprise_name: name,
        mine: true,
        state: ListingState::Active,
        created_at: now_rfc3339(),
        updated_at: None,
        details: NewListing {
            item: req.item.trim().into(),
            ..req
        },
    };
    sqlx::query(
        "INSERT INTO listings (id, owner, kind, category, state, body, created_at)
         VALUES (?, ?, ?, ?, 'active', ?, ?)",
    )
    .bind(&listing.id)
    .bind(owner)
    .bind(kind_str(listing.details.kind))
    .bind(category_str(listing.details.category))
    .bind(serde_json::to_string(&listing)?)
    .bind(now_unix())
    .execute(&mut *tx)
    .await?;
    // Tell both sides of the best few matches.
    for (other_owner, m) in matches_for(&mut tx, owner, &listing)
        .await?
        .into_iter()
        .take(3)
    {
        let pct = (m.score * 100.0).round();
        inbox::push(
            &mut tx,
            owner,
            InboxKind::ListingMatch,
            format!("“{}”有匹配的对接信息", listing.details.item),
            format!(
                "{}：{}（匹配度 {pct}%）",
                m.listing.enterprise_name, m.listing.details.item
            ),
            ("listing", &m.listing.id),
        )
        .await?;
        inbox::push(
            &mut tx,
            &other_owner,
            InboxKind::ListingMatch,
            format!("“{}”有新的匹配", m.listing.details.item),
            format!(
                "{}：{}（匹配度 {pct}%）",
                listing.enterprise_name, listing.details.item
            ),
            ("listing", &listing.id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, listing))
}

#[utoipa::path(post, path = "/api/v1/listings", tag = "listings", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Retry key")),
    request_body = NewListing,
    responses((status = 201, description = "Posted", body = Listing),
              (status = 422, description = "Invalid fields", body = yiqifu_protocol::ApiError)))]
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
        |state, owner, req: NewListing| async move { create(&state, &owner, req).await },
    )
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BrowseQuery {
    pub kind: Option<ListingKind>,
    pub category: Option<ListingCategory>,
    pub district: Option<String>,
    /// Only the caller's own listings, withdrawn ones included.
    pub mine: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/listings", tag = "listings", security(("bearer" = [])),
    params(BrowseQuery),
    responses((status = 200, description = "Active listings of every enterprise, or the caller's own", body = Vec<Listing>)))]
pub async fn browse(
    State(state): State<AppState>,
    who: Enterprise,
    ApiQuery(q): ApiQuery<BrowseQuery>,
) -> Result<Json<Vec<Listing>>> {
    let mine = q.mine.unwrap_or(false);
    let mut conn = state.db.acquire().await?;
    let owners = if mine {
        Owners::Only(&who.credit_code)
    } else {
        Owners::All
    };
    let all = load_where(&mut conn, q.kind, q.category, !mine, owners).await?;
    Ok(Json(
        all.into_iter()
            .filter(|s| {
                q.district
                    .as_ref()
                    .is_none_or(|d| &s.listing.details.district == d)
            })
            .map(|s| view(s, &who.credit_code))
            .collect(),
    ))
}

async fn own(conn: &mut SqliteConnection, id: &str, owner: &str) -> Result<Listing> {
    Ok(crate::db::load_record(conn, "listings", id, Some(owner))
        .await?
        .1)
}

#[utoipa::path(post, path = "/api/v1/listings/{id}/withdraw", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "Listing id")),
    responses((status = 200, description = "Withdrawn", body = Listing),
              (status = 404, description = "No such listing of yours", body = yiqifu_protocol::ApiError)))]
pub async fn withdraw(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
) -> Result<Json<Listing>> {
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let mut l = own(&mut tx, &id, &who.credit_code).await?;
    l.state = ListingState::Withdrawn;
    sqlx::query("UPDATE listings SET state = 'withdrawn', body = ? WHERE id = ?")
        .bind(serde_json::to_string(&l)?)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(l))
}

#[utoipa::path(get, path = "/api/v1/listings/{id}/matches", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "One of your listings")),
    responses((status = 200, description = "Suggested counterparts, best first", body = Vec<ListingMatch>),
              (status = 404, description = "No such listing of yours", body = yiqifu_protocol::ApiError)))]
pub async fn matches(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
) -> Result<Json<Vec<ListingMatch>>> {
    let mut conn = state.db.acquire().await?;
    let l = own(&mut conn, &id, &who.credit_code).await?;
    if l.state != ListingState::Active {
        return Ok(Json(vec![]));
    }
    Ok(Json(
        matches_for(&mut conn, &who.credit_code, &l)
            .await?
            .into_iter()
            .map(|(_, m)| m)
            .collect(),
    ))
}
