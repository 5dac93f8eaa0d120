//! The promise of the sync engine, tested end to end: mutations of mixed kinds and uploads
//! queued offline by two enterprises on one computer reach a real service exactly once, each
//! in its own enterprise's account, through a faulty network, while the client process is
//! killed in the middle of its work and started again; the client's state ends equal to
//! the service's.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use yiqifu_core::App;
use yiqifu_protocol::{
    AppealAction, AppealCategory, ListingCategory, ListingKind, NewAppeal, NewListing, Rating,
};

use crate::demo_login_of;
use crate::faultproxy::FaultProxy;

/// The enterprises the scenario signs in on one computer (demo enterprises 0 and 1).
pub const ENTERPRISES: usize = 2;

pub struct Plan {
    pub mutations: usize,
    pub uploads: usize,
    pub upload_bytes: usize,
    pub kills: usize,
    pub fault_pct: u32,
}

pub struct Report {
    pub elapsed: Duration,
    pub connections: u64,
    pub faults: u64,
    pub runs: usize,
    /// Kills after which the service's state had changed since the run started.
    pub kills_after_progress: usize,
    /// Kills that cut a request or an upload chunk in flight.
    pub kills_mid_request: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.1}s, {} client runs, {} kills (all after the service's state changed; {} cut a request in flight), {} connections, {} with injected faults",
            self.elapsed.as_secs_f64(),
            self.runs,
            self.kills_after_progress,
            self.kills_mid_request,
            self.connections,
            self.faults
        )
    }
}

fn client_binary() -> PathBuf {
    let p = crate::webdriver::profile_dir().join(format!(
        "yiqifu-sync-client{}",
        std::env::consts::EXE_SUFFIX
    ));
    assert!(
        p.exists(),
        "{} missing: build the workspace first",
        p.display()
    );
    p
}

/// A real PDF of `len` bytes (the service checks every upload by its content), different
/// for each seed.
fn file_bytes(seed: usize, len: usize) -> Vec<u8> {
    yiqifu_files::samples::pdf_sized(len, (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
}

fn listing(e: usize, i: usize) -> NewListing {
    NewListing {
        kind: if i.is_multiple_of(2) {
            ListingKind::Supply
        } else {
            ListingKind::Demand
        },
        category: ListingCategory::Materials,
        item: format!("故障测试物资-{e}-{i}"),
        quantity: 100.0 + i as f64,
        unit: "件".into(),
        district: "松江区".into(),
        valid_until: (time::OffsetDateTime::now_utc().date() + time::Duration::days(30))
            .to_string(),
        contact_name: "测试联系人".into(),
        contact_phone: "13900000000".into(),
        note: None,
    }
}

/// What one enterprise queued, to check against the service.
#[derive(Default)]
struct Queued {
    workspace: String,
    appeals: Vec<(String, String)>, // (local id, title)
    listings: Vec<String>,
    withdrawn: HashSet<String>,
    messages: HashMap<String, usize>,
    uploads: Vec<(String, String)>, // (local id, sha256)
    /// A seeded appeal answered before the run and rated offline: (server id, rating).
    rated: Option<(String, Rating)>,
}

/// Everything the service holds of the scenario's work: it changes whenever a record is
/// created, a message or withdrawal lands, or an upload's offset advances.
async fn service_state(db: &yiqifu_central::db::Db) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM appeals),
                (SELECT COALESCE(SUM(LENGTH(body)), 0) FROM appeals)
                  + (SELECT COUNT(*) FROM appeal_messages),
                (SELECT COUNT(*) FROM listings) + (SELECT COUNT(*) FROM listings WHERE state = 'withdrawn'),
                (SELECT COALESCE(SUM(offset), 0) FROM uploads)",
    )
    .fetch_one(db)
    .await
    .expect("the service's state")
}

/// Waits, without blocking the runtime that hosts the service and the proxy, until
/// `ready` or the child exits; gives up loudly after `limit`.
async fn wait_for<F, Fut>(child: &mut Child, what: &str, limit: Duration, mut ready: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if ready().await {
            return true;
        }
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        assert!(
            start.elapsed() < limit,
            "{what} did not happen within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

pub async fn run(plan: Plan) -> Report {
    let started = Instant::now();
    // YIQIFU_DEBUG_CLIENT=1 shows the service's warnings and the client processes' stderr,
    // for when the scenario fails.
    if std::env::var_os("YIQIFU_DEBUG_CLIENT").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn")
            .with_writer(std::io::stderr)
            .try_init();
    }
    // The child processes share this thread's session keyring (Linux), so they see the tokens.
    let central = crate::start_central().await;
    let proxy = FaultProxy::start(central.addr, 0x5eed_2022).await;
    let url = proxy.url();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("数据");
    let service = format!("yiqifu-test-faults-{}", std::process::id());
    let kc = yiqifu_core::secrets::Keychain::new(&service);

    // Offline preparation: both enterprises sign in once on this computer, then queue
    // everything, taking turns.
    let mut queued: Vec<Queued> = (0..ENTERPRISES).map(|_| Queued::default()).collect();
    {
        let app = App::open(&data, kc.clone()).await.expect("open");
        // The proxy serves one request per connection: a pooled one would be dead.
        app.set_sync_config(yiqifu_core::SyncConfig {
            keep_alive: false,
            ..crate::journey::fast()
        });
        let mut spaces = vec![crate::sign_in_demo(&app, &url).await];
        for e in 1..ENTERPRISES {
            spaces.push(crate::sign_in_as(&app, e).await);
        }
        // The last enterprise has seeded appeals: the unanswered one is answered now and
        // rated offline, so the rating goes through the faults too, and must land once.
        let rater = spaces[ENTERPRISES - 1].clone();
        app.switch_to(rater.id()).await.expect("switch");
        app.sync_now().await.expect("the first pull");
        let open = rater
            .appeals(&yiqifu_core::appeals::AppealQuery::default())
            .await
            .expect("appeals")
            .into_iter()
            .find(|a| a.key.starts_with("srv:") && !a.rated)
            .expect("a seeded appeal not yet rated");
        let server_id = open.key.trim_start_matches("srv:").to_string();
        let mut tx = central.db.begin().await.expect("begin");
        yiqifu_central::appeals::act(
            &mut tx,
            &server_id,
            AppealAction::Reply {
                body: "故障测试答复".into(),
            },
            "reviewer:张科长",
        )
        .await
        .expect("reply");
        tx.commit().await.expect("commit");
        app.sync_now().await.expect("the reply pulled");
        let rating = Rating {
            score: 4,
            comment: Some("故障测试评价".into()),
        };
        rater
            .rate_appeal(&open.key, rating.clone())
            .await
            .expect("rate");
        queued[ENTERPRISES - 1].rated = Some((server_id, rating));
        queued[ENTERPRISES - 1].workspace = rater.id().to_string();

        let files = dir.path().join("files");
        std::fs::create_dir_all(&files).expect("files dir");
        for j in 0..plan.uploads {
            let e = j % ENTERPRISES;
            let bytes = file_bytes(j, plan.upload_bytes);
            let p = files.join(format!("附件-{j}.pdf"));
            std::fs::write(&p, &bytes).expect("write file");
            let id = spaces[e]
                .add_material(&p, "appeal_attachment")
                .await
                .expect("add material");
            queued[e]
                .uploads
                .push((id, hex::encode(Sha256::digest(&bytes))));
        }
        for i in 0..plan.mutations {
            let e = (i / 5) % ENTERPRISES;
            let (ws, q) = (&spaces[e], &mut queued[e]);
            q.workspace = ws.id().to_string();
            match i % 5 {
                0 | 1 => {
                    let title = format!("故障测试诉求-{e}-{i}");
                    // Some appeals carry an attachment, so they wait for their upload.
                    let attachments = if i % 10 == 0 && !q.uploads.is_empty() {
                        vec![q.uploads[(i / 10) % q.uploads.len()].0.clone()]
                    } else {
                        vec![]
                    };
                    let id = ws
                        .create_appeal(NewAppeal {
                            category: AppealCategory::SupplyChain,
                            title: title.clone(),
                            description: format!("第 {i} 条：上游供应商停工，需要协调。"),
                            attachments,
                            contact: None,
                        })
                        .await
                        .expect("appeal");
                    q.appeals.push((id, title));
                }
                2 => q
                    .listings
                    .push(ws.create_listing(listing(e, i)).await.expect("listing")),
                3 => {
                    if let Some(l) = q
                        .listings
                        .iter()
                        .find(|l| !q.withdrawn.contains(*l))
                        .cloned()
                    {
                        ws.withdraw_listing(&l).await.expect("withdraw");
                        q.withdrawn.insert(l);
                    } else {
                        q.listings
                            .push(ws.create_listing(listing(e, i)).await.expect("listing"));
                    }
                }
                _ => {
                    let (a, _) = q.appeals.last().cloned().expect("an appeal exists");
                    ws.send_appeal_message(&a, &format!("补充说明 {i}"))
                        .await
                        .expect("message");
                    *q.messages.entry(a).or_default() += 1;
                }
            }
        }
        app.close().await;
    }

    // Through a faulty network, with the client killed in the middle of its work.
    proxy.set_rate(plan.fault_pct);
    let bin = client_binary();
    let spawn = || {
        Command::new(&bin)
            .arg(&data)
            .arg(&service)
            .arg(&url)
            .arg("50")
            .arg("262144")
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("YIQIFU_DEBUG_CLIENT").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("start the sync client")
    };
    let mut x: u64 = 0x2022_0601;
    let (mut runs, mut after_progress, mut mid_request) = (0, 0, 0);
    for k in 0..plan.kills {
        let before = service_state(&central.db).await;
        let mut child = spawn();
        runs += 1;
        // Work must have reached the service in this run before it is killed...
        let progressed = wait_for(
            &mut child,
            &format!("progress on the service in run {k}"),
            Duration::from_secs(120),
            || async { service_state(&central.db).await != before },
        )
        .await;
        assert!(
            progressed,
            "run {k} finished before it could be killed: the plan has too little work"
        );
        // ...and then it dies a random moment later, when a request is on the wire.
        tokio::time::sleep(Duration::from_millis(crate::xorshift(&mut x) % 200)).await;
        let cut = wait_for(
            &mut child,
            &format!("a request in flight in run {k}"),
            Duration::from_secs(60),
            || async { proxy.counts.in_flight.load(Ordering::Relaxed) > 0 },
        )
        .await;
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        after_progress += 1;
        if cut {
            mid_request += 1;
        }
    }
    // Kills that land between requests prove little: at least half must cut one.
    assert!(
        mid_request * 2 >= plan.kills,
        "only {mid_request} of {} kills cut a request in flight",
        plan.kills
    );
    let mut last = spawn();
    runs += 1;
    let deadline = Instant::now() + Duration::from_secs(900);
    let status = loop {
        if let Some(s) = last.try_wait().expect("wait") {
            break s;
        }
        assert!(Instant::now() < deadline, "the sync client did not finish");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    if !status.success() {
        let app = App::open(&data, kc.clone()).await.expect("open");
        let mut parked = Vec::new();
        for ws in app.workspaces() {
            parked.extend(ws.parked_items().await.unwrap_or_default());
        }
        panic!("the final sync run failed: {status}; parked: {parked:?}");
    }
    proxy.set_rate(0);

    for (e, q) in queued.iter().enumerate() {
        verify(&central, &data, &kc, e, q).await;
    }
    Report {
        elapsed: started.elapsed(),
        connections: proxy.counts.connections.load(Ordering::Relaxed),
        faults: proxy.counts.faults.load(Ordering::Relaxed),
        runs,
        kills_after_progress: after_progress,
        kills_mid_request: mid_request,
    }
}

async fn verify(
    central: &yiqifu_central::Running,
    data: &Path,
    kc: &yiqifu_core::secrets::Keychain,
    enterprise: usize,
    q: &Queued,
) {
    let (code, _) = demo_login_of(enterprise);
    let db = &central.db;
    // Each appeal exactly once, in its own enterprise's account and no other.
    // Each with its thread, which the service keeps in rows of its own.
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT json_set(a.body, '$.messages', (
                  SELECT json_group_array(json_object('from', m.party, 'body', m.body, 'at', m.at))
                    FROM (SELECT * FROM appeal_messages WHERE appeal_id = a.id ORDER BY n) m))
           FROM appeals a WHERE a.owner = ?",
    )
    .bind(&code)
    .fetch_all(db)
    .await
    .unwrap();
    let server_appeals: Vec<serde_json::Value> = rows
        .iter()
        .map(|(b,)| serde_json::from_str(b).unwrap())
        .collect();
    if let Some((id, rating)) = &q.rated {
        let rated = server_appeals
            .iter()
            .find(|a| a["id"] == id.as_str())
            .expect("the rated appeal");
        assert_eq!(
            rated["rating"],
            serde_json::to_value(rating).unwrap(),
            "rated once"
        );
    }
    // The demo's seeded appeals and listings are not the scenario's.
    let mut titles: Vec<&str> = server_appeals
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .filter(|t| t.starts_with("故障测试"))
        .collect();
    titles.sort();
    let mut want: Vec<&str> = q.appeals.iter().map(|(_, t)| t.as_str()).collect();
    want.sort();
    assert_eq!(
        titles, want,
        "every appeal of {code} exactly once, in its account"
    );
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM listings WHERE owner = ? AND json_extract(body, '$.item') LIKE '故障测试%'",
    )
        .bind(&code)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(
        n as usize,
        q.listings.len(),
        "every listing of {code} exactly once"
    );

    let app = App::open(data, kc.clone()).await.unwrap();
    let ws = app
        .workspace(&q.workspace)
        .expect("the enterprise's workspace");
    assert_eq!(ws.summary().queued, 0);
    assert_eq!(ws.summary().parked, 0);
    let local: HashMap<String, yiqifu_core::records::LocalRecord> = ws
        .records(None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.local_id.clone(), r))
        .collect();
    assert_eq!(
        local.len(),
        q.appeals.len() + q.listings.len(),
        "the workspace holds only its own enterprise's records"
    );
    // The client's state is the service's.
    for (id, _) in &q.appeals {
        let r = &local[id];
        let sid = r.server_id.as_deref().expect("appeal has its server id");
        let server = server_appeals
            .iter()
            .find(|a| a["id"] == sid)
            .expect("server has it");
        let enterprise_msgs = server["messages"].as_array().unwrap().len();
        assert_eq!(
            enterprise_msgs,
            q.messages.get(id).copied().unwrap_or(0),
            "messages of {id} exactly once"
        );
        let mine: serde_json::Value =
            serde_json::from_str(r.server_body.as_deref().unwrap()).unwrap();
        assert_eq!(
            mine["messages"], server["messages"],
            "local copy of {id} matches"
        );
    }
    for id in &q.listings {
        let r = &local[id];
        let sid = r.server_id.as_deref().expect("listing has its server id");
        let (state, owner): (String, String) =
            sqlx::query_as("SELECT state, owner FROM listings WHERE id = ?")
                .bind(sid)
                .fetch_one(db)
                .await
                .unwrap();
        assert_eq!(owner, code, "{id} is in its own enterprise's account");
        let expect = if q.withdrawn.contains(id) {
            "withdrawn"
        } else {
            "active"
        };
        assert_eq!(state, expect, "{id}");
        let mine: serde_json::Value =
            serde_json::from_str(r.server_body.as_deref().unwrap()).unwrap();
        assert_eq!(mine["state"], expect, "local copy of {id} matches");
    }
    // Every upload byte-identical on the service, and its own enterprise's.
    let dir = yiqifu_central::upload_dir_for(&central_db_path(central).await);
    for (local_id, sha) in &q.uploads {
        let (server_id,): (Option<String>,) =
            sqlx::query_as("SELECT server_id FROM uploads WHERE local_id = ?")
                .bind(local_id)
                .fetch_one(ws.store().pool())
                .await
                .unwrap();
        let server_id = server_id.expect("upload finished");
        let (stored, owner): (Option<String>, String) =
            sqlx::query_as("SELECT sha256, owner FROM uploads WHERE id = ?")
                .bind(&server_id)
                .fetch_one(db)
                .await
                .unwrap();
        assert_eq!(stored.as_deref(), Some(sha.as_str()));
        assert_eq!(owner, code, "upload {local_id} is its own enterprise's");
        let bytes = std::fs::read(dir.join(&server_id)).unwrap();
        assert_eq!(
            &hex::encode(Sha256::digest(&bytes)),
            sha,
            "bytes of {local_id}"
        );
    }
    app.close().await;
}

async fn central_db_path(central: &yiqifu_central::Running) -> PathBuf {
    let (file,): (String,) =
        sqlx::query_as("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(&central.db)
            .await
            .unwrap();
    PathBuf::from(file)
}
