//! The inbox's own tables: read marks made here and entries already announced. Only this
//! module touches them.

use std::collections::HashSet;

use sqlx::{Sqlite, Transaction};

use crate::error::Result;
use crate::store::Store;

type Tx = Transaction<'static, Sqlite>;

pub(super) async fn marks(store: &Store) -> Result<HashSet<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT entry_id FROM inbox_marks")
        .fetch_all(store.pool())
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub(super) async fn mark(tx: &mut Tx, entry: &str) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO inbox_marks (entry_id, marked_at) VALUES (?, ?)")
        .bind(entry)
        .bind(crate::outbox::now_unix())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn notified(store: &Store) -> Result<HashSet<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT entry_id FROM inbox_notified")
        .fetch_all(store.pool())
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub(super) async fn set_notified(tx: &mut Tx, entry: &str) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO inbox_notified (entry_id) VALUES (?)")
        .bind(entry)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
