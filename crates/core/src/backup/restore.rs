//! Restoring a backup: what it holds against what this computer has, then the chosen
//! enterprises put back in place, each one whole or not at all.

use std::path::{Path, PathBuf};

use serde::Serialize;
use specta::Type;
use sqlx::SqlitePool;

use super::archive::{invalid, Reader};
use super::{last_change, work_of, BackupFile, BackupKind, BackupProgress, Entry, Manifest};
use crate::app::{App, ServerChoice};
use crate::changes::Topic;
use crate::error::{BackupFault, Error, Result};
use crate::store::{self, Schema, WORKSPACE_DB_FILE};
use crate::workspace::{workspace_dir, workspace_id, WORKSPACES_DIR};

/// An enterprise in a backup, against this computer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RestoreState {
    /// Not on this computer.
    New,
    /// On this computer, last changed when the backup's copy was.
    Same,
    /// The backup's copy changed later than this computer's.
    BackupNewer,
    /// This computer's work changed after the backup's: replaced only when told to.
    LocalNewer,
    /// The backup's copy changed later, but not from the work here (both were worked on,
    /// on two computers): replaced only when told to.
    Diverged,
}

impl RestoreState {
    /// Whether restoring would replace work the backup does not have.
    fn replaces_work(self) -> bool {
        matches!(self, Self::LocalNewer | Self::Diverged)
    }
}

/// This computer's copy of an enterprise, against a backup's.
struct Local {
    changed: Option<i64>,
    /// The same work as the backup's copy.
    same: bool,
    /// The backup's copy was made from this one (or cannot tell: a backup made before
    /// lineages were kept).
    ancestor: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct BackupEnterprise {
    pub id: String,
    pub name: String,
    pub credit_code: String,
    pub service: ServerChoice,
    /// RFC 3339.
    pub backup_changed_at: Option<String>,
    pub local_changed_at: Option<String>,
    pub state: RestoreState,
}

/// What a backup holds, to ask before restoring it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BackupInfo {
    pub file: BackupFile,
    pub app_version: String,
    pub enterprises: Vec<BackupEnterprise>,
    /// The service this computer uses now; the backup's enterprises of another service
    /// appear when that one is chosen.
    pub current_service: Option<ServerChoice>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct RestoreOutcome {
    /// The names of the enterprises put back.
    pub restored: Vec<String>,
    /// Where this computer's replaced work was backed up first.
    pub safety_backup: Option<String>,
    /// Restored enterprises of a service other than the one chosen now (or none is): the
    /// officer chooses it to see them.
    pub other_service: Option<ServerChoice>,
}

fn rfc3339(t: Option<i64>) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(t?).ok()?;
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// Whether an archive member's path (below its enterprise) stays inside the folder it is
/// unpacked into: plain names only, none that Windows reads as a separator or a drive.
fn stays_inside(rel: &str) -> bool {
    rel.split('/')
        .all(|c| !(c.is_empty() || c == "." || c == ".." || c.contains(['\\', ':'])))
}

fn blocking_err(e: tokio::task::JoinError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

impl App {
    async fn read_manifest(&self, path: &Path) -> Result<Manifest> {
        let p = path.to_path_buf();
        let m = tokio::task::spawn_blocking(move || Reader::open(&p).map(|r| r.manifest))
            .await
            .map_err(blocking_err)??;
        if let Some(newer) = m
            .enterprises
            .iter()
            .find(|e| e.schema_version > Schema::Workspace.latest_version())
        {
            tracing::warn!(enterprise = %newer.id, "backup from a newer schema");
            return Err(Error::BackupTooNew(m.app_version.clone()));
        }
        // The id becomes a folder name: it must be the one this app derives for the
        // enterprise, never a path an altered manifest chose.
        if let Some(odd) = m.enterprises.iter().find(|e| {
            e.id != workspace_id(&ServerChoice::from_key(&e.server), &e.credit_code)
                || !e.credit_code.chars().all(|c| c.is_ascii_alphanumeric())
        }) {
            return Err(invalid(path, BackupFault::OddEnterprise, &odd.id));
        }
        Ok(m)
    }

    /// This computer's copy of the backup's enterprise `e`, if it has one (see `local_state`).
    async fn local_change(&self, e: &Entry) -> Result<Option<Local>> {
        let id = e.id.as_str();
        let known: Option<(String,)> = sqlx::query_as("SELECT id FROM workspaces WHERE id = ?")
            .bind(id)
            .fetch_optional(self.store().pool())
            .await?;
        let db = workspace_dir(self.data_dir(), id).join(WORKSPACE_DB_FILE);
        if known.is_none() && !db.exists() {
            return Ok(None);
        }
        if let Ok(ws) = self.workspace(id) {
            return Ok(Some(local_state(ws.store().pool(), e).await?));
        }
        if !db.exists() {
            // Known but without a database: nothing here the backup could replace.
            return Ok(Some(Local {
                changed: None,
                same: e.last_change_at.is_none(),
                ancestor: true,
            }));
        }
        let pool = store::open_unmigrated(&db).await?;
        let t = local_state(&pool, e).await;
        pool.close().await;
        Ok(Some(t?))
    }

    async fn compare(&self, e: &Entry) -> Result<BackupEnterprise> {
        let local = self.local_change(e).await?;
        let state = match &local {
            None => RestoreState::New,
            Some(l) if l.same => RestoreState::Same,
            // As recent as the backup but not the same: work here that the backup does not
            // have, which only a change writing no time can make. It is asked about.
            Some(l) if l.changed >= e.last_change_at => RestoreState::LocalNewer,
            Some(l) if !l.ancestor => RestoreState::Diverged,
            Some(_) => RestoreState::BackupNewer,
        };
        Ok(BackupEnterprise {
            id: e.id.clone(),
            name: e.profile.name.clone(),
            credit_code: e.credit_code.clone(),
            service: ServerChoice::from_key(&e.server),
            backup_changed_at: rfc3339(e.last_change_at),
            local_changed_at: local.and_then(|l| rfc3339(l.changed)),
            state,
        })
    }

    /// What the backup at `path` holds, each enterprise against this computer's copy.
    pub async fn backup_info(&self, path: &Path) -> Result<BackupInfo> {
        let manifest = self.read_manifest(path).await?;
        let file = self.backup_file(path).await?;
        let mut enterprises = Vec::new();
        for e in &manifest.enterprises {
            enterprises.push(self.compare(e).await?);
        }
        Ok(BackupInfo {
            file,
            app_version: manifest.app_version,
            enterprises,
            current_service: self.server_now(),
        })
    }

    /// Puts the enterprises `ids` of the backup at `path` back on this computer. One whose
    /// work here is newer is refused unless it is among `confirmed` (the officer saw that
    /// and agreed, enterprise by enterprise); whatever is replaced is backed up first. The
    /// restored enterprises keep no session: the officer signs in again unless this
    /// computer's keychain still has one.
    pub async fn restore_backup(
        &self,
        path: &Path,
        ids: &[String],
        confirmed: &[String],
    ) -> Result<RestoreOutcome> {
        let manifest = self.read_manifest(path).await?;
        let mut chosen = Vec::new();
        for e in manifest.enterprises.iter().filter(|e| ids.contains(&e.id)) {
            chosen.push((e, self.compare(e).await?.state));
        }
        let unasked = |chosen: &[(&Entry, RestoreState)]| -> Vec<String> {
            chosen
                .iter()
                .filter(|(e, s)| s.replaces_work() && !confirmed.contains(&e.id))
                .map(|(e, _)| e.profile.name.clone())
                .collect()
        };
        let newer = unasked(&chosen);
        if !newer.is_empty() {
            return Err(Error::RestoreWouldOverwrite(newer));
        }
        let total: u64 = {
            let p = path.to_path_buf();
            let prefixes: Vec<String> = chosen
                .iter()
                .map(|(e, _)| format!("{WORKSPACES_DIR}/{}/", e.id))
                .collect();
            tokio::task::spawn_blocking(move || -> Result<u64> {
                let mut r = Reader::open(&p)?;
                let mut sum = 0;
                for prefix in &prefixes {
                    sum += r.members_under(prefix)?.iter().map(|(_, s)| s).sum::<u64>();
                }
                Ok(sum)
            })
            .await
            .map_err(blocking_err)??
        };
        // Everything is unpacked and checked before anything here changes.
        let mut staged = Vec::new();
        let mut done = 0u64;
        for (e, _) in &chosen {
            match self.stage(path, e, &mut done, total).await {
                Ok(dir) => staged.push(dir),
                Err(err) => {
                    remove_all(&staged);
                    return Err(err);
                }
            }
        }
        // From here no workspace opens or closes under the restore's feet.
        let _one = self.workspaces_lock().await;
        // Compared again: the officer and the sync may have written while the backup was
        // unpacked, and work newer here is never replaced unasked.
        for (e, state) in chosen.iter_mut() {
            match self.compare(e).await {
                Ok(c) => *state = c.state,
                Err(err) => {
                    remove_all(&staged);
                    return Err(err);
                }
            }
        }
        // One that became newer here meanwhile was not what the officer agreed to replace.
        let newer = unasked(&chosen);
        if !newer.is_empty() {
            remove_all(&staged);
            return Err(Error::RestoreWouldOverwrite(newer));
        }
        let replacing: Vec<String> = chosen
            .iter()
            .filter(|(_, s)| *s != RestoreState::New)
            .map(|(e, _)| e.id.clone())
            .collect();
        // Closed before the safety backup, so that it holds every last write: nothing can
        // change them between that copy and their replacement.
        for id in &replacing {
            self.close_workspace(id).await;
        }
        let safety_backup = if replacing.is_empty() {
            None
        } else {
            match self
                .automatic_backup(BackupKind::BeforeRestore, Some(&replacing))
                .await
            {
                Ok(p) => p,
                Err(err) => {
                    remove_all(&staged);
                    // Nothing was replaced: the closed ones open again as they were.
                    if let Err(e) = self.open_workspaces().await {
                        tracing::warn!(code = e.code(), error = %e, "workspaces not reopened");
                    }
                    return Err(err);
                }
            }
        };
        let current = self.server_now();
        let mut restored = Vec::new();
        let mut other_service = None;
        for (i, ((e, state), dir)) in chosen.iter().zip(&staged).enumerate() {
            match self.place(e, *state, dir, current.as_ref()).await {
                Ok(elsewhere) => {
                    other_service = elsewhere.or(other_service);
                    restored.push(e.profile.name.clone());
                    self.shared().notify(Some(&e.id), &Topic::ALL);
                }
                Err(Unplaced { err, placed }) => {
                    // Those before it are restored, those after it are as they were: each
                    // opens again, whole (a database is renamed into place last), and no
                    // staged copy is left to fill the disk. The safety backup has the work
                    // that was replaced.
                    remove_all(&staged[i..]);
                    if let Err(e) = self.open_workspaces().await {
                        tracing::warn!(code = e.code(), error = %e, "workspaces not reopened");
                    }
                    self.shared().notify(None, &[Topic::Workspaces]);
                    tracing::error!(
                        enterprise = %e.id, restored = restored.len(), code = err.code(),
                        error = %err, "restore stopped part-way"
                    );
                    // The officer is told what is back, what is not, and where the replaced
                    // work went: a bare system error would leave them guessing at all three.
                    return Err(Error::RestoreStopped {
                        restored,
                        stopped_at: e.profile.name.clone(),
                        placed,
                        not_restored: chosen[i + 1..]
                            .iter()
                            .map(|(e, _)| e.profile.name.clone())
                            .collect(),
                        safety_backup: safety_backup.map(|p| p.display().to_string()),
                        cause: Box::new(err),
                    });
                }
            }
        }
        self.shared().notify(None, &[Topic::Workspaces]);
        self.shared().touch();
        tracing::info!(count = restored.len(), "restored from a backup");
        Ok(RestoreOutcome {
            restored,
            safety_backup: safety_backup.map(|p| p.display().to_string()),
            other_service,
        })
    }

    /// Moves one staged enterprise into place, records it and opens it when it belongs to the
    /// service in use; the service it belongs to otherwise.
    async fn place(
        &self,
        e: &Entry,
        state: RestoreState,
        dir: &Path,
        current: Option<&ServerChoice>,
    ) -> std::result::Result<Option<ServerChoice>, Unplaced> {
        self.close_workspace(&e.id).await;
        let dest = workspace_dir(self.data_dir(), &e.id);
        let mut moved = Vec::new();
        let put = put_in_place(dir, &dest, &mut moved).await;
        let _ = std::fs::remove_dir_all(dir);
        if let Err(err) = put {
            if state == RestoreState::New {
                // What went in comes out again: no record points to it, and nothing else
                // would ever read or remove it.
                take_out(&dest, &moved).await;
            }
            return Err(Unplaced { err, placed: false });
        }
        if let Err(err) = self.record(e).await {
            if state == RestoreState::New {
                // Nothing of it was here before: taken out again, so it is not left in a
                // folder no record points to (a second restore puts it back whole).
                take_out(&dest, &moved).await;
                return Err(Unplaced { err, placed: false });
            }
            // Its old record stands, so the next start opens the restored data.
            return Err(Unplaced { err, placed: true });
        }
        let service = ServerChoice::from_key(&e.server);
        if current == Some(&service) {
            self.open_workspace(&service, &e.id, &e.credit_code, e.profile.clone())
                .await
                .map_err(|err| Unplaced { err, placed: true })?;
            return Ok(None);
        }
        Ok(Some(service))
    }

    /// Records a restored enterprise in the app's own store (its profile as the backup has it).
    async fn record(&self, e: &Entry) -> Result<()> {
        sqlx::query(
            "INSERT INTO workspaces (id, server, credit_code, profile, added_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET profile = excluded.profile",
        )
        .bind(&e.id)
        .bind(&e.server)
        .bind(&e.credit_code)
        .bind(serde_json::to_string(&e.profile)?)
        .bind(e.added_at)
        .execute(self.store().pool())
        .await?;
        Ok(())
    }

    /// Extracts one enterprise's files beside its folder (same disk, so they move in by
    /// rename) and checks its database; the staging folder is returned.
    async fn stage(&self, path: &Path, e: &Entry, done: &mut u64, total: u64) -> Result<PathBuf> {
        let staging = self.data_dir().join(WORKSPACES_DIR).join(format!(
            "{}{}-{}",
            super::STAGING_PREFIX,
            e.id,
            crate::outbox::new_local_id("r")
        ));
        std::fs::create_dir_all(&staging)?;
        let (p, dir, prefix) = (
            path.to_path_buf(),
            staging.clone(),
            format!("{WORKSPACES_DIR}/{}/", e.id),
        );
        let sender = self.shared().backup.clone();
        let start = *done;
        let extracted = tokio::task::spawn_blocking(move || -> Result<u64> {
            let mut r = Reader::open(&p)?;
            let mut n = start;
            for (name, _) in r.members_under(&prefix)? {
                let rel = &name[prefix.len()..];
                // Names are ours, but a damaged or altered file must not write outside.
                if !stays_inside(rel) {
                    return Err(invalid(&p, BackupFault::OddEntry, &name));
                }
                let dest = dir.join(rel);
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                r.extract(&name, &dest, &mut |k| {
                    n += k;
                    let _ = sender.send(BackupProgress {
                        restoring: true,
                        done: n as f64,
                        total: total as f64,
                    });
                })?;
            }
            Ok(n)
        })
        .await
        .map_err(blocking_err)?;
        let checked = match extracted {
            Ok(n) => {
                *done = n;
                check_staged(path, &staging.join(WORKSPACE_DB_FILE)).await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = checked {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        Ok(staging)
    }
}

/// Why one enterprise could not be put in place, and whether its data went in before that.
struct Unplaced {
    err: Error,
    placed: bool,
}

fn remove_all(dirs: &[PathBuf]) {
    for d in dirs {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// The staged database must be whole and one this version can read.
async fn check_staged(backup: &Path, db: &Path) -> Result<()> {
    if !db.exists() {
        return Err(invalid(backup, BackupFault::NoDatabase, &db.display()));
    }
    if store::is_damaged(db).await? {
        return Err(invalid(backup, BackupFault::DamagedDatabase, &db.display()));
    }
    Ok(())
}

/// Moves a staged enterprise into its folder: files first (material files and packages
/// are named by their content, so one already there is the same and stays), the database
/// last, replacing the old one and its journal. `moved` gets each file moved in, as it is.
async fn put_in_place(staged: &Path, dest: &Path, moved: &mut Vec<PathBuf>) -> Result<()> {
    std::fs::create_dir_all(dest)?;
    let mut stack = vec![staged.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)?.flatten() {
            let from = e.path();
            let rel = from
                .strip_prefix(staged)
                .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
            if e.file_type()?.is_dir() {
                stack.push(from);
                continue;
            }
            if rel == Path::new(WORKSPACE_DB_FILE) {
                continue;
            }
            let to = dest.join(rel);
            let same = std::fs::metadata(&to)
                .is_ok_and(|m| Some(m.len()) == e.metadata().ok().map(|n| n.len()));
            if !same {
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                store::rename_retrying(&from, &to).await?;
                moved.push(to);
            }
        }
    }
    // The old journal must not be replayed into the restored database. Windows may still
    // hold it for a moment after the pool closed (sqlx closes on its own threads).
    for side in ["-wal", "-shm"] {
        remove_file_retrying(&dest.join(format!("{WORKSPACE_DB_FILE}{side}"))).await?;
    }
    let db = dest.join(WORKSPACE_DB_FILE);
    store::rename_retrying(&staged.join(WORKSPACE_DB_FILE), &db).await?;
    moved.push(db);
    Ok(())
}

/// Removes a file (one not there is removed already), retrying briefly ([`store::retrying`]).
async fn remove_file_retrying(f: &Path) -> std::io::Result<()> {
    store::retrying("remove", || store::gone_is_done(std::fs::remove_file(f))).await
}

/// Takes out what a restore moved into `dest` for an enterprise that was not here before:
/// the files it moved, then every folder under `dest` left empty, `dest` among them.
async fn take_out(dest: &Path, moved: &[PathBuf]) {
    for file in moved {
        if let Err(e) = remove_file_retrying(file).await {
            tracing::warn!(file = %file.display(), error = %e, "restored file not taken out");
        }
    }
    prune_empty(dest);
}

/// Removes `dir` and, deepest first, the folders under it that hold nothing; whether `dir`
/// went. A link is content, never followed.
fn prune_empty(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut empty = true;
    for e in entries.flatten() {
        let folder = e.file_type().is_ok_and(|t| t.is_dir());
        if !(folder && prune_empty(&e.path())) {
            empty = false;
        }
    }
    empty && std::fs::remove_dir(dir).is_ok()
}

/// A copy's last change; whether it holds what the backup's entry holds (the same time and
/// the same work, in these tables or before a migration changed them; never with a backup
/// made before fingerprints were kept); and, when the backup's is later, whether
/// it was made from this copy's work. A backup made before lineages were kept is taken as
/// made from it only where there is no work to lose.
async fn local_state(pool: &SqlitePool, e: &Entry) -> Result<Local> {
    let changed = last_change(pool).await?;
    // Newer here, or equal with nothing to compare: the answer needs no read of the work.
    let compared = match changed.cmp(&e.last_change_at) {
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => e.fingerprint.is_some(),
        std::cmp::Ordering::Less => true,
    };
    if !compared {
        return Ok(Local {
            changed,
            same: false,
            ancestor: true,
        });
    }
    let work = work_of(pool).await?;
    // A backup from before fingerprints were kept cannot show it holds this work: the time
    // alone no longer can either (an edit of a record's draft moves no time that counts).
    let same = changed == e.last_change_at
        && e.fingerprint
            .as_ref()
            .is_some_and(|held| work.same_as.contains(held));
    let ancestor = changed >= e.last_change_at
        || work.rows == 0
        || e.lineage.as_deref().is_some_and(|l| work.in_lineage(l));
    Ok(Local {
        changed,
        same,
        ancestor,
    })
}

#[cfg(test)]
mod tests {
    use super::stays_inside;

    #[test]
    fn only_plain_names_are_unpacked() {
        for ok in ["workspace.sqlite", "materials/3f9a", "packages/a/b.zip"] {
            assert!(stays_inside(ok), "{ok}");
        }
        for bad in [
            "../x",
            "materials/../../x",
            "materials//x",
            "./x",
            "/etc/passwd",
            "materials\\..\\..\\x",
            "C:x",
            "materials/C:\\Windows\\x",
            "",
        ] {
            assert!(!stays_inside(bad), "{bad}");
        }
    }
}
