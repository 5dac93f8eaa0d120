//! 复工自查: the company profile (企业信息), the self-check wizard's drafts, finished
//! self-checks with their reports, and the gate an application must pass. The rules are
//! the protocol crate's engine, the same the service applies.
//!
//! Its tables: `company_profile`, `selfcheck_drafts`, `selfcheck_answers`, `selfcheck_runs`.

pub(crate) mod op;
mod report;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;
use yiqifu_protocol::selfcheck::{self as engine, Lang};
use yiqifu_protocol::{
    Answer, AnswerValue, CompanyProfile, EnterpriseProfile, FieldProblem, ItemKind,
    SelfCheckSubmission, SelfCheckTemplate, TemplateItem,
};

use crate::catalog::TEMPLATES;
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::materials::{self, MaterialFile};
use crate::outbox::{self, new_local_id, now_unix};
use crate::store::Store;
use crate::workspace::Workspace;

/// The outbox's record id of the profile: there is one per enterprise.
const PROFILE_RECORD: &str = "company-profile";

// ---- What the UI reads ---------------------------------------------------------------------

/// The company profile as the form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ProfileView {
    /// Name and credit code, from the account.
    pub account: EnterpriseProfile,
    pub profile: Option<CompanyProfile>,
    /// A starting point when there is none yet: the account's district and industry.
    pub suggested: CompanyProfile,
    /// Unix seconds of the last save here.
    #[specta(type = Option<f64>)]
    pub saved_at: Option<i64>,
    /// Whether the last save still waits to reach the service.
    pub unsent: bool,
}

/// A template as the overview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TemplateInfo {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub published_on: String,
    pub based_on: String,
    pub items: u32,
}

/// A finished self-check, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RunSummary {
    pub id: String,
    pub template_id: String,
    pub template_version: u32,
    pub template_title: String,
    /// YYYY-MM-DD, China time.
    pub finished_on: String,
    #[specta(type = f64)]
    pub finished_at: i64,
    pub passed: bool,
    pub failures: u32,
    /// Whether it answers the newest version of its template.
    pub current: bool,
}

/// A draft as the overview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DraftInfo {
    pub template_version: u32,
    pub answered: u32,
    pub shown: u32,
    pub step: u32,
    #[specta(type = f64)]
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct OverviewEntry {
    pub template: TemplateInfo,
    pub draft: Option<DraftInfo>,
    pub last_run: Option<RunSummary>,
    /// The draft or last result answers an older version: opening it shows what changed.
    pub updated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Overview {
    pub templates: Vec<OverviewEntry>,
    pub profile_ready: bool,
    pub gate: Gate,
}

/// An item of a template change, with its question so the officer recognises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ChangedItem {
    pub id: String,
    pub prompt: String,
}

/// What a newer template changed, shown until the officer dismisses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct TemplateChanges {
    pub from_version: u32,
    pub to_version: u32,
    pub added: Vec<ChangedItem>,
    pub changed: Vec<ChangedItem>,
    pub removed: Vec<ChangedItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Shown, answered and meeting its rule (or judged by a person).
    Pass,
    /// Shown and answered, but not meeting its rule.
    Fail,
    /// Shown, not answered yet.
    Open,
    /// Not shown for this enterprise and these answers.
    Hidden,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ItemState {
    pub item_id: String,
    pub section_id: String,
    pub status: ItemStatus,
    pub answer: Option<AnswerValue>,
    /// The file of an evidence answer.
    pub file: Option<MaterialFile>,
    /// Why it fails and what would make it pass.
    pub problem_zh: Option<String>,
    pub problem_en: Option<String>,
    /// Its answer must be looked at again: the template changed it.
    pub recheck: bool,
    /// New in this version of the template.
    pub added: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct FailureView {
    pub item_id: String,
    /// Empty for an answer to an item the template no longer has.
    pub section_id: String,
    pub prompt: String,
    pub reason_zh: String,
    pub reason_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct VerdictView {
    pub passed: bool,
    pub failures: Vec<FailureView>,
}

/// The wizard's state: everything one render needs.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct DraftView {
    pub template: SelfCheckTemplate,
    /// 0-based section, or the number of sections for the verdict step.
    pub step: u32,
    pub items: Vec<ItemState>,
    pub verdict: VerdictView,
    pub answered: u32,
    pub shown: u32,
    pub changes: Option<TemplateChanges>,
    /// Items still to look at again before finishing.
    pub recheck: u32,
}

/// A finished self-check, read-only.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RunView {
    pub summary: RunSummary,
    pub template: SelfCheckTemplate,
    pub profile: CompanyProfile,
    pub items: Vec<ItemState>,
    pub verdict: VerdictView,
    pub sha256: String,
}

/// Why an application cannot be prepared yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum GateLock {
    /// No company profile yet.
    NoProfile,
    /// No template synced yet.
    NoTemplate,
    /// No self-check finished.
    NoSelfCheck,
    /// The last self-check did not pass.
    Failed,
    /// The last self-check answers an older version of the template.
    Outdated,
    /// The profile changed since, and the answers no longer pass with it.
    ProfileChanged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Gate {
    pub open: bool,
    pub lock: Option<GateLock>,
    pub reason_zh: Option<String>,
    pub reason_en: Option<String>,
    /// The passing self-check an application would carry.
    pub run_id: Option<String>,
    pub template_id: Option<String>,
}

impl GateLock {
    pub fn message_zh(self) -> &'static str {
        match self {
            Self::NoProfile => "请先填写企业信息，再完成复工自查。",
            Self::NoTemplate => "自查表尚未同步，请联网同步后完成复工自查。",
            Self::NoSelfCheck => "提交复工申请前，须先完成复工自查并通过。",
            Self::Failed => "最近一次复工自查未通过：请按未通过项整改后重新自查。",
            Self::Outdated => "自查表已发布新版本，旧版自查结果不再有效：请按新版重新自查。",
            Self::ProfileChanged => "企业信息已变更，原自查结果按新信息不再通过：请重新自查。",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            Self::NoProfile => "Fill in the company profile first, then do the self-check.",
            Self::NoTemplate => "The self-check template has not been synced yet: go online, sync, then do the self-check.",
            Self::NoSelfCheck => "An application needs a passing self-check first.",
            Self::Failed => "The last self-check did not pass: fix the failing items and do it again.",
            Self::Outdated => "A new version of the self-check template came out and the old result no longer counts: do it again on the new one.",
            Self::ProfileChanged => "The company profile changed and the old answers no longer pass with it: do the self-check again.",
        }
    }
}

// ---- Reading the catalog -------------------------------------------------------------------

/// Every template version the catalog holds; entries this version cannot read are skipped
/// (a newer service may publish what an older app cannot show).
async fn all_templates(catalog: &Store) -> Result<Vec<SelfCheckTemplate>> {
    let raw = crate::catalog::collection(catalog, TEMPLATES).await?;
    let mut out = Vec::new();
    for v in raw {
        match serde_json::from_value::<SelfCheckTemplate>(v) {
            Ok(t) => out.push(t),
            Err(e) => tracing::warn!(error = %e, "a template this version cannot read"),
        }
    }
    Ok(out)
}

/// The newest version of each template, by id.
fn newest(all: Vec<SelfCheckTemplate>) -> Vec<SelfCheckTemplate> {
    let mut by_id: Vec<SelfCheckTemplate> = Vec::new();
    for t in all {
        match by_id.iter_mut().find(|x| x.id == t.id) {
            Some(x) if x.version < t.version => *x = t,
            Some(_) => {}
            None => by_id.push(t),
        }
    }
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    by_id
}

async fn current_template(catalog: &Store, id: &str) -> Result<SelfCheckTemplate> {
    newest(all_templates(catalog).await?)
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Error::TemplateMissing(id.into()))
}

fn info(t: &SelfCheckTemplate) -> TemplateInfo {
    TemplateInfo {
        id: t.id.clone(),
        version: t.version,
        title: t.title.clone(),
        published_on: t.published_on.clone(),
        based_on: t.based_on.clone(),
        items: u32::try_from(t.items().count()).unwrap_or(u32::MAX),
    }
}

fn today_in_china() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
    let f = time::macros::format_description!("[year]-[month]-[day]");
    now.format(&f).unwrap_or_default()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---- Judging -------------------------------------------------------------------------------

fn section_of(t: &SelfCheckTemplate) -> HashMap<&str, &str> {
    t.sections
        .iter()
        .flat_map(|s| s.items.iter().map(move |i| (i.id.as_str(), s.id.as_str())))
        .collect()
}

struct Judged {
    items: Vec<ItemState>,
    verdict: VerdictView,
    answered: u32,
    shown: u32,
}

async fn judge(
    store: &Store,
    t: &SelfCheckTemplate,
    profile: &CompanyProfile,
    answers: &[Answer],
    recheck: &HashSet<String>,
    added: &HashSet<String>,
) -> Result<Judged> {
    let verdict = engine::evaluate(t, profile, answers);
    let shown: HashSet<&str> = engine::visible_items(t, profile, answers)
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    let by_id: HashMap<&str, &AnswerValue> = answers
        .iter()
        .map(|a| (a.item_id.as_str(), &a.value))
        .collect();
    let failing: HashMap<&str, &engine::ItemFailure> = verdict
        .failures
        .iter()
        .map(|f| (f.item_id.as_str(), f))
        .collect();
    let evidence: Vec<&str> = answers
        .iter()
        .filter_map(|a| match &a.value {
            AnswerValue::Evidence(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let files = materials::files(store, &evidence).await?;
    let sections = section_of(t);
    let mut items = Vec::new();
    let mut answered = 0;
    for item in t.items() {
        let answer = by_id.get(item.id.as_str()).map(|v| (*v).clone());
        let visible = shown.contains(item.id.as_str());
        let failure = failing.get(item.id.as_str()).copied();
        let status = match (visible, &answer, failure) {
            (false, _, _) => ItemStatus::Hidden,
            (true, None, _) => ItemStatus::Open,
            (true, Some(_), Some(_)) => ItemStatus::Fail,
            (true, Some(_), None) => ItemStatus::Pass,
        };
        if visible && answer.is_some() {
            answered += 1;
        }
        let file = match &answer {
            Some(AnswerValue::Evidence(id)) => files.iter().find(|f| &f.local_id == id).cloned(),
            _ => None,
        };
        let text = |lang| failure.map(|f| engine::explain(Some(item), f, lang));
        items.push(ItemState {
            item_id: item.id.clone(),
            section_id: sections.get(item.id.as_str()).unwrap_or(&"").to_string(),
            status,
            answer,
            file,
            problem_zh: text(Lang::Zh),
            problem_en: text(Lang::En),
            recheck: visible && recheck.contains(&item.id),
            added: added.contains(&item.id),
        });
    }
    let failures = verdict
        .failures
        .iter()
        .map(|f| {
            let item = t.items().find(|i| i.id == f.item_id);
            FailureView {
                item_id: f.item_id.clone(),
                section_id: sections.get(f.item_id.as_str()).unwrap_or(&"").to_string(),
                prompt: item.map(|i| i.prompt.clone()).unwrap_or_default(),
                reason_zh: engine::explain(item, f, Lang::Zh),
                reason_en: engine::explain(item, f, Lang::En),
            }
        })
        .collect();
    Ok(Judged {
        items,
        verdict: VerdictView {
            passed: verdict.passed,
            failures,
        },
        answered,
        shown: count(shown.len()),
    })
}

// ---- Storage -------------------------------------------------------------------------------

struct Draft {
    template: SelfCheckTemplate,
    step: u32,
    recheck: HashSet<String>,
    changes: Option<TemplateChanges>,
    updated_at: i64,
}

async fn load_draft(store: &Store, template_id: &str) -> Result<Option<Draft>> {
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

async fn load_answers(store: &Store, template_id: &str) -> Result<Vec<Answer>> {
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
async fn write_draft(
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

struct Run {
    id: String,
    template: SelfCheckTemplate,
    profile: CompanyProfile,
    answers: Vec<Answer>,
    passed: bool,
    sha256: String,
    finished_on: String,
    finished_at: i64,
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

async fn runs(store: &Store, template_id: Option<&str>) -> Result<Vec<Run>> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM selfcheck_runs WHERE ?1 IS NULL OR template_id = ?1
         ORDER BY finished_at DESC, rowid DESC"
    ))
    .bind(template_id)
    .fetch_all(store.pool())
    .await?;
    rows.into_iter().map(run_of).collect()
}

async fn run(store: &Store, id: &str) -> Result<Run> {
    let row: Option<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM selfcheck_runs WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    run_of(row.ok_or_else(|| Error::NotFound(id.into()))?)
}

fn failures_of(r: &Run) -> u32 {
    count(
        engine::evaluate(&r.template, &r.profile, &r.answers)
            .failures
            .len(),
    )
}

fn summary(r: &Run, newest: Option<u32>) -> RunSummary {
    RunSummary {
        id: r.id.clone(),
        template_id: r.template.id.clone(),
        template_version: r.template.version,
        template_title: r.template.title.clone(),
        finished_on: r.finished_on.clone(),
        finished_at: r.finished_at,
        passed: r.passed,
        failures: failures_of(r),
        current: newest == Some(r.template.version),
    }
}

/// Carries `answers` of `old` over to `new`: answers of removed items go, answers of
/// changed items stay only if they can still be answers, and are marked to look at again.
fn carry_over(
    old: &SelfCheckTemplate,
    new: &SelfCheckTemplate,
    answers: Vec<Answer>,
) -> (Vec<Answer>, HashSet<String>, TemplateChanges) {
    let d = engine::diff(old, new);
    let named = |ids: &[String], t: &SelfCheckTemplate| -> Vec<ChangedItem> {
        ids.iter()
            .map(|id| ChangedItem {
                id: id.clone(),
                prompt: t
                    .items()
                    .find(|i| &i.id == id)
                    .map(|i| i.prompt.clone())
                    .unwrap_or_default(),
            })
            .collect()
    };
    let changes = TemplateChanges {
        from_version: old.version,
        to_version: new.version,
        added: named(&d.added, new),
        changed: named(&d.changed, new),
        removed: named(&d.removed, old),
    };
    let changed: HashSet<&str> = d.changed.iter().map(String::as_str).collect();
    let items: HashMap<&str, &TemplateItem> = new.items().map(|i| (i.id.as_str(), i)).collect();
    let mut recheck = HashSet::new();
    let kept = answers
        .into_iter()
        .filter(|a| {
            let Some(item) = items.get(a.item_id.as_str()) else {
                return false;
            };
            if changed.contains(a.item_id.as_str()) {
                recheck.insert(a.item_id.clone());
                return engine::check_answer(item, &a.value).is_ok();
            }
            true
        })
        .collect();
    (kept, recheck, changes)
}

// ---- The workspace's actions ---------------------------------------------------------------

impl Workspace {
    fn catalog(&self) -> &Store {
        self.shared().catalog()
    }

    /// The saved company profile, if any.
    pub async fn saved_profile(&self) -> Result<Option<CompanyProfile>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT profile FROM company_profile WHERE id = 1")
                .fetch_optional(self.store().pool())
                .await?;
        Ok(row.map(|r| serde_json::from_str(&r.0)).transpose()?)
    }

    pub async fn company_profile(&self) -> Result<ProfileView> {
        let account = self.profile();
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT profile, updated_at FROM company_profile WHERE id = 1")
                .fetch_optional(self.store().pool())
                .await?;
        let (profile, saved_at) = match row {
            Some((p, at)) => (Some(serde_json::from_str(&p)?), Some(at)),
            None => (None, None),
        };
        let suggested = CompanyProfile {
            address: String::new(),
            district: account.district.clone(),
            industry_section: yiqifu_protocol::profile::section_of_name(&account.industry)
                .unwrap_or_default()
                .into(),
            industry_division: String::new(),
            headcount: 0,
            on_site: 0,
            contacts: vec![],
            risk_area: yiqifu_protocol::RiskArea::Precaution,
            dormitories: false,
            whitelist_batch: None,
        };
        Ok(ProfileView {
            account,
            profile,
            suggested,
            saved_at,
            unsent: outbox::pending_for(self.store(), PROFILE_RECORD).await? > 0,
        })
    }

    /// Saves the profile here and queues it for the service, in one transaction; a profile
    /// with bad fields is refused whole, each field named.
    pub async fn save_company_profile(&self, mut profile: CompanyProfile) -> Result<()> {
        profile.address = profile.address.trim().into();
        for c in &mut profile.contacts {
            c.name = c.name.trim().into();
            c.role = c.role.trim().into();
            c.phone = c.phone.trim().into();
        }
        profile.whitelist_batch = profile
            .whitelist_batch
            .map(|b| b.trim().to_string())
            .filter(|b| !b.is_empty());
        let problems = profile.problems();
        if !problems.is_empty() {
            return Err(Error::InvalidProfile(problems));
        }
        let mut tx = self.store().write().await?;
        sqlx::query(
            "INSERT INTO company_profile (id, profile, updated_at) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at",
        )
        .bind(serde_json::to_string(&profile)?)
        .bind(now_unix())
        .execute(&mut *tx)
        .await?;
        outbox::supersede(&mut tx, PROFILE_RECORD, op::UPDATE_PROFILE.kind).await?;
        outbox::enqueue(
            &mut tx,
            PROFILE_RECORD,
            &op::UPDATE_PROFILE,
            &op::UpdateProfile { profile },
        )
        .await?;
        tx.commit().await?;
        self.after_write(&[Topic::SelfCheck, Topic::Outbox]).await
    }

    async fn ready_profile(&self) -> Result<CompanyProfile> {
        self.saved_profile().await?.ok_or(Error::ProfileRequired)
    }

    /// Every template, with this enterprise's draft and last result, and the gate.
    pub async fn selfcheck_overview(&self) -> Result<Overview> {
        let profile = self.saved_profile().await?;
        let all = newest(all_templates(self.catalog()).await?);
        let mut templates = Vec::new();
        for t in &all {
            let draft = load_draft(self.store(), &t.id).await?;
            let last = runs(self.store(), Some(&t.id)).await?.into_iter().next();
            let draft_info = match (&draft, &profile) {
                (Some(d), Some(p)) => {
                    let answers = load_answers(self.store(), &t.id).await?;
                    let shown = engine::visible_items(&d.template, p, &answers);
                    let ids: HashSet<&str> = shown.iter().map(|i| i.id.as_str()).collect();
                    Some(DraftInfo {
                        template_version: d.template.version,
                        answered: count(
                            answers
                                .iter()
                                .filter(|a| ids.contains(a.item_id.as_str()))
                                .count(),
                        ),
                        shown: count(shown.len()),
                        step: d.step,
                        updated_at: d.updated_at,
                    })
                }
                _ => None,
            };
            let updated = draft
                .as_ref()
                .map(|d| d.template.version)
                .or(last.as_ref().map(|r| r.template.version))
                .is_some_and(|v| v < t.version);
            templates.push(OverviewEntry {
                template: info(t),
                draft: draft_info,
                last_run: last.as_ref().map(|r| summary(r, Some(t.version))),
                updated,
            });
        }
        Ok(Overview {
            templates,
            profile_ready: profile.is_some(),
            gate: self.selfcheck_gate().await?,
        })
    }

    /// Opens the wizard on the newest version of `template_id`: a draft is started (from
    /// the last result's answers, if any) or moved to a newer template, keeping what still
    /// holds and marking what to look at again.
    pub async fn open_selfcheck(&self, template_id: &str) -> Result<DraftView> {
        let profile = self.ready_profile().await?;
        let current = current_template(self.catalog(), template_id).await?;
        match load_draft(self.store(), template_id).await? {
            Some(d) if d.template.version >= current.version => {}
            Some(d) => {
                let answers = load_answers(self.store(), template_id).await?;
                let (kept, recheck, changes) = carry_over(&d.template, &current, answers);
                write_draft(self.store(), &current, &kept, &recheck, Some(&changes)).await?;
            }
            None => {
                let last = runs(self.store(), Some(template_id))
                    .await?
                    .into_iter()
                    .next();
                match last {
                    Some(r) if r.template.version < current.version => {
                        let (kept, recheck, changes) = carry_over(&r.template, &current, r.answers);
                        write_draft(self.store(), &current, &kept, &recheck, Some(&changes))
                            .await?;
                    }
                    Some(r) => {
                        write_draft(self.store(), &current, &r.answers, &HashSet::new(), None)
                            .await?
                    }
                    None => write_draft(self.store(), &current, &[], &HashSet::new(), None).await?,
                }
                self.changed(&[Topic::SelfCheck]);
            }
        }
        self.draft_view(template_id, &profile).await
    }

    async fn draft_view(&self, template_id: &str, profile: &CompanyProfile) -> Result<DraftView> {
        let d = load_draft(self.store(), template_id)
            .await?
            .ok_or_else(|| Error::NotFound(template_id.into()))?;
        let answers = load_answers(self.store(), template_id).await?;
        let added: HashSet<String> = d
            .changes
            .as_ref()
            .map(|c| c.added.iter().map(|i| i.id.clone()).collect())
            .unwrap_or_default();
        let j = judge(
            self.store(),
            &d.template,
            profile,
            &answers,
            &d.recheck,
            &added,
        )
        .await?;
        let recheck = count(j.items.iter().filter(|i| i.recheck).count());
        Ok(DraftView {
            step: d.step.min(count(d.template.sections.len())),
            template: d.template,
            items: j.items,
            verdict: j.verdict,
            answered: j.answered,
            shown: j.shown,
            changes: d.changes,
            recheck,
        })
    }

    async fn draft_item(&self, template_id: &str, item_id: &str) -> Result<TemplateItem> {
        let d = load_draft(self.store(), template_id)
            .await?
            .ok_or_else(|| Error::NotFound(template_id.into()))?;
        let item = d.template.items().find(|i| i.id == item_id).cloned();
        item.ok_or_else(|| Error::NotFound(item_id.into()))
    }

    /// Saves one answer as it is given (or clears it with `None`). An answer that cannot be
    /// one (it breaks the item's constraint) is refused with the item's own message.
    pub async fn answer_item(
        &self,
        template_id: &str,
        item_id: &str,
        value: Option<AnswerValue>,
    ) -> Result<DraftView> {
        let profile = self.ready_profile().await?;
        let item = self.draft_item(template_id, item_id).await?;
        if let Some(v) = &value {
            if let Err(reason) = engine::check_answer(&item, v) {
                let f = engine::ItemFailure {
                    item_id: item.id.clone(),
                    reason,
                    need: None,
                    answer: None,
                };
                return Err(Error::InvalidAnswer {
                    zh: engine::explain(Some(&item), &f, Lang::Zh),
                    en: engine::explain(Some(&item), &f, Lang::En),
                });
            }
        }
        self.write_answer(template_id, item_id, value.as_ref())
            .await?;
        self.changed(&[Topic::SelfCheck]);
        self.draft_view(template_id, &profile).await
    }

    async fn write_answer(
        &self,
        template_id: &str,
        item_id: &str,
        value: Option<&AnswerValue>,
    ) -> Result<()> {
        let now = now_unix();
        let mut tx = self.store().write().await?;
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

    /// Copies the picked file into the material store, queues its upload and makes it the
    /// evidence item's answer.
    pub async fn answer_with_file(
        &self,
        template_id: &str,
        item_id: &str,
        path: &Path,
    ) -> Result<DraftView> {
        let profile = self.ready_profile().await?;
        let item = self.draft_item(template_id, item_id).await?;
        if item.kind != ItemKind::Evidence {
            return Err(Error::NotFound(item_id.into()));
        }
        let material = item
            .material_type
            .clone()
            .unwrap_or_else(|| "selfcheck_evidence".into());
        let local = self.add_material(path, &material).await?;
        self.write_answer(template_id, item_id, Some(&AnswerValue::Evidence(local)))
            .await?;
        self.changed(&[Topic::SelfCheck]);
        self.draft_view(template_id, &profile).await
    }

    /// Remembers the step the officer is on, so a restart comes back to it.
    pub async fn set_selfcheck_step(&self, template_id: &str, step: u32) -> Result<()> {
        sqlx::query("UPDATE selfcheck_drafts SET step = ? WHERE template_id = ?")
            .bind(i64::from(step))
            .bind(template_id)
            .execute(self.store().pool())
            .await?;
        Ok(())
    }

    /// The officer has read what the template update changed.
    pub async fn dismiss_template_changes(&self, template_id: &str) -> Result<()> {
        sqlx::query("UPDATE selfcheck_drafts SET changes = NULL WHERE template_id = ?")
            .bind(template_id)
            .execute(self.store().pool())
            .await?;
        self.changed(&[Topic::SelfCheck]);
        Ok(())
    }

    /// Finishes the self-check: the verdict is judged and kept with everything it was
    /// judged on, read-only. The draft stays, to fix what failed and finish again.
    pub async fn finish_selfcheck(&self, template_id: &str) -> Result<RunSummary> {
        let profile = self.ready_profile().await?;
        let current = current_template(self.catalog(), template_id).await?;
        let d = load_draft(self.store(), template_id)
            .await?
            .ok_or_else(|| Error::NotFound(template_id.into()))?;
        if d.template.version < current.version {
            return Err(Error::TemplateUpdated(current.version));
        }
        let answers = load_answers(self.store(), template_id).await?;
        let shown: HashSet<&str> = engine::visible_items(&d.template, &profile, &answers)
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        let pending = d
            .recheck
            .iter()
            .filter(|i| shown.contains(i.as_str()))
            .count();
        if pending > 0 {
            return Err(Error::RecheckPending(count(pending)));
        }
        let verdict = engine::evaluate(&d.template, &profile, &answers);
        let canonical = engine::canonical_answers(&d.template, &profile, &answers);
        let sha256 = hex::encode(Sha256::digest(canonical.as_bytes()));
        // Only the answers the verdict read are kept: hidden ones are not part of it.
        let kept: Vec<&Answer> = answers
            .iter()
            .filter(|a| shown.contains(a.item_id.as_str()))
            .collect();
        let id = new_local_id("sc");
        let now = now_unix();
        let finished_on = today_in_china();
        sqlx::query(
            "INSERT INTO selfcheck_runs (id, template_id, template_version, template, profile, answers, passed, sha256, finished_on, finished_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&d.template.id)
        .bind(i64::from(d.template.version))
        .bind(serde_json::to_string(&d.template)?)
        .bind(serde_json::to_string(&profile)?)
        .bind(serde_json::to_string(&kept)?)
        .bind(i64::from(verdict.passed))
        .bind(&sha256)
        .bind(&finished_on)
        .bind(now)
        .execute(self.store().pool())
        .await?;
        self.changed(&[Topic::SelfCheck]);
        let r = run(self.store(), &id).await?;
        Ok(summary(&r, Some(current.version)))
    }

    /// Past self-checks, newest first.
    pub async fn selfcheck_history(&self) -> Result<Vec<RunSummary>> {
        let newest = newest(all_templates(self.catalog()).await?);
        let version = |id: &str| newest.iter().find(|t| t.id == id).map(|t| t.version);
        Ok(runs(self.store(), None)
            .await?
            .iter()
            .map(|r| summary(r, version(&r.template.id)))
            .collect())
    }

    /// A past self-check, read-only, as it was judged.
    pub async fn selfcheck_run(&self, id: &str) -> Result<RunView> {
        let r = run(self.store(), id).await?;
        let newest = current_template(self.catalog(), &r.template.id)
            .await
            .ok()
            .map(|t| t.version);
        let j = judge(
            self.store(),
            &r.template,
            &r.profile,
            &r.answers,
            &HashSet::new(),
            &HashSet::new(),
        )
        .await?;
        Ok(RunView {
            summary: summary(&r, newest),
            items: j.items,
            verdict: j.verdict,
            sha256: r.sha256.clone(),
            template: r.template,
            profile: r.profile,
        })
    }

    /// The signed report of a past self-check: a PDF, and the file name to offer.
    pub async fn selfcheck_report(&self, id: &str) -> Result<(String, Vec<u8>)> {
        let view = self.selfcheck_run(id).await?;
        let account = self.profile();
        let bytes = report::render(&account, &view)?;
        let name = format!(
            "复工自查报告-{}-{}.pdf",
            account
                .name
                .replace(['/', '\\', ':', '*', '?', '"', '<', '>', '|'], "_"),
            view.summary.finished_on
        );
        Ok((name, bytes))
    }

    /// Whether an application may be prepared, and if not, why.
    pub async fn selfcheck_gate(&self) -> Result<Gate> {
        let locked = |lock: GateLock| Gate {
            open: false,
            lock: Some(lock),
            reason_zh: Some(lock.message_zh().into()),
            reason_en: Some(lock.message_en().into()),
            run_id: None,
            template_id: None,
        };
        let Some(profile) = self.saved_profile().await? else {
            return Ok(locked(GateLock::NoProfile));
        };
        let all = newest(all_templates(self.catalog()).await?);
        if all.is_empty() {
            return Ok(locked(GateLock::NoTemplate));
        }
        let Some(last) = runs(self.store(), None).await?.into_iter().next() else {
            return Ok(locked(GateLock::NoSelfCheck));
        };
        let with_template = |mut g: Gate| {
            g.template_id = Some(last.template.id.clone());
            g
        };
        let Some(current) = all.iter().find(|t| t.id == last.template.id) else {
            return Ok(with_template(locked(GateLock::Outdated)));
        };
        if last.template.version < current.version {
            return Ok(with_template(locked(GateLock::Outdated)));
        }
        if !last.passed {
            return Ok(with_template(locked(GateLock::Failed)));
        }
        if !engine::evaluate(&last.template, &profile, &last.answers).passed {
            return Ok(with_template(locked(GateLock::ProfileChanged)));
        }
        Ok(Gate {
            open: true,
            lock: None,
            reason_zh: None,
            reason_en: None,
            run_id: Some(last.id.clone()),
            template_id: Some(last.template.id.clone()),
        })
    }

    /// The self-check an application carries: the passing one the gate names. Refused,
    /// with the gate's reason, when there is none.
    pub(crate) async fn passing_submission(&self) -> Result<SelfCheckSubmission> {
        let gate = self.selfcheck_gate().await?;
        let (true, Some(id)) = (gate.open, gate.run_id) else {
            return Err(Error::SelfCheckRequired(
                gate.lock.unwrap_or(GateLock::NoSelfCheck),
            ));
        };
        let r = run(self.store(), &id).await?;
        Ok(SelfCheckSubmission {
            template_id: r.template.id,
            template_version: r.template.version,
            answers: r.answers,
        })
    }
}

/// The problems of a profile, for the form to show as the officer types.
pub fn profile_problems(profile: &CompanyProfile) -> Vec<FieldProblem> {
    profile.problems()
}
