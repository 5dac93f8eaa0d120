//! `yiqifu-bench durability <output.md>`: what `synchronous=FULL` costs the service next to
//! `NORMAL`, measured on appeal submissions (each one commit of a record, its feed row and
//! its idempotency answer), one client at a time and five at once, each mode run twice in
//! turn so that a drift of the machine shows.

use std::time::{Duration, Instant};

use yiqifu_central::db::Durability;

use super::Res;

/// Submissions per client.
const EACH: usize = 200;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

struct Figures {
    requests: usize,
    wall: Duration,
    p50: Duration,
    p99: Duration,
}

async fn submit_all(url: &str, clients: usize) -> Res<Figures> {
    let mut tasks = Vec::new();
    let started = Instant::now();
    for i in 0..clients {
        let token = yiqifu_tests::demo_access_token(url, i).await;
        let url = url.to_string();
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut took = Vec::with_capacity(EACH);
            for n in 0..EACH {
                let body = serde_json::json!({
                    "category": "logistics",
                    "title": format!("通行证续办 {i}-{n}"),
                    "description": "货车通行证到期，需续办。",
                    "attachments": [],
                });
                let t = Instant::now();
                let resp = http
                    .post(format!("{url}/api/v1/appeals"))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", format!("bench-{i}-{n}"))
                    .json(&body)
                    .send()
                    .await
                    .map_err(err)?;
                if !resp.status().is_success() {
                    return Err(format!("appeal answered {}", resp.status()));
                }
                took.push(t.elapsed());
            }
            Ok::<_, String>(took)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.map_err(err)??);
    }
    let wall = started.elapsed();
    all.sort();
    let at = |q: f64| all[((all.len() - 1) as f64 * q).round() as usize];
    Ok(Figures {
        requests: all.len(),
        wall,
        p50: at(0.5),
        p99: at(0.99),
    })
}

async fn one_run(durability: Durability, clients: usize) -> Res<Figures> {
    // On the disk the service would use, not a RAM-backed /tmp: fsync is what is measured.
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&base).map_err(err)?;
    let dir = tempfile::tempdir_in(&base).map_err(err)?;
    let central = yiqifu_central::start(yiqifu_central::Config {
        addr: (std::net::Ipv4Addr::LOCALHOST, 0).into(),
        database: yiqifu_central::Database::Sqlite(dir.path().join("central.sqlite")),
        uploads: None,
        demo: true,
        scale: 0,
        durability,
        body_idle: yiqifu_central::BODY_IDLE,
        header_read: yiqifu_central::HEADER_READ,
    })
    .await
    .map_err(err)?;
    let figures = submit_all(&central.url(), clients).await;
    central.stop().await;
    figures
}

pub async fn run() -> Res<String> {
    let mut rows = String::from(
        "| synchronous | clients | submissions | wall | per second | p50 | p99 |\n|---|---|---|---|---|---|---|\n",
    );
    // Five: the demo seeds five enterprises, each signing in once.
    for clients in [1, 5] {
        for round in 0..2 {
            for (name, d) in [("NORMAL", Durability::Normal), ("FULL", Durability::Full)] {
                let f = one_run(d, clients).await?;
                println!(
                    "durability: {name} {clients} client(s), round {round}: {:?}",
                    f.wall
                );
                rows.push_str(&format!(
                    "| {name} | {clients} | {} | {:.2} s | {:.0} | {:.1} ms | {:.1} ms |\n",
                    f.requests,
                    f.wall.as_secs_f64(),
                    f.requests as f64 / f.wall.as_secs_f64(),
                    f.p50.as_secs_f64() * 1e3,
                    f.p99.as_secs_f64() * 1e3,
                ));
            }
        }
    }
    Ok(rows)
}
