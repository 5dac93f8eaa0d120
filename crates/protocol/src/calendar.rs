//! Working days on the mainland calendar, and the response clock of an appeal.
//!
//! Offices answer within working hours of working days: Monday to Friday, minus the public
//! holidays, plus the make-up working days (调休) the State Council announces each year. The
//! service publishes a year's table as the catalog feed `calendar`; client and service read
//! deadlines from the same tables with the same code. A date in a year without a table is
//! judged Monday to Friday, and everything computed from it says it is an estimate.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use specta::Type;
use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};
use utoipa::ToSchema;

use crate::records::{Appeal, AppealCategory, AppealState, Party};

/// China time: UTC+8 all year, no daylight saving.
pub const CHINA: UtcOffset = offset!(+8);

/// The office hours of a year whose table names none, and of years with no table.
pub const DEFAULT_OFFICE_HOURS: [(&str, &str); 2] = [("09:00", "12:00"), ("13:00", "17:00")];

/// The State Council's holiday arrangements this build knows, as the service seeds them.
const OFFICIAL: &str = include_str!("../data/calendar.json");

/// Today's date in China.
pub fn china_today(now: OffsetDateTime) -> Date {
    now.to_offset(CHINA).date()
}

/// One span of office hours, local China time, `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct OfficeSpan {
    pub start: String,
    pub end: String,
}

/// One year of the working-day calendar: the feed item of `calendar`, keyed by the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct CalendarYear {
    pub year: i32,
    /// Days off (YYYY-MM-DD), weekends inside a holiday included.
    pub holidays: Vec<String>,
    /// Make-up working days (调休): weekend days that are worked.
    pub workdays: Vec<String>,
    /// The office hours of each working day, in order.
    pub office_hours: Vec<OfficeSpan>,
    /// The notice the table comes from.
    pub source: String,
}

impl CalendarYear {
    /// The feed key.
    pub fn key(&self) -> String {
        self.year.to_string()
    }

    /// What is wrong with the table, in words; empty when it can be published. A date that
    /// does not parse, lies in another year, or a make-up day that is not a weekend day would
    /// move every deadline computed from it.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for (what, days) in [("holiday", &self.holidays), ("workday", &self.workdays)] {
            for d in days {
                match parse_date(d) {
                    None => out.push(format!("{what} {d:?} is not a YYYY-MM-DD date")),
                    Some(date) if date.year() != self.year => {
                        out.push(format!("{what} {d} is not in {}", self.year))
                    }
                    Some(date) => {
                        if !seen.insert(date) {
                            out.push(format!("{d} is listed twice"));
                        }
                        if what == "workday" && !is_weekend(date) {
                            out.push(format!("make-up day {d} is not a Saturday or Sunday"));
                        }
                    }
                }
            }
        }
        if spans(&self.office_hours).is_none() {
            out.push(
                "office_hours must be HH:MM spans in order, each ending after it starts".into(),
            );
        }
        if self.source.trim().is_empty() {
            out.push("source must name the notice".into());
        }
        out
    }
}

/// The calendar years this build carries (2022–2026, from the State Council's notices), for
/// the service to publish and for a client that has not synced yet.
pub fn official_years() -> Result<Vec<CalendarYear>, serde_json::Error> {
    serde_json::from_str(OFFICIAL)
}

/// A value computed from the calendar, and whether a year without a table was crossed (then
/// Monday to Friday was assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Computed<T> {
    pub value: T,
    pub estimated: bool,
}

#[derive(Debug, Clone)]
struct Year {
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
    /// Minutes after midnight.
    spans: Vec<(u16, u16)>,
}

/// The working-day calendar: the published years, and Monday to Friday for any other.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    years: BTreeMap<i32, Year>,
}

fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn minutes(hhmm: &str) -> Option<u16> {
    let (h, m) = hhmm.split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && hhmm.len() == 5).then_some(h * 60 + m)
}

/// Office spans as minutes, if they are well formed: each ends after it starts, in order.
fn spans(list: &[OfficeSpan]) -> Option<Vec<(u16, u16)>> {
    let mut out: Vec<(u16, u16)> = Vec::new();
    for s in list {
        let (a, b) = (minutes(&s.start)?, minutes(&s.end)?);
        if b <= a || out.last().is_some_and(|&(_, end)| a < end) {
            return None;
        }
        out.push((a, b));
    }
    (!out.is_empty()).then_some(out)
}

fn default_spans() -> Vec<(u16, u16)> {
    DEFAULT_OFFICE_HOURS
        .iter()
        .filter_map(|(a, b)| Some((minutes(a)?, minutes(b)?)))
        .collect()
}

fn at(d: Date, minute: u16) -> OffsetDateTime {
    let t = Time::from_hms((minute / 60) as u8, (minute % 60) as u8, 0).unwrap_or(Time::MIDNIGHT);
    PrimitiveDateTime::new(d, t)
        .assume_offset(CHINA)
        .to_offset(UtcOffset::UTC)
}

fn minute_of(t: OffsetDateTime) -> u16 {
    let t = t.to_offset(CHINA);
    u16::from(t.hour()) * 60 + u16::from(t.minute())
}

/// A bound on the days any computation walks: far beyond any promise, it only stops a
/// corrupt input (a date in year 9999) from spinning.
const MAX_DAYS: u32 = 3 * 366;

impl WorkCalendar {
    /// Builds the calendar from published years. Entries that do not parse are skipped (the
    /// service checks [`CalendarYear::problems`] before publishing); a year without usable
    /// office hours gets the default ones.
    pub fn new(years: Vec<CalendarYear>) -> Self {
        let years = years
            .into_iter()
            .map(|y| {
                let dates = |v: &[String]| v.iter().filter_map(|d| parse_date(d)).collect();
                let year = Year {
                    holidays: dates(&y.holidays),
                    workdays: dates(&y.workdays),
                    spans: spans(&y.office_hours).unwrap_or_else(default_spans),
                };
                (y.year, year)
            })
            .collect();
        Self { years }
    }

    /// Whether a year has a table.
    pub fn knows(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `d` is a working day: a make-up day, or Monday to Friday and no holiday.
    pub fn is_working_day(&self, d: Date) -> Computed<bool> {
        match self.years.get(&d.year()) {
            Some(y) => Computed {
                value: y.workdays.contains(&d) || (!is_weekend(d) && !y.holidays.contains(&d)),
                estimated: false,
            },
            None => Computed {
                value: !is_weekend(d),
                estimated: true,
            },
        }
    }

    /// The office spans of `d` if it is a working day (empty otherwise), and whether that
    /// was estimated.
    fn day(&self, d: Date) -> (Vec<(u16, u16)>, bool) {
        let working = self.is_working_day(d);
        let spans = if working.value {
            self.years
                .get(&d.year())
                .map_or_else(default_spans, |y| y.spans.clone())
        } else {
            Vec::new()
        };
        (spans, working.estimated)
    }

    /// The moment `m` working minutes have passed since `from`, counting only office hours
    /// of working days ("within 1 working hour"). A deadline that falls exactly on the end
    /// of a span is that end, not the next morning.
    pub fn add_working_minutes(&self, from: OffsetDateTime, m: u32) -> Computed<OffsetDateTime> {
        let mut left = m;
        let mut estimated = false;
        let mut d = china_today(from);
        let mut after = minute_of(from);
        if left == 0 {
            return Computed {
                value: from,
                estimated: false,
            };
        }
        for _ in 0..MAX_DAYS {
            let (spans, est) = self.day(d);
            estimated |= est;
            for (start, end) in spans {
                if after >= end {
                    continue;
                }
                let begin = start.max(after);
                let here = u32::from(end - begin);
                if left <= here {
                    // `left` fits in a u16 here: it is at most one span long.
                    let value = at(d, begin + left as u16);
                    // Seconds past the minute of `from` count too.
                    let value = if begin == after {
                        value + Duration::seconds(i64::from(from.to_offset(CHINA).second()))
                    } else {
                        value
                    };
                    return Computed { value, estimated };
                }
                left -= here;
            }
            d = match d.next_day() {
                Some(n) => n,
                None => break,
            };
            after = 0;
        }
        Computed {
            value: from + Duration::days(i64::from(MAX_DAYS)),
            estimated: true,
        }
    }

    /// The end of office hours on the `n`-th working day after the day of `from` ("reply
    /// within N working days": the filing day itself does not count).
    pub fn end_of_working_day_after(
        &self,
        from: OffsetDateTime,
        n: u32,
    ) -> Computed<OffsetDateTime> {
        let mut d = china_today(from);
        let mut estimated = false;
        let mut counted = 0;
        let mut walked = 0;
        while counted < n && walked < MAX_DAYS {
            d = match d.next_day() {
                Some(next) => next,
                None => break,
            };
            walked += 1;
            let w = self.is_working_day(d);
            estimated |= w.estimated;
            if w.value {
                counted += 1;
            }
        }
        let (spans, est) = self.day(d);
        let end = spans
            .last()
            .map_or_else(|| default_spans().last().map_or(17 * 60, |s| s.1), |s| s.1);
        Computed {
            value: at(d, end),
            estimated: estimated || est || counted < n,
        }
    }

    /// Working minutes from `a` to `b`: negative when `b` is before `a`.
    pub fn working_minutes_between(&self, a: OffsetDateTime, b: OffsetDateTime) -> Computed<i64> {
        if b < a {
            let c = self.working_minutes_between(b, a);
            return Computed {
                value: -c.value,
                estimated: c.estimated,
            };
        }
        // Summed exactly and rounded down once, so seconds are not lost span by span.
        let mut total = Duration::ZERO;
        let mut estimated = false;
        let mut d = china_today(a);
        let last = china_today(b);
        for _ in 0..=MAX_DAYS {
            let (spans, est) = self.day(d);
            estimated |= est;
            for (start, end) in spans {
                let (s, e) = (at(d, start), at(d, end));
                let (lo, hi) = (s.max(a), e.min(b));
                if hi > lo {
                    total += hi - lo;
                }
            }
            if d >= last {
                return Computed {
                    value: total.whole_minutes(),
                    estimated,
                };
            }
            d = match d.next_day() {
                Some(n) => n,
                None => break,
            };
        }
        Computed {
            value: total.whole_minutes(),
            estimated: true,
        }
    }
}

/// What an office promises for a category of appeal: contact within so many working
/// hours, a first reply within so many working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct ResponsePromise {
    pub contact_hours: u32,
    pub reply_days: u32,
}

impl AppealCategory {
    /// The category's promise: the urgent ones (prevention supplies, logistics) are
    /// answered the next working day, the others within two or three.
    pub fn promise(self) -> ResponsePromise {
        let reply_days = match self {
            Self::PreventionSupplies | Self::Logistics => 1,
            Self::Staffing | Self::SupplyChain => 2,
            Self::Financing | Self::Other => 3,
        };
        ResponsePromise {
            contact_hours: 1,
            reply_days,
        }
    }
}

/// When contact and the first reply are due for an appeal of `c` filed at `created`.
pub fn due_times(
    cal: &WorkCalendar,
    c: AppealCategory,
    created: OffsetDateTime,
) -> (Computed<OffsetDateTime>, Computed<OffsetDateTime>) {
    let p = c.promise();
    (
        cal.add_working_minutes(created, p.contact_hours * 60),
        cal.end_of_working_day_after(created, p.reply_days),
    )
}

/// One promise of the response clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct Deadline {
    /// RFC 3339, UTC.
    pub due_at: String,
    /// When it was met, if the record says.
    pub met_at: Option<String>,
    pub met: bool,
    /// Met late, or not met and past due.
    pub overdue: bool,
    /// Working minutes from when it was met (or now) to `due_at`: negative when late.
    #[specta(type = f64)]
    pub working_minutes_left: i64,
}

/// An appeal's two promises against the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct ResponseClock {
    pub contact: Deadline,
    pub reply: Deadline,
    /// A year without a table was crossed, or a time of the record could not be read.
    pub estimated: bool,
}

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

fn format_time(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// The response clock of an appeal at `now`. Contact is met by the authority's first step
/// (accept, assign or reply), the reply by its first message. The deadlines are the ones
/// the service set (`contact_by`, `reply_by`), or computed from the filing time for records
/// from before it set them. A closed appeal's clock stopped when it was closed.
pub fn response_clock(a: &Appeal, cal: &WorkCalendar, now: OffsetDateTime) -> ResponseClock {
    let mut estimated = false;
    let created = parse_time(&a.created_at).unwrap_or_else(|| {
        estimated = true;
        now
    });
    let (contact_due, reply_due) = due_times(cal, a.category, created);
    let mut due = |set: &Option<String>, computed: Computed<OffsetDateTime>| match set
        .as_deref()
        .and_then(parse_time)
    {
        Some(t) => t,
        None => {
            estimated |= computed.estimated;
            computed.value
        }
    };
    let contact_at = due(&a.contact_by, contact_due);
    let reply_at = due(&a.reply_by, reply_due);

    let first_step = a
        .timeline
        .iter()
        .find(|s| {
            matches!(
                s.to,
                AppealState::Accepted | AppealState::Assigned | AppealState::Replied
            )
        })
        .map(|s| s.at.clone());
    let first_reply = a
        .messages
        .iter()
        .find(|m| m.from == Party::Authority)
        .map(|m| m.at.clone());
    // Records from before timelines: any state past `submitted` other than a bare close
    // shows the office was in touch, even if not when.
    let contacted = first_step.is_some()
        || first_reply.is_some()
        || matches!(
            a.state,
            AppealState::Accepted | AppealState::Assigned | AppealState::Replied
        );
    let stopped = if a.state == AppealState::Closed {
        a.timeline
            .iter()
            .rev()
            .find(|s| s.to == AppealState::Closed)
            .and_then(|s| parse_time(&s.at))
            .unwrap_or(now)
    } else {
        now
    };

    let mut deadline = |due_at: OffsetDateTime, met: bool, met_at: Option<String>| {
        let met_time = met_at.as_deref().and_then(parse_time);
        let until = if met { met_time } else { Some(stopped) };
        let (overdue, left) = match until {
            Some(t) => {
                let left = cal.working_minutes_between(t, due_at);
                estimated |= left.estimated;
                (t > due_at, left.value)
            }
            // Met, but the record does not say when: in time as far as anyone can tell.
            None => (false, 0),
        };
        Deadline {
            due_at: format_time(due_at),
            met_at,
            met,
            overdue,
            working_minutes_left: left,
        }
    };
    let contact = deadline(
        contact_at,
        contacted,
        first_step.or_else(|| first_reply.clone()),
    );
    let reply = deadline(reply_at, first_reply.is_some(), first_reply);
    ResponseClock {
        contact,
        reply,
        estimated,
    }
}

#[cfg(test)]
#[path = "calendar/tests.rs"]
mod tests;
