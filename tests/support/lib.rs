//! Shared helpers for the end-to-end tests.

use std::net::SocketAddr;
use std::sync::Arc;

use yiqifu_central::seed::{DEMO_ENTERPRISES, DEMO_PASSWORD};
use yiqifu_core::secrets::{ensure_session_keyring, Keychain};
use yiqifu_core::{App, ServerChoice, Workspace};

pub mod app_steps;
pub mod faultproxy;
pub mod journey;
pub mod people;
pub mod scenario;
pub mod webdriver;

/// Starts the demo service. On Linux the test thread first joins the process's session
/// keyring (the keychain joins it again from whichever thread it runs on).
pub async fn start_central() -> yiqifu_central::Running {
    ensure_session_keyring().expect("a session keyring for the test");
    yiqifu_central::start_demo(None)
        .await
        .expect("the demo central service")
}

/// A keychain namespace of this test's own, in the real OS keychain.
pub fn test_keychain(test: &str) -> Keychain {
    ensure_session_keyring().expect("a session keyring for the test");
    Keychain::new(&format!("yiqifu-test-{test}-{}", std::process::id()))
}

/// The first demo enterprise's credit code and password.
pub fn demo_login() -> (String, &'static str) {
    demo_login_of(0)
}

/// The `i`th demo enterprise's credit code and password.
pub fn demo_login_of(i: usize) -> (String, &'static str) {
    (DEMO_ENTERPRISES[i].credit_code(), DEMO_PASSWORD)
}

/// Points `app` at the service at `url` and signs in as the first demo enterprise; returns
/// its workspace.
pub async fn sign_in_demo(app: &App, url: &str) -> Arc<Workspace> {
    app.choose_server(ServerChoice::Url { url: url.into() }, url)
        .await
        .expect("the service answers");
    sign_in_as(app, 0).await
}

/// Signs in as the `i`th demo enterprise (on the service already chosen) and returns its
/// workspace, now on screen.
pub async fn sign_in_as(app: &App, i: usize) -> Arc<Workspace> {
    let (code, pw) = demo_login_of(i);
    app.sign_in(&code, pw).await.expect("the demo sign-in");
    app.active()
        .expect("the enterprise just signed in is on screen")
}

/// xorshift64: a deterministic stream from a non-zero seed, for faults, kills and file
/// contents that a failing run can reproduce.
pub fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// Serves `router` on a loopback port of its own, for servers that misbehave on purpose.
pub async fn serve(router: axum::Router) -> SocketAddr {
    serve_on(router, SocketAddr::from(([127, 0, 0, 1], 0))).await
}

pub async fn serve_on(router: axum::Router, addr: SocketAddr) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

/// A loopback address nothing listens on.
pub fn dead_address() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("local addr")
}

#[cfg(target_os = "linux")]
/// Leaves this process with a session keyring the kernel has revoked, the state of a
/// machine where no keyring can be had. Only for a child process: threads started later
/// inherit it, and the parent's keyring is untouched.
pub fn lose_session_keyring() {
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    const KEYCTL_REVOKE: libc::c_long = 3;
    const KEY_SPEC_SESSION_KEYRING: libc::c_long = -3;
    // SAFETY: a null name asks for a new anonymous keyring; the revoke takes only integers.
    unsafe {
        assert!(
            libc::syscall(
                libc::SYS_keyctl,
                KEYCTL_JOIN_SESSION_KEYRING,
                std::ptr::null::<libc::c_char>()
            ) >= 0
        );
        assert_eq!(
            libc::syscall(libc::SYS_keyctl, KEYCTL_REVOKE, KEY_SPEC_SESSION_KEYRING),
            0
        );
    }
}

/// A value meeting `item`'s pass rule with `on_site` staff on site, within its constraint;
/// `None` for evidence, which is answered with a file.
pub fn passing_value(
    item: &yiqifu_protocol::TemplateItem,
    on_site: u32,
) -> Option<yiqifu_protocol::AnswerValue> {
    use yiqifu_protocol::{AnswerValue, ItemKind};
    let rule = item.pass.clone().unwrap_or_default();
    Some(match item.kind {
        ItemKind::YesNo => AnswerValue::YesNo(rule.equals.unwrap_or(true)),
        ItemKind::Number => {
            let scaled = rule.min_per_on_site.map(|k| k * f64::from(on_site));
            let min = [rule.min, scaled].into_iter().flatten().reduce(f64::max);
            AnswerValue::Number(min.or(rule.max).unwrap_or(1.0).ceil())
        }
        ItemKind::Date => AnswerValue::Date(rule.not_after.unwrap_or_else(|| "2022-05-20".into())),
        ItemKind::Choice => AnswerValue::Choice(
            rule.any_of
                .and_then(|v| v.first().cloned())
                .or_else(|| {
                    item.choices
                        .as_ref()
                        .and_then(|c| c.first())
                        .map(|c| c.id.clone())
                })
                .expect("a choice item has options"),
        ),
        ItemKind::Text => AnswerValue::Text("张伟，安全主管，13900139000".into()),
        ItemKind::Evidence => return None,
    })
}

/// The text of a PDF, as `pdftotext -layout` reads it (poppler-utils; `cargo xtask test`
/// installs it).
pub fn pdf_text(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; `cargo xtask test` installs it)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A session of its own for the `i`th demo enterprise, straight from the service: for a
/// test that plays "the request went through, the answer was lost".
pub async fn demo_access_token(url: &str, i: usize) -> String {
    let (credit_code, password) = demo_login_of(i);
    let resp: yiqifu_protocol::LoginResponse = reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/login"))
        .json(&yiqifu_protocol::LoginRequest {
            credit_code,
            password: password.into(),
        })
        .send()
        .await
        .expect("the service answers")
        .error_for_status()
        .expect("the demo sign-in")
        .json()
        .await
        .expect("a login answer");
    resp.access_token
}

/// Rewrites one field of the queued `create_listing` of `record`, as the queue of a client
/// from before the core checked listings (or one left waiting for days) would hold it.
pub async fn age_queued_listing(ws: &Workspace, record: &str, path: &str, value: &str) {
    let done = sqlx::query(
        "UPDATE outbox SET payload = json_set(payload, ?, ?) \
         WHERE record_id = ? AND kind = 'create_listing'",
    )
    .bind(path)
    .bind(value)
    .bind(record)
    .execute(ws.store().pool())
    .await
    .unwrap();
    assert_eq!(
        done.rows_affected(),
        1,
        "the queued create_listing of {record}"
    );
}

/// The authority lowers a material's size limit on the service's database `db`, as its
/// publisher would (the next upload of a bigger file is refused); returns the new rule.
pub async fn tighten_rule(
    db: &yiqifu_central::db::Db,
    material: &str,
    max_bytes: u64,
) -> yiqifu_protocol::MaterialRule {
    use yiqifu_central::catalog::{entry, publish, MATERIAL_RULES};
    let mut tx = yiqifu_central::db::begin_write(db).await.unwrap();
    let mut rule: yiqifu_protocol::MaterialRule = entry(&mut tx, MATERIAL_RULES, material)
        .await
        .unwrap()
        .unwrap();
    rule.max_bytes = max_bytes;
    publish(&mut tx, MATERIAL_RULES, material, &rule)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rule
}
