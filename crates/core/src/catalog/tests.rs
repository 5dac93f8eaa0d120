//! The library's state at the level of the documents feed: the status rule in SQL against
//! the one in Rust, and rounds of changes across the feed's transactions.

use yiqifu_protocol::{Document, DocumentKind, PolicyLevel};

use super::changes::{self, IS_NEW_SQL};
use super::status::{in_force_sql, status_sql, DocStatus};
use super::{remove, statuses, sweep_older_than, upsert, whats_new};
use crate::store::Store;

fn doc(
    id: &str,
    effective_on: &str,
    expires_on: Option<&str>,
    supersedes: Option<&str>,
) -> Document {
    Document {
        id: id.into(),
        kind: DocumentKind::Policy,
        title: format!("文件 {id}"),
        level: PolicyLevel::Municipal,
        district: None,
        issuer: "上海市经济和信息化委员会".into(),
        doc_number: None,
        published_on: effective_on.into(),
        effective_on: effective_on.into(),
        expires_on: expires_on.map(str::to_string),
        industries: vec![],
        tags: vec![],
        summary: String::new(),
        body: "正文".into(),
        key_conditions: vec![],
        supersedes: supersedes.map(str::to_string),
    }
}

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    (dir, store)
}

/// One page of the documents feed: upserts, tombstones, and whether it reached the head.
async fn page(store: &Store, gen: i64, put: &[Document], gone: &[&str], head: bool) {
    let mut tx = store.write().await.unwrap();
    for d in put {
        upsert(&mut tx, d, gen).await.unwrap();
    }
    for id in gone {
        remove(&mut tx, id).await.unwrap();
    }
    if head {
        changes::close_round(&mut tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_sql_status_agrees_with_the_rust_rule() {
    let (_dir, store) = store().await;
    let docs = [
        doc("a-open", "2022-04-01", None, None),
        doc("b-ended", "2022-04-01", Some("2022-05-31"), None),
        doc("c-v1", "2022-04-16", Some("2022-05-02"), None),
        doc("d-v2", "2022-05-03", None, Some("c-v1")),
        doc("e-later", "2027-01-01", None, None),
        doc("f-old", "2022-04-01", None, None),
        doc("g-next", "2027-01-01", None, Some("f-old")),
        doc("h-self", "2022-04-01", None, Some("h-self")),
    ];
    page(&store, 1, &docs, &[], true).await;
    for today in [
        "2022-04-01",
        "2022-05-02",
        "2022-05-03",
        "2026-12-02",
        "2027-06-01",
    ] {
        let rust = statuses(&store, today).await.unwrap();
        let sql = format!(
            "SELECT d.id, {}, {} FROM documents d ORDER BY d.id",
            status_sql(today).unwrap(),
            in_force_sql(today).unwrap()
        );
        let rows: Vec<(String, String, bool)> =
            sqlx::query_as(&sql).fetch_all(store.pool()).await.unwrap();
        assert_eq!(rows.len(), rust.len());
        for ((id, s, in_force), (rid, rs)) in rows.iter().zip(&rust) {
            assert_eq!(id, rid);
            assert_eq!(DocStatus::parse(s), Some(*rs), "{id} on {today}");
            assert_eq!(*in_force, *rs == DocStatus::InForce, "{id} on {today}");
        }
    }
    let on = |id: &str, today: &str| {
        let today = today.to_string();
        let id = id.to_string();
        let store = store.clone();
        async move {
            statuses(&store, &today)
                .await
                .unwrap()
                .into_iter()
                .find(|(i, _)| *i == id)
                .unwrap()
                .1
        }
    };
    assert_eq!(on("c-v1", "2026-12-02").await, DocStatus::Superseded);
    assert_eq!(on("c-v1", "2022-05-02").await, DocStatus::InForce);
    assert_eq!(on("f-old", "2026-12-02").await, DocStatus::InForce);
    assert_eq!(on("f-old", "2027-06-01").await, DocStatus::Superseded);
    assert_eq!(on("h-self", "2026-12-02").await, DocStatus::InForce);
    assert_eq!(on("e-later", "2026-12-02").await, DocStatus::NotYet);
}

async fn new_ids(store: &Store) -> Vec<String> {
    let sql = format!("SELECT d.id FROM documents d WHERE {IS_NEW_SQL} ORDER BY d.id");
    sqlx::query_as::<_, (String,)>(&sql)
        .fetch_all(store.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|(i,)| i)
        .collect()
}

#[tokio::test]
async fn a_round_spans_an_interrupted_pull_and_unchanged_deliveries_count_for_nothing() {
    let (_dir, store) = store().await;
    let a = doc("a", "2022-04-01", None, None);
    let b = doc("b", "2022-04-02", None, None);
    // The first sync into an empty library, over two pages: a baseline, nothing new.
    page(&store, 1, std::slice::from_ref(&a), &[], false).await;
    page(&store, 1, std::slice::from_ref(&b), &[], true).await;
    let first = whats_new(&store).await.unwrap();
    assert_eq!(first.count(), 0);
    assert!(first.synced_at.is_some());
    assert!(new_ids(&store).await.is_empty());

    // A pull interrupted after its first page: its changes wait for the round to close.
    let mut b2 = b.clone();
    b2.body.push_str("（修订）");
    let c = doc("c", "2022-04-03", None, None);
    page(&store, 1, &[a.clone(), b2.clone()], &[], false).await;
    assert_eq!(whats_new(&store).await.unwrap(), first);
    // Resumed: one round with both pages.
    page(
        &store,
        1,
        std::slice::from_ref(&c),
        &["a", "never-seen"],
        true,
    )
    .await;
    let news = whats_new(&store).await.unwrap();
    let ids = |v: &[super::DocumentSummary]| v.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&news.new), ["c"]);
    assert_eq!(ids(&news.changed), ["b"]);
    assert_eq!(
        news.withdrawn.iter().map(|w| &w.id).collect::<Vec<_>>(),
        ["a"]
    );
    assert_eq!(news.since, first.synced_at);
    assert_eq!(changes::new_count(&store).await.unwrap(), 3);
    assert_eq!(new_ids(&store).await, ["b", "c"]);

    // The same documents again, and a tombstone for one already gone: no new round.
    page(&store, 1, &[b2.clone(), c.clone()], &["a"], true).await;
    assert_eq!(whats_new(&store).await.unwrap(), news);

    // A full resync that does not deliver c any more: withdrawn in a round of its own.
    page(&store, 2, &[b2.clone()], &[], false).await;
    let mut tx = store.write().await.unwrap();
    assert_eq!(sweep_older_than(&mut tx, 2).await.unwrap(), 1);
    changes::close_round(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    let swept = whats_new(&store).await.unwrap();
    assert!(swept.new.is_empty() && swept.changed.is_empty());
    assert_eq!(
        swept.withdrawn.iter().map(|w| &w.id).collect::<Vec<_>>(),
        ["c"]
    );
    assert_eq!(changes::withdrawn(&store).await.unwrap().len(), 2);
}
