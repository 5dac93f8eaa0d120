//! Uploads by tus 1.0.0 (core, creation, checksum with sha256, termination, expiration), so
//! any conforming tus client can send materials, and an interrupted upload resumes.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::db::Conn;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use yiqifu_files::{Format, Limits};
use yiqifu_protocol::{ErrorCode, MaterialRule, UploadInfo};

use crate::auth::Enterprise;
use crate::catalog::{ATTACHMENT_RULES, MATERIAL_RULES};
use crate::db::{new_id, now_unix, rfc3339};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::AppState;

pub const TUS_VERSION: &str = "1.0.0";
/// Unfinished uploads are dropped this long after creation.
pub const EXPIRE_SECS: i64 = 24 * 60 * 60;
pub use yiqifu_protocol::APPEAL_ATTACHMENT;
/// The largest upload of any kind.
pub const MAX_SIZE: u64 = 100 * 1024 * 1024;
/// Complete uploads that no record has taken are dropped this long after creation: long
/// enough for an application the service refused to be corrected offline and sent again.
pub const UNUSED_KEEP_SECS: i64 = 30 * 24 * 60 * 60;
/// How many uploads no record has taken yet (unfinished, or complete and unused) one
/// enterprise may hold: several applications' materials at once, not a disk's worth.
pub const PENDING_UPLOADS: i64 = 200;
/// The bytes those may come to (unfinished ones by their announced length).
pub const PENDING_BYTES: i64 = 2 * 1024 * 1024 * 1024;
/// How long a PATCH may take to join and check an upload's last part before another may
/// take it over: far longer than a 100 MB file takes, short enough that an upload whose
/// service process died mid-join is retried the same day.
pub const JOIN_STALE_SECS: i64 = 5 * 60;
/// How often the service sweeps expired and unused uploads without waiting for a create.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Uploads with a PATCH in flight in this process, refused at once as busy. Correctness
/// across processes does not rest on it: a PATCH is recorded only if the upload's offset is
/// still where it started (see [`record_part`]).
#[derive(Default)]
pub struct Busy(Mutex<HashSet<String>>);

struct BusyGuard<'a>(&'a Busy, String);

impl Drop for BusyGuard<'_> {
    fn drop(&mut self) {
        self.0
             .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.1);
    }
}

impl Busy {
    fn claim(&self, id: &str) -> Option<BusyGuard<'_>> {
        let mut set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        set.insert(id.to_string())
            .then(|| BusyGuard(self, id.to_string()))
    }
}

fn h(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}

fn tus_headers() -> [(HeaderName, HeaderValue); 1] {
    [(h("tus-resumable"), HeaderValue::from_static(TUS_VERSION))]
}

fn http_date(unix: i64) -> String {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

fn tus_error(status: StatusCode, code: ErrorCode, message: &str) -> Error {
    Error::api(status, code, message)
}

fn require_tus(headers: &HeaderMap) -> Result<()> {
    match headers.get("tus-resumable").and_then(|v| v.to_str().ok()) {
        Some(TUS_VERSION) => Ok(()),
        _ => Err(tus_error(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::BadRequest,
            "需要 Tus-Resumable: 1.0.0 / send Tus-Resumable: 1.0.0",
        )),
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Result<Option<u64>> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Some)
            .ok_or_else(|| {
                Error::bad_request(format!(
                    "{name} 不是非负整数 / {name} is not a non-negative integer"
                ))
            }),
    }
}

/// Upload-Metadata: comma-separated `key base64value` pairs.
fn metadata(headers: &HeaderMap) -> Result<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::new();
    let Some(raw) = headers.get("upload-metadata") else {
        return Ok(out);
    };
    let raw = raw.to_str().map_err(|_| {
        Error::bad_request("Upload-Metadata 含非 ASCII 字符 / Upload-Metadata is not ASCII")
    })?;
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut it = pair.splitn(2, ' ');
        let key = it.next().unwrap_or_default().to_string();
        let value = match it.next() {
            Some(v) => base64::engine::general_purpose::STANDARD
                .decode(v.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| Error::bad_request(format!("Upload-Metadata 中 {key} 的值不是 base64 编码的 UTF-8 / the value of {key} is not base64 UTF-8")))?,
            None => String::new(),
        };
        out.insert(key, value);
    }
    Ok(out)
}

/// The name of an upload, safe to store and to show a reviewer: its last path component,
/// checked by the same rules as the client checks a picked file.
pub fn clean_filename(name: &str) -> Result<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    // The client's own rule: a name a reviewer is shown must read as what it is, so text
    // direction controls (U+202E shows "gpj.exe" as "exe.jpg"), invisible characters and
    // control characters are refused, not stripped into another plausible name.
    yiqifu_files::check_name(base).map_err(|e| {
        Error::api(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidField,
            format!("{} / {}", e.message_zh(), e.message_en()),
        )
    })
}

/// The rule of a material type, as published: the attachment rules (appeal attachments),
/// then the application's material rules. Appeal attachments keep the protocol's rule when a
/// service publishes none, the same rule a client assumes before its first sync.
pub async fn rule_for(conn: &mut Conn, material_type: &str) -> Result<Option<MaterialRule>> {
    if let Some(rule) = crate::catalog::entry(conn, ATTACHMENT_RULES, material_type).await? {
        return Ok(Some(rule));
    }
    if let Some(rule) = crate::catalog::entry(conn, MATERIAL_RULES, material_type).await? {
        return Ok(Some(rule));
    }
    Ok((material_type == APPEAL_ATTACHMENT).then(yiqifu_protocol::appeal_attachment_rule))
}

/// The limits a material rule sets on a file, as the shared checks read them. A format the
/// checks do not know (a newer rule) admits nothing rather than everything.
pub fn limits(rule: &MaterialRule) -> Limits {
    Limits::from_names(&rule.formats, rule.max_bytes.min(MAX_SIZE))
}

/// Runs every check of the desktop client on a file (type by content, size, the file
/// opens), off the async threads: a PDF is parsed whole. At most one check per core runs at
/// once (`state.checks`): a batch of applications completing together waits its turn
/// rather than hold every file parsed in memory at the same time.
async fn check_path(
    state: &AppState,
    path: &std::path::Path,
    rule: &MaterialRule,
) -> std::result::Result<Format, yiqifu_files::Error> {
    let _turn =
        state.checks.acquire().await.map_err(|e| {
            yiqifu_files::Error::FileUnreadable(std::io::Error::other(e.to_string()))
        })?;
    let path = path.to_path_buf();
    let limits = limits(rule);
    tokio::task::spawn_blocking(move || yiqifu_files::check_file(&path, &limits))
        .await
        .map_err(|e| yiqifu_files::Error::FileUnreadable(std::io::Error::other(e.to_string())))?
        .map(|c| c.format)
}

/// A refused file, as the service answers it: what is wrong with it and how to fix it.
pub fn refused(filename: &str, problem: &yiqifu_files::Error) -> Error {
    Error::api(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::MaterialInvalid,
        format!(
            "“{filename}”：{} / {filename}: {}",
            problem.message_zh(),
            problem.message_en()
        ),
    )
}

struct Row {
    material_type: String,
    filename: String,
    length: i64,
    offset: i64,
    sha256: Option<String>,
    expires_at: i64,
    joining_at: Option<i64>,
}

impl Row {
    /// Whether a PATCH is joining and checking the last part now.
    fn joining(&self, now: i64) -> bool {
        self.joining_at.is_some_and(|at| at > now - JOIN_STALE_SECS)
    }
}

fn joining_error() -> Error {
    tus_error(
        StatusCode::LOCKED,
        ErrorCode::Conflict,
        "该上传的最后一段正在合并检查，请稍后再查询 / this upload's last chunk is being joined and checked: ask for its offset again shortly",
    )
}

async fn load(state: &AppState, owner: &str, id: &str) -> Result<Row> {
    type Found = (String, String, i64, i64, Option<String>, i64, Option<i64>);
    let row: Option<Found> = sqlx::query_as(
        "SELECT material_type, filename, length, \"offset\", sha256, expires_at, joining_at
           FROM uploads WHERE id = $1 AND owner = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(&state.db)
    .await?;
    let r = row.ok_or_else(Error::not_found)?;
    let row = Row {
        material_type: r.0,
        filename: r.1,
        length: r.2,
        offset: r.3,
        sha256: r.4,
        expires_at: r.5,
        joining_at: r.6,
    };
    if row.sha256.is_none() && row.expires_at <= now_unix() {
        return Err(tus_error(
            StatusCode::GONE,
            ErrorCode::NotFound,
            "上传已过期，请重新上传 / this upload has expired: start it again",
        ));
    }
    Ok(row)
}

/// Deletes unfinished uploads past their expiry, and complete ones no record took within
/// [`UNUSED_KEEP_SECS`], rows and files.
pub async fn expire(state: &AppState) -> Result<u64> {
    let now = now_unix();
    let ids: Vec<(String, String)> = sqlx::query_as(
        "DELETE FROM uploads
          WHERE (sha256 IS NULL AND expires_at <= $1)
             OR (sha256 IS NOT NULL AND used = 0 AND created_at <= $2)
         RETURNING id, owner",
    )
    .bind(now)
    .bind(now - UNUSED_KEEP_SECS)
    .fetch_all(&state.db)
    .await?;
    for (id, owner) in &ids {
        forget(state, owner, id).await?;
    }
    Ok(ids.len() as u64)
}

/// Removes what is left of an upload whose row is gone: its parts' rows, its object and
/// every part object.
async fn forget(state: &AppState, owner: &str, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM upload_parts WHERE upload_id = $1 AND owner = $2")
        .bind(id)
        .bind(owner)
        .execute(&state.db)
        .await?;
    if let Err(e) = state.store.remove_upload(id).await {
        // The row is gone, so nothing will reach these bytes again; they are logged for an
        // operator rather than failing the request that swept them.
        tracing::warn!(upload = id, error = %e, "upload bytes left in the store");
    }
    Ok(())
}

/// Sweeps every `every` for as long as the service runs: uploads left behind by an
/// enterprise that stops creating new ones go too.
pub async fn sweep_every(state: AppState, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match expire(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "swept expired and unused uploads"),
            Err(e) => tracing::warn!(error = %e, "upload sweep failed"),
        }
    }
}

/// Marks `owner`'s uploads `ids` as taken by a record, in the record's transaction, so the
/// sweep leaves them.
pub async fn mark_used(conn: &mut Conn, owner: &str, ids: Vec<String>) -> Result<()> {
    for id in ids {
        sqlx::query("UPDATE uploads SET used = 1 WHERE id = $1 AND owner = $2 AND used = 0")
            .bind(id)
            .bind(owner)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[utoipa::path(options, path = "/api/v1/uploads", tag = "uploads",
    responses((status = 204, description = "tus capabilities in the Tus-* headers")))]
pub async fn options() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (h("tus-resumable"), HeaderValue::from_static(TUS_VERSION)),
            (h("tus-version"), HeaderValue::from_static(TUS_VERSION)),
            (
                h("tus-extension"),
                HeaderValue::from_static("creation,checksum,termination,expiration"),
            ),
            (
                h("tus-checksum-algorithm"),
                HeaderValue::from_static("sha256"),
            ),
            (h("tus-max-size"), HeaderValue::from(MAX_SIZE)),
        ],
    )
        .into_response()
}

#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads", security(("bearer" = [])),
    params(
        ("Upload-Length" = u64, Header, description = "The file's size in bytes"),
        ("Upload-Metadata" = String, Header, description = "material_type and filename, base64"),
    ),
    responses(
        (status = 201, description = "Created; Location names the upload"),
        (status = 400, description = "Bad headers or metadata; INVALID_FIELD for a file name the client would refuse too (empty, too long, a path part, control, text-direction or invisible characters, characters or names Windows forbids)", body = yiqifu_protocol::ApiError),
        (status = 413, description = "Larger than the material allows", body = yiqifu_protocol::ApiError),
        (status = 422, description = "MATERIAL_INVALID: an empty file, refused at once with why", body = yiqifu_protocol::ApiError),
        (status = 429, description = "UPLOAD_QUOTA: the enterprise already holds 200 uploads (or 2 GiB) that no record has taken; they count until an application or appeal takes them, or they expire", body = yiqifu_protocol::ApiError),
        (status = 503, description = "STORAGE_FULL: the service's storage is full; retry after Retry-After seconds", body = yiqifu_protocol::ApiError),
    ))]
pub async fn create(
    State(state): State<AppState>,
    who: Enterprise,
    headers: HeaderMap,
) -> Result<Response> {
    require_tus(&headers)?;
    let length = header_u64(&headers, "upload-length")?.ok_or_else(|| {
        Error::bad_request("需要 Upload-Length（不支持延后长度） / Upload-Length is required (deferred length is not supported)")
    })?;
    let meta = metadata(&headers)?;
    let material_type = meta.get("material_type").cloned().unwrap_or_default();
    let filename = clean_filename(meta.get("filename").map(String::as_str).unwrap_or_default())?;
    let mut conn = state.db.acquire().await?;
    let rule = rule_for(&mut conn, &material_type).await?.ok_or_else(|| {
        Error::api(
            StatusCode::BAD_REQUEST,
            ErrorCode::MaterialInvalid,
            format!("未知的材料类型“{material_type}” / unknown material type {material_type:?}"),
        )
    })?;
    drop(conn);
    if length > rule.max_bytes.min(MAX_SIZE) {
        return Err(Error::api(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!(
                "{}不得超过 {} / {} may be at most {}",
                rule.name,
                yiqifu_files::size_text(rule.max_bytes),
                rule.material_type,
                yiqifu_files::size_text(rule.max_bytes)
            ),
        ));
    }
    expire(&state).await?;
    let id = new_id("up");
    let now = now_unix();
    // The quota is checked by the insert itself, under the write lock, so parallel creates
    // (in one service process or several on one PostgreSQL) cannot all pass it. The
    // transaction runs on a task of its own: a client that hangs up mid-request does not cut
    // it off half begun.
    let insert = {
        let (db, id, owner) = (state.db.clone(), id.clone(), who.credit_code.clone());
        let (material_type, filename) = (rule.material_type.clone(), filename.clone());
        tokio::spawn(async move {
            let mut tx = crate::db::begin_write(&db).await?;
            let inserted = sqlx::query(
                "INSERT INTO uploads (id, owner, material_type, filename, length, \"offset\", sha256, created_at, expires_at)
                 SELECT $1, $2, $3, $4, $5, 0, NULL, $6, $7
                  WHERE (SELECT COUNT(*) FROM uploads WHERE owner = $2 AND used = 0) < $8
                    AND (SELECT CAST(COALESCE(SUM(length), 0) AS BIGINT) FROM uploads WHERE owner = $2 AND used = 0) + $5 <= $9",
            )
            .bind(&id)
            .bind(&owner)
            .bind(&material_type)
            .bind(&filename)
            .bind(length as i64)
            .bind(now)
            .bind(now + EXPIRE_SECS)
            .bind(PENDING_UPLOADS)
            .bind(PENDING_BYTES)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, Error>(inserted)
        })
    };
    let inserted = insert
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??;
    if inserted.rows_affected() == 0 {
        return Err(Error::api(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::UploadQuota,
            format!(
                "尚未用于申请或诉求的上传已达上限（{PENDING_UPLOADS} 个或 {} GB），请先提交用到它们的申请，或稍后再试 / \
                 you already hold {PENDING_UPLOADS} uploads (or {} GB) that no application or appeal has taken: send what uses them first, or try later",
                PENDING_BYTES >> 30,
                PENDING_BYTES >> 30
            ),
        ));
    }
    if length == 0 {
        finish(&state, &who.credit_code, &id, 0).await?;
    }
    let location = format!("/api/v1/uploads/{id}");
    Ok((
        StatusCode::CREATED,
        tus_headers(),
        [
            (header::LOCATION, location),
            (h("upload-expires"), http_date(now + EXPIRE_SECS)),
        ],
    )
        .into_response())
}

/// The parts' rows of an upload, in order: (offset, length, object).
async fn parts(state: &AppState, owner: &str, id: &str) -> Result<Vec<(i64, i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT \"offset\", length, key FROM upload_parts
          WHERE upload_id = $1 AND owner = $2 ORDER BY \"offset\"",
    )
    .bind(id)
    .bind(owner)
    .fetch_all(&state.db)
    .await?)
}

/// The parts joined into one local file, with its SHA-256; `None` when they do not join
/// up to `length` bytes from the start.
async fn join_parts(
    state: &AppState,
    owner: &str,
    id: &str,
    length: u64,
) -> Result<Option<(tempfile::TempPath, String)>> {
    let temp = tempfile::NamedTempFile::new()?.into_temp_path();
    let mut out = tokio::fs::File::create(&temp).await?;
    let mut hasher = Sha256::new();
    let mut at = 0u64;
    for (offset, len, key) in parts(state, owner, id).await? {
        if offset as u64 != at {
            return Ok(None);
        }
        let key = object_store::path::Path::from(key);
        let n = state.store.append_to(&key, &mut out, &mut hasher).await?;
        if n != len as u64 {
            return Ok(None);
        }
        at += n;
    }
    out.flush().await?;
    out.sync_all().await?;
    Ok((at == length).then(|| (temp, hex::encode(hasher.finalize()))))
}

/// Records a complete upload, once every check of its material passed: its parts joined
/// into one object, then its offset, hash and format together. A file that fails them is
/// deleted, row and bytes, so a retry starts afresh and meets the same answer, and the
/// refusal says what is wrong.
async fn finish(state: &AppState, owner: &str, id: &str, length: u64) -> Result<()> {
    let (material_type, filename): (String, String) =
        sqlx::query_as("SELECT material_type, filename FROM uploads WHERE id = $1 AND owner = $2")
            .bind(id)
            .bind(owner)
            .fetch_one(&state.db)
            .await?;
    let Some((file, sha256)) = join_parts(state, owner, id, length).await? else {
        // Parts that do not join up (a store that lost one): the upload starts again from
        // nothing rather than be stored with a hole.
        tracing::warn!(upload = id, "upload parts do not join up: reset to 0");
        let mut tx = crate::db::begin_write(&state.db).await?;
        sqlx::query("DELETE FROM upload_parts WHERE upload_id = $1 AND owner = $2")
            .bind(id)
            .bind(owner)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE uploads SET \"offset\" = 0, joining_at = NULL WHERE id = $1 AND owner = $2",
        )
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let _ = state.store.remove_upload(id).await;
        return Err(tus_error(
            StatusCode::CONFLICT,
            ErrorCode::OffsetMismatch,
            "上传的数据不完整，请从头重传 / the upload's bytes do not join up: send it again from the start",
        ));
    };
    let mut conn = state.db.acquire().await?;
    let rule = rule_for(&mut conn, &material_type).await?;
    drop(conn);
    let checked = match &rule {
        Some(rule) => check_path(state, &file, rule).await,
        None => Err(yiqifu_files::Error::FileWrongType {
            found: yiqifu_files::Found::Unknown,
            allowed: vec![],
        }),
    };
    match checked {
        Ok(format) => {
            state.store.put_file(&file, Store::file(id)).await?;
            let mut tx = crate::db::begin_write(&state.db).await?;
            sqlx::query(
                "UPDATE uploads SET \"offset\" = $1, sha256 = $2, format = $3, joining_at = NULL
                  WHERE id = $4 AND owner = $5",
            )
            .bind(i64::try_from(length).unwrap_or(i64::MAX))
            .bind(sha256)
            .bind(format.as_str())
            .bind(id)
            .bind(owner)
            .execute(&mut *tx)
            .await?;
            let keys: Vec<(String,)> = sqlx::query_as(
                "DELETE FROM upload_parts WHERE upload_id = $1 AND owner = $2 RETURNING key",
            )
            .bind(id)
            .bind(owner)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            for (key,) in keys {
                let _ = state.store.remove(&key.into()).await;
            }
            Ok(())
        }
        Err(problem) => {
            tracing::info!(
                upload = id,
                code = problem.code(),
                detail = problem.detail(),
                "upload refused by the material checks"
            );
            sqlx::query("DELETE FROM uploads WHERE id = $1 AND owner = $2")
                .bind(id)
                .bind(owner)
                .execute(&state.db)
                .await?;
            forget(state, owner, id).await?;
            Err(refused(&filename, &problem))
        }
    }
}

/// Records a PATCH's part, if the upload is still at the offset the PATCH started from
/// (another process may have taken that offset meanwhile: then the part is dropped and the
/// client told the offset moved). Parts recorded at or past that offset are left-overs of a
/// last chunk whose joining was cut off; they give way to this one.
async fn record_part(
    state: &AppState,
    owner: &str,
    id: &str,
    offset: u64,
    length: u64,
    part: &object_store::path::Path,
    complete: bool,
) -> Result<()> {
    let mut tx = crate::db::begin_write(&state.db).await?;
    let found: Option<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT \"offset\", sha256, joining_at FROM uploads WHERE id = $1 AND owner = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(&mut *tx)
    .await?;
    let now = now_unix();
    let joining = |at: Option<i64>| at.is_some_and(|at| at > now - JOIN_STALE_SECS);
    if let Some((_, None, at)) = found {
        if joining(at) {
            drop(tx);
            let _ = state.store.remove(part).await;
            return Err(joining_error());
        }
    }
    if !matches!(found, Some((o, None, _)) if o == offset as i64) {
        drop(tx);
        let _ = state.store.remove(part).await;
        return Err(tus_error(
            StatusCode::CONFLICT,
            ErrorCode::OffsetMismatch,
            "上传已在别处继续，请查询偏移量 / this upload moved on elsewhere: ask for its offset (HEAD)",
        ));
    }
    let stale: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM upload_parts WHERE upload_id = $1 AND owner = $2 AND \"offset\" >= $3 RETURNING key",
    )
    .bind(id)
    .bind(owner)
    .bind(offset as i64)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO upload_parts (upload_id, owner, \"offset\", length, key) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(owner)
    .bind(offset as i64)
    .bind(length as i64)
    .bind(part.to_string())
    .execute(&mut *tx)
    .await?;
    // The last part does not move the offset: it reaches the length only once the joined
    // file passed its checks, with its hash. Until then the upload is marked as joining.
    if complete {
        sqlx::query("UPDATE uploads SET joining_at = $1 WHERE id = $2 AND owner = $3")
            .bind(now)
            .bind(id)
            .bind(owner)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("UPDATE uploads SET \"offset\" = $1 WHERE id = $2 AND owner = $3")
            .bind((offset + length) as i64)
            .bind(id)
            .bind(owner)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    for (key,) in stale {
        let _ = state.store.remove(&key.into()).await;
    }
    Ok(())
}

#[utoipa::path(head, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, description = "Upload-Offset and Upload-Length"), (status = 404, description = "No such upload"),
        (status = 410, description = "The unfinished upload expired: start it again")))]
pub async fn head(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    require_tus(&headers)?;
    let row = load(&state, &who.credit_code, &id).await?;
    Ok((
        StatusCode::OK,
        tus_headers(),
        [
            (h("upload-offset"), row.offset.to_string()),
            (h("upload-length"), row.length.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (h("upload-expires"), http_date(row.expires_at)),
        ],
    )
        .into_response())
}

#[utoipa::path(patch, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Upload id"),
        ("Upload-Offset" = u64, Header, description = "Where this chunk starts"),
        ("Upload-Checksum" = Option<String>, Header, description = "sha256 and the base64 digest of this chunk"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses(
        (status = 204, description = "Stored; Upload-Offset is the new offset"),
        (status = 409, description = "Upload-Offset does not match", body = yiqifu_protocol::ApiError),
        (status = 410, description = "The unfinished upload expired: start it again", body = yiqifu_protocol::ApiError),
        (status = 422, description = "MATERIAL_INVALID: the last chunk completed a file that fails the material's checks (type, size, content); the upload is gone and the answer says why", body = yiqifu_protocol::ApiError),
        (status = 423, description = "Another PATCH to this upload is running (a stalled one lets go after the body timeout)", body = yiqifu_protocol::ApiError),
        (status = 460, description = "Checksum mismatch: the chunk was discarded", body = yiqifu_protocol::ApiError),
        (status = 503, description = "STORAGE_FULL: the upload store or the database's disk is full; the chunk was not recorded (the offset stays), retry after Retry-After seconds", body = yiqifu_protocol::ApiError),
    ))]
pub async fn patch(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response> {
    require_tus(&headers)?;
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/offset+octet-stream")
    {
        return Err(tus_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadRequest,
            "需要 Content-Type: application/offset+octet-stream / send Content-Type: application/offset+octet-stream",
        ));
    }
    let offset = header_u64(&headers, "upload-offset")?
        .ok_or_else(|| Error::bad_request("需要 Upload-Offset / Upload-Offset is required"))?;
    let checksum = match headers.get("upload-checksum").and_then(|v| v.to_str().ok()) {
        None => None,
        Some(v) => {
            let (algo, digest) = v.trim().split_once(' ').unwrap_or((v, ""));
            if algo != "sha256" {
                return Err(Error::bad_request(
                    "只支持 sha256 校验 / only sha256 checksums are supported",
                ));
            }
            Some(
                base64::engine::general_purpose::STANDARD
                    .decode(digest.trim())
                    .map_err(|_| {
                        Error::bad_request(
                            "Upload-Checksum 不是 base64 / Upload-Checksum is not base64",
                        )
                    })?,
            )
        }
    };
    let _busy = state.busy.claim(&id).ok_or_else(|| {
        tus_error(
            StatusCode::LOCKED,
            ErrorCode::Conflict,
            "该上传正在写入，请稍后 / another PATCH to this upload is running",
        )
    })?;
    let row = load(&state, &who.credit_code, &id).await?;
    if row.sha256.is_none() && row.joining(now_unix()) {
        return Err(joining_error());
    }
    if row.offset as u64 != offset {
        return Err(tus_error(
            StatusCode::CONFLICT,
            ErrorCode::OffsetMismatch,
            &format!(
                "偏移量应为 {} / Upload-Offset must be {}",
                row.offset, row.offset
            ),
        ));
    }
    if row.sha256.is_some() {
        return Err(tus_error(
            StatusCode::CONFLICT,
            ErrorCode::OffsetMismatch,
            "上传已完成 / this upload is already complete",
        ));
    }
    let part = Store::part(&id, offset);
    let mut writer = state.store.writer(part.clone());
    let remaining = (row.length - row.offset) as u64;
    let mut written: u64 = 0;
    let mut hasher = Sha256::new();
    let mut body = body;
    let mut cut_short = false;
    let mut too_long = false;
    loop {
        // A client that stops sending (a laptop gone to sleep mid-chunk) must not hold the
        // upload's lock: after `body_idle` of silence this PATCH ends as if cut off, and the
        // next one, after waking, finds the upload free.
        let Ok(frame) = tokio::time::timeout(state.body_idle, body.frame()).await else {
            cut_short = true;
            break;
        };
        let Some(frame) = frame else {
            break;
        };
        let Ok(frame) = frame else {
            // The connection dropped: keep what arrived, so the client resumes from there.
            cut_short = true;
            break;
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if written + data.len() as u64 > remaining {
            too_long = true;
            break;
        }
        hasher.update(&data);
        written += data.len() as u64;
        if let Err(e) = writer.put(data).await {
            let _ = writer.abort().await;
            return Err(e.into());
        }
    }
    let mismatch = checksum
        .as_ref()
        .is_some_and(|want| cut_short || hasher.finalize()[..] != want[..]);
    if too_long || mismatch || written == 0 {
        // Discard the whole chunk: the offset stays where it was.
        let _ = writer.abort().await;
    }
    if written == 0 && !too_long && !mismatch {
        return Ok((
            StatusCode::NO_CONTENT,
            tus_headers(),
            [
                (h("upload-offset"), offset.to_string()),
                (h("upload-expires"), http_date(row.expires_at)),
            ],
        )
            .into_response());
    }
    if too_long || mismatch {
        return Err(if too_long {
            tus_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                "数据超出 Upload-Length / the chunk goes past Upload-Length",
            )
        } else {
            tus_error(
                StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
                ErrorCode::ChecksumMismatch,
                "数据校验失败，请重传该段 / the chunk does not match its checksum: send it again",
            )
        });
    }
    let new_offset = offset + written;
    // Once the bytes are in, recording them runs on its own task: a client that hangs up
    // while the last chunk is hashed must not leave the bytes unrecorded (it would resend
    // them for ever). The offset and the hash are written together.
    let complete = new_offset == row.length as u64;
    let (st, upload, owner) = (state.clone(), id.clone(), who.credit_code.clone());
    tokio::spawn(async move {
        // A failed shutdown aborts its multipart upload itself.
        writer.shutdown().await?;
        record_part(&st, &owner, &upload, offset, written, &part, complete).await?;
        if complete {
            // The last byte is in: the file is checked as a whole before it counts.
            let finished = finish(&st, &owner, &upload, new_offset).await;
            if let Err(Error::Db(_) | Error::Io(_) | Error::Store(_)) = &finished {
                // A store or database that failed mid-join: the client's retry may take the
                // last part again at once, not after JOIN_STALE_SECS.
                let _ = sqlx::query(
                    "UPDATE uploads SET joining_at = NULL WHERE id = $1 AND owner = $2 AND sha256 IS NULL",
                )
                .bind(&upload)
                .bind(&owner)
                .execute(&st.db)
                .await;
            }
            return finished;
        }
        Ok::<_, Error>(())
    })
    .await
    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??;
    Ok((
        StatusCode::NO_CONTENT,
        tus_headers(),
        [
            (h("upload-offset"), new_offset.to_string()),
            (h("upload-expires"), http_date(row.expires_at)),
        ],
    )
        .into_response())
}

#[utoipa::path(delete, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 204, description = "Terminated"), (status = 409, description = "In use by an application", body = yiqifu_protocol::ApiError),
        (status = 410, description = "The unfinished upload already expired", body = yiqifu_protocol::ApiError)))]
pub async fn terminate(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    require_tus(&headers)?;
    load(&state, &who.credit_code, &id).await?;
    let pattern = format!("%\"{id}\"%");
    let (used,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM applications WHERE owner = $1 AND body LIKE $2)
              + (SELECT COUNT(*) FROM appeals WHERE owner = $1 AND body LIKE $2)",
    )
    .bind(&who.credit_code)
    .bind(&pattern)
    .fetch_one(&state.db)
    .await?;
    if used > 0 {
        return Err(Error::api(
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            "该文件已用于申请或诉求，不能删除 / this upload is part of an application or appeal",
        ));
    }
    sqlx::query("DELETE FROM uploads WHERE id = $1 AND owner = $2")
        .bind(&id)
        .bind(&who.credit_code)
        .execute(&state.db)
        .await?;
    forget(&state, &who.credit_code, &id).await?;
    Ok((StatusCode::NO_CONTENT, tus_headers()).into_response())
}

#[utoipa::path(get, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, description = "The upload", body = UploadInfo), (status = 404, description = "No such upload", body = yiqifu_protocol::ApiError),
        (status = 410, description = "The unfinished upload expired", body = yiqifu_protocol::ApiError)))]
pub async fn info(
    State(state): State<AppState>,
    who: Enterprise,
    Path(id): Path<String>,
) -> Result<Json<UploadInfo>> {
    let row = load(&state, &who.credit_code, &id).await?;
    Ok(Json(UploadInfo {
        id,
        material_type: row.material_type,
        filename: row.filename,
        length: row.length as u64,
        offset: row.offset as u64,
        complete: row.sha256.is_some(),
        sha256: row.sha256,
        expires_at: rfc3339(row.expires_at),
    }))
}

/// A completed upload of `owner`, for attaching to a record.
pub struct Completed {
    pub material_type: String,
    pub filename: String,
    pub size: u64,
    pub sha256: String,
    /// Found by content when it completed; `None` for uploads from before the checks.
    pub format: Option<String>,
}

pub async fn completed(state: &AppState, owner: &str, id: &str) -> Result<Completed> {
    type Row = (String, String, i64, Option<String>, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT material_type, filename, length, sha256, format FROM uploads WHERE id = $1 AND owner = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(&state.db)
    .await?;
    match row {
        Some((material_type, filename, len, Some(sha256), format)) => Ok(Completed {
            material_type,
            filename,
            size: u64::try_from(len).unwrap_or(0),
            sha256,
            format,
        }),
        Some(_) => Err(Error::api(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::MaterialInvalid,
            format!("上传 {id} 尚未完成 / upload {id} is not complete"),
        )),
        None => Err(Error::api(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::MaterialInvalid,
            format!("找不到上传 {id} / no upload {id}"),
        )),
    }
}

/// The format of a completed upload, checked now if it completed before the checks existed.
pub async fn checked_format(
    state: &AppState,
    id: &str,
    done: &Completed,
    rule: &MaterialRule,
) -> Result<Format> {
    if let Some(f) = done.format.as_deref().and_then(Format::parse) {
        return Ok(f);
    }
    let file = state.store.download(&Store::file(id)).await?;
    let format = check_path(state, &file, rule)
        .await
        .map_err(|p| refused(&done.filename, &p))?;
    sqlx::query("UPDATE uploads SET format = $1 WHERE id = $2")
        .bind(format.as_str())
        .bind(id)
        .execute(&state.db)
        .await?;
    Ok(format)
}
