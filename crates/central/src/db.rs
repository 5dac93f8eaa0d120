use std::path::{Path, PathBuf};
use std::str::FromStr;

use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, Connection, Executor, Transaction};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::{Error, Result};

/// The service's database, whichever engine holds it. The same SQL runs on both: numbered
/// parameters (`$1`, which SQLite reads too) and the syntax the two share; the few places
/// that differ ask [`Backend::of`].
pub type Db = sqlx::AnyPool;
/// One connection of a [`Db`].
pub type Conn = sqlx::AnyConnection;

/// Where the service keeps its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A file, created when missing: the demo, a district, the desktop's built-in service.
    Sqlite(PathBuf),
    /// A PostgreSQL server, by URL (`postgres://user:password@host:port/db`): a city.
    Postgres(String),
}

impl Database {
    /// `--db` as given: a `postgres://` or `postgresql://` URL, or else a file's path.
    pub fn from_arg(arg: &Path) -> Self {
        match arg.to_str() {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Self::Postgres(url.to_string())
            }
            _ => Self::Sqlite(arg.to_path_buf()),
        }
    }

    /// For messages: the file, or the server and database without the password.
    pub fn describe(&self) -> String {
        match self {
            Self::Sqlite(path) => path.display().to_string(),
            Self::Postgres(url) => match url::Url::parse(url) {
                Ok(mut u) => {
                    let _ = u.set_password(None);
                    u.to_string()
                }
                Err(_) => "postgres://…".into(),
            },
        }
    }
}

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(conn: &Conn) -> Self {
        if conn.backend_name() == "PostgreSQL" {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    pub fn of_pool(db: &Db) -> Self {
        match db.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Self::Postgres,
            _ => Self::Sqlite,
        }
    }
}

/// How hard each commit is pressed to the disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=FULL`: the WAL is synced at every commit, so an answered 201 survives a
    /// power cut. The client deletes its outbox row on that answer, so a commit lost after
    /// it would be an application lost for good. The cost is measured in
    /// docs/benchmarks.md ("Service durability"). PostgreSQL syncs its WAL at commit by
    /// default (`synchronous_commit = on`); the service does not change that.
    #[default]
    Full,
    /// `synchronous=NORMAL`: a power cut may lose the last commits. Only for measuring what
    /// `Full` costs, and only on SQLite.
    Normal,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub async fn open(path: &Path) -> Result<Db> {
    open_with(path, Durability::Full).await
}

pub async fn open_with(path: &Path, durability: Durability) -> Result<Db> {
    connect(&Database::Sqlite(path.to_path_buf()), durability).await
}

/// Opens (or creates) the database and brings its schema up to date.
pub async fn connect(database: &Database, durability: Durability) -> Result<Db> {
    sqlx::any::install_default_drivers();
    let (url, migrator) = match database {
        Database::Sqlite(path) => (sqlite_url(path)?, &SQLITE_MIGRATIONS),
        Database::Postgres(url) => {
            if !cfg!(feature = "postgres") {
                return Err(Error::Config(
                    "这个版本不含 PostgreSQL 支持 / this build has no PostgreSQL support: build \
                     yiqifu-central with its default features"
                        .into(),
                ));
            }
            // With the s3 feature this binary carries both of rustls's crypto providers
            // (sqlx's ring, object_store's aws-lc-rs), so rustls cannot pick one by itself,
            // and sqlx's `sslmode=verify-ca` path asks it to: choose sqlx's, once.
            #[cfg(feature = "postgres")]
            let _ = rustls::crypto::ring::default_provider().install_default();
            (url.clone(), &POSTGRES_MIGRATIONS)
        }
    };
    let options = AnyConnectOptions::from_str(&url)?;
    if matches!(database, Database::Postgres(_)) {
        // One connection first, so a server that is not there (or refuses the password) is
        // said at once, not after the pool has retried for its whole acquire timeout.
        sqlx::AnyConnection::connect_with(&options)
            .await?
            .close()
            .await?;
    }
    let synchronous = match durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
    };
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if Backend::of(conn) == Backend::Sqlite {
                    // Through sqlx's Any driver a SQLite file is opened from its URL alone,
                    // which carries none of these: each connection sets them itself.
                    conn.execute(
                        format!(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;"
                        )
                        .as_str(),
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .after_release(|conn, _| {
            Box::pin(async move {
                // A request cut off while its transaction began (the client hung up) can leave
                // the connection inside a transaction that no `Transaction` owns: sqlx counts
                // it once BEGIN has answered, and the answer may go unread. Back in the pool it
                // would hold the write lock for ever, and every write would time out. The ping
                // first runs any rollback a dropped `Transaction` queued.
                conn.ping().await?;
                if conn.is_in_transaction() {
                    return Ok(false);
                }
                if Backend::of(conn) == Backend::Postgres {
                    // sqlx-postgres counts a transaction only once BEGIN has answered: one it
                    // never counted shows as the write lock still held, and the connection
                    // is closed, which ends it.
                    let (held,): (i64,) = sqlx::query_as(
                        "SELECT COUNT(*) FROM pg_locks
                          WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
                    )
                    .fetch_one(&mut *conn)
                    .await?;
                    return Ok(held == 0);
                }
                // Nor does SQLite keep one that sqlx did not count: BEGIN is refused inside it.
                if conn.execute("BEGIN").await.is_err() {
                    return Ok(false);
                }
                conn.execute("ROLLBACK").await?;
                Ok(true)
            })
        })
        .connect_with(options)
        .await?;
    migrator.run(&pool).await?;
    Ok(pool)
}

/// A file's path as the URL sqlx's Any driver opens: every byte but the unreserved ones
/// percent-encoded, so a Windows drive (`C:`), a backslash, a space or a Chinese folder name
/// cannot be read as a host, a port or a query.
fn sqlite_url(path: &Path) -> Result<String> {
    let Some(text) = path.to_str() else {
        return Err(Error::Config(format!(
            "数据库路径不是有效的 UTF-8 / the database path is not valid UTF-8: {}",
            path.display()
        )));
    };
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    Ok(format!(
        "sqlite:{}?mode=rwc",
        percent_encoding::utf8_percent_encode(text, KEEP)
    ))
}

/// Key of the advisory lock every PostgreSQL write transaction takes ("YQFW").
const WRITE_LOCK: i64 = 0x5951_4657;

/// A transaction that writes: it holds the database's write lock from its first statement,
/// so what it read is still true when it writes. On SQLite that is `BEGIN IMMEDIATE`. On
/// PostgreSQL it is a transaction-scoped advisory lock taken first, which every service
/// process against the database shares: two processes serialize their writes as two
/// connections of one SQLite file do, and the lock ends with the commit or the rollback
/// (a process that dies mid-transaction releases it with its connection).
pub async fn begin_write(db: &Db) -> Result<Transaction<'static, Any>> {
    match Backend::of_pool(db) {
        Backend::Sqlite => Ok(db.begin_with("BEGIN IMMEDIATE").await?),
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            // pg_advisory_xact_lock returns void, which sqlx's Any driver cannot read.
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

pub fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

pub fn now_rfc3339() -> String {
    rfc3339(now_unix())
}

/// A random id with a readable prefix, e.g. `app_3f9c…`.
pub fn new_id(prefix: &str) -> String {
    let mut b = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut b);
    format!("{prefix}_{}", hex::encode(b))
}

/// The next value of a named counter, inside the caller's transaction.
pub async fn next_counter(conn: &mut Conn, name: &str) -> Result<i64> {
    let (v,): (i64,) = sqlx::query_as(
        "INSERT INTO counters (name, value) VALUES ($1, 1)
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .bind(name)
    .fetch_one(conn)
    .await?;
    Ok(v)
}

/// RFC 3339 in UTC, as every time on the wire.
pub fn format_time(t: OffsetDateTime) -> String {
    rfc3339(t.unix_timestamp())
}

/// A dated receipt number (回执编号): prefix, date, and a running number.
pub async fn receipt_no(conn: &mut Conn, prefix: &str) -> Result<String> {
    receipt_no_on(conn, prefix, OffsetDateTime::now_utc().date()).await
}

/// A receipt number dated `date`.
pub async fn receipt_no_on(conn: &mut Conn, prefix: &str, date: time::Date) -> Result<String> {
    let n = next_counter(conn, &format!("receipt:{prefix}")).await?;
    Ok(format!(
        "{prefix}{:04}{:02}{:02}{n:06}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// Decodes rows of JSON bodies, as the record tables store them.
pub fn decode_all<T: DeserializeOwned>(rows: Vec<(String,)>) -> Result<Vec<T>> {
    rows.into_iter()
        .map(|(b,)| Ok(serde_json::from_str(&b)?))
        .collect()
}

/// The record tables (`appeals`, `applications`) keep each record as a JSON body beside the
/// columns queried: owner, state, last change. The table names are constants, never input.
pub async fn save_record<T: Serialize>(
    conn: &mut Conn,
    table: &'static str,
    id: &str,
    owner: &str,
    state: &str,
    body: &T,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO {table} (id, owner, state, body, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body,
             updated_at = excluded.updated_at"
    );
    sqlx::query(&sql)
        .bind(id)
        .bind(owner)
        .bind(state)
        .bind(serde_json::to_string(body)?)
        .bind(now_unix())
        .execute(conn)
        .await?;
    Ok(())
}

/// A record and its owner. With `owner`, another enterprise's record answers exactly like a
/// missing one.
pub async fn load_record<T: DeserializeOwned>(
    conn: &mut Conn,
    table: &'static str,
    id: &str,
    owner: Option<&str>,
) -> Result<(String, T)> {
    let sql = format!("SELECT owner, body FROM {table} WHERE id = $1");
    let row: Option<(String, String)> = sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?;
    match row {
        Some((o, body)) if owner.is_none_or(|w| w == o) => Ok((o, serde_json::from_str(&body)?)),
        _ => Err(crate::error::Error::not_found()),
    }
}

/// Every enterprise's records, in one state or all, the oldest change first: the reviewers'
/// queue.
pub async fn all_records<T: DeserializeOwned>(
    conn: &mut Conn,
    table: &'static str,
    state: Option<&str>,
) -> Result<Vec<T>> {
    let sql = format!(
        "SELECT body FROM {table} WHERE ($1 IS NULL OR state = $1) ORDER BY updated_at, id"
    );
    let rows: Vec<(String,)> = sqlx::query_as(&sql).bind(state).fetch_all(conn).await?;
    decode_all(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection handed back inside a transaction nobody owns (a request cut off as its
    /// transaction began) is closed, not pooled: the next write is not locked out.
    #[tokio::test]
    async fn a_connection_left_inside_a_transaction_does_not_lock_out_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(&dir.path().join("c.sqlite")).await.unwrap();
        {
            let mut conn = db.acquire().await.unwrap();
            // Taken as sqlx cannot count it, holding the write lock.
            conn.execute("BEGIN IMMEDIATE").await.unwrap();
            conn.execute("INSERT INTO counters (name, value) VALUES ('left', 1)")
                .await
                .unwrap();
        }
        let write = async {
            let mut tx = begin_write(&db).await?;
            sqlx::query("INSERT INTO counters (name, value) VALUES ('next', 1)")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, Error>(())
        };
        // Within the 5 s the busy timeout would wait on a lock that is never let go.
        tokio::time::timeout(std::time::Duration::from_secs(4), write)
            .await
            .expect("the next write waited on the abandoned transaction")
            .unwrap();
        let names: Vec<(String,)> = sqlx::query_as("SELECT name FROM counters ORDER BY name")
            .fetch_all(&db)
            .await
            .unwrap();
        assert_eq!(
            names,
            [("next".to_string(),)],
            "the abandoned write was kept"
        );
    }

    /// A folder name with what a URL would read as a query, a fragment, an escape, a port
    /// or a drive: the database lands at exactly that path, and opens again there.
    #[tokio::test]
    async fn a_database_opens_at_a_path_with_any_characters() {
        let dir = tempfile::tempdir().unwrap();
        // Windows allows no `?` or `:` in a name; its temporary folder's own path brings
        // the drive (`C:\…`) and the backslashes.
        let name = if cfg!(windows) {
            "数据 #1 &mode=ro&x=%20 a"
        } else {
            "数据 #1 ?mode=ro&x=%20 C:a"
        };
        let odd = dir.path().join(name);
        std::fs::create_dir_all(&odd).unwrap();
        let path = odd.join("central.sqlite");
        let db = open(&path).await.unwrap();
        sqlx::query("INSERT INTO counters (name, value) VALUES ('here', 7)")
            .execute(&db)
            .await
            .unwrap();
        db.close().await;
        assert!(path.is_file(), "not at {}", path.display());
        let again = open(&path).await.unwrap();
        let (v,): (i64,) = sqlx::query_as("SELECT value FROM counters WHERE name = 'here'")
            .fetch_one(&again)
            .await
            .unwrap();
        assert_eq!(v, 7);
    }

    #[tokio::test]
    async fn every_connection_syncs_each_commit_to_disk() {
        let dir = tempfile::tempdir().unwrap();
        let pool = open(&dir.path().join("central.sqlite")).await.unwrap();
        // Several connections at once, so the check is not of one lucky connection.
        let mut held = Vec::new();
        for _ in 0..4 {
            let mut c = pool.acquire().await.unwrap();
            let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            assert_eq!((sync, mode.as_str()), (2, "wal"), "2 is FULL");
            held.push(c);
        }
    }
}
