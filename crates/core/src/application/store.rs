//! The only code that touches the application's tables: `application_draft`,
//! `application_files`, `application_rounds`, `generated_forms` and `application_seen`.

use sqlx::{Sqlite, Transaction};

use super::view::{FileOrigin, RoundFile, RoundSelfCheck};
use crate::error::Result;
use crate::outbox::now_unix;
use crate::store::Store;

pub(super) struct Draft {
    pub record_id: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: String,
}

pub(super) async fn draft(store: &Store) -> Result<Option<Draft>> {
    let row: Option<(Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT record_id, contact_name, contact_phone, note FROM application_draft WHERE id = 1",
    )
    .fetch_optional(store.pool())
    .await?;
    Ok(row.map(|r| Draft {
        record_id: r.0,
        contact_name: r.1,
        contact_phone: r.2,
        note: r.3,
    }))
}

pub(super) async fn put_draft(tx: &mut Transaction<'static, Sqlite>, d: &Draft) -> Result<()> {
    sqlx::query(
        "INSERT INTO application_draft (id, record_id, contact_name, contact_phone, note, updated_at)
         VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET record_id = excluded.record_id,
             contact_name = excluded.contact_name, contact_phone = excluded.contact_phone,
             note = excluded.note, updated_at = excluded.updated_at",
    )
    .bind(&d.record_id)
    .bind(&d.contact_name)
    .bind(&d.contact_phone)
    .bind(&d.note)
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn delete_draft(tx: &mut Transaction<'static, Sqlite>) -> Result<()> {
    sqlx::query("DELETE FROM application_draft")
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE application_files SET in_draft = 0 WHERE in_draft = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub(super) struct File {
    pub id: String,
    pub material_type: String,
    pub filename: String,
    pub sha256: String,
    pub size: u64,
    pub format: String,
    pub origin: FileOrigin,
    pub source_path: Option<String>,
    pub source_size: Option<i64>,
    pub source_mtime: Option<i64>,
    pub made_from: Option<String>,
    pub upload_id: Option<String>,
    pub added_seq: i64,
}

type FileRow = (
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
);

const FILE_COLUMNS: &str = "id, material_type, filename, sha256, size, format, origin, source_path,
    source_size, source_mtime, made_from, upload_id, added_seq";

fn file(r: FileRow) -> File {
    File {
        id: r.0,
        material_type: r.1,
        filename: r.2,
        sha256: r.3,
        size: u64::try_from(r.4).unwrap_or(0),
        format: r.5,
        origin: FileOrigin::parse(&r.6),
        source_path: r.7,
        source_size: r.8,
        source_mtime: r.9,
        made_from: r.10,
        upload_id: r.11,
        added_seq: r.12,
    }
}

/// The files of the application being prepared, in the order they were added.
pub(super) async fn draft_files(store: &Store) -> Result<Vec<File>> {
    let sql = format!(
        "SELECT {FILE_COLUMNS} FROM application_files WHERE in_draft = 1 ORDER BY added_seq"
    );
    let rows: Vec<FileRow> = sqlx::query_as(&sql).fetch_all(store.pool()).await?;
    Ok(rows.into_iter().map(file).collect())
}

pub(super) async fn file_by_id(store: &Store, id: &str) -> Result<Option<File>> {
    let sql = format!("SELECT {FILE_COLUMNS} FROM application_files WHERE id = ?");
    let row: Option<FileRow> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.map(file))
}

/// The next number of the sequence that orders added files and generated forms: the clock
/// may go back, this does not.
pub(super) async fn next_seq(tx: &mut Transaction<'static, Sqlite>) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT MAX(COALESCE((SELECT MAX(added_seq) FROM application_files), 0),
                    COALESCE((SELECT MAX(seq) FROM generated_forms), 0)) + 1",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(n)
}

pub(super) async fn insert_file(tx: &mut Transaction<'static, Sqlite>, f: &File) -> Result<()> {
    sqlx::query(
        "INSERT INTO application_files (id, material_type, filename, sha256, size, format, origin,
             source_path, source_size, source_mtime, made_from, in_draft, upload_id, added_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
    )
    .bind(&f.id)
    .bind(&f.material_type)
    .bind(&f.filename)
    .bind(&f.sha256)
    .bind(i64::try_from(f.size).unwrap_or(i64::MAX))
    .bind(&f.format)
    .bind(f.origin.as_str())
    .bind(&f.source_path)
    .bind(f.source_size)
    .bind(f.source_mtime)
    .bind(&f.made_from)
    .bind(&f.upload_id)
    .bind(f.added_seq)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes a file out of the application being prepared (it stays in the history of any
/// round that sent it).
pub(super) async fn drop_from_draft(
    tx: &mut Transaction<'static, Sqlite>,
    id: &str,
) -> Result<bool> {
    let done =
        sqlx::query("UPDATE application_files SET in_draft = 0 WHERE id = ? AND in_draft = 1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Puts files of an earlier round back into the application being prepared (a correction
/// starts from what was sent).
pub(super) async fn into_draft(
    tx: &mut Transaction<'static, Sqlite>,
    ids: &[String],
) -> Result<()> {
    for id in ids {
        sqlx::query("UPDATE application_files SET in_draft = 1 WHERE id = ?")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub(super) async fn set_upload(
    tx: &mut Transaction<'static, Sqlite>,
    file_id: &str,
    upload_id: &str,
) -> Result<()> {
    sqlx::query("UPDATE application_files SET upload_id = ? WHERE id = ?")
        .bind(upload_id)
        .bind(file_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) struct Round {
    pub record_id: String,
    pub round: u32,
    pub files: Vec<RoundFile>,
    pub selfcheck: RoundSelfCheck,
    pub package_sha256: String,
    pub package_size: u64,
    pub note: Option<String>,
    pub created_at: i64,
}

type RoundRow = (
    String,
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    i64,
);

fn round(r: RoundRow) -> Result<Round> {
    Ok(Round {
        record_id: r.0,
        round: u32::try_from(r.1).unwrap_or(0),
        files: serde_json::from_str(&r.2)?,
        selfcheck: serde_json::from_str(&r.3)?,
        package_sha256: r.4,
        package_size: u64::try_from(r.5).unwrap_or(0),
        note: r.6,
        created_at: r.7,
    })
}

pub(super) async fn rounds(store: &Store, record_id: Option<&str>) -> Result<Vec<Round>> {
    let rows: Vec<RoundRow> = sqlx::query_as(
        "SELECT record_id, round, files, selfcheck, package_sha256, package_size, note, created_at
         FROM application_rounds WHERE (?1 IS NULL OR record_id = ?1) ORDER BY record_id, round",
    )
    .bind(record_id)
    .fetch_all(store.pool())
    .await?;
    rows.into_iter().map(round).collect()
}

pub(super) async fn insert_round(tx: &mut Transaction<'static, Sqlite>, r: &Round) -> Result<()> {
    sqlx::query(
        "INSERT INTO application_rounds (record_id, round, files, selfcheck, package_sha256,
             package_size, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&r.record_id)
    .bind(i64::from(r.round))
    .bind(serde_json::to_string(&r.files)?)
    .bind(serde_json::to_string(&r.selfcheck)?)
    .bind(&r.package_sha256)
    .bind(i64::try_from(r.package_size).unwrap_or(i64::MAX))
    .bind(&r.note)
    .bind(r.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Forgets the rounds of `record_id` from `round` on: a round whose request was taken back
/// before the service got it was never sent.
pub(super) async fn delete_rounds_from(
    tx: &mut Transaction<'static, Sqlite>,
    record_id: &str,
    round: u32,
) -> Result<()> {
    sqlx::query("DELETE FROM application_rounds WHERE record_id = ? AND round >= ?")
        .bind(record_id)
        .bind(i64::from(round))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) struct Generated {
    pub kind: String,
    pub inputs: String,
    pub form_id: String,
    pub generated_at: i64,
    pub seq: i64,
}

pub(super) async fn generated(store: &Store) -> Result<Vec<Generated>> {
    let rows: Vec<(String, String, String, i64, i64)> =
        sqlx::query_as("SELECT kind, inputs, form_id, generated_at, seq FROM generated_forms")
            .fetch_all(store.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| Generated {
            kind: r.0,
            inputs: r.1,
            form_id: r.2,
            generated_at: r.3,
            seq: r.4,
        })
        .collect())
}

pub(super) async fn put_generated(
    store: &Store,
    kind: &str,
    inputs: &str,
    form_id: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    let seq = next_seq(&mut tx).await?;
    sqlx::query(
        "INSERT INTO generated_forms (kind, inputs, form_id, generated_at, seq) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET inputs = excluded.inputs, form_id = excluded.form_id,
             generated_at = excluded.generated_at, seq = excluded.seq",
    )
    .bind(kind)
    .bind(inputs)
    .bind(form_id)
    .bind(now_unix())
    .bind(seq)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The state and number of steps of an application the officer was last told of.
pub(super) async fn seen(store: &Store, record_id: &str) -> Result<Option<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT state, steps FROM application_seen WHERE record_id = ?")
            .bind(record_id)
            .fetch_optional(store.pool())
            .await?,
    )
}

pub(super) async fn set_seen(
    tx: &mut Transaction<'static, Sqlite>,
    record_id: &str,
    state: &str,
    steps: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO application_seen (record_id, state, steps) VALUES (?, ?, ?)
         ON CONFLICT (record_id) DO UPDATE SET state = excluded.state, steps = excluded.steps",
    )
    .bind(record_id)
    .bind(state)
    .bind(steps)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
