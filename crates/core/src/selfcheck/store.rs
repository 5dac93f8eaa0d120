//! The only code that touches the self-check's tables: `company_profile`,
//! `selfcheck_drafts`, `selfcheck_answers` and `selfcheck_runs`.

use std::collections::HashSet;

use sqlx::{Sqlite, Transaction};
use yiqifu_protocol::{Answer, AnswerValue, CompanyProfile, SelfCheckTemplate};

use super::view::TemplateChanges;
use crate::error::{Error, Result};
use crate::outbox::{new_local_id, now_unix};
use crate::store::Store;

pub(super) struct Draft {
    pub(super) template: SelfCheckTemplate,
    pub(super) step: u32,
    pub(super) recheck: HashSet<String>,
    pub(super) changes: Option<TemplateChanges>,
    pub(super) updated_at: i64,
}

pub(super) async fn load_draft(store: &Store, template_id: &str) -> Result<Option<Draft>> {
    let row: Option<(String, i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT template, step, recheck, changes, updated_at FROM selfcheck_drafts WHERE template_id = ?",
    )
    .bind(template_id)
    .fetch_optional(store.pool())
    .await?;
    let Some((template, step, recheck, changes, updated_at)) = row else {
        return Ok(None);
    };
    Ok(Some(Draft {
        template: serde_json::from_str(&template)?,
        step: u32::try_from(step).unwrap_or(0),
        recheck: serde_json::from_str(&recheck)?,
        changes: changes.map(|c| serde_json::from_str(&c)).transpose()?,
        updated_at,
    }))
}

pub(super) async fn load_answers(store: &Store, template_id: &str) -> Result<Vec<Answer>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT item_id, value FROM selfcheck_answers WHERE template_id = ? ORDER BY item_id",
    )
    .bind(template_id)
    .fetch_all(store.pool())
    .await?;
    rows.into_iter()
        .map(|(item_id, value)| {
            Ok(Answer {
                item_id,
                value: serde_json::from_str(&value)?,
            })
        })
        .collect()
}

/// Writes a whole draft (a new one, or one moved to a newer template) in one transaction.
pub(super) async fn write_draft(
    store: &Store,
    t: &SelfCheckTemplate,
    answers: &[Answer],
    recheck: &HashSet<String>,
    changes: Option<&TemplateChanges>,
) -> Result<()> {
    let now = now_unix();
    let mut recheck: Vec<&String> = recheck.iter().collect();
    recheck.sort();
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM selfcheck_drafts WHERE template_id = ?")
        .bind(&t.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO selfcheck_drafts (template_id, template_version, template, step, recheck, changes, started_at, updated_at)
         VALUES (?, ?, ?, 0, ?, ?, ?, ?)",
    )
    .bind(&t.id)
    .bind(i64::from(t.version))
    .bind(serde_json::to_string(t)?)
    .bind(serde_json::to_string(&recheck)?)
    .bind(changes.map(serde_json::to_string).transpose()?)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for a in answers {
        sqlx::query(
            "INSERT INTO selfcheck_answers (template_id, item_id, value, answered_at) VALUES (?, ?, ?, ?)",
        )
        .bind(&t.id)
        .bind(&a.item_id)
        .bind(serde_json::to_string(&a.value)?)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

type RunRow = (
    String,
    String,
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    i64,
);

pub(super) struct Run {
    pub(super) id: String,
    pub(super) template: SelfCheckTemplate,
    pub(super) profile: CompanyProfile,
    pub(super) answers: Vec<Answer>,
    pub(super) passed: bool,
    pub(super) sha256: String,
    pub(super) finished_on: String,
    pub(super) finished_at: i64,
}

fn run_of(r: RunRow) -> Result<Run> {
    Ok(Run {
        id: r.0,
        template: serde_json::from_str(&r.3)?,
        profile: serde_json::from_str(&r.4)?,
        answers: serde_json::from_str(&r.5)?,
        passed: r.6 == 1,
        sha256: r.7,
        finished_on: r.8,
        finished_at: r.9,
    })
}

const RUN_COLUMNS: &str = "id, template_id, template_version, template, profile, answers, passed, sha256, finished_on, finished_at";

pub(super) async fn runs(store: &Store) -> Result<Vec<Run>> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM selfcheck_runs ORDER BY seq DESC"
    ))
    .fetch_all(store.pool())
    .await?;
    rows.into_iter().map(run_of).collect()
}

/// The last one finished, of `template_id` or of any: only it is read and parsed.
pub(super) async fn latest_run(store: &Store, template_id: Option<&str>) -> Result<Option<Run>> {
    let row: Option<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM selfcheck_runs WHERE ?1 IS NULL OR template_id = ?1
         ORDER BY seq DESC LIMIT 1"
    ))
    .bind(template_id)
    .fetch_optional(store.pool())
    .await?;
    row.map(run_of).transpose()
}

pub(super) async fn run(store: &Store, id: &str) -> Result<Run> {
    let row: Option<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM selfcheck_runs WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    run_of(row.ok_or_else(|| Error::NotFound(id.into()))?)
}

/// The saved profile and when it was saved.
pub(super) async fn profile(store: &Store) -> Result<Option<(CompanyProfile, i64)>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT profile, updated_at FROM company_profile WHERE id = 1")
            .fetch_optional(store.pool())
            .await?;
    row.map(|(p, at)| Ok((serde_json::from_str(&p)?, at)))
        .transpose()
}

/// Replaces the profile, inside the caller's transaction (which queues it too).
pub(super) async fn save_profile(
    tx: &mut Transaction<'static, Sqlite>,
    profile: &CompanyProfile,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO company_profile (id, profile, updated_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at",
    )
    .bind(serde_json::to_string(profile)?)
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves one answer (or clears it), and takes the item off the list to look at again.
pub(super) async fn write_answer(
    store: &Store,
    template_id: &str,
    item_id: &str,
    value: Option<&AnswerValue>,
) -> Result<()> {
    let now = now_unix();
    let mut tx = store.write().await?;
    match value {
        Some(v) => {
            sqlx::query(
                "INSERT INTO selfcheck_answers (template_id, item_id, value, answered_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (template_id, item_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
            )
            .bind(template_id)
            .bind(item_id)
            .bind(serde_json::to_string(v)?)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM selfcheck_answers WHERE template_id = ? AND item_id = ?")
                .bind(template_id)
                .bind(item_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    // Answering an item again is looking at it again.
    sqlx::query(
        "UPDATE selfcheck_drafts SET updated_at = ?,
             recheck = (SELECT json_group_array(value) FROM json_each(recheck) WHERE value <> ?)
         WHERE template_id = ?",
    )
    .bind(now)
    .bind(item_id)
    .bind(template_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn set_step(store: &Store, template_id: &str, step: u32) -> Result<()> {
    sqlx::query("UPDATE selfcheck_drafts SET step = ? WHERE template_id = ?")
        .bind(i64::from(step))
        .bind(template_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

pub(super) async fn dismiss_changes(store: &Store, template_id: &str) -> Result<()> {
    sqlx::query("UPDATE selfcheck_drafts SET changes = NULL WHERE template_id = ?")
        .bind(template_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Keeps a finished self-check with everything it was judged on; returns its id.
pub(super) async fn insert_run(
    store: &Store,
    template: &SelfCheckTemplate,
    profile: &CompanyProfile,
    answers: &[&Answer],
    passed: bool,
    sha256: &str,
    finished_on: &str,
) -> Result<String> {
    let id = new_local_id("sc");
    sqlx::query(
        "INSERT INTO selfcheck_runs (id, seq, template_id, template_version, template, profile, answers, passed, sha256, finished_on, finished_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM selfcheck_runs), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(&template.id)
    .bind(i64::from(template.version))
    .bind(serde_json::to_string(template)?)
    .bind(serde_json::to_string(profile)?)
    .bind(serde_json::to_string(answers)?)
    .bind(i64::from(passed))
    .bind(sha256)
    .bind(finished_on)
    .bind(now_unix())
    .execute(store.pool())
    .await?;
    Ok(id)
}
