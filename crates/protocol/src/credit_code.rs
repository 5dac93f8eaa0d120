//! The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
//! 31-symbol alphabet, the last one a check character over the first 17.

use std::fmt;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weight of position i is 3^i mod 31, as the standard tabulates.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为 18 位，当前为 {0} 位 / a credit code has 18 characters, this one has {0}")]
    Length(usize),
    #[error("统一社会信用代码第 {position} 位“{ch}”不是有效字符（不含 I、O、Z、S、V） / character {position} ('{ch}') is not allowed (I, O, Z, S, V never appear)")]
    Character { position: usize, ch: char },
    #[error("统一社会信用代码校验位不符，请核对营业执照 / the check character does not match: compare with the business licence")]
    Checksum,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, or `None` if one is outside the alphabet.
pub fn check_character(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (b, w) in bytes.iter().zip(WEIGHTS) {
        sum += value_of(*b)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize] as char)
}

impl CreditCode {
    /// Accepts lower case and surrounding spaces, as officers type them.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let s = input.trim().to_ascii_uppercase();
        let n = s.chars().count();
        if n != 18 {
            return Err(CreditCodeError::Length(n));
        }
        for (i, ch) in s.chars().enumerate() {
            if !ch.is_ascii() || value_of(ch as u8).is_none() {
                return Err(CreditCodeError::Character {
                    position: i + 1,
                    ch,
                });
            }
        }
        match check_character(&s[..17]) {
            Some(c) if s.ends_with(c) => Ok(Self(s)),
            _ => Err(CreditCodeError::Checksum),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_example_from_the_standard() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y43").map(|c| c.to_string()),
            Ok("91350100M000100Y43".to_string())
        );
    }

    #[test]
    fn normalises_case_and_spaces() {
        assert!(CreditCode::parse(" 91350100m000100y43 ").is_ok());
    }

    #[test]
    fn rejects_a_changed_check_character() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::Checksum)
        );
    }

    #[test]
    fn rejects_every_single_character_typo() {
        let good = "91350100M000100Y43";
        for pos in 0..17 {
            let mut b = good.as_bytes().to_vec();
            b[pos] = if b[pos] == b'1' { b'2' } else { b'1' };
            let typo = String::from_utf8(b).unwrap();
            assert!(CreditCode::parse(&typo).is_err(), "{typo}");
        }
    }

    #[test]
    fn names_the_bad_character_and_the_length() {
        assert_eq!(
            CreditCode::parse("91350100M000100I43"),
            Err(CreditCodeError::Character {
                position: 16,
                ch: 'I'
            })
        );
        assert_eq!(CreditCode::parse("9135"), Err(CreditCodeError::Length(4)));
        assert!(matches!(
            CreditCode::parse("91350100M000100中43"),
            Err(CreditCodeError::Character { position: 16, .. })
        ));
    }
}
