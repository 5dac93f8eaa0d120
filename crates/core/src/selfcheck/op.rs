//! The company profile request the outbox sends. Payload format 1.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use yiqifu_protocol::CompanyProfile;

use crate::error::Result;
use crate::outbox::{self, BoxFuture, Item, OpKind, Prepared, Request};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct UpdateProfile {
    pub profile: CompanyProfile,
}

/// A PUT: sending it twice leaves the same profile, so it needs no idempotency key.
pub(crate) static UPDATE_PROFILE: OpKind = OpKind {
    kind: "update_profile",
    version: 1,
    prepare,
    draft: |p| p.get("profile").cloned(),
};

fn prepare<'a>(_store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let UpdateProfile { profile } = outbox::fields(item)?;
        Ok(Prepared::Send(Request {
            method: Method::PUT,
            path: "api/v1/profile".into(),
            body: Some(serde_json::to_value(profile)?),
            keyed: false,
        }))
    })
}
