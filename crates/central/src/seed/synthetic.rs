//! Synthetic policy documents for `--scale N`, shaped like real ones where a search engine
//! feels it: body lengths (log-normal, median about 3,000 characters, clamped to
//! 600..=15,000), word frequencies (each document is about one main topic and a few others,
//! topics and the words inside them drawn Zipf-like, so 复工 is in about half the documents
//! and a rare word in a handful), clause headings that key conditions cite, and the
//! metadata the library filters on. The vocabulary is our own.
//!
//! Document `i` depends on `i` alone (its own seeded generator), so the same `N` always
//! gives the same documents and a larger `N` extends a smaller one.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::macros::date;
use time::{Date, Duration};
use yiqifu_protocol::{Document, DocumentKind, KeyCondition, PolicyLevel, DISTRICTS};

const SEED: u64 = 0x5ca1_e202_2051_3000;
/// The log-normal's median; a little above 3,000 because a body stops at the last whole
/// sentence that fits its drawn length.
const MEDIAN_CHARS: f64 = 3_050.0;
/// Puts about 5% of bodies above 8,000 characters and under 1% at the 15,000 cap.
const SIGMA: f64 = 0.6;
pub const MIN_BODY_CHARS: usize = 600;
pub const MAX_BODY_CHARS: usize = 15_000;

/// A subject of the documents: its tag, the phrases titles are made of, and its words,
/// most common first.
struct Topic {
    tag: &'static str,
    titles: &'static [&'static str],
    words: &'static [&'static str],
}

/// Most common first: the first is the main topic of about a third of the documents.
const TOPICS: [Topic; 11] = [
    Topic {
        tag: "复工复产",
        titles: &[
            "复工复产",
            "企业复工复产",
            "有序复工复产",
            "复工复产白名单企业管理",
            "重点企业复工复产",
            "工业企业复工复产",
        ],
        words: &[
            "复工",
            "复产",
            "复工复产",
            "返岗",
            "白名单",
            "返岗人员",
            "复工申请",
            "生产经营",
            "重点企业",
            "产业链",
            "供应链",
            "复工方案",
            "上下游",
            "配套企业",
            "产能恢复",
            "达产",
            "开工率",
            "复工备案",
            "一企一策",
            "包保",
            "驻企联络员",
            "点对点",
            "复市",
            "协调机制",
        ],
    },
    Topic {
        tag: "疫情防控",
        titles: &[
            "疫情防控",
            "常态化疫情防控",
            "核酸检测",
            "环境消杀",
            "闭环管理",
            "防疫物资储备",
        ],
        words: &[
            "防疫",
            "核酸",
            "核酸检测",
            "消杀",
            "闭环",
            "闭环管理",
            "抗原检测",
            "测温",
            "健康监测",
            "疫情防控",
            "隔离",
            "口罩",
            "防护服",
            "分区管理",
            "应急预案",
            "防疫物资",
            "环境消杀",
            "通风",
            "密切接触者",
            "应急处置",
            "场所码",
            "风险岗位",
            "阳性人员",
            "健康码",
        ],
    },
    Topic {
        tag: "稳岗就业",
        titles: &[
            "稳岗补贴",
            "稳岗就业",
            "一次性留工补助",
            "职业技能培训补贴",
            "员工宿舍管理",
            "社会保险费缓缴",
        ],
        words: &[
            "员工",
            "稳岗",
            "补贴",
            "社保",
            "宿舍",
            "稳岗补贴",
            "缓缴",
            "职工",
            "社会保险费",
            "员工宿舍",
            "失业保险",
            "一次性留工补助",
            "培训补贴",
            "劳动合同",
            "工资",
            "招聘",
            "吸纳就业",
            "以工代训",
            "高校毕业生",
            "用工",
            "岗位",
            "灵活就业",
        ],
    },
    Topic {
        tag: "减税降费",
        titles: &[
            "增值税留抵退税",
            "减税降费",
            "留抵退税",
            "房产税和城镇土地使用税减免",
            "延期申报纳税",
        ],
        words: &[
            "留抵退税",
            "纳税人",
            "减免",
            "退税",
            "增值税",
            "缓缴",
            "税务机关",
            "减税降费",
            "所得税",
            "申报期",
            "免征",
            "发票",
            "延期申报",
            "六税两费",
            "增量留抵",
            "存量留抵",
            "小规模纳税人",
            "滞纳金",
            "房产税",
            "城镇土地使用税",
        ],
    },
    Topic {
        tag: "申请受理",
        titles: &[
            "申请受理",
            "政务服务",
            "补贴资金申报",
            "容缺受理",
            "免申即享",
        ],
        words: &[
            "申报",
            "审核",
            "受理",
            "补正",
            "办结",
            "备案",
            "一网通办",
            "容缺受理",
            "材料清单",
            "告知承诺",
            "现场核查",
            "审批",
            "公示",
            "核定",
            "资金拨付",
            "免申即享",
            "不予受理",
            "一次性告知",
            "办理时限",
        ],
    },
    Topic {
        tag: "物流保通",
        titles: &[
            "物流保通保畅",
            "重点物资运输车辆通行证",
            "货车司机服务保障",
            "物流枢纽运行",
        ],
        words: &[
            "物流",
            "通行证",
            "货车",
            "司机",
            "保通保畅",
            "货车司机",
            "重点物资",
            "运输",
            "中转站",
            "仓储",
            "快递",
            "配送",
            "集装箱",
            "道路运输",
            "跨省",
            "通行",
            "装卸",
            "车辆",
            "港口",
        ],
    },
    Topic {
        tag: "融资支持",
        titles: &[
            "融资支持",
            "贷款贴息",
            "融资担保",
            "普惠金融服务",
            "延期还本付息",
        ],
        words: &[
            "贷款",
            "融资",
            "贴息",
            "担保",
            "续贷",
            "银行",
            "信贷",
            "融资担保",
            "延期还本付息",
            "无还本续贷",
            "普惠金融",
            "利率",
            "授信",
            "应急贷款",
            "再贷款",
        ],
    },
    Topic {
        tag: "房租减免",
        titles: &["房屋租金减免", "租金减免", "国有房屋租金减免"],
        words: &[
            "房租",
            "租金",
            "减免",
            "承租人",
            "国有房屋",
            "租金减免",
            "出租人",
            "免收",
            "减半收取",
            "租赁合同",
            "商务楼宇",
            "园区",
            "物业",
        ],
    },
    Topic {
        tag: "商贸保供",
        titles: &["生活物资保供", "商贸流通", "餐饮业恢复", "商超门店复市"],
        words: &[
            "保供",
            "商超",
            "电商",
            "门店",
            "生活物资",
            "餐饮",
            "堂食",
            "外卖",
            "农贸市场",
            "商户",
            "消费券",
            "营业",
            "直播",
        ],
    },
    Topic {
        tag: "工程建设",
        titles: &["建设工程复工", "在建工程项目", "建筑工地疫情防控"],
        words: &[
            "工地",
            "施工",
            "建设工程",
            "项目",
            "工程款",
            "农民工",
            "开工",
            "工期",
            "顺延",
            "建筑企业",
            "监理",
        ],
    },
    Topic {
        tag: "科技创新",
        titles: &["科技型中小企业", "专精特新企业", "研发费用加计扣除"],
        words: &[
            "研发",
            "创新",
            "科技型中小企业",
            "专精特新",
            "数字化",
            "孵化器",
            "技术改造",
            "知识产权",
            "首台套",
            "加计扣除",
        ],
    },
];

/// Who does things in the documents, most common first.
const SUBJECTS: &[&str] = &[
    "企业",
    "各区",
    "用人单位",
    "区经济主管部门",
    "属地街镇",
    "行业主管部门",
    "市场主体",
    "申请企业",
    "各相关部门",
    "园区管理机构",
    "税务部门",
    "人力资源社会保障部门",
    "金融机构",
    "物业服务企业",
    "中小微企业",
    "个体工商户",
    "居村委",
    "市级部门",
];

const MODALS: &[&str] = &[
    "应当",
    "须",
    "可",
    "要",
    "应",
    "原则上",
    "可以",
    "及时",
    "按规定",
    "一律",
];

const VERBS: &[&str] = &[
    "落实", "做好", "加强", "开展", "组织", "执行", "建立", "完善", "实施", "提交", "办理", "核查",
    "报送", "保障", "推进", "统筹", "指导", "优化", "简化", "强化", "监督", "督促", "配合", "明确",
    "细化", "核实", "登记", "认定", "评估", "通报", "发放", "兑现", "对接", "跟踪", "压实",
];

/// Nouns every topic uses, most common first.
const NOUNS: &[&str] = &[
    "工作",
    "措施",
    "材料",
    "情况",
    "资金",
    "政策",
    "名单",
    "方案",
    "责任",
    "要求",
    "标准",
    "机制",
    "信息",
    "条件",
    "范围",
    "对象",
    "期限",
    "程序",
    "台账",
    "清单",
    "制度",
    "流程",
    "事项",
    "数据",
    "平台",
    "系统",
    "记录",
    "报告",
    "证明",
    "凭证",
    "费用",
    "额度",
    "比例",
    "渠道",
    "窗口",
    "热线",
    "档案",
    "指标",
    "职责",
    "部署",
    "举措",
    "服务",
    "监管",
    "安全",
    "秩序",
    "环节",
    "领域",
    "行业",
    "区域",
    "场所",
    "人员",
    "计划",
    "安排",
    "进度",
    "成效",
    "问题",
    "风险",
    "隐患",
    "工作专班",
    "联系人",
    "负责人",
    "法定代表人",
    "承诺书",
    "申请表",
    "营业执照",
    "统一社会信用代码",
    "银行账户",
    "联系方式",
    "公章",
    "附件",
    "汇总表",
    "周报",
    "月报",
    "季度",
    "年度",
    "底数",
    "预案",
    "培训",
    "宣传",
    "解读",
    "咨询",
    "投诉",
    "举报",
    "考核",
    "督查",
    "整改",
    "闭环处置",
    "应急演练",
];

/// Words outside the topics, each in few documents.
const RARE: &[&str] = &[
    "冷链",
    "进口冷链食品",
    "集中隔离点",
    "方舱",
    "滞留人员",
    "航运",
    "机场",
    "口岸",
    "综合保税区",
    "跨境电商",
    "外贸订单",
    "会展",
    "文旅",
    "旅游",
    "演出场所",
    "电影院",
    "体育场馆",
    "托育机构",
    "养老机构",
    "医疗机构",
    "零售药店",
    "互联网医院",
    "种业",
    "菜篮子",
    "蔬菜基地",
    "生猪",
    "粮油",
    "危险化学品",
    "集成电路",
    "生物医药",
    "新能源汽车",
    "人工智能",
    "芯片",
    "民用航空",
    "船舶修造",
    "钢铁",
    "石化",
    "纺织服装",
    "家政服务",
    "网约车",
    "出租汽车",
    "城市轨道交通",
    "学校食堂",
    "校外培训",
    "宗教场所",
    "殡葬服务",
    "垃圾清运",
    "污水处理",
    "燃气供应",
    "电力保障",
    "通信基站",
    "数据中心",
    "无人机",
    "氢能",
    "光伏",
    "储能",
    "碳排放",
    "长江口",
    "洋山港",
    "临港新片区",
];

const INDUSTRIES: [&str; 8] = [
    "制造业",
    "批发和零售业",
    "交通运输、仓储和邮政业",
    "信息传输、软件和信息技术服务业",
    "住宿和餐饮业",
    "租赁和商务服务业",
    "科学研究和技术服务业",
    "建筑业",
];
const ALL_INDUSTRIES: &str = "全行业";

/// National issuers and the prefix of their document numbers.
const NATIONAL: &[(&str, &str)] = &[
    ("国务院办公厅", "国办发"),
    ("国家发展改革委", "发改运行"),
    ("工业和信息化部", "工信部运行"),
    ("财政部 国家税务总局", "财税"),
    ("国家税务总局", "税总征科发"),
    ("人力资源社会保障部", "人社部发"),
    ("交通运输部", "交运明电"),
    ("商务部", "商办流通函"),
    ("国家卫生健康委", "国卫办疾控函"),
    ("中国人民银行", "银发"),
    (
        "国务院应对新型冠状病毒肺炎疫情联防联控机制综合组",
        "联防联控机制综发",
    ),
    ("市场监管总局", "国市监注发"),
    ("住房和城乡建设部", "建办质函"),
];

const MUNICIPAL: &[(&str, &str)] = &[
    ("上海市人民政府办公厅", "沪府办规"),
    ("上海市经济和信息化委员会", "沪经信规"),
    ("上海市经济和信息化委员会", "沪经信运"),
    ("上海市商务委员会", "沪商规"),
    ("上海市人力资源和社会保障局", "沪人社规"),
    ("上海市财政局", "沪财发"),
    ("国家税务总局上海市税务局", "沪税发"),
    ("上海市交通委员会", "沪交运"),
    ("上海市卫生健康委员会", "沪卫疾控"),
    ("上海市住房和城乡建设管理委员会", "沪建安质监"),
    ("上海市地方金融监督管理局", "沪金监"),
    ("上海市市场监督管理局", "沪市监注"),
    ("上海市科学技术委员会", "沪科规"),
    ("上海市发展和改革委员会", "沪发改"),
];

/// District offices and the part of the document number after the district's initial.
const DISTRICT_OFFICES: &[(&str, &str)] = &[
    ("人民政府", "府发"),
    ("人民政府办公室", "府办"),
    ("人民政府", "府规"),
    ("经济委员会", "经委"),
    ("商务委员会", "商务"),
    ("人力资源和社会保障局", "人社"),
    ("卫生健康委员会", "卫健"),
    ("财政局", "财"),
    ("发展和改革委员会", "发改"),
    ("科学技术委员会", "科委"),
    ("建设和管理委员会", "建管"),
];

/// Zipf-like weights (1 / rank^s) over a list, drawn by binary search on the running sums.
struct Zipf {
    cum: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cum = (1..=n)
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(s);
                total
            })
            .collect();
        Self { cum }
    }

    fn draw(&self, rng: &mut StdRng) -> usize {
        let total = self.cum.last().copied().unwrap_or(0.0);
        let x = rng.gen::<f64>() * total;
        self.cum
            .partition_point(|&c| c <= x)
            .min(self.cum.len().saturating_sub(1))
    }
}

struct Pool {
    words: &'static [&'static str],
    zipf: Zipf,
}

impl Pool {
    fn new(words: &'static [&'static str], s: f64) -> Self {
        Self {
            words,
            zipf: Zipf::new(words.len(), s),
        }
    }

    fn pick(&self, rng: &mut StdRng) -> &'static str {
        self.words[self.zipf.draw(rng)]
    }
}

/// The weighted lists, built once per batch of documents.
pub struct Vocabulary {
    topics: Zipf,
    /// Flatter than `topics`: a document about anything may touch on any other subject.
    side_topics: Zipf,
    topic_words: Vec<Pool>,
    subjects: Pool,
    modals: Pool,
    verbs: Pool,
    nouns: Pool,
    rare: Pool,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Self {
            topics: Zipf::new(TOPICS.len(), 1.0),
            side_topics: Zipf::new(TOPICS.len(), 0.5),
            topic_words: TOPICS.iter().map(|t| Pool::new(t.words, 0.8)).collect(),
            subjects: Pool::new(SUBJECTS, 1.0),
            modals: Pool::new(MODALS, 0.8),
            verbs: Pool::new(VERBS, 0.9),
            nouns: Pool::new(NOUNS, 0.9),
            rare: Pool::new(RARE, 0.8),
        }
    }
}

/// `n` documents, made one at a time (20,000 of them are hundreds of megabytes).
pub fn documents(n: usize) -> impl Iterator<Item = Document> {
    let vocabulary = Vocabulary::default();
    (0..n).map(move |i| document(&vocabulary, i))
}

/// The clause headings of a body: 一、二、… (with （一）（二） items) or 第一条、第二条.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Sections,
    Articles,
}

fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n > 10 { DIGITS[n % 10] } else { "" }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

fn heading(style: Style, k: usize) -> String {
    match style {
        Style::Sections => format!("{}、", numeral(k)),
        Style::Articles => format!("第{}条", numeral(k)),
    }
}

fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn chinese_date(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// What one document is about, and where it comes from.
struct Plan {
    main: usize,
    others: Vec<usize>,
    level: PolicyLevel,
    district: Option<&'static str>,
    issuer: String,
    number_prefix: String,
    place: &'static str,
    published: Date,
    effective: Date,
    expires: Option<Date>,
}

/// Makes the text of one document with the vocabulary.
struct Writer<'a> {
    v: &'a Vocabulary,
    rng: StdRng,
    main: usize,
    others: Vec<usize>,
}

impl Writer<'_> {
    /// A content word: the main topic's about a third of the time, sometimes another
    /// topic's, mostly the nouns every document uses, and now and then a rare word.
    fn term(&mut self) -> &'static str {
        let r: f64 = self.rng.gen();
        if r < 0.30 || (r < 0.45 && self.others.is_empty()) {
            self.v.topic_words[self.main].pick(&mut self.rng)
        } else if r < 0.45 {
            let t = self.others[self.rng.gen_range(0..self.others.len())];
            self.v.topic_words[t].pick(&mut self.rng)
        } else if r < 0.996 {
            self.v.nouns.pick(&mut self.rng)
        } else {
            self.v.rare.pick(&mut self.rng)
        }
    }

    /// Two different content words (a list of the same word twice reads as a mistake).
    fn two_terms(&mut self) -> (&'static str, &'static str) {
        let a = self.term();
        let mut b = self.term();
        for _ in 0..3 {
            if b != a {
                break;
            }
            b = self.term();
        }
        (a, b)
    }

    fn number(&mut self) -> String {
        let rng = &mut self.rng;
        match rng.gen_range(0..6) {
            0 => format!("在{}个工作日内", rng.gen_range(1..=15)),
            1 => format!("{}小时内", [24, 48, 72][rng.gen_range(0..3)]),
            2 => format!(
                "最高不超过{}万元",
                [5, 10, 20, 30, 50, 100, 200, 500][rng.gen_range(0..8)]
            ),
            3 => format!(
                "按每人{}元",
                [200, 300, 500, 600, 1000, 1500][rng.gen_range(0..6)]
            ),
            4 => format!(
                "按{}%的比例",
                [30, 50, 60, 75, 90, 100][rng.gen_range(0..6)]
            ),
            _ => format!(
                "自{}年{}月{}日起",
                rng.gen_range(2022..=2026),
                rng.gen_range(1..=12),
                rng.gen_range(1..=28)
            ),
        }
    }

    fn phrase(&mut self) -> String {
        let v = self.v;
        match self.rng.gen_range(0..10) {
            0 | 1 => {
                let (s, m, vb) = (
                    v.subjects.pick(&mut self.rng),
                    v.modals.pick(&mut self.rng),
                    v.verbs.pick(&mut self.rng),
                );
                format!("{s}{m}{vb}{}", self.term())
            }
            2 => {
                let vb = v.verbs.pick(&mut self.rng);
                let (a, b) = self.two_terms();
                format!("{vb}{a}和{b}")
            }
            3 => {
                let n = self.number();
                let vb = v.verbs.pick(&mut self.rng);
                format!("{n}{vb}{}", self.term())
            }
            4 => {
                let s = v.subjects.pick(&mut self.rng);
                format!("对符合{}条件的{s}", self.term())
            }
            5 => {
                let vb = v.verbs.pick(&mut self.rng);
                let (a, b) = (self.term(), v.nouns.pick(&mut self.rng));
                format!("{vb}{a}{b}")
            }
            6 => {
                let a = self.term();
                let n = self.number();
                format!("给予{a}{n}")
            }
            7 => {
                let s = v.subjects.pick(&mut self.rng);
                let vb = v.verbs.pick(&mut self.rng);
                format!("由{s}{vb}{}", self.term())
            }
            8 => {
                let (a, b) = self.two_terms();
                let n = v.nouns.pick(&mut self.rng);
                format!("{a}、{b}等{n}")
            }
            _ => {
                let s = v.subjects.pick(&mut self.rng);
                let m = v.modals.pick(&mut self.rng);
                let vb = v.verbs.pick(&mut self.rng);
                let n = v.nouns.pick(&mut self.rng);
                format!("{s}{m}{vb}{}{n}", self.term())
            }
        }
    }

    fn sentence(&mut self) -> String {
        let parts = self.rng.gen_range(2..=4);
        let mut s = String::new();
        for i in 0..parts {
            if i > 0 {
                s.push('，');
            }
            s.push_str(&self.phrase());
        }
        s.push('。');
        s
    }

    fn title_phrase(&mut self) -> &'static str {
        let titles = TOPICS[self.main].titles;
        titles[self.rng.gen_range(0..titles.len())]
    }

    fn title(&mut self, kind: DocumentKind, place: &str) -> String {
        for _ in 0..8 {
            let p = self.title_phrase();
            let rng = &mut self.rng;
            let t = if kind == DocumentKind::Guidance {
                match rng.gen_range(0..3) {
                    0 => format!(
                        "{place}{p}工作指引（第{}版）",
                        numeral(rng.gen_range(1..=5))
                    ),
                    1 => format!(
                        "{}企业{p}防控指南",
                        INDUSTRIES[rng.gen_range(0..INDUSTRIES.len())]
                    ),
                    _ => format!("{place}{p}操作规范"),
                }
            } else {
                let doc = ["通知", "意见", "实施细则", "若干措施", "办法"][rng.gen_range(0..5)];
                let act =
                    ["做好", "推进", "支持", "规范", "加强", "落实", "优化"][rng.gen_range(0..7)];
                let adv = ["进一步", "切实", "全力", "加快", ""][rng.gen_range(0..5)];
                let rule = ["实施细则", "操作指引", "工作方案", "管理办法", "实施办法"]
                    [rng.gen_range(0..5)];
                match rng.gen_range(0..5) {
                    0 => format!("{place}关于{adv}{act}{p}工作的{doc}"),
                    1 => format!(
                        "{place}{p}{rule}{}",
                        if rng.gen_bool(0.3) {
                            "（试行）"
                        } else {
                            ""
                        }
                    ),
                    2 => format!("{place}关于{act}{p}的若干措施"),
                    3 => format!("{place}支持中小微企业{p}的{doc}"),
                    _ => format!("关于印发《{place}{p}{rule}》的通知"),
                }
            };
            if (12..=40).contains(&chars(&t)) {
                return t;
            }
        }
        format!("关于做好{}工作的通知", TOPICS[self.main].tag)
    }
}

fn plan(v: &Vocabulary, rng: &mut StdRng) -> Plan {
    let main = v.topics.draw(rng);
    let mut others = Vec::new();
    for _ in 0..rng.gen_range(1..=3) {
        let t = v.side_topics.draw(rng);
        if t != main && !others.contains(&t) {
            others.push(t);
        }
    }
    let (level, district, issuer, number_prefix, place) = match rng.gen_range(0..100) {
        0..=14 => {
            let (who, prefix) = NATIONAL[rng.gen_range(0..NATIONAL.len())];
            (
                PolicyLevel::National,
                None,
                who.to_string(),
                prefix.to_string(),
                "",
            )
        }
        15..=44 => {
            let (who, prefix) = MUNICIPAL[rng.gen_range(0..MUNICIPAL.len())];
            let place = if rng.gen_bool(0.5) {
                "上海市"
            } else {
                "本市"
            };
            (
                PolicyLevel::Municipal,
                None,
                who.to_string(),
                prefix.to_string(),
                place,
            )
        }
        _ => {
            let d = DISTRICTS[rng.gen_range(0..DISTRICTS.len())];
            let (office, prefix) = DISTRICT_OFFICES[rng.gen_range(0..DISTRICT_OFFICES.len())];
            let initial: String = d.chars().take(1).collect();
            (
                PolicyLevel::District,
                Some(d),
                format!("{d}{office}"),
                format!("{initial}{prefix}"),
                d,
            )
        }
    };
    // Most were written in the spring of 2022; the rest keep coming up to now.
    let year = match rng.gen_range(0..100) {
        0..=49 => 2022,
        50..=69 => 2023,
        70..=81 => 2024,
        82..=91 => 2025,
        _ => 2026,
    };
    let last_day = if year == 2026 { 334 } else { 365 };
    let published =
        Date::from_ordinal_date(year, rng.gen_range(1..=last_day)).unwrap_or(date!(2022 - 04 - 20));
    let effective = published + Duration::days(rng.gen_range(0..=10));
    let expires = if rng.gen_bool(0.3) {
        None
    } else {
        let days = [30, 60, 90, 180, 365, 730, 1095][rng.gen_range(0..7)];
        Some(effective + Duration::days(days))
    };
    Plan {
        main,
        others,
        level,
        district,
        issuer,
        number_prefix,
        place,
        published,
        effective,
        expires,
    }
}

/// A body of about `target` characters, never more; and the headings of its clauses
/// with the first sentence of each (what a key condition quotes).
fn body(
    w: &mut Writer,
    style: Style,
    closing: &str,
    target: usize,
) -> (String, Vec<(String, String)>) {
    let mut out = String::new();
    let mut used = 0;
    let mut clauses: Vec<(String, String)> = Vec::new();
    let budget = target.saturating_sub(chars(closing) + 8);
    if style == Style::Sections {
        let verb = w.v.verbs.pick(&mut w.rng);
        let p = w.title_phrase();
        let s = w.phrase();
        let intro = format!("为{verb}{p}，{s}，现就有关事项通知如下：\n\n");
        used += chars(&intro);
        out.push_str(&intro);
    }
    'clauses: loop {
        let head = heading(style, clauses.len() + 1);
        let sentences: usize = w.rng.gen_range(3..=14);
        let mut first = None;
        let mut items = 0;
        for j in 0..sentences {
            let mut piece = String::new();
            if j == 0 {
                piece.push_str(&head);
                if style == Style::Articles {
                    piece.push(' ');
                }
            }
            // Longer sections come as numbered items, each a paragraph.
            if style == Style::Sections && j > 0 && j.is_multiple_of(4) {
                items += 1;
                piece.push_str(&format!("\n\n（{}）", numeral(items)));
            }
            let s = w.sentence();
            piece.push_str(&s);
            let n = chars(&piece);
            // A short body still gets its minimum: the target was clamped to it, and one
            // sentence more does not break the cap.
            if used + n > budget && used + chars(closing) >= MIN_BODY_CHARS {
                if let Some(f) = first {
                    clauses.push((head, f));
                    out.push_str("\n\n");
                }
                break 'clauses;
            }
            used += n;
            out.push_str(&piece);
            if first.is_none() {
                first = Some(s);
            }
        }
        out.push_str("\n\n");
        used += 2;
        if let Some(f) = first {
            clauses.push((head, f));
        }
    }
    // The closing clause follows the last one written, whatever the budget cut.
    out.push_str(&heading(style, clauses.len() + 1));
    if style == Style::Articles {
        out.push(' ');
    }
    out.push_str(closing);
    (out, clauses)
}

/// Synthetic document `i`: the same for every run and every `N` above `i`.
pub fn document(v: &Vocabulary, i: usize) -> Document {
    let mut rng = StdRng::seed_from_u64(SEED ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let p = plan(v, &mut rng);
    let kind = if rng.gen_bool(0.08) {
        DocumentKind::Guidance
    } else {
        DocumentKind::Policy
    };
    let style = if rng.gen_bool(0.6) {
        Style::Sections
    } else {
        Style::Articles
    };
    // Log-normal by Box–Muller: real documents run from a page to a few dozen.
    let (u1, u2): (f64, f64) = (1.0 - rng.gen::<f64>(), rng.gen());
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    let target = (MEDIAN_CHARS.ln() + SIGMA * z)
        .exp()
        .clamp(MIN_BODY_CHARS as f64, MAX_BODY_CHARS as f64) as usize;
    let number = (kind == DocumentKind::Policy || rng.gen_bool(0.4)) && rng.gen_bool(0.95);
    let doc_number = number.then(|| {
        format!(
            "{}〔{}〕{}号",
            p.number_prefix,
            p.published.year(),
            rng.gen_range(1..=300)
        )
    });
    let what = if kind == DocumentKind::Guidance {
        "指引"
    } else {
        "通知"
    };
    let closing = match p.expires {
        Some(end) => format!(
            "本{what}自{}起施行，有效期至{}。",
            chinese_date(p.effective),
            chinese_date(end)
        ),
        None => format!("本{what}自{}起施行。", chinese_date(p.effective)),
    };
    let industries = if rng.gen_bool(0.45) {
        vec![ALL_INDUSTRIES.to_string()]
    } else {
        let mut picked: Vec<String> = Vec::new();
        for _ in 0..rng.gen_range(1..=3) {
            let ind = INDUSTRIES[rng.gen_range(0..INDUSTRIES.len())];
            if !picked.iter().any(|x| x == ind) {
                picked.push(ind.to_string());
            }
        }
        picked
    };
    let mut tags = vec![TOPICS[p.main].tag.to_string()];
    for &t in p.others.iter().take(rng.gen_range(1..=3)) {
        tags.push(TOPICS[t].tag.to_string());
    }
    let mut w = Writer {
        v,
        rng,
        main: p.main,
        others: p.others,
    };
    let title = w.title(kind, p.place);
    let (body, clauses) = body(&mut w, style, &closing, target);
    let mut key_conditions = Vec::new();
    if !clauses.is_empty() {
        let wanted = w.rng.gen_range(1..=6).min(clauses.len());
        // Spread over the document, in clause order, like a reader's checklist.
        let step = clauses.len() as f64 / wanted as f64;
        for c in 0..wanted {
            let (head, first) = &clauses[(c as f64 * step) as usize];
            let text: String = first.trim_end_matches('。').chars().take(60).collect();
            key_conditions.push(KeyCondition {
                id: format!("c{}", c + 1),
                clause: head.clone(),
                text,
            });
        }
    }
    let summary = match clauses.first() {
        Some((_, first)) => first.chars().take(80).collect(),
        None => format!("就{}作出规定。", TOPICS[w.main].tag),
    };
    Document {
        id: format!("syn-{i:06}"),
        kind,
        title,
        level: p.level,
        district: p.district.map(str::to_string),
        issuer: p.issuer,
        doc_number,
        published_on: ymd(p.published),
        effective_on: ymd(p.effective),
        expires_on: p.expires.map(ymd),
        industries,
        tags,
        summary,
        body,
        key_conditions,
        supersedes: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(docs: &[Document], word: &str) -> f64 {
        let n = docs
            .iter()
            .filter(|d| d.title.contains(word) || d.body.contains(word))
            .count();
        n as f64 / docs.len() as f64
    }

    #[test]
    fn clause_numbers_are_written_as_in_documents() {
        let written: Vec<String> = [1, 10, 11, 20, 23].into_iter().map(numeral).collect();
        assert_eq!(written, ["一", "十", "十一", "二十", "二十三"]);
        assert_eq!(heading(Style::Articles, 13), "第十三条");
    }

    #[test]
    fn bodies_run_like_real_policy_documents() {
        let docs: Vec<Document> = documents(2_000).collect();
        let mut lengths: Vec<usize> = docs.iter().map(|d| chars(&d.body)).collect();
        lengths.sort_unstable();
        let median = lengths[lengths.len() / 2];
        assert!((2_500..=3_500).contains(&median), "median {median}");
        let max = lengths.last().copied().unwrap_or(0);
        assert!(max <= MAX_BODY_CHARS, "max {max}");
        assert!(lengths[0] >= MIN_BODY_CHARS, "min {}", lengths[0]);
        let long = lengths.iter().filter(|&&l| l > 8_000).count();
        assert!(long >= 10, "{long} bodies over 8,000 characters");
    }

    #[test]
    fn the_same_n_gives_the_same_documents_and_a_larger_n_extends_it() {
        let a: Vec<Document> = documents(60).collect();
        let b: Vec<Document> = documents(60).collect();
        let c: Vec<Document> = documents(90).collect();
        assert_eq!(a, b);
        assert_eq!(a[..], c[..60]);
        let mut ids: Vec<&str> = c.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), c.len());
    }

    #[test]
    fn common_words_are_in_a_realistic_share_and_rare_ones_in_few() {
        let docs: Vec<Document> = documents(2_000).collect();
        let fugong = share(&docs, "复工");
        assert!((0.30..=0.70).contains(&fugong), "复工 in {fugong:.2}");
        for word in ["核酸", "补贴", "消杀"] {
            let s = share(&docs, word);
            assert!((0.10..=0.80).contains(&s), "{word} in {s:.2}");
        }
        let rare = share(&docs, "临港新片区");
        assert!(rare > 0.0 && rare < 0.05, "临港新片区 in {rare:.3}");
    }

    #[test]
    fn key_conditions_cite_clauses_of_their_own_body() {
        for d in documents(500) {
            assert!(
                (1..=6).contains(&d.key_conditions.len()),
                "{}: {} key conditions",
                d.id,
                d.key_conditions.len()
            );
            for c in &d.key_conditions {
                assert!(d.body.contains(&c.clause), "{} cites {}", d.id, c.clause);
                assert!(d.body.contains(&c.text), "{}: {}", d.id, c.text);
            }
        }
    }

    #[test]
    fn metadata_is_what_the_library_filters_on() {
        let docs: Vec<Document> = documents(1_000).collect();
        for d in &docs {
            let n = chars(&d.title);
            assert!((12..=40).contains(&n), "{}: {} ({n})", d.id, d.title);
            assert_eq!(
                d.level == PolicyLevel::District,
                d.district.is_some(),
                "{}",
                d.id
            );
            assert!(d.effective_on >= d.published_on);
            if let Some(e) = &d.expires_on {
                assert!(e > &d.effective_on);
            }
            assert!(!d.industries.is_empty() && !d.tags.is_empty());
        }
        let expired = docs
            .iter()
            .filter(|d| d.expires_on.as_deref().is_some_and(|e| e < "2026-12-01"))
            .count();
        let open = docs.iter().filter(|d| d.expires_on.is_none()).count();
        assert!(
            expired > 100 && open > 100,
            "{expired} expired, {open} open-ended"
        );
        for district in DISTRICTS {
            assert!(docs.iter().any(|d| d.district.as_deref() == Some(district)));
        }
        for level in [PolicyLevel::National, PolicyLevel::Municipal] {
            assert!(docs.iter().filter(|d| d.level == level).count() > 50);
        }
        assert!(docs.iter().any(|d| d
            .doc_number
            .as_deref()
            .is_some_and(|n| n.starts_with("沪经信规〔"))));
    }
}
