//! Which self-check items cite a document: opening a policy links to them.

use serde::Serialize;
use specta::Type;
use yiqifu_protocol::SelfCheckTemplate;

use crate::error::Result;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CitingItem {
    pub template_id: String,
    pub template_title: String,
    pub version: u32,
    pub item_id: String,
    pub prompt: String,
    /// The clause of the document the item cites ("三、").
    pub clause: String,
}

/// The items of the newest version of each template that cite `document_id`, in template
/// order.
pub async fn citing_items(store: &Store, document_id: &str) -> Result<Vec<CitingItem>> {
    let mut newest: Vec<SelfCheckTemplate> = Vec::new();
    for v in super::collection(store, super::TEMPLATES).await? {
        // A template this version cannot read cites nothing it could show.
        let Ok(t) = serde_json::from_value::<SelfCheckTemplate>(v) else {
            continue;
        };
        match newest.iter_mut().find(|n| n.id == t.id) {
            Some(n) if n.version < t.version => *n = t,
            Some(_) => {}
            None => newest.push(t),
        }
    }
    Ok(newest
        .iter()
        .flat_map(|t| {
            t.items()
                .filter(|i| i.cites.document_id == document_id)
                .map(|i| CitingItem {
                    template_id: t.id.clone(),
                    template_title: t.title.clone(),
                    version: t.version,
                    item_id: i.id.clone(),
                    prompt: i.prompt.clone(),
                    clause: i.cites.clause.clone(),
                })
        })
        .collect())
}
