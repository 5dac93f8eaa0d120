//! An appeal in the real app (WebKitGTK through tauri-driver, under Xvfb), start to finish:
//! composed with a contact, a program renamed .pdf refused with its code, a PDF attached,
//! saved as a draft; the app started again and the draft sent; the authority replies with
//! the CLI; the reply arrives, counted on the menu and in the window title; the inbox entry
//! opens the appeal and stays read; the reply is rated, and the service holds the rating.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use yiqifu_files::samples;
use yiqifu_tests::webdriver::{
    click, profile_dir, screenshot, session_within, type_into, wait_css, Driver, Result, Xvfb,
};

#[path = "i12_steps.rs"]
mod steps;
use steps::{attr, choose, input, no_overflow, sign_in_as, sync_until};

const TITLE: &str = "冷链车辆跨省通行证办理";

struct Journey {
    data: tempfile::TempDir,
    files: tempfile::TempDir,
    picks: PathBuf,
}

impl Journey {
    fn new() -> Self {
        let data = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let picks = files.path().join("picks.txt");
        std::fs::write(&picks, "").unwrap();
        Self { data, files, picks }
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
            ],
        )
    }

    fn db(&self) -> PathBuf {
        self.data.path().join("demo-central").join("central.sqlite")
    }

    /// The authority's CLI on the built-in demo service's database (the app is running).
    fn cli(&self, args: &[&str]) -> String {
        let cli = profile_dir().join(format!("yiqifu-central{}", std::env::consts::EXE_SUFFIX));
        assert!(
            cli.exists(),
            "{} is missing: `cargo build --workspace` first",
            cli.display()
        );
        let out = Command::new(&cli)
            .arg("--db")
            .arg(self.db())
            .args(["--as", "张科长"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The appeal's row as the service keeps it.
    async fn stored_appeal(&self, id: &str) -> String {
        let url = format!("sqlite://{}?mode=ro", self.db().display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let body: String = sqlx::query_scalar("SELECT body FROM appeals WHERE id = ?")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        body
    }
}

async fn title(c: &fantoccini::Client) -> Result<String> {
    Ok(c.execute("return document.title", vec![])
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_appeal_from_draft_to_rating() {
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let j = Journey::new();
    let exe = j.file("通行证申请.pdf", &samples::exe());
    let pdf = j.file("车辆清单.pdf", &samples::pdf());

    // 1. Composed and kept as a draft.
    let driver = j.driver(&xvfb);
    session_within(
        &driver,
        "appeal-compose",
        Duration::from_secs(180),
        async |c| {
            sign_in_as(c, 0).await?;
            click(c, "[data-testid=menu-appeals]").await?;
            wait_css(c, "[data-testid=appeals-empty]").await?;
            screenshot(c, "appeals-empty-zh").await?;
            click(c, "[data-testid=new-appeal]").await?;
            wait_css(c, "[data-testid=appeal-composer]").await?;
            choose(c, "appeal-category", "物流运输").await?;
            type_into(c, &input("appeal-title"), TITLE).await?;
            type_into(
                c,
                &input("appeal-description"),
                "本企业 3 辆冷链车需往返嘉兴，请协助办理通行证。",
            )
            .await?;
            type_into(c, &input("appeal-contact-name"), "王芳").await?;
            type_into(c, &input("appeal-contact-phone"), "13800138000").await?;
            j.pick(&exe);
            click(c, "[data-testid=appeal-attach]").await?;
            let code = attr(c, "[data-testid=appeal-attachment-error]", "data-code").await?;
            if code != "FILE_WRONG_TYPE" {
                return Err(format!("the renamed program was refused as {code}").into());
            }
            j.pick(&pdf);
            click(c, "[data-testid=appeal-attach]").await?;
            wait_css(c, "[data-testid=appeal-attachment]").await?;
            wait_css(c, "[data-testid=appeal-draft-saved]").await?;
            screenshot(c, "appeal-composer-zh").await?;
            click(c, "[data-testid=appeal-save-draft]").await?;
            wait_css(c, "[data-testid=appeal-draft]").await?;
            Ok(())
        },
    )
    .await;
    drop(driver);

    // 2. The app started again: the draft is there, and is sent.
    let driver = j.driver(&xvfb);
    session_within(
        &driver,
        "appeal-send",
        Duration::from_secs(180),
        async |c| {
            wait_css(c, "[data-testid=status-online]").await?;
            click(c, "[data-testid=menu-appeals]").await?;
            click(c, "[data-testid=tab-appeal-drafts]").await?;
            click(c, "[data-testid=appeal-draft-open]").await?;
            wait_css(c, "[data-testid=appeal-attachment]").await?;
            let typed = attr(c, &input("appeal-title"), "value").await?;
            if typed != TITLE {
                return Err(format!("the draft came back as {typed:?}").into());
            }
            click(c, "[data-testid=appeal-send]").await?;
            sync_until(
                c,
                "[data-testid=appeal-row]",
                "data-stage",
                "submitted",
                Duration::from_secs(60),
            )
            .await?;
            sync_until(
                c,
                "[data-testid=appeal-row]",
                "data-delivery",
                "delivered",
                Duration::from_secs(60),
            )
            .await?;
            screenshot(c, "appeals-list-zh").await?;
            Ok(())
        },
    )
    .await;

    // 3. The authority replies, with the CLI, while the app runs.
    let listed = j.cli(&["appeal", "list"]);
    let id = listed
        .lines()
        .find(|l| l.ends_with(TITLE))
        .and_then(|l| l.split('\t').next())
        .unwrap_or_else(|| panic!("the appeal is not on the service: {listed}"))
        .to_string();
    j.cli(&[
        "appeal",
        "reply",
        &id,
        "--message",
        "已协调嘉兴市交通部门，通行证将于明日办结。",
    ]);

    session_within(
        &driver,
        "appeal-reply",
        Duration::from_secs(180),
        async |c| {
            click(c, "[data-testid=menu-appeals]").await?;
            sync_until(
                c,
                "[data-testid=menu-badge-inbox]",
                "data-count",
                "1",
                Duration::from_secs(60),
            )
            .await?;
            let t = title(c).await?;
            if !t.starts_with("(1) ") {
                return Err(format!("the window title does not count the reply: {t:?}").into());
            }
            sync_until(
                c,
                "[data-testid=appeal-row]",
                "data-stage",
                "replied",
                Duration::from_secs(30),
            )
            .await?;
            click(c, "[data-testid=appeal-row]").await?;
            wait_css(c, "[data-testid=thread-message][data-from=authority]").await?;
            wait_css(c, "[data-testid=appeal-clock-contact][data-met=true]").await?;
            screenshot(c, "appeal-detail-replied-zh").await?;

            // The inbox entry opens the appeal, and stays read.
            click(c, "[data-testid=menu-inbox]").await?;
            click(
                c,
                "[data-testid=inbox-entry][data-kind=appeal_reply] [data-testid=inbox-open]",
            )
            .await?;
            let key = attr(c, "[data-testid=appeal-detail]", "data-key").await?;
            if key.is_empty() {
                return Err("the entry did not open its appeal".into());
            }
            sync_until(
                c,
                "[data-testid=menu-badge-inbox]",
                "data-count",
                "0",
                Duration::from_secs(30),
            )
            .await?;
            click(c, "[data-testid=sync-now]").await?;
            tokio::time::sleep(Duration::from_secs(2)).await;
            let count = attr(c, "[data-testid=menu-badge-inbox]", "data-count").await?;
            if count != "0" {
                return Err(format!("the entry turned unread again after a sync ({count})").into());
            }

            // Rated 5 with a comment; the rating reaches the service.
            click(
                c,
                "[data-testid=appeal-rate] li:nth-child(5) div[role=radio]",
            )
            .await?;
            type_into(c, &input("appeal-rating-comment"), "答复及时，问题已解决。").await?;
            click(c, "[data-testid=appeal-rating-submit]").await?;
            sync_until(
                c,
                "[data-testid=appeal-rating]",
                "data-sent",
                "true",
                Duration::from_secs(60),
            )
            .await?;
            screenshot(c, "appeal-detail-rated-zh").await?;

            click(c, "[data-testid=language-switch]").await?;
            wait_css(c, "[data-testid=appeal-detail]").await?;
            screenshot(c, "appeal-detail-rated-en").await?;
            c.set_window_size(960, 640).await?;
            no_overflow(c, "the appeal at 960 px").await?;
            screenshot(c, "appeal-detail-960-en").await?;
            Ok(())
        },
    )
    .await;
    drop(driver);
    let row = j.stored_appeal(&id).await;
    assert!(
        row.contains("\"score\":5"),
        "the service holds no rating: {row}"
    );
}

/// Signs in as the first demo enterprise on the service at `url`.
async fn sign_in_at(c: &fantoccini::Client, url: &str) -> Result {
    wait_css(c, "[data-testid=setup-page]").await?;
    click(c, "[data-testid=server-url]").await?;
    type_into(c, &input("server-url-input"), url).await?;
    click(c, "[data-testid=connect]").await?;
    wait_css(c, "[data-testid=sign-in-page]").await?;
    // A service chosen by address lists no demo accounts: typed, as an officer would.
    let demo = &yiqifu_central::seed::DEMO_ENTERPRISES[0];
    type_into(c, &input("credit-code"), &demo.credit_code()).await?;
    type_into(c, &input("password"), yiqifu_central::seed::DEMO_PASSWORD).await?;
    click(c, "[data-testid=sign-in]").await?;
    wait_css(c, "[data-testid=status-online]").await?;
    Ok(())
}

async fn central(addr: std::net::SocketAddr, db: &Path) -> yiqifu_central::Running {
    yiqifu_central::start(yiqifu_central::Config {
        addr,
        database: yiqifu_central::Database::Sqlite(db.to_path_buf()),
        uploads: None,
        demo: true,
        scale: 0,
        durability: Default::default(),
        body_idle: yiqifu_central::BODY_IDLE,
        header_read: yiqifu_central::HEADER_READ,
    })
    .await
    .expect("the service starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_appeal_sent_offline_goes_when_the_service_is_back() {
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let j = Journey::new();
    let addr = yiqifu_tests::dead_address();
    let db = j.files.path().join("central.sqlite");
    let service = central(addr, &db).await;
    let url = service.url();

    let driver = j.driver(&xvfb);
    session_within(
        &driver,
        "appeal-draft-online",
        Duration::from_secs(120),
        async |c| {
            sign_in_at(c, &url).await?;
            click(c, "[data-testid=menu-appeals]").await?;
            click(c, "[data-testid=new-appeal]").await?;
            choose(c, "appeal-category", "融资信贷").await?;
            type_into(c, &input("appeal-title"), "流动资金贷款展期").await?;
            type_into(
                c,
                &input("appeal-description"),
                "受停工影响，申请 500 万元贷款展期 6 个月。",
            )
            .await?;
            type_into(c, &input("appeal-contact-name"), "王芳").await?;
            type_into(c, &input("appeal-contact-phone"), "13800138000").await?;
            wait_css(c, "[data-testid=appeal-draft-saved]").await?;
            click(c, "[data-testid=appeal-save-draft]").await?;
            wait_css(c, "[data-testid=appeal-draft]").await?;
            Ok(())
        },
    )
    .await;

    // The service goes away: the draft is sent anyway, and waits.
    tokio::time::timeout(Duration::from_secs(20), service.stop())
        .await
        .expect("the service stops");
    session_within(
        &driver,
        "appeal-send-offline",
        Duration::from_secs(120),
        async |c| {
            wait_css(c, "[data-testid=status-offline]").await?;
            click(c, "[data-testid=tab-appeal-drafts]").await?;
            click(c, "[data-testid=appeal-draft-open]").await?;
            click(c, "[data-testid=appeal-send]").await?;
            wait_css(
                c,
                "[data-testid=appeal-row][data-stage=unsent][data-delivery=queued]",
            )
            .await?;
            screenshot(c, "appeals-offline-queued-zh").await?;
            Ok(())
        },
    )
    .await;

    // Back on the same address and database: it goes by itself.
    let _service = central(addr, &db).await;
    session_within(
        &driver,
        "appeal-sent-online",
        Duration::from_secs(120),
        async |c| {
            sync_until(
                c,
                "[data-testid=appeal-row]",
                "data-stage",
                "submitted",
                Duration::from_secs(90),
            )
            .await?;
            sync_until(
                c,
                "[data-testid=appeal-row]",
                "data-delivery",
                "delivered",
                Duration::from_secs(30),
            )
            .await?;
            screenshot(c, "appeals-delivered-zh").await?;
            Ok(())
        },
    )
    .await;
}
