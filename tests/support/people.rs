//! Made-up returning staff with ID numbers that pass GB 11643, for rosters in tests.

/// A valid resident ID: a Pudong region code, a birth date, a sequence and its check
/// character.
pub fn id_number(seq: u32) -> String {
    let body = format!("310115{}{:03}", 19_800_101 + (seq % 28), seq % 1000);
    let check = yiqifu_roster::check_character(&body).expect("17 digits");
    format!("{body}{check}")
}

/// `n` people, each a line of a roster CSV: 姓名,身份证号,联系电话,部门,宿舍,核酸结果,核酸日期.
pub fn csv_lines(n: u32, test_date: &str) -> Vec<String> {
    const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
    const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋"];
    (0..n)
        .map(|i| {
            format!(
                "{}{}{},{},139{:08},生产部,{},阴性,{test_date}",
                SURNAMES[(i % 8) as usize],
                GIVEN[((i / 8) % 8) as usize],
                if i >= 64 { "明" } else { "" },
                id_number(i + 1),
                10_000_000 + i,
                if i % 2 == 0 { "3号楼" } else { "" },
            )
        })
        .collect()
}

pub const CSV_HEADER: &str = "姓名,身份证号,联系电话,部门,宿舍,核酸结果,核酸日期";
