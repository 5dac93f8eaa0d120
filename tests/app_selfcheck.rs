//! The self-check in the real app (WebKitGTK through tauri-driver, under Xvfb): the officer
//! fills in the company profile, walks the v2 template to a pass and downloads the signed
//! report, walks it to a fail and reads the reasons, and finds the answers still there after
//! the app was killed half-way.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use yiqifu_protocol::{AnswerValue, SelfCheckTemplate, TemplateItem};
use yiqifu_tests::webdriver::{
    click, kill_app, screenshot, session, texts, type_into, wait_css, wait_text, Driver, Result,
    Xvfb,
};
use yiqifu_tests::{passing_value, pdf_text};

/// One app at a time: two WebKit processes on two cores make both slow and flaky.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const ON_SITE: u32 = 80;

fn template() -> SelfCheckTemplate {
    yiqifu_central::seed::demo_templates()
        .unwrap()
        .into_iter()
        .filter(|t| t.id == "tpl-industrial")
        .max_by_key(|t| t.version)
        .unwrap()
}

/// What the officer enters for an item, as the test types or clicks it.
#[derive(Clone, Debug)]
enum Input {
    Yes(bool),
    Choose(String),
    Type(String),
    Pick,
}

fn passing(item: &TemplateItem) -> Input {
    match passing_value(item, ON_SITE) {
        None => Input::Pick,
        Some(AnswerValue::YesNo(b)) => Input::Yes(b),
        Some(AnswerValue::Choice(c)) => Input::Choose(c),
        Some(AnswerValue::Number(n)) => Input::Type(format!("{n}")),
        Some(AnswerValue::Date(t) | AnswerValue::Text(t) | AnswerValue::Evidence(t)) => {
            Input::Type(t)
        }
    }
}

/// Clicks through the DOM: antd hides the real radio input under its drawn circle, which
/// WebDriver will not click, but React hears a DOM click on it like any other.
async fn js_click(c: &Client, css: &str) -> Result {
    wait_css(c, css).await?;
    c.execute(
        "document.querySelector(arguments[0]).click()",
        vec![serde_json::json!(css)],
    )
    .await?;
    Ok(())
}

async fn attr_is(c: &Client, css: &str, attr: &str, want: &[&str]) -> Result<String> {
    let start = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if let Some(v) = e.attr(attr).await? {
                if want.contains(&v.as_str()) {
                    return Ok(v);
                }
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("{css} never had {attr} in {want:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn field_css(id: &str) -> String {
    // antd puts data-testid on the input itself for some inputs and on a wrapper for others.
    format!(
        "input[data-testid=\"{id}\"], textarea[data-testid=\"{id}\"], [data-testid=\"{id}\"] input"
    )
}

/// Signs in to the built-in demo service as its first enterprise.
async fn sign_in(c: &Client) -> Result {
    wait_css(c, "[data-testid=setup-page]").await?;
    click(c, "[data-testid=connect]").await?;
    wait_css(c, "[data-testid=sign-in-page]").await?;
    click(c, "[data-testid=demo-account]").await?;
    click(c, "[data-testid=sign-in]").await?;
    wait_css(c, "[data-testid=status-online]").await?;
    Ok(())
}

/// Fills in 企业信息 as an officer would and saves it.
async fn fill_profile(c: &Client, shots: Option<&str>) -> Result {
    click(c, "[data-testid=menu-profile]").await?;
    wait_css(c, "[data-testid=profile-empty]").await?;
    if let Some(tag) = shots {
        screenshot(c, &format!("profile-empty-{tag}")).await?;
    }
    type_into(
        c,
        &field_css("profile-address"),
        "上海市浦东新区川沙路 88 号",
    )
    .await?;
    type_into(c, &field_css("profile-headcount"), "120").await?;
    type_into(c, &field_css("profile-on-site"), "9999").await?;
    // More on site than employed: the field says so before anything is saved.
    wait_css(c, "[data-testid=problem-on_site]").await?;
    type_into(c, &field_css("profile-on-site"), &ON_SITE.to_string()).await?;
    click(c, "[data-testid=profile-division]").await?;
    let search = wait_css(c, "[data-testid=profile-division] input").await?;
    search.send_keys("36").await?;
    search.send_keys("\u{E007}").await?;
    js_click(c, "[data-testid=dorms-yes]").await?;
    type_into(c, &field_css("contact-0-name"), "王芳").await?;
    type_into(c, &field_css("contact-0-role"), "人事经理").await?;
    type_into(c, &field_css("contact-0-phone"), "1380013").await?;
    wait_css(c, "[data-testid=\"problem-contacts.0.phone\"]").await?;
    if let Some(tag) = shots {
        screenshot(c, &format!("profile-errors-{tag}")).await?;
    }
    type_into(c, &field_css("contact-0-phone"), "13800138000").await?;
    click(c, "[data-testid=profile-save]").await?;
    wait_css(
        c,
        "[data-testid=profile-unsent], [data-testid=profile-synced]",
    )
    .await?;
    if let Some(tag) = shots {
        screenshot(c, &format!("profile-saved-{tag}")).await?;
    }
    Ok(())
}

async fn open_wizard(c: &Client) -> Result {
    click(c, "[data-testid=menu-selfcheck]").await?;
    // Back after a restart, the wizard may already be open where it was left.
    let start = Instant::now();
    loop {
        if c.find(Locator::Css("[data-testid=wizard]")).await.is_ok() {
            return Ok(());
        }
        if let Ok(b) = c
            .find(Locator::Css("[data-testid=open-tpl-industrial]"))
            .await
        {
            if b.is_enabled().await.unwrap_or(false) {
                b.click().await?;
                wait_css(c, "[data-testid=wizard]").await?;
                return Ok(());
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err("the wizard never opened".into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// The items of the section on screen that wait for an answer, or fail: id and status.
async fn open_items(c: &Client) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for e in c
        .find_all(Locator::Css("[data-status=open], [data-status=fail]"))
        .await?
    {
        if let (Some(id), Some(status)) =
            (e.attr("data-testid").await?, e.attr("data-status").await?)
        {
            out.push((id.trim_start_matches("item-").to_string(), status));
        }
    }
    Ok(out)
}

/// Gives `input` to item `id` and waits until the app judged it.
async fn answer(c: &Client, id: &str, input: &Input, judged: &[&str]) -> Result {
    let testid = format!("answer-{id}");
    match input {
        Input::Yes(true) => js_click(c, &format!("[data-testid={testid}-yes]")).await?,
        Input::Yes(false) => js_click(c, &format!("[data-testid={testid}-no]")).await?,
        Input::Choose(choice) => {
            js_click(c, &format!("[data-testid=\"{testid}-{choice}\"]")).await?
        }
        Input::Type(text) => {
            let css = field_css(&testid);
            type_into(c, &css, text).await?;
            // Enter commits dates and numbers; a pause in typing commits text (where Enter
            // would be a new line).
            let e = wait_css(c, &css).await?;
            if e.tag_name().await? == "input" {
                e.send_keys("\u{E007}").await?;
            }
        }
        Input::Pick => click(c, &format!("[data-testid={testid}-pick]")).await?,
    }
    attr_is(
        c,
        &format!("[data-testid=item-{id}]"),
        "data-status",
        judged,
    )
    .await?;
    Ok(())
}

/// Answers every section, `special` items as given and the rest so they pass; stops at
/// the verdict. `stop_after` ends the walk early, after that many sections.
async fn walk(
    c: &Client,
    special: &HashMap<&str, Input>,
    stop_after: Option<usize>,
    shots: Option<&str>,
) -> Result {
    let t = template();
    for (n, section) in t.sections.iter().enumerate() {
        if stop_after == Some(n) {
            return Ok(());
        }
        wait_css(c, &format!("[data-testid=section-{}]", section.id)).await?;
        for _ in 0..40 {
            // A special item already failing is answered as intended.
            let next = open_items(c)
                .await?
                .into_iter()
                .find(|(id, status)| !(special.contains_key(id.as_str()) && status == "fail"));
            let Some((id, _)) = next else {
                break;
            };
            let item = t
                .items()
                .find(|i| i.id == id)
                .ok_or(format!("no item {id}"))?;
            let (input, judged): (Input, &[&str]) = match special.get(id.as_str()) {
                Some(i) => (i.clone(), &["fail"]),
                None => (passing(item), &["pass"]),
            };
            answer(c, &id, &input, judged).await?;
        }
        if n == 1 {
            if let Some(tag) = shots {
                screenshot(c, &format!("wizard-section-{tag}")).await?;
            }
        }
        click(c, "[data-testid=wizard-next]").await?;
    }
    wait_css(c, "[data-testid=verdict]").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walk_the_v2_template_to_a_pass_and_download_the_report() {
    let _one = SERIAL.lock().await;
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let evidence = files.path().join("一企一案.pdf");
    std::fs::write(&evidence, yiqifu_files::samples::pdf()).unwrap();
    let saved = files.path().join("saved");
    std::fs::create_dir_all(&saved).unwrap();
    let driver = Driver::start(
        &xvfb.display,
        &[
            ("YIQIFU_DATA_DIR", data.path()),
            ("YIQIFU_E2E_PICK", &evidence),
            ("YIQIFU_E2E_SAVE_DIR", &saved),
        ],
    );

    session(&driver, "selfcheck-pass", async |c| {
        sign_in(c).await?;
        click(c, "[data-testid=menu-application]").await?;
        wait_text(c, "[data-testid=gate-reason]", "请先填写企业信息，再完成复工自查。").await?;
        screenshot(c, "application-locked-zh").await?;
        click(c, "[data-testid=menu-selfcheck]").await?;
        wait_css(c, "[data-testid=selfcheck-no-profile]").await?;
        wait_css(c, "[data-testid=history-empty]").await?;
        screenshot(c, "selfcheck-no-profile-zh").await?;
        fill_profile(c, Some("zh")).await?;

        open_wizard(c).await?;
        screenshot(c, "wizard-first-zh").await?;
        // The source of an item opens at its clause, offline.
        click(c, "[data-testid=cite-org-duties]").await?;
        wait_css(c, "[data-testid=cited-clause]").await?;
        screenshot(c, "wizard-citation-zh").await?;
        js_click(c, ".ant-drawer-close").await?;
        wait_css(c, ".ant-drawer-content-wrapper[style*=\"display: none\"], .ant-drawer:not(.ant-drawer-open)").await.ok();
        walk(c, &HashMap::new(), None, Some("zh")).await?;
        wait_text(c, "[data-testid=verdict-title]", "自查通过").await?;
        screenshot(c, "verdict-pass-zh").await?;
        click(c, "[data-testid=finish-selfcheck]").await?;
        wait_text(c, "[data-testid=run-verdict]", "自查通过").await?;
        click(c, "[data-testid=download-report]").await?;
        let start = Instant::now();
        let pdf = loop {
            let found = std::fs::read_dir(&saved)?.flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "pdf"));
            if let Some(p) = found {
                break p;
            }
            if start.elapsed() > Duration::from_secs(60) {
                return Err("the report was never saved".into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let text = pdf_text(&pdf);
        let name = yiqifu_central::seed::DEMO_ENTERPRISES[0].name;
        for want in [name, "通过", "张伟，安全主管", "全部在岗员工厂内", "一企一案.pdf", "防范区", "在岗 80 人"] {
            if !text.contains(want) {
                return Err(format!("the report lacks {want:?}:\n{text}").into());
            }
        }
        if text.contains("未通过") {
            return Err("a passing report says 未通过".into());
        }
        screenshot(c, "run-pass-zh").await?;

        click(c, "[data-testid=run-to-application]").await?;
        wait_css(c, "[data-testid=application-open]").await?;
        screenshot(c, "application-open-zh").await?;
        click(c, "[data-testid=language-switch]").await?;
        wait_css(c, "[data-testid=application-open]").await?;
        screenshot(c, "application-open-en").await?;
        click(c, "[data-testid=menu-selfcheck]").await?;
        wait_css(c, "[data-testid=history-row]").await?;
        screenshot(c, "selfcheck-history-en").await?;
        click(c, "[data-testid=menu-profile]").await?;
        wait_css(c, "[data-testid=profile-page]").await?;
        screenshot(c, "profile-en").await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walk_to_a_fail_and_read_the_reasons() {
    let _one = SERIAL.lock().await;
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let evidence = files.path().join("名单.pdf");
    std::fs::write(&evidence, yiqifu_files::samples::pdf()).unwrap();
    let driver = Driver::start(
        &xvfb.display,
        &[
            ("YIQIFU_DATA_DIR", data.path()),
            ("YIQIFU_E2E_PICK", &evidence),
        ],
    );

    session(&driver, "selfcheck-fail", async |c| {
        // At the window's minimum width: the wizard must still fit.
        c.set_window_size(960, 640).await?;
        sign_in(c).await?;
        fill_profile(c, None).await?;
        click(c, "[data-testid=language-switch]").await?;
        open_wizard(c).await?;
        let special: HashMap<&str, Input> = [
            ("supply-mask-days", Input::Type("9".into())),
            ("zone-four-colour", Input::Yes(false)),
        ]
        .into_iter()
        .collect();
        walk(c, &special, None, Some("en")).await?;
        wait_text(
            c,
            "[data-testid=verdict-title]",
            "The self-check does not pass",
        )
        .await?;
        let reasons = texts(c, "[data-testid^=reason-]").await?;
        if reasons
            != [
                "Needs “yes”; the answer is “no”",
                "Needs at least 14 days; the answer is “9 days”",
            ]
        {
            return Err(format!("reasons in English: {reasons:?}").into());
        }
        screenshot(c, "verdict-fail-en").await?;
        click(c, "[data-testid=language-switch]").await?;
        wait_text(
            c,
            "[data-testid=reason-supply-mask-days]",
            "需储备至少 14 天口罩，当前为“9 天”",
        )
        .await?;
        wait_text(
            c,
            "[data-testid=reason-zone-four-colour]",
            "需为“是”，当前为“否”",
        )
        .await?;
        screenshot(c, "verdict-fail-zh").await?;
        // The failing result is kept and shuts the gate, with the reason.
        click(c, "[data-testid=finish-selfcheck]").await?;
        wait_text(c, "[data-testid=run-verdict]", "自查未通过").await?;
        screenshot(c, "run-fail-zh").await?;
        click(c, "[data-testid=menu-application]").await?;
        wait_text(
            c,
            "[data-testid=gate-reason]",
            "最近一次复工自查未通过：请按未通过项整改后重新自查。",
        )
        .await?;
        click(c, "[data-testid=gate-to-selfcheck]").await?;
        wait_css(c, "[data-testid=selfcheck-page]").await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_half_way_loses_no_answer() {
    let _one = SERIAL.lock().await;
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let evidence = files.path().join("方案.pdf");
    std::fs::write(&evidence, yiqifu_files::samples::pdf()).unwrap();
    let driver = Driver::start(
        &xvfb.display,
        &[
            ("YIQIFU_DATA_DIR", data.path()),
            ("YIQIFU_E2E_PICK", &evidence),
        ],
    );

    let client = driver
        .session()
        .await
        .expect("a WebDriver session with the app");
    let first: Result = tokio::time::timeout(Duration::from_secs(240), async {
        sign_in(&client).await?;
        fill_profile(&client, None).await?;
        open_wizard(&client).await?;
        // Two sections answered, then half of the third, typed text included.
        walk(&client, &HashMap::new(), Some(2), None).await?;
        wait_css(&client, "[data-testid=section-staff]").await?;
        answer(&client, "staff-list", &Input::Pick, &["pass"]).await?;
        answer(&client, "staff-risk-excluded", &Input::Yes(true), &["pass"]).await?;
        Ok(())
    })
    .await
    .unwrap_or_else(|_| Err("the first half took over 240 s".into()));
    if let Err(e) = first {
        let _ = screenshot(&client, "selfcheck-kill-failure").await;
        panic!("before the kill: {e}");
    }
    let killed = kill_app();
    eprintln!("killed {killed} app process(es) half-way through the wizard");
    drop(client);

    session(&driver, "selfcheck-resume", async |c| {
        open_wizard(c).await?;
        // Back on the step it was on, with every answer given.
        wait_css(c, "[data-testid=section-staff]").await?;
        for id in ["staff-list", "staff-risk-excluded"] {
            attr_is(
                c,
                &format!("[data-testid=item-{id}]"),
                "data-status",
                &["pass"],
            )
            .await?;
        }
        click(c, "[data-testid=step-org]").await?;
        wait_css(c, "[data-testid=section-org]").await?;
        for id in [
            "org-duties",
            "org-liaison",
            "org-plan-file",
            "org-start-date",
        ] {
            attr_is(
                c,
                &format!("[data-testid=item-{id}]"),
                "data-status",
                &["pass"],
            )
            .await?;
        }
        let liaison = wait_css(c, &field_css("answer-org-liaison")).await?;
        let text = liaison.prop("value").await?.unwrap_or_default();
        if text != "张伟，安全主管，13900139000" {
            return Err(format!("the typed answer came back as {text:?}").into());
        }
        screenshot(c, "wizard-resumed-zh").await?;
        Ok(())
    })
    .await;
}
