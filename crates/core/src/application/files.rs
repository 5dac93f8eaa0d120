//! Files the officer adds to the application: checked by content against their material's
//! rule (yiqifu-files, the same checks the service runs), copied into the material store,
//! and watched for changes to the file they came from.

use std::path::Path;
use std::time::UNIX_EPOCH;

use super::store::{self, File};
use super::view::{DraftFile, FileOrigin, SourceState};
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::infra::checked::{check_picked, duplicate, limits, refused, too_many};
use crate::materials::{self, Incoming};
use crate::outbox::new_local_id;
use crate::store::Store;
use crate::workspace::Workspace;

fn mtime(meta: &std::fs::Metadata) -> Option<i64> {
    meta.modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_millis()).ok())
}

/// How the file a stored copy came from stands now.
pub(super) async fn source_state(f: &File) -> SourceState {
    let Some(path) = &f.source_path else {
        return SourceState::None;
    };
    match tokio::fs::metadata(path).await {
        Err(_) => SourceState::Missing,
        Ok(m) => {
            let same_size = f
                .source_size
                .is_some_and(|s| u64::try_from(s).is_ok_and(|s| s == m.len()));
            if same_size && mtime(&m) == f.source_mtime {
                SourceState::Unchanged
            } else {
                SourceState::Changed
            }
        }
    }
}

pub(super) async fn draft_file(store: &Store, f: &File, carried: bool) -> DraftFile {
    DraftFile {
        id: f.id.clone(),
        material_type: f.material_type.clone(),
        filename: f.filename.clone(),
        size: f.size,
        format: f.format.clone(),
        sha256: f.sha256.clone(),
        origin: f.origin,
        source: source_state(f).await,
        stored: materials::stored_ok(store, &f.sha256, f.size).await,
        carried,
    }
}

impl Workspace {
    /// Adds a file to a material of the application being prepared, after every check: the
    /// material's formats by content, its size limit, the name, that it opens, and that the
    /// application does not already hold the same file. Where the material takes one file, the
    /// new one replaces the old.
    pub async fn add_application_file(
        &self,
        material_type: &str,
        path: &Path,
        origin: FileOrigin,
    ) -> Result<DraftFile> {
        let rule = self.material_rule(material_type).await?;
        let checked = check_picked(self.store(), path, &rule).await?;
        let source = tokio::fs::metadata(path).await.ok();
        let sha = checked.incoming.sha256.clone();
        let size = checked.incoming.size;
        let in_draft = store::draft_files(self.store()).await?;
        if let Some(same) = in_draft.iter().find(|f| f.sha256 == sha) {
            checked.incoming.discard().await;
            return Err(duplicate(&same.filename));
        }
        let of_type: Vec<&File> = in_draft
            .iter()
            .filter(|f| f.material_type == material_type)
            .collect();
        let replaces = if rule.max_count == 1 {
            of_type.first().map(|f| f.id.clone())
        } else if of_type.len() >= rule.max_count as usize {
            checked.incoming.discard().await;
            return Err(too_many(&rule));
        } else {
            None
        };
        checked.incoming.keep(self.store()).await?;
        let mut tx = self.store().write().await?;
        self.ensure_draft(&mut tx).await?;
        if let Some(old) = &replaces {
            store::drop_from_draft(&mut tx, old).await?;
        }
        let file = File {
            id: new_local_id("mat"),
            material_type: material_type.into(),
            filename: checked.filename,
            sha256: sha,
            size,
            format: checked.format.as_str().into(),
            origin,
            source_path: Some(path.display().to_string()),
            source_size: source.as_ref().and_then(|m| i64::try_from(m.len()).ok()),
            source_mtime: source.as_ref().and_then(mtime),
            made_from: None,
            upload_id: None,
            added_seq: store::next_seq(&mut tx).await?,
        };
        self.keep_file(tx, &file).await
    }

    /// Copies a picked file into the store and queues its upload (self-check evidence),
    /// after the checks of its material's rule when the service lists one.
    pub(crate) async fn add_checked_upload(
        &self,
        path: &Path,
        material_type: &str,
    ) -> Result<String> {
        let rule = match self.material_rule(material_type).await {
            Ok(rule) => rule,
            Err(Error::FileRefused {
                code: "MATERIAL_UNKNOWN",
                ..
            }) => {
                return self.add_material(path, material_type).await;
            }
            Err(e) => return Err(e),
        };
        let checked = check_picked(self.store(), path, &rule).await?;
        let (sha, size) = (checked.incoming.sha256.clone(), checked.incoming.size);
        checked.incoming.keep(self.store()).await?;
        let mut tx = self.store().write().await?;
        let local =
            materials::queue_stored(&mut tx, &sha, size, material_type, &checked.filename).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Outbox]).await?;
        Ok(local)
    }

    /// Adds `file` to the application being prepared and commits `tx`.
    async fn keep_file(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
        file: &File,
    ) -> Result<DraftFile> {
        store::insert_file(&mut tx, file).await?;
        tx.commit().await?;
        self.changed(&[Topic::Application]);
        Ok(draft_file(self.store(), file, false).await)
    }

    /// Takes a file out of the application being prepared.
    pub async fn remove_application_file(&self, file_id: &str) -> Result<()> {
        let mut tx = self.store().write().await?;
        let removed = store::drop_from_draft(&mut tx, file_id).await?;
        tx.commit().await?;
        if !removed {
            return Err(Error::NotFound(file_id.into()));
        }
        self.changed(&[Topic::Application]);
        Ok(())
    }

    /// Attaches the roster, exported as xlsx, as the staff list: the one made before from an
    /// older roster is replaced.
    pub async fn attach_roster(&self) -> Result<DraftFile> {
        let rule = self.material_rule(super::STAFF_LIST).await?;
        let (name, bytes) = self.roster_xlsx().await?;
        let made_from = crate::roster::store::fingerprint(self.store()).await?;
        let dir = self.store().dir().join(materials::STORE_DIR);
        tokio::fs::create_dir_all(&dir).await?;
        let tmp = dir.join(format!(".incoming-{}", new_local_id("f")));
        crate::store::write_file_atomically(&tmp, &bytes)
            .await
            .map_err(Error::inside)?;
        let sha = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&bytes))
        };
        let size = bytes.len() as u64;
        let limits = limits(&rule);
        let check_path = tmp.clone();
        let checked =
            tokio::task::spawn_blocking(move || yiqifu_files::check_file(&check_path, &limits))
                .await
                .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let incoming = Incoming {
            tmp,
            sha256: sha.clone(),
            size,
        };
        let format = match checked {
            Ok(c) => c.format,
            Err(e) => {
                incoming.discard().await;
                return Err(refused(&e));
            }
        };
        incoming.keep(self.store()).await?;
        let in_draft = store::draft_files(self.store()).await?;
        let mut tx = self.store().write().await?;
        self.ensure_draft(&mut tx).await?;
        for f in in_draft.iter().filter(|f| {
            f.material_type == super::STAFF_LIST
                && (f.origin == FileOrigin::Roster || f.sha256 == sha)
        }) {
            store::drop_from_draft(&mut tx, &f.id).await?;
        }
        let kept = in_draft
            .iter()
            .filter(|f| {
                f.material_type == super::STAFF_LIST
                    && f.origin != FileOrigin::Roster
                    && f.sha256 != sha
            })
            .count();
        if kept >= rule.max_count as usize {
            return Err(too_many(&rule));
        }
        let file = File {
            id: new_local_id("mat"),
            material_type: super::STAFF_LIST.into(),
            filename: name,
            sha256: sha,
            size,
            format: format.as_str().into(),
            origin: FileOrigin::Roster,
            source_path: None,
            source_size: None,
            source_mtime: None,
            made_from: Some(made_from),
            upload_id: None,
            added_seq: store::next_seq(&mut tx).await?,
        };
        self.keep_file(tx, &file).await
    }
}
