//! The promise of the sync engine, tested end to end: mutations of mixed kinds and uploads
//! queued offline reach a real service exactly once through a faulty network, while the
//! client process is killed at random moments, and the client's state ends equal to the
//! service's.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use yiqifu_core::App;
use yiqifu_protocol::{AppealCategory, ListingCategory, ListingKind, NewAppeal, NewListing};

use crate::demo_login;
use crate::faultproxy::FaultProxy;

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

fn file_bytes(seed: usize, len: usize) -> Vec<u8> {
    let mut x = (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v = Vec::with_capacity(len);
    // A PDF header, so the content matches what the material allows.
    v.extend_from_slice(b"%PDF-1.7\n");
    while v.len() < len {
        v.extend_from_slice(&crate::xorshift(&mut x).to_le_bytes());
    }
    v.truncate(len);
    v
}

fn listing(i: usize) -> NewListing {
    NewListing {
        kind: if i.is_multiple_of(2) {
            ListingKind::Supply
        } else {
            ListingKind::Demand
        },
        category: ListingCategory::Materials,
        item: format!("故障测试物资-{i}"),
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

    // Offline preparation: sign in once, then queue everything.
    let mut appeals: Vec<(String, String)> = Vec::new(); // (local id, title)
    let mut listings: Vec<String> = Vec::new();
    let mut withdrawn: HashSet<String> = HashSet::new();
    let mut messages: HashMap<String, usize> = HashMap::new();
    let mut uploads: Vec<(String, String)> = Vec::new(); // (local id, sha256)
    {
        let app = App::open(&data, kc.clone()).await.expect("open");
        crate::sign_in_demo(&app, &url).await;
        let files = dir.path().join("files");
        std::fs::create_dir_all(&files).expect("files dir");
        for j in 0..plan.uploads {
            let bytes = file_bytes(j, plan.upload_bytes);
            let p = files.join(format!("附件-{j}.pdf"));
            std::fs::write(&p, &bytes).expect("write file");
            let id = app
                .add_material(&p, "appeal_attachment")
                .await
                .expect("add material");
            uploads.push((id, hex::encode(Sha256::digest(&bytes))));
        }
        for i in 0..plan.mutations {
            match i % 5 {
                0 | 1 => {
                    let title = format!("故障测试诉求-{i}");
                    // Some appeals carry an attachment, so they wait for their upload.
                    let attachments = if i % 10 == 0 && !uploads.is_empty() {
                        vec![uploads[(i / 10) % uploads.len()].0.clone()]
                    } else {
                        vec![]
                    };
                    let id = app
                        .create_appeal(NewAppeal {
                            category: AppealCategory::SupplyChain,
                            title: title.clone(),
                            description: format!("第 {i} 条：上游供应商停工，需要协调。"),
                            attachments,
                        })
                        .await
                        .expect("appeal");
                    appeals.push((id, title));
                }
                2 => listings.push(app.create_listing(listing(i)).await.expect("listing")),
                3 => {
                    if let Some(l) = listings.iter().find(|l| !withdrawn.contains(*l)).cloned() {
                        app.withdraw_listing(&l).await.expect("withdraw");
                        withdrawn.insert(l);
                    } else {
                        listings.push(app.create_listing(listing(i)).await.expect("listing"));
                    }
                }
                _ => {
                    let (a, _) = appeals.last().cloned().expect("an appeal exists");
                    app.send_appeal_message(&a, &format!("补充说明 {i}"))
                        .await
                        .expect("message");
                    *messages.entry(a).or_default() += 1;
                }
            }
        }
        app.store().close().await;
    }

    // Through a faulty network, with the client killed at random moments.
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
    let mut runs = 0;
    for _ in 0..plan.kills {
        let mut child = spawn();
        runs += 1;
        std::thread::sleep(Duration::from_millis(200 + crate::xorshift(&mut x) % 1500));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
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
        panic!(
            "the final sync run failed: {status}; parked: {:?}",
            app.parked_items().await.unwrap_or_default()
        );
    }
    proxy.set_rate(0);

    verify(
        &central, &data, &kc, &appeals, &listings, &withdrawn, &messages, &uploads,
    )
    .await;
    Report {
        elapsed: started.elapsed(),
        connections: proxy
            .counts
            .connections
            .load(std::sync::atomic::Ordering::Relaxed),
        faults: proxy
            .counts
            .faults
            .load(std::sync::atomic::Ordering::Relaxed),
        runs,
    }
}

#[allow(clippy::too_many_arguments)]
async fn verify(
    central: &yiqifu_central::Running,
    data: &Path,
    kc: &yiqifu_core::secrets::Keychain,
    appeals: &[(String, String)],
    listings: &[String],
    withdrawn: &HashSet<String>,
    messages: &HashMap<String, usize>,
    uploads: &[(String, String)],
) {
    let (code, _) = demo_login();
    let db = &central.db;
    // Each appeal exactly once.
    let rows: Vec<(String,)> = sqlx::query_as("SELECT body FROM appeals WHERE owner = ?")
        .bind(&code)
        .fetch_all(db)
        .await
        .unwrap();
    let server_appeals: Vec<serde_json::Value> = rows
        .iter()
        .map(|(b,)| serde_json::from_str(b).unwrap())
        .collect();
    let mut titles: Vec<&str> = server_appeals
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    titles.sort();
    let mut want: Vec<&str> = appeals.iter().map(|(_, t)| t.as_str()).collect();
    want.sort();
    assert_eq!(titles, want, "every appeal exactly once");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM listings WHERE owner = ?")
        .bind(&code)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(n as usize, listings.len(), "every listing exactly once");

    let app = App::open(data, kc.clone()).await.unwrap();
    assert_eq!(app.status().outbox_queued, 0);
    assert_eq!(app.status().outbox_parked, 0);
    let local: HashMap<String, yiqifu_core::app::LocalRecord> = app
        .records(None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.local_id.clone(), r))
        .collect();
    // The client's state is the service's.
    for (id, _) in appeals {
        let r = &local[id];
        let sid = r.server_id.as_deref().expect("appeal has its server id");
        let server = server_appeals
            .iter()
            .find(|a| a["id"] == sid)
            .expect("server has it");
        let enterprise_msgs = server["messages"].as_array().unwrap().len();
        assert_eq!(
            enterprise_msgs,
            messages.get(id).copied().unwrap_or(0),
            "messages of {id} exactly once"
        );
        let mine: serde_json::Value =
            serde_json::from_str(r.server_body.as_deref().unwrap()).unwrap();
        assert_eq!(
            mine["messages"], server["messages"],
            "local copy of {id} matches"
        );
    }
    for id in listings {
        let r = &local[id];
        let sid = r.server_id.as_deref().expect("listing has its server id");
        let (state,): (String,) = sqlx::query_as("SELECT state FROM listings WHERE id = ?")
            .bind(sid)
            .fetch_one(db)
            .await
            .unwrap();
        let expect = if withdrawn.contains(id) {
            "withdrawn"
        } else {
            "active"
        };
        assert_eq!(state, expect, "{id}");
        let mine: serde_json::Value =
            serde_json::from_str(r.server_body.as_deref().unwrap()).unwrap();
        assert_eq!(mine["state"], expect, "local copy of {id} matches");
    }
    // Every upload byte-identical on the service.
    let dir = yiqifu_central::upload_dir_for(&central_db_path(central).await);
    for (local_id, sha) in uploads {
        let (server_id,): (Option<String>,) =
            sqlx::query_as("SELECT server_id FROM uploads WHERE local_id = ?")
                .bind(local_id)
                .fetch_one(app.store().pool())
                .await
                .unwrap();
        let server_id = server_id.expect("upload finished");
        let (stored,): (Option<String>,) =
            sqlx::query_as("SELECT sha256 FROM uploads WHERE id = ?")
                .bind(&server_id)
                .fetch_one(db)
                .await
                .unwrap();
        assert_eq!(stored.as_deref(), Some(sha.as_str()));
        let bytes = std::fs::read(dir.join(&server_id)).unwrap();
        assert_eq!(
            &hex::encode(Sha256::digest(&bytes)),
            sha,
            "bytes of {local_id}"
        );
    }
}

async fn central_db_path(central: &yiqifu_central::Running) -> PathBuf {
    let (file,): (String,) =
        sqlx::query_as("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(&central.db)
            .await
            .unwrap();
    PathBuf::from(file)
}
