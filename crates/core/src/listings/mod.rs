//! 供需对接: the supply and demand listings an enterprise posts and withdraws.

pub(crate) mod op;

use yiqifu_protocol::NewListing;

use crate::error::Result;
use crate::workspace::Workspace;

impl Workspace {
    pub async fn create_listing(&self, listing: NewListing) -> Result<String> {
        let fields = op::Create { listing };
        self.create_record("listing", &fields.listing, &op::CREATE, &fields)
            .await
    }

    pub async fn withdraw_listing(&self, listing: &str) -> Result<()> {
        self.record(listing).await?;
        let fields = op::Withdraw {
            listing: listing.into(),
        };
        self.enqueue_for(listing, &op::WITHDRAW, &fields).await
    }

    /// Sends a parked listing again as the officer corrected it.
    pub async fn revise_listing(&self, id: &str, listing: NewListing) -> Result<()> {
        self.revise(id, &op::CREATE, |_| {
            let draft = serde_json::to_value(&listing)?;
            Ok((op::Create { listing }, Some(draft)))
        })
        .await
    }
}
