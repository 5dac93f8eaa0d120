//! The reviewer CLI: play the authority on a service's database, as a person or a test.

use clap::Subcommand;
use yiqifu_protocol::{AppealAction, ApplicationState, CorrectionItem, ReviewAction};

use crate::error::{Error, Result};
use crate::{appeals, applications, db};

#[derive(Debug, Subcommand)]
pub enum ReviewCmd {
    /// List applications, optionally only those in one state (submitted, accepted, in_review, returned, resubmitted, …).
    List {
        #[arg(long)]
        state: Option<String>,
    },
    /// Show one application as JSON.
    Show { id: String },
    /// Accept (受理) a submitted application.
    Accept {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Refuse to accept (不予受理), with reasons.
    Refuse {
        id: String,
        #[arg(long = "reason", required = true)]
        reasons: Vec<String>,
    },
    /// Start the review (审核中).
    Start { id: String },
    /// Return for corrections (退回补正): every item to fix, in one notice. An item may be
    /// written `material_type: text` to point at a material.
    Return {
        id: String,
        #[arg(long = "item", required = true)]
        items: Vec<String>,
    },
    /// Approve (审核通过): the enterprise joins the white list.
    Approve {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Reject (不予通过), with reasons.
    Reject {
        id: String,
        #[arg(long = "reason", required = true)]
        reasons: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AppealCmd {
    /// List every appeal.
    List,
    /// Accept an appeal.
    Accept { id: String },
    /// Assign it to a person or office.
    Assign {
        id: String,
        #[arg(long)]
        to: String,
    },
    /// Reply to the enterprise.
    Reply {
        id: String,
        #[arg(long)]
        message: String,
    },
    /// Close it.
    Close { id: String },
}

fn correction(item: &str) -> CorrectionItem {
    match item.split_once(':') {
        Some((t, text))
            if !t.contains(' ') && t.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
        {
            CorrectionItem {
                material_type: Some(t.to_string()),
                text: text.trim().to_string(),
            }
        }
        _ => CorrectionItem {
            material_type: None,
            text: item.trim().to_string(),
        },
    }
}

/// Runs a review command against `database`; returns what to print.
pub async fn review(database: &crate::Database, actor: &str, cmd: ReviewCmd) -> Result<String> {
    let pool = db::connect(database, db::Durability::Full).await?;
    let mut tx = crate::db::begin_write(&pool).await?;
    let action = match cmd {
        ReviewCmd::List { state } => {
            let filter = match state.as_deref() {
                None => None,
                Some(s) => Some(ApplicationState::parse(s).ok_or_else(|| {
                    Error::bad_request(format!("unknown state {s:?}: use submitted, accepted, not_accepted, in_review, returned, resubmitted, approved or rejected"))
                })?),
            };
            let list = applications::list_all(&mut tx, filter).await?;
            let lines: Vec<String> = list
                .iter()
                .map(|a| {
                    format!(
                        "{}\t{}\t{}\t{}",
                        a.id,
                        a.state.as_str(),
                        a.credit_code,
                        a.enterprise_name
                    )
                })
                .collect();
            return Ok(lines.join("\n"));
        }
        ReviewCmd::Show { id } => {
            let a = applications::load(&mut tx, &id, None).await?;
            return Ok(serde_json::to_string_pretty(&a)?);
        }
        ReviewCmd::Accept { id, note } => (id, ReviewAction::Accept { note }),
        ReviewCmd::Refuse { id, reasons } => (id, ReviewAction::Refuse { reasons }),
        ReviewCmd::Start { id } => (id, ReviewAction::StartReview),
        ReviewCmd::Return { id, items } => (
            id,
            ReviewAction::Return {
                items: items.iter().map(|i| correction(i)).collect(),
            },
        ),
        ReviewCmd::Approve { id, note } => (id, ReviewAction::Approve { note }),
        ReviewCmd::Reject { id, reasons } => (id, ReviewAction::Reject { reasons }),
    };
    let app = applications::review(&mut tx, &action.0, action.1, actor).await?;
    tx.commit().await?;
    let receipt = app
        .timeline
        .last()
        .map(|t| t.receipt_no.clone())
        .unwrap_or_default();
    Ok(match &app.certificate_no {
        Some(cert) => format!("{}\t{}\t{receipt}\t{cert}", app.id, app.state.as_str()),
        None => format!("{}\t{}\t{receipt}", app.id, app.state.as_str()),
    })
}

pub async fn appeal(database: &crate::Database, actor: &str, cmd: AppealCmd) -> Result<String> {
    let pool = db::connect(database, db::Durability::Full).await?;
    let mut tx = crate::db::begin_write(&pool).await?;
    let (id, action) = match cmd {
        AppealCmd::List => {
            let list = appeals::list_all(&mut tx).await?;
            let lines: Vec<String> = list
                .iter()
                .map(|a| {
                    format!(
                        "{}\t{:?}\t{:?}\t{}\t{}",
                        a.id, a.state, a.category, a.respond_by, a.title
                    )
                })
                .collect();
            return Ok(lines.join("\n"));
        }
        AppealCmd::Accept { id } => (id, AppealAction::Accept),
        AppealCmd::Assign { id, to } => (id, AppealAction::Assign { to }),
        AppealCmd::Reply { id, message } => (id, AppealAction::Reply { body: message }),
        AppealCmd::Close { id } => (id, AppealAction::Close),
    };
    let a = appeals::act(&mut tx, &id, action, actor).await?;
    tx.commit().await?;
    Ok(format!("{}\t{:?}", a.id, a.state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correction_items_may_name_a_material() {
        assert_eq!(
            correction("commitment_letter: 缺少法定代表人签字"),
            CorrectionItem {
                material_type: Some("commitment_letter".into()),
                text: "缺少法定代表人签字".into()
            }
        );
        assert_eq!(correction("请补充返岗人员名单").material_type, None);
    }
}
