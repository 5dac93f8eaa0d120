//! The application request the outbox sends. Payload format 1 is the one every version so
//! far has written.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use yiqifu_protocol::{AnswerValue, MaterialRef, NewApplication, Resubmission};

use crate::error::Result;
use crate::materials;
use crate::outbox::{self, BoxFuture, Item, Need, OpKind, Prepared, Request};
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

/// Turns local upload ids into the service's; names the first upload not finished.
async fn to_server_ids(
    store: &Store,
    materials: &mut [MaterialRef],
    answers: &mut [yiqifu_protocol::Answer],
) -> Result<Option<Need>> {
    for m in materials {
        match materials::server_id(store, &m.upload_id).await? {
            Some(id) => m.upload_id = id,
            None => return Ok(Some(Need::Upload(m.upload_id.clone()))),
        }
    }
    for ans in answers {
        if let AnswerValue::Evidence(local) = &mut ans.value {
            match materials::server_id(store, local).await? {
                Some(id) => *local = id,
                None => return Ok(Some(Need::Upload(local.clone()))),
            }
        }
    }
    Ok(None)
}

fn prepare<'a>(store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let Submit { mut application } = outbox::fields(item)?;
        // The service judges the self-check with the profile it has: one still queued (or
        // parked, until the officer saves it again) goes first.
        if let Some(need) = crate::selfcheck::profile_unsent(store).await? {
            return Ok(Prepared::Wait(need));
        }
        if let Some(need) = to_server_ids(
            store,
            &mut application.materials,
            &mut application.selfcheck.answers,
        )
        .await?
        {
            return Ok(Prepared::Wait(need));
        }
        Ok(Prepared::Send(Request {
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

/// A correction sent again (补正后重新提交): the replaced materials, and the answers when
/// they changed. Payload format 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Resubmit {
    pub resubmission: Resubmission,
}

pub(crate) static RESUBMIT: OpKind = OpKind {
    kind: "resubmit_application",
    version: 1,
    prepare: prepare_resubmit,
    // What it carries was checked as a whole before it was queued; a parked one is retried
    // or discarded, and a new correction made from the application page.
    draft: |_| None,
};

fn prepare_resubmit<'a>(store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let Resubmit { mut resubmission } = outbox::fields(item)?;
        if let Some(need) = crate::selfcheck::profile_unsent(store).await? {
            return Ok(Prepared::Wait(need));
        }
        let mut answers = resubmission
            .selfcheck
            .as_ref()
            .map(|s| s.answers.clone())
            .unwrap_or_default();
        if let Some(need) = to_server_ids(store, &mut resubmission.materials, &mut answers).await? {
            return Ok(Prepared::Wait(need));
        }
        if let Some(sc) = &mut resubmission.selfcheck {
            sc.answers = answers;
        }
        let server_id = crate::records::server_id(store, &item.record_id).await?;
        Ok(Prepared::Send(Request {
            method: Method::POST,
            path: format!("api/v1/applications/{server_id}/resubmit"),
            body: Some(serde_json::to_value(resubmission)?),
            keyed: true,
        }))
    })
}
