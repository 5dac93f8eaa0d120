//! The policy library in the real app (WebKitGTK through tauri-driver, under Xvfb): search
//! 复工, narrow to a district, open a result and see its key conditions with the word marked;
//! pinyin finds the same word; the page in English, and at the window's minimum width.

use std::time::Duration;

use fantoccini::Client;
use yiqifu_tests::webdriver::{
    click, screenshot, session_within, texts, type_into, wait_css, Driver, Result, Xvfb,
};

#[path = "i12_steps.rs"]
mod steps;
use steps::{no_overflow, sign_in_as};

/// Waits until every result row satisfies `ok` (and there is one), as the list follows the
/// box and the filters.
async fn rows_until(c: &Client, what: &str, ok: impl Fn(&[String]) -> bool) -> Result<Vec<String>> {
    let start = std::time::Instant::now();
    loop {
        let rows = texts(c, "[data-testid=document-row]").await?;
        if !rows.is_empty() && ok(&rows) {
            return Ok(rows);
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("{what}: rows are {rows:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn marked(c: &Client, css: &str) -> Result<Vec<String>> {
    texts(c, &format!("{css} mark.search-hit")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_filter_open_and_see_the_key_conditions_marked() {
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    session_within(&driver, "library", Duration::from_secs(240), async |c| {
        sign_in_as(c, 0).await?;
        click(c, "[data-testid=menu-policy]").await?;
        wait_css(c, "[data-testid=document-row]").await?;
        // 适用本企业 is the default, and says what it means.
        let hint = wait_css(c, "[data-testid=scope-hint]")
            .await?
            .text()
            .await?;
        if !hint.contains("浦东新区") {
            return Err(format!("scope hint: {hint}").into());
        }
        screenshot(c, "library-mine-zh").await?;

        let mine = wait_css(c, "[data-testid=document-count]")
            .await?
            .text()
            .await?;
        click(c, "[data-testid=scope] .segment:nth-child(2)").await?;
        // All the demo's 64 policies (counted, so the list is no longer the company's): pages
        // of 20, the second one other documents than the first.
        let start = std::time::Instant::now();
        while texts(c, "[data-testid=document-count]").await? == [mine.clone()] {
            if start.elapsed() > Duration::from_secs(30) {
                return Err(format!("all documents: the count stayed at {mine}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let first = rows_until(c, "a first page of all documents", |rows| rows.len() == 20).await?;
        click(c, "[data-testid=pager] [aria-label='第 2 页']").await?;
        wait_css(
            c,
            "[data-testid=pager] [aria-current=page][aria-label='第 2 页']",
        )
        .await?;
        let second = rows_until(c, "the second page", |rows| rows.first() != first.first()).await?;
        if second.iter().any(|r| first.contains(r)) {
            return Err(format!("the second page repeats the first: {second:?}").into());
        }
        screenshot(c, "library-all-page-2-zh").await?;
        type_into(c, "input[data-testid=search]", "复工").await?;
        rows_until(c, "every row matches 复工", |rows| {
            rows.iter().all(|r| r.contains("复工"))
        })
        .await?;
        let hits = marked(c, "[data-testid=document-table]").await?;
        if hits.is_empty() || hits.iter().any(|h| h != "复工") {
            return Err(format!("marked words: {hits:?}").into());
        }

        // Narrow to one district.
        // Chosen in the select, the browser's own, once the districts are in it.
        wait_css(c, "[data-testid=filter-district] option:nth-child(2)").await?;
        wait_css(c, "[data-testid=filter-district]")
            .await?
            .select_by_label("浦东新区")
            .await?;
        let rows = rows_until(c, "only Pudong", |rows| {
            rows.iter().all(|r| r.contains("浦东新区"))
        })
        .await?;
        screenshot(c, "library-search-pudong-zh").await?;

        // Open a result whose key condition says 复工: it is marked there.
        let Some(i) = rows.iter().position(|r| r.contains("临港新片区")) else {
            return Err(format!("no 临港新片区 document among {rows:?}").into());
        };
        let title = format!(
            "[data-testid=document-row]:nth-child({}) [data-testid=document-title]",
            i + 1
        );
        click(c, &title).await?;
        wait_css(c, "[data-testid=key-condition]").await?;
        let in_conditions = marked(c, "[data-testid=key-conditions]").await?;
        if !in_conditions.iter().any(|h| h == "复工") {
            return Err(format!("key conditions marked: {in_conditions:?}").into());
        }
        // A ticked key condition is kept for the enterprise: closed and opened again, it is
        // still ticked.
        click(c, "[data-testid=condition-check]").await?;
        wait_css(c, "[data-testid=key-condition][data-checked=true]").await?;
        click(c, ".ant-drawer-close").await?;
        click(c, &title).await?;
        wait_css(c, "[data-testid=key-condition][data-checked=true]").await?;
        let count = wait_css(c, "[data-testid=checked-count]")
            .await?
            .text()
            .await?;
        if !count.starts_with("已核对 1/") {
            return Err(format!("checked count: {count}").into());
        }
        screenshot(c, "library-checklist-zh").await?;
        // A clause tag jumps to its clause in the text.
        click(c, "[data-testid=clause-tag]").await?;
        wait_css(c, "[data-testid=cited-clause]").await?;
        screenshot(c, "library-detail-zh").await?;
        // The self-check item citing this policy leads to the self-check (which, with no
        // company profile yet, asks for it first; app_selfcheck follows a link to its item).
        click(c, "[data-testid=citing-item]").await?;
        wait_css(c, "[data-testid=selfcheck-page]").await?;
        click(c, "[data-testid=menu-policy]").await?;
        wait_css(c, "[data-testid=document-row]").await?;

        // Nothing matches: the page says so.
        type_into(c, "input[data-testid=search]", "量子纠缠").await?;
        wait_css(c, "[data-testid=documents-empty]").await?;
        screenshot(c, "library-no-match-zh").await?;

        // Pinyin, typed without switching the input method, finds 复工 too.
        type_into(c, "input[data-testid=search]", "fugong").await?;
        rows_until(c, "fugong finds 复工", |rows| {
            rows.iter().all(|r| r.contains("复工"))
        })
        .await?;

        // English, and the minimum width.
        click(c, "[data-testid=language-switch]").await?;
        wait_css(c, "[data-testid=document-row]").await?;
        screenshot(c, "library-search-en").await?;
        c.set_window_size(960, 640).await?;
        no_overflow(c, "library at 960 px").await?;
        screenshot(c, "library-960-en").await?;
        Ok(())
    })
    .await;
}
