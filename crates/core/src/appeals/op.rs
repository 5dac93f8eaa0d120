//! The appeal requests the outbox sends, and how each is revised. `create_appeal` format 2
//! may carry the contact; format 1 (none) reads as the same type and is sent as written.
//! An op's `appeal` is the appeal's key: a local record id, or `srv:<id>` for an appeal
//! filed elsewhere.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use yiqifu_protocol::{NewAppeal, Rating};

use crate::error::Result;
use crate::materials;
use crate::outbox::{self, BoxFuture, Item, Need, OpKind, Prepared, Request};
use crate::records;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Create {
    pub appeal: NewAppeal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Message {
    /// The appeal's local id.
    pub appeal: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Rate {
    /// The appeal's key.
    pub appeal: String,
    pub rating: Rating,
}

pub(crate) static CREATE: OpKind = OpKind {
    kind: "create_appeal",
    version: 2,
    prepare: prepare_create,
    draft: |p| p.get("appeal").cloned(),
};

pub(crate) static MESSAGE: OpKind = OpKind {
    kind: "appeal_message",
    version: 1,
    prepare: prepare_message,
    draft: |p| p.get("body").cloned(),
};

pub(crate) static RATE: OpKind = OpKind {
    kind: "rate_appeal",
    version: 1,
    prepare: prepare_rate,
    draft: |_| None,
};

fn prepare_rate<'a>(store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let r: Rate = outbox::fields(item)?;
        let id = records::server_id_of_key(store, &r.appeal).await?;
        Ok(Prepared::Send(Request {
            method: Method::POST,
            path: format!("api/v1/appeals/{id}/rating"),
            body: Some(serde_json::to_value(&r.rating)?),
            // A retry after a lost answer must not rate twice (the service answers 409).
            keyed: true,
        }))
    })
}

fn prepare_create<'a>(store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let Create { mut appeal } = outbox::fields(item)?;
        let mut ids = Vec::new();
        for local in &appeal.attachments {
            match materials::server_id(store, local).await? {
                Some(id) => ids.push(id),
                None => return Ok(Prepared::Wait(Need::Upload(local.clone()))),
            }
        }
        appeal.attachments = ids;
        Ok(Prepared::Send(Request {
            method: Method::POST,
            path: "api/v1/appeals".into(),
            body: Some(serde_json::to_value(appeal)?),
            keyed: true,
        }))
    })
}

fn prepare_message<'a>(store: &'a Store, item: &'a Item) -> BoxFuture<'a, Result<Prepared>> {
    Box::pin(async move {
        let m: Message = outbox::fields(item)?;
        let id = records::server_id_of_key(store, &m.appeal).await?;
        Ok(Prepared::Send(Request {
            method: Method::POST,
            path: format!("api/v1/appeals/{id}/messages"),
            body: Some(serde_json::json!({ "body": m.body })),
            keyed: true,
        }))
    })
}

/// The corrected appeal; its attachments are the ones it had (a form cannot point them at
/// other uploads).
pub(crate) fn revise_create(item: Item, appeal: NewAppeal) -> Result<(Create, Option<Value>)> {
    let old: Create = outbox::fields(&item)?;
    let appeal = NewAppeal {
        attachments: old.appeal.attachments,
        ..appeal
    };
    let draft = serde_json::to_value(&appeal)?;
    Ok((Create { appeal }, Some(draft)))
}

pub(crate) fn revise_message(item: Item, body: &str) -> Result<(Message, Option<Value>)> {
    let old: Message = outbox::fields(&item)?;
    Ok((
        Message {
            appeal: old.appeal,
            body: body.into(),
        },
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yiqifu_protocol::AppealCategory;

    fn appeal(title: &str, attachments: &[&str]) -> NewAppeal {
        NewAppeal {
            category: AppealCategory::Staffing,
            title: title.into(),
            description: "返岗人员核酸检测排队时间长。".into(),
            attachments: attachments.iter().map(|a| a.to_string()).collect(),
            contact: None,
        }
    }

    fn item(op: &OpKind, fields: &impl Serialize) -> Item {
        Item {
            id: 1,
            kind: op.kind.into(),
            version: op.version,
            record_id: "appeal-1".into(),
            key: "idem-1".into(),
            payload: outbox::payload(op.kind, fields).unwrap(),
            attempts: 1,
        }
    }

    #[test]
    fn a_revision_changes_what_the_officer_wrote_and_keeps_local_ids() {
        let old = item(
            &CREATE,
            &Create {
                appeal: appeal("旧标题", &["upload-1"]),
            },
        );
        let (revised, draft) =
            revise_create(old, appeal("新标题", &["upload-of-someone-else"])).unwrap();
        assert_eq!(revised.appeal, appeal("新标题", &["upload-1"]));
        assert_eq!(
            draft.unwrap(),
            serde_json::to_value(appeal("新标题", &["upload-1"])).unwrap()
        );
        let msg = item(
            &MESSAGE,
            &Message {
                appeal: "appeal-1".into(),
                body: "旧".into(),
            },
        );
        let (m, _) = revise_message(msg, "新").unwrap();
        assert_eq!(
            m,
            Message {
                appeal: "appeal-1".into(),
                body: "新".into()
            }
        );
    }

    /// Rows queued by the version before workspaces are read as they were written.
    #[test]
    fn reads_the_payloads_of_format_1() {
        let row: Value = serde_json::from_str(
            r#"{"op":"create_appeal","appeal":{"category":"logistics","title":"通行证","description":"续办","attachments":["upl-1"]}}"#,
        )
        .unwrap();
        let it = Item {
            payload: row.clone(),
            ..item(
                &CREATE,
                &Create {
                    appeal: appeal("x", &[]),
                },
            )
        };
        let c: Create = outbox::fields(&it).unwrap();
        assert_eq!(c.appeal.attachments, vec!["upl-1".to_string()]);
        assert_eq!(outbox::payload("create_appeal", &c).unwrap(), row);
        assert_eq!((CREATE.draft)(&row), row.get("appeal").cloned());
    }

    /// A rating of an appeal filed elsewhere goes to its server id, under the item's key,
    /// so a retry after a lost answer is the same request; one of a local appeal waits for
    /// the service to have it.
    #[tokio::test]
    async fn a_rating_goes_by_the_key_it_names_and_carries_its_retry_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_as(dir.path(), crate::store::Schema::Workspace)
            .await
            .unwrap();
        let rating = Rating {
            score: 4,
            comment: Some("及时".into()),
        };
        let rate = |appeal: &str| {
            item(
                &RATE,
                &Rate {
                    appeal: appeal.into(),
                    rating: rating.clone(),
                },
            )
        };
        let req = prepare_rate(&store, &rate("srv:apl_1"))
            .await
            .unwrap()
            .request();
        assert_eq!(req.path, "api/v1/appeals/apl_1/rating");
        assert!(req.keyed);
        assert_eq!(req.body, Some(serde_json::to_value(&rating).unwrap()));
        assert_eq!(
            prepare_rate(&store, &rate("appeal-unknown"))
                .await
                .unwrap_err()
                .code(),
            "NOT_FOUND"
        );
    }
}
