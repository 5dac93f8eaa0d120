//! The contract between the desktop client and `yiqifu-central`: every type that crosses the
//! wire lives here, so client and service cannot drift apart.

pub mod calendar;
pub mod catalog;
pub mod credit_code;
pub mod limits;
pub mod listings;
pub mod profile;
pub mod records;
pub mod selfcheck;

use serde::{Deserialize, Serialize};
use specta::Type;
use utoipa::ToSchema;

pub use calendar::{
    due_times, response_clock, CalendarYear, Computed, Deadline, OfficeSpan, ResponseClock,
    ResponsePromise, WorkCalendar,
};
pub use catalog::*;
pub use credit_code::{CreditCode, CreditCodeError};
pub use limits::{TextLimits, LIMITS};
pub use listings::{MatchReason, MATCH_THRESHOLD};
pub use profile::{CompanyProfile, Contact, FieldProblem, RiskArea, StoredProfile};
pub use records::*;
pub use selfcheck::{evaluate, FailureReason, ItemFailure, Lang, Need, TemplateDiff, Verdict};

/// The value of [`Health::service`]: how a client tells a Yiqifu central service from any other
/// HTTP server that happens to answer on the URL it was given.
pub const SERVICE_NAME: &str = "yiqifu-central";

/// The API generation this crate describes; a client refuses a service that speaks another.
pub const API_VERSION: u32 = 1;

/// Everything under this prefix is the v1 API.
pub const API_PREFIX: &str = "/api/v1";

/// Request header carrying the retry key of a creating request (IETF httpapi draft).
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct Health {
    /// Always [`SERVICE_NAME`].
    pub service: String,
    /// Always [`API_VERSION`] for this crate.
    pub api_version: u32,
    /// The service build, for support.
    pub version: String,
    /// Whether the service runs on seeded demo data.
    pub demo: bool,
}

/// Stable error codes. Clients branch on these, never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The request could not be read: malformed JSON, unknown fields, wrong types.
    BadRequest,
    /// A credit code that fails the GB 32100-2015 check.
    InvalidCreditCode,
    /// No token, or an unknown one.
    Unauthorized,
    /// The access token has expired; refresh it.
    TokenExpired,
    /// Wrong credit code or password.
    InvalidCredentials,
    /// Too many sign-in attempts.
    RateLimited,
    /// The enterprise holds as many uploads no record has taken as it may; they count until
    /// an application or appeal takes them, or they expire.
    UploadQuota,
    /// The caller may not see or change this record.
    Forbidden,
    NotFound,
    /// The cursor is not one this service issued.
    CursorInvalid,
    /// The cursor is too old to continue from: start a full resync.
    CursorExpired,
    PayloadTooLarge,
    Conflict,
    /// A creating request came without an `Idempotency-Key` header.
    IdempotencyKeyMissing,
    /// The same `Idempotency-Key` came with a different body.
    IdempotencyKeyReused,
    /// The first request with this `Idempotency-Key` is still running.
    RequestInProgress,
    /// The workflow does not allow this step from the record's current state.
    InvalidTransition,
    /// The self-check does not pass, or does not match its template.
    SelfCheckFailed,
    /// The self-check answers an older version of its template: do it again on the current one.
    SelfCheckOutdated,
    /// The company profile (企业信息) has not been sent yet: the self-check needs it.
    ProfileMissing,
    /// A material is missing, unfinished, of the wrong type or too large.
    MaterialInvalid,
    /// A field's value is out of its range.
    InvalidField,
    /// tus: the offset does not match the upload's.
    OffsetMismatch,
    /// tus: the chunk does not match its Upload-Checksum.
    ChecksumMismatch,
    /// The caller's role may not do this.
    ReviewerOnly,
    /// The service's storage (its upload store or its database's disk) is full: retry
    /// later; nothing already stored is lost.
    StorageFull,
    /// Something failed on the service side; the request may be retried.
    Internal,
}

/// The body of every non-2xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct ApiError {
    pub code: ErrorCode,
    /// A human-readable explanation (Chinese first, English after).
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The 18-character unified social credit code (统一社会信用代码).
    pub credit_code: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct EnterpriseProfile {
    pub credit_code: String,
    pub name: String,
    /// One of the 16 Shanghai districts.
    pub district: String,
    pub industry: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// RFC 3339 time at which `access_token` stops working.
    pub access_expires_at: String,
    pub enterprise: EnterpriseProfile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 政策
    Policy,
    /// 防疫指导
    Guidance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum PolicyLevel {
    National,
    Municipal,
    District,
}

impl PolicyLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Municipal => "municipal",
            Self::District => "district",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "national" => Some(Self::National),
            "municipal" => Some(Self::Municipal),
            "district" => Some(Self::District),
            _ => None,
        }
    }
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Policy => "policy",
            Self::Guidance => "guidance",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "policy" => Some(Self::Policy),
            "guidance" => Some(Self::Guidance),
            _ => None,
        }
    }
}

/// A key condition (关键指引条件) of a document, citable by its clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct KeyCondition {
    pub id: String,
    /// Where in the body it comes from, e.g. "第三条".
    pub clause: String,
    pub text: String,
}

/// A policy or guidance document of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct Document {
    pub id: String,
    pub kind: DocumentKind,
    pub title: String,
    pub level: PolicyLevel,
    /// Set for district documents only.
    pub district: Option<String>,
    pub issuer: String,
    /// The document number (文号), when it has one.
    pub doc_number: Option<String>,
    /// Dates are ISO 8601 calendar dates (YYYY-MM-DD).
    pub published_on: String,
    pub effective_on: String,
    pub expires_on: Option<String>,
    pub industries: Vec<String>,
    pub tags: Vec<String>,
    pub summary: String,
    pub body: String,
    pub key_conditions: Vec<KeyCondition>,
    /// The id of the document this one replaces (a guideline's second version names its
    /// first). Absent in payloads from before it existed, so they still read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_travel_in_screaming_snake_case() {
        let json = serde_json::to_string(&ApiError {
            code: ErrorCode::InvalidCredentials,
            message: "x".into(),
        })
        .unwrap();
        assert_eq!(json, r#"{"code":"INVALID_CREDENTIALS","message":"x"}"#);
    }

    #[test]
    fn login_request_rejects_unknown_fields() {
        let r: Result<LoginRequest, _> =
            serde_json::from_str(r#"{"credit_code":"a","password":"b","admin":true}"#);
        assert!(r.is_err());
    }

    #[test]
    fn level_and_kind_round_trip_through_their_strings() {
        for l in [
            PolicyLevel::National,
            PolicyLevel::Municipal,
            PolicyLevel::District,
        ] {
            assert_eq!(PolicyLevel::parse(l.as_str()), Some(l));
        }
        for k in [DocumentKind::Policy, DocumentKind::Guidance] {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(PolicyLevel::parse("county"), None);
    }
}
