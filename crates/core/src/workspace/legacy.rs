//! A database written before workspaces kept one enterprise's work in the app's database,
//! beside the catalog. At the first start of this version it moves into the workspace of
//! the enterprise it belongs to, nothing lost; the app's copy is dropped only after the
//! workspace's transaction has committed, so a crash midway repeats the move harmlessly.

use std::path::Path;

use yiqifu_protocol::EnterpriseProfile;

use crate::app::{ServerChoice, ACCOUNT_KEY, SERVER_KEY};
use crate::error::Result;
use crate::materials::STORE_DIR;
use crate::store::{Schema, Store, DB_FILE};
use crate::workspace::{workspace_dir, workspace_id, LAST_SYNC_KEY};

const LEGACY_TABLES: [&str; 3] = ["legacy_records", "legacy_outbox", "legacy_uploads"];
const INBOX: &str = "inbox";

/// The workspace the legacy work moved into, if there was any to move.
pub(crate) struct Moved {
    pub id: String,
    pub server: ServerChoice,
    pub profile: EnterpriseProfile,
}

async fn has_legacy(app: &Store) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'legacy_outbox'",
    )
    .fetch_one(app.pool())
    .await?;
    Ok(n > 0)
}

async fn legacy_rows(app: &Store) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM legacy_records) + (SELECT COUNT(*) FROM legacy_outbox)
              + (SELECT COUNT(*) FROM legacy_uploads)
              + (SELECT COUNT(*) FROM catalog_items WHERE collection = 'inbox')",
    )
    .fetch_one(app.pool())
    .await?;
    Ok(n)
}

/// Moves the legacy work of the app's database at `data_dir` into its enterprise's
/// workspace. Work whose enterprise is unknown (signed out before this version) stays in
/// the app's database, untouched, and is logged.
pub(crate) async fn migrate(app: &Store, data_dir: &Path) -> Result<Option<Moved>> {
    if !has_legacy(app).await? {
        return Ok(None);
    }
    let server: Option<ServerChoice> = app.setting(SERVER_KEY).await?;
    let account: Option<EnterpriseProfile> = app.setting(ACCOUNT_KEY).await?;
    let rows = legacy_rows(app).await?;
    let (server, account) = match (server, account) {
        (Some(s), Some(a)) => (s, a),
        _ if rows == 0 => {
            drop_legacy(app).await?;
            return Ok(None);
        }
        _ => {
            tracing::warn!(
                rows,
                "work from before workspaces has no known enterprise; it stays in the app database"
            );
            return Ok(None);
        }
    };
    let id = workspace_id(&server, &account.credit_code);
    let dir = workspace_dir(data_dir, &id);
    let ws = Store::open_as(&dir, Schema::Workspace).await?;
    copy_into(&ws, &data_dir.join(DB_FILE)).await?;
    move_materials(&ws, data_dir, &dir).await?;
    ws.close().await;

    let mut tx = app.write().await?;
    sqlx::query(
        "INSERT INTO workspaces (id, server, credit_code, profile, added_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&id)
    .bind(server.key())
    .bind(&account.credit_code)
    .bind(serde_json::to_string(&account)?)
    .bind(crate::outbox::now_unix())
    .execute(&mut *tx)
    .await?;
    for t in LEGACY_TABLES {
        sqlx::query(&format!("DROP TABLE {t}"))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM catalog_items WHERE collection = ?")
        .bind(INBOX)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sync_cursors WHERE collection = ?")
        .bind(INBOX)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM settings WHERE key IN (?, ?)")
        .bind(ACCOUNT_KEY)
        .bind(LAST_SYNC_KEY)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(enterprise = %id, rows, "work from before workspaces moved into its workspace");
    Ok(Some(Moved {
        id,
        server,
        profile: account,
    }))
}

async fn drop_legacy(app: &Store) -> Result<()> {
    let mut tx = app.write().await?;
    for t in LEGACY_TABLES {
        sqlx::query(&format!("DROP TABLE {t}"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Copies every legacy row into the workspace's database in one transaction; rows already
/// there (from an interrupted earlier move) are kept as they are. The inbox's cursor and
/// ETag are not copied: main carried them over from one account to the next, so the first
/// pull starts from nothing, and its sweep drops any entry that is not this enterprise's.
async fn copy_into(ws: &Store, app_db: &Path) -> Result<()> {
    let mut conn = ws.pool().acquire().await?;
    sqlx::query("ATTACH DATABASE ? AS legacy")
        .bind(app_db.to_string_lossy().to_string())
        .execute(&mut *conn)
        .await?;
    let copy = async {
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        for sql in [
            "INSERT OR IGNORE INTO main.records (local_id, kind, draft, server_id, server_body,
                 created_at, updated_at)
             SELECT local_id, kind, draft, server_id, server_body, created_at, updated_at
             FROM legacy.legacy_records",
            // Rows queued before payloads had versions are format 1.
            "INSERT OR IGNORE INTO main.outbox (id, kind, version, record_id, idempotency_key,
                 payload, attempts, next_attempt_at, last_error, last_error_en, parked, created_at)
             SELECT id, kind, 1, record_id, idempotency_key, payload, attempts, next_attempt_at,
                 last_error, last_error_en, parked, created_at
             FROM legacy.legacy_outbox",
            "INSERT OR IGNORE INTO main.uploads (local_id, sha256, size, material_type, filename,
                 location, sent, server_id, done, parked, attempts, next_attempt_at, last_error,
                 last_error_en, created_at)
             SELECT local_id, sha256, size, material_type, filename, location, sent, server_id,
                 done, parked, attempts, next_attempt_at, last_error, last_error_en, created_at
             FROM legacy.legacy_uploads",
            "INSERT OR IGNORE INTO main.feed_items (collection, key, body, pull_generation)
             SELECT collection, key, body, pull_generation FROM legacy.catalog_items
             WHERE collection = 'inbox'",
            "INSERT OR IGNORE INTO main.settings (key, value)
             SELECT key, value FROM legacy.settings WHERE key = 'last_sync_at'",
        ] {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
        sqlx::query("COMMIT").execute(&mut *conn).await?;
        Ok::<_, crate::error::Error>(())
    }
    .await;
    if copy.is_err() {
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    let detached = sqlx::query("DETACH DATABASE legacy")
        .execute(&mut *conn)
        .await;
    copy?;
    detached?;
    Ok(())
}

/// Moves the stored copies of the workspace's uploads into its own material store.
async fn move_materials(ws: &Store, data_dir: &Path, ws_dir: &Path) -> Result<()> {
    let shas: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT sha256 FROM uploads")
        .fetch_all(ws.pool())
        .await?;
    let from = data_dir.join(STORE_DIR);
    let to = ws_dir.join(STORE_DIR);
    std::fs::create_dir_all(&to)?;
    for (sha,) in shas {
        let (src, dst) = (from.join(&sha), to.join(&sha));
        if dst.exists() || !src.exists() {
            continue;
        }
        if std::fs::rename(&src, &dst).is_err() {
            // Another volume (a redirected folder): copy, then drop the original.
            std::fs::copy(&src, &dst)?;
            std::fs::remove_file(&src)?;
        }
    }
    Ok(())
}
