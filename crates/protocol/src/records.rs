//! An enterprise's own records: applications, appeals, listings, inbox, uploads.

use serde::{Deserialize, Serialize};
use specta::Type;
use utoipa::ToSchema;

use crate::profile::CompanyProfile;

// ---- Self-check answers -------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    YesNo(bool),
    Number(f64),
    /// YYYY-MM-DD
    Date(String),
    /// The id of the chosen option.
    Choice(String),
    Text(String),
    /// The id of a completed upload.
    Evidence(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub item_id: String,
    pub value: AnswerValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckSubmission {
    pub template_id: String,
    pub template_version: u32,
    pub answers: Vec<Answer>,
}

// ---- Applications (复工意向) --------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    /// 已提交
    Submitted,
    /// 已受理
    Accepted,
    /// 不予受理
    NotAccepted,
    /// 审核中
    InReview,
    /// 退回补正
    Returned,
    /// 已补正重新提交
    Resubmitted,
    /// 审核通过（白名单）
    Approved,
    /// 不予通过
    Rejected,
}

impl ApplicationState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::NotAccepted => "not_accepted",
            Self::InReview => "in_review",
            Self::Returned => "returned",
            Self::Resubmitted => "resubmitted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Submitted,
            Self::Accepted,
            Self::NotAccepted,
            Self::InReview,
            Self::Returned,
            Self::Resubmitted,
            Self::Approved,
            Self::Rejected,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// The transitions the workflow allows (行政许可法 §32: accept, refuse, or ask for every
    /// correction in one notice).
    pub fn can_become(self, next: Self) -> bool {
        use ApplicationState::*;
        matches!(
            (self, next),
            (Submitted, Accepted | NotAccepted | Returned)
                | (Accepted, InReview)
                | (InReview, Returned | Approved | Rejected)
                | (Returned, Resubmitted)
                | (Resubmitted, InReview | Returned | Approved | Rejected)
        )
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::NotAccepted | Self::Approved | Self::Rejected)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct MaterialRef {
    pub material_type: String,
    pub upload_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct NewApplication {
    pub contact_name: String,
    pub contact_phone: String,
    /// Staff returning to site.
    pub returning_staff: u32,
    pub selfcheck: SelfCheckSubmission,
    pub materials: Vec<MaterialRef>,
    pub note: Option<String>,
    /// SHA-256 (hex) of the package the client built from these materials: the applicant's
    /// own record of what was sent, kept with the application and printed on receipts.
    #[serde(default)]
    pub package_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct Resubmission {
    /// Replaces the materials of the same types.
    pub materials: Vec<MaterialRef>,
    pub note: Option<String>,
    /// Answers corrected in this round, judged again like a first submission's; absent when
    /// the answers stay as they were.
    #[serde(default)]
    pub selfcheck: Option<SelfCheckSubmission>,
    #[serde(default)]
    pub package_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct MaterialInfo {
    pub material_type: String,
    pub upload_id: String,
    pub filename: String,
    // Sizes stay far below 2^53: a JavaScript number holds them exactly.
    #[specta(type = f64)]
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct CorrectionItem {
    /// The material concerned, when the fix is about one.
    pub material_type: Option<String>,
    pub text: String,
}

/// A 补正 notice: everything to fix, in one notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct CorrectionNotice {
    pub receipt_no: String,
    pub issued_at: String,
    pub items: Vec<CorrectionItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct Transition {
    pub from: Option<ApplicationState>,
    pub to: ApplicationState,
    /// RFC 3339
    pub at: String,
    pub actor: String,
    /// The dated receipt (回执) of this step.
    pub receipt_no: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct Application {
    pub id: String,
    pub credit_code: String,
    pub enterprise_name: String,
    pub state: ApplicationState,
    pub contact_name: String,
    pub contact_phone: String,
    pub returning_staff: u32,
    pub selfcheck: SelfCheckSubmission,
    pub materials: Vec<MaterialInfo>,
    pub note: Option<String>,
    pub correction: Option<CorrectionNotice>,
    /// 白名单 certificate number, once approved.
    pub certificate_no: Option<String>,
    pub reasons: Vec<String>,
    pub timeline: Vec<Transition>,
    pub updated_at: String,
    /// The company profile as it stood when the application was submitted, so reviewers
    /// judge what the self-check was judged against. Absent on records stored before
    /// profiles existed.
    #[serde(default)]
    pub profile: Option<CompanyProfile>,
    /// The package hash the client reported with the latest (re)submission.
    #[serde(default)]
    pub package_sha256: Option<String>,
}

/// What a reviewer does to an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReviewAction {
    Accept { note: Option<String> },
    Refuse { reasons: Vec<String> },
    StartReview,
    Return { items: Vec<CorrectionItem> },
    Approve { note: Option<String> },
    Reject { reasons: Vec<String> },
}

// ---- Appeals (诉求) -----------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum AppealCategory {
    Financing,
    PreventionSupplies,
    Logistics,
    Staffing,
    SupplyChain,
    Other,
}

impl AppealCategory {
    pub const ALL: [Self; 6] = [
        Self::Financing,
        Self::PreventionSupplies,
        Self::Logistics,
        Self::Staffing,
        Self::SupplyChain,
        Self::Other,
    ];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Financing => "financing",
            Self::PreventionSupplies => "prevention_supplies",
            Self::Logistics => "logistics",
            Self::Staffing => "staffing",
            Self::SupplyChain => "supply_chain",
            Self::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum AppealState {
    Submitted,
    Accepted,
    Assigned,
    Replied,
    Closed,
}

impl AppealState {
    /// The name on the wire and in the service's state column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Assigned => "assigned",
            Self::Replied => "replied",
            Self::Closed => "closed",
        }
    }

    pub fn can_become(self, next: Self) -> bool {
        use AppealState::*;
        matches!(
            (self, next),
            // A reply is contact too: an office may answer at once, without accepting first.
            (Submitted, Accepted | Replied | Closed)
                | (Accepted, Assigned | Replied | Closed)
                | (Assigned, Replied | Closed)
                | (Replied, Replied | Closed)
        )
    }
}

/// Who the authority should call about an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct AppealContact {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct NewAppeal {
    pub category: AppealCategory,
    pub title: String,
    pub description: String,
    /// Ids of completed uploads.
    pub attachments: Vec<String>,
    /// Optional on the wire because appeals queued before it existed have none; left out
    /// when absent, so such a queued payload is sent byte for byte as it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<AppealContact>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Enterprise,
    Authority,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct AppealMessage {
    pub from: Party,
    pub body: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// 1 to 5.
    pub score: u8,
    pub comment: Option<String>,
}

/// One step of an appeal: who moved it where, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct AppealStep {
    pub to: AppealState,
    /// RFC 3339
    pub at: String,
    /// `enterprise` for the filing, `reviewer:<name>` for the authority's steps (as in an
    /// application's timeline).
    pub actor: String,
}

// Fields added after the first release carry `serde(default)`: records stored and answers
// given before them still parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct Appeal {
    pub id: String,
    pub receipt_no: String,
    pub category: AppealCategory,
    pub title: String,
    pub description: String,
    pub attachments: Vec<String>,
    pub state: AppealState,
    pub created_at: String,
    /// The first-reply deadline (the same as `reply_by`; kept for older clients).
    pub respond_by: String,
    pub assigned_to: Option<String>,
    pub messages: Vec<AppealMessage>,
    pub rating: Option<Rating>,
    #[serde(default)]
    pub contact: Option<AppealContact>,
    /// When the authority must have been in touch (accepted, assigned or replied): the
    /// category's promise in working hours, by the calendar the service publishes.
    #[serde(default)]
    pub contact_by: Option<String>,
    /// When the first reply is due: the end of the N-th working day after the filing day.
    #[serde(default)]
    pub reply_by: Option<String>,
    #[serde(default)]
    pub timeline: Vec<AppealStep>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum AppealAction {
    Accept,
    Assign { to: String },
    Reply { body: String },
    Close,
}

// ---- Supply and demand (供需对接) ----------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum ListingKind {
    Supply,
    Demand,
}

impl ListingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supply => "supply",
            Self::Demand => "demand",
        }
    }

    /// The kind a listing of this kind is matched with.
    pub fn opposite(self) -> Self {
        match self {
            Self::Supply => Self::Demand,
            Self::Demand => Self::Supply,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum ListingCategory {
    Supplies,
    Materials,
    Logistics,
    Staff,
}

impl ListingCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supplies => "supplies",
            Self::Materials => "materials",
            Self::Logistics => "logistics",
            Self::Staff => "staff",
        }
    }
}

/// Shanghai's sixteen districts: where a listing can be, and the districts of district policy.
/// The UI gets the same list through its generated bindings.
pub const DISTRICTS: [&str; 16] = [
    "黄浦区",
    "徐汇区",
    "长宁区",
    "静安区",
    "普陀区",
    "虹口区",
    "杨浦区",
    "闵行区",
    "宝山区",
    "嘉定区",
    "浦东新区",
    "金山区",
    "松江区",
    "青浦区",
    "奉贤区",
    "崇明区",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct NewListing {
    pub kind: ListingKind,
    pub category: ListingCategory,
    pub item: String,
    pub quantity: f64,
    pub unit: String,
    pub district: String,
    /// YYYY-MM-DD
    pub valid_until: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum ListingState {
    Active,
    Withdrawn,
    /// Past its `valid_until` (China time); the service marks it, so every client hears.
    Expired,
}

impl ListingState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Withdrawn => "withdrawn",
            Self::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct Listing {
    pub id: String,
    pub enterprise_name: String,
    pub mine: bool,
    pub state: ListingState,
    pub created_at: String,
    /// The last change (edit, withdrawal, expiry); absent on listings never changed.
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub details: NewListing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct ListingMatch {
    pub listing: Listing,
    /// 0 to 1: how well the two fit (see [`crate::listings::match_of`]).
    pub score: f64,
    /// Why they fit, in the order the officer reads them.
    #[serde(default)]
    pub reasons: Vec<crate::listings::MatchReason>,
}

// ---- Inbox (反馈汇总) ----------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum InboxKind {
    /// 受理 / 不予受理 / 审核结论
    ReviewOpinion,
    /// 补正通知
    CorrectionNotice,
    AppealReply,
    ListingMatch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct InboxEntry {
    pub id: String,
    pub kind: InboxKind,
    pub title: String,
    pub body: String,
    /// `application`, `appeal` or `listing`.
    pub ref_type: String,
    pub ref_id: String,
    pub created_at: String,
    pub read: bool,
    /// A second record the entry is about: for a match, the recipient's own listing
    /// (`ref_id` is the other side's).
    #[serde(default)]
    pub related_id: Option<String>,
}

// ---- Uploads ---------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct UploadInfo {
    pub id: String,
    pub material_type: String,
    pub filename: String,
    pub length: u64,
    pub offset: u64,
    pub complete: bool,
    /// Hex SHA-256 of the whole file, once complete.
    pub sha256: Option<String>,
    pub expires_at: String,
}

// ---- Sessions --------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewerLoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub access_expires_at: String,
}

#[cfg(test)]
#[path = "records/tests.rs"]
mod tests;
