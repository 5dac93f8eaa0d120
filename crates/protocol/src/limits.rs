//! The limits of what an officer writes in appeals, messages, ratings and listings, and the
//! checks that name every field out of them. Client and service run the same checks, so a
//! form refuses exactly what the service would, before anything is queued.
//!
//! Lengths count characters of the trimmed text (`trim().chars().count()`): a Chinese
//! character is one, like a Latin letter, and whitespace alone is empty.

use serde::Serialize;
use specta::Type;
use time::macros::format_description;
use time::{Date, Duration};

use crate::profile::{is_phone, FieldProblem};
use crate::records::{
    NewAppeal, NewApplication, NewListing, NewMessage, Rating, Resubmission, DISTRICTS,
};

/// Every length and count limit, in one place; the UI gets them as the constant `LIMITS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct TextLimits {
    pub appeal_title: u32,
    pub appeal_description: u32,
    pub contact_name: u32,
    pub message: u32,
    pub rating_comment: u32,
    pub appeal_attachments: u32,
    pub listing_item: u32,
    pub listing_unit: u32,
    pub listing_note: u32,
    /// How far ahead a listing may be valid, in days from today.
    pub listing_valid_days: u32,
    /// The office or person an appeal is assigned to.
    pub assignee: u32,
    /// An officer's private note on a policy or guidance document.
    pub library_note: u32,
    /// Messages the enterprise may add to one appeal's thread; past it a new appeal is the
    /// way (a thread that long is no longer one matter, and the record would grow unbounded).
    pub appeal_messages: u32,
    pub application_contact_name: u32,
    pub application_note: u32,
    pub returning_staff: u32,
}

pub const LIMITS: TextLimits = TextLimits {
    appeal_title: 100,
    appeal_description: 5000,
    contact_name: 40,
    message: 5000,
    rating_comment: 500,
    appeal_attachments: 5,
    listing_item: 100,
    listing_unit: 20,
    listing_note: 500,
    listing_valid_days: 366,
    assignee: 100,
    library_note: 5000,
    appeal_messages: 100,
    application_contact_name: 50,
    application_note: 2000,
    returning_staff: 100_000,
};

/// An application's contact phone: 5 to 20 of digits, `+`, `-` and spaces (extensions and
/// switchboards included, so looser than a profile's [`is_phone`]).
pub fn is_contact_phone(phone: &str) -> bool {
    let p = phone.trim();
    (5..=20).contains(&p.len())
        && p.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '))
}

/// What stops one more enterprise message on an appeal that has `sent` already.
pub fn thread_problems(sent: usize) -> Vec<FieldProblem> {
    let max = LIMITS.appeal_messages as usize;
    let mut p = Problems(Vec::new());
    if sent >= max {
        p.add(
            "body",
            format!("此诉求已有 {max} 条企业留言，达到上限：如有新的情况，请新建一条诉求"),
            format!("This appeal already has {max} messages from the enterprise, the most it takes: file a new appeal for anything further"),
        );
    }
    p.0
}

/// A listing's quantity must be below this: larger numbers are typing slips, and lose
/// precision in a JavaScript number long before they mean anything.
pub const MAX_QUANTITY: f64 = 1e12;

/// Characters of the trimmed text.
pub fn chars(s: &str) -> u32 {
    u32::try_from(s.trim().chars().count()).unwrap_or(u32::MAX)
}

struct Problems(Vec<FieldProblem>);

impl Problems {
    fn add(&mut self, field: &str, zh: String, en: String) {
        self.0.push(FieldProblem {
            field: field.into(),
            zh,
            en,
        });
    }

    /// A required text of 1 to `max` characters: `what` names it in each language.
    fn text(&mut self, field: &str, value: &str, max: u32, (zh, en): (&str, &str)) {
        let n = chars(value);
        if n == 0 {
            self.add(field, format!("请填写{zh}"), format!("Enter the {en}"));
        } else if n > max {
            self.too_long(field, n, max, (zh, en));
        }
    }

    /// An optional text of at most `max` characters.
    fn optional(&mut self, field: &str, value: Option<&str>, max: u32, what: (&str, &str)) {
        let n = value.map_or(0, chars);
        if n > max {
            self.too_long(field, n, max, what);
        }
    }

    fn too_long(&mut self, field: &str, n: u32, max: u32, (zh, en): (&str, &str)) {
        self.add(
            field,
            format!("{zh}最多 {max} 字，现有 {n} 字，请删减"),
            format!("The {en} is limited to {max} characters (it has {n}): shorten it"),
        );
    }

    fn phone(&mut self, field: &str, value: &str) {
        if !is_phone(value) {
            self.add(
                field,
                "请填写 11 位手机号或带区号的固定电话，如 021-12345678".into(),
                "Enter an 11-digit mobile number or a landline with its area code, e.g. 021-12345678"
                    .into(),
            );
        }
    }
}

impl NewAppeal {
    /// Every field that stops the appeal from being filed, each with its message.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut p = Problems(Vec::new());
        p.text("title", &self.title, LIMITS.appeal_title, ("标题", "title"));
        p.text(
            "description",
            &self.description,
            LIMITS.appeal_description,
            ("诉求内容", "description"),
        );
        if let Some(c) = &self.contact {
            p.text(
                "contact.name",
                &c.name,
                LIMITS.contact_name,
                ("联系人姓名", "contact's name"),
            );
            p.phone("contact.phone", &c.phone);
        }
        let n = self.attachments.len();
        let max = LIMITS.appeal_attachments as usize;
        if n > max {
            p.add(
                "attachments",
                format!("附件最多 {max} 个，现有 {n} 个，请移除多余的"),
                format!("At most {max} attachments (there are {n}): remove some"),
            );
        }
        let mut seen = std::collections::HashSet::new();
        if self.attachments.iter().any(|a| !seen.insert(a)) {
            p.add(
                "attachments",
                "同一附件添加了两次，请移除重复的".into(),
                "The same attachment is added twice: remove the copy".into(),
            );
        }
        p.0
    }
}

/// What is wrong with a private note on a document (empty is fine: it deletes the note).
impl NewApplication {
    /// What the service checks of an application's own fields before its self-check and
    /// materials are judged.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut p = Problems(Vec::new());
        p.text(
            "contact_name",
            &self.contact_name,
            LIMITS.application_contact_name,
            ("联系人姓名", "contact's name"),
        );
        if !is_contact_phone(&self.contact_phone) {
            p.add(
                "contact_phone",
                "请填写正确的联系电话（5 到 20 位数字，可含 + - 和空格）".into(),
                "Enter a valid contact phone (5 to 20 digits; + - and spaces allowed)".into(),
            );
        }
        let max = LIMITS.returning_staff;
        if !(1..=max).contains(&self.returning_staff) {
            p.add(
                "returning_staff",
                format!("返岗人数应在 1 到 {max} 之间"),
                format!("The returning staff must number 1 to {max}"),
            );
        }
        p.optional(
            "note",
            self.note.as_deref(),
            LIMITS.application_note,
            ("备注", "note"),
        );
        p.0
    }
}

impl Resubmission {
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut p = Problems(Vec::new());
        p.optional(
            "note",
            self.note.as_deref(),
            LIMITS.application_note,
            ("补正说明", "note"),
        );
        p.0
    }
}

pub fn note_problems(text: &str) -> Vec<FieldProblem> {
    let mut p = Problems(Vec::new());
    p.optional("text", Some(text), LIMITS.library_note, ("备注", "note"));
    p.0
}

impl NewMessage {
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut p = Problems(Vec::new());
        p.text("body", &self.body, LIMITS.message, ("留言", "message"));
        p.0
    }
}

impl Rating {
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut p = Problems(Vec::new());
        if !(1..=5).contains(&self.score) {
            p.add(
                "score",
                "请选择 1 到 5 星".into(),
                "Choose 1 to 5 stars".into(),
            );
        }
        p.optional(
            "comment",
            self.comment.as_deref(),
            LIMITS.rating_comment,
            ("评价", "comment"),
        );
        p.0
    }
}

impl NewListing {
    /// Every bad field; `today` is China's date, which bounds `valid_until`.
    pub fn problems(&self, today: Date) -> Vec<FieldProblem> {
        let mut p = Problems(Vec::new());
        p.text(
            "item",
            &self.item,
            LIMITS.listing_item,
            ("物品或服务名称", "item"),
        );
        if !(self.quantity.is_finite() && self.quantity > 0.0 && self.quantity < MAX_QUANTITY) {
            p.add(
                "quantity",
                "数量应为大于 0 的数".into(),
                "The quantity must be a number above 0".into(),
            );
        }
        p.text("unit", &self.unit, LIMITS.listing_unit, ("单位", "unit"));
        if !DISTRICTS.contains(&self.district.as_str()) {
            p.add(
                "district",
                "请选择上海市的一个区".into(),
                "Choose one of Shanghai's districts".into(),
            );
        }
        let last = today + Duration::days(i64::from(LIMITS.listing_valid_days));
        match Date::parse(
            &self.valid_until,
            format_description!("[year]-[month]-[day]"),
        ) {
            Ok(d) if d < today => p.add(
                "valid_until",
                format!("有效期已过，请选择今天（{today}）或之后的日期"),
                format!("The date has passed: choose today ({today}) or later"),
            ),
            Ok(d) if d > last => p.add(
                "valid_until",
                format!(
                    "有效期最长 {} 天，请选择 {last} 或之前的日期",
                    LIMITS.listing_valid_days
                ),
                format!(
                    "A listing is valid for at most {} days: choose {last} or earlier",
                    LIMITS.listing_valid_days
                ),
            ),
            Ok(_) => {}
            Err(_) => p.add(
                "valid_until",
                "请填写有效期，格式为 YYYY-MM-DD".into(),
                "Enter the date it is valid until, as YYYY-MM-DD".into(),
            ),
        }
        p.text(
            "contact_name",
            &self.contact_name,
            LIMITS.contact_name,
            ("联系人姓名", "contact's name"),
        );
        p.phone("contact_phone", &self.contact_phone);
        p.optional(
            "note",
            self.note.as_deref(),
            LIMITS.listing_note,
            ("备注", "note"),
        );
        p.0
    }
}

#[cfg(test)]
#[path = "limits/tests.rs"]
mod tests;
