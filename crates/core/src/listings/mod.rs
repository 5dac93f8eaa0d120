//! 供需对接: the market of supply and demand listings, pulled and browsed offline, and the
//! enterprise's own listings: posted, edited and withdrawn through the outbox, seen to
//! expire on the day, with matches suggested here by the same rules as the service's.

pub(crate) mod op;
mod store;
mod view;

use time::macros::format_description;
use time::{Date, OffsetDateTime};
use yiqifu_protocol::{FieldProblem, Listing, NewListing};

use crate::changes::Topic;
use crate::client::CentralClient;
use crate::error::{Error, Result};
use crate::outbox;
use crate::pull::Feed;
use crate::workspace::Workspace;

pub use view::{ListingCard, ListingQuery, OwnListingView, OwnState};

pub const LISTINGS: &str = "listings";

static CACHE: store::Cache = store::Cache;

/// The market's feed, pulled into the workspace's own database (the `mine` flags are this
/// enterprise's).
pub(crate) static FEEDS: [Feed; 1] = [Feed {
    collection: LISTINGS,
    path: "api/v1/listings",
    store: &CACHE,
}];

/// Today in China, the day listings are valid until.
pub fn china_today() -> Date {
    yiqifu_protocol::calendar::china_today(OffsetDateTime::now_utc())
}

pub(crate) fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

/// Every field of `listing` the service would refuse on `today`, with its message: what
/// the form shows before anything is queued.
pub fn check_listing(listing: &NewListing, today: Date) -> Vec<FieldProblem> {
    listing.problems(today)
}

fn checked(listing: &NewListing) -> Result<()> {
    let problems = check_listing(listing, china_today());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidInput(problems))
    }
}

fn problem(field: &str, zh: &str, en: &str) -> Error {
    Error::InvalidInput(vec![FieldProblem {
        field: field.into(),
        zh: zh.into(),
        en: en.into(),
    }])
}

/// Keeps the service's answer to a listing request where the views read it (called by
/// the worker for every answer; other kinds are left alone).
pub(crate) async fn keep_answer(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    kind: &str,
    answer: &serde_json::Value,
) -> Result<()> {
    if [op::CREATE.kind, op::UPDATE.kind, op::WITHDRAW.kind].contains(&kind) {
        store::keep_answer(tx, answer).await?;
    }
    Ok(())
}

impl Workspace {
    /// Posts a listing: checked as the service would, then queued with its record.
    pub async fn create_listing(&self, listing: NewListing) -> Result<String> {
        checked(&listing)?;
        let fields = op::Create { listing };
        let key = self
            .create_record("listing", &fields.listing, &op::CREATE, &fields)
            .await?;
        self.changed(&[Topic::Listings]);
        Ok(key)
    }

    /// Edits an own listing: queued after whatever of it is still queued (its creation
    /// first), replacing an edit not yet sent.
    pub async fn update_listing(&self, key: &str, listing: NewListing) -> Result<()> {
        let current = self.own_listing(key).await?;
        match current.state {
            view::OwnState::Withdrawn => {
                return Err(problem(
                    "state",
                    "已撤回的对接信息不能修改，请重新发布",
                    "A withdrawn listing cannot be edited: post a new one",
                ))
            }
            view::OwnState::Expired => {
                return Err(problem(
                    "state",
                    "已过期的对接信息不能修改，请重新发布",
                    "An expired listing cannot be edited: post a new one",
                ))
            }
            view::OwnState::Unsent | view::OwnState::Active => {}
        }
        let mut problems = check_listing(&listing, china_today());
        if listing.kind != current.details.kind {
            problems.insert(
                0,
                FieldProblem {
                    field: "kind".into(),
                    zh: "供需类型不能修改，如需改为另一类请撤回后重新发布".into(),
                    en: "Supply or demand cannot change: withdraw this listing and post a new one"
                        .into(),
                },
            );
        }
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let fields = op::Update {
            listing: key.into(),
            details: listing,
        };
        let mut tx = self.store().write().await?;
        // A PUT states the whole listing, so an earlier edit still waiting says nothing the
        // new one does not.
        outbox::supersede(&mut tx, key, op::UPDATE.kind).await?;
        outbox::enqueue(&mut tx, key, &op::UPDATE, &fields).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Outbox, Topic::Listings]).await
    }

    pub async fn withdraw_listing(&self, key: &str) -> Result<()> {
        let current = self.own_listing(key).await?;
        if current.state == view::OwnState::Withdrawn {
            return Ok(());
        }
        let fields = op::Withdraw {
            listing: key.into(),
        };
        self.enqueue_for(key, &op::WITHDRAW, &fields).await?;
        self.changed(&[Topic::Listings]);
        Ok(())
    }

    /// Sends a parked listing again as the officer corrected it; an edit queued behind it
    /// before the correction is dropped, so it cannot overwrite the correction.
    pub async fn revise_listing(&self, id: &str, listing: NewListing) -> Result<()> {
        checked(&listing)?;
        outbox::revise_superseding(self.store(), id, &op::CREATE, &[op::UPDATE.kind], |_| {
            let draft = serde_json::to_value(&listing)?;
            Ok((op::Create { listing }, Some(draft)))
        })
        .await?;
        self.after_write(&[Topic::Outbox, Topic::Records, Topic::Listings])
            .await
    }

    /// Sends a parked edit again as the officer corrected it.
    pub async fn revise_listing_update(&self, id: &str, listing: NewListing) -> Result<()> {
        checked(&listing)?;
        self.revise(id, &op::UPDATE, |item| {
            let op::Update { listing: key, .. } = outbox::fields(&item)?;
            Ok((
                op::Update {
                    listing: key,
                    details: listing,
                },
                None,
            ))
        })
        .await?;
        self.changed(&[Topic::Listings]);
        Ok(())
    }

    /// Replaces the own listings with the service's list (every state, from any computer).
    pub(crate) async fn refresh_own_listings(
        &self,
        client: &CentralClient,
        token: &str,
    ) -> Result<()> {
        let items = client.list_pages("api/v1/listings/mine", token).await?;
        let listings: Vec<Listing> = serde_json::from_value(serde_json::Value::Array(items))
            .map_err(|e| Error::MalformedResponse(format!("own listings: {e}")))?;
        if store::replace_own(self.store(), &listings).await? {
            self.changed(&[Topic::Listings]);
        }
        Ok(())
    }
}
