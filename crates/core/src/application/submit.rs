//! Sending the application: checked as a whole, packed into one deterministic zip with its
//! manifest (each file read once, hashed as it goes), then its uploads and its request
//! queued in one transaction, with the round kept as it left.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use yiqifu_files::{Entry, Format, Manifest, ManifestFile, ManifestSelfCheck};
use yiqifu_protocol::{MaterialRef, NewApplication, Resubmission, SelfCheckSubmission};

use super::op;
use super::store::{self, File, Round};
use super::view::{RoundFile, RoundSelfCheck, SubmitOutcome};
use crate::changes::PackageProgress;
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::materials;
use crate::outbox::{self, new_local_id, now_unix};
use crate::records;
use crate::selfcheck::RunView;
use crate::workspace::Workspace;

/// Where sent packages are kept, in the workspace's folder, named by their SHA-256.
pub(super) const PACKAGES_DIR: &str = "packages";

fn package_failed(e: &yiqifu_files::Error) -> Error {
    // The messages say why in the officer's words; what the system said is for the log.
    if let Some(cause) = e.detail() {
        tracing::warn!(code = e.code(), %cause, "packaging failed");
    }
    Error::PackageFailed {
        code: e.code(),
        zh: e.message_zh(),
        en: e.message_en(),
    }
}

pub(super) fn round_selfcheck(run: &RunView, carried: &SelfCheckSubmission) -> RoundSelfCheck {
    RoundSelfCheck {
        run_id: run.summary.id.clone(),
        template_id: run.template.id.clone(),
        template_version: run.template.version,
        template_title: run.template.title.clone(),
        finished_on: run.summary.finished_on.clone(),
        answers_sha256: run.sha256.clone(),
        answers: carried.answers.clone(),
    }
}

impl Workspace {
    pub(super) fn package_path(&self, sha256: &str) -> PathBuf {
        self.store()
            .dir()
            .join(PACKAGES_DIR)
            .join(format!("{sha256}.zip"))
    }

    /// Builds the package of `files`, reporting progress; returns its hash and size.
    async fn build_package(&self, files: &[File], run: &RunView) -> Result<(String, u64)> {
        let account = self.profile();
        let mut taken = HashSet::new();
        let mut sorted: Vec<&File> = files.iter().collect();
        sorted.sort_by(|a, b| {
            (&a.material_type, &a.filename, &a.sha256).cmp(&(
                &b.material_type,
                &b.filename,
                &b.sha256,
            ))
        });
        let mut entries = Vec::new();
        let mut listed = Vec::new();
        for f in sorted {
            let path = yiqifu_files::entry_path(&f.material_type, &f.filename, &mut taken);
            entries.push(Entry {
                path: path.clone(),
                source: materials::path_of(self.store(), &f.sha256),
                size: f.size,
                sha256: f.sha256.clone(),
                compress: !Format::parse(&f.format).is_some_and(Format::compressed),
            });
            listed.push(ManifestFile {
                path,
                material_type: f.material_type.clone(),
                original_name: f.filename.clone(),
                size: f.size,
                sha256: f.sha256.clone(),
            });
        }
        let manifest = Manifest {
            format: 1,
            client_version: env!("CARGO_PKG_VERSION").into(),
            credit_code: account.credit_code.clone(),
            enterprise_name: account.name.clone(),
            selfcheck: ManifestSelfCheck {
                run_id: run.summary.id.clone(),
                template_id: run.template.id.clone(),
                template_version: run.template.version,
                answers_sha256: run.sha256.clone(),
            },
            files: listed,
        };
        let dir = self.store().dir().join(PACKAGES_DIR);
        tokio::fs::create_dir_all(&dir).await?;
        let building = dir.join(format!(".{}.zip", new_local_id("pkg")));
        let sender = self.shared().package.clone();
        let enterprise = self.id().to_string();
        let out = building.clone();
        let packed = tokio::task::spawn_blocking(move || {
            yiqifu_files::write_package(&out, &manifest, &entries, &mut |done, total| {
                let _ = sender.send(PackageProgress {
                    enterprise: enterprise.clone(),
                    done,
                    total,
                });
            })
        })
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
        .map_err(|e| package_failed(&e))?;
        let dest = self.package_path(&packed.sha256);
        if tokio::fs::try_exists(&dest).await? {
            tokio::fs::remove_file(&building).await?;
        } else {
            crate::store::rename_retrying(&building, &dest).await?;
        }
        Ok((packed.sha256, packed.size))
    }

    /// Sends the application being prepared: refused with the check's errors when it has
    /// any; otherwise packed, and its uploads and request queued together. The worker sends
    /// them when it can; nothing here waits on the network.
    pub async fn send_application(&self) -> Result<SubmitOutcome> {
        let report = self.check_application().await?;
        if !report.errors.is_empty() {
            return Err(Error::ApplicationNotReady(report.errors));
        }
        let draft = store::draft(self.store())
            .await?
            .ok_or_else(|| Error::NotFound("application draft".into()))?;
        let files = store::draft_files(self.store()).await?;
        let run = self.passing_run().await?;
        let (package_sha256, package_size) = self.build_package(&files, &run).await?;
        // The answers exactly as the result kept them, the ones its hash covers.
        let submission = self.passing_submission().await?;
        let note = Some(draft.note.trim().to_string()).filter(|n| !n.is_empty());
        let last = match &draft.record_id {
            Some(r) => store::rounds(self.store(), Some(r)).await?.pop(),
            None => None,
        };
        let mut tx = self.store().write().await?;
        // Two sends at once: the first takes the draft, the second finds none and stops.
        let (still,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM application_draft")
            .fetch_one(&mut *tx)
            .await?;
        if still == 0 {
            return Err(Error::NotFound("application draft".into()));
        }
        let mut refs = Vec::new();
        let changed_types = changed_types(&files, last.as_ref());
        for f in &files {
            if last.is_some() && !changed_types.contains(f.material_type.as_str()) {
                continue;
            }
            // A file sent before whose upload finished is not sent twice.
            let reusable = match &f.upload_id {
                Some(u) => materials::server_id(self.store(), u)
                    .await
                    .ok()
                    .flatten()
                    .is_some(),
                None => false,
            };
            let upload = match (&f.upload_id, reusable) {
                (Some(u), true) => u.clone(),
                _ => {
                    let u = materials::queue_stored(
                        &mut tx,
                        &f.sha256,
                        f.size,
                        &f.material_type,
                        &f.filename,
                    )
                    .await?;
                    store::set_upload(&mut tx, &f.id, &u).await?;
                    u
                }
            };
            refs.push(MaterialRef {
                material_type: f.material_type.clone(),
                upload_id: upload,
            });
        }
        let returning = self.roster_count().await?;
        let (record_id, round) = match (&draft.record_id, &last) {
            (Some(record_id), Some(last)) => {
                let answers_changed = last.selfcheck.run_id != run.summary.id
                    || last.selfcheck.answers_sha256 != run.sha256;
                let fields = op::Resubmit {
                    resubmission: Resubmission {
                        materials: refs,
                        note: note.clone(),
                        selfcheck: answers_changed.then(|| submission.clone()),
                        package_sha256: Some(package_sha256.clone()),
                    },
                };
                outbox::enqueue(&mut tx, record_id, &op::RESUBMIT, &fields).await?;
                (record_id.clone(), last.round + 1)
            }
            _ => {
                let application = NewApplication {
                    contact_name: draft.contact_name.trim().into(),
                    contact_phone: draft.contact_phone.trim().into(),
                    returning_staff: returning,
                    selfcheck: submission.clone(),
                    materials: refs,
                    note: note.clone(),
                    package_sha256: Some(package_sha256.clone()),
                };
                let record_id =
                    records::create(&mut tx, "application", &serde_json::to_value(&application)?)
                        .await?;
                let fields = op::Submit { application };
                outbox::enqueue(&mut tx, &record_id, &op::SUBMIT, &fields).await?;
                (record_id, 1)
            }
        };
        store::insert_round(
            &mut tx,
            &Round {
                record_id: record_id.clone(),
                round,
                files: files
                    .iter()
                    .map(|f| RoundFile {
                        file_id: f.id.clone(),
                        material_type: f.material_type.clone(),
                        filename: f.filename.clone(),
                        size: f.size,
                        sha256: f.sha256.clone(),
                    })
                    .collect(),
                selfcheck: round_selfcheck(&run, &submission),
                package_sha256: package_sha256.clone(),
                package_size,
                note,
                created_at: now_unix(),
            },
        )
        .await?;
        store::delete_draft(&mut tx).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Application, Topic::Records, Topic::Outbox])
            .await?;
        Ok(SubmitOutcome {
            record_id,
            round,
            package_sha256,
            package_size,
        })
    }
}

/// The material types whose files differ from the last round's: the service replaces a
/// type's files whole, so every file of a changed type is sent again.
fn changed_types<'a>(files: &'a [File], last: Option<&Round>) -> HashSet<&'a str> {
    let Some(last) = last else {
        return files.iter().map(|f| f.material_type.as_str()).collect();
    };
    let mut now: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in files {
        now.entry(f.material_type.as_str())
            .or_default()
            .push(f.sha256.as_str());
    }
    let mut before: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in &last.files {
        before
            .entry(f.material_type.as_str())
            .or_default()
            .push(f.sha256.as_str());
    }
    for v in now.values_mut().chain(before.values_mut()) {
        v.sort_unstable();
    }
    now.iter()
        .filter(|(t, v)| before.get(*t) != Some(*v))
        .map(|(t, _)| *t)
        .collect()
}
