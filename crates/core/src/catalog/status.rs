//! Whether a document is in force today: one rule, written twice, in Rust for the document
//! on screen and in SQL for filters over many. The tests hold the two to the same answers.
//!
//! Dates are `YYYY-MM-DD` strings, so they compare as text. `expires_on` is the last day in
//! force. A document is superseded once a document of the catalog that names it in
//! `supersedes` has taken effect: until then the old one still applies.

use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    InForce,
    /// Published, but takes effect later.
    NotYet,
    /// Past its expiry date.
    Expired,
    /// Replaced by another document that has taken effect (shown before expired: it says
    /// where to look instead).
    Superseded,
}

impl DocStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InForce => "in_force",
            Self::NotYet => "not_yet",
            Self::Expired => "expired",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::InForce, Self::NotYet, Self::Expired, Self::Superseded]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The status of a document that takes effect on `effective_on` and expires after
/// `expires_on`; `successor_effective_on` is when the earliest document superseding it takes
/// effect (`None`: nothing in the catalog supersedes it). `today` is China's date.
pub fn document_status(
    effective_on: &str,
    expires_on: Option<&str>,
    successor_effective_on: Option<&str>,
    today: &str,
) -> DocStatus {
    if successor_effective_on.is_some_and(|s| s <= today) {
        DocStatus::Superseded
    } else if expires_on.is_some_and(|e| e < today) {
        DocStatus::Expired
    } else if effective_on > today {
        DocStatus::NotYet
    } else {
        DocStatus::InForce
    }
}

/// `today` as an SQL literal, after checking it is a date: a fragment with the date inlined
/// composes into any query without renumbering its parameters.
fn date_literal(today: &str) -> Result<String> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(today, &f).map_err(|_| {
        Error::InvalidInput(vec![yiqifu_protocol::FieldProblem {
            field: "today".into(),
            zh: format!("“{today}”不是日期，应为 YYYY-MM-DD"),
            en: format!("\"{today}\" is not a date: use YYYY-MM-DD"),
        }])
    })?;
    Ok(format!("'{today}'"))
}

/// Whether a document of the catalog that has taken effect supersedes the row `d`.
fn superseded_sql(t: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM documents s WHERE s.supersedes = d.id AND s.id <> d.id \
         AND s.effective_on <= {t})"
    )
}

/// An SQL expression over a row `d` of `documents`: its [`DocStatus`] as text
/// (`'superseded'`, `'expired'`, `'not_yet'`, `'in_force'`), by the same rule as
/// [`document_status`]. The search's "expired" filter likely wants
/// `(<this>) IN ('expired', 'superseded')`: no longer in force.
pub fn status_sql(today: &str) -> Result<String> {
    let t = date_literal(today)?;
    Ok(format!(
        "(CASE WHEN {} THEN 'superseded' \
         WHEN d.expires_on IS NOT NULL AND d.expires_on < {t} THEN 'expired' \
         WHEN d.effective_on > {t} THEN 'not_yet' ELSE 'in_force' END)",
        superseded_sql(&t)
    ))
}

/// A WHERE condition over a row `d` of `documents`: in force today (in effect, not expired,
/// not superseded). For "applies to my company … still in force".
pub fn in_force_sql(today: &str) -> Result<String> {
    let t = date_literal(today)?;
    Ok(format!(
        "(d.effective_on <= {t} AND (d.expires_on IS NULL OR d.expires_on >= {t}) AND NOT {})",
        superseded_sql(&t)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_reads_the_dates_in_order_of_what_the_officer_needs_to_know() {
        let s = |eff, exp, succ, today| document_status(eff, exp, succ, today);
        assert_eq!(
            s("2022-04-16", None, None, "2026-12-02"),
            DocStatus::InForce
        );
        // The last day is still in force.
        assert_eq!(
            s("2022-04-16", Some("2022-05-02"), None, "2022-05-02"),
            DocStatus::InForce
        );
        assert_eq!(
            s("2022-04-16", Some("2022-05-02"), None, "2022-05-03"),
            DocStatus::Expired
        );
        assert_eq!(s("2027-01-01", None, None, "2026-12-02"), DocStatus::NotYet);
        // Expired and superseded: superseded says where to look instead.
        assert_eq!(
            s(
                "2022-04-16",
                Some("2022-05-02"),
                Some("2022-05-03"),
                "2026-12-02"
            ),
            DocStatus::Superseded
        );
        // A successor not yet in effect leaves the old one in force.
        assert_eq!(
            s("2022-04-16", None, Some("2027-01-01"), "2026-12-02"),
            DocStatus::InForce
        );
    }

    #[test]
    fn fragments_take_only_a_date() {
        assert!(status_sql("2026-12-02").is_ok());
        assert!(in_force_sql("2026-12-02'; DROP TABLE documents; --").is_err());
        assert!(status_sql("").is_err());
        for s in ["in_force", "not_yet", "expired", "superseded"] {
            assert_eq!(DocStatus::parse(s).map(DocStatus::as_str), Some(s));
        }
    }
}
