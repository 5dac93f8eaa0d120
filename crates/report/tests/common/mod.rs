//! Reports to render in tests and in the sample example.

#![allow(dead_code)]

use yiqifu_report::{ItemStatus, ReportItem, ReportSection, SelfCheckReport};

/// A company whose name has a rare character (䶮, CJK Extension A).
pub const COMPANY: &str = "上海䶮浦精密机械有限公司";

fn item(prompt: &str, answer: &str, status: ItemStatus, note: Option<&str>) -> ReportItem {
    ReportItem {
        prompt: prompt.to_owned(),
        answer: answer.to_owned(),
        status,
        note: note.map(str::to_owned),
    }
}

/// The industrial guideline's checklist, 45 items in 7 sections, with two failing items.
pub fn industrial() -> SelfCheckReport {
    use ItemStatus::{Fail, NotJudged, Pass};
    let sections: Vec<(&str, Vec<ReportItem>)> = vec![
        (
            "防控组织与方案",
            vec![
                item(
                    "是否成立由企业主要负责人牵头的疫情防控工作专班，并明确各岗位防控职责？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "是否制定“一企一案”疫情防控和闭环管理方案，并经企业负责人签字确认？",
                    "防疫方案（第二版）.pdf",
                    Pass,
                    None,
                ),
                item(
                    "是否制定复工复产应急处置预案，明确发现阳性人员后的报告、隔离和转运流程？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "是否确定防疫联络员并向属地街镇报备联系方式？",
                    "是",
                    Pass,
                    None,
                ),
                item("是否对全体返岗人员开展疫情防控知识培训？", "是", Pass, None),
                item(
                    "是否与属地街镇、园区签订疫情防控承诺书？",
                    "承诺书（盖章）.pdf",
                    Pass,
                    None,
                ),
            ],
        ),
        (
            "人员管理与健康监测",
            vec![
                item(
                    "是否建立返岗人员白名单，并逐人登记居住地、风险等级和健康状况？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "返岗人员是否均来自防范区，或已按要求完成隔离观察？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "是否每日对在岗人员开展体温检测和症状问询，并建立健康监测台账？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "是否落实“点对点”通勤或厂区内集中住宿等闭环管理措施？",
                    "点对点通勤",
                    Pass,
                    None,
                ),
                item(
                    "外来人员、车辆进入厂区是否查验核酸检测阴性证明并登记？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "员工宿舍每间入住人数是否符合要求？",
                    "每间不超过 4 人",
                    Pass,
                    None,
                ),
                item(
                    "是否为食堂实行错峰就餐、分餐制，并设置隔板？",
                    "是",
                    Pass,
                    None,
                ),
            ],
        ),
        (
            "核酸与抗原检测",
            vec![
                item(
                    "在岗人员是否按所在区域风险等级落实核酸检测频次？",
                    "每日一次",
                    Pass,
                    None,
                ),
                item(
                    "是否每日开展抗原自测，并在系统中上报结果？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "抗原检测结果异常时，是否立即隔离并报告属地？",
                    "是",
                    Pass,
                    None,
                ),
                item("是否安排专人负责检测组织和结果统计？", "是", Pass, None),
                item(
                    "近 7 天内在岗人员核酸检测是否全部为阴性？",
                    "是",
                    Pass,
                    None,
                ),
            ],
        ),
        (
            "场所分区与闭环管理",
            vec![
                item(
                    "是否对厂区实行封闭管理，只保留必要出入口？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "是否划分生活区、生产区和隔离区，并设置明显标识？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "是否设置临时隔离观察点，且位置相对独立、通风良好？",
                    "是",
                    Pass,
                    None,
                ),
                item("生产区与生活区之间是否实行人员单向流动？", "是", Pass, None),
                item(
                    "物流货物交接是否实行无接触交接，并对外包装消毒？",
                    "是",
                    Pass,
                    None,
                ),
                item("是否设置快递、外卖集中收取点？", "是", Pass, None),
                item(
                    "是否对外来车辆司乘人员实行“不下车”或指定区域活动管理？",
                    "是",
                    Pass,
                    None,
                ),
            ],
        ),
        (
            "防疫物资储备",
            vec![
                item(
                    "抗原检测试剂储备是否满足全体在岗人员不少于 14 天的使用量？",
                    "9 天",
                    Fail,
                    Some("需不少于 14 天，当前 9 天；按在岗 320 人计算，尚需补足约 1,600 人份"),
                ),
                item(
                    "医用外科口罩储备是否满足不少于 14 天的使用量？",
                    "21 天",
                    Pass,
                    None,
                ),
                item(
                    "消毒酒精、含氯消毒剂储备是否满足不少于 14 天的使用量？",
                    "14 天",
                    Pass,
                    None,
                ),
                item(
                    "红外体温计、额温枪是否按出入口数量配备并有备用？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "防护服、隔离衣储备是否满足隔离观察点使用？",
                    "否",
                    Fail,
                    Some("隔离观察点需配备防护服，当前未储备；补齐后可重新自查"),
                ),
                item(
                    "一次性手套储备是否满足不少于 14 天的使用量？",
                    "30 天",
                    Pass,
                    None,
                ),
                item("是否建立防疫物资出入库台账？", "是", Pass, None),
            ],
        ),
        (
            "消毒与通风",
            vec![
                item(
                    "是否每日对办公、生产、生活场所进行预防性消毒，并做好记录？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "电梯、门把手等高频接触部位是否每日消毒不少于 2 次？",
                    "每日 3 次",
                    Pass,
                    None,
                ),
                item(
                    "是否保持室内自然通风，或确保空调系统新风量满足要求？",
                    "是",
                    Pass,
                    None,
                ),
                item("卫生间、洗手池是否配备洗手液或手消毒剂？", "是", Pass, None),
                item("废弃口罩是否设置专用垃圾桶并定期清运？", "是", Pass, None),
                item(
                    "中央空调系统是否按要求清洗消毒？",
                    "未使用中央空调",
                    NotJudged,
                    None,
                ),
            ],
        ),
        (
            "应急处置",
            vec![
                item("是否开展过应急处置演练？", "是", Pass, None),
                item(
                    "是否明确发现异常情况后 2 小时内向属地报告的流程？",
                    "是",
                    Pass,
                    None,
                ),
                item(
                    "是否与定点医疗机构或社区卫生服务中心建立联系？",
                    "是",
                    Pass,
                    None,
                ),
                item("是否储备应急处置期间的生活保障物资？", "是", Pass, None),
                item(
                    "是否明确阳性病例出现后的停工、封控和复工流程？",
                    "是",
                    Pass,
                    None,
                ),
                item("是否保存各项防疫工作记录备查？", "是", Pass, None),
                item("企业是否有其他需要说明的防控情况？", "无", NotJudged, None),
            ],
        ),
    ];
    SelfCheckReport {
        company_name: COMPANY.to_owned(),
        credit_code: "91310115MA1K4C7P2E".to_owned(),
        address: "上海市浦东新区川沙路 5558 号 3 幢".to_owned(),
        facts: vec![yiqifu_report::ReportFact {
            label: "风险区域".to_owned(),
            value: "防范区".to_owned(),
        }],
        template_title: "工业企业复工复产疫情防控自查表（第二版）".to_owned(),
        template_id: "industrial-guideline".to_owned(),
        template_version: 2,
        date: "2022-05-06".to_owned(),
        passed: false,
        sections: sections
            .into_iter()
            .map(|(title, items)| ReportSection {
                title: title.to_owned(),
                items,
            })
            .collect(),
        answers_sha256: "3f9a1c0b7e6d5a4f3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918ab0cde"
            .to_owned(),
    }
}

/// The same report, passing: no failing items.
pub fn industrial_passed() -> SelfCheckReport {
    let mut report = industrial();
    report.passed = true;
    for section in &mut report.sections {
        for item in &mut section.items {
            if item.status == ItemStatus::Fail {
                item.status = ItemStatus::Pass;
                item.answer = "是".to_owned();
                item.note = None;
            }
        }
    }
    report
}

/// `n` items with long prompts in sections of 10.
pub fn long(n: usize) -> SelfCheckReport {
    let mut report = industrial();
    report.sections = (0..n.div_ceil(10))
        .map(|s| ReportSection {
            title: format!("第 {} 组检查项目", s + 1),
            items: (s * 10..((s + 1) * 10).min(n))
                .map(|i| ReportItem {
                    prompt: format!(
                        "第 {} 项：企业是否已按照《上海市工业企业复工复产疫情防控指引》的要求，落实人员管理、健康监测、场所消毒、物资储备和应急处置等各项防控措施，并将相关记录妥善保存以备属地街镇和行业主管部门检查？",
                        i + 1
                    ),
                    answer: "是".to_owned(),
                    status: if i % 7 == 3 { ItemStatus::Fail } else { ItemStatus::Pass },
                    note: (i % 7 == 3).then(|| format!("第 {} 项需补充记录", i + 1)),
                })
                .collect(),
        })
        .collect();
    report
}

/// Runs a poppler tool on a PDF. pdftotext and pdfinfo are part of the test set-up
/// (`poppler-utils`, which `cargo xtask test` installs): a missing tool fails the test.
pub fn poppler(tool: &str, pdf: &[u8], extra: &[&str]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "yiqifu-report-{}-{}",
        std::process::id(),
        std::thread::current()
            .name()
            .unwrap_or("main")
            .replace("::", "-")
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join(format!("{tool}.pdf"));
    std::fs::write(&input, pdf).expect("write pdf");
    let mut cmd = std::process::Command::new(tool);
    cmd.args(extra).arg(&input);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => panic!(
            "{tool} is needed by this test and could not run ({e}){}; install poppler-utils \
             (apt-get install -y poppler-utils, which cargo xtask test does)",
            if std::env::var("CI").as_deref() == Ok("true") {
                " on CI"
            } else {
                ""
            }
        ),
    };
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

/// User text full of typst markup, which must print as it is.
pub const MARKUP_COMPANY: &str = r#"#set page(width: 1cm) *粗体* _斜体_ $x^2$ [链接] \ 反斜杠 `raw` <label> @ref // 注释 /* 块 */ = 标题 - 列表 + 编号 ~ 'q' "qq" #{1+1}"#;

/// A report whose text looks like markup, with a long unbreakable file name and no address.
pub fn markup() -> SelfCheckReport {
    let mut report = industrial();
    report.company_name = MARKUP_COMPANY.to_owned();
    report.address = String::new();
    report.template_title = "#strong[自查表] $公式$ \\u{41}".to_owned();
    let first = &mut report.sections[0];
    first.title = "= 不是标题 #emph[不是强调] <不是标签>".to_owned();
    first.items[0].prompt =
        "#let x = 1 *这里* 不应加粗，#x 也不应是 1；反斜杠 \\ 与 \\n 原样".to_owned();
    first.items[0].answer =
        "Prevention_and_Closed-Loop_Management_Plan_v2_FINAL_signed_and_sealed_20220503.pdf"
            .to_owned();
    first.items[1].status = ItemStatus::Fail;
    first.items[1].note = Some("$需要$ #补充 [签字] *页*".to_owned());
    report
}
