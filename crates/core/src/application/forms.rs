//! The forms the officer prints, signs, seals, scans and attaches back: the application
//! form and the commitment letter, each with the returning-staff list as its annex, made from
//! the company profile, the roster and the passing self-check; and the receipt of a round.

use sha2::{Digest, Sha256};
use yiqifu_protocol::profile::industry_label;
use yiqifu_protocol::CompanyProfile;
use yiqifu_report::{SelfCheckRef, StaffLine};

use super::store;
use super::view::{FormKind, FormState};
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::infra::clock::today_in_china;
use crate::selfcheck::{GateLock, RunView};
use crate::workspace::Workspace;

pub(super) fn selfcheck_ref(run: &RunView) -> SelfCheckRef {
    SelfCheckRef {
        template_title: run.template.title.clone(),
        template_version: run.template.version,
        finished_on: run.summary.finished_on.clone(),
        answers_sha256: run.sha256.clone(),
    }
}

fn staff_lines(rows: &[yiqifu_roster::StaffRow]) -> Vec<StaffLine> {
    rows.iter()
        .map(|r| StaffLine {
            name: r.name.clone(),
            id_number: r.id_number.clone(),
            phone: r.phone.clone(),
            department: r.department.clone(),
            dormitory: r.dormitory.clone(),
            test_result: r
                .test_result
                .map(|t| match t {
                    yiqifu_roster::TestResult::Negative => "阴性",
                    yiqifu_roster::TestResult::Positive => "阳性",
                })
                .unwrap_or_default()
                .into(),
            test_date: r.test_date.clone().unwrap_or_default(),
        })
        .collect()
}

/// What a form prints, in one place: the form, the profile, the roster and the self-check.
pub(super) struct Inputs {
    pub profile: CompanyProfile,
    pub run: RunView,
    pub roster: Vec<yiqifu_roster::StaffRow>,
    /// Hex SHA-256 of all of it, per kind.
    pub fingerprint: String,
}

impl Workspace {
    /// The passing self-check an application carries, whole.
    pub(crate) async fn passing_run(&self) -> Result<RunView> {
        let gate = self.selfcheck_gate().await?;
        match (gate.open, gate.run_id) {
            (true, Some(id)) => self.selfcheck_run(&id).await,
            _ => Err(Error::SelfCheckRequired(
                gate.lock.unwrap_or(GateLock::NoSelfCheck),
            )),
        }
    }

    pub(super) async fn form_inputs(&self, kind: FormKind) -> Result<Inputs> {
        let profile = self.saved_profile().await?.ok_or(Error::ProfileRequired)?;
        let run = self.passing_run().await?;
        let roster = self.roster_rows().await?;
        let account = self.profile();
        let mut h = Sha256::new();
        h.update(kind.as_str());
        h.update(serde_json::to_vec(&(
            &account.name,
            &account.credit_code,
            &profile,
            &run.summary.id,
            &run.sha256,
            &roster,
        ))?);
        Ok(Inputs {
            profile,
            run,
            roster,
            fingerprint: hex::encode(h.finalize()),
        })
    }

    /// The fingerprint a form of `kind` would have now, or `None` when it cannot be made.
    pub(super) async fn current_form_inputs(&self, kind: FormKind) -> Result<Option<String>> {
        match self.form_inputs(kind).await {
            Ok(i) => Ok(Some(i.fingerprint)),
            Err(Error::ProfileRequired | Error::SelfCheckRequired(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(super) async fn form_states(&self) -> Result<Vec<FormState>> {
        let made = store::generated(self.store()).await?;
        let mut out = Vec::new();
        for kind in FormKind::ALL {
            let last = made.iter().find(|g| g.kind == kind.as_str());
            let now = self.current_form_inputs(kind).await?;
            out.push(FormState {
                kind,
                generated_at: last.map(|g| g.generated_at),
                form_id: last.map(|g| g.form_id.clone()),
                current: last.is_some_and(|g| Some(&g.inputs) == now.as_ref()),
            });
        }
        Ok(out)
    }

    /// Makes a form for signature from the profile, roster and self-check as they are now,
    /// and remembers from what, so the check can tell when it is out of date. Returns the
    /// file name to offer and the PDF.
    pub async fn generate_form(&self, kind: FormKind) -> Result<(String, Vec<u8>)> {
        let inputs = self.form_inputs(kind).await?;
        if inputs.roster.is_empty() {
            return Err(Error::RosterEmpty);
        }
        let account = self.profile();
        let form_id = inputs.fingerprint[..16].to_string();
        let date = today_in_china();
        let staff = staff_lines(&inputs.roster);
        let returning = u32::try_from(inputs.roster.len()).unwrap_or(u32::MAX);
        let p = &inputs.profile;
        let rendered = match kind {
            FormKind::ApplicationForm => {
                let form = yiqifu_report::ApplicationForm {
                    company_name: account.name.clone(),
                    credit_code: account.credit_code.clone(),
                    address: p.address.clone(),
                    district: p.district.clone(),
                    industry: industry_label(&p.industry_section, &p.industry_division),
                    headcount: p.headcount,
                    on_site: p.on_site,
                    returning_staff: returning,
                    risk_area: p.risk_area.name_zh().into(),
                    dormitories: if p.dormitories {
                        "厂区内住宿"
                    } else {
                        "不在厂区住宿"
                    }
                    .into(),
                    whitelist_batch: p.whitelist_batch.clone(),
                    contacts: p
                        .contacts
                        .iter()
                        .map(|c| yiqifu_report::Contact {
                            name: c.name.clone(),
                            role: c.role.clone(),
                            phone: c.phone.clone(),
                        })
                        .collect(),
                    selfcheck: selfcheck_ref(&inputs.run),
                    staff,
                    date: date.clone(),
                    form_id: form_id.clone(),
                };
                tokio::task::spawn_blocking(move || yiqifu_report::render_application_form(&form))
                    .await
            }
            FormKind::CommitmentLetter => {
                let letter = yiqifu_report::CommitmentLetter {
                    company_name: account.name.clone(),
                    credit_code: account.credit_code.clone(),
                    address: p.address.clone(),
                    district: p.district.clone(),
                    on_site: p.on_site,
                    returning_staff: returning,
                    risk_area: p.risk_area.name_zh().into(),
                    dormitories: p.dormitories,
                    staff,
                    date: date.clone(),
                    form_id: form_id.clone(),
                };
                tokio::task::spawn_blocking(move || {
                    yiqifu_report::render_commitment_letter(&letter)
                })
                .await
            }
        };
        let bytes = rendered
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
            .map_err(|e| Error::Report {
                code: e.code(),
                detail: e.to_string(),
            })?;
        store::put_generated(self.store(), kind.as_str(), &inputs.fingerprint, &form_id).await?;
        self.changed(&[Topic::Application]);
        let name = format!("{}-{}-{date}.pdf", kind.name_zh(), safe_name(&account.name));
        Ok((name, bytes))
    }
}

/// A company name fit for a file name: no path or control characters, at most 150 bytes.
pub fn safe_name(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
        .scan(0usize, |bytes, c| {
            *bytes += c.len_utf8();
            (*bytes <= 150).then_some(c)
        })
        .collect()
}
