//! The read mark the outbox sends. Payload format 1 is the one every version so far has
//! written.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::outbox::{self, BoxFuture, Item, OpKind, Prepared, Request};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct MarkRead {
    pub entry: String,
}

pub(crate) static MARK_READ: OpKind = OpKind {
    kind: "mark_read",
    version: 1,
    prepare,
    draft: |_| None,
};

fn prepare<'a>(_: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let m: MarkRead = outbox::fields(item)?;
        Ok(Prepared::Send(Request {
            method: Method::POST,
            path: format!("api/v1/inbox/{}/read", m.entry),
            body: None,
            keyed: false,
        }))
    })
}
