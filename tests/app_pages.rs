//! The pages of appeals, listings and the inbox in the real app (WebKitGTK through
//! tauri-driver, under Xvfb), in Chinese and English: with the demo data of 上海嘉程汽车零部件
//! (an overdue appeal highlighted, a replied and rated one), and empty for 上海浦江精密机械;
//! none scrolls sideways at the window's minimum width.

use std::time::Duration;

use fantoccini::Client;
use yiqifu_tests::webdriver::{
    accessible, click, screenshot, session_within, wait_css, wait_gone, Driver, Result, Xvfb,
};

#[path = "i12_steps.rs"]
mod steps;
use steps::{no_overflow, sign_in_as, sign_in_demo_account, sync_until};

/// Each page: its menu entry, and what shows once it has loaded.
const PAGES: [(&str, &str); 3] = [
    ("appeals", "[data-testid=appeals-page]"),
    ("listings", "[data-testid=listing-card]"),
    ("inbox", "[data-testid=inbox-page]"),
];

/// Every page in both languages, at full and at minimum width; `tag` names the screenshots.
async fn tour(c: &Client, tag: &str) -> Result {
    for lang in ["zh", "en"] {
        for (page, ready) in PAGES {
            click(c, &format!("[data-testid=menu-{page}]")).await?;
            wait_css(c, ready).await?;
            screenshot(c, &format!("{page}-{tag}-{lang}")).await?;
        }
        click(c, "[data-testid=language-switch]").await?;
    }
    c.set_window_size(960, 640).await?;
    for (page, ready) in PAGES {
        click(c, &format!("[data-testid=menu-{page}]")).await?;
        wait_css(c, ready).await?;
        no_overflow(c, &format!("{page} ({tag}) at 960 px")).await?;
        screenshot(c, &format!("{page}-{tag}-960-zh")).await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_pages_with_data_and_empty() {
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();

    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    session_within(
        &driver,
        "pages-with-data",
        Duration::from_secs(240),
        async |c| {
            sign_in_as(c, 1).await?;
            click(c, "[data-testid=menu-appeals]").await?;
            // The demo's financing appeal is past both promises: first, and marked.
            sync_until(
                c,
                "[data-testid=appeal-row]",
                "data-overdue",
                "true",
                Duration::from_secs(60),
            )
            .await?;
            wait_css(c, "[data-testid=appeal-row][data-stage=replied]").await?;
            click(c, "[data-testid=appeal-row][data-stage=replied]").await?;
            wait_css(c, "[data-testid=appeal-rating][data-score='5']").await?;
            wait_css(c, "[data-testid=appeal-timeline-step]").await?;
            screenshot(c, "appeal-detail-demo-zh").await?;
            click(c, "[data-testid=appeal-back]").await?;
            tour(c, "data").await
        },
    )
    .await;
    drop(driver);

    let empty = tempfile::tempdir().unwrap();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", empty.path())]);
    session_within(
        &driver,
        "pages-empty",
        Duration::from_secs(240),
        async |c| {
            sign_in_as(c, 0).await?;
            click(c, "[data-testid=menu-appeals]").await?;
            wait_css(c, "[data-testid=appeals-empty]").await?;
            click(c, "[data-testid=menu-inbox]").await?;
            wait_css(c, "[data-testid=inbox-empty]").await?;
            click(c, "[data-testid=menu-listings]").await?;
            click(c, "[data-testid=tab-mine]").await?;
            wait_css(c, "[data-testid=own-empty]").await?;
            screenshot(c, "listings-mine-empty-zh").await?;
            tour(c, "empty").await
        },
    )
    .await;
}

/// Every page of the sidebar, and what shows once it has loaded.
const EVERY_PAGE: [(&str, &str); 10] = [
    ("policy", "[data-testid=search]"),
    ("guidance", "[data-testid=search]"),
    ("profile", "[data-testid=profile-page]"),
    ("selfcheck", "[data-testid=selfcheck-page]"),
    ("roster", "[data-testid=roster-import]"),
    (
        "application",
        "[data-testid=prepare], [data-testid=application-locked], [data-testid=tab-track]",
    ),
    ("appeals", "[data-testid=appeals-page]"),
    ("listings", "[data-testid=listing-card]"),
    ("inbox", "[data-testid=inbox-page]"),
    ("about", "[data-testid=about-page]"),
];

/// axe-core, run in the real webview, finds no serious or critical problem on any page,
/// in Chinese or English: the first start, signing in, and every page of the sidebar.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_has_a_serious_accessibility_problem() {
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    session_within(
        &driver,
        "accessibility",
        Duration::from_secs(300),
        async |c| {
            let mut problems = Vec::new();
            wait_css(c, "[data-testid=setup-page]").await?;
            if let Err(e) = accessible(c, "setup").await {
                problems.push(e.to_string());
            }
            click(c, "[data-testid=connect]").await?;
            wait_css(c, "[data-testid=demo-account]").await?;
            if let Err(e) = accessible(c, "sign-in").await {
                problems.push(e.to_string());
            }
            sign_in_demo_account(c, 1).await?;
            for lang in ["zh", "en"] {
                for (page, ready) in EVERY_PAGE {
                    click(c, &format!("[data-testid=menu-{page}]")).await?;
                    wait_css(c, ready).await?;
                    if let Err(e) = accessible(c, &format!("{page} ({lang})")).await {
                        problems.push(e.to_string());
                    }
                }
                click(c, "[data-testid=language-switch]").await?;
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("\n").into())
            }
        },
    )
    .await;
}

/// Presses Tab until the focus is on `css`, checking that every element the focus lands on
/// shows it (an outline or a ring); gives up after `max` presses.
async fn tab_to(c: &Client, css: &str, max: usize) -> Result {
    let probe = "const e = document.activeElement; if (!e || e === document.body) return null;
        // A radio or checkbox hides its input and rings the box drawn beside it; a select
        // or a number with a unit rings the box its input sits in, up to three levels out.
        const ring = (el) => { if (!el) return false; const s = getComputedStyle(el);
            return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                || (s.boxShadow && s.boxShadow !== 'none'); };
        let shown = ring(e) || ring(e.nextElementSibling);
        for (let up = e.parentElement, i = 0; up && i < 3 && !shown; up = up.parentElement, i++) {
            shown = ring(up);
        }
        return { matches: e.matches(arguments[0]), shown,
                 what: e.tagName + (e.getAttribute('data-testid') ? '[' + e.getAttribute('data-testid') + ']' : '')
                       + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''),
                 html: e.outerHTML.slice(0, 200) };";
    for _ in 0..max {
        type_keys(c, &fantoccini::key::Key::Tab.to_string()).await?;
        // A select draws its ring once it has re-rendered as focused, a frame or more after
        // the focus arrived: read again for a moment before calling the focus invisible.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        let at = loop {
            let at = c.execute(probe, vec![serde_json::json!(css)]).await?;
            if at.is_null()
                || at["shown"] == serde_json::json!(true)
                || tokio::time::Instant::now() > deadline
            {
                break at;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        if at.is_null() {
            continue;
        }
        if at["shown"] != serde_json::json!(true) {
            return Err(
                format!("the focus on {} is not visible: {}", at["what"], at["html"]).into(),
            );
        }
        if at["matches"] == serde_json::json!(true) {
            return Ok(());
        }
    }
    Err(format!("{max} presses of Tab never reached {css}").into())
}

/// Keys pressed as a keyboard would, into whatever has the focus (not sent to an element,
/// which would focus it first).
async fn type_keys(c: &Client, text: &str) -> Result {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut keys = KeyActions::new("keyboard".into());
    for value in text.chars() {
        keys = keys
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
    }
    c.perform_actions(keys).await?;
    Ok(())
}

/// The way in without a mouse: the service chosen, a company signed in and a page opened
/// with the keyboard alone, the focus visible on everything it passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_start_and_sign_in_work_from_the_keyboard() {
    use fantoccini::key::Key;
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    session_within(&driver, "keyboard", Duration::from_secs(240), async |c| {
        wait_css(c, "[data-testid=setup-page]").await?;
        tab_to(c, "[data-testid=connect]", 15).await?;
        type_keys(c, &Key::Enter.to_string()).await?;
        wait_css(c, "[data-testid=sign-in-page]").await?;
        tab_to(c, "[data-testid=credit-code]", 25).await?;
        let demo = &yiqifu_central::seed::DEMO_ENTERPRISES[0];
        type_keys(c, &demo.credit_code()).await?;
        // For a person to look at: a field being typed in is outlined in blue, not in the
        // red that says a field is wrong.
        screenshot(c, "keyboard-sign-in-field-focused").await?;
        tab_to(c, "[data-testid=password]", 5).await?;
        type_keys(c, yiqifu_central::seed::DEMO_PASSWORD).await?;
        type_keys(c, &Key::Enter.to_string()).await?;
        wait_css(c, "[data-testid=status-online]").await?;
        // The library, where the main page opens: Tab through its search box and filters to
        // the first result's title, the focus visible on each; Enter opens the document,
        // Escape closes it.
        wait_css(c, "[data-testid=document-row]").await?;
        tab_to(c, "[data-testid=document-title]", 40).await?;
        type_keys(c, &Key::Enter.to_string()).await?;
        wait_css(c, ".ant-drawer-open .ant-drawer-title").await?;
        screenshot(c, "keyboard-document-opened").await?;
        type_keys(c, &Key::Escape.to_string()).await?;
        wait_gone(c, ".ant-drawer-open").await?;
        // The focus comes back to the title once the drawer has slid away, so the keyboard
        // goes on from where it was.
        wait_css(
            c,
            "[data-testid=document-row]:first-child [data-testid=document-title]:focus",
        )
        .await?;
        // The sidebar: from the title Enter opened (the focus comes back to it), on through
        // the other results and the pages of results, round to the sidebar's pages, each a
        // button; Enter on 企业信息 opens it.
        tab_to(c, "button:has(> [data-testid=menu-profile])", 70).await?;
        type_keys(c, &Key::Enter.to_string()).await?;
        wait_css(c, "[data-testid=profile-save]").await?;
        // The company profile, filled in and saved from the keyboard: text fields, selects
        // (one picked with the arrows, one by typing), numbers and a radio group, each
        // reached with Tab, as an officer fills the form the first time.
        tab_to(c, "[data-testid=profile-address]", 30).await?;
        replace_text(c, "88 Zhangjiang Road").await?;
        screenshot(c, "keyboard-profile-field-focused").await?;
        let district = "[data-testid=profile-district] .ant-select-selection-item";
        let before = first_text(c, district).await?;
        tab_to(c, "[data-testid=profile-district] input", 5).await?;
        // Down opens the list on the district chosen, Down again moves to the next one.
        type_keys(c, &format!("{}{}", Key::Down, Key::Down)).await?;
        wait_css(c, ".ant-select-item-option-active").await?;
        type_keys(c, &Key::Enter.to_string()).await?;
        let after = first_text(c, district).await?;
        if after.is_empty() || after == before {
            return Err(format!("Down, Down, Enter left the district at {before:?}").into());
        }
        // The industry's division, found by typing its code.
        tab_to(c, "[data-testid=profile-division] input", 5).await?;
        type_keys(c, "34").await?;
        wait_css(c, ".ant-select-item-option-active").await?;
        type_keys(c, &Key::Enter.to_string()).await?;
        let division = first_text(c, "[data-testid=profile-division] .ant-select-selection-item").await?;
        if !division.starts_with("34 ") {
            return Err(format!("typing 34 and Enter chose the division {division:?}").into());
        }
        tab_to(c, "[data-testid=profile-headcount]", 5).await?;
        replace_text(c, "321").await?;
        tab_to(c, "[data-testid=profile-on-site]", 5).await?;
        replace_text(c, "300").await?;
        let risk = "return Array.from(document.querySelectorAll('[data-testid=profile-risk] input'))
            .findIndex(e => e.checked)";
        let risk_before = c.execute(risk, vec![]).await?;
        tab_to(c, "[data-testid=profile-risk] input", 10).await?;
        type_keys(c, &Key::Right.to_string()).await?;
        let risk_after = c.execute(risk, vec![]).await?;
        if risk_after == risk_before || risk_after == serde_json::json!(-1) {
            return Err(format!("Right left the risk area at {risk_before}").into());
        }
        tab_to(c, "[data-testid=contact-0-name]", 10).await?;
        type_keys(c, "王静").await?;
        tab_to(c, "[data-testid=contact-0-phone]", 5).await?;
        type_keys(c, "13800138000").await?;
        tab_to(c, "[data-testid=profile-save]", 10).await?;
        type_keys(c, &Key::Enter.to_string()).await?;
        let read = "return ['profile-address', 'profile-headcount', 'profile-on-site', 'contact-0-name', 'contact-0-phone']
            .map(id => { const e = document.querySelector('[data-testid=' + id + ']');
                         return e ? (e.value ?? (e.querySelector('input') || {}).value) : null; })";
        if let Err(e) = wait_css(c, ".ant-message-success").await {
            let shown = c.execute(read, vec![]).await?;
            let problems = c
                .execute("return Array.from(document.querySelectorAll('[data-testid^=problem-]')).map(e => e.textContent)", vec![])
                .await?;
            return Err(format!("{e}; the form holds {shown}, its problems: {problems}").into());
        }
        // What the page shows after saving is what it read back from the store.
        let shown = c.execute(read, vec![]).await?;
        let want = serde_json::json!(["88 Zhangjiang Road", "321", "300", "王静", "13800138000"]);
        if shown != want {
            return Err(format!("after saving the profile shows {shown}, not {want}").into());
        }
        wait_css(c, "[data-testid=profile-unsent], [data-testid=profile-synced]").await?;
        Ok(())
    })
    .await;
}

/// The text of the first element `css` finds, or "" when there is none. Its textContent:
/// WebDriver's rendered text of a select's chosen item reads empty in WebKitWebDriver.
async fn first_text(c: &Client, css: &str) -> Result<String> {
    let v = c
        .execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
            vec![serde_json::json!(css)],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// Selects what the focused field holds (Ctrl+A) and types `text` over it.
async fn replace_text(c: &Client, text: &str) -> Result {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    use fantoccini::key::Key;
    let ctrl = char::from(Key::Control);
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: ctrl })
        .then(KeyAction::Down { value: 'a' })
        .then(KeyAction::Up { value: 'a' })
        .then(KeyAction::Up { value: ctrl });
    c.perform_actions(keys).await?;
    type_keys(c, text).await
}
