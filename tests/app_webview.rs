//! The real app binary in a real webview (WebKitGTK through tauri-driver, under Xvfb):
//! what an officer does on first start, and what they see when the service is gone.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::routing::get;
use fantoccini::{Client, Locator};
use yiqifu_core::secrets::Keychain;
use yiqifu_core::App;
use yiqifu_protocol::{ListingCategory, ListingKind, NewListing};
use yiqifu_tests::webdriver::{
    app_command, app_ends_by_itself, click, screenshot, screenshot_dir, session, terminate_app,
    texts, type_into, value_of, wait_any_text, wait_css, wait_gone, wait_text, wait_xpath,
    window_titled, Driver, Result, Xvfb,
};
use yiqifu_tests::{dead_address, demo_login, serve};

#[path = "i12_steps.rs"]
mod steps;

/// One app at a time: two WebKit processes on two cores make both slow and flaky.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The environment of each WebKit web process of the app whose data folder is `data`, one
/// string of its `NAME=value` lines (Linux's /proc).
fn web_processes_of(data: &Path) -> Vec<String> {
    let mine = format!("YIQIFU_DATA_DIR={}", data.display());
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    procs
        .flatten()
        .filter(|p| {
            std::fs::read_to_string(p.path().join("comm"))
                .is_ok_and(|c| c.trim_end().starts_with("WebKitWebProces"))
        })
        .filter_map(|p| std::fs::read(p.path().join("environ")).ok())
        .map(|env| String::from_utf8_lossy(&env).replace('\0', "\n"))
        .filter(|env| env.lines().any(|l| l == mine))
        .collect()
}

fn catalog_titles() -> HashSet<String> {
    yiqifu_central::seed::demo_catalog()
        .unwrap()
        .into_iter()
        .map(|d| d.title)
        .collect()
}

/// Waits for the error alert to carry `code`, and returns its text.
async fn error_with_code(c: &Client, code: &str) -> Result<String> {
    let start = Instant::now();
    loop {
        // An alert React replaces between finding and reading it is looked for again.
        if let Ok(e) = wait_css(c, "[data-testid=error-alert]").await {
            if e.attr("data-code").await.ok().flatten().as_deref() == Some(code) {
                if let Ok(text) = e.text().await {
                    return Ok(text);
                }
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("no error alert with code {code}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for the policy list and checks every title shown is a demo catalog title.
/// Every log file in `dir`, one after the other.
fn log_text(dir: &Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn policy_titles(c: &Client) -> Result<Vec<String>> {
    wait_css(c, "[data-testid=document-title]").await?;
    let shown = texts(c, "[data-testid=document-title]").await?;
    let catalog = catalog_titles();
    if shown.is_empty() || !shown.iter().all(|t| catalog.contains(t)) {
        return Err(format!("unexpected titles: {shown:?}").into());
    }
    if !shown
        .iter()
        .all(|t| t.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)))
    {
        return Err(format!("titles are not in Chinese: {shown:?}").into());
    }
    Ok(shown)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_server_sign_in_shows_the_policies() {
    let _one = SERIAL.lock().await;
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let opened = data.path().join("opened.txt");
    let driver = Driver::start(
        &xvfb.display,
        &[
            ("YIQIFU_DATA_DIR", data.path()),
            ("YIQIFU_E2E_OPENED", &opened),
        ],
    );
    let logs = data.path().join("logs");

    session(&driver, "demo", async |c| {
        wait_css(c, "[data-testid=setup-page]").await?;
        // The binary embeds ui/dist when it is compiled: a UI built again since must have
        // been embedded again, or every test here drives the pages as they were before.
        let served = c
            .execute(
                "return document.querySelector('script[type=module]')?.getAttribute('src')",
                vec![],
            )
            .await?;
        let built = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html"),
        )?;
        match served.as_str() {
            Some(src) if built.contains(&format!("src=\"{src}\"")) => {}
            _ => {
                return Err(format!(
                    "the app serves the page script {served}, not the one ui/dist/index.html \
                     names: the binary was not rebuilt after the UI"
                )
                .into())
            }
        }
        click(c, "[data-testid=connect]").await?;
        wait_css(c, "[data-testid=sign-in-page]").await?;
        click(c, "[data-testid=demo-account]").await?;
        click(c, "[data-testid=sign-in]").await?;
        let titles = policy_titles(c).await?;
        wait_css(c, "[data-testid=status-online]").await?;
        let name = wait_css(c, "[data-testid=enterprise-name]")
            .await?
            .text()
            .await?;
        if name != yiqifu_central::seed::DEMO_ENTERPRISES[0].name {
            return Err(format!("signed in as {name:?}").into());
        }
        let shot = screenshot(c, "demo-policies").await?;
        eprintln!("screenshot: {} ({} titles)", shot.display(), titles.len());
        // The app turned WebKit's compositing off (software rendering is asked for, above):
        // its web process, started after the decision, has the switch.
        let web = web_processes_of(data.path());
        if web.is_empty()
            || web
                .iter()
                .any(|env| !env.contains("WEBKIT_DISABLE_COMPOSITING_MODE=1"))
        {
            let switches: Vec<Vec<&str>> = web
                .iter()
                .map(|env| env.lines().filter(|l| l.starts_with("WEBKIT_")).collect())
                .collect();
            return Err(format!(
                "the app's {} web processes lack WebKit's switch (their WEBKIT_ variables: {switches:?})",
                web.len()
            )
            .into());
        }
        // antd's styles come made with the build (ui/build/antdStyles.ts), so the first page
        // renders without making any: one made here is a component the build missed, or an
        // antd that no longer reads the build's map (the start slower, the page the same).
        let made = c
            .execute(
                "return [...document.querySelectorAll('style[data-css-hash]')]\
                 .map(s => s.innerHTML.slice(0, 100))",
                vec![],
            )
            .await?;
        if made.as_array().is_none_or(|m| !m.is_empty()) {
            return Err(format!("antd made styles as the first page rendered: {made}").into());
        }
        // The page and antd's components name the desktop's fonts (styles.css), here Linux's
        // one generic family: antd's own list of a dozen families made the first layout slow.
        let fonts = c
            .execute(
                "return [document.documentElement.dataset.os, \
                 ...['body', '.ant-btn', '.frame-item', '[data-testid=document-title]'] \
                 .map(s => getComputedStyle(document.querySelector(s)).fontFamily)]",
                vec![],
            )
            .await?;
        if fonts
            != serde_json::json!([
                "linux",
                "sans-serif",
                "sans-serif",
                "sans-serif",
                "sans-serif"
            ])
        {
            return Err(format!("the page's desktop and fonts: {fonts}").into());
        }

        // Started again on the same data, the app hands over to this one and ends; this
        // one goes on with its databases to itself. It ends before it starts anything of
        // the window system, so it needs no display: one that ended from Tauri's setup, as
        // that system's threads started, crashed on the way out now and then.
        let second = app_command(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())])
            .env_remove("DISPLAY")
            .spawn()?
            .wait_with_output();
        let second = tokio::time::timeout(Duration::from_secs(60), second)
            .await
            .map_err(|_| "a second launch did not end within 60 s")??;
        let said = String::from_utf8_lossy(&second.stderr);
        if !second.status.success() || !said.contains("already running") {
            return Err(format!("a second launch: {} {said}", second.status).into());
        }
        wait_css(c, "[data-testid=status-online]").await?;

        // About: one version for the app and the service, and the log folder opens.
        click(c, "[data-testid=menu-about]").await?;
        let version = env!("CARGO_PKG_VERSION");
        wait_text(c, "[data-testid=about-app-version]", version).await?;
        wait_text(c, "[data-testid=about-service-version]", version).await?;
        click(c, "[data-testid=open-logs-dir]").await?;
        let start = Instant::now();
        while !std::fs::read_to_string(&opened)
            .unwrap_or_default()
            .lines()
            .any(|l| Path::new(l) == logs)
        {
            if start.elapsed() > Duration::from_secs(20) {
                return Err(format!("the log folder {} was not opened", logs.display()).into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        screenshot(c, "about-zh").await?;

        // A proxy without its scheme is refused, saying why; a good one is kept (the demo,
        // on this computer, is still reached directly, so the app stays online).
        click(c, "[data-testid=proxy-manual]").await?;
        type_into(c, "[data-testid=proxy-url]", "proxy.example.com:8080").await?;
        click(c, "[data-testid=proxy-save]").await?;
        error_with_code(c, "INVALID_PROXY").await?;
        type_into(c, "[data-testid=proxy-url]", "http://127.0.0.1:9").await?;
        click(c, "[data-testid=proxy-save]").await?;
        wait_css(c, ".ant-message-success").await?;
        click(c, "[data-testid=menu-policy]").await?;
        click(c, "[data-testid=menu-about]").await?;
        let kept = wait_css(c, "[data-testid=proxy-url]")
            .await?
            .prop("value")
            .await?;
        if kept.as_deref() != Some("http://127.0.0.1:9") {
            return Err(format!("the proxy came back as {kept:?}").into());
        }
        wait_css(c, "[data-testid=status-online]").await?;

        // The service is named in Settings, and another can be chosen from there; Back
        // returns to the enterprise's work.
        wait_text(c, "[data-testid=settings-service]", "内置演示服务").await?;
        click(c, "[data-testid=change-server]").await?;
        wait_css(c, "[data-testid=setup-page]").await?;
        wait_xpath(c, "//*[contains(text(), '更换后需重新登录')]").await?;
        wait_xpath(c, "//button[.//text()='返回' or .//text()='返 回']")
            .await?
            .click()
            .await?;
        wait_css(c, "[data-testid=enterprise-name]").await?;
        click(c, "[data-testid=menu-policy]").await?;

        // A policy opens with its key conditions.
        click(c, "[data-testid=document-title]").await?;
        wait_xpath(
            c,
            "//*[contains(@class,'ant-drawer')]//*[text()='关键指引条件']",
        )
        .await?;
        screenshot(c, "demo-policy-detail").await?;
        Ok(())
    })
    .await;
    // The demo server kept its database in the app-data folder.
    assert!(data.path().join("demo-central/central.sqlite").exists());
    assert!(data.path().join("yiqifu.sqlite").exists());
    // The log files: the start and the sign-in are in it, never the password or
    // anything shaped like a session token (32 random bytes, base64url: 43 characters).
    let files: Vec<_> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("yiqifu-desktop.")
        })
        .collect();
    // One a day: two when the run crossed midnight.
    assert!(!files.is_empty() && files.len() <= 2, "{files:?}");
    let log: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    assert!(log.contains("Yiqifu Desktop started"), "{log}");
    assert!(
        log.contains("LIBGL_ALWAYS_SOFTWARE is set: the webview paints without compositing"),
        "{log}"
    );
    assert!(!log.contains(yiqifu_central::seed::DEMO_PASSWORD));
    let shaped: Vec<&str> = log
        .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
        .filter(|w| w.len() == 43)
        .collect();
    assert!(
        shaped.is_empty(),
        "token-shaped strings in the log: {shaped:?}"
    );
}

/// The window comes back at the size the officer left it, however the app ended (here its
/// session is closed and the process stopped, with no clean exit).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_comes_back_at_the_size_it_was_left() {
    let _one = SERIAL.lock().await;
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    let saved = data.path().join("window-state.json");
    session(&driver, "window-resize", async |c| {
        wait_css(c, "[data-testid=setup-page]").await?;
        let before = c.get_window_size().await?;
        if before == (1100, 700) {
            return Err("the window opened at the size this test sets".into());
        }
        c.set_window_size(1100, 700).await?;
        let start = Instant::now();
        while !std::fs::read_to_string(&saved).is_ok_and(|s| s.contains("1100")) {
            if start.elapsed() > Duration::from_secs(20) {
                return Err(format!("{} was not written", saved.display()).into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(())
    })
    .await;
    session(&driver, "window-restored", async |c| {
        wait_css(c, "[data-testid=setup-page]").await?;
        let size = c.get_window_size().await?;
        if size != (1100, 700) {
            return Err(format!("the window came back at {size:?}, not 1100×700").into());
        }
        Ok(())
    })
    .await;
}

/// A start that cannot go on (here the data folder is a file) says why in a message box:
/// a Windows release build has no console for the reason to go to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_that_fails_says_why_in_a_message_box() {
    let _one = SERIAL.lock().await;
    let xvfb = Xvfb::start();
    let not_a_folder = tempfile::NamedTempFile::new().unwrap();
    let mut app = app_command(&xvfb.display, &[("YIQIFU_DATA_DIR", not_a_folder.path())])
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !window_titled(&xvfb.display, "Yiqifu Desktop could not start").await {
        if let Ok(Some(status)) = app.try_wait() {
            panic!("the app ended ({status}) without a message box");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no message box within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let shot = screenshot_dir().join("start-failure.png");
    let _ = tokio::process::Command::new("import")
        .args(["-display", &xvfb.display, "-window", "root"])
        .arg(&shot)
        .status()
        .await;
    eprintln!("screenshot: {}", shot.display());
    assert!(
        app.try_wait().unwrap().is_none(),
        "the box waits for the officer"
    );
    app.start_kill().unwrap();
    let out = app.wait_with_output().await.unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("The data folder") && said.contains("cannot be used"),
        "{said}"
    );
    // Why, in the officer's words: a file stands where the folder should be.
    assert!(
        said.contains("(a file of that name is in the way)")
            && said.contains("（该处已有同名的文件）"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_explained_and_the_list_survives_going_offline() {
    let _one = SERIAL.lock().await;
    let central = yiqifu_tests::start_central().await;
    let not_yiqifu =
        serve(axum::Router::new().route("/api/v1/health", get(|| async { "OK" }))).await;
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    let (code, password) = demo_login();
    let url = central.url();

    session(&driver, "online", async |c| {
        wait_css(c, "[data-testid=setup-page]").await?;
        wait_xpath(c, "//span[text()='服务地址']")
            .await?
            .click()
            .await?;

        type_into(
            c,
            "[data-testid=server-url-input]",
            &format!("http://{}", dead_address()),
        )
        .await?;
        click(c, "[data-testid=connect]").await?;
        let text = error_with_code(c, "SERVER_UNREACHABLE").await?;
        if !text.contains("无法连接") {
            return Err(format!("unreachable message: {text}").into());
        }

        type_into(
            c,
            "[data-testid=server-url-input]",
            &format!("http://{not_yiqifu}"),
        )
        .await?;
        click(c, "[data-testid=connect]").await?;
        let text = error_with_code(c, "NOT_A_YIQIFU_SERVICE").await?;
        if !text.contains("不是益企服中央服务") {
            return Err(format!("not-yiqifu message: {text}").into());
        }

        type_into(c, "[data-testid=server-url-input]", &url).await?;
        click(c, "[data-testid=connect]").await?;
        wait_css(c, "[data-testid=sign-in-page]").await?;
        type_into(c, "input[data-testid=credit-code]", &code).await?;
        type_into(c, "input[data-testid=password]", "wrong-password").await?;
        click(c, "[data-testid=sign-in]").await?;
        let text = error_with_code(c, "INVALID_CREDENTIALS").await?;
        if !text.contains("密码不正确") {
            return Err(format!("wrong-password message: {text}").into());
        }
        type_into(c, "input[data-testid=password]", password).await?;
        click(c, "[data-testid=sign-in]").await?;
        policy_titles(c).await?;
        Ok(())
    })
    .await;

    central.stop().await;

    session(&driver, "offline", async |c| {
        policy_titles(c).await?;
        // Started on the enterprise's work, the app began the library's first results as it
        // opened, and the page opened with them: the enterprise's own policies.
        wait_css(c, "[data-testid=scope-hint]").await?;
        let log = log_text(&data.path().join("logs"));
        if !log.contains("first results ready") {
            return Err("the first results were not begun as the app opened".into());
        }
        if log.contains("first results begun") {
            return Err(format!("the first results begun were not used: {log}").into());
        }
        wait_css(c, "[data-testid=status-offline]").await?;
        wait_css(c, "[data-testid=offline-banner]").await?;
        let shot = screenshot(c, "offline-restart").await?;
        eprintln!("screenshot: {}", shot.display());
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_listing_is_corrected_from_the_status_area_and_goes_out() {
    let _one = SERIAL.lock().await;
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let data = tempfile::tempdir().unwrap();
    // Prepared offline days ago with the app's own core: the date it was valid until has
    // passed since, so the service refuses it and it waits for the officer.
    {
        let app = App::open(data.path(), Keychain::default()).await.unwrap();
        let ws = yiqifu_tests::sign_in_demo(&app, &url).await;
        let yesterday = time::OffsetDateTime::now_utc().date() - time::Duration::days(1);
        let tomorrow = yesterday + time::Duration::days(2);
        let local = ws
            .create_listing(NewListing {
                kind: ListingKind::Supply,
                category: ListingCategory::Supplies,
                item: "医用外科口罩".into(),
                quantity: 20000.0,
                unit: "只".into(),
                district: "闵行区".into(),
                valid_until: tomorrow.to_string(),
                contact_name: "赵六".into(),
                contact_phone: "13700000000".into(),
                note: None,
            })
            .await
            .unwrap();
        // Valid when queued; its date has passed since it was prepared.
        yiqifu_tests::age_queued_listing(
            &ws,
            &local,
            "$.listing.valid_until",
            &yesterday.to_string(),
        )
        .await;
        let start = Instant::now();
        while app.status().outbox_parked == 0 {
            ws.drain().await.unwrap();
            assert!(start.elapsed() < Duration::from_secs(30), "never parked");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        app.close().await;
    }

    let next_month =
        (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let xvfb = Xvfb::start();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    session(&driver, "revise", async |c| {
        click(c, "[data-testid=status-parked]").await?;
        wait_xpath(c, "//*[contains(text(),'有效期已过')]").await?;
        screenshot(c, "parked-list").await?;
        click(c, "[data-testid=parked-revise]").await?;
        wait_css(c, "[data-testid=revise-form]").await?;
        let item = value_of(c, "input#item").await?;
        if item.as_deref() != Some("医用外科口罩") {
            return Err(format!("the form shows {item:?}, not what was written").into());
        }
        type_into(c, "input#valid_until", &format!("{next_month}\u{E007}")).await?;
        screenshot(c, "revise-dialog").await?;
        // Clicked in the page: the button re-renders as it starts saving, and a WebDriver click
        // that lands can still report the old element as stale.
        let save = "//button[.//span[text()='保存并发送']]";
        wait_xpath(c, save).await?;
        c.execute(
            "document.evaluate(arguments[0], document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.click()",
            vec![serde_json::json!(save)],
        )
        .await?;
        let start = Instant::now();
        // Counted in the page: an element handle of the status item React is taking away
        // can come back stale.
        while c
            .execute(
                "return document.querySelectorAll('[data-testid=status-parked]').length",
                vec![],
            )
            .await?
            .as_u64()
            != Some(0)
        {
            if start.elapsed() > Duration::from_secs(30) {
                return Err("the corrected listing stayed parked".into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        screenshot(c, "revise-sent").await?;
        Ok(())
    })
    .await;
    // The service holds it once, with the corrected date.
    let bodies: Vec<(String,)> = sqlx::query_as("SELECT body FROM listings WHERE owner = ?")
        .bind(yiqifu_tests::demo_login_of(0).0)
        .fetch_all(&central.db)
        .await
        .unwrap();
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].0.contains(&next_month), "{}", bodies[0].0);
}

/// B (demo 1) has the demo's own inbox entries; A's reply is never among them.
async fn b_inbox_has_none_of_a(c: &Client) -> Result<()> {
    wait_css(c, "[data-testid=inbox-entry]").await?;
    let a_reply = "//*[@data-testid='inbox-title'][contains(.,'货车通行证续办')]";
    if !c.find_all(Locator::XPath(a_reply)).await?.is_empty() {
        return Err("B's inbox shows A's reply".into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_enterprises_on_one_computer_each_show_their_own_name_queue_and_inbox() {
    let _one = SERIAL.lock().await;
    let central = yiqifu_tests::start_central().await;
    let url = central.url();
    let data = tempfile::tempdir().unwrap();
    let (a_name, b_name) = (
        yiqifu_central::seed::DEMO_ENTERPRISES[0].name,
        yiqifu_central::seed::DEMO_ENTERPRISES[1].name,
    );
    // Prepared with the app's own core: A has a reply in its inbox and a listing the
    // service refused (so its queue shows it); B, signed in last, has neither.
    {
        let app = App::open(data.path(), Keychain::default()).await.unwrap();
        let a = yiqifu_tests::sign_in_demo(&app, &url).await;
        let appeal = a
            .create_appeal(yiqifu_protocol::NewAppeal {
                category: yiqifu_protocol::AppealCategory::Logistics,
                title: "货车通行证续办".into(),
                description: "两辆冷链车的通行证下周到期。".into(),
                attachments: vec![],
                contact: None,
            })
            .await
            .unwrap();
        let yesterday = time::OffsetDateTime::now_utc().date() - time::Duration::days(1);
        let tomorrow = yesterday + time::Duration::days(2);
        let local = a
            .create_listing(NewListing {
                kind: ListingKind::Demand,
                category: ListingCategory::Logistics,
                item: "冷链运输车".into(),
                quantity: 2.0,
                unit: "辆".into(),
                district: "浦东新区".into(),
                valid_until: tomorrow.to_string(),
                contact_name: "钱七".into(),
                contact_phone: "13600000000".into(),
                note: None,
            })
            .await
            .unwrap();
        // Valid when queued; its date has passed since it was prepared.
        yiqifu_tests::age_queued_listing(
            &a,
            &local,
            "$.listing.valid_until",
            &yesterday.to_string(),
        )
        .await;
        let start = Instant::now();
        while a.summary().parked == 0 || a.record(&appeal).await.unwrap().server_id.is_none() {
            a.drain().await.unwrap();
            assert!(start.elapsed() < Duration::from_secs(30), "never sent");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let sid = a.record(&appeal).await.unwrap().server_id.unwrap();
        let mut tx = central.db.begin().await.unwrap();
        for action in [
            yiqifu_protocol::AppealAction::Accept,
            yiqifu_protocol::AppealAction::Reply {
                body: "已协调区交通委，通行证 3 个工作日内办结。".into(),
            },
        ] {
            yiqifu_central::appeals::act(&mut tx, &sid, action, "reviewer:张科长")
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        app.sync_now().await.unwrap();
        yiqifu_tests::sign_in_as(&app, 1).await;
        app.close().await;
    }

    let xvfb = Xvfb::start();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    session(&driver, "enterprises", async |c| {
        // B is on screen: its name, an empty queue, its own inbox.
        wait_text(c, "[data-testid=enterprise-name]", b_name).await?;
        wait_css(c, "[data-testid=status-online]").await?;
        if !c
            .find_all(Locator::Css("[data-testid=status-parked]"))
            .await?
            .is_empty()
        {
            return Err("B shows A's refused listing".into());
        }
        click(c, "[data-testid=menu-inbox]").await?;
        b_inbox_has_none_of_a(c).await?;

        // Switch to A: everything shown follows.
        click(c, "[data-testid=enterprise-switcher]").await?;
        wait_css(c, "[data-testid=switch-to-91310115MA1K4C7P2E]").await?;
        screenshot(c, "enterprise-switcher").await?;
        click(c, "[data-testid=switch-to-91310115MA1K4C7P2E]").await?;
        wait_text(c, "[data-testid=enterprise-name]", a_name).await?;
        wait_css(c, "[data-testid=status-parked]").await?;
        wait_xpath(
            c,
            "//*[@data-testid='inbox-title'][contains(.,'货车通行证续办')]",
        )
        .await?;
        screenshot(c, "enterprise-a-inbox").await?;

        // And back to B.
        click(c, "[data-testid=enterprise-switcher]").await?;
        click(c, "[data-testid=switch-to-91310114MA1GT3R85H]").await?;
        wait_text(c, "[data-testid=enterprise-name]", b_name).await?;
        wait_gone(c, "[data-testid=status-parked]").await?;
        b_inbox_has_none_of_a(c).await?;

        // Adding a company opens the sign-in page, and going back returns to B.
        click(c, "[data-testid=enterprise-switcher]").await?;
        click(c, "[data-testid=add-enterprise]").await?;
        wait_css(c, "[data-testid=sign-in-page]").await?;
        click(c, "[data-testid=sign-in-back]").await?;
        wait_text(c, "[data-testid=enterprise-name]", b_name).await?;

        // Removing A first says what would be lost: its refused listing, never sent.
        click(c, "[data-testid=enterprise-switcher]").await?;
        click(c, "[data-testid=manage-enterprises]").await?;
        wait_css(c, "[data-testid=manage-dialog]").await?;
        screenshot(c, "manage-enterprises").await?;
        click(c, "[data-testid=remove-91310115MA1K4C7P2E]").await?;
        // The dialog fades in: its text reads empty until it is shown.
        let start = Instant::now();
        loop {
            let preview = wait_css(c, "[data-testid=removal-preview]")
                .await?
                .text()
                .await?;
            if preview.contains("1 项尚未发送的内容，1 份尚未提交的草稿") {
                break;
            }
            if start.elapsed() > Duration::from_secs(10) {
                return Err(format!("the removal preview says {preview:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        screenshot(c, "remove-confirm").await?;
        Ok(())
    })
    .await;
}

/// The one file of `kind` (a prefix) in `dir`; waits for it a while, then gives up loudly.
async fn file_in(dir: &Path, prefix: &str) -> std::path::PathBuf {
    let start = Instant::now();
    loop {
        let found: Vec<_> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
                            && p.extension().is_some_and(|x| x == "yqfbak")
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let [one] = found.as_slice() {
            return one.clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no single {prefix}*.yqfbak in {}: {found:?}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// An officer moves to a new computer: on the old one a draft is written, a backup exported
/// from 设置与关于 with its progress, and the app backs itself up as it quits; the new
/// computer restores the file on its first start, connects, signs in again, and the draft
/// is there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enterprise_moves_to_another_computer_through_a_backup() {
    let _one = SERIAL.lock().await;
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let (old, new, saved) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    const TITLE: &str = "换电脑前写的诉求草稿";
    let driver = Driver::start(
        &xvfb.display,
        &[
            ("YIQIFU_DATA_DIR", old.path()),
            ("YIQIFU_E2E_SAVE_DIR", saved.path()),
        ],
    );
    session(&driver, "backup-export", async |c| {
        steps::sign_in_as(c, 0).await?;
        steps::save_appeal_draft(c, TITLE).await?;

        click(c, "[data-testid=menu-about]").await?;
        wait_css(c, "[data-testid=backup-card]").await?;
        wait_xpath(
            c,
            "//*[@data-testid='automatic-backups']//*[contains(text(), '还没有自动备份')]",
        )
        .await?;
        click(c, "[data-testid=backup-export]").await?;
        wait_css(c, "[data-testid=backup-exported]").await?;
        scroll_to(c, "[data-testid=backup-card]").await?;
        screenshot(c, "backup-exported-zh").await?;
        // The session ends (logout, shutdown): the app backs itself up on the way out.
        // (WebDriver's own close cuts the process off, as a crash would.)
        if terminate_app(old.path()) != 1 {
            return Err("the app on the old data folder was not running".into());
        }
        file_in(&old.path().join("backups"), "quit-").await;
        Ok(())
    })
    .await;
    drop(driver);
    let exported = file_in(saved.path(), "益企服备份-").await;

    let driver = Driver::start(
        &xvfb.display,
        &[
            ("YIQIFU_DATA_DIR", new.path()),
            ("YIQIFU_E2E_PICK", &exported),
        ],
    );
    session(&driver, "backup-restore", async |c| {
        wait_css(c, "[data-testid=setup-page]").await?;
        click(c, "[data-testid=setup-restore]").await?;
        wait_css(c, "[data-testid=restore-dialog]").await?;
        let (code, _) = demo_login();
        wait_text(
            c,
            &format!("[data-testid=restore-state-{code}]"),
            "本机没有",
        )
        .await?;
        screenshot(c, "backup-restore-dialog-zh").await?;
        click(c, "[data-testid=restore-confirm]").await?;
        wait_css(c, "[data-testid=backup-restored]").await?;
        screenshot(c, "backup-restored-setup-zh").await?;
        click(c, "[data-testid=connect]").await?;
        wait_css(c, "[data-testid=sign-in-page]").await?;
        wait_xpath(
            c,
            &format!(
                "//*[contains(text(), '{}')]",
                yiqifu_central::seed::DEMO_ENTERPRISES[0].name
            ),
        )
        .await?;
        steps::sign_in_demo_account(c, 0).await?;
        steps::sees_appeal_draft(c, TITLE).await?;

        // The settings page in English, with the backup just restored listed nowhere (it
        // was not automatic) and the folder a click away.
        click(c, "[data-testid=menu-about]").await?;
        click(c, "[data-testid=language-switch]").await?;
        wait_css(c, "[data-testid=backup-card]").await?;
        scroll_to(c, "[data-testid=backup-card]").await?;
        screenshot(c, "backup-card-en").await?;
        c.set_window_size(960, 640).await?;
        steps::no_overflow(c, "the settings page at 960 px").await?;
        scroll_to(c, "[data-testid=backup-card]").await?;
        screenshot(c, "backup-card-960-en").await?;
        Ok(())
    })
    .await;
    drop(driver);

    // Back on the old computer: the backup taken at quit is listed, and opens as the same
    // work as this computer's.
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", old.path())]);
    session(&driver, "backup-automatic", async |c| {
        wait_css(c, "[data-testid=status-online]").await?;
        click(c, "[data-testid=menu-about]").await?;
        wait_css(c, "[data-testid=automatic-restore-0]").await?;
        scroll_to(c, "[data-testid=automatic-backups]").await?;
        screenshot(c, "backup-automatic-zh").await?;
        click(c, "[data-testid=automatic-restore-0]").await?;
        let (code, _) = demo_login();
        wait_text(
            c,
            &format!("[data-testid=restore-state-{code}]"),
            "与本机相同",
        )
        .await?;
        screenshot(c, "backup-automatic-dialog-zh").await?;
        Ok(())
    })
    .await;
}

/// The officer moves the data folder to another disk from 设置与关于: a folder with files in
/// it is refused, the chosen one gets everything, the app starts again on it with the same
/// work, and the old copy is gone.
#[tokio::test(flavor = "multi_thread")]
async fn the_data_folder_moves_to_another_disk_and_the_app_opens_on_it() {
    let _one = SERIAL.lock().await;
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let (base, disk) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let occupied = disk.path().join("其他文件");
    std::fs::create_dir_all(&occupied).unwrap();
    std::fs::write(occupied.join("合同.docx"), b"not ours").unwrap();
    let target = disk.path().join("益企服数据");
    let picks = base.path().with_extension("picks");
    std::fs::write(
        &picks,
        format!("{}\n{}\n", occupied.display(), target.display()),
    )
    .unwrap();
    const TITLE: &str = "搬到新硬盘前写的诉求草稿";
    let driver = Driver::start(
        &xvfb.display,
        &[
            ("YIQIFU_DATA_DIR", base.path()),
            ("YIQIFU_E2E_PICKS", &picks),
            ("YIQIFU_E2E_NO_RESTART", Path::new("1")),
        ],
    );
    session(&driver, "data-move", async |c| {
        steps::sign_in_as(c, 0).await?;
        steps::save_appeal_draft(c, TITLE).await?;

        click(c, "[data-testid=menu-about]").await?;
        wait_text(
            c,
            "[data-testid=about-data-dir]",
            &base.path().display().to_string(),
        )
        .await?;
        click(c, "[data-testid=move-data-dir]").await?;
        wait_any_text(c, "[data-testid=move-refused]", "不是空的").await?;
        scroll_to(c, "[data-testid=about-page]").await?;
        screenshot(c, "data-move-refused-zh").await?;
        click(c, "[data-testid=move-data-dir]").await?;
        wait_text(
            c,
            "[data-testid=move-target]",
            &target.display().to_string(),
        )
        .await?;
        screenshot(c, "data-move-confirm-zh").await?;
        // The copy, then the app ends to start again (here the test starts it): the click's
        // own answer may never come, from a page that is gone.
        let _ = click(c, "[data-testid=move-confirm]").await;
        if !app_ends_by_itself(base.path(), Duration::from_secs(60)).await {
            return Err("the app did not end after moving its data".into());
        }
        Ok(())
    })
    .await;
    drop(driver);
    assert!(target.join(yiqifu_core::store::DB_FILE).is_file());
    assert_eq!(
        std::fs::read(occupied.join("合同.docx")).unwrap(),
        b"not ours",
        "the refused folder is untouched"
    );
    // The old copy is still there until the app has opened the new one.
    assert!(base.path().join(yiqifu_core::store::DB_FILE).is_file());

    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", base.path())]);
    session(&driver, "data-moved", async |c| {
        wait_css(c, "[data-testid=status-online]").await?;
        steps::sees_appeal_draft(c, TITLE).await?;
        click(c, "[data-testid=menu-about]").await?;
        wait_text(
            c,
            "[data-testid=about-data-dir]",
            &target.display().to_string(),
        )
        .await?;
        scroll_to(c, "[data-testid=about-page]").await?;
        screenshot(c, "data-moved-zh").await?;
        click(c, "[data-testid=language-switch]").await?;
        wait_any_text(c, "[data-testid=move-data-dir]", "Move elsewhere").await?;
        c.set_window_size(960, 640).await?;
        steps::no_overflow(c, "the about page at 960 px").await?;
        scroll_to(c, "[data-testid=about-page]").await?;
        screenshot(c, "data-moved-960-en").await?;
        Ok(())
    })
    .await;
    drop(driver);
    assert!(
        !base.path().join(yiqifu_core::store::DB_FILE).exists()
            && !base.path().join("enterprises").exists(),
        "the old copy is removed once the new folder has opened"
    );
    assert!(base
        .path()
        .join(yiqifu_core::data_folder::POINTER)
        .is_file());
    let _ = std::fs::remove_file(&picks);
}

async fn scroll_to(c: &Client, css: &str) -> Result {
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
        vec![serde_json::json!(css)],
    )
    .await?;
    Ok(())
}
