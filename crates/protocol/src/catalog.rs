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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Type)]
pub struct PassRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct ProfileCondition {
    /// `industry` or `district`.
    pub field: String,
    pub equals: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(untagged)]
pub enum Expected {
    Bool(bool),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct AnswerCondition {
    pub item: String,
    pub equals: Expected,
}

/// An item is shown only when its condition holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum ShowIf {
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
    pub show_if: Option<ShowIf>,
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
