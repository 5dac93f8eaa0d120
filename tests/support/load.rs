//! `cargo xtask load`: the central service under a city's syncing desktop clients, on SQLite
//! and on PostgreSQL, on this machine. Writes a Markdown section to the path given.
//!
//! Each backend gets a database seeded with 10,000 enterprises and 20,000 catalog documents
//! (plus the demo data), served by the release `yiqifu-central` binary in a process of its
//! own, so its CPU time and peak memory are its own. Then 1,000 simulated clients sign in and
//! behave as the desktop client's sync worker does: every sync pulls each feed from the
//! client's cursor with the last ETag (the five catalog feeds, the inbox, the appeals, the
//! market) and reads the profile, the applications and its own listings; now and then a
//! client files an appeal, posts a listing or uploads a 1–5 MB attachment over tus, each
//! with an idempotency key. The clients start at the catalog's head, as clients that synced
//! before (a first sync of 20,000 documents is a once-in-a-laptop's-life event).
//!
//! The load rises in steps: the app syncs every 30 s when idle, so 1,000 clients syncing every
//! 30 s is the first step, and shorter intervals stand for more clients (1,000 every 10 s is
//! the load of 3,000). Each step runs a minute and reports, per route class, throughput and
//! latency (p50, p99, max) and errors; the ladder stops at the first step whose p99 passes
//! 200 ms or that has an error. The load stays on loopback, bounded in clients, requests and
//! time.
//!
//! `yiqifu-load burst` is a whitelist batch opening (2022's batches drew thousands of firms
//! within hours): on PostgreSQL, beside the 1,000 clients syncing at the app's 30 s, an
//! enterprise applies every 1.8 s (2,000 an hour) for 5 minutes, each signing in, sending
//! its profile, answering the self-check (its evidence uploaded), uploading 50 MB of
//! materials in 1 MiB tus chunks and submitting. About 28 MB/s, 8 GB, deleted afterwards.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use hdrhistogram::Histogram;
use rand::Rng;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use yiqifu_central::Database;

#[allow(dead_code)]
#[path = "../../crates/central/tests/common/postgres.rs"]
mod postgres;

#[path = "../../crates/central/tests/common/answers.rs"]
mod answers;

const ENTERPRISES: usize = 10_000;
const DOCUMENTS: usize = 20_000;
const CLIENTS: usize = 1_000;
/// The sync intervals of the steps: 30 s is the app's own when idle.
const INTERVALS: [f64; 5] = [30.0, 10.0, 5.0, 2.5, 1.25];
/// How long each step runs: 60 s, or `YIQIFU_LOAD_STEP_SECS` for a quick look.
fn step() -> Duration {
    std::env::var("YIQIFU_LOAD_STEP_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(60), Duration::from_secs)
}
const TARGET_P99_MS: f64 = 200.0;
/// Connections: clients share this many HTTP clients (each keeps its own connections).
const HTTP_CLIENTS: usize = 100;

const CATALOG_FEEDS: [&str; 5] = [
    "/api/v1/catalog/documents",
    "/api/v1/catalog/templates",
    "/api/v1/catalog/material-rules",
    "/api/v1/catalog/calendar",
    "/api/v1/catalog/attachment-rules",
];
const OWN_FEEDS: [&str; 3] = ["/api/v1/inbox", "/api/v1/appeals", "/api/v1/listings"];
const LISTS: [&str; 3] = [
    "/api/v1/profile",
    "/api/v1/applications?limit=50",
    "/api/v1/listings/mine?limit=50",
];

const CLASSES: [&str; 8] = [
    "sign-in",
    "catalog feeds",
    "own feeds",
    "profile and lists",
    "creates (appeal, listing)",
    "uploads (tus)",
    "burst: an application's uploads",
    "burst: submissions",
];

/// The batch's pace: 2,000 applications an hour.
const BURST_PER_HOUR: f64 = 2000.0;
/// Each application's materials, in MiB.
const BURST_MIB: usize = 50;
/// How long applications keep coming: 5 minutes, or `YIQIFU_BURST_SECS`.
fn burst_secs() -> Duration {
    std::env::var("YIQIFU_BURST_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(300), Duration::from_secs)
}

type Res<T> = std::result::Result<T, String>;

#[derive(Default)]
struct Class {
    latencies: Option<Histogram<u64>>,
    errors: u64,
    first_error: Option<String>,
}

/// What one step measured, per route class.
#[derive(Default)]
struct Stats(Mutex<HashMap<&'static str, Class>>);

impl Stats {
    fn record(&self, class: &'static str, took: Duration, outcome: Result<(), String>) {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let c = all.entry(class).or_default();
        match outcome {
            Ok(()) => {
                let h = c.latencies.get_or_insert_with(|| {
                    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid bounds")
                });
                let _ = h.record(took.as_micros().clamp(1, 600_000_000) as u64);
            }
            Err(e) => {
                c.errors += 1;
                c.first_error.get_or_insert(e);
            }
        }
    }

    fn take(&self) -> HashMap<&'static str, Class> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

struct Ctx {
    base: String,
    http: Vec<Client>,
    stats: Stats,
    /// The sync interval of the step running, in milliseconds.
    interval_ms: AtomicU64,
    /// Each catalog feed's head: (cursor, ETag), as a client that synced before holds them.
    heads: HashMap<&'static str, (String, Option<String>)>,
    attachments: Vec<(Vec<u8>, &'static str)>,
    stop: tokio::sync::watch::Receiver<bool>,
}

fn main() -> ExitCode {
    let (Some(part), Some(out)) = (std::env::args().nth(1), std::env::args().nth(2)) else {
        eprintln!("usage: yiqifu-load <ladder|burst> <output.md>");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("yiqifu-load: {e}");
            return ExitCode::FAILURE;
        }
    };
    let done = match part.as_str() {
        "ladder" => runtime.block_on(run()),
        "burst" => runtime.block_on(burst_run()),
        other => Err(format!("no part {other:?}: ladder or burst")),
    };
    match done {
        Ok(doc) => match std::fs::write(&out, doc) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("yiqifu-load: cannot write {out}: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("yiqifu-load: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Res<String> {
    let mut doc = format!(
        "{} enterprises and {} catalog documents; {} clients that \
         sync as the app does (8 feeds from their cursors with ETags, then the profile and two \
         lists: 11 requests a sync), 2% of syncs also filing an appeal, 1% posting a listing \
         and 0.5% uploading a 1–5 MB attachment in 1 MiB tus chunks. Release builds, loopback, \
         {} s a step; the step's interval stands for that many more clients at the app's 30 s. \
         Latencies in ms. The generator, the service and PostgreSQL share the machine's \
         cores, so where the target stops holding is where the machine's CPU runs out.\n\n",
        thousands(ENTERPRISES),
        thousands(DOCUMENTS),
        thousands(CLIENTS),
        step().as_secs()
    );
    for backend in ["SQLite", "PostgreSQL"] {
        println!("==> {backend}");
        doc.push_str(&format!("### {backend}\n\n"));
        doc.push_str(&backend_run(backend).await?);
        doc.push('\n');
    }
    Ok(doc)
}

/// A seeded service with [`CLIENTS`] clients syncing against it, until [`Load::stop`].
struct Load {
    service: tokio::process::Child,
    pid: u32,
    ctx: Arc<Ctx>,
    stop: tokio::sync::watch::Sender<bool>,
    clients: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    /// Seeds `database`, serves it with its uploads in `uploads`, and starts every client
    /// (each signs in within the first interval); requests give up after `timeout`.
    async fn start(database: &Database, uploads: &Path, timeout: Duration) -> Res<Self> {
        let started = Instant::now();
        seed(database).await?;
        println!(
            "    seeded {} enterprises and {} documents in {:.0} s",
            thousands(ENTERPRISES),
            thousands(DOCUMENTS),
            started.elapsed().as_secs_f64()
        );
        let (service, base) = serve(database, uploads).await?;
        let pid = service.id().ok_or("the service has no pid")?;

        let http: Vec<Client> = (0..HTTP_CLIENTS)
            .map(|_| {
                Client::builder()
                    .timeout(timeout)
                    .build()
                    .map_err(|e| e.to_string())
            })
            .collect::<Res<_>>()?;
        let heads = catalog_heads(&http[0], &base).await?;
        let attachments = (1..=5)
            .map(|mb| {
                yiqifu_files::samples::for_formats(&["pdf"], mb * 1024 * 1024, mb as u64)
                    .ok_or_else(|| "no PDF sample".to_string())
            })
            .collect::<Res<Vec<_>>>()?;
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        let ctx = Arc::new(Ctx {
            base,
            http,
            stats: Stats::default(),
            interval_ms: AtomicU64::new((INTERVALS[0] * 1000.0) as u64),
            heads,
            attachments,
            stop,
        });

        let clients = (0..CLIENTS)
            .map(|i| tokio::spawn(client(ctx.clone(), i)))
            .collect();
        Ok(Self {
            service,
            pid,
            ctx,
            stop: stop_tx,
            clients,
        })
    }

    /// Stops the clients (each ends within its 70 s) and the service; the service's peak
    /// memory in MiB.
    async fn stop(mut self) -> f64 {
        let _ = self.stop.send(true);
        for c in self.clients {
            let _ = tokio::time::timeout(Duration::from_secs(70), c).await;
        }
        let peak = peak_rss_mib(self.pid);
        let _ = self.service.kill().await;
        peak
    }
}

async fn backend_run(backend: &str) -> Res<String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let database = if backend == "SQLite" {
        Database::Sqlite(dir.path().join("central.sqlite"))
    } else {
        Database::Postgres(postgres::fresh_database().await)
    };
    // Sign-in: every client, spread over the first interval, as a morning's laptops.
    let load = Load::start(
        &database,
        &dir.path().join("uploads"),
        Duration::from_secs(60),
    )
    .await?;
    let (ctx, pid) = (load.ctx.clone(), load.pid);
    tokio::time::sleep(Duration::from_secs_f64(INTERVALS[0])).await;
    let signin = ctx.stats.take();

    let mut out = String::new();
    out.push_str(
        "| clients (at 30 s) | route class | requests/s | p50 | p99 | max | errors |\n\
         |---:|---|---:|---:|---:|---:|---:|\n",
    );
    out.push_str(&rows("1,000 signing in", &signin, INTERVALS[0]));
    let mut held = None;
    let mut resources = Vec::new();
    for interval in INTERVALS {
        ctx.interval_ms
            .store((interval * 1000.0) as u64, Ordering::Relaxed);
        // One interval to settle into the new pace, then the step.
        tokio::time::sleep(Duration::from_secs_f64(interval.min(10.0))).await;
        let _ = ctx.stats.take();
        let cpu_before = cpu_seconds(pid);
        let machine_before = machine_busy();
        tokio::time::sleep(step()).await;
        let classes = ctx.stats.take();
        let cpu = cpu_seconds(pid) - cpu_before;
        let machine = machine_busy();
        let equivalent = (CLIENTS as f64 * 30.0 / interval).round() as usize;
        out.push_str(&rows(
            &thousands(equivalent),
            &classes,
            step().as_secs_f64(),
        ));
        let (worst, errors) = worst_p99(&classes);
        let machine_pct = match (machine_before, machine) {
            (Some((b0, t0)), Some((b1, t1))) if t1 > t0 => 100.0 * (b1 - b0) / (t1 - t0),
            _ => f64::NAN,
        };
        resources.push(format!(
            "{}: service CPU {:.0}% of one core, machine {:.0}% busy",
            thousands(equivalent),
            100.0 * cpu / step().as_secs_f64(),
            machine_pct
        ));
        println!(
            "    {} clients: worst p99 {worst:.1} ms, {errors} errors",
            thousands(equivalent)
        );
        if worst > TARGET_P99_MS || errors > 0 {
            break;
        }
        held = Some(equivalent);
    }
    let peak = load.stop().await;

    out.push('\n');
    out.push_str(&format!(
        "Held the target (p99 under {TARGET_P99_MS:.0} ms on every route class, no error) up to \
         {} clients. Service peak memory {peak:.0} MiB (VmHWM). {}.\n",
        held.map_or("no".into(), thousands),
        resources.join("; ")
    ));
    Ok(out)
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn rows(clients: &str, classes: &HashMap<&'static str, Class>, secs: f64) -> String {
    let mut out = String::new();
    for class in CLASSES {
        let Some(c) = classes.get(class) else {
            continue;
        };
        let n = c.latencies.as_ref().map_or(0, |h| h.len());
        let ms = |q: f64| {
            c.latencies
                .as_ref()
                .map_or(f64::NAN, |h| h.value_at_quantile(q) as f64 / 1000.0)
        };
        let max = c
            .latencies
            .as_ref()
            .map_or(f64::NAN, |h| h.max() as f64 / 1000.0);
        let errors = match &c.first_error {
            Some(e) => format!("{} (first: {})", c.errors, e.replace('|', "/")),
            None => "0".into(),
        };
        out.push_str(&format!(
            "| {clients} | {class} | {:.1} | {:.1} | {:.1} | {:.1} | {errors} |\n",
            n as f64 / secs,
            ms(0.5),
            ms(0.99),
            max
        ));
    }
    out
}

fn worst_p99(classes: &HashMap<&'static str, Class>) -> (f64, u64) {
    let mut worst = 0.0f64;
    let mut errors = 0;
    for c in classes.values() {
        if let Some(h) = &c.latencies {
            worst = worst.max(h.value_at_quantile(0.99) as f64 / 1000.0);
        }
        errors += c.errors;
    }
    (worst, errors)
}

/// User and system CPU seconds of a process, from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return f64::NAN;
    };
    // The fields after the command name, which may hold spaces, closed by ')'.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return f64::NAN;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// The whole machine's (busy, total) jiffies, from /proc/stat.
fn machine_busy() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?;
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: f64 = v.iter().sum();
    let idle = v.get(3).copied().unwrap_or(0.0) + v.get(4).copied().unwrap_or(0.0);
    Some((total - idle, total))
}

fn peak_rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The demo data, then the city: enterprises with valid credit codes (one password hash
/// shared by all, so seeding is not minutes of argon2) and synthetic policies.
async fn seed(database: &Database) -> Res<()> {
    let db = yiqifu_central::db::connect(database, Default::default())
        .await
        .map_err(|e| e.to_string())?;
    yiqifu_central::seed::seed_demo(&db)
        .await
        .map_err(|e| e.to_string())?;
    let hash = yiqifu_central::auth::hash_password(&password(0)).map_err(|e| e.to_string())?;
    let districts = ["浦东新区", "闵行区", "嘉定区", "松江区", "静安区", "徐汇区"];
    let mut tx = yiqifu_central::db::begin_write(&db)
        .await
        .map_err(|e| e.to_string())?;
    for i in 0..ENTERPRISES {
        sqlx::query(
            "INSERT INTO enterprises (credit_code, name, district, industry, password_hash, created_at)
             VALUES ($1, $2, $3, '制造业', $4, 0)",
        )
        .bind(credit_code(i))
        .bind(format!("负载测试企业 {i} 有限公司"))
        .bind(districts[i % districts.len()])
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    yiqifu_central::seed::seed_scale(&db, DOCUMENTS)
        .await
        .map_err(|e| e.to_string())?;
    db.close().await;
    Ok(())
}

fn credit_code(i: usize) -> String {
    let body = format!("91310000{i:09}");
    let check = yiqifu_protocol::credit_code::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

fn password(_: usize) -> String {
    "Load@2022".into()
}

/// The release service binary beside this one, serving `database`.
async fn serve(database: &Database, uploads: &Path) -> Res<(tokio::process::Child, String)> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin: PathBuf =
        exe.with_file_name(format!("yiqifu-central{}", std::env::consts::EXE_SUFFIX));
    let db_arg = match database {
        Database::Sqlite(p) => p.as_os_str().to_owned(),
        Database::Postgres(url) => url.into(),
    };
    let mut child = tokio::process::Command::new(&bin)
        .args(["--addr", "127.0.0.1:0", "--db"])
        .arg(db_arg)
        .arg("--uploads")
        .arg(uploads)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let base = tokio::time::timeout(Duration::from_secs(120), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(url) = line.strip_prefix("yiqifu-central listening on ") {
                return Ok(url.to_string());
            }
        }
        Err("the service ended without serving".to_string())
    })
    .await
    .map_err(|_| "the service did not serve within 120 s".to_string())??;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, base))
}

async fn sign_in(http: &Client, base: &str, i: usize) -> Res<String> {
    let r = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"credit_code": credit_code(i), "password": password(i)}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != StatusCode::OK {
        return Err(format!("sign-in {}", r.status()));
    }
    let v: Value = r.json().await.map_err(|e| e.to_string())?;
    v["access_token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "no access token".into())
}

/// Pulls every catalog feed to its head once, as the clients all did some day before.
async fn catalog_heads(
    http: &Client,
    base: &str,
) -> Res<HashMap<&'static str, (String, Option<String>)>> {
    let token = sign_in(http, base, 0).await?;
    let mut heads = HashMap::new();
    for feed in CATALOG_FEEDS {
        let mut cursor = String::new();
        loop {
            let (page, etag) = pull(http, base, &token, feed, &cursor, None).await?;
            let Some(page) = page else {
                return Err(format!("{feed}: 304 without a validator"));
            };
            cursor = page["next_cursor"].as_str().unwrap_or_default().to_string();
            if !page["has_more"].as_bool().unwrap_or(false) {
                heads.insert(feed, (cursor, etag));
                break;
            }
        }
    }
    Ok(heads)
}

/// One page of a feed; `None` for 304. Returns the page's ETag.
async fn pull(
    http: &Client,
    base: &str,
    token: &str,
    feed: &str,
    cursor: &str,
    etag: Option<&str>,
) -> Res<(Option<Value>, Option<String>)> {
    let mut req = http
        .get(format!("{base}{feed}"))
        .bearer_auth(token)
        .query(&[("limit", "500")]);
    if !cursor.is_empty() {
        req = req.query(&[("cursor", cursor)]);
    }
    if let Some(tag) = etag {
        req = req.header("If-None-Match", tag);
    }
    let r = req.send().await.map_err(|e| e.to_string())?;
    match r.status() {
        StatusCode::NOT_MODIFIED => Ok((None, etag.map(str::to_string))),
        StatusCode::OK => {
            let tag = r
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            Ok((Some(r.json().await.map_err(|e| e.to_string())?), tag))
        }
        other => Err(format!("{feed} {other}")),
    }
}

async fn client(ctx: Arc<Ctx>, i: usize) {
    let http = ctx.http[i % ctx.http.len()].clone();
    let mut stop = ctx.stop.clone();
    let first = ctx.interval_ms.load(Ordering::Relaxed);
    let offset = rand::thread_rng().gen_range(0..first.max(1));
    tokio::time::sleep(Duration::from_millis(offset)).await;
    let started = Instant::now();
    let token = sign_in(&http, &ctx.base, i).await;
    ctx.stats.record(
        "sign-in",
        started.elapsed(),
        token.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    let Ok(token) = token else {
        return;
    };
    let mut cursors: HashMap<&'static str, (String, Option<String>)> = ctx.heads.clone();
    let mut n = 0u64;
    loop {
        sync(&ctx, &http, &token, &mut cursors, i, n).await;
        n += 1;
        let interval = ctx.interval_ms.load(Ordering::Relaxed);
        // ±20% around the interval, so that the clients do not fall into step.
        let pause = rand::thread_rng().gen_range(interval * 8 / 10..=interval * 12 / 10);
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(pause)) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn sync(
    ctx: &Ctx,
    http: &Client,
    token: &str,
    cursors: &mut HashMap<&'static str, (String, Option<String>)>,
    i: usize,
    n: u64,
) {
    for feed in CATALOG_FEEDS.iter().chain(OWN_FEEDS.iter()) {
        let class = if CATALOG_FEEDS.contains(feed) {
            "catalog feeds"
        } else {
            "own feeds"
        };
        loop {
            let (cursor, etag) = cursors.get(feed).cloned().unwrap_or_default();
            let started = Instant::now();
            let got = pull(http, &ctx.base, token, feed, &cursor, etag.as_deref()).await;
            let took = started.elapsed();
            match got {
                Ok((None, _)) => {
                    ctx.stats.record(class, took, Ok(()));
                    break;
                }
                Ok((Some(page), tag)) => {
                    ctx.stats.record(class, took, Ok(()));
                    let next = page["next_cursor"].as_str().unwrap_or_default().to_string();
                    let more = page["has_more"].as_bool().unwrap_or(false);
                    cursors.insert(*feed, (next, if more { None } else { tag }));
                    if !more {
                        break;
                    }
                }
                Err(e) => {
                    ctx.stats.record(class, took, Err(e));
                    break;
                }
            }
        }
    }
    for path in LISTS {
        let started = Instant::now();
        let r = http
            .get(format!("{}{path}", ctx.base))
            .bearer_auth(token)
            .send()
            .await;
        let outcome = match r {
            // An enterprise that never saved its profile has none: an answer, not an error.
            Ok(r) if r.status().is_success() || r.status() == StatusCode::NOT_FOUND => {
                let _ = r.bytes().await;
                Ok(())
            }
            Ok(r) => Err(format!("{path} {}", r.status())),
            Err(e) => Err(e.to_string()),
        };
        ctx.stats
            .record("profile and lists", started.elapsed(), outcome);
    }
    let roll: f64 = rand::thread_rng().gen();
    if roll < 0.02 {
        let body = json!({
            "category": "supply_chain", "title": format!("原料通行证 {i}-{n}"),
            "description": "上游供应商位于封控区，需协调原料通行证。",
            "attachments": [],
            "contact": {"name": "周凯", "phone": "021-57761208"}
        });
        create(
            ctx,
            http,
            token,
            "/api/v1/appeals",
            &format!("a-{i}-{n}"),
            &body,
        )
        .await;
    } else if roll < 0.03 {
        let until = (time::OffsetDateTime::now_utc().date() + time::Duration::days(14)).to_string();
        let body = json!({
            "kind": if n.is_multiple_of(2) { "supply" } else { "demand" }, "category": "supplies",
            "item": format!("医用口罩 {i}-{n}"), "quantity": 1000.0, "unit": "只",
            "district": "嘉定区", "valid_until": until, "contact_name": "李强",
            "contact_phone": "13800000000", "note": null
        });
        create(
            ctx,
            http,
            token,
            "/api/v1/listings",
            &format!("l-{i}-{n}"),
            &body,
        )
        .await;
    } else if roll < 0.035 {
        let (bytes, ext) = &ctx.attachments[(i + n as usize) % ctx.attachments.len()];
        let started = Instant::now();
        let name = format!("附件.{ext}");
        let outcome = upload(&ctx.base, http, token, "appeal_attachment", &name, bytes).await;
        ctx.stats
            .record("uploads (tus)", started.elapsed(), outcome.map(|_| ()));
    }
}

async fn create(ctx: &Ctx, http: &Client, token: &str, path: &str, key: &str, body: &Value) {
    let started = Instant::now();
    let r = http
        .post(format!("{}{path}", ctx.base))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await;
    let outcome = match r {
        Ok(r) if r.status() == StatusCode::CREATED => Ok(()),
        Ok(r) => Err(format!("{path} {}", r.status())),
        Err(e) => Err(e.to_string()),
    };
    ctx.stats
        .record("creates (appeal, listing)", started.elapsed(), outcome);
}

/// A tus upload in 1 MiB chunks, each with its checksum, as the client sends one; the
/// upload's id.
async fn upload(
    base: &str,
    http: &Client,
    token: &str,
    material_type: &str,
    name: &str,
    bytes: &[u8],
) -> Res<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let r = http
        .post(format!("{base}/api/v1/uploads"))
        .bearer_auth(token)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", bytes.len().to_string())
        .header(
            "Upload-Metadata",
            format!(
                "material_type {},filename {}",
                b64(material_type),
                b64(name)
            ),
        )
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != StatusCode::CREATED {
        return Err(format!("tus create {}", r.status()));
    }
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Location")?
        .to_string();
    let id = location.rsplit('/').next().unwrap_or_default().to_string();
    let mut offset = 0;
    while offset < bytes.len() {
        let end = (offset + 1024 * 1024).min(bytes.len());
        let chunk = &bytes[offset..end];
        let digest = {
            use sha2::Digest;
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(chunk))
        };
        let r = http
            .request(Method::PATCH, format!("{base}/api/v1/uploads/{id}"))
            .bearer_auth(token)
            .header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Checksum", format!("sha256 {digest}"))
            .body(chunk.to_vec())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if r.status() != StatusCode::NO_CONTENT {
            let status = r.status();
            let text = r.text().await.unwrap_or_default();
            return Err(format!("tus patch {status} {text}"));
        }
        offset = end;
    }
    Ok(id)
}

/// What every application of the batch sends, made once: the self-check template and the
/// material rules as published, the materials (about [`BURST_MIB`] MiB over the required
/// rules) and a small file for each evidence item.
struct Batch {
    template: yiqifu_protocol::SelfCheckTemplate,
    materials: Vec<(String, String, Vec<u8>)>,
    evidence: HashMap<String, (String, Vec<u8>)>,
    bytes: u64,
}

/// The first page (up to 500) of a catalog feed's items.
async fn feed_items(http: &Client, base: &str, token: &str, path: &str) -> Res<Value> {
    let page: Value = http
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .query(&[("limit", "500")])
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    Ok(page["items"].clone())
}

async fn batch(http: &Client, base: &str, token: &str) -> Res<Batch> {
    let mut templates: Vec<yiqifu_protocol::SelfCheckTemplate> =
        serde_json::from_value(feed_items(http, base, token, "/api/v1/catalog/templates").await?)
            .map_err(|e| format!("templates: {e}"))?;
    templates.sort_by_key(|t| t.version);
    let template = templates.pop().ok_or("no self-check template")?;
    let rules: Vec<yiqifu_protocol::MaterialRule> = serde_json::from_value(
        feed_items(http, base, token, "/api/v1/catalog/material-rules").await?,
    )
    .map_err(|e| format!("material rules: {e}"))?;
    let required: Vec<_> = rules.iter().filter(|r| r.required).collect();
    // The materials share the total, each under its rule's largest size.
    let mut left = (BURST_MIB * 1024 * 1024) as u64;
    let mut materials = Vec::new();
    for (k, rule) in required.iter().enumerate() {
        let share = left / (required.len() - k) as u64;
        let size = share.min(rule.max_bytes.saturating_sub(64 * 1024));
        let (bytes, ext) =
            yiqifu_files::samples::for_formats(&rule.formats, size as usize, k as u64 + 7)
                .ok_or_else(|| format!("no sample of {}", rule.material_type))?;
        left = left.saturating_sub(bytes.len() as u64);
        materials.push((
            rule.material_type.clone(),
            format!("{}.{ext}", rule.name),
            bytes,
        ));
    }
    let mut evidence = HashMap::new();
    for rule in &rules {
        if let Some((bytes, ext)) = yiqifu_files::samples::for_formats(&rule.formats, 2048, 3) {
            evidence.insert(
                rule.material_type.clone(),
                (format!("{}.{ext}", rule.name), bytes),
            );
        }
    }
    let bytes = materials.iter().map(|m| m.2.len() as u64).sum();
    Ok(Batch {
        template,
        materials,
        evidence,
        bytes,
    })
}

/// One enterprise of the batch applies, as its officer's app would send it.
async fn apply(ctx: &Ctx, batch: &Batch, sent: &AtomicU64, j: usize) -> Res<()> {
    let http = &ctx.http[j % ctx.http.len()];
    let base = &ctx.base;
    let token = sign_in(http, base, j).await?;
    let districts = ["浦东新区", "闵行区", "嘉定区", "松江区", "静安区", "徐汇区"];
    let profile = answers::profile(districts[j % districts.len()], "制造业", j);
    let r = http
        .put(format!("{base}/api/v1/profile"))
        .bearer_auth(&token)
        .json(&profile)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !r.status().is_success() {
        return Err(format!("profile {}", r.status()));
    }
    let mut answers = answers::passing(&batch.template, &profile);
    for a in &mut answers {
        if let yiqifu_protocol::AnswerValue::Evidence(material_type) = &a.value {
            let (name, bytes) = batch
                .evidence
                .get(material_type)
                .ok_or_else(|| format!("no sample for evidence {material_type}"))?;
            let id = upload(base, http, &token, material_type, name, bytes).await?;
            a.value = yiqifu_protocol::AnswerValue::Evidence(id);
        }
    }
    let started = Instant::now();
    let mut materials = Vec::new();
    for (material_type, name, bytes) in &batch.materials {
        let id = upload(base, http, &token, material_type, name, bytes).await;
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                ctx.stats.record(
                    "burst: an application's uploads",
                    started.elapsed(),
                    Err(e.clone()),
                );
                return Err(e);
            }
        };
        sent.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        materials.push(json!({"material_type": material_type, "upload_id": id}));
    }
    ctx.stats
        .record("burst: an application's uploads", started.elapsed(), Ok(()));
    let body = json!({
        "contact_name": "王敏",
        "contact_phone": "021-5888 1234",
        "returning_staff": 100,
        "selfcheck": {
            "template_id": batch.template.id,
            "template_version": batch.template.version,
            "answers": answers
        },
        "materials": materials,
        "note": "白名单批次申报。"
    });
    let started = Instant::now();
    let r = http
        .post(format!("{base}/api/v1/applications"))
        .bearer_auth(&token)
        .header("Idempotency-Key", format!("burst-{j}"))
        .json(&body)
        .send()
        .await;
    let outcome = match r {
        Ok(r) if r.status() == StatusCode::CREATED => Ok(()),
        Ok(r) => {
            let status = r.status();
            Err(format!(
                "submit {status} {}",
                r.text().await.unwrap_or_default()
            ))
        }
        Err(e) => Err(e.to_string()),
    };
    ctx.stats
        .record("burst: submissions", started.elapsed(), outcome.clone());
    outcome
}

/// Bytes in the files under `dir`.
fn disk_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

async fn burst_run() -> Res<String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = postgres::fresh_database().await;
    let database = Database::Postgres(url.clone());
    let uploads = dir.path().join("uploads");
    let load = Load::start(&database, &uploads, Duration::from_secs(120)).await?;
    let (ctx, pid) = (load.ctx.clone(), load.pid);
    let token = sign_in(&ctx.http[0], &ctx.base, CLIENTS).await?;
    let batch = Arc::new(batch(&ctx.http[0], &ctx.base, &token).await?);
    // Signed in and syncing at the app's pace, then a minute without the batch to compare.
    tokio::time::sleep(Duration::from_secs_f64(INTERVALS[0])).await;
    let _ = ctx.stats.take();
    tokio::time::sleep(step()).await;
    let before = ctx.stats.take();

    println!(
        "    the batch opens: one application every {:.1} s for {} s, {:.1} MiB each",
        3600.0 / BURST_PER_HOUR,
        burst_secs().as_secs(),
        batch.bytes as f64 / 1048576.0
    );
    let sent = Arc::new(AtomicU64::new(0));
    let cpu_before = cpu_seconds(pid);
    let machine_before = machine_busy();
    let opened = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(3600.0 / BURST_PER_HOUR));
    let mut applying = Vec::new();
    let mut offered = 0usize;
    while opened.elapsed() < burst_secs() && CLIENTS + 1 + offered < ENTERPRISES {
        tick.tick().await;
        let (ctx, batch, sent) = (ctx.clone(), batch.clone(), sent.clone());
        let j = CLIENTS + 1 + offered;
        applying.push(tokio::spawn(
            async move { apply(&ctx, &batch, &sent, j).await },
        ));
        offered += 1;
    }
    let window = opened.elapsed();
    let sent_in_window = sent.load(Ordering::Relaxed);
    let peak_disk = disk_bytes(&uploads);
    // The applications still sending finish (or not) within 5 more minutes.
    let mut done = 0;
    let mut failed = Vec::new();
    for a in applying {
        match tokio::time::timeout(Duration::from_secs(300), a).await {
            Ok(Ok(Ok(()))) => done += 1,
            Ok(Ok(Err(e))) => failed.push(e),
            Ok(Err(e)) => failed.push(e.to_string()),
            Err(_) => failed.push("still sending 5 minutes after the batch closed".into()),
        }
    }
    let all = opened.elapsed();
    let cpu = cpu_seconds(pid) - cpu_before;
    let machine = machine_busy();
    let during = ctx.stats.take();
    let disk_end = disk_bytes(&uploads);
    let db_size: Res<(i64,)> = async {
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query_as("SELECT CAST(pg_database_size(current_database()) AS BIGINT)")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    let peak = load.stop().await;
    drop(dir);

    let machine_pct = match (machine_before, machine) {
        (Some((b0, t0)), Some((b1, t1))) if t1 > t0 => 100.0 * (b1 - b0) / (t1 - t0),
        _ => f64::NAN,
    };
    let gib = |b: u64| b as f64 / 1073741824.0;
    let mut out = format!(
        "On PostgreSQL, uploads in a folder (moto, the tests' S3, keeps objects in memory: \
         8 GB would measure moto). 1,000 clients sync at the app's 30 s throughout; the batch \
         opens after a minute of them alone: {offered} applications offered, one every \
         {:.1} s for {:.0} s, each {:.1} MiB of materials in {} files (1 MiB tus chunks, \
         each checked whole when complete) plus its self-check's evidence, then submitted \
         with an idempotency key.\n\n\
         | clients (at 30 s) | route class | requests/s | p50 | p99 | max | errors |\n\
         |---:|---|---:|---:|---:|---:|---:|\n",
        3600.0 / BURST_PER_HOUR,
        window.as_secs_f64(),
        batch.bytes as f64 / 1048576.0,
        batch.materials.len(),
    );
    out.push_str(&rows(
        "1,000 before the batch",
        &before,
        step().as_secs_f64(),
    ));
    out.push_str(&rows("1,000 and the batch", &during, all.as_secs_f64()));
    let worst_sync = during
        .iter()
        .filter(|(class, _)| !class.starts_with("burst"))
        .filter_map(|(_, c)| c.latencies.as_ref())
        .map(|h| h.value_at_quantile(0.99) as f64 / 1000.0)
        .fold(0.0, f64::max);
    out.push_str(&format!(
        "\nUploads while the batch was open: {:.2} GiB in {:.0} s, {:.1} MiB/s (offered: \
         {:.1} MiB/s). Applications: {done} of {offered} submitted{}. The syncing clients' \
         worst p99 with the batch: {worst_sync:.0} ms. Upload folder at the batch's close \
         {:.2} GiB, at the end {:.2} GiB (deleted afterwards); database {}. Service: peak \
         memory {peak:.0} MiB (VmHWM), CPU {:.0}% of one core over the batch; machine {:.0}% \
         busy.\n",
        gib(sent_in_window),
        window.as_secs_f64(),
        sent_in_window as f64 / 1048576.0 / window.as_secs_f64(),
        batch.bytes as f64 / 1048576.0 * BURST_PER_HOUR / 3600.0,
        if failed.is_empty() {
            String::new()
        } else {
            format!(
                " ({} failed; first: {})",
                failed.len(),
                failed[0].replace('|', "/")
            )
        },
        gib(peak_disk),
        gib(disk_end),
        match db_size {
            Ok((b,)) => format!("{:.0} MiB", b as f64 / 1048576.0),
            Err(e) => format!("size unknown ({e})"),
        },
        100.0 * cpu / all.as_secs_f64(),
        machine_pct,
    ));
    println!("{out}");
    Ok(out)
}
