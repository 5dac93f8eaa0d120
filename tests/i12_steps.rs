//! Steps the journeys of appeals, listings and the inbox share (included by path: the
//! support library belongs to the core's tests).

// Each journey uses a part of these steps.
#![allow(dead_code)]
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use yiqifu_tests::webdriver::{click, on_stale, type_into, wait_css, wait_xpath, Result};

/// An input by its test id, whether antd put the id on the input or on its wrapper.
pub fn input(id: &str) -> String {
    format!("input[data-testid={id}], textarea[data-testid={id}], [data-testid={id}] input")
}

/// Picks `label` in the antd Select with test id `id`.
pub async fn choose(c: &Client, id: &str, label: &str) -> Result {
    click(c, &format!("[data-testid={id}] .ant-select-selector")).await?;
    click(
        c,
        &format!(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title='{label}']"),
    )
    .await
}

/// Waits until `css` has `attr` = `value`, clicking 立即同步 now and then so the authority's
/// answer arrives; gives up loudly.
pub async fn sync_until(
    c: &Client,
    css: &str,
    attr: &str,
    value: &str,
    within: Duration,
) -> Result {
    let start = Instant::now();
    let mut last_sync = Instant::now();
    loop {
        // A stale element (React replaced it) is read again on the next round.
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if e.attr(attr).await.ok().flatten().as_deref() == Some(value) {
                return Ok(());
            }
        }
        if start.elapsed() > within {
            let shown = match c.find(Locator::Css(css)).await {
                Ok(e) => e.attr(attr).await.ok().flatten(),
                Err(_) => None,
            };
            return Err(format!("{css} never had {attr}={value} (has {shown:?})").into());
        }
        if last_sync.elapsed() > Duration::from_secs(3) {
            let _ = click(c, "[data-testid=sync-now]").await;
            last_sync = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Signs in to the built-in demo service as its `n`-th demo enterprise (0-based).
pub async fn sign_in_as(c: &Client, n: usize) -> Result {
    wait_css(c, "[data-testid=setup-page]").await?;
    click(c, "[data-testid=connect]").await?;
    wait_css(c, "[data-testid=sign-in-page]").await?;
    sign_in_demo_account(c, n).await
}

/// On the sign-in page: signs in as the `n`th demo enterprise.
pub async fn sign_in_demo_account(c: &Client, n: usize) -> Result {
    wait_css(c, "[data-testid=demo-account]").await?;
    let accounts = c
        .find_all(Locator::Css("[data-testid=demo-account]"))
        .await?;
    let account = accounts
        .get(n)
        .ok_or_else(|| format!("no demo enterprise {n}"))?;
    account.click().await?;
    click(c, "[data-testid=sign-in]").await?;
    wait_css(c, "[data-testid=status-online]").await?;
    Ok(())
}

/// The page is no wider than the window (no horizontal scroll).
pub async fn no_overflow(c: &Client, what: &str) -> Result {
    let overflow: serde_json::Value = c
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await?;
    if overflow.as_i64().unwrap_or(0) > 0 {
        return Err(format!("{what} is {overflow} px wider than the window").into());
    }
    Ok(())
}

/// The value of an attribute of the element at `css`.
pub async fn attr(c: &Client, css: &str, name: &str) -> Result<String> {
    // Found again if React replaces it before it is read.
    on_stale(|| async {
        Ok(wait_css(c, css)
            .await?
            .attr(name)
            .await?
            .unwrap_or_default())
    })
    .await
}

/// Closes the in-window notices (a new inbox entry's stays until closed) that may cover
/// the buttons of the page.
pub async fn dismiss_notices(c: &Client) -> Result {
    c.execute(
        "document.querySelectorAll('.ant-notification-notice-close').forEach((b) => b.click())",
        vec![],
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    Ok(())
}

/// Writes an appeal draft titled `title` (category 物流运输) and saves it: work that must
/// survive a journey (a backup, a move) on the other side.
pub async fn save_appeal_draft(c: &Client, title: &str) -> Result {
    click(c, "[data-testid=menu-appeals]").await?;
    click(c, "[data-testid=new-appeal]").await?;
    wait_css(c, "[data-testid=appeal-composer]").await?;
    choose(c, "appeal-category", "物流运输").await?;
    type_into(c, &input("appeal-title"), title).await?;
    wait_css(c, "[data-testid=appeal-draft-saved]").await?;
    click(c, "[data-testid=appeal-save-draft]").await?;
    wait_css(c, "[data-testid=appeal-draft]").await?;
    Ok(())
}

/// The appeal drafts list the draft titled `title`.
pub async fn sees_appeal_draft(c: &Client, title: &str) -> Result {
    click(c, "[data-testid=menu-appeals]").await?;
    click(c, "[data-testid=tab-appeal-drafts]").await?;
    wait_xpath(c, &format!("//*[contains(text(), '{title}')]")).await?;
    Ok(())
}
