//! What the self-check's commands return, as the UI reads it.

use serde::{Deserialize, Serialize};
use specta::Type;
use yiqifu_protocol::{AnswerValue, CompanyProfile, EnterpriseProfile, SelfCheckTemplate};

use crate::materials::MaterialFile;

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

/// A document the template cites, by its title, for the item's source link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Source {
    pub document_id: String,
    pub title: String,
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
    /// The cited documents this computer has.
    pub sources: Vec<Source>,
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
    pub sources: Vec<Source>,
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
