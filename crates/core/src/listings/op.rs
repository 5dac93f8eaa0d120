//! The listing requests the outbox sends. Payload format 1 is the one every version so far
//! has written.
//!
//! A request names its listing by key: a local record id (`listing-…`) for listings posted
//! here, or `srv:<id>` for one of the enterprise's listings this computer did not post.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use yiqifu_protocol::NewListing;

use crate::error::Result;
use crate::outbox::{self, BoxFuture, Item, OpKind, Prepared, Request};
use crate::records;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Create {
    pub listing: NewListing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Withdraw {
    /// The listing's key.
    pub listing: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Update {
    /// The listing's key.
    pub listing: String,
    /// The whole listing as it should now read (a PUT).
    pub details: NewListing,
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

pub(crate) static UPDATE: OpKind = OpKind {
    kind: "update_listing",
    version: 1,
    prepare: prepare_update,
    draft: |p| p.get("details").cloned(),
};

fn prepare_create<'a>(_: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let Create { listing } = outbox::fields(item)?;
        Ok(Prepared::Send(Request {
            method: Method::POST,
            path: "api/v1/listings".into(),
            body: Some(serde_json::to_value(listing)?),
            keyed: true,
        }))
    })
}

fn prepare_withdraw<'a>(store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let w: Withdraw = outbox::fields(item)?;
        let id = records::server_id_of_key(store, &w.listing).await?;
        Ok(Prepared::Send(Request {
            method: Method::POST,
            path: format!("api/v1/listings/{id}/withdraw"),
            body: None,
            keyed: false,
        }))
    })
}

fn prepare_update<'a>(store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let u: Update = outbox::fields(item)?;
        let id = records::server_id_of_key(store, &u.listing).await?;
        // A PUT states the whole listing: sending it twice leaves the same listing, so it
        // needs no idempotency key.
        Ok(Prepared::Send(Request {
            method: Method::PUT,
            path: format!("api/v1/listings/{id}"),
            body: Some(serde_json::to_value(u.details)?),
            keyed: false,
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use yiqifu_protocol::{ListingCategory, ListingKind};

    fn listing() -> NewListing {
        NewListing {
            kind: ListingKind::Demand,
            category: ListingCategory::Supplies,
            item: "医用外科口罩".into(),
            quantity: 20000.0,
            unit: "只".into(),
            district: "浦东新区".into(),
            valid_until: "2022-05-20".into(),
            contact_name: "王芳".into(),
            contact_phone: "13800138000".into(),
            note: None,
        }
    }

    fn item(kind: &str, payload: serde_json::Value) -> Item {
        Item {
            id: 1,
            kind: kind.into(),
            version: 1,
            record_id: "srv:lst_1".into(),
            key: "idem-1".into(),
            payload,
            attempts: 0,
        }
    }

    #[tokio::test]
    async fn an_update_of_a_listing_posted_elsewhere_puts_the_whole_listing_to_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_as(dir.path(), crate::store::Schema::Workspace)
            .await
            .unwrap();
        let fields = Update {
            listing: "srv:lst_1".into(),
            details: listing(),
        };
        let payload = outbox::payload(UPDATE.kind, &fields).unwrap();
        let it = item(UPDATE.kind, payload.clone());
        let req = (UPDATE.prepare)(&store, &it).await.unwrap().request();
        assert_eq!(req.method, Method::PUT);
        assert_eq!(req.path, "api/v1/listings/lst_1");
        assert!(!req.keyed);
        assert_eq!(req.body, Some(serde_json::to_value(listing()).unwrap()));
        assert_eq!(
            (UPDATE.draft)(&payload),
            Some(serde_json::to_value(listing()).unwrap())
        );
        // Format 1 as stored: the fields and the op's name.
        assert_eq!(payload["op"], "update_listing");
        assert_eq!(payload["listing"], "srv:lst_1");
    }

    #[tokio::test]
    async fn a_withdrawal_of_a_local_listing_waits_for_nothing_but_its_server_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_as(dir.path(), crate::store::Schema::Workspace)
            .await
            .unwrap();
        let fields = Withdraw {
            listing: "listing-unknown".into(),
        };
        let it = item(
            WITHDRAW.kind,
            outbox::payload(WITHDRAW.kind, &fields).unwrap(),
        );
        let e = (WITHDRAW.prepare)(&store, &it).await.unwrap_err();
        assert_eq!(e.code(), "NOT_FOUND");
        let fields = Withdraw {
            listing: "srv:lst_9".into(),
        };
        let it = item(
            WITHDRAW.kind,
            outbox::payload(WITHDRAW.kind, &fields).unwrap(),
        );
        let req = (WITHDRAW.prepare)(&store, &it).await.unwrap().request();
        assert_eq!(req.path, "api/v1/listings/lst_9/withdraw");
    }
}
