//! GB 11643-1999 ID numbers.

use proptest::prelude::*;
use yiqifu_roster::{check_character, check_id};

use crate::common::{check_char, id, TODAY};

fn code(id: &str) -> &'static str {
    check_id(id, TODAY).expect_err(id).code
}

#[test]
fn fixed_known_good_ids_pass() {
    // Worked out by hand from the weights; the first is the standard's own example.
    for good in [
        "11010519491231002X",
        "310115199003071239",
        "440306198511114564",
        "310104200002290014",
        "650102197806150034",
    ] {
        assert_eq!(check_id(good, TODAY).as_deref(), Ok(good));
    }
}

#[test]
fn computed_ids_pass() {
    for body in [
        "31011519920101008",
        "32058319930909212",
        "81000019000101000",
        "12345620220601999",
    ] {
        let good = id(body);
        assert_eq!(check_id(&good, TODAY), Ok(good.clone()), "{good}");
        assert_eq!(check_character(body), Some(check_char(body)));
    }
}

#[test]
fn input_forms_are_normalised() {
    assert_eq!(
        check_id("11010519491231002x", TODAY).as_deref(),
        Ok("11010519491231002X")
    );
    assert_eq!(
        check_id(" 110105 19491231 002X ", TODAY).as_deref(),
        Ok("11010519491231002X")
    );
    assert_eq!(
        check_id("１１０１０５１９４９１２３１００２ｘ", TODAY).as_deref(),
        Ok("11010519491231002X")
    );
}

#[test]
fn each_kind_of_bad_id_has_its_code() {
    assert_eq!(code(""), "ID_EMPTY");
    assert_eq!(code("31011519900307123"), "ID_LENGTH");
    assert_eq!(code("3101151990030712399"), "ID_LENGTH");
    let old = check_id("310115900307123", TODAY).unwrap_err();
    assert_eq!(old.code, "ID_LENGTH");
    assert!(
        old.zh.contains("15 位") && old.en.contains("old format"),
        "{old:?}"
    );
    assert_eq!(code("3101151990O3071239"), "ID_CHARS");
    assert_eq!(code("31011519900307123Y"), "ID_CHARS");
    assert_eq!(code("X10115199003071239"), "ID_CHARS");
    assert_eq!(code(&id("91011519900307123")), "ID_REGION");
    assert_eq!(code(&id("01011519900307123")), "ID_REGION");
    assert_eq!(code(&id("31011519900230123")), "ID_BIRTHDATE");
    assert_eq!(code(&id("31011519901301123")), "ID_BIRTHDATE");
    assert_eq!(code(&id("31011518991231123")), "ID_BIRTHDATE");
    // The day after TODAY is in the future; TODAY itself is fine.
    assert_eq!(code(&id("31011520220602123")), "ID_BIRTHDATE");
    assert!(check_id(&id("31011520220601123"), TODAY).is_ok());
    assert_eq!(code("310115199003071238"), "ID_CHECKSUM");
    assert_eq!(code("110105194912310021"), "ID_CHECKSUM");
    assert_eq!(code("1.10105E+17"), "ID_AS_NUMBER");
}

#[test]
fn problems_speak_both_languages() {
    let p = check_id("310115199003071238", TODAY).unwrap_err();
    assert_eq!(p.field, yiqifu_roster::Field::IdNumber);
    assert!(p.zh.contains("校验位"), "{}", p.zh);
    assert!(p.en.contains("check character"), "{}", p.en);
}

fn valid_body() -> impl Strategy<Value = String> {
    (
        1u8..=8,
        0u32..100_000,
        1900u16..=2021,
        1u8..=12,
        1u8..=28,
        0u16..1000,
    )
        .prop_map(|(r, rest, y, m, d, seq)| format!("{r}{rest:05}{y:04}{m:02}{d:02}{seq:03}"))
}

proptest! {
    #[test]
    fn only_the_computed_check_character_passes(body in valid_body()) {
        let right = check_char(&body);
        for c in "0123456789X".chars() {
            let candidate = format!("{body}{c}");
            let result = check_id(&candidate, TODAY);
            if c == right {
                prop_assert_eq!(result, Ok(candidate));
            } else {
                prop_assert_eq!(result.map_err(|p| p.code), Err("ID_CHECKSUM"));
            }
        }
    }
}
