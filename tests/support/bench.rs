//! `cargo xtask bench`: what the sync engine costs next to the plain tools doing the same
//! work, measured in one run on one machine. Writes a Markdown table to the path given.
//!
//! - adding a file to the material store (SHA-256 and a copy) against `openssl dgst -sha256`
//!   (it uses the CPU's SHA instructions, as the `sha2` crate does; coreutils' `sha256sum` may
//!   not, so it is no yardstick);
//! - a tus upload by the core (1 MiB chunks, each with its checksum, state saved before and
//!   after every chunk) against `curl` sending the same file in one PATCH to the same service.
//!
//! `yiqifu-bench search <output.md>` measures the policy library's search instead
//! (`bench_search.rs`); `yiqifu-bench durability <output.md>` what the service's
//! `synchronous=FULL` costs (`bench_durability.rs`); `yiqifu-bench startup <output.md> <app>
//! <hello> <deb> <installer> <appimage>` the app's start-up, memory and size against a hello-world Tauri
//! app (`bench_startup.rs`); `yiqifu-bench trial <output.md> <hello> <runs> <app>...` only the
//! main page's start of one build or several side by side, for trying a change
//! (`cargo xtask bench trial`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

#[path = "bench_durability.rs"]
mod bench_durability;
#[path = "bench_package.rs"]
mod bench_package;
#[path = "bench_search.rs"]
mod bench_search;
// Xvfb, /proc and signals: measured on Linux (and compiled wherever those exist).
#[cfg(unix)]
#[path = "bench_startup.rs"]
mod bench_startup;

use yiqifu_core::secrets::{ensure_session_keyring, Keychain};
use yiqifu_core::{App, ServerChoice};

const MIB: usize = 1024 * 1024;
/// Under the service's 20 MiB cap for appeal attachments.
const FILE_BYTES: usize = 16 * MIB;
const RUNS: usize = 5;
const KIND: &str = "appeal_attachment";

type Res<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("pack") && args.len() > 3 {
        let files: Vec<PathBuf> = args[3..].iter().map(PathBuf::from).collect();
        return match bench_package::pack_child(Path::new(&args[2]), &files) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("pack failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    // `search` and `durability` are benches of their own: the first needs a large catalog
    // the others do not, the second services of its own.
    let mode = args
        .get(1)
        .map(String::as_str)
        .filter(|m| ["search", "durability", "startup", "trial"].contains(m));
    let Some(out) = args.get(if mode.is_some() { 2 } else { 1 }).cloned() else {
        eprintln!(
            "usage: yiqifu-bench [search|durability] <output.md>\n       \
             yiqifu-bench startup <output.md> <app> <hello> <deb> <installer> <appimage>\n       \
             yiqifu-bench trial <output.md> <hello> <runs> <app>..."
        );
        return ExitCode::from(2);
    };
    // Before the runtime starts threads: a keyring joined later is the joining thread's alone.
    if let Err(e) = ensure_session_keyring() {
        eprintln!("no session keyring: {e}");
        return ExitCode::FAILURE;
    }
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    let measured = rt.block_on(async {
        match mode {
            Some("search") => bench_search::run().await,
            Some("startup") => startup(&args[3..]).await,
            Some("trial") => trial(&args[3..]).await,
            Some(_) => bench_durability::run().await,
            None => run().await,
        }
    });
    match measured {
        Ok(table) => match std::fs::write(&out, &table) {
            Ok(()) => {
                print!("{table}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot write {out}: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(unix)]
async fn startup(args: &[String]) -> Res<String> {
    match bench_startup::paths(args) {
        Some((app, hello, deb, installer, appimage)) => {
            bench_startup::run(&app, &hello, &deb, &installer, &appimage).await
        }
        None => Err("startup needs <app> <hello> <deb> <installer> <appimage>".into()),
    }
}

#[cfg(not(unix))]
async fn startup(_args: &[String]) -> Res<String> {
    Err("the start-up bench runs on Linux (Xvfb, /proc)".into())
}

#[cfg(unix)]
async fn trial(args: &[String]) -> Res<String> {
    let [hello, runs, apps @ ..] = args else {
        return Err("trial needs <hello> <runs> <app>...".into());
    };
    let runs = match runs.parse::<usize>() {
        Ok(n) if n > 0 => n,
        _ => return Err(format!("runs must be a whole number above 0, not {runs:?}")),
    };
    if apps.is_empty() {
        return Err("trial needs at least one app to start".into());
    }
    let apps: Vec<PathBuf> = apps.iter().map(PathBuf::from).collect();
    bench_startup::trial(Path::new(hello), &apps, runs).await
}

#[cfg(not(unix))]
async fn trial(_args: &[String]) -> Res<String> {
    Err("the start-up trial runs on Linux (Xvfb, /proc)".into())
}

/// A real PDF (the service checks every upload by its content), different in every run so
/// the content-addressed store cannot skip the work. Written in blocks, so that the bench
/// itself never holds a file in memory.
fn write_file(dir: &Path, run: usize) -> Res<PathBuf> {
    use std::io::Write;
    let p = dir.join(format!("材料-{run}.pdf"));
    let f = std::fs::File::create(&p).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::new(f);
    yiqifu_files::samples::write_pdf_sized(&mut w, FILE_BYTES, 0x9e37_79b9_7f4a_7c15 ^ run as u64)
        .map_err(|e| e.to_string())?;
    w.flush().map_err(|e| e.to_string())?;
    Ok(p)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn timed(cmd: &mut Command) -> Res<Duration> {
    let start = Instant::now();
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    let took = start.elapsed();
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(took)
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// The baseline upload: tus creation, then the whole file in one PATCH, by curl.
fn curl_upload(base: &str, token: &str, file: &Path) -> Res<Duration> {
    let start = Instant::now();
    let out = Command::new("curl")
        .args(["-sS", "-f", "-o", "/dev/null", "-D", "-", "-X", "POST"])
        .arg(format!("{base}/api/v1/uploads"))
        .arg("-H")
        .arg(format!("Authorization: Bearer {token}"))
        .args(["-H", "Tus-Resumable: 1.0.0"])
        .arg("-H")
        .arg(format!("Upload-Length: {FILE_BYTES}"))
        .arg("-H")
        .arg(format!(
            "Upload-Metadata: material_type {},filename {}",
            b64(KIND),
            b64("baseline.pdf")
        ))
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "curl creation failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let headers = String::from_utf8_lossy(&out.stdout);
    let location = headers
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("location"))
        })
        .map(|(_, v)| v.trim().to_string())
        .ok_or("no Location in the creation answer")?;
    let url = if location.starts_with("http") {
        location
    } else {
        format!("{base}{location}")
    };
    timed(
        Command::new("curl")
            .args(["-sS", "-f", "-o", "/dev/null", "-X", "PATCH"])
            .arg(&url)
            .arg("-H")
            .arg(format!("Authorization: Bearer {token}"))
            .args(["-H", "Tus-Resumable: 1.0.0"])
            .args(["-H", "Upload-Offset: 0"])
            .args(["-H", "Content-Type: application/offset+octet-stream"])
            .arg("--data-binary")
            .arg(format!("@{}", file.display())),
    )?;
    Ok(start.elapsed())
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

async fn run() -> Res<String> {
    let central = yiqifu_central::start_demo(None)
        .await
        .map_err(|e| e.to_string())?;
    let url = central.url();
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).map_err(|e| e.to_string())?;
    let kc = Keychain::new(&format!("yiqifu-bench-{}", std::process::id()));
    let app = App::open(&dir.path().join("data"), kc)
        .await
        .map_err(|e| e.to_string())?;
    app.choose_server(ServerChoice::Url { url: url.clone() }, &url)
        .await
        .map_err(|e| e.to_string())?;
    let enterprise = &yiqifu_central::seed::DEMO_ENTERPRISES[0];
    let code = enterprise.credit_code();
    app.sign_in(&code, yiqifu_central::seed::DEMO_PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    let ws = app
        .active()
        .ok_or("signed in, but no enterprise on screen")?;
    let token = yiqifu_core::client::CentralClient::new(&url)
        .map_err(|e| e.to_string())?
        .login(&code, yiqifu_central::seed::DEMO_PASSWORD)
        .await
        .map_err(|e| e.to_string())?
        .access_token;
    let rss_before = peak_rss_mib();

    let (mut sha, mut add, mut curl, mut core) = (vec![], vec![], vec![], vec![]);
    for run in 0..RUNS {
        let base = write_file(&files, 2 * run)?;
        sha.push(timed(
            Command::new("openssl").args(["dgst", "-sha256"]).arg(&base),
        )?);
        let start = Instant::now();
        let id = ws
            .add_material(&base, KIND)
            .await
            .map_err(|e| e.to_string())?;
        add.push(start.elapsed());
        let start = Instant::now();
        ws.drain().await.map_err(|e| e.to_string())?;
        core.push(start.elapsed());
        let status = app.status();
        if status.outbox_queued != 0 || status.outbox_parked != 0 {
            return Err(format!("upload {id} did not finish: {status:?}"));
        }
    }
    let rss_core = peak_rss_mib();
    for run in 0..RUNS {
        let other = write_file(&files, 2 * run + 1)?;
        curl.push(curl_upload(&url, &token, &other)?);
    }
    let rss_curl = peak_rss_mib();
    app.sign_out().await.map_err(|e| e.to_string())?;
    let resumed = bench_package::resume(&central).await?;
    central.stop().await;
    let packaging = tokio::task::spawn_blocking(bench_package::packaging)
        .await
        .map_err(|e| e.to_string())??;

    let mb = FILE_BYTES as f64 / MIB as f64;
    let row = |what: &str, ours: Duration, base: Duration, baseline: &str| {
        format!(
            "| {what} | {:.0} ms ({:.0} MiB/s) | {baseline}: {:.0} ms ({:.0} MiB/s) | {:.2}× |\n",
            ours.as_secs_f64() * 1e3,
            mb / ours.as_secs_f64(),
            base.as_secs_f64() * 1e3,
            mb / base.as_secs_f64(),
            ours.as_secs_f64() / base.as_secs_f64()
        )
    };
    let mut t = String::new();
    t.push_str(&format!(
        "Median of {RUNS} runs, one {mb:.0} MiB file each, service on loopback in the same process.\n\n"
    ));
    t.push_str("| work | yiqifu-core | baseline | ratio |\n|---|---|---|---|\n");
    t.push_str(&row(
        "add to the material store (hash + copy)",
        median(add),
        median(sha),
        "`openssl dgst -sha256`",
    ));
    t.push_str(&row(
        "tus upload (1 MiB checksummed chunks)",
        median(core),
        median(curl),
        "`curl`, one PATCH",
    ));
    if let (Some(a), Some(b), Some(c)) = (rss_before, rss_core, rss_curl) {
        let verdict = |grew: f64| {
            if grew < mb {
                "less than one file: streamed, never held whole"
            } else {
                "at least one whole file: something holds files in memory"
            }
        };
        t.push_str(&format!(
            "\nPeak RSS of the bench process (client and service together): {a:.0} MiB before; \
             {b:.0} MiB after the core's {RUNS} uploads ({:.0} MiB more, {}); {c:.0} MiB after \
             the service took curl's {RUNS} single-request uploads ({:.0} MiB more, {}).\n",
            b - a,
            verdict(b - a),
            c - b,
            verdict(c - b),
        ));
        t.push_str(
            "(The service checks each completed upload by its content; a PDF is parsed whole \
             by lopdf, so the service side now holds one file while it checks it.)\n",
        );
    }
    t.push_str("\n### An upload stopped half-way\n\n");
    t.push_str(&resumed);
    t.push_str("\n### The application package\n\n");
    t.push_str(&packaging);
    Ok(t)
}
