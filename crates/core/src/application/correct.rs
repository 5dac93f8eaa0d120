//! 补正: a return lists everything to fix in one notice. The officer starts a correction from
//! exactly what was sent, replaces only what the notice asks, sees what changed against the
//! last round, and sends it again; every round stays in the history.

use std::collections::BTreeMap;

use yiqifu_protocol::selfcheck::{answer_text, Lang};
use yiqifu_protocol::{Answer, ApplicationState};

use super::store::{self, Draft};
use super::view::{
    AnswerChange, ApplicationDraft, Change, CorrectionDiff, MaterialChange, RoundFile,
};
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::workspace::Workspace;

impl Workspace {
    /// Starts correcting a returned application: the application being prepared becomes its
    /// next round, holding exactly the files the last round sent. Refused while another
    /// application with files is being prepared, so nothing of it is lost.
    pub async fn start_correction(&self, record_id: &str) -> Result<ApplicationDraft> {
        let app = self.server_application(record_id).await?;
        if app.as_ref().map(|a| a.state) != Some(ApplicationState::Returned) {
            return Err(Error::NotReturned(record_id.into()));
        }
        if let Some(d) = store::draft(self.store()).await? {
            if d.record_id.as_deref() == Some(record_id) {
                return self.application_draft().await;
            }
            if !store::draft_files(self.store()).await?.is_empty() {
                return Err(Error::DraftInProgress);
            }
        }
        let last = store::rounds(self.store(), Some(record_id))
            .await?
            .pop()
            .ok_or_else(|| Error::NotFound(record_id.into()))?;
        let app = app.ok_or_else(|| Error::NotFound(record_id.into()))?;
        let mut tx = self.store().write().await?;
        store::delete_draft(&mut tx).await?;
        store::put_draft(
            &mut tx,
            &Draft {
                record_id: Some(record_id.into()),
                contact_name: app.contact_name,
                contact_phone: app.contact_phone,
                note: String::new(),
            },
        )
        .await?;
        let ids: Vec<String> = last.files.iter().map(|f| f.file_id.clone()).collect();
        store::into_draft(&mut tx, &ids).await?;
        tx.commit().await?;
        self.changed(&[Topic::Application]);
        self.application_draft().await
    }

    /// Drops the correction being prepared (what was sent stays as it was).
    pub async fn cancel_correction(&self) -> Result<()> {
        let mut tx = self.store().write().await?;
        store::delete_draft(&mut tx).await?;
        tx.commit().await?;
        self.changed(&[Topic::Application]);
        Ok(())
    }

    /// What the correction being prepared changes against the last round: materials by
    /// their files' hashes, answers item by item. `None` when no correction is under way.
    pub async fn correction_diff(&self) -> Result<Option<CorrectionDiff>> {
        let Some(record_id) = store::draft(self.store()).await?.and_then(|d| d.record_id) else {
            return Ok(None);
        };
        let Some(last) = store::rounds(self.store(), Some(&record_id)).await?.pop() else {
            return Ok(None);
        };
        let files = store::draft_files(self.store()).await?;
        let rules = self.material_rules().await?;
        let mut by_type: BTreeMap<String, (Vec<RoundFile>, Vec<RoundFile>)> = BTreeMap::new();
        for f in &last.files {
            by_type
                .entry(f.material_type.clone())
                .or_default()
                .0
                .push(f.clone());
        }
        for f in &files {
            by_type
                .entry(f.material_type.clone())
                .or_default()
                .1
                .push(RoundFile {
                    file_id: f.id.clone(),
                    material_type: f.material_type.clone(),
                    filename: f.filename.clone(),
                    size: f.size,
                    sha256: f.sha256.clone(),
                });
        }
        let mut materials = Vec::new();
        for (material_type, (before, after)) in by_type {
            let key = |v: &[RoundFile]| {
                let mut k: Vec<String> = v.iter().map(|f| f.sha256.clone()).collect();
                k.sort_unstable();
                k
            };
            let change = match (before.is_empty(), after.is_empty()) {
                (true, false) => Change::Added,
                (false, true) => Change::Removed,
                _ if key(&before) == key(&after) => Change::Same,
                _ => Change::Replaced,
            };
            materials.push(MaterialChange {
                name: rules
                    .iter()
                    .find(|r| r.material_type == material_type)
                    .map_or(material_type.clone(), |r| r.name.clone()),
                material_type,
                change,
                before,
                after,
            });
        }
        let (answers, selfcheck_changed) = match self.passing_run().await {
            Ok(run) => {
                let now = self.passing_submission().await?.answers;
                let changed = run.summary.id != last.selfcheck.run_id;
                let diff = self
                    .answer_diff(&run, &last.selfcheck.answers, &now)
                    .await?;
                (diff, changed)
            }
            // No passing self-check now: the check says so; there is nothing to compare.
            Err(Error::SelfCheckRequired(_)) => (vec![], false),
            Err(e) => return Err(e),
        };
        Ok(Some(CorrectionDiff {
            materials,
            answers,
            selfcheck_changed,
        }))
    }

    async fn answer_diff(
        &self,
        run: &crate::selfcheck::RunView,
        before: &[Answer],
        after: &[Answer],
    ) -> Result<Vec<AnswerChange>> {
        let mut ids: Vec<&str> = before
            .iter()
            .chain(after)
            .map(|a| a.item_id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::new();
        for id in ids {
            let b = before.iter().find(|a| a.item_id == id);
            let a = after.iter().find(|a| a.item_id == id);
            if b.map(|x| &x.value) == a.map(|x| &x.value) {
                continue;
            }
            let item = run.template.items().find(|i| i.id == id);
            let text = |x: Option<&Answer>, lang| x.map(|x| answer_text(item, &x.value, lang));
            out.push(AnswerChange {
                item_id: id.into(),
                prompt: item.map_or_else(|| id.to_string(), |i| i.prompt.clone()),
                before_zh: text(b, Lang::Zh),
                before_en: text(b, Lang::En),
                after_zh: text(a, Lang::Zh),
                after_en: text(a, Lang::En),
            });
        }
        Ok(out)
    }
}
