//! The migration that makes appeals and listings feeds, on rows written before it: each
//! enterprise's appeals numbered in the order they were stored, listings numbered across
//! the market, and the columns expiry reads filled from the bodies.

use sqlx::sqlite::SqlitePoolOptions;
use sqlx::Executor;

const BEFORE: [&str; 4] = [
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/sqlite/0002_records.sql"),
    include_str!("../migrations/sqlite/0003_profiles.sql"),
    include_str!("../migrations/sqlite/0004_upload_format.sql"),
];
const FEEDS: &str = include_str!("../migrations/sqlite/0005_feeds.sql");

/// A database in memory, on one connection so that every statement sees the same one.
async fn memory_db() -> sqlx::SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .unwrap()
}

#[tokio::test]
async fn rows_from_before_the_feeds_are_numbered_and_filled_in() {
    let db = memory_db().await;
    for sql in BEFORE {
        db.execute(sql).await.unwrap();
    }
    for (id, owner) in [("apl_a1", "A"), ("apl_b1", "B"), ("apl_a2", "A")] {
        sqlx::query("INSERT INTO appeals (id, owner, state, body, updated_at) VALUES ($1, $2, 'submitted', '{}', 0)")
            .bind(id)
            .bind(owner)
            .execute(&db)
            .await
            .unwrap();
    }
    for (id, until, district) in [
        ("lst_1", "2022-05-30", "闵行区"),
        ("lst_2", "2022-06-01", "嘉定区"),
    ] {
        let body = serde_json::json!({"valid_until": until, "district": district}).to_string();
        sqlx::query("INSERT INTO listings (id, owner, kind, category, state, body, created_at) VALUES ($1, 'A', 'supply', 'supplies', 'active', $2, 1651370400)")
            .bind(id)
            .bind(body)
            .execute(&db)
            .await
            .unwrap();
    }
    db.execute(FEEDS).await.unwrap();

    let appeals: Vec<(String, i64)> = sqlx::query_as("SELECT id, seq FROM appeals ORDER BY id")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(
        appeals,
        [
            ("apl_a1".into(), 1),
            ("apl_a2".into(), 2),
            ("apl_b1".into(), 1)
        ]
    );
    let listings: Vec<(String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, seq, valid_until, district, updated_at FROM listings ORDER BY id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        listings,
        [
            (
                "lst_1".into(),
                1,
                "2022-05-30".into(),
                "闵行区".into(),
                1651370400
            ),
            (
                "lst_2".into(),
                2,
                "2022-06-01".into(),
                "嘉定区".into(),
                1651370400
            ),
        ]
    );
    // Seqs are unique where the feeds need them to be.
    let dup = sqlx::query("INSERT INTO appeals (id, owner, state, body, updated_at, seq) VALUES ('x', 'A', 's', '{}', 0, 2)")
        .execute(&db)
        .await;
    assert!(dup.is_err());
}

/// Threads stored inside appeals before 0008 move to rows of their own, in their order, and
/// the bodies keep an empty list.
#[tokio::test]
async fn threads_stored_in_appeals_move_to_rows_of_their_own() {
    let db = memory_db().await;
    for sql in BEFORE.iter().chain([&FEEDS]).chain([
        &include_str!("../migrations/sqlite/0006_session_expiry.sql"),
        &include_str!("../migrations/sqlite/0007_upload_use.sql"),
    ]) {
        db.execute(*sql).await.unwrap();
    }
    let body = serde_json::json!({
        "id": "apl_t", "title": "通行证",
        "messages": [
            {"from": "enterprise", "body": "第一条", "at": "2022-05-01T01:00:00Z"},
            {"from": "authority", "body": "已收到", "at": "2022-05-01T02:00:00Z"},
            {"from": "enterprise", "body": "第三条", "at": "2022-05-02T01:00:00Z"}
        ]
    });
    sqlx::query("INSERT INTO appeals (id, owner, state, body, updated_at, seq) VALUES ('apl_t', 'A', 'replied', $1, 0, 1)")
        .bind(body.to_string())
        .execute(&db)
        .await
        .unwrap();
    db.execute(include_str!(
        "../migrations/sqlite/0008_appeal_messages.sql"
    ))
    .await
    .unwrap();
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT n, party, body, at FROM appeal_messages WHERE appeal_id = 'apl_t' ORDER BY n",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            (
                0,
                "enterprise".into(),
                "第一条".into(),
                "2022-05-01T01:00:00Z".into()
            ),
            (
                1,
                "authority".into(),
                "已收到".into(),
                "2022-05-01T02:00:00Z".into()
            ),
            (
                2,
                "enterprise".into(),
                "第三条".into(),
                "2022-05-02T01:00:00Z".into()
            ),
        ]
    );
    let (kept,): (String,) = sqlx::query_as("SELECT body FROM appeals WHERE id = 'apl_t'")
        .fetch_one(&db)
        .await
        .unwrap();
    let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
    assert_eq!(kept["messages"], serde_json::json!([]));
    assert_eq!(kept["title"], "通行证");
}

/// Uploads written before the object store: a complete one keeps its row (its bytes stay at
/// the object named by its id, where the folder held them); an unfinished one, whose bytes
/// no part describes, expires, so its client starts it again.
#[tokio::test]
async fn unfinished_uploads_from_before_the_parts_expire_and_complete_ones_stay() {
    let db = memory_db().await;
    let mut before: Vec<&str> = BEFORE.to_vec();
    before.extend([
        FEEDS,
        include_str!("../migrations/sqlite/0006_session_expiry.sql"),
        include_str!("../migrations/sqlite/0007_upload_use.sql"),
        include_str!("../migrations/sqlite/0008_appeal_messages.sql"),
    ]);
    for sql in before {
        db.execute(sql).await.unwrap();
    }
    for (id, offset, sha) in [
        ("up_done", 10, Some("ab")),
        ("up_half", 4, None),
        ("up_new", 0, None),
    ] {
        sqlx::query(
            "INSERT INTO uploads (id, owner, material_type, filename, length, \"offset\", sha256, created_at, expires_at)
             VALUES ($1, 'A', 'commitment_letter', 'a.pdf', 10, $2, $3, 1, 99999999999)",
        )
        .bind(id)
        .bind(offset)
        .bind(sha)
        .execute(&db)
        .await
        .unwrap();
    }
    db.execute(include_str!("../migrations/sqlite/0009_upload_parts.sql"))
        .await
        .unwrap();
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT id, expires_at FROM uploads ORDER BY id")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            ("up_done".into(), 99999999999),
            ("up_half".into(), 0),
            ("up_new".into(), 99999999999)
        ]
    );
}
