//! The client's one SQLite database, in the OS app-data folder.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::Result;

pub const DB_FILE: &str = "yiqifu.sqlite";

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    dir: PathBuf,
}

impl Store {
    /// Opens (creating on first start) the database in `dir`, and brings its schema up to date.
    pub async fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let opts = SqliteConnectOptions::from_str("sqlite://")?
            .filename(dir.join(DB_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self {
            pool,
            dir: dir.to_path_buf(),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A write transaction that takes the write lock up front, so two writers never deadlock
    /// upgrading from a read.
    pub async fn write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub async fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some((v,)) => Ok(Some(serde_json::from_str(&v)?)),
            None => Ok(None),
        }
    }

    pub async fn set_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let mut tx = self.write().await?;
        put_setting(&mut tx, key, value).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_setting(&self, key: &str) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM settings WHERE key = ?")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queued and parked outbox items.
    pub async fn outbox_counts(&self) -> Result<(u32, u32)> {
        let (queued, parked): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(parked = 0), 0), COALESCE(SUM(parked = 1), 0) FROM outbox",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((
            u32::try_from(queued).unwrap_or(u32::MAX),
            u32::try_from(parked).unwrap_or(u32::MAX),
        ))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

pub async fn put_setting<T: Serialize>(
    tx: &mut Transaction<'static, Sqlite>,
    key: &str,
    value: &T,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(serde_json::to_string(value)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn creates_the_database_on_first_start_and_keeps_settings() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("数据 目录");
        // Under Windows (Wine in CI) this is a C:\...\Temp path: drive letter, backslashes.
        #[cfg(windows)]
        assert!(data.to_string_lossy().contains(":\\"));
        {
            let store = Store::open(&data).await.unwrap();
            store.set_setting("k", &vec!["一", "二"]).await.unwrap();
            store.close().await;
        }
        assert!(data.join(DB_FILE).exists());
        let store = Store::open(&data).await.unwrap();
        assert_eq!(
            store.setting::<Vec<String>>("k").await.unwrap(),
            Some(vec!["一".to_string(), "二".to_string()])
        );
        store.delete_setting("k").await.unwrap();
        assert_eq!(store.setting::<Vec<String>>("k").await.unwrap(), None);
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(store.outbox_counts().await.unwrap(), (0, 0));
    }
}
