//! The resume-work application in the real app (WebKitGTK through tauri-driver, under Xvfb),
//! the whole way: the roster imported, the forms generated and attached back as signed, every
//! material picked (a program renamed .pdf refused in its row), the check, the submission; a
//! file the service then refuses, the application taken back and the file replaced; a
//! reviewer returns it with the CLI; the officer corrects only the letter, sees the change and
//! resubmits; the reviewer approves it with the CLI, and the certificate number appears. The
//! app is closed and started again between the stages, as an officer's day would have it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use yiqifu_files::samples;
use yiqifu_tests::app_steps::{
    attr_is_within, fill_profile, open_wizard, scroll_click, sign_in, walk,
};
use yiqifu_tests::pdf_text;
use yiqifu_tests::people::{csv_lines, id_number, CSV_HEADER};
use yiqifu_tests::webdriver::{
    click, profile_dir, screenshot, session_within, texts, wait_any_text, wait_css, wait_text,
    Driver, Result, Xvfb,
};

/// The materials picked as files, by type (the roster and the two forms come another way).
const PICKED: [&str; 5] = [
    "prevention_plan",
    "emergency_plan",
    "supplies_inventory",
    "site_zoning",
    "business_license",
];

struct Journey {
    data: tempfile::TempDir,
    files: tempfile::TempDir,
    saved: PathBuf,
    picks: PathBuf,
    /// What a dialog picks when nothing is queued: the self-check's evidence.
    evidence: PathBuf,
}

impl Journey {
    fn new() -> Self {
        let data = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let saved = files.path().join("saved");
        std::fs::create_dir_all(&saved).unwrap();
        let picks = files.path().join("picks.txt");
        std::fs::write(&picks, "").unwrap();
        let evidence = files.path().join("一企一案.pdf");
        std::fs::write(&evidence, samples::pdf()).unwrap();
        Self {
            data,
            files,
            saved,
            picks,
            evidence,
        }
    }

    /// The app's log so far: every file in its log folder, in name order (they only grow).
    fn app_log(&self) -> String {
        let mut files: Vec<_> = std::fs::read_dir(self.data.path().join("logs"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap_or_default())
            .collect()
    }

    /// What the next file dialog answers.
    fn pick(&self, path: &Path) {
        let mut queue = std::fs::read_to_string(&self.picks).unwrap();
        queue.push_str(&format!("{}\n", path.display()));
        std::fs::write(&self.picks, queue).unwrap();
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.files.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn driver(&self, xvfb: &Xvfb) -> Driver {
        Driver::start(
            &xvfb.display,
            &[
                ("YIQIFU_DATA_DIR", self.data.path()),
                ("YIQIFU_E2E_PICKS", &self.picks),
                ("YIQIFU_E2E_PICK", &self.evidence),
                ("YIQIFU_E2E_SAVE_DIR", &self.saved),
            ],
        )
    }

    /// The reviewer's CLI on the built-in demo service's database (the app is running).
    fn review(&self, args: &[&str]) -> String {
        let cli = profile_dir().join(format!("yiqifu-central{}", std::env::consts::EXE_SUFFIX));
        assert!(
            cli.exists(),
            "{} is missing: `cargo build --workspace` first",
            cli.display()
        );
        let db = self.data.path().join("demo-central").join("central.sqlite");
        let out = Command::new(&cli)
            .arg("--db")
            .arg(&db)
            .args(["--as", "张科长", "review"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "review {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The authority tightens a material's size limit on the running demo service, as a
    /// publisher would: the next upload of a bigger file is refused.
    async fn tighten_rule(&self, material: &str, max_bytes: u64) {
        let db = self.data.path().join("demo-central").join("central.sqlite");
        let pool = yiqifu_central::db::open(&db).await.unwrap();
        yiqifu_tests::tighten_rule(&pool, material, max_bytes).await;
        pool.close().await;
    }

    /// A file the app saved (a form, a receipt) whose name contains `part`; waits for it.
    async fn saved_file(&self, part: &str) -> Result<PathBuf> {
        let start = Instant::now();
        loop {
            let found = std::fs::read_dir(&self.saved)?
                .flatten()
                .map(|e| e.path())
                .find(|p| {
                    p.to_string_lossy().contains(part) && p.extension().is_some_and(|x| x == "pdf")
                });
            if let Some(p) = found {
                return Ok(p);
            }
            if start.elapsed() > Duration::from_secs(60) {
                return Err(format!("nothing named *{part}* was saved").into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Syncs by hand until the application shows `state` (the service is in the same app).
async fn sync_until_state(c: &Client, state: &str) -> Result {
    let start = Instant::now();
    loop {
        click(c, "[data-testid=sync-now]").await?;
        if attr_is_within(
            c,
            "[data-testid=app-state]",
            "data-state",
            &[state],
            Duration::from_secs(5),
        )
        .await
        .is_ok()
        {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(90) {
            return Err(format!("the application never became {state}").into());
        }
    }
}

async fn text_of(c: &Client, css: &str) -> Result<String> {
    wait_css(c, css).await?;
    Ok(texts(c, css).await?.join("\n"))
}

/// Picks `path` for material `kind` and waits until its row shows it.
async fn pick_for(c: &Client, j: &Journey, kind: &str, path: &Path) -> Result {
    let before = texts(c, &format!("[data-testid=file-{kind}]")).await?;
    j.pick(path);
    scroll_click(c, &format!("[data-testid=pick-{kind}]")).await?;
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let start = Instant::now();
    loop {
        let now = texts(c, &format!("[data-testid=file-{kind}]")).await?;
        if now != before && now.iter().any(|t| t.contains(&name)) {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("{kind} never showed {name} (shows {now:?})").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_from_the_roster_to_the_whitelist() {
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let j = Journey::new();
    let today = yiqifu_core::clock::today_in_china();

    // 1. The profile, a passing self-check and the roster, imported with one bad row.
    let mut rows = csv_lines(12, &today);
    let mut bad = id_number(99);
    bad.replace_range(17..18, if bad.ends_with('1') { "2" } else { "1" });
    rows.push(format!("钱七,{bad},13900000099,仓储部,,阴性,{today}"));
    let roster = j.file(
        "返岗人员名单.csv",
        format!("{CSV_HEADER}\n{}\n", rows.join("\n")).as_bytes(),
    );
    let driver = j.driver(&xvfb);
    session_within(
        &driver,
        "application-prepare",
        Duration::from_secs(300),
        async |c| {
            sign_in(c).await?;
            fill_profile(c, None).await?;
            open_wizard(c).await?;
            walk(c, &HashMap::new(), None, None).await?;
            click(c, "[data-testid=finish-selfcheck]").await?;
            wait_text(c, "[data-testid=run-verdict]", "自查通过").await?;

            click(c, "[data-testid=menu-roster]").await?;
            wait_css(c, "[data-testid=roster-empty]").await?;
            screenshot(c, "roster-empty-zh").await?;
            j.pick(&roster);
            click(c, "[data-testid=roster-import]").await?;
            wait_text(c, "[data-testid=roster-imported]", "12").await?;
            let reasons = text_of(c, "[data-testid=roster-rejected]").await?;
            if !reasons.contains("第 14 行") || !reasons.contains("校验位") {
                return Err(format!("the bad row is not explained: {reasons}").into());
            }
            wait_text(c, "[data-testid=roster-count]", "12").await?;
            screenshot(c, "roster-imported-zh").await?;
            Ok(())
        },
    )
    .await;
    drop(driver);

    // 2. Assembled and sent, after the app was started again.
    let exe = j.file("承诺书.pdf", &samples::exe());
    let logged = j.app_log().len();
    let driver = j.driver(&xvfb);
    session_within(
        &driver,
        "application-send",
        Duration::from_secs(240),
        async |c| {
            wait_css(c, "[data-testid=status-online]").await?;
            // The restart opens on the main page: its frame (drawn without antd) is the first
            // page, then the page itself takes its place. The built-in service it connects to
            // starts only after that, not beside it (its password hash and seed slowed the page).
            wait_css(c, "[data-testid=menu-application]").await?;
            if !c
                .find_all(Locator::Css("[data-testid=main-frame]"))
                .await?
                .is_empty()
            {
                return Err("the main page's frame is still there beside the page".into());
            }
            let order = || {
                let log = j.app_log();
                let now = log.get(logged..).unwrap_or_default();
                (
                    now.find("first page on screen page=\"main_frame\""),
                    now.find("main page complete"),
                    now.find("demo service started"),
                )
            };
            let waited = std::time::Instant::now();
            let (frame, page, demo) = loop {
                let (frame, page, demo) = order();
                if (frame.is_some() && page.is_some() && demo.is_some())
                    || waited.elapsed() > Duration::from_secs(10)
                {
                    break (frame, page, demo);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            match (frame, page, demo) {
                (Some(f), Some(p), Some(d)) if f < p && p < d => {}
                _ => {
                    return Err(format!(
                        "the restart's log has the frame at {frame:?}, the page at {page:?} \
                         and the demo service's start at {demo:?} (in that order, all three)"
                    )
                    .into())
                }
            }
            click(c, "[data-testid=menu-application]").await?;
            wait_css(c, "[data-testid=prepare]").await?;
            screenshot(c, "application-prepare-empty-zh").await?;
            scroll_click(c, "[data-testid=attach-roster]").await?;
            wait_css(c, "[data-testid=file-staff_list]").await?;

            // A program renamed .pdf: refused in its row, with why.
            j.pick(&exe);
            scroll_click(c, "[data-testid=pick-commitment_letter]").await?;
            let refused = text_of(c, "[data-testid=file-error-commitment_letter]").await?;
            if !refused.contains("Windows 程序") {
                return Err(
                    format!("the renamed program is not refused by content: {refused}").into(),
                );
            }
            screenshot(c, "application-refused-zh").await?;

            // Each form generated, then attached back as the signed scan.
            for (kind, part) in [
                ("application_form", "企业申请信息表"),
                ("commitment_letter", "疫情防控承诺书"),
            ] {
                scroll_click(c, &format!("[data-testid=generate-{kind}]")).await?;
                let pdf = j.saved_file(part).await?;
                let text = pdf_text(&pdf);
                let company = yiqifu_central::seed::DEMO_ENTERPRISES[0].name;
                for want in [company, "91310115MA1K4C7P2E", "王伟"] {
                    if !text.contains(want) {
                        return Err(format!("{part} lacks {want}").into());
                    }
                }
                let signed = j.file(&format!("{part}（已签章）.pdf"), &std::fs::read(&pdf)?);
                pick_for(c, &j, kind, &signed).await?;
            }
            for (i, kind) in PICKED.iter().enumerate() {
                let (bytes, ext) = samples::for_formats(&["pdf"], 5000, 200 + i as u64).unwrap();
                let path = j.file(&format!("{kind}.{ext}"), &bytes);
                pick_for(c, &j, kind, &path).await?;
            }
            scroll_click(c, "[data-testid=check-application]").await?;
            wait_css(c, "[data-testid=check-ok]").await?;
            screenshot(c, "application-checked-zh").await?;

            // The service tightens the site plan's limit after the check: its upload is
            // refused, and the application waits on it, shown as needing attention.
            j.tighten_rule("site_zoning", 1024).await;
            scroll_click(c, "[data-testid=submit-application]").await?;
            click(c, "[data-testid=submit-confirm]").await?;
            wait_css(c, "[data-testid=submit-done]").await?;
            click(c, "[data-testid=to-track]").await?;
            attr_is_within(
                c,
                "[data-testid=app-delivery]",
                "data-delivery",
                &["parked"],
                Duration::from_secs(90),
            )
            .await?;
            screenshot(c, "track-file-refused-zh").await?;
            // Taken back to Prepare with its files; once the new rule is synced the check
            // names the plan; a smaller one replaces it and the application goes.
            scroll_click(c, "[data-testid=reopen-application]").await?;
            click(c, "[data-testid=reopen-confirm]").await?;
            wait_css(c, "[data-testid=prepare]").await?;
            wait_css(c, "[data-testid=file-site_zoning]").await?;
            let flagged = "[data-testid=check-error][data-code=FILE_NO_LONGER_ALLOWED]";
            let start = Instant::now();
            loop {
                click(c, "[data-testid=sync-now]").await?;
                scroll_click(c, "[data-testid=check-application]").await?;
                tokio::time::sleep(Duration::from_millis(500)).await;
                if !c.find_all(Locator::Css(flagged)).await?.is_empty() {
                    break;
                }
                if start.elapsed() > Duration::from_secs(60) {
                    return Err("the check never named the file the new rule refuses".into());
                }
            }
            screenshot(c, "application-reopened-zh").await?;
            scroll_click(c, "[data-testid=remove-file-site_zoning]").await?;
            let plan = j.file("site_zoning-small.pdf", &samples::pdf_sized(900, 41));
            pick_for(c, &j, "site_zoning", &plan).await?;
            scroll_click(c, "[data-testid=check-application]").await?;
            wait_css(c, "[data-testid=check-ok]").await?;
            scroll_click(c, "[data-testid=submit-application]").await?;
            click(c, "[data-testid=submit-confirm]").await?;
            wait_css(c, "[data-testid=submit-done]").await?;
            screenshot(c, "application-sent-zh").await?;
            click(c, "[data-testid=to-track]").await?;
            // The worker sends it by itself: uploads, then the request.
            attr_is_within(
                c,
                "[data-testid=app-state]",
                "data-state",
                &["submitted"],
                Duration::from_secs(90),
            )
            .await?;
            screenshot(c, "track-submitted-zh").await?;
            Ok(())
        },
    )
    .await;

    // 3. The reviewer returns it, with the CLI, while the app runs.
    let listed = j.review(&["list", "--state", "submitted"]);
    let id = listed
        .lines()
        .next()
        .and_then(|l| l.split('\t').next())
        .expect("the submitted application is listed")
        .to_string();
    j.review(&["accept", &id]);
    j.review(&["start", &id]);
    j.review(&[
        "return",
        &id,
        "--item",
        "commitment_letter: 承诺书缺少法定代表人签字",
        "--item",
        "请核对返岗人数",
    ]);
    let letter = j.file(
        "承诺书（法定代表人已签字）.pdf",
        &samples::pdf_sized(20_000, 31),
    );
    session_within(
        &driver,
        "application-correct",
        Duration::from_secs(240),
        async |c| {
            click(c, "[data-testid=menu-application]").await?;
            click(c, "[data-testid=tab-track]").await?;
            sync_until_state(c, "returned").await?;
            let notice = text_of(c, "[data-testid=track-correction]").await?;
            if !notice.contains("承诺书缺少法定代表人签字") || !notice.contains("请核对返岗人数")
            {
                return Err(format!("the notice lacks an item: {notice}").into());
            }
            screenshot(c, "track-returned-zh").await?;
            scroll_click(c, "[data-testid=start-correction]").await?;
            wait_css(c, "[data-testid=correction-banner]").await?;
            pick_for(c, &j, "commitment_letter", &letter).await?;
            // The picked file is checked before the diff shows it: wait for it, not a render.
            wait_any_text(
                c,
                "[data-testid=diff-commitment_letter]",
                "承诺书（法定代表人已签字）.pdf",
            )
            .await
            .map_err(|e| format!("the diff does not show the new letter: {e}"))?;
            screenshot(c, "correction-zh").await?;
            scroll_click(c, "[data-testid=submit-application]").await?;
            click(c, "[data-testid=submit-confirm]").await?;
            wait_css(c, "[data-testid=submit-done]").await?;
            click(c, "[data-testid=to-track]").await?;
            sync_until_state(c, "resubmitted").await?;
            Ok(())
        },
    )
    .await;
    drop(driver);

    // 4. Approved with the CLI; after a restart the certificate number is there.
    j.review(&["start", &id]);
    let approved = j.review(&["approve", &id]);
    let cert = approved.trim().rsplit('\t').next().unwrap().to_string();
    assert!(cert.starts_with("BMD"), "{approved}");
    let driver = j.driver(&xvfb);
    session_within(&driver, "application-approved", Duration::from_secs(240), async |c| {
        wait_css(c, "[data-testid=status-online]").await?;
        click(c, "[data-testid=menu-application]").await?;
        click(c, "[data-testid=tab-track]").await?;
        sync_until_state(c, "approved").await?;
        wait_text(c, "[data-testid=certificate-no]", &cert).await?;
        let steps = texts(c, "[data-testid=timeline-step]").await?;
        if steps.len() < 7 {
            return Err(format!("the timeline lacks steps: {steps:?}").into());
        }
        screenshot(c, "track-approved-zh").await?;
        scroll_click(c, "[data-testid=round-2]").await?;
        scroll_click(c, "[data-testid=save-receipt-2]").await?;
        let receipt = pdf_text(&j.saved_file("复工申请回执").await?);
        if !receipt.contains(&cert) || !receipt.contains("第 2 次提交") {
            return Err(format!("the receipt lacks the certificate or the round:\n{receipt}").into());
        }
        click(c, "[data-testid=language-switch]").await?;
        wait_css(c, "[data-testid=certificate-no]").await?;
        screenshot(c, "track-approved-en").await?;
        click(c, "[data-testid=tab-prepare]").await?;
        wait_css(c, "[data-testid=prepare]").await?;
        screenshot(c, "application-prepare-en").await?;
        click(c, "[data-testid=menu-roster]").await?;
        wait_css(c, "[data-testid=roster-table]").await?;
        screenshot(c, "roster-en").await?;
        // The window's minimum width: nothing overflows the page.
        c.set_window_size(960, 640).await?;
        click(c, "[data-testid=menu-application]").await?;
        click(c, "[data-testid=tab-track]").await?;
        wait_css(c, "[data-testid=certificate-no]").await?;
        let overflow: serde_json::Value = c
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                vec![],
            )
            .await?;
        if overflow.as_i64().unwrap_or(0) > 0 {
            return Err(format!("the page is {overflow} px wider than the window at 960 px").into());
        }
        screenshot(c, "track-approved-960-en").await?;
        Ok(())
    })
    .await;
}
