//! The listing requests the outbox sends. Payload format 1 is the one every version so far
//! has written.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use yiqifu_protocol::NewListing;

use crate::error::Result;
use crate::outbox::{self, BoxFuture, Item, OpKind, Request};
use crate::records;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Create {
    pub listing: NewListing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Withdraw {
    /// The listing's local id.
    pub listing: String,
}

pub(crate) static CREATE: OpKind = OpKind {
    kind: "create_listing",
    version: 1,
    prepare: prepare_create,
    draft: |p| p.get("listing").cloned(),
};

pub(crate) static WITHDRAW: OpKind = OpKind {
    kind: "withdraw_listing",
    version: 1,
    prepare: prepare_withdraw,
    draft: |_| None,
};

fn prepare_create<'a>(_: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Option<Request>>> {
    Box::pin(async move {
        let Create { listing } = outbox::fields(item)?;
        Ok(Some(Request {
            method: Method::POST,
            path: "api/v1/listings".into(),
            body: Some(serde_json::to_value(listing)?),
            keyed: true,
        }))
    })
}

fn prepare_withdraw<'a>(
    store: &'a Store,
    item: &'a Item,
) -> BoxFuture<'a, Result<Option<Request>>> {
    Box::pin(async move {
        let w: Withdraw = outbox::fields(item)?;
        let id = records::server_id(store, &w.listing).await?;
        Ok(Some(Request {
            method: Method::POST,
            path: format!("api/v1/listings/{id}/withdraw"),
            body: None,
            keyed: false,
        }))
    })
}
