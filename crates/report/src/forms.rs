//! The data of the three generated forms: the application form (企业复工复产申请信息表), the
//! commitment letter (疫情防控承诺书) and the submission receipt (复工申请提交回执).
//!
//! Every string here is printed as it is, never read as markup; the core turns its own values
//! (enums, times) into the Chinese text to print before they reach this crate.

use serde::{Deserialize, Serialize};

/// One person in the returning-staff list (附件：返岗人员名单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLine {
    pub name: String,
    /// 身份证号, printed in full: the form goes to the district office, which checks it.
    pub id_number: String,
    pub phone: String,
    pub department: String,
    /// Empty when the person does not live on site.
    pub dormitory: String,
    /// Already text for people: 阴性, 待出结果…
    pub test_result: String,
    /// The day of that test, as the roster gives it (usually `YYYY-MM-DD`); printed as is.
    pub test_date: String,
}

/// A person the district can call about the application (防疫联络员, 经办人…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    /// E.g. 防疫联络员, 法定代表人.
    pub role: String,
    pub phone: String,
}

/// The finished self-check an application carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfCheckRef {
    pub template_title: String,
    pub template_version: u32,
    /// `YYYY-MM-DD`.
    pub finished_on: String,
    /// SHA-256 of the canonical answers, 64 hex digits.
    pub answers_sha256: String,
}

/// 企业复工复产申请信息表: printed, signed, sealed, scanned and attached to the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub company_name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    pub address: String,
    /// E.g. 浦东新区.
    pub district: String,
    /// E.g. `C 制造业 / 36 汽车制造业`.
    pub industry: String,
    pub headcount: u32,
    pub on_site: u32,
    pub returning_staff: u32,
    /// E.g. 防范区.
    pub risk_area: String,
    /// 厂区内住宿 / 不在厂区住宿.
    pub dormitories: String,
    /// The district's whitelist batch, when the company is on one.
    pub whitelist_batch: Option<String>,
    pub contacts: Vec<Contact>,
    pub selfcheck: SelfCheckRef,
    /// The annex, in order.
    pub staff: Vec<StaffLine>,
    /// `YYYY-MM-DD`: printed, and the PDF's date.
    pub date: String,
    /// A short id the core derives from the inputs; printed in every page's footer so a
    /// scanned page can be matched to its application.
    pub form_id: String,
}

/// 疫情防控承诺书: printed, signed, sealed, scanned and attached to the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentLetter {
    pub company_name: String,
    pub credit_code: String,
    pub address: String,
    pub district: String,
    pub on_site: u32,
    pub returning_staff: u32,
    pub risk_area: String,
    /// Whether staff live on site: adds the dormitory commitment.
    pub dormitories: bool,
    /// The annex, in order.
    pub staff: Vec<StaffLine>,
    /// `YYYY-MM-DD`: printed, and the PDF's date.
    pub date: String,
    pub form_id: String,
}

/// One file of the submitted package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptMaterial {
    /// E.g. 疫情防控承诺书.
    pub type_name: String,
    pub filename: String,
    /// In bytes.
    pub size: u64,
    /// SHA-256 of the file, printed as given.
    pub sha256: String,
}

/// One step of the application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptStep {
    /// 已提交 / 已受理 / 退回补正…
    pub state: String,
    /// Local time, already text.
    pub at: String,
    pub receipt_no: String,
    pub note: Option<String>,
}

/// 复工申请提交回执: the officer's own record of what was submitted and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub company_name: String,
    pub credit_code: String,
    pub application_id: String,
    /// 1 for the first submission, 2 and up for resubmissions after 补正.
    pub round: u32,
    /// The current state, already text (已受理, 已批准…).
    pub state: String,
    /// The whitelist certificate number, once approved.
    pub certificate_no: Option<String>,
    /// Local time, already text.
    pub submitted_at: String,
    /// SHA-256 of the submitted package, 64 hex digits.
    pub package_sha256: String,
    pub selfcheck: SelfCheckRef,
    pub materials: Vec<ReceiptMaterial>,
    pub steps: Vec<ReceiptStep>,
    /// `YYYY-MM-DD`: printed, and the PDF's date.
    pub date: String,
}
