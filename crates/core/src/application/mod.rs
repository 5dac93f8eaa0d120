//! 复工意向: the resume-work application. The officer assembles it offline (materials checked
//! before they are accepted, the roster, forms generated for signature), checks it as a whole,
//! sends it once (a deterministic package, uploads by tus, one idempotent request), follows it
//! to a decision, and answers a return for corrections with only what it asks.

mod check;
mod correct;
mod files;
mod forms;
pub(crate) mod op;
mod reopen;
mod store;
mod submit;
mod track;
mod view;

use std::collections::HashMap;

use sqlx::{Sqlite, Transaction};
use yiqifu_protocol::{MaterialRule, NewApplication};

pub use forms::safe_name;
pub use view::*;

use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::workspace::Workspace;

/// The material the roster is exported as.
pub(crate) const STAFF_LIST: &str = "staff_list";
/// The most a contact name or note may hold, as the service allows.
const CONTACT_NAME_MAX: usize = yiqifu_protocol::LIMITS.application_contact_name as usize;
const NOTE_MAX: usize = yiqifu_protocol::LIMITS.application_note as usize;

pub(crate) fn rule_view(r: &MaterialRule) -> MaterialRuleView {
    MaterialRuleView {
        material_type: r.material_type.clone(),
        name: r.name.clone(),
        description: r.description.clone(),
        required: r.required,
        formats: r.formats.clone(),
        max_bytes: r.max_bytes,
        max_count: r.max_count,
    }
}

impl Workspace {
    /// The material rules as last synced, in the service's order.
    pub(crate) async fn material_rules(&self) -> Result<Vec<MaterialRule>> {
        crate::catalog::collection(self.shared().catalog(), crate::catalog::MATERIAL_RULES)
            .await?
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(|e| Error::MalformedResponse(e.to_string())))
            .collect()
    }

    pub(crate) async fn material_rule(&self, material_type: &str) -> Result<MaterialRule> {
        self.material_rules()
            .await?
            .into_iter()
            .find(|r| r.material_type == material_type)
            .ok_or_else(|| Error::FileRefused {
                code: "MATERIAL_UNKNOWN",
                zh: format!("服务未列出材料类型“{material_type}”：请联网同步后重试。"),
                en: format!(
                    "The service lists no material \"{material_type}\": sync, then try again."
                ),
            })
    }

    /// Starts the draft row if there is none, with the first contact of the profile.
    async fn ensure_draft(&self, tx: &mut Transaction<'static, Sqlite>) -> Result<()> {
        if store::draft(self.store()).await?.is_some() {
            return Ok(());
        }
        let contact = self
            .saved_profile()
            .await?
            .and_then(|p| p.contacts.into_iter().next());
        store::put_draft(
            tx,
            &store::Draft {
                record_id: None,
                contact_name: contact.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
                contact_phone: contact.map(|c| c.phone).unwrap_or_default(),
                note: String::new(),
            },
        )
        .await
    }

    /// The application being prepared, with every material and what it holds.
    pub async fn application_draft(&self) -> Result<ApplicationDraft> {
        let draft = store::draft(self.store()).await?;
        let rules = self.material_rules().await?;
        let files = store::draft_files(self.store()).await?;
        let record_id = draft.as_ref().and_then(|d| d.record_id.clone());
        let last = match &record_id {
            Some(r) => store::rounds(self.store(), Some(r)).await?.pop(),
            None => None,
        };
        let correction = match &record_id {
            Some(r) => self.server_application(r).await?.and_then(|a| a.correction),
            None => None,
        };
        let sent_before: HashMap<&str, Vec<&str>> = last.as_ref().map_or_else(HashMap::new, |l| {
            let mut m: HashMap<&str, Vec<&str>> = HashMap::new();
            for f in &l.files {
                m.entry(f.material_type.as_str())
                    .or_default()
                    .push(f.sha256.as_str());
            }
            m
        });
        let mut slots = Vec::new();
        for rule in &rules {
            let mut mine = Vec::new();
            for f in files
                .iter()
                .filter(|f| f.material_type == rule.material_type)
            {
                let carried = sent_before
                    .get(rule.material_type.as_str())
                    .is_some_and(|v| v.contains(&f.sha256.as_str()));
                mine.push(files::draft_file(self.store(), f, carried).await);
            }
            let mut now: Vec<&str> = mine.iter().map(|f| f.sha256.as_str()).collect();
            now.sort_unstable();
            let mut before = sent_before
                .get(rule.material_type.as_str())
                .cloned()
                .unwrap_or_default();
            before.sort_unstable();
            slots.push(MaterialSlot {
                asked: correction
                    .as_ref()
                    .map(|c| {
                        c.items
                            .iter()
                            .filter(|i| i.material_type.as_deref() == Some(&rule.material_type))
                            .map(|i| i.text.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
                changed: last.is_some() && now != before,
                rule: rule_view(rule),
                files: mine,
            });
        }
        let mut orphans = Vec::new();
        for f in files
            .iter()
            .filter(|f| !rules.iter().any(|r| r.material_type == f.material_type))
        {
            orphans.push(files::draft_file(self.store(), f, false).await);
        }
        let (contact_name, contact_phone, note) = match &draft {
            Some(d) => (
                d.contact_name.clone(),
                d.contact_phone.clone(),
                d.note.clone(),
            ),
            None => {
                let c = self
                    .saved_profile()
                    .await?
                    .and_then(|p| p.contacts.into_iter().next());
                (
                    c.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
                    c.map(|c| c.phone).unwrap_or_default(),
                    String::new(),
                )
            }
        };
        Ok(ApplicationDraft {
            round: last.as_ref().map_or(1, |l| l.round + 1),
            record_id,
            contact_name,
            contact_phone,
            note,
            slots,
            orphans,
            roster_count: self.roster_count().await?,
            forms: self.form_states().await?,
            correction,
            gate: self.selfcheck_gate().await?,
            rules_synced: !rules.is_empty(),
        })
    }

    /// Saves the contact and the note of the application being prepared, as typed.
    pub async fn save_application_fields(
        &self,
        contact_name: String,
        contact_phone: String,
        note: String,
    ) -> Result<()> {
        let clip = |s: String, max: usize| s.chars().take(max).collect::<String>();
        let mut tx = self.store().write().await?;
        self.ensure_draft(&mut tx).await?;
        let record_id = store::draft(self.store()).await?.and_then(|d| d.record_id);
        store::put_draft(
            &mut tx,
            &store::Draft {
                record_id,
                contact_name: clip(contact_name, CONTACT_NAME_MAX * 2),
                contact_phone: clip(contact_phone, 40),
                note: clip(note, NOTE_MAX * 2),
            },
        )
        .await?;
        tx.commit().await?;
        self.changed(&[Topic::Application]);
        Ok(())
    }

    /// Submits an application as a form built it (the sync engine's own path, and tests);
    /// material upload ids are local ids. It carries the passing self-check on the current
    /// template version, whatever `application.selfcheck` says; without one it is refused and
    /// nothing is queued.
    pub async fn submit_application(&self, mut application: NewApplication) -> Result<String> {
        application.selfcheck = self.passing_submission().await?;
        let fields = op::Submit { application };
        self.create_record("application", &fields.application, &op::SUBMIT, &fields)
            .await
    }

    /// Sends a parked application again as the officer corrected it; its self-check answers
    /// and materials stay as they were.
    pub async fn revise_application(&self, id: &str, application: NewApplication) -> Result<()> {
        self.revise(id, &op::SUBMIT, |item| op::revise(item, application))
            .await
    }
}
