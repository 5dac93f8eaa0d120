//! The application request the outbox sends. Payload format 1 is the one every version so
//! far has written.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use yiqifu_protocol::{AnswerValue, NewApplication};

use crate::error::Result;
use crate::materials;
use crate::outbox::{self, BoxFuture, Item, OpKind, Request};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Submit {
    pub application: NewApplication,
}

pub(crate) static SUBMIT: OpKind = OpKind {
    kind: "submit_application",
    version: 1,
    prepare,
    draft: |p| p.get("application").cloned(),
};

fn prepare<'a>(store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Option<Request>>> {
    Box::pin(async move {
        let Submit { mut application } = outbox::fields(item)?;
        // The service judges the self-check with the profile it has: one still queued (or
        // parked, until the officer saves it again) goes first.
        if crate::selfcheck::profile_unsent(store).await? {
            return Ok(None);
        }
        for m in &mut application.materials {
            match materials::server_id(store, &m.upload_id).await? {
                Some(id) => m.upload_id = id,
                None => return Ok(None),
            }
        }
        for ans in &mut application.selfcheck.answers {
            if let AnswerValue::Evidence(local) = &mut ans.value {
                match materials::server_id(store, local).await? {
                    Some(id) => *local = id,
                    None => return Ok(None),
                }
            }
        }
        Ok(Some(Request {
            method: Method::POST,
            path: "api/v1/applications".into(),
            body: Some(serde_json::to_value(application)?),
            keyed: true,
        }))
    })
}

/// The corrected application; its self-check and materials are the ones it had (a form
/// cannot point them at other uploads).
pub(crate) fn revise(item: Item, application: NewApplication) -> Result<(Submit, Option<Value>)> {
    let old: Submit = outbox::fields(&item)?;
    let application = NewApplication {
        selfcheck: old.application.selfcheck,
        materials: old.application.materials,
        ..application
    };
    let draft = serde_json::to_value(&application)?;
    Ok((Submit { application }, Some(draft)))
}
