//! The self-check in the real app (WebKitGTK through tauri-driver, under Xvfb): the officer
//! fills in the company profile, walks the v2 template to a pass and downloads the signed
//! report, walks it to a fail and reads the reasons, and finds the answers still there after
//! the app was killed half-way.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use yiqifu_tests::app_steps::*;
use yiqifu_tests::pdf_text;
use yiqifu_tests::webdriver::{
    click, kill_app, screenshot, session, texts, type_into, value_of, wait_css, wait_text, Driver,
    Result, Xvfb,
};

/// One app at a time: two WebKit processes on two cores make both slow and flaky.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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
        // From the policy an item cites, its "cited by" link opens the wizard at that item.
        click(c, "[data-testid=menu-policy]").await?;
        type_into(c, "input[data-testid=search]", "抗原自测管理").await?;
        wait_text(
            c,
            "[data-testid=document-row]:first-child [data-testid=document-title]",
            "关于复工复产企业核酸检测和抗原自测管理有关工作的通知",
        )
        .await?;
        click(
            c,
            "[data-testid=document-row]:first-child [data-testid=document-title]",
        )
        .await?;
        click(c, "[data-testid=citing-item]").await?;
        let item = wait_css(c, "[data-highlighted=true]").await?;
        let id = item.attr("data-testid").await?.unwrap_or_default();
        if !id.starts_with("item-") {
            return Err(format!("the marked element is {id}").into());
        }
        screenshot(c, "wizard-cited-item-zh").await?;
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
        let text = value_of(c, &field_css("answer-org-liaison"))
            .await?
            .unwrap_or_default();
        if text != "张伟，安全主管，13900139000" {
            return Err(format!("the typed answer came back as {text:?}").into());
        }
        screenshot(c, "wizard-resumed-zh").await?;
        Ok(())
    })
    .await;
}
