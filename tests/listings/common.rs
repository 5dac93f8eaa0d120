//! What the listing tests share: a demo service that can stop and start again on the same
//! address and data, an app signed in to it, and looks at the service's own rows.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use time::Duration;
use yiqifu_central::{Config, Running};
use yiqifu_core::client::CentralClient;
use yiqifu_core::listings::{china_today, ListingQuery, OwnListingView};
use yiqifu_core::{App, Workspace};
use yiqifu_protocol::{ListingCategory, ListingKind, NewListing};
use yiqifu_tests::journey::fast;
use yiqifu_tests::{demo_login_of, sign_in_demo, test_keychain};

/// The supply of journey b: 闵通冷链's surgical masks.
pub const MASKS: &str = "医用外科口罩（一次性，三层）";

pub fn day(offset: i64) -> String {
    (china_today() + Duration::days(offset)).to_string()
}

/// The demand of journey b: 20,000 masks in Pudong for two weeks.
pub fn masks_wanted() -> NewListing {
    NewListing {
        kind: ListingKind::Demand,
        category: ListingCategory::Supplies,
        item: "医用外科口罩".into(),
        quantity: 20000.0,
        unit: "只".into(),
        district: "浦东新区".into(),
        valid_until: day(14),
        contact_name: "王芳".into(),
        contact_phone: "13800138000".into(),
        note: Some("车间复工首周用量".into()),
    }
}

/// The demo service on a database of the test's own, so it can stop and start again on
/// the same address with the same data (offline, then online).
pub async fn central_at(dir: &Path, addr: SocketAddr) -> Running {
    // Before the service's hashing starts threads: see `yiqifu_tests::start_central`.
    yiqifu_core::secrets::ensure_session_keyring().expect("a session keyring for the test");
    yiqifu_central::start(Config {
        addr,
        database: yiqifu_central::Database::Sqlite(dir.join("central.sqlite")),
        uploads: None,
        demo: true,
        scale: 0,
        durability: Default::default(),
        body_idle: yiqifu_central::BODY_IDLE,
        header_read: yiqifu_central::HEADER_READ,
    })
    .await
    .expect("the demo service")
}

pub async fn app_on(dir: &Path, test: &str, central: &Running) -> (App, Arc<Workspace>) {
    let app = App::open(&dir.join("app"), test_keychain(test))
        .await
        .unwrap();
    app.set_sync_config(fast());
    let ws = sign_in_demo(&app, &central.url()).await;
    app.sync_now().await.unwrap();
    (app, ws)
}

/// Ids of the market's live listings, as the service holds them.
pub async fn live_on_service(central: &Running) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM listings WHERE state = 'active' AND valid_until >= ? ORDER BY id",
    )
    .bind(day(0))
    .fetch_all(&central.db)
    .await
    .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

pub async fn id_of_item(central: &Running, item: &str) -> (String, String) {
    sqlx::query_as(
        "SELECT id, owner FROM listings WHERE json_extract(body, '$.item') = ? AND state = 'active'",
    )
    .bind(item)
    .fetch_one(&central.db)
    .await
    .unwrap()
}

/// Rewrites the date the service *shows* for a listing (not the one it expires by), with
/// a new seq so the feed carries it: what a client sees of a listing whose day has come
/// before the service has marked it.
pub async fn show_valid_until(central: &Running, id: &str, date: &str) {
    sqlx::query(
        "UPDATE listings SET body = json_set(body, '$.valid_until', ?),
             seq = (SELECT MAX(seq) + 1 FROM listings) WHERE id = ?",
    )
    .bind(date)
    .bind(id)
    .execute(&central.db)
    .await
    .unwrap();
}

pub async fn browse(ws: &Workspace, q: ListingQuery) -> Vec<String> {
    let mut ids: Vec<String> = ws
        .browse_listings(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.listing.id)
        .collect();
    ids.sort();
    ids
}

pub fn own<'a>(views: &'a [OwnListingView], key: &str) -> &'a OwnListingView {
    views
        .iter()
        .find(|v| v.key == key)
        .unwrap_or_else(|| panic!("no own listing {key} in {views:?}"))
}

pub async fn token_of(client: &CentralClient, i: usize) -> String {
    let (code, pw) = demo_login_of(i);
    client.login(&code, pw).await.unwrap().access_token
}
