//! Calendar dates as officers type them, without a date library: the roster only needs
//! "is this a real day" and "is it after today".

use std::fmt;

use calamine::{ExcelDateTime, ExcelDateTimeType};

/// Field order makes the derived ordering chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Ymd {
    pub y: u16,
    pub m: u8,
    pub d: u8,
}

/// Why a date cell was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateError {
    /// Not a shape we know.
    Format,
    /// The right shape, but no such day (2022-02-30).
    NoSuchDay,
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Ymd {
    pub fn new(y: u16, m: u8, d: u8) -> Option<Self> {
        (d >= 1 && d <= days_in_month(y, m)).then_some(Self { y, m, d })
    }

    /// Exactly `YYYY-MM-DD`, as the caller passes `today`.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Self::new(
            s[0..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..10].parse().ok()?,
        )
    }

    /// `YYYYMMDD`, as inside an ID number.
    pub fn parse_compact(s: &str) -> Option<Self> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::new(
            s[0..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..8].parse().ok()?,
        )
    }

    /// The spellings officers use: 2022-05-03, 2022/5/3, 2022.5.3, 2022年5月3日, 20220503,
    /// in full-width digits too, with an optional time after the date (dropped).
    pub fn parse_loose(input: &str) -> Result<Self, DateError> {
        let s: String = input
            .trim()
            .chars()
            .map(crate::check::to_halfwidth)
            .collect();
        // A time may follow after a space or ISO's `T`; the roster keeps the day only.
        let day_part = s
            .split(|c: char| c.is_whitespace() || c == 'T')
            .next()
            .unwrap_or("");
        let day_part = day_part.strip_suffix('日').unwrap_or(day_part);
        if day_part.len() == 8 && day_part.bytes().all(|b| b.is_ascii_digit()) {
            return Self::parse_compact(day_part).ok_or(DateError::NoSuchDay);
        }
        let parts: Vec<&str> = day_part.split(['-', '/', '.', '年', '月']).collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(DateError::Format);
        };
        let digits = |p: &str, min: usize, max: usize| {
            (p.len() >= min && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u16>().ok())
                .flatten()
        };
        let (Some(y), Some(m), Some(d)) = (digits(y, 4, 4), digits(m, 1, 2), digits(d, 1, 2))
        else {
            return Err(DateError::Format);
        };
        let (Ok(m), Ok(d)) = (u8::try_from(m), u8::try_from(d)) else {
            return Err(DateError::Format);
        };
        Self::new(y, m, d).ok_or(DateError::NoSuchDay)
    }

    /// A number in a date column: an Excel serial day, or 20220503 typed as a number.
    pub fn from_number(v: f64) -> Result<Self, DateError> {
        if v.fract() == 0.0 && (19_000_101.0..=99_991_231.0).contains(&v) {
            return Self::parse_compact(&format!("{v:.0}")).ok_or(DateError::NoSuchDay);
        }
        // Excel's own range: serial 1 is 1900-01-01, 2958465 is 9999-12-31.
        if !(1.0..2_958_466.0).contains(&v) {
            return Err(DateError::Format);
        }
        Self::from_excel(&ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false))
    }

    /// A date cell of a workbook; calamine knows the workbook's 1900 or 1904 epoch.
    pub fn from_excel(dt: &ExcelDateTime) -> Result<Self, DateError> {
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        // Excel's fictitious 1900-02-29 lands here and is refused.
        Self::new(y, m, d).ok_or(DateError::NoSuchDay)
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: u16, m: u8, d: u8) -> Ymd {
        Ymd { y, m, d }
    }

    #[test]
    fn officer_spellings_normalise() {
        for s in [
            "2022-05-03",
            "2022/5/3",
            "2022.5.3",
            "2022年5月3日",
            "2022年05月03日",
            " 2022-5-3 ",
            "20220503",
            "２０２２／５／３",
            "2022-05-03 08:30:00",
            "2022/5/3 8:30",
            "2022-05-03T08:30:00",
        ] {
            assert_eq!(Ymd::parse_loose(s), Ok(ymd(2022, 5, 3)), "{s}");
        }
        assert_eq!(ymd(2022, 5, 3).to_string(), "2022-05-03");
    }

    #[test]
    fn impossible_and_unknown_dates_are_told_apart() {
        assert_eq!(Ymd::parse_loose("2022-02-30"), Err(DateError::NoSuchDay));
        assert_eq!(Ymd::parse_loose("2021-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(Ymd::parse_loose("2020-02-29"), Ok(ymd(2020, 2, 29)));
        assert_eq!(Ymd::parse_loose("20221301"), Err(DateError::NoSuchDay));
        for s in [
            "5/3/2022",
            "22-5-3",
            "昨天",
            "2022-5",
            "2022-05-03-01",
            "",
            "2022-x-3",
        ] {
            assert_eq!(Ymd::parse_loose(s), Err(DateError::Format), "{s}");
        }
    }

    #[test]
    fn iso_is_strict() {
        assert_eq!(Ymd::parse_iso("2022-05-03"), Some(ymd(2022, 5, 3)));
        assert_eq!(Ymd::parse_iso("2022-5-3"), None);
        assert_eq!(Ymd::parse_iso("2022/05/03"), None);
        assert_eq!(Ymd::parse_iso("2022-02-29"), None);
    }

    #[test]
    fn excel_serials_and_typed_numbers() {
        // 44684 is 2022-05-03 in the 1900 system.
        assert_eq!(Ymd::from_number(44684.0), Ok(ymd(2022, 5, 3)));
        assert_eq!(Ymd::from_number(44684.75), Ok(ymd(2022, 5, 3)));
        assert_eq!(Ymd::from_number(20220503.0), Ok(ymd(2022, 5, 3)));
        assert_eq!(Ymd::from_number(-3.0), Err(DateError::Format));
        assert_eq!(Ymd::from_number(60.0), Err(DateError::NoSuchDay));
        let d1904 = ExcelDateTime::new(43222.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(Ymd::from_excel(&d1904), Ok(ymd(2022, 5, 3)));
    }

    #[test]
    fn ordering_is_chronological() {
        assert!(ymd(2022, 5, 3) < ymd(2022, 5, 4));
        assert!(ymd(2021, 12, 31) < ymd(2022, 1, 1));
        assert!(ymd(2022, 2, 28) < ymd(2022, 10, 1));
    }
}
