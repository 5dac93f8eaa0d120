//! `cargo xtask run | test`: the project's two set-up commands. They install what is missing
//! (npm packages, the UI build, on Debian/Ubuntu the system packages, tauri-driver) so that a
//! fresh clone needs nothing else.

// Cross-checking Windows and macOS is done from a Linux host (CI's), with Wine and zig.
#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
mod platforms;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// System packages the app, its build and its end-to-end tests need on Debian/Ubuntu.
const APT_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "librsvg2-dev",
    "libxdo-dev",
    "libssl-dev",
    "webkit2gtk-driver",
    "xvfb",
    "xauth",
    // An end-to-end session that stops answering saves where the app's threads were.
    "gdb",
    "dbus",
    "keyutils",
    // The Secret Service for the keychain: libdbus to talk to it, GNOME Keyring to test it.
    "libdbus-1-dev",
    "gnome-keyring",
    "fonts-noto-cjk",
    "imagemagick",
    // xwininfo: the end-to-end tests find the message box of a failed start by its title.
    "x11-utils",
    // pdftotext and pdfinfo: yiqifu-report's tests read the rendered PDFs back with them.
    "poppler-utils",
    // The .deb's desktop entry is checked as desktops read it.
    "desktop-file-utils",
    // The AppImage is packed with mksquashfs, and checked with libappimage, as desktop
    // integration tools read AppImages.
    "squashfs-tools",
    "libappimage1.0abi1",
    // The baselines of `cargo xtask bench`.
    "curl",
    // The central service's tests run on a real PostgreSQL server too, started by the tests.
    "postgresql",
    // ...with uploads in S3, served by moto in a virtual environment of its own.
    "python3-venv",
    "openssl",
    // Windows checks and tests from Linux: a cross C compiler, windres, and Wine to run them.
    "mingw-w64",
    "wine",
    "wine64",
    // The Windows installer, built and tried under Wine.
    "nsis",
];

/// The S3-compatible server the service's upload store is tested against (PyPI's moto).
#[cfg(unix)]
const MOTO: &str = "moto[server]==5.2.5";

/// The tauri-driver release line: the Tauri 2 family, never the 3.0 alphas.
#[cfg(target_os = "linux")]
const TAURI_DRIVER_VERSION: &str = "^2";

/// cargo-sweep, which removes a target folder's least recently used builds.
const CARGO_SWEEP_VERSION: &str = "0.8.0";
/// Each fresh clone (each CI run) is a new path, so it builds the workspace's own crates anew
/// (~6 GB with the Windows build) and nothing reads them again: the shared target folder grew
/// to 72 GB and filled this machine's disk (~92 GB for everything). A run first removes the
/// builds cargo has not looked at for [`TARGET_UNUSED_DAYS`] days (cargo-sweep reads the access
/// times of their fingerprints; a `relatime` disk updates those at most daily, so a shorter
/// span would take builds every run uses), then, only if the folder is still over
/// [`TARGET_KEPT`], the least recently used until it fits. That cap took builds every run uses
/// when it was 55 GB (a run went from 21 to 35 minutes, rebuilding them): it is the disk's
/// backstop, not the usual trim.
const TARGET_UNUSED_DAYS: &str = "2";
const TARGET_KEPT: &str = "65GB";

struct Failure(String);

type Result<T = ()> = std::result::Result<T, Failure>;

fn fail<T>(msg: impl Into<String>) -> Result<T> {
    Err(Failure(msg.into()))
}

/// The clone being worked on. `cargo run` names it at run time; the path compiled in is
/// only a fallback, because clones that share one target directory share one xtask binary,
/// and its compiled-in path is that of whichever clone built it last.
fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The build directory lives outside the clone so a fresh clone starts warm.
fn target_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache/yiqifu/target")
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root()).env("CARGO_TARGET_DIR", target_dir());
    // `cargo run` gave this process the xtask package's own variables. Passed on, they differ
    // from a plain `cargo build` in the shell, and build scripts that watch them (ring's
    // watches CARGO_MANIFEST_DIR) ran again, rebuilding ring, rustls and all above them each
    // time one switched between the two.
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if name.starts_with("CARGO_PKG_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
            ]
            .contains(&name)
        {
            c.env_remove(name);
        }
    }
    c
}

fn run(step: &str, cmd: &mut Command) -> Result {
    let started = Instant::now();
    println!("==> {step}");
    let status = cmd
        .status()
        .map_err(|e| Failure(format!("{step}: cannot start {:?}: {e}", cmd.get_program())))?;
    println!("<== {step}: {:.1}s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        fail(format!("{step} failed ({status})"))
    }
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

fn dpkg_missing(packages: &[&str]) -> Vec<String> {
    packages
        .iter()
        .filter(|p| {
            !Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
                .unwrap_or(false)
        })
        .map(|p| p.to_string())
        .collect()
}

/// On Debian/Ubuntu, installs the missing system packages (the common ones and `extra`)
/// in one apt run when root, or says how.
fn system_packages(extra: &[&str]) -> Result {
    if !cfg!(target_os = "linux") || !have("dpkg-query") {
        return Ok(());
    }
    let wanted: Vec<&str> = APT_PACKAGES.iter().chain(extra).copied().collect();
    let missing = dpkg_missing(&wanted);
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    if !is_root() {
        return fail(format!(
            "missing system packages; install them with:\n  sudo apt-get update && sudo apt-get install -y {list}"
        ));
    }
    run(
        "apt-get update",
        Command::new("apt-get").args(["update", "-qq"]),
    )?;
    run(
        &format!("apt-get install {list}"),
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn npm() -> Command {
    let mut c = Command::new("npm");
    c.current_dir(root().join("ui"));
    c
}

/// Installs the UI's npm packages when the lock file changed since the last install.
fn npm_install() -> Result {
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => match (s.modified(), l.modified()) {
            (Ok(s), Ok(l)) => s >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(
        "npm ci",
        npm().args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]),
    )
}

fn ui_build() -> Result {
    npm_install()?;
    if ui_built_from_current_sources() {
        println!("==> UI build: ui/dist is newer than every UI source, kept");
        return Ok(());
    }
    run("UI build", npm().args(["run", "build"]))
}

/// Whether ui/dist was built after the last change to anything it is built from: a run of
/// the app with nothing changed should not spend 10–16 s building the same UI again.
fn ui_built_from_current_sources() -> bool {
    let ui = root().join("ui");
    let Ok(built) = std::fs::metadata(ui.join("dist/index.html")).and_then(|m| m.modified()) else {
        return false;
    };
    let mut inputs: Vec<PathBuf> = [
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "tsconfig.json",
    ]
    .iter()
    .map(|f| ui.join(f))
    .collect();
    // build/ is the build's own code (antd's styles are made there).
    let mut dirs = vec![ui.join("src"), ui.join("public"), ui.join("build")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                inputs.push(path);
            }
        }
    }
    inputs.iter().all(|f| {
        std::fs::metadata(f)
            .and_then(|m| m.modified())
            .map(|m| m <= built)
            // A file that cannot be read is treated as changed.
            .unwrap_or(!f.exists())
    })
}

#[cfg(target_os = "linux")]
fn tauri_driver() -> Result {
    if have("tauri-driver") {
        return Ok(());
    }
    run(
        "cargo install tauri-driver",
        cargo().args([
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
        ]),
    )
}

/// Trims the shared target folder: builds long unused, then, past [`TARGET_KEPT`], the least
/// recently used.
fn sweep_target() -> Result {
    if !have("cargo-sweep") {
        run(
            "cargo install cargo-sweep",
            cargo().args([
                "install",
                "cargo-sweep",
                "--locked",
                "--version",
                CARGO_SWEEP_VERSION,
            ]),
        )?;
    }
    run(
        &format!("builds unused for {TARGET_UNUSED_DAYS} days removed (cargo sweep)"),
        cargo().args(["sweep", "--time", TARGET_UNUSED_DAYS]),
    )?;
    run(
        &format!("the target folder kept under {TARGET_KEPT} (cargo sweep)"),
        cargo().args(["sweep", "--maxsize", TARGET_KEPT]),
    )
}

/// moto's server in `~/.cache/yiqifu/moto`, where the service's tests look for it.
#[cfg(unix)]
fn moto() -> Result {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let venv = home.join(".cache/yiqifu/moto");
    let pip = venv.join("bin/pip");
    let version = Command::new(&pip)
        .args(["show", "moto"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default();
    let wanted = MOTO.rsplit("==").next().unwrap_or_default();
    if version.contains(&format!("Version: {wanted}\n")) && venv.join("bin/moto_server").exists() {
        return Ok(());
    }
    run(
        "python3 -m venv (for moto)",
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
    )?;
    run(
        &format!("pip install {MOTO}"),
        Command::new(&pip).args(["install", "--quiet", "--disable-pip-version-check", MOTO]),
    )
}

/// Runs the app on the built-in demo central service (or the one chosen before).
fn cmd_run() -> Result {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return fail(
            "no display: run it in a desktop session, or under `xvfb-run -a cargo xtask run`",
        );
    }
    system_packages(&[])?;
    ui_build()?;
    run("cargo build", cargo().args(["build", "--workspace"]))?;
    let exe = target_dir()
        .join("debug")
        .join(format!("yiqifu-desktop{}", std::env::consts::EXE_SUFFIX));
    let mut c = Command::new(&exe);
    c.current_dir(root());
    run("yiqifu-desktop", &mut c)
}

/// Every check CI runs, in the order that fails fastest.
fn cmd_test() -> Result {
    let started = Instant::now();
    system_packages(&[])?;
    // Without a private bus the keychain tests would reach this machine's own keyring: on
    // Linux a missing dbus-run-session stops the run, before the long steps, instead of
    // quietly going without it.
    if cfg!(target_os = "linux") && !have("dbus-run-session") {
        return fail(
            "dbus-run-session is missing: install the dbus package (apt-get install dbus), \
             so the tests run on a private session bus and never touch this machine's keyring",
        );
    }
    #[cfg(target_os = "linux")]
    {
        tauri_driver()?;
        platforms::install_tools()?;
    }
    #[cfg(unix)]
    moto()?;
    sweep_target()?;
    run(
        "cargo fmt --check",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    npm_install()?;
    run("UI lint", npm().args(["run", "lint"]))?;
    run("UI unit tests", npm().args(["run", "test"]))?;
    // The app embeds ui/dist, so the UI is built before any cargo command touches the app.
    ui_build()?;
    run(
        "cargo clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // The end-to-end suite drives the built app binary, so build it before the tests run.
    run("cargo build", cargo().args(["build", "--workspace"]))?;
    #[cfg(target_os = "linux")]
    {
        // The .deb as `bundle` makes it, from this debug binary (uncompressed: the release's
        // xz would take minutes on it), checked as a machine would take it.
        println!("==> the .deb");
        let out = target_dir().join("bundle-test");
        std::fs::create_dir_all(&out)
            .map_err(|e| Failure(format!("cannot create {}: {e}", out.display())))?;
        let binary = target_dir().join("debug").join("yiqifu-desktop");
        let deb = linux::deb(&root(), &binary, &out, "none")?;
        linux::check_deb(&deb)?;
        let _ = std::fs::remove_file(&deb);
        println!("<== the .deb");
        test_appimage()?;
    }
    let mut test = if cfg!(target_os = "linux") {
        // A private bus for the run: nothing the app's WebKit starts outlives the tests.
        let mut c = Command::new("dbus-run-session");
        c.arg("--")
            .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        c.current_dir(root()).env("CARGO_TARGET_DIR", target_dir());
        c
    } else {
        cargo()
    };
    run(
        "cargo test",
        test.args(["test", "--workspace", "--all-targets", "--no-fail-fast"]),
    )?;
    // The same service tests once more with every service on PostgreSQL: no feature may
    // exist on one database only. The tests start the server themselves.
    run(
        "the central service's tests on PostgreSQL",
        cargo().env("YIQIFU_CENTRAL_DB", "postgres").args([
            "test",
            "-p",
            "yiqifu-central",
            "--no-fail-fast",
        ]),
    )?;
    #[cfg(target_os = "linux")]
    {
        // The officers are on Windows and macOS: both must compile, and the core's tests
        // must pass with Windows semantics, on every change.
        platforms::check_windows()?;
        platforms::check_macos()?;
        platforms::test_windows()?;
        platforms::test_installer(&root())?;
        platforms::test_without_webview2()?;
    }
    println!(
        "all checks passed in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The full fault scenario of the sync engine (the smaller one runs in `test`); it prints a
/// line `soak: <figures>`.
fn soak_command() -> Command {
    let mut c = cargo();
    c.args([
        "test",
        "-p",
        "yiqifu-tests",
        "--features",
        "soak",
        "--test",
        "sync_soak",
        "--",
        "--nocapture",
    ]);
    c
}

fn cmd_soak() -> Result {
    run("sync soak", &mut soak_command())
}

/// When, on what, and how busy: the date, the CPU, its cores, and the load average now.
fn machine() -> (String, String, usize, String) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    // Ratios on a 2-core machine move a lot when something else runs: say how busy it was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .map_or_else(String::new, |l| format!(", load average {l} when it ended"));
    (date, cpu, cores, load)
}

/// Benchmarks against baselines measured in the same run; the figures go to
/// docs/benchmarks.md. Not part of `test`: figures from a loaded CI machine mean little.
fn cmd_bench() -> Result {
    system_packages(&[])?;
    build_bench()?;
    let table = target_dir().join("bench-sync.md");
    run(
        "sync bench",
        Command::new(target_dir().join("release").join("yiqifu-bench")).arg(&table),
    )?;
    let sync = std::fs::read_to_string(&table)
        .map_err(|e| Failure(format!("cannot read {}: {e}", table.display())))?;
    let table = target_dir().join("bench-search.md");
    run(
        "search bench (20,000 documents)",
        Command::new(target_dir().join("release").join("yiqifu-bench"))
            .arg("search")
            .arg(&table),
    )?;
    let search = std::fs::read_to_string(&table)
        .map_err(|e| Failure(format!("cannot read {}: {e}", table.display())))?;
    let table = target_dir().join("bench-durability.md");
    run(
        "service durability bench (FULL against NORMAL)",
        Command::new(target_dir().join("release").join("yiqifu-bench"))
            .arg("durability")
            .arg(&table),
    )?;
    let durability = std::fs::read_to_string(&table)
        .map_err(|e| Failure(format!("cannot read {}: {e}", table.display())))?;

    let startup = startup_bench()?;

    println!("==> sync soak");
    let started = Instant::now();
    let out = soak_command()
        .output()
        .map_err(|e| Failure(format!("sync soak: {e}")))?;
    let log =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        eprintln!("{log}");
        return fail("the sync soak failed");
    }
    println!("<== sync soak: {:.1}s", started.elapsed().as_secs_f64());
    let soak = log
        .lines()
        .find(|l| l.starts_with("soak: "))
        .ok_or_else(|| Failure("the soak printed no figures".into()))?
        .trim_start_matches("soak: ")
        .to_string();

    let (date, cpu, cores, load) = machine();
    let doc = format!(
        "# Benchmarks\n\n\
         Written by `cargo xtask bench` on {date}: {cpu}, {cores} cores{load}. Every figure is \
         compared with a baseline measured in the same run on the same machine, so the ratios \
         carry over between machines better than the times do.\n\n\
         ## Materials, uploads and the application package\n\n{sync}\n\
         ## Sync engine: the full fault scenario\n\n\
         200 queued mutations and 20 uploads of 3 MiB, by two enterprises on one computer, \
         through a proxy that faults 30% of connections, with the client killed (SIGKILL) 10 \
         times in the middle of its work (each kill after that run changed the service's \
         state, while a request was in flight) and restarted; everything arrived exactly \
         once, in its own enterprise's account, and byte-identical (debug build): {soak}.\n\n\
         ## Search\n\n{search}\n\
         ## Service durability\n\n\
         The service's database runs with `synchronous=FULL`: a power cut cannot lose a \
         submission it already answered, after which the client has deleted its copy. \
         Appeal submissions over loopback (200 per client) (release build), against `NORMAL` in the same run, \
         each mode twice in turn:\n\n{durability}\n\
         {STARTUP_HEADING}\n\n{startup}"
    );
    let path = root().join("docs").join("benchmarks.md");
    // The load sections (the page's last) are `cargo xtask load`'s, which this run does not
    // measure: kept.
    let load_section = std::fs::read_to_string(&path).ok().and_then(|old| {
        let at = old.find(LOAD_HEADING)?;
        Some(old[at..].to_string())
    });
    let doc = match load_section {
        Some(section) => format!(
            "{}\n{section}",
            doc.trim_end_matches('\n').to_string() + "\n"
        ),
        None => doc,
    };
    std::fs::create_dir_all(root().join("docs"))
        .and_then(|()| std::fs::write(&path, &doc))
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
    println!("{doc}\nwritten to {}", path.display());
    Ok(())
}

const STARTUP_HEADING: &str = "## Start-up, memory and size";

/// The bench's own program (release), which every part of `bench` runs.
fn build_bench() -> Result {
    run(
        "build the bench (release)",
        cargo().args([
            "build",
            "--release",
            "-p",
            "yiqifu-tests",
            "--bin",
            "yiqifu-bench",
        ]),
    )
}

/// The builds that ship (the dist profile), the UI first, and hello world built the same way:
/// what the start-up bench and its trials start.
#[cfg(target_os = "linux")]
fn build_shipped() -> Result {
    ui_build()?;
    run(
        "the builds that ship (dist profile): the app and hello world",
        cargo().args([
            "build",
            "--profile",
            "dist",
            "-p",
            "yiqifu-desktop",
            "-p",
            "yiqifu-hello",
        ]),
    )
}

/// `cargo xtask bench startup`: only the start-up section, put in place in
/// docs/benchmarks.md (the whole bench takes long; this part is what a UI change moves).
fn cmd_bench_startup() -> Result {
    system_packages(&[])?;
    build_bench()?;
    let table = startup_bench()?;
    let (date, cpu, cores, load) = machine();
    let table = format!(
        "Measured by `cargo xtask bench startup` on {date}: {cpu}, {cores} cores{load}; the \
         sections above are from the last full run.\n\n{table}"
    );
    put_section(STARTUP_HEADING, &table)
}

/// `cargo xtask bench trial [runs] [other app]...`: only the main page's start against hello
/// world, a few minutes, printed and not written to docs/benchmarks.md: for trying a change to
/// the page's start. The working tree's dist build is started, and beside it, in the same
/// runs, any other builds named (a copy of the build before the change).
fn cmd_bench_trial() -> Result {
    #[cfg(target_os = "linux")]
    {
        let runs = std::env::args().nth(3).unwrap_or_else(|| "9".into());
        // Before the builds, which take minutes: `bench trial ./old-build` is a mistake to
        // say at once.
        if !matches!(runs.parse::<usize>(), Ok(n) if n > 0) {
            return Err(Failure(format!(
                "`cargo xtask bench trial [runs] [other build]...`: runs is a whole number above 0, not {runs:?}"
            )));
        }
        let others: Vec<String> = std::env::args().skip(4).collect();
        system_packages(&[])?;
        build_bench()?;
        build_shipped()?;
        let dist = target_dir().join("dist");
        let table = target_dir().join("bench-trial.md");
        run(
            "the main page's start against hello world",
            Command::new("dbus-run-session")
                .arg("--")
                .arg(target_dir().join("release").join("yiqifu-bench"))
                .arg("trial")
                .arg(&table)
                .arg(dist.join("yiqifu-hello"))
                .arg(runs)
                .arg(dist.join("yiqifu-desktop"))
                .args(others),
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(Failure(
            "the start-up trial runs on Linux (Xvfb, /proc)".into(),
        ))
    }
}

/// Puts `body` under `heading` in docs/benchmarks.md, in place of what was there (or at the
/// end): the parts of the bench that run on their own keep the rest of the page.
fn put_section(heading: &str, body: &str) -> Result {
    let path = root().join("docs").join("benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    // A blank line before the next heading, however the body ends.
    let section = format!("{heading}\n\n{}\n\n", body.trim_end());
    let doc = match doc.find(heading) {
        Some(at) => {
            let rest = &doc[at + heading.len()..];
            let end = rest
                .find("\n## ")
                .map_or(doc.len(), |i| at + heading.len() + i + 1);
            format!("{}{section}{}", &doc[..at], &doc[end..])
        }
        None => format!(
            "{}\n{section}",
            doc.trim_end_matches('\n').to_string() + "\n"
        ),
    };
    std::fs::write(&path, &doc)
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
    println!("{body}\nwritten to {}", path.display());
    Ok(())
}

const LOAD_HEADING: &str = "## The central service under load";

const BURST_HEADING: &str = "## A whitelist batch opens";

/// `cargo xtask load [burst]`: the service under 1,000 syncing clients and more, on SQLite
/// and on PostgreSQL, then a whitelist batch's burst of large applications on PostgreSQL (or
/// the burst alone); each its section of docs/benchmarks.md.
fn cmd_load(burst_only: bool) -> Result {
    system_packages(&[])?;
    run(
        "build the service and the load generator (release)",
        cargo().args([
            "build",
            "--release",
            "-p",
            "yiqifu-central",
            "-p",
            "yiqifu-tests",
            "--bin",
            "yiqifu-central",
            "--bin",
            "yiqifu-load",
        ]),
    )?;
    let parts: &[(&str, &str, &str)] = if burst_only {
        &[(
            "burst",
            "load: the batch burst on PostgreSQL",
            BURST_HEADING,
        )]
    } else {
        &[
            ("ladder", "load: SQLite, then PostgreSQL", LOAD_HEADING),
            (
                "burst",
                "load: the batch burst on PostgreSQL",
                BURST_HEADING,
            ),
        ]
    };
    for (part, title, heading) in parts {
        let table = target_dir().join(format!("bench-load-{part}.md"));
        run(
            title,
            Command::new(target_dir().join("release").join("yiqifu-load"))
                .arg(part)
                .arg(&table),
        )?;
        let body = std::fs::read_to_string(&table)
            .map_err(|e| Failure(format!("cannot read {}: {e}", table.display())))?;
        let (date, cpu, cores, load) = machine();
        put_section(
            heading,
            &format!(
                "Measured by `cargo xtask load` on {date}: {cpu}, {cores} cores{load}. The \
                 load generator runs on the same machine as the service (and the database \
                 server), so they share its cores.\n\n{body}"
            ),
        )?;
    }
    Ok(())
}

/// The app's start-up, idle memory and size against a hello-world Tauri app: both release
/// builds, the .deb, and the Windows installer and the AppImage when `bundle` built them.
fn startup_bench() -> Result<String> {
    #[cfg(target_os = "linux")]
    {
        build_shipped()?;
        let deb = bundle_deb()?;
        let release = target_dir().join("release");
        let dist = target_dir().join("dist");
        let installer = target_dir().join("bundle").join("windows").join(format!(
            "yiqifu-desktop-{}-setup.exe",
            env!("CARGO_PKG_VERSION")
        ));
        let table = target_dir().join("bench-startup.md");
        // A private bus, as the tests have: the app's WebKit talks to one.
        run(
            "start-up and memory bench (against hello world)",
            Command::new("dbus-run-session")
                .arg("--")
                .arg(release.join("yiqifu-bench"))
                .arg("startup")
                .arg(&table)
                .arg(dist.join("yiqifu-desktop"))
                .arg(dist.join("yiqifu-hello"))
                .arg(&deb)
                .arg(&installer)
                .arg(
                    target_dir()
                        .join("bundle")
                        .join("linux")
                        .join(linux::appimage_name()),
                ),
        )?;
        std::fs::read_to_string(&table)
            .map_err(|e| Failure(format!("cannot read {}: {e}", table.display())))
    }
    #[cfg(not(target_os = "linux"))]
    {
        Ok("Measured on Linux only (Xvfb, /proc).\n".into())
    }
}

/// The Linux .deb and AppImage, and the Windows release executable with its WebView2 loader
/// in an NSIS installer.
fn cmd_bundle() -> Result {
    #[cfg(target_os = "linux")]
    {
        system_packages(&[])?;
        platforms::install_tools()?;
        ui_build()?;
        let deb = bundle_deb()?;
        linux::check_deb(&deb)?;
        let appimage = bundle_appimage()?;
        let setup = platforms::bundle_windows(&root())?;
        println!("Linux package: {}", deb.display());
        println!("Linux AppImage: {}", appimage.display());
        println!("Windows installer: {}", setup.display());
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        fail("bundle runs on a Linux host (it cross-builds for Windows with mingw-w64 and NSIS)")
    }
}

/// The build that ships (the `dist` profile: release, optimised for size) for this Linux, packaged: `target/bundle/linux/*.deb`.
#[cfg(target_os = "linux")]
fn bundle_deb() -> Result<PathBuf> {
    run(
        "cargo build --profile dist",
        cargo().args(["build", "--profile", "dist", "-p", "yiqifu-desktop"]),
    )?;
    let out = target_dir().join("bundle").join("linux");
    std::fs::create_dir_all(&out)
        .map_err(|e| Failure(format!("cannot create {}: {e}", out.display())))?;
    let binary = target_dir().join("dist").join("yiqifu-desktop");
    linux::deb(&root(), &binary, &out, "xz")
}

/// The `dist` binary as an AppImage behind the `dist` runtime, checked as the test checks
/// its debug twin: `target/bundle/linux/*.AppImage`.
#[cfg(target_os = "linux")]
fn bundle_appimage() -> Result<PathBuf> {
    run(
        "cargo build --profile dist (the AppImage runtime)",
        cargo().args(["build", "--profile", "dist", "-p", "yiqifu-appimage"]),
    )?;
    let dist = target_dir().join("dist");
    let out = target_dir().join("bundle").join("linux");
    let binary = dist.join("yiqifu-desktop");
    let appimage = linux::appimage(
        &root(),
        &binary,
        &dist.join("yiqifu-appimage-runtime"),
        &out,
        true,
    )?;
    linux::check_appimage(&appimage, &binary, &target_dir().join("appimage-test"))?;
    Ok(appimage)
}

/// The AppImage as `bundle` makes it, from the debug binary and runtime (their data stored
/// as it is: gzip would take long over the debug binary), checked as a machine takes it.
#[cfg(target_os = "linux")]
fn test_appimage() -> Result {
    println!("==> the AppImage");
    let debug = target_dir().join("debug");
    let binary = debug.join("yiqifu-desktop");
    let out = target_dir().join("bundle-test");
    std::fs::create_dir_all(&out)
        .map_err(|e| Failure(format!("cannot create {}: {e}", out.display())))?;
    let runtime = debug.join("yiqifu-appimage-runtime");
    let appimage = linux::appimage(&root(), &binary, &runtime, &out, false)?;
    linux::check_appimage(&appimage, &binary, &target_dir().join("appimage-test"))?;
    let _ = std::fs::remove_file(&appimage);
    println!("<== the AppImage");
    Ok(())
}

/// The AppImage of the debug build, made and tried on its own (a step of `test`).
fn cmd_appimage() -> Result {
    #[cfg(target_os = "linux")]
    {
        system_packages(&[])?;
        ui_build()?;
        run("cargo build", cargo().args(["build", "--workspace"]))?;
        test_appimage()
    }
    #[cfg(not(target_os = "linux"))]
    {
        fail("an AppImage is made and tried on Linux")
    }
}

/// The Windows installer and the app without WebView2 tried under Wine, on their own (`test`
/// runs them last).
fn cmd_installer() -> Result {
    #[cfg(target_os = "linux")]
    {
        system_packages(&[])?;
        platforms::test_installer(&root())?;
        platforms::test_without_webview2()
    }
    #[cfg(not(target_os = "linux"))]
    {
        fail("the installer is tried under Wine, on a Linux host")
    }
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "run" => cmd_run(),
        "test" => cmd_test(),
        "bundle" => cmd_bundle(),
        "installer" => cmd_installer(),
        "appimage" => cmd_appimage(),
        "soak" => cmd_soak(),
        "bench" if std::env::args().nth(2).as_deref() == Some("startup") => cmd_bench_startup(),
        "bench" if std::env::args().nth(2).as_deref() == Some("trial") => cmd_bench_trial(),
        "bench" => cmd_bench(),
        "load" => cmd_load(std::env::args().nth(2).as_deref() == Some("burst")),
        _ => {
            eprintln!("usage: cargo xtask <run|test|bench|load|bundle|installer|appimage|soak>\n  run     build and start the app on the built-in demo central service\n  test    every check: fmt, clippy, UI lint and tests, Rust tests, end-to-end under Xvfb,\n          Windows and macOS builds, the core crates' tests under Wine\n  bench   benchmarks against baselines from the same run, written to docs/benchmarks.md\n          (`bench startup`: only start-up, memory and size against a hello-world Tauri app;\n          `bench trial [runs] [other app]...`: only the main page's start, printed, for trying\n          a change beside the build before it)\n  load    the central service under 1,000 syncing clients and more, on SQLite and PostgreSQL,\n          then a whitelist batch's burst of 50 MB applications beside them (`load burst`: only that)\n  bundle  the release builds packaged: the Linux .deb and AppImage, the Windows installer (NSIS)\n  installer  the installer script, and the app without WebView2, tried under Wine (also steps of test)\n  appimage   the AppImage of the debug build, made and started under Xvfb (also a step of test)\n  soak    the full sync fault scenario: 200 mutations, 20 uploads, 30% faults, 10 kills");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(msg)) => {
            eprintln!("xtask {task}: {msg}");
            ExitCode::FAILURE
        }
    }
}
