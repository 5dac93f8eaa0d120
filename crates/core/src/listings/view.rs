//! What the listing pages read: the market as pulled, filtered offline, and the
//! enterprise's own listings with what waits to be sent and their suggested matches.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use specta::Type;
use time::Date;
use yiqifu_protocol::listings::matches;
use yiqifu_protocol::{
    Listing, ListingCategory, ListingKind, ListingMatch, ListingState, NewListing,
};

use super::op::{self, SERVER_KEY};
use super::store::{self, Filter, Pending};
use super::{china_today, parse_date};
use crate::error::{Error, Result};
use crate::records::Delivery;
use crate::records::{self, LocalRecord};
use crate::workspace::Workspace;

/// The browse filters; every one is optional, and they all apply together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ListingQuery {
    pub kind: Option<ListingKind>,
    pub category: Option<ListingCategory>,
    /// One of Shanghai's districts, as `DISTRICTS` names them.
    pub district: Option<String>,
    /// Only listings still valid today (China time): the market as pulled may hold some
    /// that lapsed since.
    pub valid_only: bool,
    /// Found in the item, the note or the enterprise's name (case-insensitive).
    pub text: Option<String>,
}

/// Where one of the enterprise's own listings stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum OwnState {
    /// Posted here, not yet received by the service.
    Unsent,
    Active,
    /// Withdrawn, or its withdrawal is queued.
    Withdrawn,
    /// Past its date (China time): seen here on the day, before the service says so.
    Expired,
}

/// A listing of the market.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ListingCard {
    /// Names it in `listing`, `update_listing`, `withdraw_listing`: a local id for the
    /// enterprise's listings posted here, else `srv:<the service's id>`.
    pub key: String,
    pub listing: Listing,
    /// Past its date today, though the last pull still had it.
    pub expired: bool,
}

/// One of the enterprise's own listings, posted here or elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct OwnListingView {
    pub key: String,
    /// As it will read once everything queued is sent (local edits applied).
    pub details: NewListing,
    /// The service's record as last heard; none before it got the listing.
    pub server: Option<Listing>,
    pub state: OwnState,
    pub delivery: Delivery,
    /// An edit waits to be sent (or was refused: see `delivery`).
    pub pending_edit: bool,
    /// Suggested counterparts in the market as pulled, best first; none unless it is live.
    pub matches: Vec<ListingMatch>,
}

/// The kinds of request that belong to a listing.
fn kinds() -> [&'static str; 3] {
    [op::CREATE.kind, op::UPDATE.kind, op::WITHDRAW.kind]
}

fn stamp(l: &Listing) -> &str {
    l.updated_at.as_deref().unwrap_or(&l.created_at)
}

/// The newer of two versions of the service's record (every change moves `updated_at`).
fn newer(a: Option<Listing>, b: Option<Listing>) -> Option<Listing> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if stamp(&a) > stamp(&b) { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn lapsed(valid_until: &str, today: Date) -> bool {
    parse_date(valid_until).is_some_and(|d| d < today)
}

/// Everything known of the own listings: records posted here and the service's list.
struct Own {
    records: Vec<LocalRecord>,
    served: Vec<Listing>,
    pending: HashMap<String, Vec<Pending>>,
}

impl Own {
    async fn load(ws: &Workspace) -> Result<Self> {
        Ok(Self {
            records: records::list(ws.store(), Some("listing")).await?,
            served: store::own(ws.store()).await?,
            pending: store::pending(ws.store(), &kinds()).await?,
        })
    }

    /// The key of the listing the service calls `id`: the local record that got it, if
    /// any, so a key never changes under the officer.
    fn key_of(&self, id: &str) -> String {
        self.records
            .iter()
            .find(|r| r.server_id.as_deref() == Some(id))
            .map_or_else(|| format!("{SERVER_KEY}{id}"), |r| r.local_id.clone())
    }

    fn withdrawing(&self, key: &str) -> bool {
        self.pending
            .get(key)
            .is_some_and(|w| w.iter().any(|p| p.kind == op::WITHDRAW.kind))
    }

    fn views(&self, market: &[Listing], today: Date) -> Vec<OwnListingView> {
        let mut out = Vec::new();
        for r in &self.records {
            let answer = r
                .server_body
                .as_deref()
                .and_then(|b| serde_json::from_str::<Listing>(b).ok());
            let listed = r
                .server_id
                .as_deref()
                .and_then(|id| self.served.iter().find(|l| l.id == id).cloned());
            let draft: NewListing = match serde_json::from_str(&r.draft) {
                Ok(d) => d,
                Err(e) => {
                    // One unreadable record must not hide the others.
                    tracing::warn!(listing = %r.local_id, error = %e, "unreadable listing draft");
                    continue;
                }
            };
            out.push(self.view(&r.local_id, draft, newer(answer, listed), market, today));
        }
        for l in &self.served {
            if self
                .records
                .iter()
                .any(|r| r.server_id.as_deref() == Some(&l.id))
            {
                continue;
            }
            let key = format!("{SERVER_KEY}{}", l.id);
            out.push(self.view(&key, l.details.clone(), Some(l.clone()), market, today));
        }
        // Unsent first (they are the newest), then the newest posted.
        out.sort_by(|a, b| {
            let t = |v: &OwnListingView| v.server.as_ref().map(|s| s.created_at.clone());
            match (t(a), t(b)) {
                (None, None) => a.key.cmp(&b.key),
                (None, Some(_)) => std::cmp::Ordering::Less,
                (Some(_), None) => std::cmp::Ordering::Greater,
                (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.key.cmp(&b.key)),
            }
        });
        out
    }

    fn view(
        &self,
        key: &str,
        draft: NewListing,
        server: Option<Listing>,
        market: &[Listing],
        today: Date,
    ) -> OwnListingView {
        let waiting = self.pending.get(key).map(Vec::as_slice).unwrap_or_default();
        let edit = waiting
            .iter()
            .rev()
            .filter(|p| p.kind == op::UPDATE.kind)
            .find_map(|p| {
                serde_json::from_value::<NewListing>(p.payload.get("details")?.clone()).ok()
            });
        let pending_edit = waiting.iter().any(|p| p.kind == op::UPDATE.kind);
        let withdrawing = self.withdrawing(key);
        let details = edit
            .or_else(|| server.as_ref().map(|s| s.details.clone()))
            .unwrap_or(draft);
        // The date that counts is the one the service holds: an edit of a lapsed listing
        // is refused, not a revival.
        let valid_until = server.as_ref().map_or(details.valid_until.as_str(), |s| {
            s.details.valid_until.as_str()
        });
        let state = match server.as_ref().map(|s| s.state) {
            _ if withdrawing => OwnState::Withdrawn,
            Some(ListingState::Withdrawn) => OwnState::Withdrawn,
            Some(ListingState::Expired) => OwnState::Expired,
            _ if lapsed(valid_until, today) => OwnState::Expired,
            None => OwnState::Unsent,
            Some(ListingState::Active) => OwnState::Active,
        };
        let delivery = if waiting.iter().any(|p| p.parked) {
            Delivery::Parked
        } else if waiting.is_empty() {
            Delivery::Delivered
        } else {
            Delivery::Queued
        };
        let matches = match state {
            OwnState::Active | OwnState::Unsent => {
                let mine = Listing {
                    id: server
                        .as_ref()
                        .map_or_else(|| key.to_string(), |s| s.id.clone()),
                    enterprise_name: server
                        .as_ref()
                        .map(|s| s.enterprise_name.clone())
                        .unwrap_or_default(),
                    mine: true,
                    state: ListingState::Active,
                    created_at: server
                        .as_ref()
                        .map(|s| s.created_at.clone())
                        .unwrap_or_default(),
                    updated_at: None,
                    details: details.clone(),
                };
                matches(&mine, market, today)
            }
            OwnState::Withdrawn | OwnState::Expired => Vec::new(),
        };
        OwnListingView {
            key: key.to_string(),
            details,
            server,
            state,
            delivery,
            pending_edit,
            matches,
        }
    }
}

fn contains(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(needle)
}

impl Workspace {
    /// The market as last pulled (every enterprise's live listings, this one's too),
    /// filtered here, newest first. Works offline.
    pub async fn browse_listings(&self, q: &ListingQuery) -> Result<Vec<ListingCard>> {
        let today = china_today();
        let filter = Filter {
            kind: q.kind.map(ListingKind::as_str),
            category: q.category.map(ListingCategory::as_str),
            district: q.district.as_deref().filter(|d| !d.is_empty()),
            valid_on: q.valid_only.then_some(today),
        };
        let text = q
            .text
            .as_deref()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty());
        let found = store::cached(self.store(), &filter).await?;
        let own = Own::load(self).await?;
        Ok(found
            .into_iter()
            .filter(|l| {
                text.as_deref().is_none_or(|t| {
                    contains(&l.details.item, t)
                        || contains(&l.enterprise_name, t)
                        || l.details.note.as_deref().is_some_and(|n| contains(n, t))
                })
            })
            .map(|l| ListingCard {
                key: if l.mine {
                    own.key_of(&l.id)
                } else {
                    format!("{SERVER_KEY}{}", l.id)
                },
                expired: lapsed(&l.details.valid_until, today),
                listing: l,
            })
            // The officer withdrew it here: it is off the market for them at once.
            .filter(|c| !(c.listing.mine && own.withdrawing(&c.key)))
            .collect())
    }

    /// The enterprise's own listings in every state: posted here (sent or not) and posted
    /// from elsewhere, each with local edits applied and its matches in the market.
    pub async fn own_listings(&self) -> Result<Vec<OwnListingView>> {
        let today = china_today();
        let own = Own::load(self).await?;
        let market = store::cached(self.store(), &Filter::default()).await?;
        Ok(own.views(&market, today))
    }

    /// One listing by key (`srv:<id>`, a local id, or the service's bare id as an inbox
    /// entry names it): from the market, else among the enterprise's own.
    pub async fn listing(&self, key: &str) -> Result<ListingCard> {
        let today = china_today();
        let own = Own::load(self).await?;
        let id = match key.strip_prefix(SERVER_KEY) {
            Some(id) => id.to_string(),
            None => match own.records.iter().find(|r| r.local_id == key) {
                Some(r) => r
                    .server_id
                    .clone()
                    .ok_or_else(|| Error::NotFound(key.into()))?,
                None => key.to_string(),
            },
        };
        let found = match store::cached_one(self.store(), &id).await? {
            Some(l) => Some(l),
            None => {
                let answered = own
                    .records
                    .iter()
                    .find(|r| r.server_id.as_deref() == Some(id.as_str()))
                    .and_then(|r| r.server_body.as_deref())
                    .and_then(|b| serde_json::from_str::<Listing>(b).ok());
                let listed = own.served.iter().find(|l| l.id == id).cloned();
                newer(answered, listed)
            }
        };
        let listing = found.ok_or_else(|| Error::NotFound(key.into()))?;
        Ok(ListingCard {
            key: if listing.mine {
                own.key_of(&listing.id)
            } else {
                format!("{SERVER_KEY}{}", listing.id)
            },
            expired: listing.state == ListingState::Expired
                || lapsed(&listing.details.valid_until, today),
            listing,
        })
    }

    /// The key of the enterprise's own listing the service calls `id` (a local id when it
    /// was posted here, else `srv:<id>`): what an inbox entry about it opens.
    pub async fn own_listing_key(&self, id: &str) -> Result<String> {
        Ok(Own::load(self).await?.key_of(id))
    }

    /// The current state and details of an own listing, for the checks of a new request.
    pub(crate) async fn own_listing(&self, key: &str) -> Result<OwnListingView> {
        self.own_listings()
            .await?
            .into_iter()
            .find(|v| v.key == key)
            .ok_or_else(|| Error::NotFound(key.into()))
    }
}

#[cfg(test)]
#[path = "view/tests.rs"]
mod tests;
