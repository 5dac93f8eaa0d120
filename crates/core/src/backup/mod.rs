//! Backups: one file holding enterprises' work — each one's database, material files and
//! application packages, the service it belongs to and the proxy, never a token (those
//! stay in the system keychain, so the officer signs in again after restoring elsewhere).
//!
//! The officer exports one by hand; the app takes its own at quit and before an update
//! migrates a database (databases only: material files are never changed by either, and
//! copying gigabytes at every quit would make quitting slow), and before a restore replaces
//! work. A restore never replaces work that is newer on this computer without being told to.

mod archive;
mod restore;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::SqlitePool;
use yiqifu_protocol::EnterpriseProfile;

use crate::app::{App, ServerChoice, PROXY_KEY, SERVER_KEY};
use crate::client::Proxy;
use crate::error::{Error, Result};
use crate::store::{self, Schema, WORKSPACE_DB_FILE};
use crate::workspace::{workspace_dir, WORKSPACES_DIR};

pub use restore::{BackupEnterprise, BackupInfo, RestoreOutcome, RestoreState};

/// The folder of automatic backups, in the data folder.
pub const BACKUPS_DIR: &str = "backups";
/// A backup's temporary copies, in the backups folder, while it is written.
pub(crate) const SCRATCH_PREFIX: &str = ".work-";
/// An enterprise being unpacked by a restore, beside the enterprises' folders.
pub(crate) const STAGING_PREFIX: &str = ".restoring-";
/// A backup file's extension.
pub const EXTENSION: &str = "yqfbak";
const MANIFEST: &str = "manifest.json";
/// The archive layout this version writes; a newer one is refused with why.
const FORMAT: u32 = 1;
/// Automatic backups kept of each kind.
pub const KEEP: usize = 5;

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// By the officer, with every file.
    Export,
    /// When the app quit.
    Quit,
    /// Before an update changed a database.
    BeforeUpdate,
    /// Before a restore replaced this computer's work.
    BeforeRestore,
}

impl BackupKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::Export => "export",
            Self::Quit => "quit",
            Self::BeforeUpdate => "before-update",
            Self::BeforeRestore => "before-restore",
        }
    }
}

/// Which enterprises an export holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackupScope {
    Enterprise {
        id: String,
    },
    /// Every enterprise on this computer, of every service.
    All,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub format: u32,
    pub app_version: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub kind: BackupKind,
    /// Whether material files and packages are inside, or the databases only.
    pub files: bool,
    /// The service chosen when it was taken.
    pub server: Option<ServerChoice>,
    pub proxy: Option<Proxy>,
    pub enterprises: Vec<Entry>,
}

/// One enterprise in a backup.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub id: String,
    /// The key of its service (see [`ServerChoice::key`]).
    pub server: String,
    pub credit_code: String,
    pub profile: EnterpriseProfile,
    pub added_at: i64,
    /// The newest migration its database has.
    pub schema_version: i64,
    /// The newest change in its database (Unix seconds), to tell which work is newer.
    pub last_change_at: Option<i64>,
    /// Its database's content ([`fingerprint`]), to tell the same work from other work of
    /// the same time; absent in backups made before it was kept.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// The states its work has been in when backed up or restored, on any computer, its own
    /// last ([`LINEAGE_KEY`]): what this copy descends from. Absent in backups made before
    /// it was kept.
    #[serde(default)]
    pub lineage: Option<Vec<String>>,
}

/// An export or automatic backup, as lists show it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BackupFile {
    pub path: String,
    pub kind: BackupKind,
    pub created_at: String,
    /// Bytes (a float: TypeScript numbers).
    pub size: f64,
    pub files: bool,
    /// The enterprises' names.
    pub enterprises: Vec<String>,
}

/// How far a backup or restore is, for its progress bar.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BackupProgress {
    pub restoring: bool,
    pub done: f64,
    pub total: f64,
}

/// A workspace as the app's database lists it.
struct Row {
    id: String,
    server: String,
    credit_code: String,
    profile: EnterpriseProfile,
    added_at: i64,
}

async fn rows(app_db: &SqlitePool, only: Option<&[String]>) -> Result<Vec<Row>> {
    let raw: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, server, credit_code, profile, added_at FROM workspaces ORDER BY added_at, id",
    )
    .fetch_all(app_db)
    .await?;
    let mut out = Vec::new();
    for (id, server, credit_code, profile, added_at) in raw {
        if only.is_some_and(|o| !o.contains(&id)) {
            continue;
        }
        out.push(Row {
            id,
            server,
            credit_code,
            profile: serde_json::from_str(&profile)?,
            added_at,
        });
    }
    Ok(out)
}

async fn raw_setting<T: serde::de::DeserializeOwned>(pool: &SqlitePool, key: &str) -> Option<T> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
        .bind(key)
        .fetch_optional(pool)
        .await
        .ok()?;
    row.and_then(|(v,)| serde_json::from_str(&v).ok())
}

/// The newest change in a workspace database: the latest of every `…_at` time column its
/// tables have (Unix seconds), but those of what a sync writes (`NOT_WORK_*`). Read from the
/// schema, so a feature's new table counts without being listed here; `next_attempt_at` is
/// when a retry is due, not a change.
pub(crate) async fn last_change(pool: &SqlitePool) -> Result<Option<i64>> {
    let cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.type = 'INTEGER' AND p.name LIKE '%\\_at' ESCAPE '\\'
           AND p.name <> 'next_attempt_at'",
    )
    .fetch_all(pool)
    .await?;
    // What a sync writes moves no one's work forward: a restored computer that synced is
    // not "newer here" than a later backup of the same work. (An edit of a record's draft
    // moves only `records.updated_at`, left out too: the fingerprint and the lineage see it.)
    let cols: Vec<(String, String)> = cols
        .into_iter()
        .filter(|(t, c)| {
            !NOT_WORK_TABLES.contains(&t.as_str())
                && !NOT_WORK_COLUMNS.contains(&(t.as_str(), c.as_str()))
        })
        .collect();
    if cols.is_empty() {
        return Ok(None);
    }
    let union = cols
        .iter()
        .map(|(t, c)| format!("SELECT MAX(\"{c}\") AS t FROM \"{t}\""))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let (t,): (Option<i64>,) = sqlx::query_as(&format!("SELECT MAX(t) FROM ({union})"))
        .fetch_one(pool)
        .await?;
    Ok(t)
}

/// What the fingerprint leaves out: what the service gives back at the next sync, and the
/// bookkeeping of sending, which change at every sync and are nobody's work. With them in,
/// a backup would stop being "the same" half a minute after it was taken.
const NOT_WORK_TABLES: &[&str] = &[
    "_sqlx_migrations",
    "application_seen",
    "feed_items",
    "inbox_notified",
    "listing_cache",
    "own_listings",
    "sync_cursors",
    "uploads",
];
const NOT_WORK_COLUMNS: &[(&str, &str)] = &[
    ("outbox", "attempts"),
    ("outbox", "next_attempt_at"),
    ("outbox", "last_error"),
    ("outbox", "last_error_en"),
    ("outbox", "parked"),
    // Set by the sending: a request held for another, a key renewed after a refusal.
    ("outbox", "waits_on"),
    ("outbox", "idempotency_key"),
    ("records", "server_body"),
    // Moved by the service's answers (a status pulled) and by an officer's edit of the draft,
    // which the fingerprint sees in `draft` itself.
    ("records", "updated_at"),
];
const NOT_WORK_SETTINGS: &[&str] = &[
    LINEAGE_KEY,
    LINEAGE_AT_KEY,
    crate::workspace::LAST_SYNC_KEY,
    crate::inbox::notify::ANNOUNCED_KEY,
    crate::workspace::REVOKE_KEY,
];

/// A workspace's lineage: the fingerprints of the states its work was in each time it was
/// backed up or restored, oldest first, travelling with it in every backup. A backup whose
/// lineage holds this computer's state was made from it, later: replacing it loses nothing.
/// One that does not may lack work done here, however much later it is (two computers).
pub(crate) const LINEAGE_KEY: &str = "backup.lineage";
/// When the lineage last changed (Unix seconds): a request queued after it is work no state
/// in it holds.
pub(crate) const LINEAGE_AT_KEY: &str = "backup.lineage_at";
/// States kept in a lineage: a backup at every quit for years, and still a few kilobytes.
const LINEAGE_KEEP: usize = 256;
/// Joins the two fingerprints of a lineage entry a migration or a send wrote, `after<before`:
/// the same work in the newer tables, or once a request of it has left the queue.
const MIGRATED: char = '<';

async fn lineage_of(pool: &SqlitePool) -> Vec<String> {
    raw_setting(pool, LINEAGE_KEY).await.unwrap_or_default()
}

/// Adds `entry` to the lineage of the database `pool`, the oldest past [`LINEAGE_KEEP`]
/// dropped; returns the lineage. Nothing is written when it ends with `entry` already (a quit
/// with nothing done since the last): a database closed whole stays so. Read and written
/// under the write lock, so two backups at once both leave their state in it.
async fn extend_lineage(pool: &SqlitePool, entry: String) -> Result<Vec<String>> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let lineage = extend_lineage_on(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(lineage)
}

async fn lineage_on(tx: &mut sqlx::SqliteConnection) -> Result<Vec<String>> {
    let held: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
        .bind(LINEAGE_KEY)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(held
        .and_then(|(v,)| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// [`extend_lineage`] on a connection, inside a write transaction the caller holds.
async fn extend_lineage_on(tx: &mut sqlx::SqliteConnection, entry: String) -> Result<Vec<String>> {
    let mut lineage = lineage_on(tx).await?;
    if lineage.last() == Some(&entry) {
        return Ok(lineage);
    }
    lineage.push(entry);
    write_lineage_on(tx, &mut lineage).await?;
    Ok(lineage)
}

/// Writes `lineage` (the oldest past [`LINEAGE_KEEP`] dropped) and when it was written.
async fn write_lineage_on(
    tx: &mut sqlx::SqliteConnection,
    lineage: &mut Vec<String>,
) -> Result<()> {
    let excess = lineage.len().saturating_sub(LINEAGE_KEEP);
    lineage.drain(..excess);
    for (key, value) in [
        (LINEAGE_KEY, serde_json::to_string(&lineage)?),
        (LINEAGE_AT_KEY, crate::outbox::now_unix().to_string()),
    ] {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// What a sync changes in the officer's work by sending it (the request leaves the queue):
/// the same work, linked in the lineage like a migration, so that a backup made before
/// the send still counts as made from it. Taken inside the send's own write transaction:
/// `before` is read at its start, so nothing the officer writes can fall between the two.
/// Linked only from a state the lineage knows (backed up, restored, or linked already): no
/// backup anywhere can hold any other. Never in the way of the send: what goes wrong here is
/// logged, and costs a restore one question more.
pub(crate) struct SendLink(Option<String>);

impl SendLink {
    pub(crate) async fn before(tx: &mut sqlx::SqliteConnection) -> Self {
        match Self::known_state(tx).await {
            Ok(state) => Self(state),
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "send not linked in the lineage");
                Self(None)
            }
        }
    }

    /// The state now, when the lineage may know it. A request queued after the lineage last
    /// changed is work no known state holds: then the whole work is not read (a send after
    /// every action, online, costs one query).
    async fn known_state(tx: &mut sqlx::SqliteConnection) -> Result<Option<String>> {
        let lineage = lineage_on(tx).await?;
        if lineage.is_empty() {
            return Ok(None);
        }
        let at: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
            .bind(LINEAGE_AT_KEY)
            .fetch_optional(&mut *tx)
            .await?;
        let (newest,): (Option<i64>,) = sqlx::query_as("SELECT MAX(created_at) FROM outbox")
            .fetch_one(&mut *tx)
            .await?;
        if let (Some(at), Some(newest)) = (at.and_then(|(v,)| v.parse::<i64>().ok()), newest) {
            if newest > at {
                return Ok(None);
            }
        }
        let (now, _) = work_on(tx).await?;
        let known = lineage.iter().any(|e| {
            e == &now
                || e.split_once(MIGRATED)
                    .is_some_and(|(after, _)| after == now)
        });
        Ok(known.then_some(now))
    }

    pub(crate) async fn after(self, tx: &mut sqlx::SqliteConnection) {
        let Some(before) = self.0 else {
            return;
        };
        if let Err(e) = Self::link(tx, &before).await {
            tracing::warn!(code = e.code(), error = %e, "send not linked in the lineage");
        }
    }

    async fn link(tx: &mut sqlx::SqliteConnection, before: &str) -> Result<()> {
        let (now, _) = work_on(tx).await?;
        if now == before {
            return Ok(());
        }
        let mut lineage = lineage_on(tx).await?;
        // A run of sends is one link: the states between them were never in a backup.
        match lineage.last().and_then(|e| e.split_once(MIGRATED)) {
            Some((after, first)) if after == before => {
                let entry = format!("{now}{MIGRATED}{first}");
                if let Some(last) = lineage.last_mut() {
                    *last = entry;
                }
            }
            _ => lineage.push(format!("{now}{MIGRATED}{before}")),
        }
        write_lineage_on(tx, &mut lineage).await
    }
}

/// A migration changed the database `pool` from the state `before`: the state it is in now
/// holds the same work, for [`work_of`]. Written even when `before` was never backed up: a
/// backup elsewhere may hold it.
pub(crate) async fn note_migration(pool: &SqlitePool, before: &str) -> Result<()> {
    let after = fingerprint(pool).await?;
    if after != before {
        extend_lineage(pool, format!("{after}{MIGRATED}{before}")).await?;
    }
    Ok(())
}

/// The work in a workspace database, to tell it from a backup's copy.
pub(crate) struct Work {
    /// Its fingerprint now, then those of the same work before each migration that changed
    /// how it reads (its lineage's links, newest first).
    pub same_as: Vec<String>,
    /// Rows of work: none in an enterprise only signed in here.
    pub rows: usize,
}

impl Work {
    /// Whether a backup's `lineage` holds this work's state: the backup was made from it.
    pub fn in_lineage(&self, lineage: &[String]) -> bool {
        lineage
            .iter()
            .flat_map(|entry| entry.split(MIGRATED))
            .any(|f| self.same_as.iter().any(|w| w == f))
    }
}

/// The work in the database `pool`, with its states before each migration.
pub(crate) async fn work_of(pool: &SqlitePool) -> Result<Work> {
    let (mine, rows) = work(pool).await?;
    let mut same_as = vec![mine];
    // Newest first: a chain of migrations, each from the state the next one started with.
    for entry in lineage_of(pool).await.iter().rev() {
        if let Some((after, before)) = entry.split_once(MIGRATED) {
            if same_as.iter().any(|f| f == after) {
                same_as.push(before.to_string());
            }
        }
    }
    Ok(Work { same_as, rows })
}

/// A name in SQL, quoted.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The officer's work in a workspace database, as one hash: every row of every table, rows
/// in the order of their text, without what a sync writes (`NOT_WORK_*`). Two copies with
/// the same work have the same fingerprint however their pages are laid out, and a change
/// that writes no time (a file taken off the draft, a roster row deleted) changes it. Read
/// in one transaction, so a write meanwhile is in it whole or not at all.
pub(crate) async fn fingerprint(pool: &SqlitePool) -> Result<String> {
    Ok(work(pool).await?.0)
}

/// The [`fingerprint`] of a workspace database, and how many rows of work it holds.
async fn work(pool: &SqlitePool) -> Result<(String, usize)> {
    let mut tx = pool.begin().await?;
    let work = work_on(&mut tx).await;
    tx.rollback().await?;
    work
}

/// [`work`], read on a connection (inside a transaction the caller holds).
async fn work_on(tx: &mut sqlx::SqliteConnection) -> Result<(String, usize)> {
    use sha2::{Digest, Sha256};
    let mut count = 0;
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY name",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut h = Sha256::new();
    for (table,) in tables {
        if NOT_WORK_TABLES.contains(&table.as_str()) {
            continue;
        }
        let cols: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .bind(&table)
                .fetch_all(&mut *tx)
                .await?;
        let row = cols
            .iter()
            .filter(|(c,)| !NOT_WORK_COLUMNS.contains(&(table.as_str(), c.as_str())))
            .map(|(c,)| format!("quote({})", ident(c)))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let only_work = if table == "settings" {
            let keys = NOT_WORK_SETTINGS
                .iter()
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(" WHERE key NOT IN ({keys})")
        } else {
            String::new()
        };
        let rows: Vec<(String,)> = sqlx::query_as(&format!(
            "SELECT {row} AS r FROM {}{only_work} ORDER BY r",
            ident(&table)
        ))
        .fetch_all(&mut *tx)
        .await?;
        h.update(table.as_bytes());
        h.update([0]);
        count += rows.len();
        for (r,) in rows {
            h.update(r.as_bytes());
            h.update([0]);
        }
        h.update([1]);
    }
    Ok((hex::encode(h.finalize()), count))
}

/// One enterprise to write: its row, and its database open.
struct Source {
    row: Row,
    pool: SqlitePool,
    /// Opened for the backup alone, closed after it.
    own_pool: bool,
}

/// The time now, to the millisecond: RFC 3339 for manifests, and a form for file names.
/// Both have a fixed width, so they sort as the times do.
fn stamps() -> (String, String) {
    let now = time::OffsetDateTime::now_utc();
    let (y, mo, d) = (now.year(), u8::from(now.month()), now.day());
    let (h, mi, s, ms) = (now.hour(), now.minute(), now.second(), now.millisecond());
    (
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z"),
        format!("{y:04}{mo:02}{d:02}-{h:02}{mi:02}{s:02}{ms:03}Z"),
    )
}

/// Every regular file of an enterprise's folder that a backup carries: material files and
/// packages, not the database (snapshotted instead) nor files being written (dot names).
fn folder_files(dir: &Path) -> Result<Vec<(String, PathBuf, u64)>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf, u64)>) -> Result<()> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        for e in entries {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.starts_with(WORKSPACE_DB_FILE) {
                continue;
            }
            let ty = e.file_type()?;
            if ty.is_dir() {
                walk(base, &e.path(), out)?;
            } else if ty.is_file() {
                let path = e.path();
                let rel = path
                    .strip_prefix(base)
                    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, path, e.metadata()?.len()));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// A folder for a backup's temporary copies, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(data_dir: &Path) -> Result<Self> {
        let dir = data_dir.join(BACKUPS_DIR).join(format!(
            "{SCRATCH_PREFIX}{}",
            crate::outbox::new_local_id("b")
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the backup of `sources` to `dest`.
#[allow(clippy::too_many_arguments)]
async fn write_backup(
    data_dir: &Path,
    dest: &Path,
    kind: BackupKind,
    files: bool,
    server: Option<ServerChoice>,
    proxy: Option<Proxy>,
    sources: &[Source],
    progress: Option<tokio::sync::broadcast::Sender<BackupProgress>>,
) -> Result<u64> {
    let scratch = Scratch::new(data_dir)?;
    let mut members = Vec::new();
    let mut entries = Vec::new();
    for s in sources {
        let snap = scratch.0.join(format!("{}.sqlite", s.row.id));
        store::snapshot(&s.pool, &snap).await?;
        // Of the copy that goes in the file, not of the database that may have moved on.
        // It is our own scratch file: its lineage gains its state, and it stays one file.
        let copy = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&snap)
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Delete),
            )
            .await?;
        let read = async {
            let held = fingerprint(&copy).await?;
            // Without a lineage the copy is treated as made from nothing in particular:
            // restored where there is work, it asks. Not worth failing the backup over.
            let lineage = extend_lineage(&copy, held.clone())
                .await
                .inspect_err(|e| {
                    tracing::warn!(enterprise = %s.row.id, code = e.code(), error = %e, "lineage not kept in the backup");
                })
                .ok();
            Ok::<_, Error>((
                lineage,
                held,
                last_change(&copy).await?,
                store::schema_version(&copy).await?,
            ))
        }
        .await;
        copy.close().await;
        let (lineage, held, changed, schema) = read?;
        // The database here remembers it too, so that its next backups descend from this
        // one (without it a restore would ask once more than it needs to). Not before an
        // update: that database is kept as it was, and the migration links its state.
        if kind != BackupKind::BeforeUpdate {
            if let Err(e) = extend_lineage(&s.pool, held.clone()).await {
                tracing::warn!(enterprise = %s.row.id, code = e.code(), error = %e, "lineage not kept");
            }
        }
        let prefix = format!("{WORKSPACES_DIR}/{}", s.row.id);
        members.push(archive::Member {
            name: format!("{prefix}/{WORKSPACE_DB_FILE}"),
            size: std::fs::metadata(&snap)?.len(),
            source: snap,
            deflate: true,
        });
        if files {
            for (rel, path, size) in folder_files(&workspace_dir(data_dir, &s.row.id))? {
                members.push(archive::Member {
                    name: format!("{prefix}/{rel}"),
                    source: path,
                    size,
                    deflate: false,
                });
            }
        }
        entries.push(Entry {
            id: s.row.id.clone(),
            server: s.row.server.clone(),
            credit_code: s.row.credit_code.clone(),
            profile: s.row.profile.clone(),
            added_at: s.row.added_at,
            schema_version: schema,
            last_change_at: changed,
            fingerprint: Some(held),
            lineage,
        });
    }
    let manifest = Manifest {
        format: FORMAT,
        app_version: crate::VERSION.into(),
        created_at: stamps().0,
        kind,
        files,
        server,
        proxy: proxy.map(without_credentials),
        enterprises: entries,
    };
    let dest = dest.to_path_buf();
    let size = tokio::task::spawn_blocking(move || {
        archive::write(&dest, &manifest, &members, &mut |done, total| {
            if let Some(p) = &progress {
                let _ = p.send(BackupProgress {
                    restoring: false,
                    done: done as f64,
                    total: total as f64,
                });
            }
        })
    })
    .await
    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??;
    drop(scratch);
    Ok(size)
}

/// Deletes all but the newest [`KEEP`] automatic backups of `kind`, never `just_taken`. One
/// that cannot go (held open on Windows, its folder read-only) stays for the next time: the
/// backup just taken is whole, and what it was taken for (a restore, a quit) must not fail
/// over an old one.
fn prune(dir: &Path, kind: BackupKind, just_taken: &Path) {
    let keep = just_taken
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let prefix = format!("{}-", kind.prefix());
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            tracing::warn!(dir = %dir.display(), error = %e, "old backups not pruned");
            return;
        }
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && n.ends_with(&format!(".{EXTENSION}")))
        .filter(|n| Some(n) != keep.as_ref())
        .collect();
    // The names carry the time, so they sort oldest first. The one just taken is not among
    // them: files named while the clock was ahead sort after it, and would have it deleted
    // as soon as it was written, every time.
    names.sort();
    let excess = (names.len() + 1).saturating_sub(KEEP);
    for n in &names[..excess] {
        if let Err(e) = std::fs::remove_file(dir.join(n)) {
            tracing::warn!(file = %n, error = %e, "old backup not removed");
        }
    }
}

/// Where an automatic backup of `kind` taken now goes. Two in one millisecond wait for
/// the next, so the names stay in time order.
async fn automatic_path(dir: &Path, kind: BackupKind) -> PathBuf {
    loop {
        let path = dir.join(format!("{}-{}.{EXTENSION}", kind.prefix(), stamps().1));
        if !path.exists() {
            return path;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
}

/// Removes what backups cut off (a quit that ran out of time, a killed app) left in `dir`:
/// their `.part` files.
fn sweep_partial(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if store::is_partial(&name) {
            if let Err(e) = std::fs::remove_file(entry.path()) {
                tracing::warn!(file = %name, error = %e, "partial backup not removed");
            }
        }
    }
}

/// A proxy as a backup may carry it: never a user name or password in its address (a
/// backup file travels, and is never a place for secrets).
fn without_credentials(proxy: Proxy) -> Proxy {
    match proxy {
        Proxy::Manual { url } => match reqwest::Url::parse(&url) {
            Ok(mut u) => {
                let _ = u.set_username("");
                let _ = u.set_password(None);
                Proxy::Manual { url: u.to_string() }
            }
            Err(_) => Proxy::System,
        },
        other => other,
    }
}

/// Takes a backup before an update migrates a database, while none is open yet: when the
/// app's database or any enterprise's has a migration this version will apply. Databases
/// only; nothing is written when nothing would change.
pub(crate) async fn before_update(data_dir: &Path) -> Result<Option<PathBuf>> {
    let app_db = data_dir.join(store::DB_FILE);
    if !app_db.exists() {
        return Ok(None);
    }
    // Versions first, read cheaply: every start comes here, and reading every page of every
    // database (quick_check) is only worth it when one will migrate. A database that cannot
    // even say its version is left to its own open, which sets a damaged one aside.
    let Ok(app) = store::open_unmigrated(&app_db).await else {
        return Ok(None);
    };
    let outcome = async {
        let Ok(version) = store::schema_version(&app).await else {
            return Ok(None);
        };
        let mut pending = version > 0 && version < Schema::App.latest_version();
        // A database from before enterprises had workspaces is moved by `legacy`, which
        // keeps its own copy.
        let listed = rows(&app, None).await.unwrap_or_default();
        let mut candidates = Vec::new();
        for row in listed {
            let db = workspace_dir(data_dir, &row.id).join(WORKSPACE_DB_FILE);
            if !db.exists() {
                continue;
            }
            let Ok(pool) = store::open_unmigrated(&db).await else {
                continue;
            };
            match store::schema_version(&pool).await {
                Ok(v) => {
                    pending |= v < Schema::Workspace.latest_version();
                    candidates.push((db, row, pool));
                }
                Err(_) => pool.close().await,
            }
        }
        let mut sources = Vec::new();
        for (db, row, pool) in candidates {
            if pending && !store::is_damaged(&db).await.unwrap_or(true) {
                sources.push(Source {
                    row,
                    pool,
                    own_pool: true,
                });
            } else {
                pool.close().await;
            }
        }
        let written = if pending && !sources.is_empty() {
            let dir = data_dir.join(BACKUPS_DIR);
            std::fs::create_dir_all(&dir)?;
            let dest = automatic_path(&dir, BackupKind::BeforeUpdate).await;
            write_backup(
                data_dir,
                &dest,
                BackupKind::BeforeUpdate,
                false,
                raw_setting(&app, SERVER_KEY).await,
                raw_setting(&app, PROXY_KEY).await,
                &sources,
                None,
            )
            .await?;
            prune(&dir, BackupKind::BeforeUpdate, &dest);
            tracing::info!(backup = %dest.display(), "backed up before the update");
            Some(dest)
        } else {
            None
        };
        for s in &sources {
            s.pool.close().await;
        }
        Ok(written)
    }
    .await;
    app.close().await;
    outcome
}

impl App {
    /// The folder of automatic backups.
    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir().join(BACKUPS_DIR)
    }

    /// Backup and restore progress, for progress bars.
    pub fn backup_progress(&self) -> tokio::sync::broadcast::Receiver<BackupProgress> {
        self.shared().backup.subscribe()
    }

    /// The enterprises `only` names (every one without it), each with its database open.
    async fn sources(&self, only: Option<&[String]>) -> Result<Vec<Source>> {
        let mut out = Vec::new();
        for row in rows(self.store().pool(), only).await? {
            let (pool, own_pool) = match self.workspace(&row.id) {
                Ok(ws) => (ws.store().pool().clone(), false),
                Err(_) => {
                    let db = workspace_dir(self.data_dir(), &row.id).join(WORKSPACE_DB_FILE);
                    if !db.exists() {
                        continue;
                    }
                    (store::open_unmigrated(&db).await?, true)
                }
            };
            out.push(Source {
                row,
                pool,
                own_pool,
            });
        }
        Ok(out)
    }

    async fn write_from(
        &self,
        dest: &Path,
        kind: BackupKind,
        files: bool,
        only: Option<&[String]>,
        progress: bool,
    ) -> Result<u64> {
        let sources = self.sources(only).await?;
        let written = write_backup(
            self.data_dir(),
            dest,
            kind,
            files,
            self.server_now(),
            self.store().setting(PROXY_KEY).await?,
            &sources,
            progress.then(|| self.shared().backup.clone()),
        )
        .await;
        for s in sources.iter().filter(|s| s.own_pool) {
            s.pool.close().await;
        }
        written
    }

    /// Writes a backup of `scope` to `dest`, with every material file and package, for
    /// another computer or for safe keeping. Progress goes to [`App::backup_progress`].
    pub async fn export_backup(&self, scope: &BackupScope, dest: &Path) -> Result<BackupFile> {
        let only = match scope {
            BackupScope::Enterprise { id } => {
                self.workspace(id)?;
                Some(vec![id.clone()])
            }
            BackupScope::All => None,
        };
        let size = self
            .write_from(dest, BackupKind::Export, true, only.as_deref(), true)
            .await?;
        let mut listed = self.backup_file(dest).await?;
        listed.size = size as f64;
        Ok(listed)
    }

    /// An automatic backup of `kind` (databases only) in [`App::backups_dir`], the oldest
    /// beyond [`KEEP`] deleted; `None` when there is no enterprise to back up.
    pub async fn automatic_backup(
        &self,
        kind: BackupKind,
        only: Option<&[String]>,
    ) -> Result<Option<PathBuf>> {
        if rows(self.store().pool(), only).await?.is_empty() {
            return Ok(None);
        }
        let dir = self.backups_dir();
        std::fs::create_dir_all(&dir)?;
        sweep_partial(&dir);
        let dest = automatic_path(&dir, kind).await;
        self.write_from(&dest, kind, false, only, false)
            .await
            .map_err(Error::inside)?;
        prune(&dir, kind, &dest);
        Ok(Some(dest))
    }

    /// The backup the app takes as it quits.
    pub async fn backup_at_quit(&self) -> Result<Option<PathBuf>> {
        self.automatic_backup(BackupKind::Quit, None).await
    }

    /// A backup file as lists show it.
    pub async fn backup_file(&self, path: &Path) -> Result<BackupFile> {
        let p = path.to_path_buf();
        tokio::task::spawn_blocking(move || {
            let reader = archive::Reader::open(&p)?;
            let m = &reader.manifest;
            Ok(BackupFile {
                path: p.display().to_string(),
                kind: m.kind,
                created_at: m.created_at.clone(),
                size: std::fs::metadata(&p)?.len() as f64,
                files: m.files,
                enterprises: m
                    .enterprises
                    .iter()
                    .map(|e| e.profile.name.clone())
                    .collect(),
            })
        })
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
    }

    /// The automatic backups, newest first. One that cannot be read is left out (and
    /// logged): the others must still be offered.
    pub async fn automatic_backups(&self) -> Result<Vec<BackupFile>> {
        let dir = self.backups_dir();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !name.ends_with(&format!(".{EXTENSION}")) {
                continue;
            }
            match self.backup_file(&e.path()).await {
                Ok(f) => out.push(f),
                Err(err) => tracing::warn!(file = %name, error = %err, "unreadable backup"),
            }
        }
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A backup made from this database before its tables were migrated is still made from
    /// it: the lineage links the states across each migration, however many.
    #[tokio::test]
    async fn a_backup_from_before_a_migration_is_still_made_from_the_same_work() {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        let backup = |entries: &[&str]| entries.iter().map(|e| e.to_string()).collect::<Vec<_>>();
        // As a restore asks it: made from the work here, or there is none to lose.
        async fn descends_from(pool: &SqlitePool, lineage: &[String]) -> Result<bool> {
            let work = work_of(pool).await?;
            Ok(work.rows == 0 || work.in_lineage(lineage))
        }
        sqlx::query("CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        // What a sync writes is not work.
        sqlx::query("INSERT INTO settings VALUES (?, '\"2026-12-06T10:00:00Z\"')")
            .bind(crate::workspace::LAST_SYNC_KEY)
            .execute(&pool)
            .await
            .unwrap();
        assert!(
            descends_from(&pool, &backup(&["elsewhere"])).await.unwrap(),
            "without work there is nothing to lose"
        );
        sqlx::query("CREATE TABLE notes (text TEXT)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO notes VALUES ('口罩')")
            .execute(&pool)
            .await
            .unwrap();
        let v1 = fingerprint(&pool).await.unwrap();
        extend_lineage(&pool, v1.clone()).await.unwrap();
        assert!(descends_from(&pool, &backup(&["older", &v1]))
            .await
            .unwrap());
        assert!(!descends_from(&pool, &backup(&["older", "elsewhere"]))
            .await
            .unwrap());

        // Two updates, each a migration of the same work.
        sqlx::query("ALTER TABLE notes ADD COLUMN done INTEGER")
            .execute(&pool)
            .await
            .unwrap();
        note_migration(&pool, &v1).await.unwrap();
        let v2 = fingerprint(&pool).await.unwrap();
        assert_ne!(v1, v2, "the same work reads differently in the new tables");
        sqlx::query("ALTER TABLE notes ADD COLUMN by TEXT")
            .execute(&pool)
            .await
            .unwrap();
        note_migration(&pool, &v2).await.unwrap();
        assert!(descends_from(&pool, &backup(&[&v1])).await.unwrap());
        assert!(descends_from(&pool, &backup(&[&v2])).await.unwrap());
        // A backup elsewhere made from v1 and migrated there writes v1's successor.
        assert!(descends_from(&pool, &backup(&[&format!("x<{v1}")]))
            .await
            .unwrap());

        // Work done since: no backup made before it holds it.
        sqlx::query("INSERT INTO notes (text) VALUES ('消毒液')")
            .execute(&pool)
            .await
            .unwrap();
        assert!(!descends_from(&pool, &backup(&[&v1, &v2])).await.unwrap());
        // The lineage itself is not work: keeping it changes no fingerprint.
        let now = fingerprint(&pool).await.unwrap();
        extend_lineage(&pool, "another".into()).await.unwrap();
        assert_eq!(fingerprint(&pool).await.unwrap(), now);
        // The same state twice is kept once; the oldest go past the limit.
        let kept = extend_lineage(&pool, "another".into()).await.unwrap();
        assert_eq!(kept.iter().filter(|e| *e == "another").count(), 1);
        for i in 0..LINEAGE_KEEP {
            extend_lineage(&pool, format!("quit-{i}")).await.unwrap();
        }
        let kept = lineage_of(&pool).await;
        assert_eq!(kept.len(), LINEAGE_KEEP);
        assert_eq!(
            kept.last().map(String::as_str),
            Some(format!("quit-{}", LINEAGE_KEEP - 1).as_str())
        );
    }

    #[test]
    fn a_proxy_travels_in_a_backup_without_its_user_or_password() {
        let carried = without_credentials(Proxy::Manual {
            url: "http://wang:S3cret!@proxy.corp.example:8080".into(),
        });
        assert_eq!(
            carried,
            Proxy::Manual {
                url: "http://proxy.corp.example:8080/".into()
            }
        );
        assert_eq!(without_credentials(Proxy::System), Proxy::System);
        assert_eq!(without_credentials(Proxy::Direct), Proxy::Direct);
    }

    #[test]
    fn a_backup_cut_off_leaves_nothing_once_the_next_one_runs() {
        let dir = std::env::temp_dir().join(format!("yiqifu-sweep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            ".quit-20261204-1.yqfbak.part",
            "quit-20261204-0.yqfbak",
            ".hidden",
        ] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        sweep_partial(&dir);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".hidden", "quit-20261204-0.yqfbak"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
