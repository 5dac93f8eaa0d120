//! The company profile (企业信息): what an officer tells the service about the site. The
//! self-check's conditions read it, and reviewers see it with each application.

use serde::{Deserialize, Serialize};
use specta::Type;
use utoipa::ToSchema;

use crate::records::DISTRICTS;

/// The risk level of the area the site is in, as the district publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Type)]
#[serde(rename_all = "snake_case")]
pub enum RiskArea {
    /// 封控区
    Sealed,
    /// 管控区
    Controlled,
    /// 防范区
    Precaution,
}

impl RiskArea {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sealed => "sealed",
            Self::Controlled => "controlled",
            Self::Precaution => "precaution",
        }
    }

    /// 封控区 / 管控区 / 防范区, as documents print it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Sealed => "封控区",
            Self::Controlled => "管控区",
            Self::Precaution => "防范区",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    /// 职务
    pub role: String,
    pub phone: String,
}

/// The company profile. Name and credit code come from the account and are not repeated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
#[serde(deny_unknown_fields)]
pub struct CompanyProfile {
    /// The site's address.
    pub address: String,
    /// One of [`DISTRICTS`].
    pub district: String,
    /// GB/T 4754-2017 section (门类), a letter A–T.
    pub industry_section: String,
    /// GB/T 4754-2017 division (大类), two digits within the section.
    pub industry_division: String,
    pub headcount: u32,
    /// Staff working on site during closed-loop production.
    pub on_site: u32,
    pub contacts: Vec<Contact>,
    pub risk_area: RiskArea,
    /// Whether staff live on site (dormitories).
    pub dormitories: bool,
    /// The 白名单 batch the enterprise was listed in, if any.
    pub whitelist_batch: Option<String>,
}

/// A profile as the service keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct StoredProfile {
    pub profile: CompanyProfile,
    /// RFC 3339
    pub updated_at: String,
}

/// One bad field of a profile: where, and a message for each language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Type)]
pub struct FieldProblem {
    /// The field's path, e.g. `headcount` or `contacts.0.phone`.
    pub field: String,
    pub zh: String,
    pub en: String,
}

/// GB/T 4754-2017 sections (门类): letter, Chinese name, English name, first and last division.
pub const INDUSTRY_SECTIONS: [(&str, &str, &str, u8, u8); 20] = [
    (
        "A",
        "农、林、牧、渔业",
        "Agriculture, forestry, animal husbandry and fishery",
        1,
        5,
    ),
    ("B", "采矿业", "Mining", 6, 12),
    ("C", "制造业", "Manufacturing", 13, 43),
    (
        "D",
        "电力、热力、燃气及水生产和供应业",
        "Electricity, heat, gas and water supply",
        44,
        46,
    ),
    ("E", "建筑业", "Construction", 47, 50),
    ("F", "批发和零售业", "Wholesale and retail trade", 51, 52),
    (
        "G",
        "交通运输、仓储和邮政业",
        "Transport, storage and postal services",
        53,
        60,
    ),
    ("H", "住宿和餐饮业", "Accommodation and catering", 61, 62),
    (
        "I",
        "信息传输、软件和信息技术服务业",
        "Information transmission, software and IT services",
        63,
        65,
    ),
    ("J", "金融业", "Finance", 66, 69),
    ("K", "房地产业", "Real estate", 70, 70),
    (
        "L",
        "租赁和商务服务业",
        "Leasing and business services",
        71,
        72,
    ),
    (
        "M",
        "科学研究和技术服务业",
        "Scientific research and technical services",
        73,
        75,
    ),
    (
        "N",
        "水利、环境和公共设施管理业",
        "Water, environment and public facilities management",
        76,
        79,
    ),
    (
        "O",
        "居民服务、修理和其他服务业",
        "Resident, repair and other services",
        80,
        82,
    ),
    ("P", "教育", "Education", 83, 83),
    ("Q", "卫生和社会工作", "Health and social work", 84, 85),
    (
        "R",
        "文化、体育和娱乐业",
        "Culture, sports and entertainment",
        86,
        90,
    ),
    (
        "S",
        "公共管理、社会保障和社会组织",
        "Public administration, social security and social organisations",
        91,
        96,
    ),
    ("T", "国际组织", "International organisations", 97, 97),
];

/// GB/T 4754-2017 divisions (大类): code, Chinese and English name, in order.
pub const INDUSTRY_DIVISIONS: [(&str, &str, &str); 97] = [
    ("01", "农业", "Agriculture"),
    ("02", "林业", "Forestry"),
    ("03", "畜牧业", "Animal husbandry"),
    ("04", "渔业", "Fishery"),
    (
        "05",
        "农、林、牧、渔专业及辅助性活动",
        "Support activities for agriculture, forestry, animal husbandry and fishery",
    ),
    ("06", "煤炭开采和洗选业", "Mining and washing of coal"),
    (
        "07",
        "石油和天然气开采业",
        "Extraction of petroleum and natural gas",
    ),
    (
        "08",
        "黑色金属矿采选业",
        "Mining and processing of ferrous metal ores",
    ),
    (
        "09",
        "有色金属矿采选业",
        "Mining and processing of non-ferrous metal ores",
    ),
    (
        "10",
        "非金属矿采选业",
        "Mining and processing of non-metallic minerals",
    ),
    (
        "11",
        "开采专业及辅助性活动",
        "Support activities for mining",
    ),
    ("12", "其他采矿业", "Other mining"),
    (
        "13",
        "农副食品加工业",
        "Processing of agricultural and sideline food products",
    ),
    ("14", "食品制造业", "Food manufacturing"),
    (
        "15",
        "酒、饮料和精制茶制造业",
        "Manufacture of liquor, beverages and refined tea",
    ),
    ("16", "烟草制品业", "Manufacture of tobacco products"),
    ("17", "纺织业", "Textiles"),
    (
        "18",
        "纺织服装、服饰业",
        "Manufacture of textile garments and apparel",
    ),
    (
        "19",
        "皮革、毛皮、羽毛及其制品和制鞋业",
        "Manufacture of leather, fur, feathers and related products, and footwear",
    ),
    (
        "20",
        "木材加工和木、竹、藤、棕、草制品业",
        "Processing of timber; manufacture of wood, bamboo, rattan, palm and straw products",
    ),
    ("21", "家具制造业", "Manufacture of furniture"),
    (
        "22",
        "造纸和纸制品业",
        "Manufacture of paper and paper products",
    ),
    (
        "23",
        "印刷和记录媒介复制业",
        "Printing and reproduction of recorded media",
    ),
    (
        "24",
        "文教、工美、体育和娱乐用品制造业",
        "Manufacture of articles for culture, education, arts and crafts, sports and entertainment",
    ),
    (
        "25",
        "石油、煤炭及其他燃料加工业",
        "Processing of petroleum, coal and other fuels",
    ),
    (
        "26",
        "化学原料和化学制品制造业",
        "Manufacture of chemical raw materials and chemical products",
    ),
    ("27", "医药制造业", "Manufacture of medicines"),
    ("28", "化学纤维制造业", "Manufacture of chemical fibres"),
    (
        "29",
        "橡胶和塑料制品业",
        "Manufacture of rubber and plastic products",
    ),
    (
        "30",
        "非金属矿物制品业",
        "Manufacture of non-metallic mineral products",
    ),
    (
        "31",
        "黑色金属冶炼和压延加工业",
        "Smelting and pressing of ferrous metals",
    ),
    (
        "32",
        "有色金属冶炼和压延加工业",
        "Smelting and pressing of non-ferrous metals",
    ),
    ("33", "金属制品业", "Manufacture of metal products"),
    (
        "34",
        "通用设备制造业",
        "Manufacture of general-purpose machinery",
    ),
    (
        "35",
        "专用设备制造业",
        "Manufacture of special-purpose machinery",
    ),
    ("36", "汽车制造业", "Manufacture of motor vehicles"),
    (
        "37",
        "铁路、船舶、航空航天和其他运输设备制造业",
        "Manufacture of railway, ship, aerospace and other transport equipment",
    ),
    (
        "38",
        "电气机械和器材制造业",
        "Manufacture of electrical machinery and equipment",
    ),
    (
        "39",
        "计算机、通信和其他电子设备制造业",
        "Manufacture of computers, communication and other electronic equipment",
    ),
    (
        "40",
        "仪器仪表制造业",
        "Manufacture of measuring instruments",
    ),
    ("41", "其他制造业", "Other manufacturing"),
    (
        "42",
        "废弃资源综合利用业",
        "Comprehensive use of waste resources",
    ),
    (
        "43",
        "金属制品、机械和设备修理业",
        "Repair of metal products, machinery and equipment",
    ),
    (
        "44",
        "电力、热力生产和供应业",
        "Production and supply of electricity and heat",
    ),
    ("45", "燃气生产和供应业", "Production and supply of gas"),
    ("46", "水的生产和供应业", "Production and supply of water"),
    ("47", "房屋建筑业", "Construction of buildings"),
    ("48", "土木工程建筑业", "Civil engineering"),
    ("49", "建筑安装业", "Installation works"),
    (
        "50",
        "建筑装饰、装修和其他建筑业",
        "Building decoration, renovation and other construction",
    ),
    ("51", "批发业", "Wholesale trade"),
    ("52", "零售业", "Retail trade"),
    ("53", "铁路运输业", "Rail transport"),
    ("54", "道路运输业", "Road transport"),
    ("55", "水上运输业", "Water transport"),
    ("56", "航空运输业", "Air transport"),
    ("57", "管道运输业", "Pipeline transport"),
    (
        "58",
        "多式联运和运输代理业",
        "Multimodal transport and transport agency",
    ),
    (
        "59",
        "装卸搬运和仓储业",
        "Loading, unloading and warehousing",
    ),
    ("60", "邮政业", "Postal services"),
    ("61", "住宿业", "Accommodation"),
    ("62", "餐饮业", "Food and beverage services"),
    (
        "63",
        "电信、广播电视和卫星传输服务",
        "Telecommunications, radio and television, and satellite transmission services",
    ),
    ("64", "互联网和相关服务", "Internet and related services"),
    (
        "65",
        "软件和信息技术服务业",
        "Software and information technology services",
    ),
    ("66", "货币金融服务", "Monetary and financial services"),
    ("67", "资本市场服务", "Capital market services"),
    ("68", "保险业", "Insurance"),
    ("69", "其他金融业", "Other financial activities"),
    ("70", "房地产业", "Real estate"),
    ("71", "租赁业", "Leasing"),
    ("72", "商务服务业", "Business services"),
    (
        "73",
        "研究和试验发展",
        "Research and experimental development",
    ),
    ("74", "专业技术服务业", "Professional technical services"),
    (
        "75",
        "科技推广和应用服务业",
        "Technology promotion and application services",
    ),
    ("76", "水利管理业", "Water conservancy management"),
    (
        "77",
        "生态保护和环境治理业",
        "Ecological protection and environmental management",
    ),
    ("78", "公共设施管理业", "Management of public facilities"),
    ("79", "土地管理业", "Land management"),
    ("80", "居民服务业", "Services to households"),
    (
        "81",
        "机动车、电子产品和日用产品修理业",
        "Repair of motor vehicles, electronic products and household goods",
    ),
    ("82", "其他服务业", "Other services"),
    ("83", "教育", "Education"),
    ("84", "卫生", "Health care"),
    ("85", "社会工作", "Social work"),
    ("86", "新闻和出版业", "News and publishing"),
    (
        "87",
        "广播、电视、电影和录音制作业",
        "Radio, television, film and sound recording production",
    ),
    ("88", "文化艺术业", "Culture and arts"),
    ("89", "体育", "Sports"),
    ("90", "娱乐业", "Entertainment"),
    (
        "91",
        "中国共产党机关",
        "Organs of the Communist Party of China",
    ),
    ("92", "国家机构", "State organs"),
    ("93", "人民政协、民主党派", "CPPCC and democratic parties"),
    ("94", "社会保障", "Social security"),
    (
        "95",
        "群众团体、社会团体和其他成员组织",
        "Mass organisations, social organisations and other membership organisations",
    ),
    (
        "96",
        "基层群众自治组织及其他组织",
        "Grassroots self-governing organisations and other organisations",
    ),
    ("97", "国际组织", "International organisations"),
];

/// "C 制造业 / 36 汽车制造业": a profile's industry as documents print it (a code the tables
/// do not know is printed as it is).
pub fn industry_label(section: &str, division: &str) -> String {
    let section = INDUSTRY_SECTIONS
        .iter()
        .find(|s| s.0 == section)
        .map_or(section.to_string(), |s| format!("{} {}", s.0, s.1));
    let division = INDUSTRY_DIVISIONS
        .iter()
        .find(|d| d.0 == division)
        .map_or(division.to_string(), |d| format!("{} {}", d.0, d.1));
    format!("{section} / {division}")
}

/// The section letter of a section's Chinese name, for accounts that carry the name.
pub fn section_of_name(name: &str) -> Option<&'static str> {
    INDUSTRY_SECTIONS.iter().find(|s| s.1 == name).map(|s| s.0)
}

const MAX_HEADCOUNT: u32 = 1_000_000;
const MAX_CONTACTS: usize = 5;

fn is_mobile(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && p.bytes().all(|c| c.is_ascii_digit())
}

/// 0 + area code (2–3 digits) + 7–8 digits, an optional dash after the area code, and an
/// optional extension after another dash.
fn is_landline(p: &str) -> bool {
    let (main, ext) = match p.split_once('-') {
        Some((area, rest)) => {
            let (number, ext) = match rest.split_once('-') {
                Some((n, e)) => (n, Some(e)),
                None => (rest, None),
            };
            if !(3..=4).contains(&area.len()) || !area.starts_with('0') {
                return false;
            }
            (format!("{area}{number}"), ext)
        }
        None => (p.to_string(), None),
    };
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    main.starts_with('0')
        && (10..=12).contains(&main.len())
        && digits(&main)
        && ext.is_none_or(|e| (1..=6).contains(&e.len()) && digits(e))
}

/// Whether `phone` is a mainland mobile or landline number.
pub fn is_phone(phone: &str) -> bool {
    let p = phone.trim();
    is_mobile(p) || is_landline(p)
}

impl CompanyProfile {
    /// Every bad field, each with its own message; empty when the profile can be saved.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        let mut bad = |field: &str, zh: &str, en: &str| {
            out.push(FieldProblem {
                field: field.into(),
                zh: zh.into(),
                en: en.into(),
            })
        };
        let address = self.address.trim().chars().count();
        if address == 0 {
            bad("address", "请填写经营场所地址", "Enter the site's address");
        } else if address > 200 {
            bad(
                "address",
                "地址不得超过 200 字",
                "The address is limited to 200 characters",
            );
        }
        if !DISTRICTS.contains(&self.district.as_str()) {
            bad(
                "district",
                "请选择上海市的一个区",
                "Choose one of Shanghai's districts",
            );
        }
        match INDUSTRY_SECTIONS
            .iter()
            .find(|s| s.0 == self.industry_section)
        {
            None => bad(
                "industry_section",
                "请选择国民经济行业门类",
                "Choose the industry section (GB/T 4754)",
            ),
            Some(&(_, _, _, first, last)) => {
                let ok = self.industry_division.len() == 2
                    && self
                        .industry_division
                        .parse::<u8>()
                        .is_ok_and(|d| (first..=last).contains(&d));
                if !ok {
                    bad(
                        "industry_division",
                        "请选择所选门类下的行业大类",
                        "Choose a division of the chosen section",
                    );
                }
            }
        }
        if self.headcount == 0 || self.headcount > MAX_HEADCOUNT {
            bad(
                "headcount",
                "员工总数应在 1 到 1000000 人之间",
                "The headcount must be between 1 and 1,000,000",
            );
        }
        if self.on_site > self.headcount {
            bad(
                "on_site",
                "在岗人数不能多于员工总数",
                "Staff on site cannot outnumber the headcount",
            );
        }
        if self.contacts.is_empty() {
            bad(
                "contacts",
                "请至少填写一位联系人",
                "Add at least one contact",
            );
        } else if self.contacts.len() > MAX_CONTACTS {
            bad("contacts", "联系人最多 5 位", "At most 5 contacts");
        }
        for (i, c) in self.contacts.iter().enumerate() {
            let name = c.name.trim().chars().count();
            if name == 0 || name > 40 {
                bad(
                    &format!("contacts.{i}.name"),
                    "请填写联系人姓名（不超过 40 字）",
                    "Enter the contact's name (up to 40 characters)",
                );
            }
            if c.role.trim().chars().count() > 40 {
                bad(
                    &format!("contacts.{i}.role"),
                    "职务不得超过 40 字",
                    "The role is limited to 40 characters",
                );
            }
            if !is_phone(&c.phone) {
                bad(
                    &format!("contacts.{i}.phone"),
                    "请填写 11 位手机号或带区号的固定电话，如 021-12345678",
                    "Enter an 11-digit mobile number or a landline with its area code, e.g. 021-12345678",
                );
            }
        }
        if let Some(b) = &self.whitelist_batch {
            if b.trim().is_empty() || b.chars().count() > 40 {
                bad(
                    "whitelist_batch",
                    "白名单批次不得为空白或超过 40 字；没有就不填",
                    "The whitelist batch cannot be blank or over 40 characters; leave it out if there is none",
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn good() -> CompanyProfile {
        CompanyProfile {
            address: "上海市浦东新区张江路 1 号".into(),
            district: "浦东新区".into(),
            industry_section: "C".into(),
            industry_division: "36".into(),
            headcount: 120,
            on_site: 80,
            contacts: vec![Contact {
                name: "王芳".into(),
                role: "人事经理".into(),
                phone: "13800138000".into(),
            }],
            risk_area: RiskArea::Precaution,
            dormitories: true,
            whitelist_batch: None,
        }
    }

    fn fields(p: &CompanyProfile) -> Vec<String> {
        p.problems().into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_complete_profile_has_no_problems() {
        assert!(good().problems().is_empty());
    }

    #[test]
    fn phones() {
        for ok in [
            "13800138000",
            "021-12345678",
            "02112345678",
            "0512-1234567",
            "021-12345678-123",
        ] {
            assert!(is_phone(ok), "{ok} should be a phone number");
        }
        for bad in [
            "",
            "12345",
            "12800138000",
            "1380013800a",
            "138001380001",
            "21-12345678",
            "021-123",
            "021-12345678-",
        ] {
            assert!(!is_phone(bad), "{bad} should not be a phone number");
        }
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let mut p = good();
        p.address = " ".into();
        p.district = "北京".into();
        p.industry_division = "53".into();
        p.headcount = 10;
        p.on_site = 11;
        p.contacts[0].phone = "123".into();
        p.whitelist_batch = Some("".into());
        assert_eq!(
            fields(&p),
            [
                "address",
                "district",
                "industry_division",
                "on_site",
                "contacts.0.phone",
                "whitelist_batch"
            ]
        );
        let mut p = good();
        p.headcount = 0;
        p.on_site = 0;
        p.industry_section = "Z".into();
        p.contacts.clear();
        assert_eq!(fields(&p), ["industry_section", "headcount", "contacts"]);
        assert!(p
            .problems()
            .iter()
            .all(|f| !f.zh.is_empty() && !f.en.is_empty()));
    }

    #[test]
    fn divisions_cover_every_section_in_order() {
        let mut next = 1u8;
        for (_, _, _, first, last) in INDUSTRY_SECTIONS {
            assert_eq!(first, next);
            next = last + 1;
        }
        assert_eq!(usize::from(next - 1), INDUSTRY_DIVISIONS.len());
        for (i, (code, _, en)) in INDUSTRY_DIVISIONS.iter().enumerate() {
            assert_eq!(code.parse::<usize>().ok(), Some(i + 1));
            let chinese = en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(
                !en.is_empty() && !chinese,
                "division {code}'s English: {en:?}"
            );
        }
    }
}
