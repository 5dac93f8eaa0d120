//! Catalog collections besides documents: self-check templates and material rules.

use serde::{Deserialize, Serialize};
use specta::Type;
use utoipa::ToSchema;

/// Where a requirement comes from: a clause of a catalog document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct Citation {
    pub document_id: String,
    pub clause: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    YesNo,
    Number,
    Date,
    Choice,
    Text,
    Evidence,
}

/// The answer an item needs to pass; absent for items judged by a person (text, evidence).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Type)]
pub struct PassRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Scales the minimum by the staff on site: the answer must be at least this many times
    /// the profile's `on_site` (supplies counted per person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_per_on_site: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// What the guideline asks, in words, shown before the current answer when it falls
    /// short: "需储备至少 14 天口罩".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// What an answer must be to be an answer at all (XLSForm's `constraint`): a number of
/// days cannot be negative. Breaking it is an input error with its own message, shown as
/// the officer types; it also fails the verdict.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Type)]
pub struct Constraint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Numbers must be whole.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    /// Dates, YYYY-MM-DD, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// Text, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<u32>,
    /// Shown when the answer breaks the constraint.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
}

/// The fields of the company profile a condition can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum ProfileField {
    District,
    /// The GB/T 4754 section letter.
    Industry,
    /// The GB/T 4754 division, two digits.
    IndustryDivision,
    /// `sealed`, `controlled` or `precaution`.
    RiskArea,
    Headcount,
    OnSite,
    Dormitories,
    /// A field this version does not know: the condition never holds.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(untagged)]
pub enum Expected {
    Bool(bool),
    Text(String),
}

/// A test of one value. Every test given must hold; a condition with none never holds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Type)]
pub struct ValueTest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Expected>,
    /// The value (a choice id or profile text) is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct ProfileCondition {
    pub field: ProfileField,
    #[serde(flatten)]
    pub test: ValueTest,
}

/// A test of an earlier item's answer. An item that is hidden counts as unanswered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct AnswerCondition {
    pub item: String,
    #[serde(flatten)]
    pub test: ValueTest,
}

/// When an item is shown (XLSForm's `relevant`), as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    // utoipa would follow the recursion forever without these marks.
    #[schema(no_recursion)]
    All(Vec<Condition>),
    #[schema(no_recursion)]
    Any(Vec<Condition>),
    #[schema(no_recursion)]
    Not(Box<Condition>),
    Profile(ProfileCondition),
    Answer(AnswerCondition),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct TemplateItem {
    pub id: String,
    pub kind: ItemKind,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub pass: Option<PassRule>,
    pub unit: Option<String>,
    pub choices: Option<Vec<ChoiceOption>>,
    pub material_type: Option<String>,
    pub show_if: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<Constraint>,
    pub cites: Citation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct TemplateSection {
    pub id: String,
    pub title: String,
    pub items: Vec<TemplateItem>,
}

/// A versioned self-check template (复工自查表).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct SelfCheckTemplate {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub published_on: String,
    /// The guidance document the template follows.
    pub based_on: String,
    pub sections: Vec<TemplateSection>,
}

impl SelfCheckTemplate {
    /// The feed key: one entry per template version.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    pub fn items(&self) -> impl Iterator<Item = &TemplateItem> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }
}

/// What an application needs of one kind of material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct MaterialRule {
    #[serde(rename = "type")]
    pub material_type: String,
    pub name: String,
    pub description: String,
    pub required: bool,
    /// Accepted formats, checked by content: pdf, docx, xlsx, jpg, png, zip.
    pub formats: Vec<String>,
    pub max_bytes: u64,
    pub max_count: u32,
    pub cites: Option<Citation>,
}

/// The material type of an appeal's attachments.
pub const APPEAL_ATTACHMENT: &str = "appeal_attachment";

/// The rule of appeal attachments, as the service publishes it in the feed
/// `attachment_rules`: what a client that has not synced yet assumes, and what the service
/// holds to when nothing is published.
pub fn appeal_attachment_rule() -> MaterialRule {
    MaterialRule {
        material_type: APPEAL_ATTACHMENT.into(),
        name: "诉求附件".into(),
        description: "说明诉求的佐证材料：合同、通知、照片、清单等".into(),
        required: false,
        formats: ["pdf", "docx", "xlsx", "jpg", "png", "zip"]
            .map(String::from)
            .to_vec(),
        max_bytes: 20 * 1024 * 1024,
        max_count: crate::limits::LIMITS.appeal_attachments,
        cites: None,
    }
}

/// One page of a list (an enterprise's own records, a reviewer's queue). Pages are taken
/// by position, not by change: a record that changes while the pages are read may show on
/// two of them, or move past the reader; read again from the start for a settled view.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Type)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    /// Pass this back as `after` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// One page of a collection's change feed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Type)]
pub struct FeedPage<T> {
    /// Entries created or changed since the cursor, oldest change first.
    pub items: Vec<T>,
    /// Keys withdrawn since the cursor (tombstones).
    pub removed: Vec<String>,
    /// Pass this back to continue; it never moves backwards.
    pub next_cursor: String,
    /// Whether more changes wait beyond `next_cursor`.
    pub has_more: bool,
}
