//! The steps every journey through the application starts with: a fresh demo service, an
//! app signed in to it, the company profile, and a self-check walked to a pass.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use yiqifu_core::selfcheck::{DraftView, ItemStatus};
use yiqifu_core::{App, SyncConfig, Workspace};
use yiqifu_protocol::{CompanyProfile, Contact, ItemKind, RiskArea};

use crate::{passing_value, sign_in_demo, start_central, test_keychain};

/// The industrial template every journey answers.
pub const TEMPLATE: &str = "tpl-industrial";

/// Retries and chunks small enough for a test to see them.
pub fn fast() -> SyncConfig {
    SyncConfig {
        base_delay_ms: 10,
        max_delay_ms: 50,
        chunk_bytes: 64 * 1024,
        idle: Duration::from_millis(100),
        keep_alive: true,
    }
}

/// A valid profile: a manufacturer in Pudong with 80 of 120 staff on site and dormitories.
pub fn profile() -> CompanyProfile {
    CompanyProfile {
        address: "上海市浦东新区张江路 1 号".into(),
        district: "浦东新区".into(),
        industry_section: "C".into(),
        industry_division: "36".into(),
        headcount: 120,
        on_site: 80,
        contacts: vec![Contact {
            name: "王芳".into(),
            role: "人事经理".into(),
            phone: "13800138000".into(),
        }],
        risk_area: RiskArea::Precaution,
        dormitories: true,
        whitelist_batch: None,
    }
}

/// Drains `ws` until nothing is queued; gives up loudly.
pub async fn settle(ws: &Workspace) {
    for _ in 0..500 {
        ws.drain().await.unwrap();
        if ws.summary().queued == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the queue did not drain: {:?}", ws.summary());
}

/// An app signed in to a fresh demo service, with the catalog synced.
pub async fn ready(dir: &Path, test: &str) -> (App, yiqifu_central::Running, Arc<Workspace>) {
    let central = start_central().await;
    let app = App::open(dir, test_keychain(test)).await.unwrap();
    app.set_sync_config(fast());
    let ws = sign_in_demo(&app, &central.url()).await;
    app.sync_now().await.unwrap();
    (app, central, ws)
}

/// Answers every open item so that it passes, evidence with a real file, until none is
/// open; gives up loudly.
pub async fn answer_all(
    ws: &Workspace,
    dir: &Path,
    mut view: DraftView,
    p: &CompanyProfile,
) -> DraftView {
    let file = dir.join("方案.pdf");
    std::fs::write(&file, yiqifu_files::samples::pdf()).unwrap();
    for _ in 0..200 {
        let open = view
            .items
            .iter()
            .find(|i| i.status == ItemStatus::Open)
            .map(|i| i.item_id.clone());
        let Some(id) = open else {
            return view;
        };
        let item = view.template.items().find(|i| i.id == id).unwrap().clone();
        view = if item.kind == ItemKind::Evidence {
            ws.answer_with_file(TEMPLATE, &id, &file).await.unwrap()
        } else {
            ws.answer_item(TEMPLATE, &id, passing_value(&item, p.on_site))
                .await
                .unwrap()
        };
    }
    panic!("the wizard kept opening items");
}

/// Saves the profile and walks the self-check to a pass; returns the passing run's id.
pub async fn pass_selfcheck(ws: &Workspace, dir: &Path) -> String {
    ws.save_company_profile(profile())
        .await
        .expect("the profile is valid");
    let view = ws
        .open_selfcheck(TEMPLATE)
        .await
        .expect("the template is synced");
    let view = answer_all(ws, dir, view, &profile()).await;
    assert!(view.verdict.passed, "{:?}", view.verdict.failures);
    let run = ws.finish_selfcheck(TEMPLATE).await.expect("finish");
    assert!(run.passed && run.current, "{run:?}");
    run.id
}
