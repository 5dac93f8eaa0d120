//! Start-up and idle memory of the app against a hello-world Tauri 2 app built the same way
//! (release, the same Tauri), under one Xvfb, in alternating runs; and the packages' sizes.
//!
//! Start-up is the time from spawning the process to its first page on screen: the page
//! itself says so (the app's UI once its first page, not a spinner, has rendered; hello's
//! page as it loads), once the webview has laid that page out and painted it, by a command
//! that writes the file `YIQIFU_BENCH_RENDERED` names, which this side watches. On the main
//! page the first page is its frame (the sidebar and the header, drawn before antd); the page
//! itself comes after, and its time is measured too, from the app's log. Memory is
//! summed over the process and every process it started (WebKit's web and network
//! processes), after 5 s idle: RSS and PSS (which shares the pages the processes share
//! between them, so it does not count them twice).
//!
//! Two first pages: the sign-in page (the demo service chosen, nobody signed in), and the
//! main page of an enterprise whose cache holds the demo catalog and 20,000 synthetic
//! policies.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use yiqifu_core::secrets::Keychain;
use yiqifu_core::{App, ServerChoice};
use yiqifu_tests::webdriver::Xvfb;

use super::Res;

// This machine's own speed wanders (hello world's start moved from 324 to 1,265 ms between
// runs of one evening): more runs, alternating, keep the medians' ratio steadier.
const RUNS: usize = 9;
const IDLE: Duration = Duration::from_secs(5);
/// The targets: start-up and memory at most this much the hello-world's.
const TARGET_RATIO: f64 = 1.5;
const DEB_TARGET_MB: f64 = 15.0;
/// Synthetic policies in the main page's cache, besides the demo catalog (the figure).
const POLICIES: usize = 20_000;

/// What the app logs when its first page is on screen, and when the main page has taken the
/// place of its frame (the first page of a start on the main page).
const FIRST_PAGE: &str = "first page on screen";
const COMPLETE: &str = "main page complete";
/// What the app logs when the library's first results it began as it opened are ready
/// (src-tauri/src/lib.rs, `begin_first_results`).
const FIRST_RESULTS: &str = "first results ready";
/// What the app logs when it turns WebKit's compositing off (src-tauri/src/drawing.rs)…
const NOT_COMPOSITING: &str = "the webview paints without compositing";
/// …and when it leaves WebKit's switch as it found it set.
const AS_SET: &str = "as WEBKIT_DISABLE_COMPOSITING_MODE sets it";
/// WebKit's switch, set to "0" to measure the main page composited, as hello world draws.
const COMPOSITING_SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

struct Sample {
    startup: Duration,
    /// To the main page itself, when its frame came first: `startup` and the time between the
    /// two on the app's clock (its log).
    complete: Option<Duration>,
    rss_kb: u64,
    pss_kb: u64,
    /// PSS by process name, as `memory` gives it.
    pss_by_process: Vec<(String, u64)>,
    /// The app's own milestones from its log (ms after its start): its databases open,
    /// its window created. None for hello world.
    milestones: Option<(u64, u64)>,
    /// When the library's first results, begun as the app opened, were ready (its log).
    first_results: Option<u64>,
    /// The page's own moments (`page_timeline`); empty for hello world.
    timeline: Vec<(String, u64)>,
    /// The app said it paints without compositing (no GPU here).
    not_compositing: bool,
    /// The app said it left WebKit's switch as set (the composited starts).
    as_set: bool,
}

/// The data folder's log, every file of it: read once per start, for every line looked up.
fn log_text(data: &Path) -> String {
    let Ok(logs) = std::fs::read_dir(data.join("logs")) else {
        return String::new();
    };
    logs.flatten()
        .map(|log| std::fs::read_to_string(log.path()).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `ms=` of the log line that says `what` (not a moment of its timeline).
fn milestone(log: &str, what: &str) -> Option<u64> {
    let (_, rest) = log.lines().find(|l| l.contains(what))?.split_once(" ms=")?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The page's own moments of its start, on the process's clock, as the app logs them with its
/// first page, or with the main page that took its frame's place when there was one:
/// `timeline="navigation=402 html=431 modules=688 …"`.
fn page_timeline(log: &str) -> Vec<(String, u64)> {
    let Some(line) = log
        .lines()
        .find(|l| l.contains(COMPLETE))
        .or_else(|| log.lines().find(|l| l.contains(FIRST_PAGE)))
    else {
        return Vec::new();
    };
    let Some((_, rest)) = line.split_once("timeline=") else {
        return Vec::new();
    };
    let rest = rest.trim_start_matches('"');
    let rest = rest.split('"').next().unwrap_or(rest);
    rest.split_whitespace()
        .filter_map(|pair| {
            let (name, ms) = pair.split_once('=')?;
            Some((name.to_owned(), ms.parse().ok()?))
        })
        .collect()
}

/// "navigation 402 ms, html 431 ms, …": the median of each moment over the samples that
/// have it, in time order; a moment missing from some starts (the library's results, which
/// may come after the first page) says in how many it came.
fn timeline_medians(samples: &[Sample]) -> String {
    let with: Vec<&Sample> = samples.iter().filter(|s| !s.timeline.is_empty()).collect();
    if with.is_empty() {
        return "not in its log".to_string();
    }
    let mut names: Vec<&str> = Vec::new();
    for s in &with {
        for (n, _) in &s.timeline {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
    }
    let mut moments: Vec<(u64, String)> = names
        .iter()
        .map(|name| {
            let each: Vec<u64> = with
                .iter()
                .filter_map(|s| s.timeline.iter().find(|(n, _)| n == name).map(|m| m.1))
                .collect();
            let (count, at) = (each.len(), median(each));
            let text = if count < with.len() {
                format!("{name} {at} ms (in {count} of {} starts)", with.len())
            } else {
                format!("{name} {at} ms")
            };
            (at, text)
        })
        .collect();
    moments.sort_by_key(|(at, _)| *at);
    moments
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A data folder where the demo service is chosen and nobody signed in: the app opens on its
/// sign-in page, as an officer's second start does.
async fn sign_in_folder(dir: &Path) -> Res<()> {
    let app = App::open(dir, Keychain::new("yiqifu-bench-startup"))
        .await
        .map_err(|e| e.to_string())?;
    let demo_dir = dir.join("demo-central");
    std::fs::create_dir_all(&demo_dir).map_err(|e| e.to_string())?;
    let demo = yiqifu_central::start_demo(Some(demo_dir.join("central.sqlite")))
        .await
        .map_err(|e| e.to_string())?;
    app.choose_server(ServerChoice::Demo, &demo.url())
        .await
        .map_err(|e| e.to_string())?;
    app.close().await;
    Ok(())
}

/// A data folder with an enterprise on screen whose cache holds the demo catalog and
/// [`POLICIES`] synthetic policies: the app opens on its main page. The built-in demo service
/// the app starts keeps the same catalog (its database is seeded here, in the folder). The
/// session stays in the bench's own keychain entry, so the app starts with the enterprise
/// signed out and shows its cached work, sending nothing: the start measured is the
/// window's, not a sync's.
async fn main_folder(dir: &Path) -> Res<()> {
    let demo_dir = dir.join("demo-central");
    std::fs::create_dir_all(&demo_dir).map_err(|e| e.to_string())?;
    let seeding = Instant::now();
    let central = yiqifu_central::start(yiqifu_central::Config {
        addr: (std::net::Ipv4Addr::LOCALHOST, 0).into(),
        database: yiqifu_central::Database::Sqlite(demo_dir.join("central.sqlite")),
        uploads: None,
        demo: true,
        scale: POLICIES,
        durability: Default::default(),
        body_idle: yiqifu_central::BODY_IDLE,
        header_read: yiqifu_central::HEADER_READ,
    })
    .await
    .map_err(|e| e.to_string())?;
    let app = App::open(dir, Keychain::new("yiqifu-bench-startup"))
        .await
        .map_err(|e| e.to_string())?;
    app.choose_server(ServerChoice::Demo, &central.url())
        .await
        .map_err(|e| e.to_string())?;
    let demo = &yiqifu_central::seed::DEMO_ENTERPRISES[0];
    app.sign_in(&demo.credit_code(), yiqifu_central::seed::DEMO_PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    app.sync_now().await.map_err(|e| e.to_string())?;
    let cached = app.status().document_count;
    app.close().await;
    central.stop().await;
    if (cached as usize) < POLICIES {
        return Err(format!(
            "the main page's folder caches {cached} documents after its sync, not {POLICIES} or more"
        ));
    }
    eprintln!(
        "startup bench: an enterprise with {cached} documents cached, in {:.0} s",
        seeding.elapsed().as_secs_f64()
    );
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Res<()> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for e in std::fs::read_dir(from)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let target = to.join(e.file_name());
        if e.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target).map_err(|e| e.to_string())?;
            // A copy is a file changed now, which the app reads as a database not closed
            // whole (every page checked, as after a crash); an officer's restart finds its
            // files as the last close left them.
            let modified = e
                .metadata()
                .and_then(|m| m.modified())
                .map_err(|e| e.to_string())?;
            std::fs::File::options()
                .write(true)
                .open(&target)
                .and_then(|f| f.set_modified(modified))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// One process as `/proc/<pid>/stat` gives it.
struct Proc {
    pid: u32,
    /// The name, cut to 15 characters by the kernel.
    name: String,
    zombie: bool,
    parent: u32,
}

/// Every process alive (or a zombie) now.
fn processes() -> Vec<Proc> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        // "pid (name) state ppid ...": the name may hold spaces and parentheses.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let Some(parent) = fields.next().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        out.push(Proc {
            pid,
            name: head
                .split_once('(')
                .map(|(_, n)| n)
                .unwrap_or_default()
                .to_owned(),
            zombie: state == Some("Z"),
            parent,
        });
    }
    out
}

/// `pid` and every process below it.
fn tree(pid: u32) -> Vec<u32> {
    let all = processes();
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(all.iter().filter(|p| p.parent == parent).map(|p| p.pid));
        i += 1;
    }
    out
}

/// WebKit processes alive that are not among `own` ("pid name"), zombies left out. Another
/// program's web and network processes share WebKit's libraries with the ones measured, and
/// PSS splits a shared page between the processes mapping it: a probe's two leftover
/// processes once lowered hello world's PSS from 261 to 183 MiB.
fn other_webkit(own: &[u32]) -> Vec<String> {
    processes()
        .into_iter()
        .filter(|p| p.name.starts_with("WebKit") && !p.zombie && !own.contains(&p.pid))
        .map(|p| format!("{} {}", p.pid, p.name))
        .collect()
}

/// Fails when another program's WebKit processes run beside the measured ones (see
/// [`other_webkit`]): its memory figures would look smaller than they are.
fn alone(own: &[u32]) -> Res<()> {
    let others = other_webkit(own);
    if others.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "other WebKit processes are running ({}): they share WebKit's libraries with the \
             programs measured and lower their memory figures; close the programs they belong \
             to (or kill them) and run the bench again",
            others.join(", ")
        ))
    }
}

/// RSS and PSS summed over `pids`, and the PSS of each process by its name (the app,
/// WebKit's web process, its network process), in the order of `pids`.
fn memory(pids: &[u32]) -> (u64, u64, Vec<(String, u64)>) {
    let (mut rss, mut pss, mut by_process) = (0, 0, Vec::new());
    for pid in pids {
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let mut own = 0;
        for line in rollup.lines() {
            let kb = || {
                line.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            if line.starts_with("Rss:") {
                rss += kb();
            } else if line.starts_with("Pss:") {
                own += kb();
            }
        }
        pss += own;
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        by_process.push((name.trim().to_string(), own));
    }
    (rss, pss, by_process)
}

/// "name N MiB" for each process name, the median over the samples (a process missing from
/// a sample counts 0 there).
fn by_process(samples: &[Sample]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for s in samples {
        for (n, _) in &s.pss_by_process {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
    }
    names
        .iter()
        .map(|n| {
            let each = samples
                .iter()
                .map(|s| {
                    s.pss_by_process
                        .iter()
                        .filter(|(m, _)| m == n)
                        .map(|(_, kb)| kb)
                        .sum::<u64>()
                })
                .collect();
            format!("{n} {:.0} MiB", mib(median(each)))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn stop(pids: &[u32]) {
    for signal in [libc::SIGTERM, libc::SIGKILL] {
        for pid in pids {
            // SAFETY: a plain kill(2) of processes this bench started.
            unsafe { libc::kill(*pid as i32, signal) };
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// What a start waits for once its first page is on screen, before it is measured and
/// stopped.
#[derive(Clone, Copy)]
enum Then {
    /// `IDLE`, for its idle memory.
    Idle,
    /// The main page's "main page complete" in its log (at once for hello world): a trial.
    Complete,
}

/// Polls `ready` every `poll_ms` until it holds; an error if the process ends first, or if
/// 60 s from `started` pass (the process is then stopped).
async fn wait_for(
    child: &mut tokio::process::Child,
    binary: &Path,
    started: Instant,
    what: &str,
    poll_ms: u64,
    ready: &mut dyn FnMut() -> bool,
) -> Res<()> {
    while !ready() {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "{} ended ({status}) before {what}",
                binary.display()
            ));
        }
        if started.elapsed() > Duration::from_secs(60) {
            if let Some(pid) = child.id() {
                stop(&tree(pid)).await;
            }
            return Err(format!(
                "{}: {what} did not come within 60 s",
                binary.display()
            ));
        }
        tokio::time::sleep(Duration::from_millis(poll_ms)).await;
    }
    Ok(())
}

/// One start of `binary`, to its first page, then to what `then` says; `env` is added to the
/// bench's own environment.
async fn measure(
    binary: &Path,
    display: &str,
    data: Option<&Path>,
    env: &[(&str, &str)],
    then: Then,
) -> Res<Sample> {
    let marks = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mark = marks.path().join("rendered");
    let mut cmd = tokio::process::Command::new(binary);
    cmd.env("DISPLAY", display)
        .env("YIQIFU_BENCH_RENDERED", &mark)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        // The bench's own environment (a shell that set the switch) must not decide for
        // either program: the app chooses, hello world composites, unless `env` says.
        .env_remove(COMPOSITING_SWITCH)
        .env_remove("LIBGL_ALWAYS_SOFTWARE")
        .envs(env.iter().copied());
    if let Some(d) = data {
        cmd.env("YIQIFU_DATA_DIR", d);
    }
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let pid = child.id().ok_or("the process ended at once")?;
    let mut first_page = || mark.exists();
    wait_for(
        &mut child,
        binary,
        started,
        "its first page",
        2,
        &mut first_page,
    )
    .await?;
    let startup = started.elapsed();
    match (then, data) {
        (Then::Idle, _) => tokio::time::sleep(IDLE).await,
        (Then::Complete, Some(d)) => {
            let mut complete = || log_text(d).contains(COMPLETE);
            let what = format!("\"{COMPLETE}\" in its log");
            wait_for(&mut child, binary, started, &what, 20, &mut complete).await?;
        }
        (Then::Complete, None) => {}
    }
    let pids = tree(pid);
    let (rss_kb, pss_kb, pss_by_process) = memory(&pids);
    let others = alone(&pids);
    stop(&pids).await;
    others?;
    let _ = child.wait().await;
    let log = data.map(log_text).unwrap_or_default();
    // Hello world has no data folder, so no log: no milestones, no timeline.
    let milestones = milestone(&log, "databases open").zip(milestone(&log, "window created"));
    let timeline = page_timeline(&log);
    let complete = milestone(&log, FIRST_PAGE)
        .zip(milestone(&log, COMPLETE))
        .map(|(first, full)| startup + Duration::from_millis(full.saturating_sub(first)));
    Ok(Sample {
        timeline,
        startup,
        complete,
        rss_kb,
        pss_kb,
        pss_by_process,
        milestones,
        first_results: milestone(&log, FIRST_RESULTS),
        not_compositing: log.contains(NOT_COMPOSITING),
        as_set: log.contains(AS_SET),
    })
}

fn median<T: Copy + Ord>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

fn mib(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn file_mib(p: &Path) -> Option<f64> {
    std::fs::metadata(p)
        .ok()
        .map(|m| m.len() as f64 / 1024.0 / 1024.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**not met**"
    }
}

/// A start of the app on a copy of a prepared data folder: a start writes to its folder (the
/// demo service's database, the window's state), and each must find it as prepared.
async fn measure_copy(
    app: &Path,
    display: &str,
    prepared: &Path,
    env: &[(&str, &str)],
    then: Then,
) -> Res<Sample> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    copy_dir(prepared, data.path())?;
    measure(app, display, Some(data.path()), env, then).await
}

pub async fn run(
    app: &Path,
    hello: &Path,
    deb: &Path,
    installer: &Path,
    appimage: &Path,
) -> Res<String> {
    alone(&[])?;
    let xvfb = Xvfb::start();
    let signing_in = tempfile::tempdir().map_err(|e| e.to_string())?;
    sign_in_folder(signing_in.path()).await?;
    let cached = tempfile::tempdir().map_err(|e| e.to_string())?;
    main_folder(cached.path()).await?;
    let (mut hellos, mut sign_ins, mut mains) = (Vec::new(), Vec::new(), Vec::new());
    // The main page again with WebKit's compositing on whatever the app would choose: where
    // the app turns it off (no GPU), what the page costs drawn as hello world draws.
    let mut composited = Vec::new();
    let as_chosen: &[(&str, &str)] = &[];
    let compositing: &[(&str, &str)] = &[(COMPOSITING_SWITCH, "0")];
    for run in 0..RUNS {
        hellos.push(measure(hello, &xvfb.display, None, &[], Then::Idle).await?);
        for (prepared, samples, env) in [
            (&signing_in, &mut sign_ins, as_chosen),
            (&cached, &mut mains, as_chosen),
        ] {
            samples.push(measure_copy(app, &xvfb.display, prepared.path(), env, Then::Idle).await?);
        }
        // Where the app composites anyway (a GPU is there), this start would be the one
        // before it again: 9 starts for nothing.
        if mains[0].not_compositing {
            composited.push(
                measure_copy(app, &xvfb.display, cached.path(), compositing, Then::Idle).await?,
            );
        }
        eprintln!(
            "run {}: hello {} ms, sign-in page {} ms, main page {} ms (complete {:?}; {} MiB, composited {} MiB)",
            run + 1,
            hellos[run].startup.as_millis(),
            sign_ins[run].startup.as_millis(),
            mains[run].startup.as_millis(),
            mains[run].complete.map(|c| c.as_millis()),
            mib(mains[run].pss_kb).round(),
            composited
                .get(run)
                .map_or("—".to_string(), |s| mib(s.pss_kb).round().to_string()),
        );
    }
    // The like-for-like start must have drawn composited, or its row would mislead.
    if let Some(s) = composited.iter().find(|s| !s.as_set || s.not_compositing) {
        return Err(format!(
            "a start with {COMPOSITING_SWITCH}=0 did not log that it left the switch as set \
             (\"{AS_SET}\"; without compositing: {})",
            s.not_compositing
        ));
    }
    let start = |v: &[Sample]| median(v.iter().map(|s| s.startup).collect());
    let rss = |v: &[Sample]| median(v.iter().map(|s| s.rss_kb).collect());
    let pss = |v: &[Sample]| median(v.iter().map(|s| s.pss_kb).collect());
    let mut table = format!(
        "The builds that ship (the `dist` profile: release, optimised for size), {RUNS} runs \
         alternating with a hello-world Tauri 2 app built the same way \
         (`bench/hello`: one window, one static page), under Xvfb; medians. The sign-in \
         page: the demo service chosen, nobody signed in. The main page: an enterprise on \
         screen whose cache holds the demo catalog and {POLICIES} synthetic policies.\n\n\
         | | the app | hello world | ratio | target (≤ {TARGET_RATIO}×) |\n\
         |---|---|---|---|---|\n"
    );
    let row = |what: &str, app: f64, hello: f64, unit: &str, target: bool| {
        let ratio = app / hello;
        let verdict = if target {
            verdict(ratio <= TARGET_RATIO)
        } else {
            ""
        };
        format!("| {what} | {app:.0} {unit} | {hello:.0} {unit} | {ratio:.2}× | {verdict} |\n")
    };
    let ms = |v: &[Sample]| start(v).as_secs_f64() * 1e3;
    let pss_mib = |v: &[Sample]| mib(pss(v));
    let rss_mib = |v: &[Sample]| mib(rss(v));
    type Measure<'a> = (&'a str, &'a dyn Fn(&[Sample]) -> f64, &'a str, bool);
    let measures: [Measure; 3] = [
        ("start-up to {page}", &ms, "ms", true),
        (
            "idle memory on {page}, PSS (all processes)",
            &pss_mib,
            "MiB",
            true,
        ),
        (
            "idle memory on {page}, RSS (all processes)",
            &rss_mib,
            "MiB",
            false,
        ),
    ];
    // The main page's first page is its frame, drawn without antd; the page itself follows.
    let completes: Vec<Duration> = mains.iter().filter_map(|s| s.complete).collect();
    let main_first = if completes.is_empty() {
        "the main page"
    } else {
        "the main page's frame (its sidebar and header, before the page)"
    };
    for (page, samples) in [("the sign-in page", &sign_ins), ("the main page", &mains)] {
        for (what, of, unit, target) in measures {
            let first = if page == "the main page" && unit == "ms" {
                main_first
            } else {
                page
            };
            table.push_str(&row(
                &what.replace("{page}", first),
                of(samples),
                of(&hellos),
                unit,
                target,
            ));
            if first != page && !completes.is_empty() {
                let whole = median(completes.clone()).as_secs_f64() * 1e3;
                let label = if completes.len() < mains.len() {
                    format!(
                        "start-up to the main page itself, its results drawn, in the frame's place (in {} of {} starts)",
                        completes.len(),
                        mains.len()
                    )
                } else {
                    "start-up to the main page itself, its results drawn, in the frame's place"
                        .to_string()
                };
                table.push_str(&row(&label, whole, ms(&hellos), "ms", true));
            }
        }
    }
    let off = mains.iter().filter(|s| s.not_compositing).count();
    if !composited.is_empty() {
        table.push_str(&row(
            "idle memory on the main page drawn composited as hello world is, PSS (all processes)",
            pss_mib(&composited),
            pss_mib(&hellos),
            "MiB",
            false,
        ));
    }
    table.push('\n');
    table.push_str(&match off {
        0 => "The app drew as WebKit chooses, as hello world does (a GPU's render node is \
              there, and the bench's environment does not set WebKit's switch).\n\n"
            .to_string(),
        n if composited.is_empty() => format!(
            "{n} of {} main-page starts said in their log that they paint without \
             compositing, but not the first, so no start was measured composited.\n\n",
            mains.len(),
        ),
        n => format!(
            "Rendering is software here (no GPU's render node: WebKit would composite with \
             Mesa's llvmpipe), so the app paints without compositing ({n} of {} main-page \
             starts said so in their log; src-tauri/src/drawing.rs); hello world composites. The last \
             row is the main page with `{COMPOSITING_SWITCH}=0`, drawn as hello world draws \
             (PSS by process: {}).\n\n",
            mains.len(),
            by_process(&composited),
        ),
    });
    // Each app start beside the hello-world start just before it: how far a ratio of
    // medians can be trusted on a machine whose speed wanders.
    let spread = |v: &[Sample]| {
        let ratios: Vec<f64> = v
            .iter()
            .zip(&hellos)
            .map(|(a, h)| a.startup.as_secs_f64() / h.startup.as_secs_f64())
            .collect();
        let lo = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = ratios.iter().copied().fold(0.0, f64::max);
        format!("{lo:.2}–{hi:.2}×")
    };
    let hello_ms: Vec<u128> = hellos.iter().map(|h| h.startup.as_millis()).collect();
    table.push_str(&format!(
        "Run by run, each start against the hello-world start just before it: the sign-in \
         page {}, the main page {}; hello world itself took {} to {} ms.\n\n",
        spread(&sign_ins),
        spread(&mains),
        hello_ms.iter().min().copied().unwrap_or_default(),
        hello_ms.iter().max().copied().unwrap_or_default(),
    ));
    let at = |v: &[Sample], pick: fn((u64, u64)) -> u64| {
        let got: Vec<u64> = v.iter().filter_map(|s| s.milestones.map(pick)).collect();
        if got.is_empty() {
            "not in its log".to_string()
        } else {
            format!("{} ms", median(got))
        }
    };
    let ready = |v: &[Sample]| {
        let got: Vec<u64> = v.iter().filter_map(|s| s.first_results).collect();
        match got.len() {
            0 => "not in its log".to_string(),
            n if n < v.len() => format!("{} ms (in {n} of {} starts)", median(got), v.len()),
            _ => format!("{} ms", median(got)),
        }
    };
    table.push_str(&format!(
        "Where the app's start goes (its log, medians): on the sign-in page its databases \
         are open at {}, its window created at {}; on the main page at {} and {}, and the \
         library's first results, begun as the databases opened, are ready at {}. Then the \
         webview loads the page and renders it.\n\n",
        at(&sign_ins, |m| m.0),
        at(&sign_ins, |m| m.1),
        at(&mains, |m| m.0),
        at(&mains, |m| m.1),
        ready(&mains),
    ));
    table.push_str(&format!(
        "Inside the webview (the page's own moments on the process's clock, medians): \
         `navigation` the webview starts loading the page, `html` it has the page, `dom` the \
         document is parsed, `modules` the first chunk's code has run, `app` the first render \
         begins, `layout` the main page's chunk has run, `commit` React has put the first page \
         in the document, `effects` React runs the page's effects (where the mark was taken \
         before 2026-12-06: before the webview's next frame), `results` the library's first \
         results are in the document, `page` it is on screen (that frame laid out and \
         painted; the main page, since 2026-12-07, with its results: before, its controls \
         beside a spinner). A start on the main page draws the page's frame first (without antd): \
         `commit` and `painted` are the frame's, and `layout` (the page's chunk has run), \
         `content` (the page has taken the frame's place in the document), `results` and \
         `page` are the page's. \
         The sign-in page: {}. The main page: {}.\n\n",
        timeline_medians(&sign_ins),
        timeline_medians(&mains),
    ));
    table.push_str(&format!(
        "Where the idle memory is (PSS by process, medians; WebKit names its processes \
         WebKitWebProcess and WebKitNetworkProcess, cut to 15 characters): on the sign-in page \
         {}; on the main page {}; hello world {}.\n\n",
        by_process(&sign_ins),
        by_process(&mains),
        by_process(&hellos),
    ));
    let deb_mb = file_mib(deb);
    let sizes = [
        ("the app's binary (dist)", file_mib(app), None),
        ("hello world's binary (dist)", file_mib(hello), None),
        (
            "the .deb (`cargo xtask bundle`)",
            deb_mb,
            Some(DEB_TARGET_MB),
        ),
        (
            "the Windows installer (`cargo xtask bundle`)",
            file_mib(installer),
            None,
        ),
        (
            "the AppImage (`cargo xtask bundle`)",
            file_mib(appimage),
            None,
        ),
    ];
    table.push_str("| size | MiB | target |\n|---|---|---|\n");
    for (what, size, target) in sizes {
        let shown = size.map_or_else(
            || "not built in this run".to_string(),
            |s| format!("{s:.1}"),
        );
        let goal = match (target, size) {
            (Some(t), Some(s)) => format!("< {t} MB: {}", verdict(s * 1.048_576 < t)),
            (Some(t), None) => format!("< {t} MB"),
            _ => String::new(),
        };
        table.push_str(&format!("| {what} | {shown} | {goal} |\n"));
    }
    Ok(table)
}

/// `yiqifu-bench trial`: only the main page's start, `runs` times, each run starting hello
/// world and then every one of `apps` in turn, each stopped once its page is complete: no
/// idle wait, no memory, no packages. A few minutes where the whole bench takes half an hour:
/// for trying a change to the page's start, the build before it beside the build after it,
/// on one machine in one sitting (the figures that count are the bench's own).
pub async fn trial(hello: &Path, apps: &[PathBuf], runs: usize) -> Res<String> {
    alone(&[])?;
    let xvfb = Xvfb::start();
    let cached = tempfile::tempdir().map_err(|e| e.to_string())?;
    main_folder(cached.path()).await?;
    let mut hellos = Vec::new();
    let mut mains: Vec<Vec<Sample>> = apps.iter().map(|_| Vec::new()).collect();
    for run in 0..runs {
        hellos.push(measure(hello, &xvfb.display, None, &[], Then::Complete).await?);
        let mut line = format!(
            "trial {}: hello {} ms",
            run + 1,
            hellos[run].startup.as_millis()
        );
        // Each build in turn goes first after hello world: the one started right after
        // another may find the system's caches warmer, or the last one's processes still
        // going.
        for i in 0..apps.len() {
            let at = (run + i) % apps.len();
            let (app, samples) = (&apps[at], &mut mains[at]);
            let s = measure_copy(app, &xvfb.display, cached.path(), &[], Then::Complete).await?;
            let Some(complete) = s.complete else {
                return Err(format!(
                    "{} logged no \"{COMPLETE}\": its main page never took the frame's place",
                    app.display()
                ));
            };
            line.push_str(&format!(
                "; {} frame {} ms, page {} ms",
                app.display(),
                s.startup.as_millis(),
                complete.as_millis()
            ));
            samples.push(s);
        }
        eprintln!("{line}");
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let hello = ms(median(hellos.iter().map(|s| s.startup).collect()));
    let mut out = format!(
        "{runs} starts of each on {POLICIES} policies, medians; hello world {hello:.0} ms.\n"
    );
    // This machine's speed wanders within minutes (hello world's start doubled in one trial):
    // each start is also set against hello world's in the same run, and against the first
    // build's, and those are the figures to compare.
    let page = |s: &Sample| s.complete.map_or(0.0, ms);
    for (app, samples) in apps.iter().zip(&mains) {
        let frame = ms(median(samples.iter().map(|s| s.startup).collect()));
        let whole = ms(median(samples.iter().filter_map(|s| s.complete).collect()));
        // Per mille, so that the median is taken over integers.
        let ratios: Vec<u64> = samples
            .iter()
            .zip(&hellos)
            .map(|(s, h)| (page(s) / ms(h.startup) * 1000.0).round() as u64)
            .collect();
        out.push_str(&format!(
            "\n{}: the frame {frame:.0} ms ({:.2}×), the main page {whole:.0} ms ({:.2}×; run \
             by run against hello world's start, median {:.2}×).\n\
             The page's moments: {}\n",
            app.display(),
            frame / hello,
            whole / hello,
            median(ratios) as f64 / 1000.0,
            timeline_medians(samples),
        ));
    }
    if let [first, rest @ ..] = &mains[..] {
        for (app, samples) in apps.iter().skip(1).zip(rest) {
            let diffs: Vec<i64> = samples
                .iter()
                .zip(first)
                .map(|(s, f)| (page(s) - page(f)).round() as i64)
                .collect();
            let sooner = diffs.iter().filter(|d| **d < 0).count();
            out.push_str(&format!(
                "\n{} against {}, run by run: the main page {:+} ms (median), sooner in {sooner} \
                 of {runs} runs.\n",
                app.display(),
                apps[0].display(),
                median(diffs),
            ));
        }
    }
    Ok(out)
}

/// The paths `run` reads, from its arguments.
pub fn paths(args: &[String]) -> Option<(PathBuf, PathBuf, PathBuf, PathBuf, PathBuf)> {
    match args {
        [app, hello, deb, installer, appimage, ..] => Some((
            PathBuf::from(app),
            PathBuf::from(hello),
            PathBuf::from(deb),
            PathBuf::from(installer),
            PathBuf::from(appimage),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn started(timeline: &[(&str, u64)]) -> Sample {
        Sample {
            startup: Duration::ZERO,
            complete: None,
            rss_kb: 0,
            pss_kb: 0,
            pss_by_process: Vec::new(),
            milestones: None,
            first_results: None,
            timeline: timeline
                .iter()
                .map(|(n, at)| (n.to_string(), *at))
                .collect(),
            not_compositing: false,
            as_set: false,
        }
    }

    /// Each moment's median, in time order, and a moment only some starts had says so.
    #[test]
    fn a_line_s_own_ms_is_read_not_a_moment_of_its_timeline() {
        let log = "… INFO first page on screen page=\"main\" ms=512 timeline=\"navigation=300 items=4 page=512\"\n\
                   … INFO main page complete ms=845 timeline=\"navigation=300 painted=512 page=845\"";
        assert_eq!(milestone(log, FIRST_PAGE), Some(512));
        assert_eq!(milestone(log, COMPLETE), Some(845));
        assert_eq!(milestone(log, "window created"), None);
        // The main page's moments come from the line of the whole page when there is one.
        assert_eq!(
            page_timeline(log),
            [("navigation", 300), ("painted", 512), ("page", 845)]
                .map(|(n, ms)| (n.to_string(), ms))
        );
    }

    #[test]
    fn timeline_gives_each_moment_in_time_order() {
        let samples = [
            started(&[("html", 10), ("page", 100)]),
            started(&[("html", 12), ("page", 90), ("results", 80)]),
            started(&[("html", 14), ("page", 110)]),
            started(&[]),
        ];
        assert_eq!(
            timeline_medians(&samples),
            "html 12 ms, results 80 ms (in 1 of 3 starts), page 100 ms"
        );
        assert_eq!(timeline_medians(&[started(&[])]), "not in its log");
    }

    /// A process named as WebKit names its web process (a copy of `sleep`) is found, unless
    /// it is one of the measured program's own.
    #[cfg(target_os = "linux")]
    #[test]
    fn another_programs_webkit_process_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("WebKitWebProcess");
        std::fs::copy("/bin/sleep", &fake).unwrap();
        let mut child = std::process::Command::new(&fake).arg("30").spawn().unwrap();
        let pid = child.id();
        let found = other_webkit(&[]);
        let mine = other_webkit(&[pid]);
        let refused = alone(&[]);
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            found.contains(&format!("{pid} WebKitWebProces")),
            "not found: {found:?}"
        );
        assert!(
            !mine.iter().any(|p| p.starts_with(&format!("{pid} "))),
            "{mine:?}"
        );
        let e = refused.unwrap_err();
        assert!(e.contains(&format!("{pid} WebKitWebProces")), "{e}");
        // Once it is gone, nothing of it is left to find.
        assert!(!other_webkit(&[])
            .iter()
            .any(|p| p.starts_with(&format!("{pid} "))));
    }
}
