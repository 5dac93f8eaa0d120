//! The client's SQLite databases, in the OS app-data folder: the app's own (settings, the
//! public catalog, the list of enterprises) and one per enterprise for its work.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::{Error, Result};

/// The app's database: settings, the shared catalog, the enterprises on this computer.
pub const DB_FILE: &str = "yiqifu.sqlite";

pub const BACKUP_FILE: &str = "yiqifu.sqlite.bak";

/// How long after a database is opened its backup ([`Store::backup_later`]) waits. The copy
/// reads the whole file (hundreds of MB with a city's catalog cached) and would compete with
/// the window's first page for the disk and the cores; by now the officer is reading it.
pub const BACKUP_AFTER_OPEN: Duration = Duration::from_secs(10);

/// An enterprise's database, in its own folder.
pub const WORKSPACE_DB_FILE: &str = "workspace.sqlite";

static APP_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/app");
static WORKSPACE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/workspace");

/// Which of the two databases a store is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    App,
    Workspace,
}

impl Schema {
    /// The newest migration this version of the app knows.
    pub(crate) fn latest_version(self) -> i64 {
        self.migrator().iter().map(|m| m.version).max().unwrap_or(0)
    }

    pub(crate) fn file(self) -> &'static str {
        match self {
            Self::App => DB_FILE,
            Self::Workspace => WORKSPACE_DB_FILE,
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Self::App => &APP_MIGRATIONS,
            Self::Workspace => &WORKSPACE_MIGRATIONS,
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    dir: PathBuf,
    file: &'static str,
    recovered: Option<PathBuf>,
}

fn options(path: &Path, create: bool) -> Result<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str("sqlite://")?
        .filename(path)
        .create_if_missing(create)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10)))
}

/// Whether the file at `path` is damaged: not a SQLite database, or failing `quick_check`.
/// Anything else that stops the check (another program holding a lock past the busy
/// timeout, a file this account may not read) is an error, never damage: a healthy
/// database must not be set aside because it was busy.
async fn damaged(path: &Path) -> Result<bool> {
    damaged_as(path, QUICK_CHECK).await
}

/// Reads every page of the file.
const QUICK_CHECK: &str = "PRAGMA quick_check";

/// As [`damaged`], with `check` as the query that reads the file: `quick_check` reads every
/// page, a read of the schema only the first ones.
async fn damaged_as(path: &Path, check: &str) -> Result<bool> {
    let unavailable = |e: sqlx::Error| Error::DatabaseUnavailable {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    let verdict = |e: sqlx::Error| {
        if is_damage(&e) {
            Ok(true)
        } else {
            Err(unavailable(e))
        }
    };
    let pool = match SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options(path, false)?)
        .await
    {
        Ok(p) => p,
        Err(e) => return verdict(e),
    };
    let checked = sqlx::query_as::<_, (String,)>(check).fetch_one(&pool).await;
    pool.close().await;
    match checked {
        Ok((r,)) => Ok(r != "ok"),
        Err(e) => verdict(e),
    }
}

/// A quick look for a database found as it was closed whole: the header and the schema read
/// (a file that is not a database, or one another program holds, shows there), not every
/// page.
const GLANCE: &str = "SELECT 'ok' FROM sqlite_master LIMIT 1";

/// The stamp of a database closed whole, kept beside it: the file's length and time of
/// change. `quick_check` reads every page of the file, seconds for a catalog of 20,000
/// policies at every start; a database is damaged by a crash or a power cut mid-write, or by
/// another program writing its file, and each leaves no stamp or a file that no longer
/// matches it. A file as it was closed gets the quick look only.
fn closed_stamp_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_os_string();
    s.push(".closed");
    PathBuf::from(s)
}

fn file_stamp(db: &Path) -> Option<String> {
    let m = std::fs::metadata(db).ok()?;
    let changed = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some(format!("{} {changed}", m.len()))
}

/// Whether `db` is as it was last closed whole, with no WAL beside it. The stamp is taken
/// away first, so a crash during this run leaves none and the next start checks every page.
fn closed_whole(db: &Path) -> bool {
    let stamp = closed_stamp_path(db);
    let Ok(kept) = std::fs::read_to_string(&stamp) else {
        return false;
    };
    if std::fs::remove_file(&stamp).is_err() {
        return false;
    }
    wal_is_empty(db) && file_stamp(db).is_some_and(|now| now == kept)
}

/// Whether `db`'s WAL is gone or holds nothing: the file alone is then the whole database.
fn wal_is_empty(db: &Path) -> bool {
    std::fs::metadata(&sidecars(db)[0]).map_or(true, |m| m.len() == 0)
}

/// SQLite's own word that the file is not a (whole) database: SQLITE_CORRUPT (11) or
/// SQLITE_NOTADB (26), in the primary byte of the extended code.
fn is_damage(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(d) = e else {
        return false;
    };
    d.code()
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 11 | 26))
}

fn sidecars(path: &Path) -> [PathBuf; 2] {
    let with = |ext: &str| {
        let mut s = path.as_os_str().to_os_string();
        s.push(ext);
        PathBuf::from(s)
    };
    [with("-wal"), with("-shm")]
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside it, synced, then
/// renamed over it. A file the officer saves is never left half written.
pub async fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let failed = |e: std::io::Error| Error::save_failed(path, &e);
    let tmp = partial_path(path);
    {
        use tokio::io::AsyncWriteExt;
        let mut f = tokio::fs::File::create(&tmp).await.map_err(failed)?;
        f.write_all(bytes).await.map_err(failed)?;
        f.sync_all().await.map_err(failed)?;
    }
    if let Err(e) = rename_retrying(&tmp, path).await {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(e);
    }
    Ok(())
}

/// Where a file bound for `dest` is written before it is renamed into place: beside it (same
/// disk), hidden, and recognisable as unfinished by [`is_partial`].
pub(crate) fn partial_path(dest: &Path) -> PathBuf {
    let dir = dest.parent().unwrap_or_else(|| Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.part"))
}

/// Whether a file name is one [`partial_path`] gave: a write cut off before its rename.
pub(crate) fn is_partial(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".part")
}

/// Copies `src` to `dest` whole or not at all, streaming (a package may be large).
pub async fn copy_file_atomically(src: &Path, dest: &Path) -> Result<()> {
    let failed = |e: std::io::Error| Error::save_failed(dest, &e);
    let tmp = partial_path(dest);
    let copied = async {
        tokio::fs::copy(src, &tmp).await?;
        // Opened for writing: Windows flushes only a handle with write access.
        tokio::fs::OpenOptions::new()
            .write(true)
            .open(&tmp)
            .await?
            .sync_all()
            .await
    }
    .await;
    if let Err(e) = copied {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(failed(e));
    }
    if let Err(e) = rename_retrying(&tmp, dest).await {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(e);
    }
    Ok(())
}

/// Runs a file operation, retrying briefly (up to a second): sqlx closes SQLite handles on
/// its own threads after `close` returns, a scanner looks at a file just moved in, and
/// Windows refuses to rename or delete a file that is still open.
pub(crate) async fn retrying(
    what: &str,
    mut op: impl FnMut() -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tries = 0;
    loop {
        match op() {
            Ok(()) => return Ok(()),
            Err(e) if tries < 50 => {
                tries += 1;
                tracing::debug!(error = %e, "{what} retry");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Renames, retrying briefly ([`retrying`]).
pub(crate) async fn rename_retrying(from: &Path, to: &Path) -> Result<()> {
    Ok(retrying("rename", || std::fs::rename(from, to)).await?)
}

/// `result`, with "not there" counted as done: for removals.
pub(crate) fn gone_is_done(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// The database at `path` opened as it is, neither created nor migrated: for copying it
/// before an update changes it, or reading a backup's copy.
pub(crate) async fn open_unmigrated(path: &Path) -> Result<SqlitePool> {
    Ok(SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options(path, false)?)
        .await?)
}

/// The newest migration applied to a database; 0 for one that has none (or is not ours).
pub(crate) async fn schema_version(pool: &SqlitePool) -> Result<i64> {
    let applied: std::result::Result<(Option<i64>,), sqlx::Error> =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(pool)
            .await;
    match applied {
        Ok((v,)) => Ok(v.unwrap_or(0)),
        Err(sqlx::Error::Database(e)) if e.message().contains("no such table") => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// A consistent copy of the database behind `pool` at `dest` (which must not exist), made
/// while others keep reading and writing it.
pub(crate) async fn snapshot(pool: &SqlitePool, dest: &Path) -> Result<()> {
    sqlx::query("VACUUM INTO ?")
        .bind(dest.to_string_lossy().to_string())
        .execute(pool)
        .await?;
    Ok(())
}

/// Whether the database file at `path` exists and is damaged (see [`Store::open_as`]).
pub(crate) async fn is_damaged(path: &Path) -> Result<bool> {
    damaged(path).await
}

/// Moves a damaged database (and its WAL) aside, never overwriting it, and puts the last
/// good backup in its place when there is one. Returns where the damaged file went.
async fn set_aside(dir: &Path, file: &str) -> Result<PathBuf> {
    let db = dir.join(file);
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut aside = dir.join(format!("{file}.damaged-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        aside = dir.join(format!("{file}.damaged-{stamp}-{n}"));
        n += 1;
    }
    rename_retrying(&db, &aside).await?;
    for (from, to) in sidecars(&db).into_iter().zip(sidecars(&aside)) {
        if from.exists() {
            rename_retrying(&from, &to).await?;
        }
    }
    let backup = dir.join(format!("{file}.bak"));
    if backup.exists() && matches!(damaged(&backup).await, Ok(false)) {
        std::fs::copy(&backup, &db)?;
    }
    Ok(aside)
}

impl Store {
    /// Opens (creating on first start) the app's database in `dir`.
    pub async fn open(dir: &Path) -> Result<Self> {
        Self::open_as(dir, Schema::App).await
    }

    /// Opens (creating on first start) a database of `schema` in `dir`, and brings its
    /// schema up to date. A damaged database is detected here: it is kept aside, the last
    /// good backup (which the app takes soon after every start, see [`Store::backup_later`]) is
    /// restored or it starts fresh, and [`Store::recovered`] says so.
    pub async fn open_as(dir: &Path, schema: Schema) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let file = schema.file();
        let db = dir.join(file);
        let check = if closed_whole(&db) {
            GLANCE
        } else {
            QUICK_CHECK
        };
        let recovered = if db.exists() && damaged_as(&db, check).await? {
            let aside = set_aside(dir, file).await?;
            tracing::error!(aside = %aside.display(), "damaged database set aside");
            Some(aside)
        } else {
            None
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options(&db, true)?)
            .await?;
        // A workspace's work reads differently in the newer tables: its lineage says that
        // it is the same work, so a backup made from it before the update still counts as
        // made from it (see `backup::work_of`).
        let before = if schema == Schema::Workspace {
            let version = schema_version(&pool).await?;
            if version > 0 && version < schema.latest_version() {
                // Without it a restore asks once more than it needs to: the enterprise
                // still opens.
                crate::backup::fingerprint(&pool)
                    .await
                    .inspect_err(|e| {
                        tracing::warn!(code = e.code(), error = %e, "no fingerprint before the migration");
                    })
                    .ok()
            } else {
                None
            }
        } else {
            None
        };
        schema.migrator().run(&pool).await?;
        if let Some(before) = before {
            if let Err(e) = crate::backup::note_migration(&pool, &before).await {
                tracing::warn!(code = e.code(), error = %e, "lineage not kept across the migration");
            }
        }
        let store = Self {
            pool,
            dir: dir.to_path_buf(),
            file,
            recovered,
        };
        Ok(store)
    }

    /// Where a damaged database found at start was kept, if one was.
    pub fn recovered(&self) -> Option<&Path> {
        self.recovered.as_deref()
    }

    /// A consistent copy of the database, replaced atomically.
    pub async fn backup(&self) -> Result<()> {
        let backup = self.dir.join(format!("{}.bak", self.file));
        let tmp = self.dir.join(format!("{}.bak.tmp", self.file));
        let _ = std::fs::remove_file(&tmp);
        sqlx::query("VACUUM INTO ?")
            .bind(tmp.to_string_lossy().to_string())
            .execute(&self.pool)
            .await?;
        rename_retrying(&tmp, &backup).await
    }

    /// [`Store::backup`] in the background once `after` has passed, unless the database has
    /// been closed by then (a short session keeps the backup of the one before).
    pub fn backup_later(&self, after: Duration) {
        let store = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            if store.pool.is_closed() {
                return;
            }
            if let Err(e) = store.backup().await {
                tracing::warn!(file = store.file, code = e.code(), error = %e, "database backup failed");
            }
        });
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
        sqlx::query("DELETE FROM settings WHERE key = ?")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the store with the whole database in its file. SQLite folds the WAL back only
    /// when the last connection closing sees no other, and sqlx closes the pool's connections
    /// on their own threads at once, so each may see another and leave the WAL behind. A copy
    /// of the file alone would then miss the latest work; checkpointing first makes the file
    /// complete whatever the close order.
    pub async fn close(&self) {
        let whole = match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await
        {
            Ok((0, _, _)) => true,
            Ok((_, log, done)) => {
                tracing::warn!(log, done, "checkpoint at close was held up by a reader");
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, "checkpoint at close failed");
                false
            }
        };
        self.pool.close().await;
        let db = self.dir.join(self.file);
        if whole && wal_is_empty(&db) {
            if let Some(stamp) = file_stamp(&db) {
                // Without the stamp the next start checks every page: slower, never wrong.
                if let Err(e) = std::fs::write(closed_stamp_path(&db), stamp) {
                    tracing::warn!(error = %e, "stamp of a whole close not written");
                }
            }
        }
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

    /// After a clean close the WAL holds nothing: had it kept pages, bytes written over the
    /// database file would not damage what SQLite reads, and the damage tests test nothing.
    fn wal_empty(wal: &Path) {
        let len = std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0);
        assert_eq!(len, 0, "{} still holds pages after close", wal.display());
    }

    #[tokio::test]
    async fn closing_leaves_the_whole_database_in_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        // Writes through transactions, so several pooled connections are open at the close.
        for i in 0..20 {
            store.set_setting(&format!("k{i}"), &i).await.unwrap();
        }
        store.close().await;
        let db = dir.path().join(DB_FILE);
        wal_empty(&sidecars(&db)[0]);
        // The file alone, copied elsewhere without its WAL, has everything.
        let copy = tempfile::tempdir().unwrap();
        std::fs::copy(&db, copy.path().join(DB_FILE)).unwrap();
        let store = Store::open(copy.path()).await.unwrap();
        assert_eq!(store.setting::<i32>("k19").await.unwrap(), Some(19));
        store.close().await;
    }

    /// A database another program holds (a second app instance, a backup tool) is busy, not
    /// damaged: opening it fails with why, and it is left where it is, whole.
    #[tokio::test]
    async fn a_database_another_program_holds_is_refused_and_never_set_aside() {
        use sqlx::sqlite::{SqliteConnectOptions, SqliteLockingMode};
        use sqlx::{ConnectOptions, Connection};
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).await.unwrap();
            store.set_setting("k", &7).await.unwrap();
            store.close().await;
        }
        let db = dir.path().join(DB_FILE);
        let mut holder = SqliteConnectOptions::new()
            .filename(&db)
            .locking_mode(SqliteLockingMode::Exclusive)
            .connect()
            .await
            .unwrap();
        sqlx::query("SELECT COUNT(*) FROM settings")
            .execute(&mut holder)
            .await
            .unwrap();
        let err = Store::open(dir.path())
            .await
            .err()
            .expect("a held database opened");
        assert_eq!(err.code(), "DATABASE_UNAVAILABLE", "{err:?}");
        let aside = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("damaged")
            })
            .count();
        assert_eq!(aside, 0, "a healthy database was set aside");
        holder.close().await.unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        assert!(store.recovered().is_none());
        assert_eq!(store.setting::<i32>("k").await.unwrap(), Some(7));
        store.close().await;
    }

    /// A start after a whole close reads the schema, not every page (`quick_check` reads all
    /// of a catalog of 20,000 policies at every start); a start after a crash, or after the
    /// file changed since its close, reads every page.
    #[tokio::test]
    async fn only_a_database_not_closed_whole_is_read_page_by_page_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(DB_FILE);
        // Pages enough that one in the middle belongs to a table, not the schema.
        let fill = async |store: &Store| {
            for i in 0..400 {
                store
                    .set_setting(&format!("k{i}"), &"一段设置".repeat(20))
                    .await
                    .unwrap();
            }
        };
        let store = Store::open(dir.path()).await.unwrap();
        fill(&store).await;
        store.close().await;
        let len = std::fs::metadata(&db).unwrap().len();
        assert!(len > 64 * 1024, "{len} bytes");
        // A page in the middle overwritten; with `keep_time`, the file's time of change put
        // back, so that only a read of every page can see it.
        let damage_middle = |keep_time: bool| {
            let closed = std::fs::metadata(&db).unwrap().modified().unwrap();
            let mut bytes = std::fs::read(&db).unwrap();
            let mid = (bytes.len() / 2 / 4096) * 4096;
            bytes[mid..mid + 4096].fill(0x5a);
            let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
            std::io::Write::write_all(&mut &f, &bytes).unwrap();
            if keep_time {
                f.set_modified(closed).unwrap();
            }
        };
        damage_middle(true);
        let store = Store::open(dir.path()).await.unwrap();
        assert!(
            store.recovered().is_none(),
            "a database found as it was closed was read page by page"
        );
        // The stamp went at the start: a crash now (no close) leaves none.
        assert!(!closed_stamp_path(&db).exists());
        drop(store);
        let store = Store::open(dir.path()).await.unwrap();
        assert!(
            store.recovered().is_some(),
            "after a start with no close, the damage was not found"
        );
        fill(&store).await;
        store.close().await;
        // Closed whole, then changed by another program: the stamp no longer matches, and
        // every page is read.
        assert!(closed_stamp_path(&db).exists());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        damage_middle(false);
        let store = Store::open(dir.path()).await.unwrap();
        assert!(
            store.recovered().is_some(),
            "a file that no longer matches its stamp was not read page by page"
        );
        store.close().await;
    }

    /// Waits (without blocking the runtime) until `path` exists; gives up loudly.
    async fn appears(path: &Path, within: Duration) {
        let start = std::time::Instant::now();
        while !path.exists() {
            assert!(
                start.elapsed() < within,
                "{} not written within {within:?}",
                path.display()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[tokio::test]
    async fn a_later_backup_waits_its_time_and_skips_a_database_closed_by_then() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        store.set_setting("kept", &"备份里的设置").await.unwrap();
        let bak = dir.path().join(BACKUP_FILE);
        store.backup_later(Duration::from_millis(600));
        // A copy of this small database takes milliseconds: one not there yet is waiting.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!bak.exists(), "the backup did not wait");
        appears(&bak, Duration::from_secs(10)).await;
        // Renamed into place whole, and a database with the settings of the moment.
        let copy = tempfile::tempdir().unwrap();
        std::fs::copy(&bak, copy.path().join(DB_FILE)).unwrap();
        let restored = Store::open(copy.path()).await.unwrap();
        assert_eq!(
            restored.setting::<String>("kept").await.unwrap().as_deref(),
            Some("备份里的设置")
        );
        restored.close().await;
        store.close().await;

        // Closed before its time: no backup, and no error in the way of the next start.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        store.backup_later(Duration::from_millis(100));
        store.close().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(!dir.path().join(BACKUP_FILE).exists());
        let again = Store::open(dir.path()).await.unwrap();
        assert!(again.recovered().is_none());
        again.close().await;
    }

    #[tokio::test]
    async fn a_damaged_database_is_kept_aside_and_the_backup_restored() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).await.unwrap();
            store
                .set_setting("kept", &"这条设置来自备份")
                .await
                .unwrap();
            store.backup().await.unwrap();
            store.close().await;
        }
        let db = dir.path().join(DB_FILE);
        let wal = sidecars(&db)[0].clone();
        wal_empty(&wal);
        let garbage =
            b"not a database, just bytes an antivirus or a bad disk left behind".repeat(100);
        std::fs::write(&db, &garbage).unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let aside = store.recovered().unwrap().to_path_buf();
        // The damaged file is kept byte for byte, never overwritten.
        assert_eq!(std::fs::read(&aside).unwrap(), garbage);
        assert_eq!(
            store.setting::<String>("kept").await.unwrap().as_deref(),
            Some("这条设置来自备份")
        );
        store.close().await;
        wal_empty(&wal);
        // Without a backup the app starts fresh, and still keeps the damaged file.
        std::fs::remove_file(dir.path().join(BACKUP_FILE)).unwrap();
        std::fs::write(&db, &garbage).unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        assert!(store.recovered().is_some());
        assert_eq!(store.setting::<String>("kept").await.unwrap(), None);
        // Both damaged files are kept (with their WAL and shared-memory files, when sqlx had
        // not yet removed those as the damage struck).
        let kept = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .to_string();
                name.contains("damaged") && !name.ends_with("-wal") && !name.ends_with("-shm")
            })
            .count();
        assert_eq!(kept, 2);
    }

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
        // An enterprise's database beside it, with its own schema.
        let ws = Store::open_as(&data.join("ws"), Schema::Workspace)
            .await
            .unwrap();
        assert_eq!(
            crate::outbox::counts(&ws).await.unwrap(),
            crate::outbox::Counts::default()
        );
    }
}
