//! The only code that touches the `roster` table.

use sha2::{Digest, Sha256};
use sqlx::{Sqlite, Transaction};
use yiqifu_roster::{StaffRow, TestResult};

use crate::error::Result;
use crate::outbox::now_unix;
use crate::store::Store;

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn result_text(r: Option<TestResult>) -> Option<String> {
    r.map(|r| match r {
        TestResult::Negative => "negative".to_string(),
        TestResult::Positive => "positive".to_string(),
    })
}

pub(crate) fn parse_result(s: Option<&str>) -> Option<TestResult> {
    match s {
        Some("negative") => Some(TestResult::Negative),
        Some("positive") => Some(TestResult::Positive),
        _ => None,
    }
}

fn row(r: Row) -> StaffRow {
    StaffRow {
        name: r.0,
        id_number: r.1,
        phone: r.2,
        department: r.3,
        dormitory: r.4,
        test_result: parse_result(r.5.as_deref()),
        test_date: r.6,
    }
}

pub(super) async fn rows(store: &Store) -> Result<Vec<StaffRow>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT name, id_number, phone, department, dormitory, test_result, test_date
         FROM roster ORDER BY pos, id_number",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows.into_iter().map(row).collect())
}

pub(super) async fn ids(store: &Store) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id_number FROM roster")
        .fetch_all(store.pool())
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub(super) async fn count(store: &Store) -> Result<u32> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roster")
        .fetch_one(store.pool())
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Adds rows at the end, in their order; the caller has refused duplicates.
pub(super) async fn append(tx: &mut Transaction<'static, Sqlite>, rows: &[StaffRow]) -> Result<()> {
    let (mut pos,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(pos), 0) FROM roster")
        .fetch_one(&mut **tx)
        .await?;
    for r in rows {
        pos += 1;
        insert(tx, r, pos).await?;
    }
    Ok(())
}

async fn insert(tx: &mut Transaction<'static, Sqlite>, r: &StaffRow, pos: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO roster (id_number, pos, name, phone, department, dormitory, test_result,
                             test_date, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&r.id_number)
    .bind(pos)
    .bind(&r.name)
    .bind(&r.phone)
    .bind(&r.department)
    .bind(&r.dormitory)
    .bind(result_text(r.test_result))
    .bind(&r.test_date)
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces the row of `original` (keeping its place) or adds `r` at the end. `false` when
/// `r`'s ID number belongs to another row already.
pub(super) async fn put(
    tx: &mut Transaction<'static, Sqlite>,
    original: Option<&str>,
    r: &StaffRow,
) -> Result<bool> {
    let taken: Option<(i64,)> = sqlx::query_as("SELECT pos FROM roster WHERE id_number = ?")
        .bind(&r.id_number)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() && original != Some(r.id_number.as_str()) {
        return Ok(false);
    }
    let place: Option<(i64,)> = match original {
        Some(id) => {
            sqlx::query_as("DELETE FROM roster WHERE id_number = ? RETURNING pos")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
        }
        None => None,
    };
    match place {
        Some((pos,)) => insert(tx, r, pos).await?,
        None => append(tx, std::slice::from_ref(r)).await?,
    }
    Ok(true)
}

pub(super) async fn delete(tx: &mut Transaction<'static, Sqlite>, ids: &[String]) -> Result<u32> {
    let mut n = 0;
    for id in ids {
        n += sqlx::query("DELETE FROM roster WHERE id_number = ?")
            .bind(id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(super) async fn clear(tx: &mut Transaction<'static, Sqlite>) -> Result<()> {
    sqlx::query("DELETE FROM roster").execute(&mut **tx).await?;
    Ok(())
}

/// What the roster is, as a hash of its rows in order: forms and the exported list record
/// it, so a later edit shows they are out of date.
pub(crate) async fn fingerprint(store: &Store) -> Result<String> {
    let rows = rows(store).await?;
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(&rows)?);
    Ok(hex::encode(h.finalize()))
}
