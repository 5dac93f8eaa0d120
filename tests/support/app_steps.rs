//! The steps of the real app (WebKitGTK through tauri-driver) every journey shares: signing
//! in to the built-in demo service, filling in the company profile, and walking the
//! self-check wizard.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use yiqifu_protocol::{AnswerValue, SelfCheckTemplate, TemplateItem};

use crate::passing_value;
use crate::webdriver::{click, on_stale, screenshot, type_into, wait_css, Result};

pub const ON_SITE: u32 = 80;

pub fn template() -> SelfCheckTemplate {
    yiqifu_central::seed::demo_templates()
        .unwrap()
        .into_iter()
        .filter(|t| t.id == "tpl-industrial")
        .max_by_key(|t| t.version)
        .unwrap()
}

/// What the officer enters for an item, as the test types or clicks it.
#[derive(Clone, Debug)]
pub enum Input {
    Yes(bool),
    Choose(String),
    Type(String),
    Pick,
}

pub fn passing(item: &TemplateItem) -> Input {
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
pub async fn js_click(c: &Client, css: &str) -> Result {
    wait_css(c, css).await?;
    c.execute(
        "document.querySelector(arguments[0]).click()",
        vec![serde_json::json!(css)],
    )
    .await?;
    Ok(())
}

/// Waits up to 30 s for `css` to have `attr` set to one of `want`; returns the one it has.
pub async fn attr_is(c: &Client, css: &str, attr: &str, want: &[&str]) -> Result<String> {
    attr_is_within(c, css, attr, want, Duration::from_secs(30)).await
}

/// `attr_is`, waiting up to `within`.
pub async fn attr_is_within(
    c: &Client,
    css: &str,
    attr: &str,
    want: &[&str],
    within: Duration,
) -> Result<String> {
    let start = Instant::now();
    loop {
        // React may replace the element between finding and reading it (a sync redraws the
        // page): an element gone is looked for again, like one not there yet.
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if let Ok(Some(v)) = e.attr(attr).await {
                if want.contains(&v.as_str()) {
                    return Ok(v);
                }
            }
        }
        if start.elapsed() > within {
            return Err(format!("{css} never had {attr} in {want:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub fn field_css(id: &str) -> String {
    // antd puts data-testid on the input itself for some inputs and on a wrapper for others.
    format!(
        "input[data-testid=\"{id}\"], textarea[data-testid=\"{id}\"], [data-testid=\"{id}\"] input"
    )
}

/// Signs in to the built-in demo service as its first enterprise.
pub async fn sign_in(c: &Client) -> Result {
    wait_css(c, "[data-testid=setup-page]").await?;
    click(c, "[data-testid=connect]").await?;
    wait_css(c, "[data-testid=sign-in-page]").await?;
    click(c, "[data-testid=demo-account]").await?;
    click(c, "[data-testid=sign-in]").await?;
    wait_css(c, "[data-testid=status-online]").await?;
    Ok(())
}

/// Fills in 企业信息 as an officer would and saves it.
pub async fn fill_profile(c: &Client, shots: Option<&str>) -> Result {
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

pub async fn open_wizard(c: &Client) -> Result {
    click(c, "[data-testid=menu-selfcheck]").await?;
    // Back after a restart, the wizard may already be open where it was left.
    let start = Instant::now();
    let mut refused = None;
    loop {
        if c.find(Locator::Css("[data-testid=wizard]")).await.is_ok() {
            return Ok(());
        }
        if let Ok(b) = c
            .find(Locator::Css("[data-testid=open-tpl-industrial]"))
            .await
        {
            if b.is_enabled().await.unwrap_or(false) {
                // A sync may redraw the page between finding the button and clicking it:
                // then it is looked for again.
                match b.click().await {
                    Ok(()) => {
                        wait_css(c, "[data-testid=wizard]").await?;
                        return Ok(());
                    }
                    Err(e) => refused = Some(e.to_string()),
                }
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(match refused {
                Some(e) => format!("the wizard never opened: its button's last click: {e}"),
                None => "the wizard never opened".into(),
            }
            .into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// The items of the section on screen that wait for an answer, or fail: id and status.
pub async fn open_items(c: &Client) -> Result<Vec<(String, String)>> {
    // Read again from the start if the section is redrawn between finding and reading.
    on_stale(|| async {
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
    })
    .await
}

/// Gives `input` to item `id` and waits until the app judged it.
pub async fn answer(c: &Client, id: &str, input: &Input, judged: &[&str]) -> Result {
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
pub async fn walk(
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

/// Brings `css` to the middle of the page, then clicks it: on a long page the element can
/// sit under the fixed header, where WebDriver's own scrolling leaves it.
pub async fn scroll_click(c: &Client, css: &str) -> Result {
    wait_css(c, css).await?;
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'})",
        vec![serde_json::json!(css)],
    )
    .await?;
    click(c, css).await
}
