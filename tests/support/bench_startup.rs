//! Start-up and idle memory of the app against a hello-world Tauri 2 app built the same way
//! (release, the same Tauri), under one Xvfb, in alternating runs; and the packages' sizes.
//!
//! Start-up is the time from spawning the process to its first page on screen: the page
//! itself says so (the app's UI once its first page, not a spinner, has rendered; hello's
//! page as it loads) by a command that writes the file `YIQIFU_BENCH_RENDERED` names, which
//! this side watches. Memory is summed over the process and every process it started
//! (WebKit's web and network processes), after 5 s idle: RSS and PSS (which shares the
//! pages the processes share between them, so it does not count them twice).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use yiqifu_core::secrets::Keychain;
use yiqifu_core::{App, ServerChoice};
use yiqifu_tests::webdriver::Xvfb;

use super::Res;

const RUNS: usize = 5;
const IDLE: Duration = Duration::from_secs(5);
/// The targets: start-up and memory at most this much the hello-world's.
const TARGET_RATIO: f64 = 1.5;
const DEB_TARGET_MB: f64 = 15.0;

struct Sample {
    startup: Duration,
    rss_kb: u64,
    pss_kb: u64,
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
        }
    }
    Ok(())
}

/// `pid` and every process below it.
fn tree(pid: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            // The parent is the 4th field, after the name in parentheses (which may hold
            // spaces).
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            if let Some(ppid) = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|s| s.parse::<u32>().ok())
            {
                parents.push((p, ppid));
            }
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    out
}

fn memory(pids: &[u32]) -> (u64, u64) {
    let (mut rss, mut pss) = (0, 0);
    for pid in pids {
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
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
                pss += kb();
            }
        }
    }
    (rss, pss)
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

async fn measure(binary: &Path, display: &str, data: Option<&Path>) -> Res<Sample> {
    let marks = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mark = marks.path().join("rendered");
    let mut cmd = tokio::process::Command::new(binary);
    cmd.env("DISPLAY", display)
        .env("YIQIFU_BENCH_RENDERED", &mark)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some(d) = data {
        cmd.env("YIQIFU_DATA_DIR", d);
    }
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let pid = child.id().ok_or("the process ended at once")?;
    while !mark.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "{} ended ({status}) before its first page",
                binary.display()
            ));
        }
        if started.elapsed() > Duration::from_secs(60) {
            stop(&tree(pid)).await;
            return Err(format!("{}: no page within 60 s", binary.display()));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let startup = started.elapsed();
    tokio::time::sleep(IDLE).await;
    let pids = tree(pid);
    let (rss_kb, pss_kb) = memory(&pids);
    stop(&pids).await;
    let _ = child.wait().await;
    Ok(Sample {
        startup,
        rss_kb,
        pss_kb,
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

pub async fn run(app: &Path, hello: &Path, deb: &Path, installer: &Path) -> Res<String> {
    let xvfb = Xvfb::start();
    let prepared = tempfile::tempdir().map_err(|e| e.to_string())?;
    sign_in_folder(prepared.path()).await?;
    let (mut apps, mut hellos) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        hellos.push(measure(hello, &xvfb.display, None).await?);
        let data = tempfile::tempdir().map_err(|e| e.to_string())?;
        copy_dir(prepared.path(), data.path())?;
        apps.push(measure(app, &xvfb.display, Some(data.path())).await?);
        eprintln!(
            "run {}: hello {} ms, app {} ms",
            run + 1,
            hellos[run].startup.as_millis(),
            apps[run].startup.as_millis()
        );
    }
    let start = |v: &[Sample]| median(v.iter().map(|s| s.startup).collect());
    let rss = |v: &[Sample]| median(v.iter().map(|s| s.rss_kb).collect());
    let pss = |v: &[Sample]| median(v.iter().map(|s| s.pss_kb).collect());
    let start_ratio = start(&apps).as_secs_f64() / start(&hellos).as_secs_f64();
    let pss_ratio = pss(&apps) as f64 / pss(&hellos) as f64;
    let rss_ratio = rss(&apps) as f64 / rss(&hellos) as f64;
    let deb_mb = file_mib(deb);
    let mut table = format!(
        "The builds that ship (the `dist` profile: release, optimised for size), {RUNS} runs \
         alternating with a hello-world Tauri 2 app built the same way \
         (`bench/hello`: one window, one static page), under Xvfb; medians.\n\n\
         | | the app (sign-in page) | hello world | ratio | target (≤ {TARGET_RATIO}×) |\n\
         |---|---|---|---|---|\n\
         | start-up to the first page | {} ms | {} ms | {start_ratio:.2}× | {} |\n\
         | idle memory, PSS (all processes) | {:.0} MiB | {:.0} MiB | {pss_ratio:.2}× | {} |\n\
         | idle memory, RSS (all processes) | {:.0} MiB | {:.0} MiB | {rss_ratio:.2}× | |\n\n",
        start(&apps).as_millis(),
        start(&hellos).as_millis(),
        verdict(start_ratio <= TARGET_RATIO),
        mib(pss(&apps)),
        mib(pss(&hellos)),
        verdict(pss_ratio <= TARGET_RATIO),
        mib(rss(&apps)),
        mib(rss(&hellos)),
    );
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

/// The paths `run` reads, from its arguments.
pub fn paths(args: &[String]) -> Option<(PathBuf, PathBuf, PathBuf, PathBuf)> {
    match args {
        [app, hello, deb, installer, ..] => Some((
            PathBuf::from(app),
            PathBuf::from(hello),
            PathBuf::from(deb),
            PathBuf::from(installer),
        )),
        _ => None,
    }
}
