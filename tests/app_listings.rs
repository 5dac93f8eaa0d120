//! A match in the real app (WebKitGTK through tauri-driver, under Xvfb): a demand for surgical
//! masks is posted; the seeded supply of 上海闵通冷链物流有限公司 is suggested with its
//! reasons and contact; the inbox's match entry lands on it; the demand is edited, then
//! withdrawn; an item too long is refused under its field.

use std::time::Duration;

use yiqifu_tests::app_steps::js_click;
use yiqifu_tests::webdriver::{
    click, on_stale, screenshot, session_within, texts, type_into, wait_any_text, wait_css,
    wait_text, Driver, Xvfb,
};

#[path = "i12_steps.rs"]
mod steps;
use steps::{attr, choose, dismiss_notices, input, no_overflow, sign_in_as, sync_until};

const OWN: &str = "[data-testid=own-listing]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demand_meets_its_supply() {
    yiqifu_core::secrets::ensure_session_keyring().unwrap();
    let xvfb = Xvfb::start();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(&xvfb.display, &[("YIQIFU_DATA_DIR", data.path())]);
    session_within(
        &driver,
        "listings-match",
        Duration::from_secs(300),
        async |c| {
            sign_in_as(c, 0).await?;
            click(c, "[data-testid=menu-listings]").await?;
            wait_css(c, "[data-testid=listing-card]").await?;
            screenshot(c, "listings-browse-zh").await?;

            click(c, "[data-testid=new-listing]").await?;
            wait_css(c, "[data-testid=listing-form]").await?;
            choose(c, "listing-kind", "需求").await?;
            choose(c, "listing-category", "防疫物资").await?;
            type_into(c, &input("listing-item"), "医用外科口罩").await?;
            type_into(c, &input("listing-quantity"), "20000").await?;
            type_into(c, &input("listing-unit"), "只").await?;
            type_into(c, &input("listing-contact-name"), "王芳").await?;
            type_into(c, &input("listing-contact-phone"), "13800138000").await?;
            screenshot(c, "listing-form-zh").await?;
            click(c, "[data-testid=listing-submit]").await?;

            // Sent, live, and matched with the seeded supply: why, and whom to call.
            wait_css(c, OWN).await?;
            sync_until(c, OWN, "data-state", "active", Duration::from_secs(60)).await?;
            wait_css(c, "[data-testid=listing-match]").await?;
            wait_text(
                c,
                "[data-testid=match-enterprise]",
                "上海闵通冷链物流有限公司",
            )
            .await?;
            wait_text(c, "[data-testid=match-contact]", "13916205731").await?;
            // Read again from the start if the match is redrawn meanwhile.
            let kinds = on_stale(|| async {
                let mut kinds = Vec::new();
                for r in c
                    .find_all(fantoccini::Locator::Css("[data-testid=match-reason]"))
                    .await?
                {
                    kinds.push(r.attr("data-reason").await?.unwrap_or_default());
                }
                Ok(kinds)
            })
            .await?;
            for want in ["category", "item", "quantity", "dates"] {
                if !kinds.iter().any(|k| k == want) {
                    return Err(format!("no {want} reason among {kinds:?}").into());
                }
            }
            let quantity = texts(c, "[data-testid=match-reason][data-reason=quantity]").await?;
            if !quantity.iter().any(|t| t.contains("数量满足")) {
                return Err(
                    format!("the supply does not say it covers the need: {quantity:?}").into(),
                );
            }
            screenshot(c, "listings-mine-match-zh").await?;

            // The match is in the inbox, and its entry lands on the demand.
            click(c, "[data-testid=menu-inbox]").await?;
            sync_until(
                c,
                "[data-testid=inbox-entry][data-kind=listing_match]",
                "data-kind",
                "listing_match",
                Duration::from_secs(60),
            )
            .await?;
            screenshot(c, "inbox-match-zh").await?;
            click(
                c,
                "[data-testid=inbox-entry][data-kind=listing_match] [data-testid=inbox-open]",
            )
            .await?;
            wait_css(c, "[data-testid=listings-page]").await?;
            wait_css(c, OWN).await?;

            // Edited, then withdrawn (the match's notice closed first: it may cover buttons).
            dismiss_notices(c).await?;
            click(c, "[data-testid=own-listing-edit]").await?;
            type_into(c, &input("listing-quantity"), "30000").await?;
            click(c, "[data-testid=listing-submit]").await?;
            wait_text(c, "[data-testid=own-listing-quantity]", "30000").await?;
            click(c, "[data-testid=own-listing-withdraw]").await?;
            click(c, "[data-testid=withdraw-confirm]").await?;
            sync_until(c, OWN, "data-state", "withdrawn", Duration::from_secs(60)).await?;
            screenshot(c, "listings-withdrawn-zh").await?;

            // An item over the limit: refused under its field, nothing sent.
            dismiss_notices(c).await?;
            js_click(c, "[data-testid=new-listing]").await?;
            type_into(c, &input("listing-item"), &"口罩".repeat(51)).await?;
            click(c, "[data-testid=listing-submit]").await?;
            // The item's limit, said under its field.
            wait_any_text(
                c,
                "[data-testid=listing-form] .ant-form-item-explain-error",
                "100",
            )
            .await?;
            screenshot(c, "listing-form-errors-zh").await?;

            click(c, "[data-testid=language-switch]").await?;
            click(c, "[data-testid=listing-cancel]").await?;
            click(c, "[data-testid=tab-mine]").await?;
            wait_css(c, OWN).await?;
            screenshot(c, "listings-mine-en").await?;
            c.set_window_size(960, 640).await?;
            click(c, "[data-testid=tab-browse]").await?;
            no_overflow(c, "the market at 960 px").await?;
            screenshot(c, "listings-browse-960-en").await?;
            let _ = attr(c, "[data-testid=listing-card]", "data-key").await?;
            Ok(())
        },
    )
    .await;
}
