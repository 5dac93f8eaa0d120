//! 复工自查: the company profile (企业信息), the self-check wizard's drafts, finished
//! self-checks with their reports, and the gate an application must pass. The rules are
//! the protocol crate's engine, the same the service applies.

mod judge;
pub(crate) mod op;
mod report;
mod store;
mod view;

use std::collections::HashSet;
use std::path::Path;

use sha2::{Digest, Sha256};
use yiqifu_protocol::selfcheck::{self as engine, Lang};
use yiqifu_protocol::{
    Answer, AnswerValue, CompanyProfile, FieldProblem, ItemKind, SelfCheckSubmission, TemplateItem,
};

use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::outbox;
use crate::store::Store;
use crate::workspace::Workspace;
use judge::{
    all_templates, carry_over, count, current_template, info, judge, newest, sources, summary,
    today_in_china,
};
pub use view::*;

/// The outbox's record id of the profile: there is one per enterprise.
const PROFILE_RECORD: &str = "company-profile";

impl Workspace {
    fn catalog(&self) -> &Store {
        self.shared().catalog()
    }

    /// The saved company profile, if any.
    pub async fn saved_profile(&self) -> Result<Option<CompanyProfile>> {
        Ok(store::profile(self.store()).await?.map(|(p, _)| p))
    }

    pub async fn company_profile(&self) -> Result<ProfileView> {
        let account = self.profile();
        let (profile, saved_at) = match store::profile(self.store()).await? {
            Some((p, at)) => (Some(p), Some(at)),
            None => (None, None),
        };
        let suggested = CompanyProfile {
            address: String::new(),
            district: account.district.clone(),
            industry_section: yiqifu_protocol::profile::section_of_name(&account.industry)
                .unwrap_or_default()
                .into(),
            industry_division: String::new(),
            headcount: 0,
            on_site: 0,
            contacts: vec![],
            risk_area: yiqifu_protocol::RiskArea::Precaution,
            dormitories: false,
            whitelist_batch: None,
        };
        Ok(ProfileView {
            account,
            profile,
            suggested,
            saved_at,
            unsent: profile_unsent(self.store()).await?.is_some(),
        })
    }

    /// Saves the profile here and queues it for the service, in one transaction; a profile
    /// with bad fields is refused whole, each field named.
    pub async fn save_company_profile(&self, mut profile: CompanyProfile) -> Result<()> {
        profile.address = profile.address.trim().into();
        for c in &mut profile.contacts {
            c.name = c.name.trim().into();
            c.role = c.role.trim().into();
            c.phone = c.phone.trim().into();
        }
        profile.whitelist_batch = profile
            .whitelist_batch
            .map(|b| b.trim().to_string())
            .filter(|b| !b.is_empty());
        let problems = profile.problems();
        if !problems.is_empty() {
            return Err(Error::InvalidProfile(problems));
        }
        let mut tx = self.store().write().await?;
        store::save_profile(&mut tx, &profile).await?;
        outbox::supersede(&mut tx, PROFILE_RECORD, op::UPDATE_PROFILE.kind).await?;
        outbox::enqueue(
            &mut tx,
            PROFILE_RECORD,
            &op::UPDATE_PROFILE,
            &op::UpdateProfile { profile },
        )
        .await?;
        tx.commit().await?;
        self.after_write(&[Topic::SelfCheck, Topic::Outbox]).await
    }

    /// On a computer with no profile yet (another computer, a reinstall), takes the one the
    /// service has, so the form starts from it and a first save does not replace it blindly.
    pub(crate) async fn adopt_service_profile(
        &self,
        client: &crate::client::CentralClient,
        token: &str,
    ) -> Result<()> {
        if store::profile(self.store()).await?.is_some()
            || profile_unsent(self.store()).await?.is_some()
        {
            return Ok(());
        }
        let body = match client
            .call(reqwest::Method::GET, "api/v1/profile", token, None, None)
            .await
        {
            Ok(b) => b,
            Err(Error::Server { status: 404, .. }) => return Ok(()),
            Err(e) => return Err(e),
        };
        let stored: yiqifu_protocol::StoredProfile =
            serde_json::from_value(body).map_err(|e| Error::MalformedResponse(e.to_string()))?;
        let mut tx = self.store().write().await?;
        store::save_profile(&mut tx, &stored.profile).await?;
        tx.commit().await?;
        self.changed(&[Topic::SelfCheck]);
        Ok(())
    }

    async fn ready_profile(&self) -> Result<CompanyProfile> {
        self.saved_profile().await?.ok_or(Error::ProfileRequired)
    }

    /// Every template, with this enterprise's draft and last result, and the gate.
    pub async fn selfcheck_overview(&self) -> Result<Overview> {
        let profile = self.saved_profile().await?;
        let all = newest(all_templates(self.catalog()).await?);
        let mut templates = Vec::new();
        for t in &all {
            let draft = store::load_draft(self.store(), &t.id).await?;
            let last = store::latest_run(self.store(), Some(&t.id)).await?;
            let draft_info = match (&draft, &profile) {
                (Some(d), Some(p)) => {
                    let answers = store::load_answers(self.store(), &t.id).await?;
                    let shown = engine::visible_items(&d.template, p, &answers);
                    let ids: HashSet<&str> = shown.iter().map(|i| i.id.as_str()).collect();
                    Some(DraftInfo {
                        template_version: d.template.version,
                        answered: count(
                            answers
                                .iter()
                                .filter(|a| ids.contains(a.item_id.as_str()))
                                .count(),
                        ),
                        shown: count(shown.len()),
                        step: d.step,
                        updated_at: d.updated_at,
                    })
                }
                _ => None,
            };
            let updated = draft
                .as_ref()
                .map(|d| d.template.version)
                .or(last.as_ref().map(|r| r.template.version))
                .is_some_and(|v| v != t.version);
            templates.push(OverviewEntry {
                template: info(t),
                draft: draft_info,
                last_run: last.as_ref().map(|r| summary(r, Some(t.version))),
                updated,
            });
        }
        Ok(Overview {
            templates,
            profile_ready: profile.is_some(),
            gate: self.selfcheck_gate().await?,
        })
    }

    /// Opens the wizard on the newest version of `template_id`: a draft is started (from
    /// the last result's answers, if any) or moved to a newer template, keeping what still
    /// holds and marking what to look at again.
    pub async fn open_selfcheck(&self, template_id: &str) -> Result<DraftView> {
        let profile = self.ready_profile().await?;
        let current = current_template(self.catalog(), template_id).await?;
        match store::load_draft(self.store(), template_id).await? {
            // A version the service withdrew counts as changed too: only the current one is judged.
            Some(d) if d.template.version == current.version => {}
            Some(d) => {
                let answers = store::load_answers(self.store(), template_id).await?;
                let (kept, recheck, changes) = carry_over(&d.template, &current, answers);
                store::write_draft(self.store(), &current, &kept, &recheck, Some(&changes)).await?;
                self.changed(&[Topic::SelfCheck]);
            }
            None => {
                let last = store::latest_run(self.store(), Some(template_id)).await?;
                match last {
                    Some(r) if r.template.version != current.version => {
                        let (kept, recheck, changes) = carry_over(&r.template, &current, r.answers);
                        store::write_draft(self.store(), &current, &kept, &recheck, Some(&changes))
                            .await?;
                    }
                    Some(r) => {
                        store::write_draft(
                            self.store(),
                            &current,
                            &r.answers,
                            &HashSet::new(),
                            None,
                        )
                        .await?
                    }
                    None => {
                        store::write_draft(self.store(), &current, &[], &HashSet::new(), None)
                            .await?
                    }
                }
                self.changed(&[Topic::SelfCheck]);
            }
        }
        self.draft_view(template_id, &profile).await
    }

    async fn draft_view(&self, template_id: &str, profile: &CompanyProfile) -> Result<DraftView> {
        let d = store::load_draft(self.store(), template_id)
            .await?
            .ok_or_else(|| Error::NotFound(template_id.into()))?;
        let answers = store::load_answers(self.store(), template_id).await?;
        let added: HashSet<String> = d
            .changes
            .as_ref()
            .map(|c| c.added.iter().map(|i| i.id.clone()).collect())
            .unwrap_or_default();
        let j = judge(
            self.store(),
            &d.template,
            profile,
            &answers,
            &d.recheck,
            &added,
        )
        .await?;
        let recheck = count(j.items.iter().filter(|i| i.recheck).count());
        let sources = sources(self.catalog(), &d.template).await?;
        Ok(DraftView {
            sources,
            step: d.step.min(count(d.template.sections.len())),
            template: d.template,
            items: j.items,
            verdict: j.verdict,
            answered: j.answered,
            shown: j.shown,
            changes: d.changes,
            recheck,
        })
    }

    async fn draft_item(&self, template_id: &str, item_id: &str) -> Result<TemplateItem> {
        let d = store::load_draft(self.store(), template_id)
            .await?
            .ok_or_else(|| Error::NotFound(template_id.into()))?;
        let item = d.template.items().find(|i| i.id == item_id).cloned();
        item.ok_or_else(|| Error::NotFound(item_id.into()))
    }

    /// Saves one answer as it is given (or clears it with `None`). An answer that cannot be
    /// one (it breaks the item's constraint) is refused with the item's own message.
    pub async fn answer_item(
        &self,
        template_id: &str,
        item_id: &str,
        value: Option<AnswerValue>,
    ) -> Result<DraftView> {
        let profile = self.ready_profile().await?;
        let item = self.draft_item(template_id, item_id).await?;
        if let Some(AnswerValue::Evidence(id)) = &value {
            // Only a file this enterprise stored for this kind of material can be evidence
            // (the officer confirming an answer sends it back as it was).
            let files = crate::materials::files(self.store(), &[id.as_str()]).await?;
            let wanted = item
                .material_type
                .as_deref()
                .unwrap_or("selfcheck_evidence");
            if !files.iter().any(|f| f.material_type == wanted) {
                return Err(Error::InvalidAnswer {
                    zh: "请点击“选择文件”上传这一项的证明材料。".into(),
                    en: "Use “Choose a file” to attach this item's evidence.".into(),
                });
            }
        }
        if let Some(v) = &value {
            if let Err(reason) = engine::check_answer(&item, v) {
                let f = engine::ItemFailure {
                    item_id: item.id.clone(),
                    reason,
                    need: None,
                    answer: None,
                };
                return Err(Error::InvalidAnswer {
                    zh: engine::explain(Some(&item), &f, Lang::Zh),
                    en: engine::explain(Some(&item), &f, Lang::En),
                });
            }
        }
        store::write_answer(self.store(), template_id, item_id, value.as_ref()).await?;
        self.changed(&[Topic::SelfCheck]);
        self.draft_view(template_id, &profile).await
    }

    /// Copies the picked file into the material store, queues its upload and makes it the
    /// evidence item's answer.
    pub async fn answer_with_file(
        &self,
        template_id: &str,
        item_id: &str,
        path: &Path,
    ) -> Result<DraftView> {
        let profile = self.ready_profile().await?;
        let item = self.draft_item(template_id, item_id).await?;
        if item.kind != ItemKind::Evidence {
            return Err(Error::NotFound(item_id.into()));
        }
        let material = item
            .material_type
            .clone()
            .unwrap_or_else(|| "selfcheck_evidence".into());
        let local = self.add_checked_upload(path, &material).await?;
        store::write_answer(
            self.store(),
            template_id,
            item_id,
            Some(&AnswerValue::Evidence(local)),
        )
        .await?;
        self.changed(&[Topic::SelfCheck]);
        self.draft_view(template_id, &profile).await
    }

    /// Remembers the step the officer is on, so a restart comes back to it.
    pub async fn set_selfcheck_step(&self, template_id: &str, step: u32) -> Result<()> {
        store::set_step(self.store(), template_id, step).await
    }

    /// The officer has read what the template update changed.
    pub async fn dismiss_template_changes(&self, template_id: &str) -> Result<()> {
        store::dismiss_changes(self.store(), template_id).await?;
        self.changed(&[Topic::SelfCheck]);
        Ok(())
    }

    /// Finishes the self-check: the verdict is judged and kept with everything it was
    /// judged on, read-only. The draft stays, to fix what failed and finish again.
    pub async fn finish_selfcheck(&self, template_id: &str) -> Result<RunSummary> {
        let profile = self.ready_profile().await?;
        let current = current_template(self.catalog(), template_id).await?;
        let d = store::load_draft(self.store(), template_id)
            .await?
            .ok_or_else(|| Error::NotFound(template_id.into()))?;
        if d.template.version != current.version {
            return Err(Error::TemplateUpdated(current.version));
        }
        let answers = store::load_answers(self.store(), template_id).await?;
        let shown: HashSet<&str> = engine::visible_items(&d.template, &profile, &answers)
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        let pending = d
            .recheck
            .iter()
            .filter(|i| shown.contains(i.as_str()))
            .count();
        if pending > 0 {
            return Err(Error::RecheckPending(count(pending)));
        }
        let verdict = engine::evaluate(&d.template, &profile, &answers);
        let canonical = engine::canonical_answers(&d.template, &profile, &answers);
        let sha256 = hex::encode(Sha256::digest(canonical.as_bytes()));
        // Only the answers the verdict read are kept: hidden ones are not part of it.
        let kept: Vec<&Answer> = answers
            .iter()
            .filter(|a| shown.contains(a.item_id.as_str()))
            .collect();
        let id = store::insert_run(
            self.store(),
            &d.template,
            &profile,
            &kept,
            verdict.passed,
            &sha256,
            &today_in_china(),
        )
        .await?;
        self.changed(&[Topic::SelfCheck]);
        let r = store::run(self.store(), &id).await?;
        Ok(summary(&r, Some(current.version)))
    }

    /// Past self-checks, newest first.
    pub async fn selfcheck_history(&self) -> Result<Vec<RunSummary>> {
        let newest = newest(all_templates(self.catalog()).await?);
        let version = |id: &str| newest.iter().find(|t| t.id == id).map(|t| t.version);
        Ok(store::runs(self.store())
            .await?
            .iter()
            .map(|r| summary(r, version(&r.template.id)))
            .collect())
    }

    /// A past self-check, read-only, as it was judged.
    pub async fn selfcheck_run(&self, id: &str) -> Result<RunView> {
        let r = store::run(self.store(), id).await?;
        let newest = current_template(self.catalog(), &r.template.id)
            .await
            .ok()
            .map(|t| t.version);
        let j = judge(
            self.store(),
            &r.template,
            &r.profile,
            &r.answers,
            &HashSet::new(),
            &HashSet::new(),
        )
        .await?;
        Ok(RunView {
            sources: sources(self.catalog(), &r.template).await?,
            summary: summary(&r, newest),
            items: j.items,
            verdict: j.verdict,
            sha256: r.sha256.clone(),
            template: r.template,
            profile: r.profile,
        })
    }

    /// The signed report of a past self-check: a PDF, and the file name to offer.
    pub async fn selfcheck_report(&self, id: &str) -> Result<(String, Vec<u8>)> {
        let view = self.selfcheck_run(id).await?;
        let account = self.profile();
        let bytes = report::render(&account, &view)?;
        // A name any file system takes: no separators or control characters, and short
        // enough (255 bytes) with the prefix and the date.
        let company: String = account
            .name
            .chars()
            .map(|c| {
                if c.is_control() || "/\\:*?\"<>|".contains(c) {
                    '_'
                } else {
                    c
                }
            })
            .scan(0usize, |bytes, c| {
                *bytes += c.len_utf8();
                (*bytes <= 150).then_some(c)
            })
            .collect();
        let name = format!("复工自查报告-{company}-{}.pdf", view.summary.finished_on);
        Ok((name, bytes))
    }

    /// Whether an application may be prepared, and if not, why.
    pub async fn selfcheck_gate(&self) -> Result<Gate> {
        let locked = |lock: GateLock| Gate {
            open: false,
            lock: Some(lock),
            reason_zh: Some(lock.message_zh().into()),
            reason_en: Some(lock.message_en().into()),
            run_id: None,
            template_id: None,
        };
        let Some(profile) = self.saved_profile().await? else {
            return Ok(locked(GateLock::NoProfile));
        };
        let all = newest(all_templates(self.catalog()).await?);
        if all.is_empty() {
            return Ok(locked(GateLock::NoTemplate));
        }
        let Some(last) = store::latest_run(self.store(), None).await? else {
            return Ok(locked(GateLock::NoSelfCheck));
        };
        let with_template = |mut g: Gate| {
            g.template_id = Some(last.template.id.clone());
            g
        };
        let Some(current) = all.iter().find(|t| t.id == last.template.id) else {
            return Ok(with_template(locked(GateLock::Outdated)));
        };
        if last.template.version != current.version {
            return Ok(with_template(locked(GateLock::Outdated)));
        }
        if !last.passed {
            return Ok(with_template(locked(GateLock::Failed)));
        }
        if !engine::evaluate(&last.template, &profile, &last.answers).passed {
            return Ok(with_template(locked(GateLock::ProfileChanged)));
        }
        Ok(Gate {
            open: true,
            lock: None,
            reason_zh: None,
            reason_en: None,
            run_id: Some(last.id.clone()),
            template_id: Some(last.template.id.clone()),
        })
    }

    /// The self-check an application carries: the passing one the gate names. Refused,
    /// with the gate's reason, when there is none.
    pub(crate) async fn passing_submission(&self) -> Result<SelfCheckSubmission> {
        let gate = self.selfcheck_gate().await?;
        let (true, Some(id)) = (gate.open, gate.run_id) else {
            return Err(Error::SelfCheckRequired(
                gate.lock.unwrap_or(GateLock::NoSelfCheck),
            ));
        };
        let r = store::run(self.store(), &id).await?;
        Ok(SelfCheckSubmission {
            template_id: r.template.id,
            template_version: r.template.version,
            answers: r.answers,
        })
    }
}

/// Whether a saved profile has yet to reach the service.
pub(crate) async fn profile_unsent(store: &Store) -> Result<Option<outbox::Need>> {
    Ok((outbox::pending_for(store, PROFILE_RECORD).await? > 0)
        .then(|| outbox::Need::Record(PROFILE_RECORD.into())))
}

/// The problems of a profile, for the form to show as the officer types.
pub fn profile_problems(profile: &CompanyProfile) -> Vec<FieldProblem> {
    profile.problems()
}
