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
    /// How long the authority has to answer.
    pub fn response_hours(self) -> i64 {
        match self {
            Self::PreventionSupplies | Self::Logistics => 24,
            Self::Staffing | Self::SupplyChain => 48,
            Self::Financing | Self::Other => 72,
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
            (Submitted, Accepted | Closed)
                | (Accepted, Assigned | Replied | Closed)
                | (Assigned, Replied | Closed)
                | (Replied, Replied | Closed)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct NewAppeal {
    pub category: AppealCategory,
    pub title: String,
    pub description: String,
    /// Ids of completed uploads.
    pub attachments: Vec<String>,
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
    /// The response deadline of the category.
    pub respond_by: String,
    pub assigned_to: Option<String>,
    pub messages: Vec<AppealMessage>,
    pub rating: Option<Rating>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum ListingCategory {
    Supplies,
    Materials,
    Logistics,
    Staff,
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct Listing {
    pub id: String,
    pub enterprise_name: String,
    pub mine: bool,
    pub state: ListingState,
    pub created_at: String,
    #[serde(flatten)]
    pub details: NewListing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct ListingMatch {
    pub listing: Listing,
    /// 0 to 1: how well the items and quantities fit.
    pub score: f64,
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
mod tests {
    use super::*;

    #[test]
    fn appeal_state_names_are_the_wire_names() {
        use AppealState::*;
        for s in [Submitted, Accepted, Assigned, Replied, Closed] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }

    #[test]
    fn the_workflow_allows_exactly_its_transitions() {
        use ApplicationState::*;
        assert!(Submitted.can_become(Accepted));
        assert!(Submitted.can_become(Returned));
        assert!(InReview.can_become(Approved));
        assert!(Returned.can_become(Resubmitted));
        assert!(!Submitted.can_become(Approved));
        assert!(!Approved.can_become(InReview));
        assert!(!Returned.can_become(Approved));
        for s in [NotAccepted, Approved, Rejected] {
            assert!(s.is_final());
            assert!(!s.can_become(InReview));
        }
    }

    #[test]
    fn review_actions_are_tagged() {
        let a: ReviewAction = serde_json::from_str(
            r#"{"action":"return","items":[{"material_type":"commitment_letter","text":"缺少公章"}]}"#,
        )
        .unwrap();
        assert!(matches!(a, ReviewAction::Return { items } if items.len() == 1));
        assert!(
            serde_json::from_str::<ReviewAction>(r#"{"action":"approve","note":null,"x":1}"#)
                .is_err()
        );
    }
}
