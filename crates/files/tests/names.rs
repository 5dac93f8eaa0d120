use std::collections::HashSet;

use proptest::prelude::*;
use yiqifu_files::{check_name, entry_path};

fn code(name: &str) -> &'static str {
    match check_name(name) {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

#[test]
fn ordinary_names_pass_trimmed() {
    assert_eq!(
        check_name("  复工复产承诺书（盖章版）.pdf ").expect("ok"),
        "复工复产承诺书（盖章版）.pdf"
    );
    for name in [
        "员工名单 2022-05.xlsx",
        "a",
        ".env",
        "报告 v1.2 final.docx",
        "COM10.txt",
        "ａｂｃ：全角.pdf",
    ] {
        assert_eq!(code(name), "OK", "{name}");
    }
}

#[test]
fn each_rule_refuses_with_its_own_code() {
    let cases = [
        ("", "NAME_EMPTY"),
        ("   ", "NAME_EMPTY"),
        (&"长".repeat(121), "NAME_TOO_LONG"),
        // 81 Chinese characters: under 120 characters but over 240 bytes.
        (&"长".repeat(81), "NAME_TOO_LONG"),
        ("dir/a.pdf", "NAME_HAS_PATH"),
        ("dir\\a.pdf", "NAME_HAS_PATH"),
        ("C:a.pdf", "NAME_HAS_PATH"),
        ("..", "NAME_HAS_PATH"),
        ("a\u{0007}.pdf", "NAME_HAS_CONTROL"),
        ("a\nb.pdf", "NAME_HAS_CONTROL"),
        ("invoice\u{202E}fdp.exe", "NAME_HAS_BIDI"),
        ("a\u{2066}b.pdf", "NAME_HAS_BIDI"),
        ("a\u{200F}.pdf", "NAME_HAS_BIDI"),
        ("a\u{061C}.pdf", "NAME_HAS_BIDI"),
        ("a\u{200B}.pdf", "NAME_HAS_INVISIBLE"),
        ("a\u{FEFF}.pdf", "NAME_HAS_INVISIBLE"),
        ("a\u{E0041}.pdf", "NAME_HAS_INVISIBLE"),
        ("a<b.pdf", "NAME_FORBIDDEN_CHAR"),
        ("报告:草稿.pdf", "NAME_FORBIDDEN_CHAR"),
        ("what?.pdf", "NAME_FORBIDDEN_CHAR"),
        ("a*b", "NAME_FORBIDDEN_CHAR"),
        ("a|b", "NAME_FORBIDDEN_CHAR"),
        ("say \"hi\".txt", "NAME_FORBIDDEN_CHAR"),
        ("CON", "NAME_RESERVED"),
        ("nul.pdf", "NAME_RESERVED"),
        ("Lpt3.tar.gz", "NAME_RESERVED"),
        ("aux .pdf", "NAME_RESERVED"),
        ("报告.", "NAME_TRAILING_DOT_OR_SPACE"),
        ("报告.pdf.", "NAME_TRAILING_DOT_OR_SPACE"),
    ];
    for (name, expected) in cases {
        assert_eq!(code(name), expected, "{name:?}");
    }
    assert_eq!(code(&"长".repeat(80)), "OK");
    assert_eq!(code(&"a".repeat(120)), "OK");
}

#[test]
fn refusals_say_what_to_do() {
    let err = check_name("a|b.pdf").expect_err("refused");
    assert!(
        err.message_zh().contains("“|”") && err.message_zh().contains("改名"),
        "{}",
        err.message_zh()
    );
    assert!(err.message_en().contains("rename"), "{}", err.message_en());
    assert_eq!(
        err.to_string(),
        format!("{} / {}", err.message_zh(), err.message_en())
    );
}

#[test]
fn entry_paths_are_unique_case_insensitively() {
    let mut taken = HashSet::new();
    let a = entry_path("commitment_letter", "承诺书.pdf", &mut taken);
    let b = entry_path("commitment_letter", "承诺书.pdf", &mut taken);
    let c = entry_path("commitment_letter", "承诺书.PDF", &mut taken);
    let d = entry_path("staff_list", "承诺书.pdf", &mut taken);
    assert_eq!(a, "materials/commitment_letter/承诺书.pdf");
    assert_eq!(b, "materials/commitment_letter/承诺书 (2).pdf");
    assert_eq!(c, "materials/commitment_letter/承诺书 (3).PDF");
    assert_eq!(d, "materials/staff_list/承诺书.pdf");
}

#[test]
fn entry_paths_make_unsafe_names_safe() {
    let mut taken = HashSet::new();
    assert_eq!(
        entry_path("x", "../../etc/passwd", &mut taken),
        "materials/x/passwd"
    );
    assert_eq!(
        entry_path("x", "C:\\Users\\a\\报告.pdf", &mut taken),
        "materials/x/报告.pdf"
    );
    assert_eq!(
        entry_path("x", "con.pdf", &mut taken),
        "materials/x/_con.pdf"
    );
    assert_eq!(
        entry_path("x", "a\u{202E}fdp.exe", &mut taken),
        "materials/x/afdp.exe"
    );
    assert_eq!(entry_path("x", "..", &mut taken), "materials/x/file");
    // Whitespace other than ' ' left at the end once the dot goes: check_name would trim it.
    assert_eq!(entry_path("x", "!\u{2000}.", &mut taken), "materials/x/!");
    // A stem of dots alone loses them; its copy is numbered after the name that is left.
    assert_eq!(entry_path("x", ". .pdf", &mut taken), "materials/x/.pdf");
    assert_eq!(
        entry_path("x", ". .pdf", &mut taken),
        "materials/x/.pdf (2)"
    );
    assert_eq!(
        entry_path("../evil", "a.pdf", &mut taken),
        "materials/___evil/a.pdf"
    );
}

proptest! {
    /// Whatever the officer's file is called, its package path is made of names that pass
    /// check_name unchanged, and no two paths collide on a case-insensitive disk.
    #[test]
    fn entry_path_always_gives_safe_unique_paths(
        names in proptest::collection::vec("\\PC{0,150}", 1..6),
        kind in "\\PC{0,20}",
    ) {
        let mut taken = HashSet::new();
        let mut seen = HashSet::new();
        for name in names.iter().chain(names.iter()) {
            let path = entry_path(&kind, name, &mut taken);
            for part in path.split('/') {
                let checked = check_name(part).ok();
                prop_assert_eq!(checked.as_deref(), Some(part), "{:?} from {:?}", path, name);
            }
            prop_assert!(seen.insert(path.to_lowercase()), "{:?} twice", path);
        }
    }

    /// An accepted name is accepted again as it is: checking is idempotent.
    #[test]
    fn accepted_names_are_stable(name in "\\PC{0,130}") {
        if let Ok(checked) = check_name(&name) {
            prop_assert_eq!(check_name(&checked).ok(), Some(checked.clone()));
            prop_assert!(checked.chars().count() <= 120 && checked.len() <= 240);
        }
    }
}
