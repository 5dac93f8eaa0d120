//! 检查申请: one check of the whole application before it leaves, errors apart from
//! warnings. An error stops the submission; a warning is for the officer to weigh.

use std::collections::HashMap;

use super::store::{self, File};
use super::view::{
    ApplicationDraft, CheckReport, FileOrigin, Finding, FormKind, Severity, SourceState,
};
use super::STAFF_LIST;
use crate::error::Result;
use crate::infra::clock::today_in_china;
use crate::workspace::Workspace;

/// How old the latest test of a person may be before the check mentions it: the 2022
/// guidelines asked for a negative result within 72 hours of returning.
const TEST_MAX_AGE_DAYS: i64 = 3;

fn finding(
    severity: Severity,
    code: &str,
    target: Option<&str>,
    zh: String,
    en: String,
) -> Finding {
    Finding {
        code: code.into(),
        severity,
        zh,
        en,
        target: target.map(str::to_string),
    }
}

fn days_between(from: &str, to: &str) -> Option<i64> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    let a = time::Date::parse(from, &f).ok()?;
    let b = time::Date::parse(to, &f).ok()?;
    Some((b - a).whole_days())
}

/// The contact as the service will judge it.
pub(super) fn contact_problems(name: &str, phone: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > super::CONTACT_NAME_MAX {
        out.push(finding(
            Severity::Error,
            "CONTACT_NAME",
            Some("contact"),
            format!(
                "请填写联系人姓名（1 到 {} 个字）。",
                super::CONTACT_NAME_MAX
            ),
            format!(
                "Enter the contact's name (1 to {} characters).",
                super::CONTACT_NAME_MAX
            ),
        ));
    }
    if !yiqifu_protocol::limits::is_contact_phone(phone) {
        out.push(finding(
            Severity::Error,
            "CONTACT_PHONE",
            Some("contact"),
            "请填写正确的联系电话（5 到 20 位数字，可含 + - 和空格）。".into(),
            "Enter a valid contact phone (5 to 20 digits; + - and spaces allowed).".into(),
        ));
    }
    out
}

impl Workspace {
    /// Checks the application being prepared as a whole: the self-check current and
    /// passing, every required material present within its count, every stored copy whole,
    /// every form generated from the current profile, roster and self-check, the roster, the
    /// contact; and, in a correction, that something was corrected.
    pub async fn check_application(&self) -> Result<CheckReport> {
        let draft = self.application_draft().await?;
        let files = store::draft_files(self.store()).await?;
        let mut all = Vec::new();
        self.check_gate(&draft, &mut all);
        check_materials(&draft, &mut all);
        self.check_forms(&files, &mut all).await?;
        self.check_roster(&files, &mut all).await?;
        all.extend(contact_problems(&draft.contact_name, &draft.contact_phone));
        if draft.note.chars().count() > super::NOTE_MAX {
            all.push(finding(
                Severity::Error,
                "NOTE_TOO_LONG",
                Some("contact"),
                format!("备注不得超过 {} 字。", super::NOTE_MAX),
                format!("The note may hold at most {} characters.", super::NOTE_MAX),
            ));
        }
        if draft.record_id.is_some() {
            self.check_correction(&draft, &mut all).await?;
        }
        if !self.summary().signed_in {
            all.push(finding(
                Severity::Warning,
                "NOT_SIGNED_IN",
                None,
                "当前未登录：提交后申请保存在本机，重新登录后自动发送。".into(),
                "Not signed in: the application waits on this computer and goes once you sign in again.".into(),
            ));
        }
        let (errors, warnings) = all.into_iter().partition(|f| f.severity == Severity::Error);
        Ok(CheckReport { errors, warnings })
    }

    fn check_gate(&self, draft: &ApplicationDraft, out: &mut Vec<Finding>) {
        if !draft.gate.open {
            out.push(finding(
                Severity::Error,
                "SELFCHECK_REQUIRED",
                Some("selfcheck"),
                draft.gate.reason_zh.clone().unwrap_or_default(),
                draft.gate.reason_en.clone().unwrap_or_default(),
            ));
        }
    }

    async fn check_forms(&self, files: &[File], out: &mut Vec<Finding>) -> Result<()> {
        let made = store::generated(self.store()).await?;
        for kind in FormKind::ALL {
            let attached: Vec<&File> = files
                .iter()
                .filter(|f| f.material_type == kind.material_type())
                .collect();
            if attached.is_empty() {
                continue;
            }
            let Some(last) = made.iter().find(|g| g.kind == kind.as_str()) else {
                out.push(finding(
                    Severity::Warning,
                    "FORM_NOT_GENERATED",
                    Some(kind.material_type()),
                    format!("附上的{}不是由本应用生成：请确认其内容与企业信息、名单一致。", kind.name_zh()),
                    format!("The attached {} was not generated here: make sure it matches the company profile and the roster.", kind.name_en()),
                ));
                continue;
            };
            let now = self.current_form_inputs(kind).await?;
            if now.as_ref() != Some(&last.inputs) {
                out.push(finding(
                    Severity::Error,
                    "FORM_OUTDATED",
                    Some(kind.material_type()),
                    format!("生成{}后，企业信息、返岗人员名单或自查结果已有变化：请重新生成，签字盖章后重新上传。", kind.name_zh()),
                    format!("The company profile, the roster or the self-check changed after the {} was generated: generate it again, sign and seal it, and attach it again.", kind.name_en()),
                ));
            } else if attached.iter().all(|f| f.added_seq < last.seq) {
                out.push(finding(
                    Severity::Warning,
                    "FORM_OLDER_THAN_GENERATED",
                    Some(kind.material_type()),
                    format!("附上的{}早于最近一次生成：请确认附上的是签章后的最新版本。", kind.name_zh()),
                    format!("The attached {} is older than the last one generated: make sure it is the signed copy of the latest.", kind.name_en()),
                ));
            }
        }
        Ok(())
    }

    async fn check_roster(&self, files: &[File], out: &mut Vec<Finding>) -> Result<()> {
        let rows = self.roster_rows().await?;
        if rows.is_empty() {
            out.push(finding(
                Severity::Error,
                "ROSTER_EMPTY",
                Some("roster"),
                "返岗人员名单为空：请导入或录入返岗人员。".into(),
                "The returning-staff roster is empty: import or enter the staff.".into(),
            ));
            return Ok(());
        }
        let current = crate::roster::store::fingerprint(self.store()).await?;
        for f in files.iter().filter(|f| f.material_type == STAFF_LIST) {
            match (&f.origin, &f.made_from) {
                (FileOrigin::Roster, Some(from)) if from != &current => out.push(finding(
                    Severity::Error,
                    "ROSTER_CHANGED",
                    Some(STAFF_LIST),
                    "导出名单后，返岗人员名单已有修改：请重新附上名单。".into(),
                    "The roster changed after it was attached: attach it again.".into(),
                )),
                (FileOrigin::Roster, _) => {}
                _ => out.push(finding(
                    Severity::Warning,
                    "ROSTER_NOT_EXPORTED",
                    Some(STAFF_LIST),
                    format!("名单文件“{}”不是由本应用导出：请确认与返岗人员名单（{} 人）一致。", f.filename, rows.len()),
                    format!("The list \"{}\" was not exported here: make sure it matches the roster ({} people).", f.filename, rows.len()),
                )),
            }
        }
        let positive: Vec<&str> = rows
            .iter()
            .filter(|r| r.test_result == Some(yiqifu_roster::TestResult::Positive))
            .map(|r| r.name.as_str())
            .collect();
        if !positive.is_empty() {
            out.push(finding(
                Severity::Error,
                "ROSTER_POSITIVE",
                Some("roster"),
                format!("名单中 {} 人最近核酸结果为阳性（{}）：阳性人员不得返岗，请移出名单。", positive.len(), positive.join("、")),
                format!("{} people in the roster last tested positive ({}): they may not return; take them off the roster.", positive.len(), positive.join(", ")),
            ));
        }
        let today = today_in_china();
        let stale = rows
            .iter()
            .filter(|r| match &r.test_date {
                None => true,
                Some(d) => days_between(d, &today).is_none_or(|n| n > TEST_MAX_AGE_DAYS),
            })
            .count();
        if stale > 0 {
            out.push(finding(
                Severity::Warning,
                "ROSTER_TESTS_STALE",
                Some("roster"),
                format!("名单中 {stale} 人没有 {TEST_MAX_AGE_DAYS} 天内的核酸检测记录：返岗前请安排检测并更新名单。"),
                format!("{stale} people in the roster have no test within {TEST_MAX_AGE_DAYS} days: have them tested before they return, and update the roster."),
            ));
        }
        if let Some(p) = self.saved_profile().await? {
            if rows.len() > p.on_site as usize {
                out.push(finding(
                    Severity::Warning,
                    "ROSTER_OVER_ON_SITE",
                    Some("roster"),
                    format!("返岗人数（{}）多于企业信息中的在岗人数（{}）：请核对名单或更新企业信息。", rows.len(), p.on_site),
                    format!("The roster ({}) has more people than the profile's staff on site ({}): check one or the other.", rows.len(), p.on_site),
                ));
            }
        }
        Ok(())
    }

    async fn check_correction(
        &self,
        draft: &ApplicationDraft,
        out: &mut Vec<Finding>,
    ) -> Result<()> {
        let diff = self.correction_diff().await?;
        let changed = diff.as_ref().is_some_and(|d| {
            d.selfcheck_changed
                || d.materials
                    .iter()
                    .any(|m| m.change != super::view::Change::Same)
        });
        if !changed {
            out.push(finding(
                Severity::Error,
                "NOTHING_CORRECTED",
                None,
                "尚未作任何补正：请按补正通知更换材料或修改自查答案后再提交。".into(),
                "Nothing has been corrected yet: replace the materials or answers the notice asks for, then submit.".into(),
            ));
        }
        for slot in draft
            .slots
            .iter()
            .filter(|s| !s.asked.is_empty() && !s.changed)
        {
            out.push(finding(
                Severity::Warning,
                "ASKED_NOT_REPLACED",
                Some(&slot.rule.material_type),
                format!(
                    "补正通知要求处理“{}”（{}），该材料尚未更换。",
                    slot.rule.name,
                    slot.asked.join("；")
                ),
                format!(
                    "The notice asks about \"{}\" ({}), which has not been replaced.",
                    slot.rule.name,
                    slot.asked.join("; ")
                ),
            ));
        }
        if let Some(c) = &draft.correction {
            for item in c.items.iter().filter(|i| i.material_type.is_none()) {
                out.push(finding(
                    Severity::Warning,
                    "ASKED_CONFIRM",
                    None,
                    format!("请确认已处理补正事项：{}", item.text),
                    format!(
                        "Make sure this item of the notice is dealt with: {}",
                        item.text
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn check_materials(draft: &ApplicationDraft, out: &mut Vec<Finding>) {
    if !draft.rules_synced {
        out.push(finding(
            Severity::Error,
            "RULES_MISSING",
            None,
            "申请材料清单尚未同步：请联网同步后再检查。".into(),
            "The list of materials has not been synced yet: go online, sync, then check again."
                .into(),
        ));
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for slot in &draft.slots {
        let rule = &slot.rule;
        if slot.files.is_empty() {
            if rule.required {
                out.push(finding(
                    Severity::Error,
                    "MATERIAL_MISSING",
                    Some(&rule.material_type),
                    format!("缺少必需材料：{}。", rule.name),
                    format!("A required material is missing: {}.", rule.name),
                ));
            } else {
                out.push(finding(
                    Severity::Warning,
                    "MATERIAL_OPTIONAL_MISSING",
                    Some(&rule.material_type),
                    format!("未附选填材料：{}。", rule.name),
                    format!("The optional material {} is not attached.", rule.name),
                ));
            }
        }
        if slot.files.len() > rule.max_count as usize {
            out.push(finding(
                Severity::Error,
                "MATERIAL_TOO_MANY",
                Some(&rule.material_type),
                format!(
                    "{}最多 {} 份，现有 {} 份：请移除多余的文件。",
                    rule.name,
                    rule.max_count,
                    slot.files.len()
                ),
                format!(
                    "{} takes at most {} files; there are {}: remove the extra ones.",
                    rule.name,
                    rule.max_count,
                    slot.files.len()
                ),
            ));
        }
        for f in &slot.files {
            // The rule may have changed since the file was checked and added (the service
            // refuses it then, and a refused application comes back here).
            let format = yiqifu_files::Format::parse(&f.format);
            let allowed = rule
                .formats
                .iter()
                .any(|x| format.is_some() && yiqifu_files::Format::parse(x) == format);
            if f.size > rule.max_bytes || !allowed {
                out.push(finding(
                    Severity::Error,
                    "FILE_NO_LONGER_ALLOWED",
                    Some(&rule.material_type),
                    format!(
                        "“{}”不再符合{}的要求（格式 {}，不超过 {}）：请换一个文件。",
                        f.filename,
                        rule.name,
                        rule.formats.join("/"),
                        yiqifu_files::size_text(rule.max_bytes)
                    ),
                    format!(
                        "\"{}\" no longer meets what {} takes ({}, at most {}): replace it.",
                        f.filename,
                        rule.name,
                        rule.formats.join("/"),
                        yiqifu_files::size_text(rule.max_bytes)
                    ),
                ));
            }
            if !f.stored {
                out.push(finding(
                    Severity::Error,
                    "STORED_COPY_MISSING",
                    Some(&rule.material_type),
                    format!("“{}”在本机保存的副本已丢失或损坏：请移除后重新添加。", f.filename),
                    format!("The copy of \"{}\" kept on this computer is missing or damaged: remove it and add it again.", f.filename),
                ));
            }
            match f.source {
                SourceState::Changed => out.push(finding(
                    Severity::Warning,
                    "SOURCE_CHANGED",
                    Some(&rule.material_type),
                    format!("原文件“{}”在添加后被修改过：将提交添加时保存的版本；如要提交新版本，请重新添加。", f.filename),
                    format!("\"{}\" was edited after it was added: the version kept when it was added will be sent; add it again to send the new one.", f.filename),
                )),
                SourceState::Missing => out.push(finding(
                    Severity::Warning,
                    "SOURCE_MISSING",
                    Some(&rule.material_type),
                    format!("原文件“{}”已被移动或删除：将提交添加时保存的副本。", f.filename),
                    format!("\"{}\" was moved or deleted after it was added: the copy kept then will be sent.", f.filename),
                )),
                SourceState::Unchanged | SourceState::None => {}
            }
            if let Some(other) = seen.insert(f.sha256.as_str(), f.filename.as_str()) {
                out.push(finding(
                    Severity::Error,
                    "FILE_DUPLICATE",
                    Some(&rule.material_type),
                    format!(
                        "“{}”与“{other}”内容完全相同：同一文件不能用作两份材料。",
                        f.filename
                    ),
                    format!(
                        "\"{}\" is identical to \"{other}\": one file cannot be two materials.",
                        f.filename
                    ),
                ));
            }
        }
    }
    for f in &draft.orphans {
        out.push(finding(
            Severity::Error,
            "MATERIAL_UNKNOWN",
            Some(&f.material_type),
            format!(
                "“{}”所属的材料类型已不在服务的材料清单中：请移除。",
                f.filename
            ),
            format!(
                "\"{}\" belongs to a material the service no longer lists: remove it.",
                f.filename
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_rules_match_the_services() {
        assert!(contact_problems("王芳", "13800138000").is_empty());
        assert!(contact_problems("王芳", "021-6234 5678").is_empty());
        assert_eq!(contact_problems("", "13800138000").len(), 1);
        assert_eq!(contact_problems("王芳", "1380").len(), 1);
        assert_eq!(contact_problems("王芳", "138001380001380013800").len(), 1);
        assert_eq!(contact_problems(&"王".repeat(51), "abc").len(), 2);
    }

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between("2022-05-01", "2022-05-04"), Some(3));
        assert_eq!(days_between("2022-02-28", "2022-03-01"), Some(1));
        assert_eq!(days_between("bad", "2022-03-01"), None);
    }
}
