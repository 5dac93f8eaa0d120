//! The resume-work application in the core, against a real `yiqifu-central`: files checked
//! before they are accepted, the roster, the forms, the check of the whole application, the
//! package, sending once, a return for corrections answered with a diff, and approval.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use yiqifu_core::application::{
    ApplicationDraft, Change, Delivery, FileOrigin, FormKind, Severity, SourceState,
};
use yiqifu_core::{App, Workspace};
use yiqifu_files::samples;
use yiqifu_protocol::{AnswerValue, ApplicationState, CorrectionItem, ReviewAction};
use yiqifu_tests::journey::{answer_all, pass_selfcheck, profile, ready, settle, TEMPLATE};
use yiqifu_tests::people::{csv_lines, id_number, CSV_HEADER};
use yiqifu_tests::{pdf_text, tighten_rule};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn today() -> String {
    yiqifu_core::clock::today_in_china()
}

/// An app on a fresh service whose enterprise has a profile and a passing self-check.
async fn ready_to_apply(dir: &Path, test: &str) -> (App, yiqifu_central::Running, Arc<Workspace>) {
    let (app, central, ws) = ready(dir, test).await;
    pass_selfcheck(&ws, dir).await;
    (app, central, ws)
}

/// A roster of `n` people imported from a UTF-8 CSV.
async fn import_people(ws: &Workspace, dir: &Path, n: u32) {
    let text = format!("{CSV_HEADER}\n{}\n", csv_lines(n, &today()).join("\n"));
    let file = write(dir, "名单.csv", text.as_bytes());
    let report = ws.import_roster(&file).await.unwrap();
    assert_eq!(report.added, n, "{report:?}");
    assert!(report.rejected.is_empty(), "{report:?}");
}

/// Everything an officer attaches: the roster exported, the two forms generated (as if
/// signed, sealed and scanned back) and a sample file for every other required material.
async fn assemble(ws: &Workspace, dir: &Path) -> ApplicationDraft {
    ws.attach_roster().await.unwrap();
    for kind in [FormKind::ApplicationForm, FormKind::CommitmentLetter] {
        let (name, pdf) = ws.generate_form(kind).await.unwrap();
        let signed = write(dir, &format!("已签章-{name}"), &pdf);
        ws.add_application_file(kind_type(kind), &signed, FileOrigin::Picked)
            .await
            .unwrap();
    }
    let draft = ws.application_draft().await.unwrap();
    for (i, slot) in draft.slots.iter().enumerate() {
        if !slot.rule.required || !slot.files.is_empty() {
            continue;
        }
        let (bytes, ext) = samples::for_formats(&slot.rule.formats, 4096, i as u64 + 100).unwrap();
        let path = write(dir, &format!("{}.{ext}", slot.rule.name), &bytes);
        ws.add_application_file(&slot.rule.material_type, &path, FileOrigin::Picked)
            .await
            .unwrap();
    }
    ws.save_application_fields("王芳".into(), "13800138000".into(), String::new())
        .await
        .unwrap();
    ws.application_draft().await.unwrap()
}

fn kind_type(kind: FormKind) -> &'static str {
    match kind {
        FormKind::ApplicationForm => "application_form",
        FormKind::CommitmentLetter => "commitment_letter",
    }
}

/// One step of the review, as the authority takes it.
async fn review(central: &yiqifu_central::Running, id: &str, action: ReviewAction) {
    let mut tx = central.db.begin().await.unwrap();
    yiqifu_central::applications::review(&mut tx, id, action, "reviewer:张科长")
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Sends and drains until something parks; gives up loudly.
async fn until_parked(ws: &Workspace) -> Vec<yiqifu_core::outbox::ParkedItem> {
    for _ in 0..500 {
        ws.drain().await.unwrap();
        let parked = ws.parked_items().await.unwrap();
        if !parked.is_empty() {
            return parked;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("nothing parked: {:?}", ws.summary());
}

fn codes(findings: &[yiqifu_core::application::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

#[tokio::test]
async fn files_are_checked_before_they_are_accepted_and_nothing_else_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let (_app, _central, ws) = ready_to_apply(dir.path(), "app-files").await;
    let f = files.path();

    let plan = write(f, "一企一案.pdf", &samples::pdf_sized(50_000, 1));
    let kept = ws
        .add_application_file("prevention_plan", &plan, FileOrigin::Picked)
        .await
        .unwrap();
    assert_eq!(kept.format, "pdf");

    let refusals = [
        (
            "commitment_letter",
            write(f, "承诺书.pdf", &samples::exe()),
            "FILE_WRONG_TYPE",
            "Windows",
        ),
        (
            "commitment_letter",
            write(f, "空白.pdf", b""),
            "FILE_EMPTY",
            "空",
        ),
        (
            "business_license",
            write(f, "执照.pdf", &samples::pdf_sized(6 * 1024 * 1024, 2)),
            "FILE_TOO_LARGE",
            "MB",
        ),
        (
            "commitment_letter",
            write(f, "加密.pdf", &samples::pdf_encrypted()),
            "PDF_ENCRYPTED",
            "密码",
        ),
        (
            "commitment_letter",
            write(f, "损坏.pdf", b"%PDF-1.7\nnot really"),
            "PDF_UNREADABLE",
            "PDF",
        ),
        (
            "commitment_letter",
            write(f, &format!("{}.pdf", "长".repeat(81)), &samples::pdf()),
            "NAME_TOO_LONG",
            "文件名",
        ),
        (
            "commitment_letter",
            write(f, "承诺书\u{202E}fdp.exe", &samples::pdf()),
            "NAME_HAS_BIDI",
            "文件名",
        ),
        (
            "emergency_plan",
            plan.clone(),
            "FILE_DUPLICATE",
            "一企一案.pdf",
        ),
        ("no_such_material", plan.clone(), "MATERIAL_UNKNOWN", "同步"),
    ];
    for (kind, path, code, says) in refusals {
        let err = ws
            .add_application_file(kind, &path, FileOrigin::Picked)
            .await
            .expect_err(code);
        assert_eq!(err.code(), code, "{}: {}", path.display(), err.message_zh());
        assert!(
            err.message_zh().contains(says),
            "{code}: {}",
            err.message_zh()
        );
        assert!(!err.message_en().is_empty());
    }
    let draft = ws.application_draft().await.unwrap();
    let held: Vec<&str> = draft
        .slots
        .iter()
        .flat_map(|s| s.files.iter().map(|f| f.filename.as_str()))
        .collect();
    assert_eq!(held, ["一企一案.pdf"], "refusals change nothing else");
    let leftovers: Vec<_> = std::fs::read_dir(ws.store().dir().join("materials"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".incoming"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no copy of a refused file is left behind"
    );

    // A material that takes one file: the next replaces it.
    let letter = write(f, "承诺书-第一版.pdf", &samples::pdf_sized(3000, 3));
    ws.add_application_file("commitment_letter", &letter, FileOrigin::Picked)
        .await
        .unwrap();
    let second = write(f, "承诺书-签字版.png", &samples::png(40, 40));
    ws.add_application_file("commitment_letter", &second, FileOrigin::Dropped)
        .await
        .unwrap();
    let draft = ws.application_draft().await.unwrap();
    let slot = draft
        .slots
        .iter()
        .find(|s| s.rule.material_type == "commitment_letter")
        .unwrap();
    assert_eq!(slot.files.len(), 1);
    assert_eq!(slot.files[0].filename, "承诺书-签字版.png");
    assert_eq!(slot.files[0].origin, FileOrigin::Dropped);

    // The picked files change or go: flagged, and the stored copies are what counts.
    std::fs::write(&second, samples::png(41, 41)).unwrap();
    std::fs::remove_file(&plan).unwrap();
    let draft = ws.application_draft().await.unwrap();
    let state = |t: &str| {
        draft
            .slots
            .iter()
            .find(|s| s.rule.material_type == t)
            .unwrap()
            .files[0]
            .source
    };
    assert_eq!(state("commitment_letter"), SourceState::Changed);
    assert_eq!(state("prevention_plan"), SourceState::Missing);
    let report = ws.check_application().await.unwrap();
    let warnings = codes(&report.warnings);
    assert!(
        warnings.contains(&"SOURCE_CHANGED") && warnings.contains(&"SOURCE_MISSING"),
        "{warnings:?}"
    );

    // The stored copy itself damaged: an error, with what to do.
    let stored = ws.store().dir().join("materials").join(&kept.sha256);
    std::fs::write(&stored, b"gone").unwrap();
    let report = ws.check_application().await.unwrap();
    assert!(
        codes(&report.errors).contains(&"STORED_COPY_MISSING"),
        "{:?}",
        report.errors
    );

    // Removing a file takes it out of the application only.
    ws.remove_application_file(&kept.id).await.unwrap();
    let err = ws.remove_application_file(&kept.id).await.unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");
}

#[tokio::test]
async fn the_roster_is_imported_checked_edited_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, _central, ws) = ready(dir.path(), "app-roster").await;
    let f = dir.path();
    let today = today();

    // GBK, as Excel on Chinese Windows saves CSV: a bad ID, a duplicate, good rows.
    let mut lines = vec![CSV_HEADER.to_string()];
    lines.extend(csv_lines(3, &today));
    let mut bad = id_number(50);
    bad.replace_range(17..18, if bad.ends_with('0') { "1" } else { "0" });
    lines.push(format!("钱七,{bad},13900000009,生产部,,阴性,{today}"));
    lines.push(lines[1].clone());
    let text = lines.join("\r\n");
    let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
    assert!(!lossy);
    let file = write(f, "返岗名单.csv", &gbk);
    let report = ws.import_roster(&file).await.unwrap();
    assert_eq!(report.added, 3, "{report:?}");
    assert_eq!(report.encoding.as_deref(), Some("GBK"));
    assert_eq!(report.rejected.len(), 2, "{report:?}");
    assert_eq!(report.rejected[0].line, 5);
    assert!(report.rejected[0]
        .problems
        .iter()
        .any(|p| p.code == "ID_CHECKSUM" && p.field == "id_number"));
    assert!(report.rejected[1]
        .problems
        .iter()
        .any(|p| p.code == "DUPLICATE"));
    // Kept until the next import, so the officer can work through it.
    assert_eq!(ws.roster().await.unwrap().last_import, Some(report));

    // Importing the same people again: every row is already there.
    let again = ws.import_roster(&file).await.unwrap();
    assert_eq!(again.added, 0);
    assert!(again
        .rejected
        .iter()
        .filter(|r| r.line <= 4)
        .all(|r| r.problems.iter().any(|p| p.code == "DUPLICATE")));

    // Missing columns: the whole file is refused, naming them; nothing changes.
    let no_ids = write(f, "缺列.csv", "姓名,部门\n张三,生产部\n".as_bytes());
    let err = ws.import_roster(&no_ids).await.unwrap_err();
    assert_eq!(err.code(), "MISSING_COLUMNS");
    assert!(
        err.message_zh().contains("身份证号"),
        "{}",
        err.message_zh()
    );
    assert_eq!(ws.roster().await.unwrap().rows.len(), 3);

    // Edited in the app: a bad row is refused whole, with each field named.
    let mut row = ws.roster().await.unwrap().rows[0].clone();
    let original = row.id_number.clone();
    row.phone = "12345".into();
    row.id_number = "310115198001011234".into();
    let err = ws
        .save_roster_row(Some(original.clone()), row.clone())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_ROSTER_ROW");
    assert!(
        err.message_zh().contains("身份证") && err.message_zh().contains("电话"),
        "{}",
        err.message_zh()
    );
    row.phone = "021-62345678".into();
    row.id_number = id_number(77).to_lowercase();
    let saved = ws.save_roster_row(Some(original), row).await.unwrap();
    assert_eq!(saved.id_number, id_number(77), "normalised");
    let rows = ws.roster().await.unwrap().rows;
    assert_eq!(rows[0].id_number, id_number(77), "kept its place");
    // Another person with the same ID is a duplicate.
    let mut twin = rows[1].clone();
    twin.id_number = id_number(77);
    assert_eq!(
        ws.save_roster_row(None, twin).await.unwrap_err().code(),
        "INVALID_ROSTER_ROW"
    );

    // Exported as the material: IDs are text, and the file reads back as the roster.
    let (name, xlsx) = ws.roster_xlsx().await.unwrap();
    assert!(name.ends_with(".xlsx"));
    let out = write(f, &name, &xlsx);
    let back = yiqifu_roster::import(&out, &Default::default(), &today).unwrap();
    assert_eq!(back.rows.len(), 3);
    assert_eq!(back.rows[0].id_number, id_number(77));

    ws.delete_roster_rows(vec![id_number(77)]).await.unwrap();
    assert_eq!(ws.roster().await.unwrap().rows.len(), 2);
    ws.clear_roster().await.unwrap();
    assert!(ws.roster().await.unwrap().rows.is_empty());
    assert_eq!(ws.roster_xlsx().await.unwrap_err().code(), "ROSTER_EMPTY");
}

#[tokio::test]
async fn forms_carry_the_company_and_the_staff_and_go_stale_when_they_change() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, _central, ws) = ready_to_apply(dir.path(), "app-forms").await;
    assert_eq!(
        ws.generate_form(FormKind::ApplicationForm)
            .await
            .unwrap_err()
            .code(),
        "ROSTER_EMPTY"
    );
    import_people(&ws, dir.path(), 5).await;
    let staff = ws.roster().await.unwrap().rows[2].clone();
    let account = ws.profile();
    for kind in [FormKind::ApplicationForm, FormKind::CommitmentLetter] {
        let (name, pdf) = ws.generate_form(kind).await.unwrap();
        assert!(name.ends_with(".pdf"), "{name}");
        let text = pdf_text(&write(dir.path(), &name, &pdf));
        for wanted in [
            &account.name,
            &account.credit_code,
            &staff.name,
            &staff.id_number,
        ] {
            assert!(text.contains(wanted.as_str()), "{name} lacks {wanted}");
        }
        ws.add_application_file(kind_type(kind), &dir.path().join(&name), FileOrigin::Picked)
            .await
            .unwrap();
    }
    let draft = ws.application_draft().await.unwrap();
    assert!(draft.forms.iter().all(|f| f.current && f.form_id.is_some()));
    let report = ws.check_application().await.unwrap();
    assert!(
        !codes(&report.errors).contains(&"FORM_OUTDATED"),
        "{:?}",
        report.errors
    );

    // A person joins after the forms were printed: both must be made again.
    let mut extra = staff.clone();
    extra.id_number = id_number(300);
    extra.name = "赵六".into();
    ws.save_roster_row(None, extra).await.unwrap();
    let draft = ws.application_draft().await.unwrap();
    assert!(draft.forms.iter().all(|f| !f.current));
    let report = ws.check_application().await.unwrap();
    let outdated: Vec<_> = report
        .errors
        .iter()
        .filter(|f| f.code == "FORM_OUTDATED")
        .map(|f| f.target.clone())
        .collect();
    assert_eq!(outdated.len(), 2, "{:?}", report.errors);
    assert!(outdated.contains(&Some("application_form".into())));
}

#[tokio::test]
async fn the_check_stops_an_incomplete_application_and_a_failed_send_keeps_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, _central, ws) = ready_to_apply(dir.path(), "app-check").await;
    settle(&ws).await;
    let report = ws.check_application().await.unwrap();
    let errors = codes(&report.errors);
    for code in ["ROSTER_EMPTY", "MATERIAL_MISSING"] {
        assert!(errors.contains(&code), "{errors:?}");
    }
    assert!(report.errors.iter().all(|f| f.severity == Severity::Error));
    assert!(codes(&report.warnings).contains(&"MATERIAL_OPTIONAL_MISSING"));
    let err = ws.send_application().await.unwrap_err();
    assert_eq!(err.code(), "APPLICATION_NOT_READY");
    assert_eq!(ws.summary().queued, 0, "nothing queued");

    import_people(&ws, dir.path(), 4).await;
    assert_eq!(
        codes(&ws.check_application().await.unwrap().errors).len(),
        errors.len() - 1
    );
    assemble(&ws, dir.path()).await;
    // The roster changes after it was attached.
    ws.delete_roster_rows(vec![id_number(1)]).await.unwrap();
    let errors = ws.check_application().await.unwrap().errors;
    assert!(codes(&errors).contains(&"ROSTER_CHANGED"), "{errors:?}");
    ws.attach_roster().await.unwrap();
    for kind in [FormKind::ApplicationForm, FormKind::CommitmentLetter] {
        let (name, pdf) = ws.generate_form(kind).await.unwrap();
        let p = write(dir.path(), &format!("重签-{name}"), &pdf);
        ws.add_application_file(kind_type(kind), &p, FileOrigin::Picked)
            .await
            .unwrap();
    }
    let report = ws.check_application().await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    // Packaging fails (the packages folder cannot be made): nothing is queued or lost.
    let packages = ws.store().dir().join("packages");
    std::fs::write(&packages, b"not a folder").unwrap();
    let err = ws.send_application().await.unwrap_err();
    assert_eq!(err.code(), "IO_ERROR", "{err:?}");
    assert_eq!(ws.summary().queued, 0);
    assert!(ws.applications().await.unwrap().is_empty());
    let draft = ws.application_draft().await.unwrap();
    assert!(draft
        .slots
        .iter()
        .filter(|s| s.rule.required)
        .all(|s| !s.files.is_empty()));
    std::fs::remove_file(&packages).unwrap();
    ws.send_application().await.unwrap();
}

#[tokio::test]
async fn an_application_goes_once_is_returned_corrected_and_approved() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = ready_to_apply(dir.path(), "app-journey").await;
    let mut notices = app.notices();
    let mut packing = app.package_progress();
    import_people(&ws, dir.path(), 6).await;
    let draft = assemble(&ws, dir.path()).await;
    assert_eq!(draft.round, 1);
    let report = ws.check_application().await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    let sent = ws.send_application().await.unwrap();
    assert_eq!(sent.round, 1);
    // Progress reached the whole size of the files.
    let mut last = None;
    while let Ok(p) = packing.try_recv() {
        last = Some(p);
    }
    let last = last.expect("packaging reported progress");
    assert_eq!(last.done, last.total);
    assert!(last.total > 0);

    // The package: every file with its hash, the self-check, the client version.
    let package = ws
        .store()
        .dir()
        .join("packages")
        .join(format!("{}.zip", sent.package_sha256));
    let manifest = yiqifu_files::verify_package(&package).unwrap();
    assert_eq!(manifest.credit_code, ws.profile().credit_code);
    assert_eq!(manifest.selfcheck.template_version, 2);
    assert_eq!(manifest.client_version, env!("CARGO_PKG_VERSION"));
    let required = draft.slots.iter().filter(|s| s.rule.required).count();
    assert!(manifest.files.len() >= required, "{manifest:?}");
    let bytes = std::fs::read(&package).unwrap();
    assert_eq!(bytes.len() as u64, sent.package_size);

    // The draft is gone; the application waits to be sent, and goes exactly once.
    assert_eq!(
        ws.application_draft()
            .await
            .unwrap()
            .slots
            .iter()
            .map(|s| s.files.len())
            .sum::<usize>(),
        0
    );
    let views = ws.applications().await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].delivery, Delivery::Queued);
    settle(&ws).await;
    app.sync_now().await.unwrap();
    let views = ws.applications().await.unwrap();
    assert_eq!(views[0].delivery, Delivery::Delivered);
    let server = views[0].server.clone().expect("the service's answer");
    assert_eq!(server.state, ApplicationState::Submitted);
    assert_eq!(
        server.package_sha256.as_deref(),
        Some(sent.package_sha256.as_str())
    );
    assert_eq!(server.returning_staff, 6);
    assert_eq!(server.materials.len(), manifest.files.len());
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications")
        .fetch_one(&central.db)
        .await
        .unwrap();
    assert_eq!(count, 1, "sent once");
    assert!(
        notices.try_recv().is_err(),
        "the officer's own submission is no news"
    );
    let uploads = || async {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE owner = ?")
            .bind(ws.profile().credit_code)
            .fetch_one(&central.db)
            .await
            .unwrap();
        n
    };
    let uploaded_first = uploads().await;

    // The receipt: number, time, package hash.
    let (name, pdf) = ws.application_receipt(&sent.record_id, None).await.unwrap();
    let text = pdf_text(&write(dir.path(), &name, &pdf));
    assert!(text.contains(&server.timeline[0].receipt_no), "{text}");
    assert!(text
        .replace(char::is_whitespace, "")
        .contains(&sent.package_sha256));

    // The authority accepts, reviews and returns it with two things to fix.
    review(&central, &server.id, ReviewAction::Accept { note: None }).await;
    review(&central, &server.id, ReviewAction::StartReview).await;
    review(
        &central,
        &server.id,
        ReviewAction::Return {
            items: vec![
                CorrectionItem {
                    material_type: Some("commitment_letter".into()),
                    text: "承诺书缺少法定代表人签字".into(),
                },
                CorrectionItem {
                    material_type: None,
                    text: "请核对返岗人数".into(),
                },
            ],
        },
    )
    .await;
    app.sync_now().await.unwrap();
    let notice = notices.try_recv().expect("told of the return");
    assert_eq!(notice.state, ApplicationState::Returned);
    assert_eq!(notice.record_id, sent.record_id);
    assert!(notice.body_zh.contains("补正 2 项"), "{}", notice.body_zh);
    assert!(notices.try_recv().is_err(), "once, however many steps came");
    app.sync_now().await.unwrap();
    assert!(notices.try_recv().is_err(), "and not again");
    let returned = ws.applications().await.unwrap()[0].server.clone().unwrap();
    assert_eq!(returned.state, ApplicationState::Returned);

    // The correction starts from exactly what was sent.
    let draft = ws.start_correction(&sent.record_id).await.unwrap();
    assert_eq!(draft.round, 2);
    assert_eq!(draft.record_id.as_deref(), Some(sent.record_id.as_str()));
    let letter = draft
        .slots
        .iter()
        .find(|s| s.rule.material_type == "commitment_letter")
        .unwrap();
    assert_eq!(letter.asked, ["承诺书缺少法定代表人签字"]);
    assert!(letter.files.iter().all(|f| f.carried));
    let report = ws.check_application().await.unwrap();
    assert!(
        codes(&report.errors).contains(&"NOTHING_CORRECTED"),
        "{:?}",
        report.errors
    );
    assert!(codes(&report.warnings).contains(&"ASKED_NOT_REPLACED"));
    assert!(codes(&report.warnings).contains(&"ASKED_CONFIRM"));

    let signed = write(
        dir.path(),
        "承诺书（法定代表人已签字）.pdf",
        &samples::pdf_sized(9000, 77),
    );
    ws.add_application_file("commitment_letter", &signed, FileOrigin::Picked)
        .await
        .unwrap();
    let diff = ws.correction_diff().await.unwrap().expect("a correction");
    let changed: Vec<_> = diff
        .materials
        .iter()
        .filter(|m| m.change != Change::Same)
        .collect();
    assert_eq!(changed.len(), 1, "{diff:?}");
    assert_eq!(changed[0].change, Change::Replaced);
    assert_eq!(
        changed[0].after[0].filename,
        "承诺书（法定代表人已签字）.pdf"
    );
    assert!(!diff.selfcheck_changed && diff.answers.is_empty());
    let report = ws.check_application().await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let resent = ws.send_application().await.unwrap();
    assert_eq!(
        (resent.round, resent.record_id.as_str()),
        (2, sent.record_id.as_str())
    );
    assert_ne!(resent.package_sha256, sent.package_sha256);
    settle(&ws).await;
    app.sync_now().await.unwrap();
    let view = ws.applications().await.unwrap().remove(0);
    let server = view.server.unwrap();
    assert_eq!(server.state, ApplicationState::Resubmitted);
    assert_eq!(
        server.package_sha256.as_deref(),
        Some(resent.package_sha256.as_str())
    );
    let letters: Vec<_> = server
        .materials
        .iter()
        .filter(|m| m.material_type == "commitment_letter")
        .collect();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].filename, "承诺书（法定代表人已签字）.pdf");
    assert_eq!(view.rounds.len(), 2, "every round is kept");
    assert_eq!(
        uploads().await,
        uploaded_first + 1,
        "only the new letter was sent again"
    );

    // Approved: the certificate number arrives, and the officer is told.
    review(&central, &server.id, ReviewAction::StartReview).await;
    review(
        &central,
        &server.id,
        ReviewAction::Approve {
            note: Some("同意复工".into()),
        },
    )
    .await;
    app.sync_now().await.unwrap();
    let notice = notices.try_recv().expect("told of the approval");
    assert_eq!(notice.state, ApplicationState::Approved);
    let cert = ws.applications().await.unwrap()[0]
        .server
        .clone()
        .unwrap()
        .certificate_no
        .expect("a certificate number");
    assert!(notice.body_zh.contains(&cert), "{}", notice.body_zh);
    let (name, pdf) = ws
        .application_receipt(&sent.record_id, Some(2))
        .await
        .unwrap();
    let text = pdf_text(&write(dir.path(), &name, &pdf));
    assert!(text.contains(&cert), "the receipt shows the certificate");

    // The first round's package can still be exported, byte for byte.
    let out = dir.path().join("导出.zip");
    ws.export_package(&sent.record_id, 1, &out).await.unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
}

/// A correction whose self-check was done again shows each answer that changed, before and
/// after, in the officer's either language.
#[tokio::test]
async fn a_correction_names_the_self_check_answers_it_changes_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = ready_to_apply(dir.path(), "app-answers").await;
    let mut notices = app.notices();
    import_people(&ws, dir.path(), 3).await;
    assemble(&ws, dir.path()).await;
    let sent = ws.send_application().await.unwrap();
    settle(&ws).await;
    app.sync_now().await.unwrap();
    let server = ws.applications().await.unwrap()[0]
        .server
        .clone()
        .expect("delivered");
    review(&central, &server.id, ReviewAction::Accept { note: None }).await;
    review(&central, &server.id, ReviewAction::StartReview).await;
    let items = vec![CorrectionItem {
        material_type: None,
        text: "请核对物资储备".into(),
    }];
    review(&central, &server.id, ReviewAction::Return { items }).await;
    app.sync_now().await.unwrap();
    let notice = notices.try_recv().expect("told of the return");
    assert!(
        notice.body_en.contains("1 item to correct"),
        "{}",
        notice.body_en
    );
    ws.start_correction(&sent.record_id).await.unwrap();

    // The self-check done again with 20 days of masks in stock instead of 14.
    ws.open_selfcheck(TEMPLATE).await.unwrap();
    let view = ws
        .answer_item(
            TEMPLATE,
            "supply-mask-days",
            Some(AnswerValue::Number(20.0)),
        )
        .await
        .unwrap();
    let view = answer_all(&ws, dir.path(), view, &profile()).await;
    assert!(view.verdict.passed, "{:?}", view.verdict.failures);
    assert!(ws.finish_selfcheck(TEMPLATE).await.unwrap().passed);
    let diff = ws.correction_diff().await.unwrap().expect("a correction");
    assert!(diff.selfcheck_changed);
    let answers: Vec<_> = diff
        .answers
        .iter()
        .map(|a| {
            (
                a.item_id.as_str(),
                [&a.before_zh, &a.before_en, &a.after_zh, &a.after_en].map(|t| t.as_deref()),
            )
        })
        .collect();
    assert_eq!(
        answers,
        [(
            "supply-mask-days",
            [
                Some("14 天"),
                Some("14 days"),
                Some("20 天"),
                Some("20 days")
            ]
        )]
    );
}

/// An application parked long enough for the service to sweep its files (kept 30 days when
/// no record takes them) is retried: the service finds none of its uploads, the files go
/// again from the copies kept here, and the application goes through, once.
#[tokio::test]
async fn a_long_parked_application_sends_its_swept_files_again_on_retry() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, central, ws) = ready_to_apply(dir.path(), "app-swept").await;
    let owner = ws.profile().credit_code;
    import_people(&ws, dir.path(), 3).await;
    assemble(&ws, dir.path()).await;
    settle(&ws).await;
    // The service has no profile for the enterprise for now, so the application is refused
    // and parks (its files are uploaded first).
    let (body, at): (String, i64) =
        sqlx::query_as("SELECT body, updated_at FROM profiles WHERE owner = ?")
            .bind(&owner)
            .fetch_one(&central.db)
            .await
            .unwrap();
    sqlx::query("DELETE FROM profiles WHERE owner = ?")
        .bind(&owner)
        .execute(&central.db)
        .await
        .unwrap();
    ws.send_application().await.unwrap();
    let parked = until_parked(&ws).await;
    assert_eq!(parked.len(), 1, "the application parked: {parked:?}");
    let uploads = || async {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE owner = ? AND sha256 IS NOT NULL")
                .bind(&owner)
                .fetch_one(&central.db)
                .await
                .unwrap();
        n
    };
    let first = uploads().await;
    assert!(first > 0);

    // Weeks pass: the service sweeps the uploads no record took; the profile is back.
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM uploads WHERE owner = ?")
        .bind(&owner)
        .fetch_all(&central.db)
        .await
        .unwrap();
    for (id,) in &ids {
        let _ = std::fs::remove_file(central.store.folder().unwrap().join(id));
    }
    sqlx::query("DELETE FROM uploads WHERE owner = ?")
        .bind(&owner)
        .execute(&central.db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO profiles (owner, body, updated_at) VALUES (?, ?, ?)")
        .bind(&owner)
        .bind(&body)
        .bind(at)
        .execute(&central.db)
        .await
        .unwrap();

    ws.retry_item(&parked[0].id).await.unwrap();
    settle(&ws).await;
    assert!(ws.parked_items().await.unwrap().is_empty());
    let views = ws.applications().await.unwrap();
    assert_eq!(views[0].delivery, Delivery::Delivered, "{views:?}");
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications WHERE owner = ?")
        .bind(&owner)
        .fetch_one(&central.db)
        .await
        .unwrap();
    assert_eq!(count, 1, "sent once");
    assert!(uploads().await > 0, "the files went again");
    // Every material the service holds for it is an upload it has, whole.
    let server = views[0].server.clone().unwrap();
    assert!(!server.materials.is_empty());
    for m in &server.materials {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE id = ? AND sha256 = ?")
                .bind(&m.upload_id)
                .bind(&m.sha256)
                .fetch_one(&central.db)
                .await
                .unwrap();
        assert_eq!(n, 1, "{m:?}");
    }
}

#[tokio::test]
async fn a_refused_file_is_swapped_after_the_application_is_taken_back() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = ready_to_apply(dir.path(), "app-reopen").await;
    let owner = ws.profile().credit_code;
    import_people(&ws, dir.path(), 3).await;
    assemble(&ws, dir.path()).await;
    settle(&ws).await;
    // The authority tightens a rule after the officer checked the files: the site plan
    // (a 4 KiB sample) may now be 1 KiB at most, so the service refuses its upload.
    let rule = tighten_rule(&central.db, "site_zoning", 1024).await;
    let sent = ws.send_application().await.unwrap();

    // The refused upload parks; the application waits on it and shows as parked.
    let parked = until_parked(&ws).await;
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert!(parked[0].id.starts_with("upload:"), "{parked:?}");
    let views = ws.applications().await.unwrap();
    assert_eq!(views[0].delivery, Delivery::Parked, "{views:?}");

    // A request the worker may be sending cannot be taken back: only this one, waiting on
    // a refused file.
    let other = ws.reopen_application("rec_nothing").await.unwrap_err();
    assert_eq!(other.code(), "NOT_FOUND", "{other:?}");

    let draft = ws.reopen_application(&sent.record_id).await.unwrap();
    assert_eq!(draft.record_id, None, "a first submission is one again");
    assert_eq!(draft.round, 1);
    assert_eq!(draft.contact_name, "王芳");
    let held: usize = draft.slots.iter().map(|s| s.files.len()).sum();
    assert!(held >= 8, "every file it carried is back: {held}");
    assert!(
        ws.parked_items().await.unwrap().is_empty(),
        "the refused upload went with it"
    );
    assert!(
        ws.applications().await.unwrap().is_empty(),
        "the unsent record is gone"
    );
    assert_eq!(ws.summary().queued, 0, "nothing of it is left queued");
    // Once the new rule is synced, the check names the file it refuses, and stops the send.
    app.sync_now().await.unwrap();
    let report = ws.check_application().await.unwrap();
    let refused: Vec<_> = report
        .errors
        .iter()
        .filter(|f| f.code == "FILE_NO_LONGER_ALLOWED")
        .collect();
    assert_eq!(refused.len(), 1, "{report:?}");
    assert_eq!(refused[0].target.as_deref(), Some("site_zoning"));
    assert!(ws.send_application().await.is_err());

    // The officer removes it and adds a smaller plan; the application goes, once, with it.
    let old = draft
        .slots
        .iter()
        .find(|s| s.rule.material_type == "site_zoning")
        .unwrap()
        .files[0]
        .id
        .clone();
    ws.remove_application_file(&old).await.unwrap();
    let small = samples::for_formats(&rule.formats, 900, 7).unwrap();
    let path = write(dir.path(), &format!("分区图（压缩）.{}", small.1), &small.0);
    let added = ws
        .add_application_file("site_zoning", &path, FileOrigin::Picked)
        .await
        .unwrap();
    assert!(ws.check_application().await.unwrap().errors.is_empty());
    let again = ws.send_application().await.unwrap();
    assert_eq!(again.round, 1);
    settle(&ws).await;
    let views = ws.applications().await.unwrap();
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(views[0].delivery, Delivery::Delivered, "{views:?}");
    let server = views[0].server.clone().unwrap();
    let plan: Vec<_> = server
        .materials
        .iter()
        .filter(|m| m.material_type == "site_zoning")
        .collect();
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].sha256, added.sha256);
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications WHERE owner = ?")
        .bind(&owner)
        .fetch_one(&central.db)
        .await
        .unwrap();
    assert_eq!(count, 1, "sent once");
    // Once sent, it cannot be taken back.
    let late = ws
        .reopen_application(&views[0].record_id)
        .await
        .unwrap_err();
    assert_eq!(late.code(), "NOT_REOPENABLE", "{late:?}");
}

#[tokio::test]
async fn a_correction_whose_new_file_is_refused_is_taken_back_as_a_correction() {
    let dir = tempfile::tempdir().unwrap();
    let (app, central, ws) = ready_to_apply(dir.path(), "app-reopen-fix").await;
    import_people(&ws, dir.path(), 3).await;
    assemble(&ws, dir.path()).await;
    let first = ws.send_application().await.unwrap();
    settle(&ws).await;
    app.sync_now().await.unwrap();
    let server_id = ws.applications().await.unwrap()[0]
        .server
        .clone()
        .unwrap()
        .id;
    review(&central, &server_id, ReviewAction::Accept { note: None }).await;
    review(&central, &server_id, ReviewAction::StartReview).await;
    review(
        &central,
        &server_id,
        ReviewAction::Return {
            items: vec![CorrectionItem {
                material_type: Some("business_license".into()),
                text: "营业执照模糊".into(),
            }],
        },
    )
    .await;
    app.sync_now().await.unwrap();

    // The officer answers with a new licence scan, which the service, meanwhile stricter,
    // refuses: the resubmission waits on it.
    let draft = ws.start_correction(&first.record_id).await.unwrap();
    let licence = &draft
        .slots
        .iter()
        .find(|s| s.rule.material_type == "business_license")
        .unwrap()
        .files[0];
    ws.remove_application_file(&licence.id).await.unwrap();
    let rule = &draft
        .slots
        .iter()
        .find(|s| s.rule.material_type == "business_license")
        .unwrap()
        .rule;
    let (bytes, ext) = samples::for_formats(&rule.formats, 6000, 77).unwrap();
    let clear = write(dir.path(), &format!("营业执照（清晰）.{ext}"), &bytes);
    let clear = ws
        .add_application_file("business_license", &clear, FileOrigin::Picked)
        .await
        .unwrap();
    tighten_rule(&central.db, "business_license", 5000).await;
    let second = ws.send_application().await.unwrap();
    assert_eq!(second.round, 2);
    let parked = until_parked(&ws).await;
    assert!(parked[0].id.starts_with("upload:"), "{parked:?}");

    // Taken back, it is the correction again: round 2, the notice, the new scan; the first
    // round and the service's record stay.
    let draft = ws.reopen_application(&first.record_id).await.unwrap();
    assert_eq!(draft.record_id.as_deref(), Some(first.record_id.as_str()));
    assert_eq!(draft.round, 2);
    assert!(draft.correction.is_some(), "{draft:?}");
    let held: Vec<_> = draft
        .slots
        .iter()
        .flat_map(|s| s.files.iter().map(|f| f.sha256.clone()))
        .collect();
    assert!(held.contains(&clear.sha256));
    assert!(ws.parked_items().await.unwrap().is_empty());
    let views = ws.applications().await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].rounds.len(), 1, "the unsent round is forgotten");
    assert_eq!(views[0].delivery, Delivery::Delivered);
    assert!(views[0].correcting);
    assert_eq!(
        views[0].server.as_ref().unwrap().state,
        ApplicationState::Returned
    );
}
