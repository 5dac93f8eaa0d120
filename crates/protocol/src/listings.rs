//! Suggested matches between supply and demand listings, with the reasons for each. Here
//! rather than in the service, so the client suggests the same matches offline.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use specta::Type;
use time::macros::format_description;
use time::Date;
use utoipa::ToSchema;

use crate::records::{Listing, ListingCategory, ListingKind, ListingMatch, ListingState};

/// Why two listings fit, one reason each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchReason {
    Category {
        category: ListingCategory,
    },
    /// The character pairs the two item names share.
    Item {
        shared: Vec<String>,
    },
    District {
        district: String,
    },
    /// Only when both use the same unit: the demand's quantity, the supply's, and whether
    /// the supply covers the demand.
    Quantity {
        needed: f64,
        offered: f64,
        unit: String,
        covers: bool,
    },
    /// Both are valid until this date (YYYY-MM-DD): the end of the overlap of the two.
    Dates {
        until: String,
    },
}

/// Matches scoring below this are not suggested.
pub const MATCH_THRESHOLD: f64 = 0.35;

/// The weights of the score: the item names count most.
const W_ITEM: f64 = 0.5;
const W_QUANTITY: f64 = 0.2;
const W_DISTRICT: f64 = 0.2;
const W_DATES: f64 = 0.1;
/// An overlap of this many days or more earns the whole date weight.
const FULL_OVERLAP_DAYS: i64 = 7;

fn date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

/// Character pairs of an item name, in order, without repeats. Punctuation and spaces split
/// the name into runs (so "口罩（一次性）" gives no pair across the bracket); Latin letters
/// are compared without case; a run of one character stands for itself.
pub fn bigrams(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let lower = s.to_lowercase();
    for run in lower.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = run.chars().collect();
        let pairs: Vec<String> = if chars.len() == 1 {
            vec![chars[0].to_string()]
        } else {
            chars.windows(2).map(|w| w.iter().collect()).collect()
        };
        for p in pairs {
            if seen.insert(p.clone()) {
                out.push(p);
            }
        }
    }
    out
}

fn live(l: &Listing, today: Date) -> bool {
    l.state == ListingState::Active && date(&l.details.valid_until).is_some_and(|d| d >= today)
}

/// Whether `other` fits `mine`, and how well: `other` must be of the opposite kind and the
/// same category, both must be active and valid today, their item names must share a
/// character pair, and the score must reach [`MATCH_THRESHOLD`]. A listing marked `mine` is
/// never suggested to its own enterprise.
///
/// Score = 0.5·item (shared pairs over all pairs) + 0.2·quantity (1 when the supply covers
/// the demand, else the share it covers; 0 for different units) + 0.2·same district +
/// 0.1·date overlap (full from 7 days on).
pub fn match_of(mine: &Listing, other: &Listing, today: Date) -> Option<ListingMatch> {
    let (a, b) = (&mine.details, &other.details);
    if other.mine
        || other.id == mine.id
        || b.kind != a.kind.opposite()
        || b.category != a.category
        || !live(mine, today)
        || !live(other, today)
    {
        return None;
    }
    let (x, y) = (bigrams(&a.item), bigrams(&b.item));
    let shared: Vec<String> = x.iter().filter(|p| y.contains(p)).cloned().collect();
    if shared.is_empty() {
        return None;
    }
    let union = x.len() + y.len() - shared.len();
    let item = shared.len() as f64 / union as f64;
    let mut reasons = vec![
        MatchReason::Category {
            category: a.category,
        },
        MatchReason::Item { shared },
    ];

    let (demand, supply) = match a.kind {
        ListingKind::Demand => (a, b),
        ListingKind::Supply => (b, a),
    };
    let same_district = a.district == b.district;
    if same_district {
        reasons.push(MatchReason::District {
            district: a.district.clone(),
        });
    }
    let quantity = if demand.unit.trim() == supply.unit.trim() {
        let covers = supply.quantity >= demand.quantity;
        reasons.push(MatchReason::Quantity {
            needed: demand.quantity,
            offered: supply.quantity,
            unit: demand.unit.trim().to_string(),
            covers,
        });
        let share = supply.quantity / demand.quantity;
        if covers {
            1.0
        } else if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            0.0
        }
    } else {
        0.0
    };
    // Both are valid today (checked above), so the windows overlap from today on.
    let until = date(&a.valid_until).min(date(&b.valid_until))?;
    let days = (until - today).whole_days() + 1;
    reasons.push(MatchReason::Dates {
        until: until.to_string(),
    });
    let dates = (days as f64 / FULL_OVERLAP_DAYS as f64).min(1.0);

    let score = W_ITEM * item
        + W_QUANTITY * quantity
        + W_DISTRICT * f64::from(u8::from(same_district))
        + W_DATES * dates;
    // Two decimals: what is shown, and the same on client and service whatever the order
    // of additions.
    let score = (score * 100.0).round() / 100.0;
    (score >= MATCH_THRESHOLD).then(|| ListingMatch {
        listing: other.clone(),
        score,
        reasons,
    })
}

/// Every match of `mine` among `others`, best first (newest first among equals).
pub fn matches(mine: &Listing, others: &[Listing], today: Date) -> Vec<ListingMatch> {
    let mut out: Vec<ListingMatch> = others
        .iter()
        .filter_map(|o| match_of(mine, o, today))
        .collect();
    out.sort_by(|p, q| {
        q.score
            .total_cmp(&p.score)
            .then_with(|| q.listing.created_at.cmp(&p.listing.created_at))
            .then_with(|| p.listing.id.cmp(&q.listing.id))
    });
    out
}

#[cfg(test)]
#[path = "listings/tests.rs"]
mod tests;
