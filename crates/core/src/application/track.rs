//! Following an application to a decision: the service's record pulled at every sync, the
//! officer told once of each new step, the rounds as they left, the receipt as a PDF, and the
//! package kept for export.

use std::path::Path;

use yiqifu_protocol::{Application, ApplicationState};

use super::store;
use super::view::{ApplicationView, Delivery, PendingUpload, RoundView};
use crate::changes::StatusNotice;
use crate::client::CentralClient;
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::records;
use crate::workspace::Workspace;

pub(super) fn state_zh(s: ApplicationState) -> &'static str {
    match s {
        ApplicationState::Submitted => "已提交",
        ApplicationState::Accepted => "已受理",
        ApplicationState::NotAccepted => "不予受理",
        ApplicationState::InReview => "审核中",
        ApplicationState::Returned => "退回补正",
        ApplicationState::Resubmitted => "已补正重新提交",
        ApplicationState::Approved => "审核通过（已列入白名单）",
        ApplicationState::Rejected => "不予通过",
    }
}

pub(super) fn state_en(s: ApplicationState) -> &'static str {
    match s {
        ApplicationState::Submitted => "submitted",
        ApplicationState::Accepted => "accepted",
        ApplicationState::NotAccepted => "not accepted",
        ApplicationState::InReview => "under review",
        ApplicationState::Returned => "returned for corrections",
        ApplicationState::Resubmitted => "resubmitted",
        ApplicationState::Approved => "approved (whitelisted)",
        ApplicationState::Rejected => "rejected",
    }
}

/// What to tell the officer of a new step.
fn notice(enterprise: &str, record_id: &str, app: &Application) -> StatusNotice {
    let last = app.timeline.last();
    let receipt = last.map(|t| t.receipt_no.clone()).unwrap_or_default();
    let (extra_zh, extra_en) = match app.state {
        ApplicationState::Approved => {
            let cert = app.certificate_no.clone().unwrap_or_default();
            (
                format!("白名单编号 {cert}。"),
                format!("Whitelist certificate {cert}."),
            )
        }
        ApplicationState::Returned => {
            let n = app.correction.as_ref().map_or(0, |c| c.items.len());
            (
                format!("需补正 {n} 项，请在复工申请中查看并补正。"),
                format!(
                    "{n} {} to correct: open the application to see them.",
                    if n == 1 { "item" } else { "items" }
                ),
            )
        }
        ApplicationState::NotAccepted | ApplicationState::Rejected => (
            format!("理由：{}。", app.reasons.join("；")),
            format!("Reasons: {}.", app.reasons.join("; ")),
        ),
        _ => (String::new(), String::new()),
    };
    StatusNotice {
        enterprise: enterprise.into(),
        record_id: record_id.into(),
        state: app.state,
        title_zh: format!("复工申请{}", state_zh(app.state)),
        title_en: format!("Application {}", state_en(app.state)),
        body_zh: format!("{}：回执编号 {receipt}。{extra_zh}", app.enterprise_name),
        body_en: format!("{}: receipt {receipt}. {extra_en}", app.enterprise_name),
    }
}

impl Workspace {
    /// The service's latest answer for an application record, if it has one. An answer this
    /// version cannot read counts as none, and is logged.
    pub(crate) async fn server_application(&self, record_id: &str) -> Result<Option<Application>> {
        let rec = records::get(self.store(), record_id).await?;
        Ok(rec.server_body.and_then(|b| match serde_json::from_str(&b) {
            Ok(a) => Some(a),
            Err(e) => {
                tracing::warn!(record = record_id, error = %e, "unreadable application from the service");
                None
            }
        }))
    }

    /// Every application sent from here, newest first, with where it stands.
    pub async fn applications(&self) -> Result<Vec<ApplicationView>> {
        let correcting = store::draft(self.store()).await?.and_then(|d| d.record_id);
        let rounds = store::rounds(self.store(), None).await?;
        let mut out = Vec::new();
        for rec in records::list(self.store(), Some("application"))
            .await?
            .into_iter()
            .rev()
        {
            let server: Option<Application> = rec
                .server_body
                .as_deref()
                .and_then(|b| serde_json::from_str(b).ok());
            let mine: Vec<RoundView> = rounds
                .iter()
                .filter(|r| r.record_id == rec.local_id)
                .map(|r| RoundView {
                    round: r.round,
                    created_at: r.created_at,
                    files: r.files.clone(),
                    selfcheck: r.selfcheck.clone(),
                    package_sha256: r.package_sha256.clone(),
                    package_size: r.package_size,
                    note: r.note.clone(),
                })
                .collect();
            let uploads = self.pending_uploads(&mine).await?;
            let parked = crate::outbox::parked_for(self.store(), &rec.local_id).await?
                || uploads.iter().any(|u| u.parked);
            let delivery = if parked {
                Delivery::Parked
            } else if rec.pending > 0 || !uploads.is_empty() {
                Delivery::Queued
            } else {
                Delivery::Delivered
            };
            out.push(ApplicationView {
                correcting: correcting.as_deref() == Some(rec.local_id.as_str()),
                record_id: rec.local_id,
                delivery,
                server,
                rounds: mine,
                uploads,
            });
        }
        Ok(out)
    }

    /// The unfinished uploads of an application's last round.
    async fn pending_uploads(&self, rounds: &[RoundView]) -> Result<Vec<PendingUpload>> {
        let Some(last) = rounds.last() else {
            return Ok(vec![]);
        };
        let mut out = Vec::new();
        for f in &last.files {
            let Some(file) = store::file_by_id(self.store(), &f.file_id).await? else {
                continue;
            };
            let Some(upload) = file.upload_id else {
                continue;
            };
            let row: Option<(i64, i64, i64)> =
                sqlx::query_as("SELECT done, parked, size FROM uploads WHERE local_id = ?")
                    .bind(&upload)
                    .fetch_optional(self.store().pool())
                    .await?;
            if let Some((0, parked, size)) = row {
                out.push(PendingUpload {
                    local_id: upload,
                    filename: f.filename.clone(),
                    sent: 0,
                    total: u64::try_from(size).unwrap_or(0),
                    parked: parked == 1,
                });
            }
        }
        Ok(out)
    }

    /// Pulls the enterprise's applications from the service and keeps each one's latest
    /// record; a new step is announced once (a desktop notification), the officer's own
    /// submissions are not.
    pub(crate) async fn refresh_applications(
        &self,
        client: &CentralClient,
        token: &str,
    ) -> Result<()> {
        let local = records::list(self.store(), Some("application")).await?;
        if !local.iter().any(|r| r.server_id.is_some()) {
            return Ok(());
        }
        let items = client.list_pages("api/v1/applications", token).await?;
        let mut changed = false;
        let mut notices = Vec::new();
        for item in items {
            let Some(id) = item.get("id").and_then(|v| v.as_str()) else {
                continue;
            };
            let Some(rec) = local.iter().find(|r| r.server_id.as_deref() == Some(id)) else {
                continue;
            };
            let app: Application = match serde_json::from_value(item.clone()) {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(application = id, error = %e, "unreadable application from the service");
                    continue;
                }
            };
            let same = rec
                .server_body
                .as_deref()
                .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
                .is_some_and(|old| old == item);
            let steps = i64::try_from(app.timeline.len()).unwrap_or(i64::MAX);
            let seen = store::seen(self.store(), &rec.local_id).await?;
            let mut tx = self.store().write().await?;
            if !same {
                records::apply_answer(&mut tx, &rec.local_id, &item).await?;
                changed = true;
            }
            let news = match &seen {
                Some((_, n)) => *n < steps,
                // The first answer of the officer's own submission is no news.
                None => !matches!(
                    app.state,
                    ApplicationState::Submitted | ApplicationState::Resubmitted
                ),
            };
            if seen.as_ref().is_none_or(|(_, n)| *n != steps) {
                store::set_seen(&mut tx, &rec.local_id, app.state.as_str(), steps).await?;
            }
            tx.commit().await?;
            if news && !matches!(app.state, ApplicationState::Resubmitted) {
                notices.push(notice(self.id(), &rec.local_id, &app));
            }
        }
        if changed {
            self.changed(&[Topic::Application, Topic::Records]);
        }
        for n in notices {
            let _ = self.shared().notices.send(n);
        }
        Ok(())
    }

    /// The receipt of a round (the last when `round` is none) as a PDF, once the service
    /// answered it: number, time, package hash, every file, every step so far.
    pub async fn application_receipt(
        &self,
        record_id: &str,
        round: Option<u32>,
    ) -> Result<(String, Vec<u8>)> {
        let app = self
            .server_application(record_id)
            .await?
            .ok_or(Error::NotReady)?;
        let rounds = store::rounds(self.store(), Some(record_id)).await?;
        let r = match round {
            Some(n) => rounds.iter().find(|r| r.round == n),
            None => rounds.last(),
        }
        .ok_or_else(|| Error::NotFound(record_id.into()))?;
        let rules = self.material_rules().await.unwrap_or_default();
        // The step that answered this round: its submission (round 1) or resubmission.
        let answered = app
            .timeline
            .iter()
            .filter(|t| {
                matches!(
                    t.to,
                    ApplicationState::Submitted | ApplicationState::Resubmitted
                )
            })
            .nth(r.round.saturating_sub(1) as usize)
            .ok_or(Error::NotReady)?;
        let receipt = yiqifu_report::Receipt {
            company_name: app.enterprise_name.clone(),
            credit_code: app.credit_code.clone(),
            application_id: app.id.clone(),
            round: r.round,
            state: state_zh(app.state).into(),
            certificate_no: app.certificate_no.clone(),
            submitted_at: local_time(&answered.at),
            package_sha256: r.package_sha256.clone(),
            selfcheck: yiqifu_report::SelfCheckRef {
                template_title: r.selfcheck.template_title.clone(),
                template_version: r.selfcheck.template_version,
                finished_on: r.selfcheck.finished_on.clone(),
                answers_sha256: r.selfcheck.answers_sha256.clone(),
            },
            materials: r
                .files
                .iter()
                .map(|f| yiqifu_report::ReceiptMaterial {
                    type_name: rules
                        .iter()
                        .find(|x| x.material_type == f.material_type)
                        .map_or(f.material_type.clone(), |x| x.name.clone()),
                    filename: f.filename.clone(),
                    size: f.size,
                    sha256: f.sha256.clone(),
                })
                .collect(),
            steps: app
                .timeline
                .iter()
                .map(|t| yiqifu_report::ReceiptStep {
                    state: state_zh(t.to).into(),
                    at: local_time(&t.at),
                    receipt_no: t.receipt_no.clone(),
                    note: t.note.clone(),
                })
                .collect(),
            date: local_time(&answered.at).chars().take(10).collect(),
        };
        let bytes = tokio::task::spawn_blocking(move || yiqifu_report::render_receipt(&receipt))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
            .map_err(|e| Error::Report {
                code: e.code(),
                detail: e.to_string(),
            })?;
        let name = format!(
            "复工申请回执-{}-第{}轮-{}.pdf",
            super::forms::safe_name(&app.enterprise_name),
            r.round,
            answered.receipt_no
        );
        Ok((name, bytes))
    }

    /// Copies the package a round sent to `dest` (whole or not at all).
    pub async fn export_package(&self, record_id: &str, round: u32, dest: &Path) -> Result<()> {
        let rounds = store::rounds(self.store(), Some(record_id)).await?;
        let r = rounds
            .iter()
            .find(|r| r.round == round)
            .ok_or_else(|| Error::NotFound(record_id.into()))?;
        let src = self.package_path(&r.package_sha256);
        if !tokio::fs::try_exists(&src).await? {
            return Err(Error::NotFound(format!("package {}", r.package_sha256)));
        }
        crate::store::copy_file_atomically(&src, dest).await
    }

    /// The name to offer when saving a round's package.
    pub async fn package_name(&self, record_id: &str, round: u32) -> Result<String> {
        let account = self.profile();
        let _ = store::rounds(self.store(), Some(record_id))
            .await?
            .into_iter()
            .find(|r| r.round == round)
            .ok_or_else(|| Error::NotFound(record_id.into()))?;
        Ok(format!(
            "复工申请包-{}-第{round}轮.zip",
            super::forms::safe_name(&account.name)
        ))
    }
}

/// An RFC 3339 time as China time, `YYYY-MM-DD HH:MM`.
pub(super) fn local_time(rfc3339: &str) -> String {
    let parsed =
        time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339);
    match parsed {
        Ok(t) => {
            let t = t.to_offset(time::macros::offset!(+8));
            let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
            t.format(&f).unwrap_or_else(|_| rfc3339.to_string())
        }
        Err(_) => rfc3339.to_string(),
    }
}
