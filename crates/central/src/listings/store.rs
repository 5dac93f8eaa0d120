//! The listings table: saving as the newest change of the market's feed, reading one
//! enterprise's view of it, expiry, and telling both sides of a new match.

use std::collections::HashMap;

use crate::db::{Conn, Db};
use time::OffsetDateTime;
use yiqifu_protocol::calendar::china_today;
use yiqifu_protocol::listings::matches;
use yiqifu_protocol::{InboxKind, Listing, ListingMatch, ListingState};

use crate::db::format_time;
use crate::error::{Error, Result};
use crate::inbox::{self, Notice};

/// How many of a new listing's best matches both sides are told of.
pub const TOLD_MATCHES: usize = 3;

/// A listing and the enterprise that posted it.
pub struct Stored {
    pub owner: String,
    pub listing: Listing,
}

/// The listing as `me` sees it: `mine` says whether `me` posted it.
pub fn view(s: Stored, me: &str) -> Listing {
    let mut l = s.listing;
    l.mine = s.owner == me;
    l
}

/// Saves a listing as the newest change of the market's feed (a withdrawal or an expiry
/// too: the feed carries it as a tombstone). The body is stored with `mine` unset; each
/// reader gets its own view.
pub async fn save(conn: &mut Conn, owner: &str, l: &Listing, now: i64) -> Result<()> {
    let created = time::OffsetDateTime::parse(
        &l.created_at,
        &time::format_description::well_known::Rfc3339,
    )
    .map_or(now, |t| t.unix_timestamp());
    let body = Listing {
        mine: false,
        ..l.clone()
    };
    sqlx::query(
        "INSERT INTO listings (id, owner, kind, category, state, body, created_at, seq,
                               valid_until, district, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT COALESCE(MAX(seq), 0) + 1 FROM listings),
                 $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, category = excluded.category,
             state = excluded.state, body = excluded.body, seq = excluded.seq,
             valid_until = excluded.valid_until, district = excluded.district,
             updated_at = excluded.updated_at",
    )
    .bind(&l.id)
    .bind(owner)
    .bind(l.details.kind.as_str())
    .bind(l.details.category.as_str())
    .bind(l.state.as_str())
    .bind(serde_json::to_string(&body)?)
    .bind(created)
    .bind(&l.details.valid_until)
    .bind(&l.details.district)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) fn decode(rows: Vec<(String, String)>) -> Result<Vec<Stored>> {
    rows.into_iter()
        .map(|(owner, body)| {
            Ok(Stored {
                owner,
                listing: serde_json::from_str(&body)?,
            })
        })
        .collect()
}

/// One of `owner`'s listings; another's answers exactly like a missing one.
pub async fn own(conn: &mut Conn, id: &str, owner: &str) -> Result<Listing> {
    let mut l: Listing = crate::db::load_record(conn, "listings", id, Some(owner))
        .await?
        .1;
    l.mine = true;
    Ok(l)
}

/// Others' live listings that could match `l`: the opposite kind, the same category,
/// active and valid today.
pub async fn candidates(
    conn: &mut Conn,
    owner: &str,
    l: &Listing,
    now: OffsetDateTime,
) -> Result<Vec<Stored>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT owner, body FROM listings
         WHERE state = 'active' AND valid_until >= $1 AND kind = $2 AND category = $3 AND owner <> $4
         ORDER BY seq",
    )
    .bind(china_today(now).to_string())
    .bind(l.details.kind.opposite().as_str())
    .bind(l.details.category.as_str())
    .bind(owner)
    .fetch_all(conn)
    .await?;
    decode(rows)
}

/// `owner`'s listing `l` against the market: its matches, best first, each with the
/// owner of the other side.
pub async fn matches_of(
    conn: &mut Conn,
    owner: &str,
    l: &Listing,
    now: OffsetDateTime,
) -> Result<Vec<(String, ListingMatch)>> {
    let mut owners = HashMap::new();
    let others: Vec<Listing> = candidates(conn, owner, l, now)
        .await?
        .into_iter()
        .map(|s| {
            owners.insert(s.listing.id.clone(), s.owner.clone());
            view(s, owner)
        })
        .collect();
    let mine = Listing {
        mine: true,
        ..l.clone()
    };
    Ok(matches(&mine, &others, china_today(now))
        .into_iter()
        .filter_map(|m| Some((owners.get(&m.listing.id)?.clone(), m)))
        .collect())
}

/// Marks active listings past their date (China time) expired, each with a new seq so the
/// feed carries the tombstone. Inside the caller's write transaction.
pub async fn expire_in(conn: &mut Conn, now: OffsetDateTime) -> Result<u64> {
    let today = china_today(now).to_string();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT owner, body FROM listings WHERE state = 'active' AND valid_until < $1 ORDER BY seq",
    )
    .bind(&today)
    .fetch_all(&mut *conn)
    .await?;
    let due = decode(rows)?;
    let n = due.len() as u64;
    for Stored { owner, mut listing } in due {
        listing.state = ListingState::Expired;
        listing.updated_at = Some(format_time(now));
        save(conn, &owner, &listing, now.unix_timestamp()).await?;
    }
    Ok(n)
}

/// [`expire_in`] when anything is due: a cheap indexed look first, so a read takes the
/// write lock only on the day something expires.
pub async fn expire_due(db: &Db, now: OffsetDateTime) -> Result<u64> {
    let any: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM listings WHERE state = 'active' AND valid_until < $1 LIMIT 1",
    )
    .bind(china_today(now).to_string())
    .fetch_optional(db)
    .await?;
    if any.is_none() {
        return Ok(0);
    }
    let mut tx = crate::db::begin_write(db).await?;
    let n = expire_in(&mut tx, now).await?;
    tx.commit().await?;
    Ok(n)
}

/// Tells both sides of `l`'s best matches, each pair once ever: an edit that matches the
/// same counterpart again says nothing new.
pub async fn tell_matches(
    conn: &mut Conn,
    owner: &str,
    l: &Listing,
    now: OffsetDateTime,
) -> Result<()> {
    let at = format_time(now);
    for (other_owner, m) in matches_of(conn, owner, l, now)
        .await?
        .into_iter()
        .take(TOLD_MATCHES)
    {
        let other = &m.listing;
        let (a, b) = if l.id < other.id {
            (&l.id, &other.id)
        } else {
            (&other.id, &l.id)
        };
        let first = sqlx::query(
            "INSERT INTO listing_match_notices (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(a)
        .bind(b)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
        if !first {
            continue;
        }
        let pct = (m.score * 100.0).round();
        let mine = Notice {
            kind: InboxKind::ListingMatch,
            title: format!("“{}”有匹配的对接信息", l.details.item),
            body: format!(
                "{}：{}（匹配度 {pct}%）",
                other.enterprise_name, other.details.item
            ),
            about: ("listing", &other.id),
            related_id: Some(l.id.clone()),
            at: at.clone(),
        };
        inbox::send(conn, owner, mine).await?;
        let theirs = Notice {
            kind: InboxKind::ListingMatch,
            title: format!("“{}”有新的匹配", other.details.item),
            body: format!("{}：{}（匹配度 {pct}%）", l.enterprise_name, l.details.item),
            about: ("listing", &l.id),
            related_id: Some(other.id.clone()),
            at: at.clone(),
        };
        inbox::send(conn, &other_owner, theirs).await?;
    }
    Ok(())
}

/// The enterprise's name, as listings show it.
pub async fn enterprise_name(conn: &mut Conn, owner: &str) -> Result<String> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT name FROM enterprises WHERE credit_code = $1")
            .bind(owner)
            .fetch_optional(conn)
            .await?;
    row.map(|r| r.0).ok_or_else(Error::not_found)
}
