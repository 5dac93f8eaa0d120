//! Forms to render in tests and in the forms example: made-up companies and people.

#![allow(dead_code)]

use yiqifu_report::{
    ApplicationForm, CommitmentLetter, Contact, Receipt, ReceiptMaterial, ReceiptStep,
    SelfCheckRef, StaffLine,
};

/// A company whose name has a rare character (䶮, CJK Extension A).
pub const COMPANY: &str = "上海䶮浦精密机械有限公司";
pub const CREDIT_CODE: &str = "91310115MA1K4C7P2E";
/// The first person of every staff list: a rare character in a name is the usual case.
pub const FIRST_STAFF: &str = "王䶮";
pub const PACKAGE_SHA256: &str = "b7e4c2a19d0f3e6a5c8b1d4f7a2e9c0b3d6f8a1c4e7b0d2f5a8c1e4b7d0a3f6c";
pub const RECEIPT_NO: &str = "PDXQ-FG-20220506-00173";
/// User text full of typst markup, which must print as it is.
pub const MARKUP: &str =
    r#"#set page(width: 1cm) *粗* _斜_ $x^2$ [链] \ `r` <l> @r // 注 = 标题 #{1+1}"#;

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
];
const GIVEN: [&str; 10] = [
    "伟", "芳", "秀英", "敏", "静", "建华", "海燕", "志强", "丽娟", "磊",
];
const DEPARTMENTS: [&str; 5] = ["冲压车间", "焊装车间", "质量部", "设备保障部", "物流仓储部"];

/// A made-up 身份证号 with a correct check digit, so it looks like one in the table.
fn id_number(i: usize) -> String {
    let body = format!(
        "310115{}{:02}{:02}{:03}",
        1970 + i % 30,
        1 + i % 12,
        1 + i % 28,
        i % 1000
    );
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// `n` people; the first is [`FIRST_STAFF`].
pub fn staff(n: usize) -> Vec<StaffLine> {
    (0..n)
        .map(|i| StaffLine {
            name: if i == 0 {
                FIRST_STAFF.to_owned()
            } else {
                format!("{}{}", SURNAMES[i % 12], GIVEN[(i / 12) % 10])
            },
            id_number: id_number(i),
            phone: format!("139{:08}", 16_000_000 + i * 7919 % 10_000_000),
            department: DEPARTMENTS[i % 5].to_owned(),
            dormitory: if i % 3 == 0 {
                String::new()
            } else {
                format!("{} 号楼 {} 室", 1 + i % 4, 101 + i % 20)
            },
            test_result: "阴性".to_owned(),
            test_date: format!("2022-05-{:02}", 4 + i % 3),
        })
        .collect()
}

pub fn selfcheck() -> SelfCheckRef {
    SelfCheckRef {
        template_title: "工业企业复工复产疫情防控自查表（第二版）".to_owned(),
        template_version: 2,
        finished_on: "2022-05-06".to_owned(),
        answers_sha256: "3f9a1c0b7e6d5a4f3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918ab0cde"
            .to_owned(),
    }
}

/// The application form with `n` returning staff.
pub fn application_form(n: usize) -> ApplicationForm {
    ApplicationForm {
        company_name: COMPANY.to_owned(),
        credit_code: CREDIT_CODE.to_owned(),
        address: "上海市浦东新区川沙路 5558 号 3 幢".to_owned(),
        district: "浦东新区".to_owned(),
        industry: "C 制造业 / 36 汽车制造业".to_owned(),
        headcount: 412,
        on_site: 320,
        returning_staff: u32::try_from(n).unwrap_or(u32::MAX),
        risk_area: "防范区".to_owned(),
        dormitories: "厂区内住宿".to_owned(),
        whitelist_batch: Some("浦东新区第三批".to_owned()),
        contacts: vec![
            Contact {
                name: "陈建华".to_owned(),
                role: "法定代表人".to_owned(),
                phone: "13901762281".to_owned(),
            },
            Contact {
                name: "周海燕".to_owned(),
                role: "防疫联络员".to_owned(),
                phone: "13816620457".to_owned(),
            },
        ],
        selfcheck: selfcheck(),
        staff: staff(n),
        date: "2022-05-06".to_owned(),
        form_id: "a3f09c1d7b2e4856".to_owned(),
    }
}

/// The commitment letter with `n` returning staff.
pub fn commitment_letter(n: usize) -> CommitmentLetter {
    CommitmentLetter {
        company_name: COMPANY.to_owned(),
        credit_code: CREDIT_CODE.to_owned(),
        address: "上海市浦东新区川沙路 5558 号 3 幢".to_owned(),
        district: "浦东新区".to_owned(),
        on_site: 320,
        returning_staff: u32::try_from(n).unwrap_or(u32::MAX),
        risk_area: "防范区".to_owned(),
        dormitories: true,
        staff: staff(n),
        date: "2022-05-06".to_owned(),
        form_id: "5be1d04a9c7f3e21".to_owned(),
    }
}

fn material(type_name: &str, filename: &str, size: u64, seed: u8) -> ReceiptMaterial {
    ReceiptMaterial {
        type_name: type_name.to_owned(),
        filename: filename.to_owned(),
        size,
        sha256: (0..32u8)
            .map(|i| format!("{:02x}", i.wrapping_mul(37).wrapping_add(seed)))
            .collect(),
    }
}

/// An approved application, resubmitted once after 补正.
pub fn receipt() -> Receipt {
    Receipt {
        company_name: COMPANY.to_owned(),
        credit_code: CREDIT_CODE.to_owned(),
        application_id: "APP-2022-0506-7F3A91C2".to_owned(),
        round: 2,
        state: "已批准".to_owned(),
        certificate_no: Some("沪浦复工〔2022〕第 0317 号".to_owned()),
        submitted_at: "2022-05-06 16:42".to_owned(),
        package_sha256: PACKAGE_SHA256.to_owned(),
        selfcheck: selfcheck(),
        materials: vec![
            material("企业复工复产申请信息表", "申请信息表（盖章）.pdf", 1_284_301, 1),
            material("疫情防控承诺书", "承诺书（签字盖章）.pdf", 2_516_582, 2),
            material("返岗人员名单", "返岗人员名单.xlsx", 48_213, 3),
            material(
                "疫情防控和闭环管理方案",
                "Prevention_and_Closed-Loop_Management_Plan_v2_FINAL_20220505.pdf",
                734_002,
                4,
            ),
        ],
        steps: vec![
            ReceiptStep {
                state: "已提交".to_owned(),
                at: "2022-05-04 10:15".to_owned(),
                receipt_no: "PDXQ-FG-20220504-00088".to_owned(),
                note: None,
            },
            ReceiptStep {
                state: "退回补正".to_owned(),
                at: "2022-05-05 09:30".to_owned(),
                receipt_no: "PDXQ-BZ-20220505-00021".to_owned(),
                note: Some(
                    "承诺书缺少法定代表人签字；返岗人员名单中 3 人缺少核酸检测日期。请一并补正后重新提交。"
                        .to_owned(),
                ),
            },
            ReceiptStep {
                state: "已提交".to_owned(),
                at: "2022-05-06 16:42".to_owned(),
                receipt_no: RECEIPT_NO.to_owned(),
                note: Some("第 2 次提交（补正后重新提交）".to_owned()),
            },
            ReceiptStep {
                state: "已批准".to_owned(),
                at: "2022-05-07 11:05".to_owned(),
                receipt_no: "PDXQ-PZ-20220507-00045".to_owned(),
                note: Some("已纳入浦东新区第三批复工复产白名单".to_owned()),
            },
        ],
        date: "2022-05-07".to_owned(),
    }
}

/// Every user-text field of the application form looks like markup.
pub fn application_form_markup() -> ApplicationForm {
    let mut form = application_form(3);
    form.company_name = MARKUP.to_owned();
    form.address = "#strong[地址] $公式$ \\u{41}".to_owned();
    form.industry = "= 不是标题".to_owned();
    form.whitelist_batch = Some("*第三批*".to_owned());
    form.contacts[0].name = "[张三]".to_owned();
    form.staff[1].name = "#emph[李四]".to_owned();
    form.staff[1].department = "<label> @ref".to_owned();
    // Values longer than their columns, which must wrap inside their cells.
    form.staff[2].name = "Muhammad-Abdullah bin Ismail".to_owned();
    form.staff[2].department = "Quality_Assurance_and_Inspection".to_owned();
    form.staff[2].dormitory = "生活区 B 栋 12 层 1203 室（隔离期满后转入）".to_owned();
    form.staff[2].phone = "+86-021-58881234-8012".to_owned();
    form
}

pub fn commitment_letter_markup() -> CommitmentLetter {
    let mut letter = commitment_letter(3);
    letter.company_name = MARKUP.to_owned();
    letter.district = "#let x = 1".to_owned();
    letter.risk_area = "$防范区$".to_owned();
    letter.staff[1].name = "#emph[李四]".to_owned();
    letter
}

pub fn receipt_markup() -> Receipt {
    let mut receipt = receipt();
    receipt.company_name = MARKUP.to_owned();
    receipt.state = "*已批准*".to_owned();
    receipt.steps[0].note = Some("$需要$ #补充 [签字]".to_owned());
    receipt.materials[0].filename = "#image(\"/etc/passwd\").pdf".to_owned();
    receipt
}
