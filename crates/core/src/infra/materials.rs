//! The content-addressed store of material files and the queue of their uploads. A file the
//! officer picks is copied here (named by its SHA-256) before anything else happens, so a
//! package never depends on a file the officer later moves or edits.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use specta::Type;
use sqlx::{Sqlite, Transaction};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::error::{Error, Result};
use crate::outbox::{new_local_id, now_unix};
use crate::store::Store;

pub const STORE_DIR: &str = "materials";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct UploadProgress {
    pub local_id: String,
    // Sizes stay far below 2^53, so a JavaScript number holds them exactly.
    #[specta(type = f64)]
    pub sent: u64,
    #[specta(type = f64)]
    pub total: u64,
}

#[derive(Debug, Clone)]
pub struct UploadRow {
    pub local_id: String,
    pub sha256: String,
    pub size: u64,
    pub material_type: String,
    pub filename: String,
    pub attempts: u32,
}

pub fn path_of(store: &Store, sha256: &str) -> PathBuf {
    store.dir().join(STORE_DIR).join(sha256)
}

/// The name to show and send for a picked file: its last path component, without control
/// characters.
fn display_name(path: &Path) -> Result<String> {
    let name: String = path
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .chars()
                .filter(|c| !c.is_control())
                .collect()
        })
        .unwrap_or_default();
    let name = name.trim().to_string();
    if name.is_empty() {
        return Err(Error::InvalidFile(path.display().to_string()));
    }
    Ok(name)
}

/// A picked file copied beside the store, hashed as it was copied, not yet kept: the checks
/// run on this copy, so what was checked is exactly what is kept and sent.
pub struct Incoming {
    pub tmp: PathBuf,
    pub sha256: String,
    pub size: u64,
}

impl Incoming {
    /// Keeps the copy in the store under its hash (an identical file already there is kept
    /// as it is).
    pub async fn keep(self, store: &Store) -> Result<()> {
        let dest = path_of(store, &self.sha256);
        if tokio::fs::try_exists(&dest).await? {
            tokio::fs::remove_file(&self.tmp).await?;
        } else {
            crate::store::rename_retrying(&self.tmp, &dest).await?;
        }
        Ok(())
    }

    /// Drops the copy (the checks refused it).
    pub async fn discard(self) {
        let _ = tokio::fs::remove_file(&self.tmp).await;
    }
}

/// Copies `src` beside the store, hashing as it goes. A copy cut short (a full disk) is
/// removed.
pub async fn copy_in(store: &Store, src: &Path) -> Result<Incoming> {
    let dir = store.dir().join(STORE_DIR);
    tokio::fs::create_dir_all(&dir).await?;
    let mut input = tokio::fs::File::open(src)
        .await
        .map_err(|_| Error::InvalidFile(src.display().to_string()))?;
    let tmp = dir.join(format!(".incoming-{}", new_local_id("f")));
    let copied = async {
        let mut out = tokio::fs::File::create(&tmp).await?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = input.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).await?;
            size += n as u64;
        }
        out.sync_all().await?;
        Ok::<_, std::io::Error>((hex::encode(hasher.finalize()), size))
    }
    .await;
    match copied {
        Ok((sha256, size)) => Ok(Incoming { tmp, sha256, size }),
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            Err(e.into())
        }
    }
}

/// Queues the upload of a file already in the store, inside the caller's transaction.
pub async fn queue_stored(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    sha256: &str,
    size: u64,
    material_type: &str,
    filename: &str,
) -> Result<String> {
    let local_id = new_local_id("upl");
    sqlx::query(
        "INSERT INTO uploads (local_id, sha256, size, material_type, filename, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&local_id)
    .bind(sha256)
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(material_type)
    .bind(filename)
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(local_id)
}

/// Copies `src` into the store (hashing as it goes) and queues its upload.
pub async fn add(store: &Store, src: &Path, material_type: &str) -> Result<String> {
    let filename = display_name(src)?;
    let incoming = copy_in(store, src).await?;
    let (sha, size) = (incoming.sha256.clone(), incoming.size);
    incoming.keep(store).await?;
    let mut tx = store.write().await?;
    let local_id = queue_stored(&mut tx, &sha, size, material_type, &filename).await?;
    tx.commit().await?;
    Ok(local_id)
}

/// Whether a stored file is still there with its size (a full re-hash is the package's
/// job: it reads every file once anyway).
pub async fn stored_ok(store: &Store, sha256: &str, size: u64) -> bool {
    tokio::fs::metadata(path_of(store, sha256))
        .await
        .is_ok_and(|m| m.len() == size)
}

type UploadTuple = (String, String, i64, String, String, i64);

pub async fn next_due(store: &Store, now: i64) -> Result<Option<UploadRow>> {
    let row: Option<UploadTuple> = sqlx::query_as(
        "SELECT local_id, sha256, size, material_type, filename, attempts FROM uploads
         WHERE done = 0 AND parked = 0 AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT 1",
    )
    .bind(now)
    .fetch_optional(store.pool())
    .await?;
    Ok(row.map(|r| UploadRow {
        local_id: r.0,
        sha256: r.1,
        size: u64::try_from(r.2).unwrap_or(0),
        material_type: r.3,
        filename: r.4,
        attempts: u32::try_from(r.5).unwrap_or(u32::MAX),
    }))
}

/// Saves the tus URL before any byte goes to it.
pub async fn set_location(store: &Store, local_id: &str, location: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE uploads SET location = ? WHERE local_id = ?")
        .bind(location)
        .bind(local_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The tus URL of an upload under way, read afresh each time: a refreshed session retries
/// with what the first attempt saved.
pub async fn location(store: &Store, local_id: &str) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT location FROM uploads WHERE local_id = ?")
            .bind(local_id)
            .fetch_optional(store.pool())
            .await?;
    Ok(row.and_then(|r| r.0))
}

pub async fn finish(store: &Store, local_id: &str, server_id: &str) -> Result<()> {
    sqlx::query("UPDATE uploads SET done = 1, server_id = ?, last_error = NULL WHERE local_id = ?")
        .bind(server_id)
        .bind(local_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// A finished upload as a request names it.
pub struct Sent {
    pub local_id: String,
    pub server_id: String,
    pub location: Option<String>,
    pub sha256: String,
    pub size: u64,
}

/// The finished uploads whose service ids appear anywhere in `body`.
pub async fn named_in(store: &Store, body: &Value) -> Result<Vec<Sent>> {
    fn strings<'a>(v: &'a Value, out: &mut std::collections::HashSet<&'a str>) {
        match v {
            Value::String(s) => {
                out.insert(s);
            }
            Value::Array(xs) => xs.iter().for_each(|x| strings(x, out)),
            Value::Object(m) => m.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut named = std::collections::HashSet::new();
    strings(body, &mut named);
    let rows: Vec<(String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT local_id, server_id, location, sha256, size FROM uploads
         WHERE done = 1 AND server_id IS NOT NULL",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| named.contains(r.1.as_str()))
        .map(|r| Sent {
            local_id: r.0,
            server_id: r.1,
            location: r.2,
            sha256: r.3,
            size: u64::try_from(r.4).unwrap_or(0),
        })
        .collect())
}

/// Uploads the service no longer has go again from the stored copies, as new uploads.
pub async fn send_again(tx: &mut Transaction<'static, Sqlite>, local_ids: &[String]) -> Result<()> {
    for id in local_ids {
        sqlx::query(
            "UPDATE uploads SET done = 0, server_id = NULL, location = NULL, sent = 0,
                 attempts = 0, next_attempt_at = 0, last_error = NULL WHERE local_id = ?",
        )
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The service's id of a finished upload, or `None` while it is still going.
pub async fn server_id(store: &Store, local_id: &str) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT server_id FROM uploads WHERE local_id = ?")
            .bind(local_id)
            .fetch_optional(store.pool())
            .await?;
    match row {
        // The officer discarded it when the service refused it.
        None => Err(Error::UploadDiscarded(local_id.into())),
        Some((id,)) => Ok(id),
    }
}

/// Reads `len` bytes of a stored file from `offset`.
pub async fn read_chunk(store: &Store, sha256: &str, offset: u64, len: usize) -> Result<Vec<u8>> {
    use tokio::io::AsyncSeekExt;
    let mut f = tokio::fs::File::open(path_of(store, sha256)).await?;
    f.seek(std::io::SeekFrom::Start(offset)).await?;
    let mut buf = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        let n = f.read(&mut buf[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(buf)
}

/// A stored file as a form shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct MaterialFile {
    pub local_id: String,
    pub filename: String,
    #[specta(type = f64)]
    pub size: u64,
    pub material_type: String,
    /// Whether the service has all of it.
    pub uploaded: bool,
}

/// The files named by `ids` that are in the store; unknown ids are left out.
pub async fn files(store: &Store, ids: &[&str]) -> Result<Vec<MaterialFile>> {
    let mut out = Vec::new();
    for id in ids {
        let row: Option<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT filename, size, material_type, done FROM uploads WHERE local_id = ?",
        )
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
        if let Some((filename, size, material_type, done)) = row {
            out.push(MaterialFile {
                local_id: (*id).to_string(),
                filename,
                size: u64::try_from(size).unwrap_or(0),
                material_type,
                uploaded: done == 1,
            });
        }
    }
    Ok(out)
}

/// Whether an upload among `ids` was refused for good (parked).
pub async fn any_parked(store: &Store, ids: &[&str]) -> Result<bool> {
    for id in ids {
        let row: Option<(bool,)> = sqlx::query_as("SELECT parked FROM uploads WHERE local_id = ?")
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
        if matches!(row, Some((true,))) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether an upload among `ids` was refused for good (parked), read inside the caller's
/// transaction.
pub async fn refused_among(tx: &mut Transaction<'static, Sqlite>, ids: &[String]) -> Result<bool> {
    for id in ids {
        let row: Option<(bool,)> =
            sqlx::query_as("SELECT parked FROM uploads WHERE local_id = ? AND done = 0")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        if matches!(row, Some((true,))) {
            return Ok(true);
        }
    }
    Ok(false)
}
