//! Backups against a real `yiqifu-central`: an enterprise's work moves to another computer
//! in one file (never with a token) and goes out from there once; a restore never replaces
//! newer work unasked and backs up what it replaces; the app keeps its own backups at quit
//! and before an update migrates a database; a file that is not a usable backup changes
//! nothing.

use std::io::Read;
use std::path::{Path, PathBuf};

use yiqifu_core::appeals::AppealQuery;
use yiqifu_core::application::FileOrigin;
use yiqifu_core::backup::{BackupKind, BackupScope, RestoreState};
use yiqifu_core::secrets::Keychain;
use yiqifu_core::{App, Error, ServerChoice, Workspace};
use yiqifu_files::samples;
use yiqifu_protocol::{AppealCategory, NewAppeal};
use yiqifu_tests::journey::{fast, ready};
use yiqifu_tests::{demo_login, sign_in_as, test_keychain};

fn appeal(title: &str) -> NewAppeal {
    NewAppeal {
        category: AppealCategory::PreventionSupplies,
        title: title.into(),
        description: "搬到新电脑之前写下、还没有发出的诉求。".into(),
        attachments: vec![],
        contact: None,
    }
}

async fn appeals_titled(db: &yiqifu_central::db::Db, title: &str) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM appeals WHERE json_extract(body, '$.title') = ?")
            .bind(title)
            .fetch_one(db)
            .await
            .unwrap();
    n
}

/// The database of enterprise `id` in the data folder `dir`.
fn workspace_db(dir: &Path, id: &str) -> PathBuf {
    dir.join(yiqifu_core::workspace::WORKSPACES_DIR)
        .join(id)
        .join(yiqifu_core::store::WORKSPACE_DB_FILE)
}

/// Every member of the zip at `path`, decompressed.
fn members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

async fn queued(ws: &Workspace) -> u32 {
    ws.publish().await.unwrap();
    ws.summary().queued
}

/// Drains until nothing is queued; gives up loudly.
async fn settle(ws: &Workspace) {
    for _ in 0..300 {
        ws.drain().await.unwrap();
        if queued(ws).await == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the queue of {} did not drain: {:?}", ws.id(), ws.summary());
}

/// Waits for the next whole second: the newest change is kept in seconds.
async fn next_second() {
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
}

#[tokio::test]
async fn an_enterprise_moves_to_another_computer_in_one_file_and_its_queue_goes_out_once() {
    let (a_dir, b_dir, files) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let (app, central, ws) = ready(a_dir.path(), "backup-move").await;
    let plan = files.path().join("一企一案.pdf");
    let plan_bytes = samples::pdf_sized(300_000, 7);
    std::fs::write(&plan, &plan_bytes).unwrap();
    let kept = ws
        .add_application_file("prevention_plan", &plan, FileOrigin::Picked)
        .await
        .unwrap();
    let title = "搬家前写的诉求";
    ws.create_appeal(appeal(title)).await.unwrap();
    assert_eq!(queued(&ws).await, 1, "queued on the old computer, not sent");

    let mut progress = app.backup_progress();
    let dest = files.path().join("益企服备份.yqfbak");
    let file = app
        .export_backup(
            &BackupScope::Enterprise {
                id: ws.id().to_string(),
            },
            &dest,
        )
        .await
        .unwrap();
    assert_eq!(file.kind, BackupKind::Export);
    assert!(file.files);
    assert_eq!(file.enterprises, vec![ws.profile().name.clone()]);
    assert_eq!(file.size, std::fs::metadata(&dest).unwrap().len() as f64);
    let mut last = None;
    while let Ok(p) = progress.try_recv() {
        assert!(!p.restoring && p.done <= p.total, "{p:?}");
        last = Some(p);
    }
    let last = last.expect("the export reported its progress");
    assert!(last.total > plan_bytes.len() as f64, "{last:?}");
    assert_eq!(last.done, last.total, "the progress reached its end");

    // Never a token: neither in the file as it lies nor in any member unpacked.
    let (code, _) = demo_login();
    let tokens = Keychain::new(&format!("yiqifu-test-backup-move-{}", std::process::id()))
        .load(&format!("{}|{code}", central.url()))
        .unwrap()
        .expect("the session is in the keychain");
    let raw = std::fs::read(&dest).unwrap();
    let inside = members(&dest);
    for secret in [&tokens.access, &tokens.refresh] {
        assert!(!contains(&raw, secret.as_bytes()));
        for (name, bytes) in &inside {
            assert!(!contains(bytes, secret.as_bytes()), "a token in {name}");
        }
    }
    assert!(
        inside
            .iter()
            .any(|(n, b)| n.ends_with(&format!("materials/{}", kept.sha256)) && *b == plan_bytes),
        "the material file travels byte for byte: {:?}",
        inside.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );

    // The other computer: its own data folder and keychain, the same service.
    let b = App::open(b_dir.path(), test_keychain("backup-move-b"))
        .await
        .unwrap();
    b.set_sync_config(fast());
    b.choose_server(ServerChoice::Url { url: central.url() }, &central.url())
        .await
        .unwrap();
    let info = b.backup_info(&dest).await.unwrap();
    assert_eq!(info.enterprises.len(), 1);
    assert_eq!(info.enterprises[0].state, RestoreState::New);
    assert_eq!(info.enterprises[0].local_changed_at, None);
    assert!(info.enterprises[0].backup_changed_at.is_some());

    let mut progress = b.backup_progress();
    let outcome = b
        .restore_backup(&dest, &[ws.id().to_string()], &[])
        .await
        .unwrap();
    assert_eq!(outcome.restored, vec![ws.profile().name.clone()]);
    assert_eq!(outcome.safety_backup, None, "nothing here was replaced");
    assert_eq!(outcome.other_service, None);
    let mut restoring = None;
    while let Ok(p) = progress.try_recv() {
        restoring = Some(p);
    }
    let restoring = restoring.expect("the restore reported its progress");
    assert!(restoring.restoring && restoring.done == restoring.total);

    let moved = b
        .workspace(ws.id())
        .expect("the enterprise is on this computer");
    assert!(
        !moved.summary().signed_in,
        "no session travels with a backup"
    );
    assert_eq!(queued(&moved).await, 1);
    let stored = yiqifu_core::materials::path_of(moved.store(), &kept.sha256);
    assert_eq!(std::fs::read(stored).unwrap(), plan_bytes);

    // The officer signs in again there (the catalog, not in the backup, comes with the
    // first sync), the draft holds its file, and what was queued goes out, once.
    let (code, pw) = demo_login();
    b.sign_in(&code, pw).await.unwrap();
    b.sync_now().await.unwrap();
    let draft = moved.application_draft().await.unwrap();
    let slot = draft
        .slots
        .iter()
        .find(|s| s.rule.material_type == "prevention_plan")
        .unwrap();
    assert_eq!(slot.files.len(), 1);
    assert_eq!(slot.files[0].sha256, kept.sha256);
    settle(&moved).await;
    assert_eq!(appeals_titled(&central.db, title).await, 1);
    // The old computer's copy, sent later, is the same request: still one.
    settle(&ws).await;
    assert_eq!(appeals_titled(&central.db, title).await, 1);
    app.close().await;
    b.close().await;
}

#[tokio::test]
async fn a_restore_never_replaces_newer_work_unasked_and_backs_up_what_it_replaces() {
    let (dir, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (app, _central, ws) = ready(dir.path(), "backup-newer").await;
    let id = ws.id().to_string();
    ws.create_appeal(appeal("备份之前的诉求")).await.unwrap();
    let dest = files.path().join("备份.yqfbak");
    app.export_backup(&BackupScope::All, &dest).await.unwrap();
    let same = app.backup_info(&dest).await.unwrap();
    assert_eq!(same.enterprises[0].state, RestoreState::Same);

    next_second().await;
    ws.create_appeal(appeal("备份之后的诉求")).await.unwrap();
    assert_eq!(queued(&ws).await, 2);
    let info = app.backup_info(&dest).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::LocalNewer);
    assert!(info.enterprises[0].local_changed_at > info.enterprises[0].backup_changed_at);

    let refused = app
        .restore_backup(&dest, std::slice::from_ref(&id), &[])
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "RESTORE_WOULD_OVERWRITE");
    assert!(refused.message_zh().contains(&ws.profile().name));
    assert_eq!(queued(&ws).await, 2, "nothing was replaced");
    assert!(
        app.automatic_backups().await.unwrap().is_empty(),
        "a refused restore backs nothing up"
    );

    let outcome = app
        .restore_backup(&dest, std::slice::from_ref(&id), std::slice::from_ref(&id))
        .await
        .unwrap();
    let restored = app.workspace(&id).unwrap();
    assert_eq!(queued(&restored).await, 1, "the backup's work is back");
    assert!(
        restored.summary().signed_in,
        "this computer's session stays"
    );
    let safety = PathBuf::from(outcome.safety_backup.expect("what was replaced is kept"));
    let listed = app.automatic_backups().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].kind, BackupKind::BeforeRestore);
    assert_eq!(Path::new(&listed[0].path), safety);

    // And the work it replaced comes back from that safety copy.
    let back = app.backup_info(&safety).await.unwrap();
    assert_eq!(back.enterprises[0].state, RestoreState::BackupNewer);
    app.restore_backup(&safety, std::slice::from_ref(&id), &[])
        .await
        .unwrap();
    assert_eq!(queued(&app.workspace(&id).unwrap()).await, 2);
    app.close().await;
}

/// A restore that fails at one enterprise after it replaced another: the officer is told
/// which is back, which is not (the one it stopped at, and one after it, left as it was) and
/// where the replaced work went; no staged copy is left, the replaced work comes back from
/// that safety copy, and the rest goes in once the cause is gone.
#[tokio::test]
async fn a_restore_that_stops_part_way_says_what_is_back_and_where_the_replaced_work_went() {
    let (dir, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (app, _central, first) = ready(dir.path(), "backup-stopped").await;
    let (second, third) = (sign_in_as(&app, 1).await, sign_in_as(&app, 2).await);
    for (ws, title) in [
        (&first, "备份里的诉求"),
        (&second, "备份里的诉求"),
        (&third, "备份里的诉求"),
    ] {
        ws.create_appeal(appeal(title)).await.unwrap();
    }
    let dest = files.path().join("三家企业.yqfbak");
    app.export_backup(&BackupScope::All, &dest).await.unwrap();
    // The restore goes in the backup's order: the first is replaced, the second stops it,
    // the third is never reached.
    let order: Vec<(String, String)> = app
        .backup_info(&dest)
        .await
        .unwrap()
        .enterprises
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    assert_eq!(order.len(), 3, "{order:?}");
    let ((kept, kept_name), (gone, gone_name), (later, later_name)) =
        (order[0].clone(), order[1].clone(), order[2].clone());
    let ids = [kept.clone(), gone.clone(), later.clone()];
    drop((first, second, third));

    next_second().await;
    let here = app.workspace(&kept).unwrap();
    here.create_appeal(appeal("备份之后的诉求")).await.unwrap();
    app.workspace(&later)
        .unwrap()
        .create_appeal(appeal("备份之后的诉求"))
        .await
        .unwrap();
    drop(here);
    app.remove_workspace(&gone).await.unwrap();
    // A file stands where the second's folder goes: it cannot be put in place.
    let blocker = dir
        .path()
        .join(yiqifu_core::workspace::WORKSPACES_DIR)
        .join(&gone);
    std::fs::write(&blocker, b"in the way").unwrap();

    let err = app
        .restore_backup(&dest, &ids, &[kept.clone(), later.clone()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "RESTORE_STOPPED", "{err}");
    let Error::RestoreStopped {
        restored,
        stopped_at,
        placed,
        not_restored,
        safety_backup,
        cause,
    } = &err
    else {
        panic!("{err}");
    };
    assert_eq!(restored, &vec![kept_name.clone()]);
    assert_eq!(stopped_at, &gone_name);
    assert!(!placed, "nothing of the second went in");
    assert_eq!(not_restored, &vec![later_name.clone()]);
    assert_eq!(cause.code(), "IO_ERROR", "{cause}");
    let safety = safety_backup.clone().expect("what was replaced is kept");
    for message in [err.message_zh(), err.message_en()] {
        for said in [&kept_name, &gone_name, &later_name, &safety] {
            assert!(
                message.contains(said.as_str()),
                "{said} is not in: {message}"
            );
        }
    }
    assert!(err.message_zh().contains("已恢复"), "{}", err.message_zh());
    // Why, in the officer's words (not the system's "File exists (os error 17)").
    assert!(err.message_zh().contains("同名"), "{}", err.message_zh());
    assert!(
        err.message_en().contains("in the way"),
        "{}",
        err.message_en()
    );

    assert_eq!(
        titles(&app.workspace(&kept).unwrap()).await,
        vec!["备份里的诉求".to_string()],
        "the first holds the backup's work"
    );
    assert_eq!(
        titles(&app.workspace(&later).unwrap()).await,
        vec!["备份之后的诉求".to_string(), "备份里的诉求".to_string()],
        "the third keeps the work done here"
    );
    assert!(app.workspace(&gone).is_err(), "the second is not back");
    let left: Vec<String> =
        std::fs::read_dir(dir.path().join(yiqifu_core::workspace::WORKSPACES_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
    assert!(left.is_empty(), "staged copies left behind: {left:?}");

    // The work the restore replaced comes back from the safety copy.
    app.restore_backup(
        Path::new(&safety),
        std::slice::from_ref(&kept),
        std::slice::from_ref(&kept),
    )
    .await
    .unwrap();
    assert_eq!(
        titles(&app.workspace(&kept).unwrap()).await,
        vec!["备份之后的诉求".to_string(), "备份里的诉求".to_string()]
    );

    // With the cause gone, the one that stopped it goes in.
    std::fs::remove_file(&blocker).unwrap();
    let outcome = app
        .restore_backup(&dest, std::slice::from_ref(&gone), &[])
        .await
        .unwrap();
    assert_eq!(outcome.restored, vec![gone_name]);
    assert_eq!(
        titles(&app.workspace(&gone).unwrap()).await,
        vec!["备份里的诉求".to_string()]
    );
    app.close().await;
}

/// An enterprise new to this computer whose files stop part-way in: the ones that went in
/// come out again, so nothing is left that no record points to, and what stood there stays.
#[tokio::test]
async fn a_new_enterprise_that_stops_part_way_in_leaves_none_of_its_files() {
    let (dir, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (app, _central, ws) = ready(dir.path(), "backup-taken-out").await;
    let plan = files.path().join("一企一案.pdf");
    let plan_bytes = samples::pdf_sized(200_000, 3);
    std::fs::write(&plan, &plan_bytes).unwrap();
    let kept = ws
        .add_application_file("prevention_plan", &plan, FileOrigin::Picked)
        .await
        .unwrap();
    let id = ws.id().to_string();
    let dest = files.path().join("一家企业.yqfbak");
    app.export_backup(&BackupScope::Enterprise { id: id.clone() }, &dest)
        .await
        .unwrap();
    drop(ws);
    app.remove_workspace(&id).await.unwrap();
    let folder = dir
        .path()
        .join(yiqifu_core::workspace::WORKSPACES_DIR)
        .join(&id);
    let material = folder
        .join(yiqifu_core::materials::STORE_DIR)
        .join(&kept.sha256);
    // A folder stands where the database's journal goes: the material files go in first,
    // then the stale journal cannot be cleared.
    let journal = folder.join(format!("{}-wal", yiqifu_core::store::WORKSPACE_DB_FILE));
    std::fs::create_dir_all(&journal).unwrap();
    std::fs::write(journal.join("held"), b"in the way").unwrap();

    let err = app
        .restore_backup(&dest, std::slice::from_ref(&id), &[])
        .await
        .unwrap_err();
    let Error::RestoreStopped { placed, .. } = &err else {
        panic!("{err}");
    };
    assert!(!placed, "{err}");
    assert!(app.workspace(&id).is_err(), "not back");
    assert!(!material.exists(), "a material file was left behind");
    let left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec![journal.file_name().unwrap().to_string_lossy().into_owned()]
    );
    assert!(journal.join("held").exists(), "what stood there stays");

    std::fs::remove_dir_all(&journal).unwrap();
    app.restore_backup(&dest, std::slice::from_ref(&id), &[])
        .await
        .unwrap();
    assert_eq!(std::fs::read(&material).unwrap(), plan_bytes);
    app.close().await;
}

/// An enterprise new to this computer whose material files stop going in part-way through
/// (one cannot be moved into place): whichever went in comes out again, with the folders made
/// for them, and what stood in the way stays.
#[tokio::test]
async fn a_new_enterprise_whose_files_stop_part_way_through_leaves_none_of_them() {
    let (dir, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (app, _central, ws) = ready(dir.path(), "backup-files-part-way").await;
    let mut kept = Vec::new();
    for (kind, seed) in [("prevention_plan", 5), ("emergency_plan", 6)] {
        let path = files.path().join(format!("{kind}.pdf"));
        std::fs::write(&path, samples::pdf_sized(150_000, seed)).unwrap();
        kept.push(
            ws.add_application_file(kind, &path, FileOrigin::Picked)
                .await
                .unwrap(),
        );
    }
    let id = ws.id().to_string();
    let dest = files.path().join("一家企业.yqfbak");
    app.export_backup(&BackupScope::Enterprise { id: id.clone() }, &dest)
        .await
        .unwrap();
    drop(ws);
    app.remove_workspace(&id).await.unwrap();
    let folder = dir
        .path()
        .join(yiqifu_core::workspace::WORKSPACES_DIR)
        .join(&id);
    let store = folder.join(yiqifu_core::materials::STORE_DIR);
    // A folder stands where one file goes, so its move fails. Each file in turn: the order the
    // files go in is the file system's, so one of the two runs moves the other file first.
    for blocked in &kept {
        let blocker = store.join(&blocked.sha256);
        std::fs::create_dir_all(&blocker).unwrap();
        std::fs::write(blocker.join("held"), b"in the way").unwrap();

        let err = app
            .restore_backup(&dest, std::slice::from_ref(&id), &[])
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::RestoreStopped { placed: false, .. }),
            "{err}"
        );
        assert!(app.workspace(&id).is_err(), "not back");
        // Everything under the enterprise's folder is what stood there: the blocker and the
        // folders that hold it.
        let mut left = Vec::new();
        let mut stack = vec![folder.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()) {
                if e.is_dir() {
                    stack.push(e.clone());
                }
                left.push(e.strip_prefix(&folder).unwrap().to_path_buf());
            }
        }
        left.sort();
        let blocker_rel = blocker.strip_prefix(&folder).unwrap().to_path_buf();
        let mut want = vec![blocker_rel.join("held"), blocker_rel.clone()];
        let mut up = blocker_rel.parent();
        while let Some(p) = up.filter(|p| !p.as_os_str().is_empty()) {
            want.push(p.to_path_buf());
            up = p.parent();
        }
        want.sort();
        assert_eq!(left, want, "only what stood there stays");
        assert!(blocker.join("held").exists(), "what stood there stays");
        std::fs::remove_dir_all(&blocker).unwrap();
    }

    app.restore_backup(&dest, std::slice::from_ref(&id), &[])
        .await
        .unwrap();
    for k in &kept {
        assert!(store.join(&k.sha256).is_file(), "{} is back", k.sha256);
    }
    app.close().await;
}

/// A copy of the backup `from` at `to` with its manifest as `edit` leaves it: a backup as
/// another computer or version would have written it.
fn with_manifest(from: &Path, to: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let inside = members(from);
    let mut manifest: serde_json::Value = serde_json::from_slice(
        &inside
            .iter()
            .find(|(n, _)| n == "manifest.json")
            .expect("a manifest")
            .1,
    )
    .unwrap();
    edit(&mut manifest);
    let manifest = serde_json::to_vec(&manifest).unwrap();
    let mut parts: Vec<(&str, &[u8])> = inside
        .iter()
        .filter(|(n, _)| n != "manifest.json")
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    parts.push(("manifest.json", &manifest));
    zip_of(to, &parts);
}

async fn titles(ws: &Workspace) -> Vec<String> {
    let mut t: Vec<String> = ws
        .appeals(&AppealQuery::default())
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect();
    t.sort();
    t
}

/// Two computers that worked on one enterprise apart: a backup from one is later than the
/// other's work but was not made from it, so restoring it there asks first. One made from
/// what the other has is restored unasked, as is one onto a computer that only signed in.
#[tokio::test]
async fn work_done_apart_on_two_computers_is_asked_about_however_much_later_the_backup() {
    let (a_dir, b_dir, c_dir, files) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let (a, central, ws) = ready(a_dir.path(), "backup-apart").await;
    let id = ws.id().to_string();
    let one = std::slice::from_ref(&id);
    ws.create_appeal(appeal("甲电脑的第一份诉求"))
        .await
        .unwrap();
    let first = files.path().join("甲-1.yqfbak");
    a.export_backup(&BackupScope::All, &first).await.unwrap();

    let b = App::open(b_dir.path(), test_keychain("backup-apart-b"))
        .await
        .unwrap();
    b.set_sync_config(fast());
    b.choose_server(ServerChoice::Url { url: central.url() }, &central.url())
        .await
        .unwrap();
    b.restore_backup(&first, one, &[]).await.unwrap();

    // A works on: its next backup was made from what B has.
    next_second().await;
    ws.create_appeal(appeal("甲电脑的第二份诉求"))
        .await
        .unwrap();
    let second = files.path().join("甲-2.yqfbak");
    a.export_backup(&BackupScope::All, &second).await.unwrap();
    // B signs in later and sends what came queued in the backup: the sync changes B's copy
    // (its queue, the service's answer), not its work, and B takes A's backup unasked.
    next_second().await;
    let (code, pw) = demo_login();
    b.sign_in(&code, pw).await.unwrap();
    let on_b = b.workspace(&id).unwrap();
    settle(&on_b).await;
    assert_eq!(appeals_titled(&central.db, "甲电脑的第一份诉求").await, 1);
    b.sync_now().await.unwrap();
    let info = b.backup_info(&second).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::BackupNewer);

    // B works too, and A later still: A's backup is the later one, and lacks B's work.
    next_second().await;
    on_b.create_appeal(appeal("乙电脑的诉求")).await.unwrap();
    // Sending it does not make it the same work as before it (that state was never in a
    // backup).
    settle(&on_b).await;
    next_second().await;
    ws.create_appeal(appeal("甲电脑的第三份诉求"))
        .await
        .unwrap();
    let third = files.path().join("甲-3.yqfbak");
    a.export_backup(&BackupScope::All, &third).await.unwrap();
    // B's own backups (one at quit) do not put its work in A's.
    b.backup_at_quit().await.unwrap();
    let info = b.backup_info(&third).await.unwrap();
    assert!(info.enterprises[0].backup_changed_at > info.enterprises[0].local_changed_at);
    assert_eq!(info.enterprises[0].state, RestoreState::Diverged);
    let refused = b.restore_backup(&third, one, &[]).await.unwrap_err();
    assert_eq!(refused.code(), "RESTORE_WOULD_OVERWRITE");
    assert!(
        refused.message_en().contains("work"),
        "{}",
        refused.message_en()
    );
    // The same backup as an app from before lineages wrote it: it cannot tell what it was
    // made from, so where there is work it asks too.
    let unlinked = files.path().join("旧版-3.yqfbak");
    with_manifest(&third, &unlinked, |m| {
        m["enterprises"][0]
            .as_object_mut()
            .unwrap()
            .remove("lineage");
    });
    let info = b.backup_info(&unlinked).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::Diverged);
    assert!(
        titles(&on_b).await.contains(&"乙电脑的诉求".to_string()),
        "nothing replaced"
    );
    // The one before it is not later than B's work, and is asked about as such.
    let info = b.backup_info(&second).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::LocalNewer);

    // Confirmed: A's work replaces B's, which the safety backup keeps.
    let outcome = b.restore_backup(&third, one, one).await.unwrap();
    let restored = b.workspace(&id).unwrap();
    assert_eq!(
        titles(&restored).await,
        [
            "甲电脑的第一份诉求",
            "甲电脑的第三份诉求",
            "甲电脑的第二份诉求"
        ]
    );
    let safety = PathBuf::from(outcome.safety_backup.expect("B's work is kept"));
    // It is B's own state: put back, it asks, as A's later work is in the way now.
    let info = b.backup_info(&safety).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::LocalNewer);

    // A computer that only signed in has nothing of its own to lose.
    let c = App::open(c_dir.path(), test_keychain("backup-apart-c"))
        .await
        .unwrap();
    c.set_sync_config(fast());
    yiqifu_tests::sign_in_demo(&c, &central.url()).await;
    c.sync_now().await.unwrap();
    for file in [&third, &unlinked] {
        let info = c.backup_info(file).await.unwrap();
        assert_eq!(info.enterprises[0].state, RestoreState::BackupNewer);
    }
    // Once it holds work of its own (a bookmark, newer than the backup), it asks.
    let on_c = c.workspace(&id).unwrap();
    on_c.bookmark("pol-nat-003", true).await.unwrap();
    let info = c.backup_info(&third).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::LocalNewer);
    a.close().await;
    b.close().await;
    c.close().await;
}

/// Work that writes no time (a bookmark taken off, here) is work the backup lacks all the
/// same: the restore asks before replacing it, however equal the times look.
#[tokio::test]
async fn a_change_that_writes_no_time_is_still_work_a_restore_asks_about() {
    let (dir, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (app, _central, ws) = ready(dir.path(), "backup-untimed").await;
    let id = ws.id().to_string();
    ws.bookmark("pol-nat-003", true).await.unwrap();
    next_second().await;
    // The newest time in the database, after the bookmark's; sent, so nothing is queued.
    ws.create_appeal(appeal("备份之前的诉求")).await.unwrap();
    settle(&ws).await;
    let dest = files.path().join("备份.yqfbak");
    app.export_backup(&BackupScope::All, &dest).await.unwrap();
    let info = app.backup_info(&dest).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::Same);
    // The same backup as an app from before fingerprints wrote it: the time alone cannot
    // show it holds this work (an edit of a draft moves no time that counts), so it asks.
    let unprinted = files.path().join("旧版.yqfbak");
    with_manifest(&dest, &unprinted, |m| {
        let e = m["enterprises"][0].as_object_mut().unwrap();
        e.remove("fingerprint");
        e.remove("lineage");
    });
    let info = app.backup_info(&unprinted).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::LocalNewer);
    // What a sync writes (its cursors, the inbox, the last sync's time) is nobody's work:
    // the backup is still the same.
    next_second().await;
    app.sync_now().await.unwrap();
    let info = app.backup_info(&dest).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::Same);

    ws.bookmark("pol-nat-003", false).await.unwrap();
    let info = app.backup_info(&dest).await.unwrap();
    assert_eq!(
        info.enterprises[0].local_changed_at, info.enterprises[0].backup_changed_at,
        "the times alone cannot tell"
    );
    assert_eq!(info.enterprises[0].state, RestoreState::LocalNewer);
    let refused = app
        .restore_backup(&dest, std::slice::from_ref(&id), &[])
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "RESTORE_WOULD_OVERWRITE");
    // Agreeing to replace another enterprise's work is not agreeing to replace this one's.
    let refused = app
        .restore_backup(
            &dest,
            std::slice::from_ref(&id),
            &["another-enterprise".into()],
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "RESTORE_WOULD_OVERWRITE");
    assert!(
        ws.bookmarks().await.unwrap().is_empty(),
        "nothing was replaced"
    );

    // Asked and confirmed, the backup's bookmark comes back.
    app.restore_backup(&dest, std::slice::from_ref(&id), std::slice::from_ref(&id))
        .await
        .unwrap();
    let restored = app.workspace(&id).unwrap();
    assert_eq!(restored.bookmarks().await.unwrap().len(), 1);
    let info = app.backup_info(&dest).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::Same);
    app.close().await;
}

/// The schema the app's workspace databases had before migration 8, as an older version
/// of the app left them.
async fn downgrade_to_7(db: &Path) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    for sql in [
        "DROP INDEX outbox_waits_on",
        "ALTER TABLE outbox DROP COLUMN waits_on",
        "DELETE FROM _sqlx_migrations WHERE version >= 8",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
}

async fn version_of(db: &Path) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let (v,): (i64,) = sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    v
}

#[tokio::test]
async fn the_app_backs_up_at_quit_and_before_an_update_and_keeps_the_last_few() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _central, ws) = ready(dir.path(), "backup-auto").await;
    let id = ws.id().to_string();
    ws.create_appeal(appeal("更新之前的诉求")).await.unwrap();
    for _ in 0..yiqifu_core::backup::KEEP + 2 {
        app.backup_at_quit().await.unwrap().expect("taken");
    }
    let quits = app.automatic_backups().await.unwrap();
    assert_eq!(
        quits.len(),
        yiqifu_core::backup::KEEP,
        "the oldest are deleted"
    );
    assert!(quits.iter().all(|b| b.kind == BackupKind::Quit && !b.files));
    assert!(quits.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    // An old one that cannot be deleted (here a folder of its name; on Windows, a file held
    // open) stays for the next time: the backup being taken, and the quit, still succeed.
    let stuck = app.backups_dir().join("quit-20000101-000000000Z.yqfbak");
    std::fs::create_dir(&stuck).unwrap();
    app.backup_at_quit()
        .await
        .expect("an old backup that would not go does not fail the new one")
        .expect("taken");
    assert!(stuck.exists());
    assert_eq!(
        app.automatic_backups().await.unwrap().len(),
        yiqifu_core::backup::KEEP,
        "the others are still pruned"
    );
    std::fs::remove_dir(&stuck).unwrap();
    // A clock that was once ahead named backups after the years to come: the one taken now
    // is kept all the same, and the future ones go first.
    let now = app.automatic_backups().await.unwrap();
    for (i, b) in now.iter().enumerate() {
        let ahead = app
            .backups_dir()
            .join(format!("quit-2099010{}-000000000Z.yqfbak", i + 1));
        std::fs::rename(&b.path, ahead).unwrap();
    }
    let taken = app.backup_at_quit().await.unwrap().expect("taken");
    let kept = app.automatic_backups().await.unwrap();
    assert_eq!(kept.len(), yiqifu_core::backup::KEEP);
    assert!(
        kept.iter().any(|b| Path::new(&b.path) == taken),
        "the backup just taken is kept"
    );
    assert!(!app
        .backups_dir()
        .join("quit-20990101-000000000Z.yqfbak")
        .exists());
    let keychain = format!("yiqifu-test-backup-auto-{}", std::process::id());
    app.close().await;
    drop(app);

    // An older version left the enterprise's database one migration behind.
    let db = workspace_db(dir.path(), &id);
    downgrade_to_7(&db).await;
    // What a backup and a restore killed mid-way leave: their copies go at the next start.
    let leftovers = [
        dir.path()
            .join(yiqifu_core::backup::BACKUPS_DIR)
            .join(".work-b123")
            .join("x.sqlite"),
        dir.path()
            .join(yiqifu_core::workspace::WORKSPACES_DIR)
            .join(format!(".restoring-{id}-r456"))
            .join("workspace.sqlite"),
    ];
    for f in &leftovers {
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, b"copy").unwrap();
    }
    let app = App::open(dir.path(), Keychain::new(&keychain))
        .await
        .unwrap();
    for f in &leftovers {
        assert!(!f.parent().unwrap().exists(), "{} left behind", f.display());
    }
    assert!(version_of(&db).await >= 8, "the update migrated it");
    let before: Vec<_> = app
        .automatic_backups()
        .await
        .unwrap()
        .into_iter()
        .filter(|b| b.kind == BackupKind::BeforeUpdate)
        .collect();
    assert_eq!(before.len(), 1, "one backup before the update");
    let inside = members(Path::new(&before[0].path));
    let (_, old) = inside
        .iter()
        .find(|(n, _)| n.ends_with("workspace.sqlite"))
        .expect("the database is inside");
    let scratch = tempfile::tempdir().unwrap();
    let copy = scratch.path().join("old.sqlite");
    std::fs::write(&copy, old).unwrap();
    assert_eq!(version_of(&copy).await, 7, "taken before the migration ran");

    // Another computer, still on the older version, went on from this very state and made a
    // later backup. The update changed how the work here reads, not what it is: that backup
    // was made from it, and replacing it loses nothing.
    let from_there = scratch.path().join("旧版电脑.yqfbak");
    with_manifest(Path::new(&before[0].path), &from_there, |m| {
        let e = &mut m["enterprises"][0];
        let then = e["last_change_at"].as_i64().unwrap();
        e["last_change_at"] = (then + 60).into();
        e["fingerprint"] = "work-done-there".into();
        // Of this computer's states it knows only the one before the update (its quits'
        // states, in the same tables as now, would match without the update's link).
        let before_update = e["lineage"]
            .as_array()
            .and_then(|l| l.last().cloned())
            .expect("a lineage");
        e["lineage"] = serde_json::json!([before_update, "work-done-there"]);
    });
    let info = app.backup_info(&from_there).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::BackupNewer);
    app.restore_backup(&from_there, std::slice::from_ref(&id), &[])
        .await
        .expect("restored without asking");

    // Restoring it puts the old work back, migrated again as it opens.
    let info = app.backup_info(Path::new(&before[0].path)).await.unwrap();
    assert_eq!(info.enterprises[0].state, RestoreState::Same);
    app.restore_backup(Path::new(&before[0].path), std::slice::from_ref(&id), &[])
        .await
        .unwrap();
    assert_eq!(queued(&app.workspace(&id).unwrap()).await, 1);
    assert!(version_of(&db).await >= 8);
    app.close().await;
    drop(app);

    // Nothing to migrate: no new backup.
    let app = App::open(dir.path(), Keychain::new(&keychain))
        .await
        .unwrap();
    let count = app
        .automatic_backups()
        .await
        .unwrap()
        .iter()
        .filter(|b| b.kind == BackupKind::BeforeUpdate)
        .count();
    assert_eq!(count, 1);
    app.close().await;
}

/// When the backup an update takes first cannot be written, the update goes ahead all the
/// same (refusing would lock the officer out of their work) and the officer is told.
#[tokio::test]
async fn an_update_whose_backup_fails_goes_ahead_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _central, ws) = ready(dir.path(), "backup-update-fails").await;
    let id = ws.id().to_string();
    ws.create_appeal(appeal("更新之前的诉求")).await.unwrap();
    let keychain = format!("yiqifu-test-backup-update-fails-{}", std::process::id());
    app.close().await;
    drop(app);
    let db = workspace_db(dir.path(), &id);
    downgrade_to_7(&db).await;
    // Where backups go is taken by a file: nothing can be written there.
    let backups = dir.path().join(yiqifu_core::backup::BACKUPS_DIR);
    let _ = std::fs::remove_dir_all(&backups);
    std::fs::write(&backups, b"not a folder").unwrap();

    let app = App::open(dir.path(), Keychain::new(&keychain))
        .await
        .unwrap();
    assert!(version_of(&db).await >= 8, "the update migrated it");
    assert_eq!(queued(&app.workspace(&id).unwrap()).await, 1);
    let notice = app.status().notice.expect("the officer is told");
    assert_eq!(notice.code, "UPDATE_BACKUP_FAILED");
    assert!(
        notice.message_zh.contains("导出一份备份"),
        "{}",
        notice.message_zh
    );
    assert!(
        notice.message_en.contains("export a backup"),
        "{}",
        notice.message_en
    );
    app.close().await;
    drop(app);

    // The next start has nothing to migrate, and nothing to say.
    let app = App::open(dir.path(), Keychain::new(&keychain))
        .await
        .unwrap();
    assert!(app.status().notice.is_none());
    app.close().await;
}

/// The copy of each database the next start may restore from a damaged file waits until this
/// start is over: read beside the window's first page, a large catalog's copy slowed it by
/// seconds. (When it comes: the store's own test.)
#[tokio::test]
async fn the_start_does_not_copy_its_databases_while_the_window_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _central, ws) = ready(dir.path(), "backup-later").await;
    let keychain = format!("yiqifu-test-backup-later-{}", std::process::id());
    let copies = [
        dir.path().join(yiqifu_core::store::BACKUP_FILE),
        ws.store()
            .dir()
            .join(format!("{}.bak", yiqifu_core::store::WORKSPACE_DB_FILE)),
    ];
    drop(ws);
    app.close().await;
    drop(app);
    for c in &copies {
        let _ = std::fs::remove_file(c);
    }
    let app = App::open(dir.path(), Keychain::new(&keychain))
        .await
        .unwrap();
    assert_eq!(
        app.workspaces().len(),
        1,
        "the enterprise opened with the app"
    );
    // Copies of databases this small take milliseconds.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    for c in &copies {
        assert!(!c.exists(), "{} copied while the app started", c.display());
    }
    app.close().await;
}

fn zip_of(path: &Path, members: &[(&str, &[u8])]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[tokio::test]
async fn a_file_that_is_not_a_usable_backup_is_refused_with_why_and_changes_nothing() {
    let (dir, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (app, _central, ws) = ready(dir.path(), "backup-bad").await;
    let id = ws.id().to_string();
    ws.create_appeal(appeal("不能丢的诉求")).await.unwrap();
    let good = files.path().join("好的.yqfbak");
    app.export_backup(&BackupScope::All, &good).await.unwrap();
    let manifest = members(&good)
        .into_iter()
        .find(|(n, _)| n == "manifest.json")
        .unwrap()
        .1;
    let mut newer: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    newer["format"] = 99.into();
    newer["app_version"] = "9.0.0".into();
    // A later app that added a kind of backup, with the format unchanged: it asks for an
    // update; the same unknown kind from this very version is damage.
    let mut later_kind: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    later_kind["kind"] = "weekly".into();
    later_kind["app_version"] = "99.0.0".into();
    let mut odd_kind = later_kind.clone();
    odd_kind["app_version"] = yiqifu_core::VERSION.into();
    let escaping: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    // An id is a folder name: one that climbs out must not become one.
    let mut climbing: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    climbing["enterprises"][0]["id"] = "../../逃出去".into();

    let f = files.path();
    let not_zip = f.join("照片.yqfbak");
    std::fs::write(&not_zip, samples::pdf()).unwrap();
    let no_manifest = f.join("空.yqfbak");
    zip_of(&no_manifest, &[("readme.txt", b"hello")]);
    let too_new = f.join("新版.yqfbak");
    zip_of(
        &too_new,
        &[("manifest.json", &serde_json::to_vec(&newer).unwrap())],
    );
    let later = f.join("新版种类.yqfbak");
    zip_of(
        &later,
        &[("manifest.json", &serde_json::to_vec(&later_kind).unwrap())],
    );
    let odd = f.join("怪种类.yqfbak");
    zip_of(
        &odd,
        &[("manifest.json", &serde_json::to_vec(&odd_kind).unwrap())],
    );
    let escape = f.join("越界.yqfbak");
    let evil = format!("enterprises/{id}/../../逃出去.txt");
    zip_of(
        &escape,
        &[
            ("manifest.json", &serde_json::to_vec(&escaping).unwrap()),
            (&evil, b"x"),
        ],
    );
    // Names Windows would read as a way out: a backslash, a drive.
    let windows_ways: Vec<_> = [
        format!("enterprises/{id}/materials\\..\\..\\逃出去.txt"),
        format!("enterprises/{id}/C:逃出去.txt"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, evil)| {
        let file = f.join(format!("越界{i}.yqfbak"));
        zip_of(
            &file,
            &[
                ("manifest.json", &serde_json::to_vec(&escaping).unwrap()),
                (&evil, b"x"),
            ],
        );
        file
    })
    .collect();
    let bad_id = f.join("坏编号.yqfbak");
    zip_of(
        &bad_id,
        &[("manifest.json", &serde_json::to_vec(&climbing).unwrap())],
    );
    let cut = f.join("半截.yqfbak");
    let whole = std::fs::read(&good).unwrap();
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();

    use yiqifu_core::error::BackupFault;
    for (path, code, why) in [
        (&not_zip, "BACKUP_INVALID", Some(BackupFault::NotZip)),
        (
            &no_manifest,
            "BACKUP_INVALID",
            Some(BackupFault::NoManifest),
        ),
        (&too_new, "BACKUP_TOO_NEW", None),
        (&later, "BACKUP_TOO_NEW", None),
        (&odd, "BACKUP_INVALID", Some(BackupFault::BadManifest)),
        (&cut, "BACKUP_INVALID", Some(BackupFault::NotZip)),
        (&escape, "BACKUP_INVALID", Some(BackupFault::OddEntry)),
        (
            &windows_ways[0],
            "BACKUP_INVALID",
            Some(BackupFault::OddEntry),
        ),
        (
            &windows_ways[1],
            "BACKUP_INVALID",
            Some(BackupFault::OddEntry),
        ),
        (&bad_id, "BACKUP_INVALID", Some(BackupFault::OddEnterprise)),
        // Not there (or held, or not ours to read): the file, not the backup, is at fault.
        (&f.join("不存在.yqfbak"), "INVALID_FILE", None),
    ] {
        let e = app
            .restore_backup(path, std::slice::from_ref(&id), std::slice::from_ref(&id))
            .await
            .unwrap_err();
        assert_eq!(e.code(), code, "{}: {e}", path.display());
        if let Some(why) = why {
            assert!(
                matches!(&e, yiqifu_core::Error::BackupInvalid { fault, .. } if *fault == why),
                "{}: {e:?}",
                path.display()
            );
        }
        // Why, in each language (the file's own name aside).
        let shown = path.display().to_string();
        let zh = e.message_zh().replace(&shown, "").replace(".yqfbak", "");
        assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
        let en = e.message_en().replace(&shown, "");
        assert!(en.is_ascii(), "{en}");
        let ws = app.workspace(&id).expect("the enterprise is still open");
        assert_eq!(queued(&ws).await, 1, "{}: nothing changed", path.display());
    }
    assert!(
        !dir.path().join("逃出去.txt").exists()
            && !dir
                .path()
                .join(yiqifu_core::workspace::WORKSPACES_DIR)
                .join("逃出去.txt")
                .exists(),
        "nothing was written outside the enterprise's folder"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join(yiqifu_core::workspace::WORKSPACES_DIR))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "no staging folder left behind: {left:?}");
    app.close().await;
}
