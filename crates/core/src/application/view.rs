//! What the application's commands return, as the UI reads it.

use serde::{Deserialize, Serialize};
use specta::Type;
use yiqifu_protocol::{Application, CorrectionNotice};

use crate::selfcheck::Gate;

/// A material type as the service's rules describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MaterialRuleView {
    pub material_type: String,
    pub name: String,
    pub description: String,
    pub required: bool,
    /// Accepted formats, checked by content: pdf, docx, xlsx, jpg, png, zip.
    pub formats: Vec<String>,
    #[specta(type = f64)]
    pub max_bytes: u64,
    pub max_count: u32,
}

/// How a file came to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum FileOrigin {
    /// Chosen in the file dialog.
    Picked,
    /// Dropped onto its material's row.
    Dropped,
    /// Made by the app from the roster.
    Roster,
}

impl FileOrigin {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Picked => "picked",
            Self::Dropped => "dropped",
            Self::Roster => "roster",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "dropped" => Self::Dropped,
            "roster" => Self::Roster,
            _ => Self::Picked,
        }
    }
}

/// The file the officer picked, compared with the copy kept when it was added. The copy is
/// what is sent either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SourceState {
    Unchanged,
    /// Edited since it was added.
    Changed,
    /// Moved or deleted since it was added.
    Missing,
    /// Not a picked file (made by the app).
    None,
}

/// A file of the application being prepared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DraftFile {
    pub id: String,
    pub material_type: String,
    pub filename: String,
    #[specta(type = f64)]
    pub size: u64,
    pub format: String,
    pub sha256: String,
    pub origin: FileOrigin,
    pub source: SourceState,
    /// Whether the stored copy is still there and whole.
    pub stored: bool,
    /// In a correction: sent in the last round and kept as it was.
    pub carried: bool,
}

/// A material of the application: its rule, its files, and what a correction notice asks
/// of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MaterialSlot {
    pub rule: MaterialRuleView,
    pub files: Vec<DraftFile>,
    /// Items of the correction notice about this material.
    pub asked: Vec<String>,
    /// In a correction: whether its files differ from the last round's.
    pub changed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// 企业复工复产申请信息表.
    ApplicationForm,
    /// 疫情防控承诺书.
    CommitmentLetter,
}

impl FormKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::ApplicationForm => "application_form",
            Self::CommitmentLetter => "commitment_letter",
        }
    }

    /// The material the signed form is attached as.
    pub(crate) fn material_type(self) -> &'static str {
        self.as_str()
    }

    pub(crate) fn name_zh(self) -> &'static str {
        match self {
            Self::ApplicationForm => "企业申请信息表",
            Self::CommitmentLetter => "疫情防控承诺书",
        }
    }

    pub(crate) fn name_en(self) -> &'static str {
        match self {
            Self::ApplicationForm => "application form",
            Self::CommitmentLetter => "commitment letter",
        }
    }

    pub(crate) const ALL: [FormKind; 2] = [Self::ApplicationForm, Self::CommitmentLetter];
}

/// A form the app generates for signature, and whether the last one still matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FormState {
    pub kind: FormKind,
    #[specta(type = Option<f64>)]
    pub generated_at: Option<i64>,
    pub form_id: Option<String>,
    /// Generated from the profile, roster and self-check as they are now.
    pub current: bool,
}

/// The application being prepared (a new one, or the correction of a returned one).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ApplicationDraft {
    /// The application this draft corrects, when it does.
    pub record_id: Option<String>,
    /// The round it will be: 1 for a first submission.
    pub round: u32,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: String,
    pub slots: Vec<MaterialSlot>,
    /// Files of material types the service no longer lists.
    pub orphans: Vec<DraftFile>,
    pub roster_count: u32,
    pub forms: Vec<FormState>,
    /// The notice being answered, in a correction.
    pub correction: Option<CorrectionNotice>,
    pub gate: Gate,
    /// Whether the material rules have been synced at all.
    pub rules_synced: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding of the application check: an error stops the submission, a warning is for
/// the officer to weigh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub zh: String,
    pub en: String,
    /// What it is about: a material type, or profile, selfcheck, roster, contact.
    pub target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CheckReport {
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

/// A file as a round sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RoundFile {
    pub file_id: String,
    pub material_type: String,
    pub filename: String,
    #[specta(type = f64)]
    pub size: u64,
    pub sha256: String,
}

/// The self-check a round carried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct RoundSelfCheck {
    pub run_id: String,
    pub template_id: String,
    pub template_version: u32,
    pub template_title: String,
    pub finished_on: String,
    pub answers_sha256: String,
    pub answers: Vec<yiqifu_protocol::Answer>,
}

/// One submission or resubmission, as it left this computer.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RoundView {
    pub round: u32,
    #[specta(type = f64)]
    pub created_at: i64,
    pub files: Vec<RoundFile>,
    pub selfcheck: RoundSelfCheck,
    pub package_sha256: String,
    #[specta(type = f64)]
    pub package_size: u64,
    pub note: Option<String>,
}

pub use crate::records::Delivery;

/// An upload of a round that has not finished yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct PendingUpload {
    pub local_id: String,
    pub filename: String,
    #[specta(type = f64)]
    pub sent: u64,
    #[specta(type = f64)]
    pub total: u64,
    pub parked: bool,
}

/// An application sent from here, with the service's latest answer.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ApplicationView {
    pub record_id: String,
    pub delivery: Delivery,
    /// The service's record: state, timeline with receipt numbers, the correction notice,
    /// the certificate number.
    pub server: Option<Application>,
    pub rounds: Vec<RoundView>,
    pub uploads: Vec<PendingUpload>,
    /// Whether a correction of it is being prepared.
    pub correcting: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Same,
    Added,
    Removed,
    Replaced,
}

/// What a correction changes in one material against the last round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MaterialChange {
    pub material_type: String,
    pub name: String,
    pub change: Change,
    pub before: Vec<RoundFile>,
    pub after: Vec<RoundFile>,
}

/// What a correction changes in one self-check answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AnswerChange {
    pub item_id: String,
    pub prompt: String,
    /// The answers in words ("是", "14 天"), in both languages; none where there was none.
    pub before_zh: Option<String>,
    pub before_en: Option<String>,
    pub after_zh: Option<String>,
    pub after_en: Option<String>,
}

/// The correction against the last submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CorrectionDiff {
    pub materials: Vec<MaterialChange>,
    pub answers: Vec<AnswerChange>,
    /// The self-check carried changed (another run).
    pub selfcheck_changed: bool,
}

/// What sending did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SubmitOutcome {
    pub record_id: String,
    pub round: u32,
    pub package_sha256: String,
    #[specta(type = f64)]
    pub package_size: u64,
}

pub use crate::infra::changes::{PackageProgress, StatusNotice};
