//! Demo data, written for this project: a catalog modelled on the 2022 Shanghai resumption
//! documents, a handful of demo enterprises in several districts and industries, and their
//! listings and appeals (`records`).

mod records;
pub mod synthetic;

pub use records::{demo_appeals, demo_listings, DemoAppeal, DemoListing, DemoStep};

use crate::db::{Conn, Db};
use yiqifu_protocol::calendar::official_years;
use yiqifu_protocol::credit_code::check_character;
use yiqifu_protocol::{
    appeal_attachment_rule, CalendarYear, Document, MaterialRule, SelfCheckTemplate,
};

use crate::auth::hash_password;
use crate::catalog::{
    entry, publish, publish_document, ATTACHMENT_RULES, CALENDAR, MATERIAL_RULES, TEMPLATES,
};
use crate::db::now_unix;
use crate::error::{Error, Result};

const CATALOG: &str = include_str!("../demo/catalog.json");
const TEMPLATES_JSON: &str = include_str!("../demo/templates.json");
const MATERIAL_RULES_JSON: &str = include_str!("../demo/material_rules.json");

pub use yiqifu_protocol::DISTRICTS;

/// The demo reviewer, who plays the district office.
pub const DEMO_REVIEWER: &str = "reviewer";
pub const DEMO_REVIEWER_PASSWORD: &str = "Review@2022";

/// The password of every demo enterprise; printed by `--demo` and shown on the sign-in page.
pub const DEMO_PASSWORD: &str = "Demo@2022";

pub struct DemoEnterprise {
    /// The first 17 characters; the check character is computed, so a typo here cannot seed
    /// an account nobody can sign in to.
    pub code_body: &'static str,
    pub name: &'static str,
    pub district: &'static str,
    pub industry: &'static str,
}

pub const DEMO_ENTERPRISES: &[DemoEnterprise] = &[
    DemoEnterprise {
        code_body: "91310115MA1K4C7P2",
        name: "上海浦江精密机械有限公司",
        district: "浦东新区",
        industry: "制造业",
    },
    DemoEnterprise {
        code_body: "91310114MA1GT3R85",
        name: "上海嘉程汽车零部件有限公司",
        district: "嘉定区",
        industry: "制造业",
    },
    DemoEnterprise {
        code_body: "91310117MA1J5LQ06",
        name: "上海松云电子科技有限公司",
        district: "松江区",
        industry: "制造业",
    },
    DemoEnterprise {
        code_body: "91310112MA1GB8N43",
        name: "上海闵通冷链物流有限公司",
        district: "闵行区",
        industry: "交通运输、仓储和邮政业",
    },
    DemoEnterprise {
        code_body: "91310106MA1FY2K71",
        name: "上海静数信息技术有限公司",
        district: "静安区",
        industry: "信息传输、软件和信息技术服务业",
    },
];

impl DemoEnterprise {
    pub fn credit_code(&self) -> String {
        let check = check_character(self.code_body).unwrap_or('0');
        format!("{}{check}", self.code_body)
    }
}

pub fn demo_catalog() -> Result<Vec<Document>> {
    Ok(serde_json::from_str(CATALOG)?)
}

/// The demo templates, refused whole if any is unsound: a broken template would reach
/// every client and fail every self-check in ways no officer could fix.
pub fn demo_templates() -> Result<Vec<SelfCheckTemplate>> {
    let templates: Vec<SelfCheckTemplate> = serde_json::from_str(TEMPLATES_JSON)?;
    sound(&templates)?;
    Ok(templates)
}

fn sound(templates: &[SelfCheckTemplate]) -> Result<()> {
    let problems: Vec<String> = templates
        .iter()
        .flat_map(|t| {
            t.problems()
                .into_iter()
                .map(move |p| format!("{}: {p}", t.key()))
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::DemoData(format!(
            "demo/templates.json: {}",
            problems.join("; ")
        )))
    }
}

pub fn demo_material_rules() -> Result<Vec<MaterialRule>> {
    Ok(serde_json::from_str(MATERIAL_RULES_JSON)?)
}

/// `n` synthetic policies for benchmarks, shaped like real ones (see [`synthetic`]).
pub fn synthetic_documents(n: usize) -> Vec<Document> {
    synthetic::documents(n).collect()
}

/// Publishes `n` synthetic policies (`--scale N`), made one at a time: 20,000 of them are
/// a few hundred megabytes of text.
pub async fn seed_scale(db: &Db, n: usize) -> Result<()> {
    let mut tx = crate::db::begin_write(db).await?;
    for d in synthetic::documents(n) {
        publish_document(&mut tx, &d).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The working-day calendar to publish, refused whole if a year is unsound: every deadline
/// of every appeal is computed from it.
pub fn demo_calendar() -> Result<Vec<CalendarYear>> {
    let years = official_years()?;
    let problems: Vec<String> = years
        .iter()
        .flat_map(|y| {
            y.problems()
                .into_iter()
                .map(move |p| format!("{}: {p}", y.year))
        })
        .collect();
    if problems.is_empty() {
        Ok(years)
    } else {
        Err(Error::DemoData(format!(
            "calendar: {}",
            problems.join("; ")
        )))
    }
}

/// Publishes the calendar years and the attachment rule a database does not have yet, so a
/// demo database seeded by an earlier build gains them too (and nothing else changes).
async fn seed_reference(tx: &mut Conn) -> Result<()> {
    for y in demo_calendar()? {
        if entry::<CalendarYear>(tx, CALENDAR, &y.key())
            .await?
            .is_none()
        {
            publish(tx, CALENDAR, &y.key(), &y).await?;
        }
    }
    let rule = appeal_attachment_rule();
    if entry::<MaterialRule>(tx, ATTACHMENT_RULES, &rule.material_type)
        .await?
        .is_none()
    {
        publish(tx, ATTACHMENT_RULES, &rule.material_type, &rule).await?;
    }
    Ok(())
}

async fn seed_catalog(tx: &mut Conn) -> Result<()> {
    for d in &demo_catalog()? {
        publish_document(tx, d).await?;
    }
    for t in &demo_templates()? {
        publish(tx, TEMPLATES, &t.key(), t).await?;
    }
    for r in &demo_material_rules()? {
        publish(tx, MATERIAL_RULES, &r.material_type, r).await?;
    }
    seed_reference(tx).await
}

/// Seeds the demo data into an empty database; a database that already has data is left as
/// it is, so a restarted demo keeps what was done in it.
pub async fn seed_demo(db: &Db) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM enterprises")
        .fetch_one(db)
        .await?;
    if n > 0 {
        let mut tx = crate::db::begin_write(db).await?;
        seed_reference(&mut tx).await?;
        tx.commit().await?;
        return Ok(false);
    }
    let mut hashes = Vec::new();
    for e in DEMO_ENTERPRISES {
        let h = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
            .await
            .map_err(|e| Error::Hash(e.to_string()))??;
        hashes.push((e, h));
    }
    let mut tx = crate::db::begin_write(db).await?;
    // Asked again under the write lock: another service process on the same PostgreSQL
    // database may have seeded it while the passwords were hashed.
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM enterprises")
        .fetch_one(&mut *tx)
        .await?;
    if n > 0 {
        seed_reference(&mut tx).await?;
        tx.commit().await?;
        return Ok(false);
    }
    for (e, hash) in hashes {
        sqlx::query(
            "INSERT INTO enterprises (credit_code, name, district, industry, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.credit_code())
        .bind(e.name)
        .bind(e.district)
        .bind(e.industry)
        .bind(hash)
        .bind(now_unix())
        .execute(&mut *tx)
        .await?;
    }
    let reviewer_hash = tokio::task::spawn_blocking(|| hash_password(DEMO_REVIEWER_PASSWORD))
        .await
        .map_err(|e| Error::Hash(e.to_string()))??;
    sqlx::query(
        "INSERT INTO reviewers (username, name, password_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(DEMO_REVIEWER)
    .bind("区复工复产服务专窗审核员")
    .bind(reviewer_hash)
    .bind(now_unix())
    .execute(&mut *tx)
    .await?;
    seed_catalog(&mut tx).await?;
    let now = time::OffsetDateTime::now_utc();
    records::seed_listings(&mut tx, now).await?;
    records::seed_appeals(&mut tx, now).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use yiqifu_protocol::{CreditCode, DocumentKind, PolicyLevel};

    #[test]
    fn an_unsound_demo_template_is_refused_with_what_is_wrong() {
        assert!(sound(&demo_templates().unwrap()).is_ok());
        let mut t = demo_templates().unwrap();
        let first = t[0].sections[0].items[0].clone();
        t[0].sections[0].items.push(first.clone());
        let err = sound(&t).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "{}: {}: the id is used twice",
                t[0].key(),
                first.id
            )),
            "{err}"
        );
    }

    #[test]
    fn every_unit_a_demo_template_uses_has_its_english() {
        for t in demo_templates().unwrap() {
            for item in t.sections.iter().flat_map(|s| &s.items) {
                let Some(unit) = &item.unit else { continue };
                // A sign reads the same in both languages.
                if unit.chars().all(|c| !c.is_alphanumeric()) {
                    continue;
                }
                assert!(
                    yiqifu_protocol::selfcheck::UNITS
                        .iter()
                        .any(|(zh, ..)| zh == unit),
                    "{}: {}: the unit {unit:?} has no English in selfcheck::UNITS",
                    t.key(),
                    item.id
                );
            }
        }
    }

    #[test]
    fn every_demo_credit_code_is_valid() {
        for e in DEMO_ENTERPRISES {
            assert!(CreditCode::parse(&e.credit_code()).is_ok(), "{}", e.name);
        }
    }

    #[test]
    fn every_citation_names_a_document_and_a_clause_in_its_body() {
        let docs = demo_catalog().unwrap();
        let body = |id: &str| docs.iter().find(|d| d.id == id).map(|d| d.body.clone());
        let rules = demo_material_rules().unwrap();
        for t in demo_templates().unwrap() {
            assert!(body(&t.based_on).is_some(), "{}", t.based_on);
            for item in t.items() {
                let b = body(&item.cites.document_id).unwrap_or_else(|| panic!("{}", item.id));
                assert!(
                    b.contains(&item.cites.clause),
                    "{} cites {:?}",
                    item.id,
                    item.cites
                );
                if let Some(m) = &item.material_type {
                    assert!(rules.iter().any(|r| &r.material_type == m), "{m}");
                }
            }
        }
        for r in &rules {
            if let Some(c) = &r.cites {
                assert!(
                    body(&c.document_id).unwrap().contains(&c.clause),
                    "{}",
                    r.material_type
                );
            }
        }
    }

    #[test]
    fn the_demo_catalog_covers_every_district() {
        let docs = demo_catalog().unwrap();
        assert!(
            docs.iter()
                .filter(|d| d.kind == DocumentKind::Policy)
                .count()
                >= 60
        );
        assert!(
            docs.iter()
                .filter(|d| d.kind == DocumentKind::Guidance)
                .count()
                >= 15
        );
        for district in DISTRICTS {
            assert!(
                docs.iter().any(|d| d.district.as_deref() == Some(district)),
                "{district}"
            );
        }
        assert_eq!(synthetic_documents(40).len(), 40);
    }

    #[test]
    fn a_superseded_document_is_in_the_catalog_and_only_real_end_dates_remain() {
        let docs = demo_catalog().unwrap();
        let by_id = |id: &str| docs.iter().find(|d| d.id == id);
        for d in &docs {
            if let Some(old) = &d.supersedes {
                let old = by_id(old).unwrap_or_else(|| panic!("{} supersedes {old}", d.id));
                assert!(old.published_on < d.published_on, "{}", d.id);
            }
            // 2022-12-31 stood for "until further notice"; those documents now have no end
            // date, or the library would show nothing in force.
            assert_ne!(d.expires_on.as_deref(), Some("2022-12-31"), "{}", d.id);
        }
        let v2 = by_id("gd-002").unwrap();
        assert_eq!(v2.supersedes.as_deref(), Some("gd-001"));
        assert_eq!(
            by_id("gd-001").unwrap().expires_on.as_deref(),
            Some("2022-05-02")
        );
    }

    #[test]
    fn demo_catalog_parses_and_district_documents_name_their_district() {
        let docs = demo_catalog().unwrap();
        assert!(docs.len() >= 20);
        for d in &docs {
            assert_eq!(
                d.level == PolicyLevel::District,
                d.district.is_some(),
                "{}",
                d.id
            );
            assert!(!d.title.is_empty() && !d.body.is_empty());
        }
    }
}
