//! Demo listings and appeals, written for this project. They are posted and stepped through
//! the service's own code as of days before the seed runs, so timelines, deadlines, inbox
//! entries and match notices are the real ones, and the listings stay valid whenever the
//! demo starts. Demo enterprise 0 gets nothing: the end-to-end journeys start from it.

use crate::db::Conn;
use serde::Deserialize;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};
use yiqifu_protocol::calendar::{china_today, CHINA};
use yiqifu_protocol::{
    AppealAction, ListingCategory, ListingKind, NewAppeal, NewListing, Rating, WorkCalendar,
};

use super::DEMO_ENTERPRISES;
use crate::error::{Error, Result};
use crate::{appeals, catalog, listings};

const LISTINGS: &str = include_str!("../../demo/listings.json");
const APPEALS: &str = include_str!("../../demo/appeals.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoListing {
    pub enterprise: String,
    pub posted_days_ago: u32,
    /// HH:MM, China time.
    pub at: String,
    /// Valid until the seed day plus this many days (negative: already past, so the
    /// listing expires at the first read and reaches clients as a tombstone).
    pub valid_days: i64,
    #[serde(default)]
    pub withdrawn_days_ago: Option<u32>,
    pub kind: ListingKind,
    pub category: ListingCategory,
    pub item: String,
    pub quantity: f64,
    pub unit: String,
    pub district: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoAppeal {
    pub enterprise: String,
    pub filed_working_days_ago: u32,
    pub at: String,
    pub appeal: NewAppeal,
    pub steps: Vec<DemoStep>,
}

/// One step of a demo appeal: an authority action (with its actor), a follow-up of the
/// enterprise, or its rating; on the `day`-th working day after the filing day.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoStep {
    pub day: u32,
    pub at: String,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub action: Option<AppealAction>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub rating: Option<Rating>,
}

pub fn demo_listings() -> Result<Vec<DemoListing>> {
    Ok(serde_json::from_str(LISTINGS)?)
}

pub fn demo_appeals() -> Result<Vec<DemoAppeal>> {
    Ok(serde_json::from_str(APPEALS)?)
}

fn bad(what: String) -> Error {
    Error::DemoData(what)
}

/// The credit code of a demo enterprise named in the demo data.
fn owner_of(name: &str) -> Result<String> {
    DEMO_ENTERPRISES
        .iter()
        .find(|e| e.name == name)
        .map(|e| e.credit_code())
        .ok_or_else(|| bad(format!("{name} is not a demo enterprise")))
}

fn at(d: Date, hhmm: &str) -> Result<OffsetDateTime> {
    let t = Time::parse(hhmm, format_description!("[hour]:[minute]"))
        .map_err(|e| bad(format!("{hhmm:?} is not HH:MM: {e}")))?;
    Ok(PrimitiveDateTime::new(d, t).assume_offset(CHINA))
}

fn working_days_from(cal: &WorkCalendar, mut d: Date, n: i32) -> Date {
    let mut left = n.unsigned_abs();
    while left > 0 {
        d = if n > 0 {
            d.next_day().unwrap_or(d)
        } else {
            d.previous_day().unwrap_or(d)
        };
        if cal.is_working_day(d).value {
            left -= 1;
        }
    }
    d
}

impl DemoListing {
    /// The listing as posted on `posted` (China date), valid from the seed day `today`.
    pub fn details(&self, today: Date) -> NewListing {
        NewListing {
            kind: self.kind,
            category: self.category,
            item: self.item.clone(),
            quantity: self.quantity,
            unit: self.unit.clone(),
            district: self.district.clone(),
            valid_until: (today + Duration::days(self.valid_days)).to_string(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            note: self.note.clone(),
        }
    }
}

/// Posts the demo listings in the order they were posted, each checked as of its day.
pub async fn seed_listings(conn: &mut Conn, now: OffsetDateTime) -> Result<()> {
    let today = china_today(now);
    let mut demo = demo_listings()?;
    demo.sort_by_key(|l| std::cmp::Reverse(l.posted_days_ago));
    let mut withdrawals = Vec::new();
    for l in demo {
        let owner = owner_of(&l.enterprise)?;
        let posted_on = today - Duration::days(i64::from(l.posted_days_ago));
        let posted = at(posted_on, &l.at)?;
        let details = l.details(today);
        let problems = details.problems(posted_on);
        if !problems.is_empty() || posted > now {
            return Err(bad(format!("listing {}: {problems:?}", l.item)));
        }
        let listing = listings::post_at(conn, &owner, details, posted).await?;
        if let Some(days) = l.withdrawn_days_ago {
            let when = at(today - Duration::days(i64::from(days)), "09:00")?;
            withdrawals.push((when, owner, listing.id));
        }
    }
    withdrawals.sort();
    for (when, owner, id) in withdrawals {
        listings::withdraw_at(conn, &owner, &id, when).await?;
    }
    Ok(())
}

/// Files the demo appeals and steps them through the workflow at their times.
pub async fn seed_appeals(conn: &mut Conn, now: OffsetDateTime) -> Result<()> {
    let cal = catalog::work_calendar(conn).await?;
    let today = china_today(now);
    for d in demo_appeals()? {
        let owner = owner_of(&d.enterprise)?;
        let problems = d.appeal.problems();
        if !problems.is_empty() {
            return Err(bad(format!("appeal {}: {problems:?}", d.appeal.title)));
        }
        let filed_on = working_days_from(&cal, today, -(d.filed_working_days_ago as i32));
        let filed = at(filed_on, &d.at)?;
        let title = d.appeal.title.clone();
        let appeal = appeals::create_at(conn, &owner, d.appeal, filed).await?;
        let mut last = filed;
        for s in d.steps {
            let when = at(working_days_from(&cal, filed_on, s.day as i32), &s.at)?;
            if when < last || when > now {
                return Err(bad(format!(
                    "appeal {title}: a step at {when} is out of order or in the future"
                )));
            }
            last = when;
            match (s.action, s.message, s.rating, s.actor) {
                (Some(action), None, None, Some(actor)) => {
                    let actor = format!("reviewer:{actor}");
                    appeals::act_at(conn, &appeal.id, action, &actor, when).await?;
                }
                (None, Some(body), None, None) => {
                    appeals::follow_up_at(conn, &owner, &appeal.id, &body, when).await?;
                }
                (None, None, Some(rating), None) if rating.problems().is_empty() => {
                    appeals::rate_in(conn, &owner, &appeal.id, rating, when).await?;
                }
                _ => {
                    return Err(bad(format!(
                    "appeal {title}: each step is an action with its actor, a message or a rating"
                )))
                }
            }
        }
    }
    Ok(())
}
