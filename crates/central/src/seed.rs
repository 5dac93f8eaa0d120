//! Demo data, written for this project: a catalog modelled on the 2022 Shanghai resumption
//! documents and a handful of demo enterprises in several districts and industries.

use sqlx::SqlitePool;
use yiqifu_protocol::credit_code::check_character;
use yiqifu_protocol::Document;

use crate::auth::hash_password;
use crate::catalog::publish;
use crate::db::now_unix;
use crate::error::{Error, Result};

const CATALOG: &str = include_str!("../demo/catalog.json");

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

/// Seeds the demo data into an empty database; a database that already has data is left as
/// it is, so a restarted demo keeps what was done in it.
pub async fn seed_demo(db: &SqlitePool) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM enterprises")
        .fetch_one(db)
        .await?;
    if n > 0 {
        return Ok(false);
    }
    let docs = demo_catalog()?;
    let mut hashes = Vec::new();
    for e in DEMO_ENTERPRISES {
        let h = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
            .await
            .map_err(|e| Error::Hash(e.to_string()))??;
        hashes.push((e, h));
    }
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    for (e, hash) in hashes {
        sqlx::query(
            "INSERT INTO enterprises (credit_code, name, district, industry, password_hash, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
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
    for d in &docs {
        publish(&mut tx, d).await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use yiqifu_protocol::{CreditCode, PolicyLevel};

    #[test]
    fn every_demo_credit_code_is_valid() {
        for e in DEMO_ENTERPRISES {
            assert!(CreditCode::parse(&e.credit_code()).is_ok(), "{}", e.name);
        }
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
