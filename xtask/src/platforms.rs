//! The officers' platforms, checked from Linux: `cargo check` for Windows (mingw-w64) and
//! macOS (zig's clang as the C compiler), and the core crates' tests built for Windows and
//! run under Wine.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, fail, have, run, target_dir, Failure, Result};

pub const WINDOWS: &str = "x86_64-pc-windows-gnu";
pub const MACOS: &str = "aarch64-apple-darwin";

/// The zig release that serves as the macOS C compiler, from PyPI.
const ZIGLANG: &str = "ziglang==0.17.1";

/// The crates whose tests run under Wine: everything below the shell.
const WINDOWS_TESTED: &[&str] = &["yiqifu-core", "yiqifu-protocol", "yiqifu-central"];

fn assets() -> PathBuf {
    crate::root().join("xtask").join("assets")
}

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

/// The Rust standard libraries for both targets, and zig for the macOS C code.
pub fn install_tools() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| Failure(format!("rustup is needed to add the cross targets: {e}")))?;
    let installed = String::from_utf8_lossy(&installed.stdout);
    let missing: Vec<&str> = [WINDOWS, MACOS]
        .into_iter()
        .filter(|t| !installed.lines().any(|l| l.trim() == *t))
        .collect();
    if !missing.is_empty() {
        run(
            "rustup target add",
            Command::new("rustup")
                .args(["target", "add"])
                .args(&missing),
        )?;
    }
    let zig = Command::new(python())
        .args(["-m", "ziglang", "version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !zig {
        run(
            "pip install ziglang",
            Command::new(python()).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--root-user-action=ignore",
                ZIGLANG,
            ]),
        )?;
    }
    if !have("x86_64-w64-mingw32-gcc") || !have("wine") {
        return fail("mingw-w64 and wine are needed for the Windows checks: apt-get install mingw-w64 wine wine64");
    }
    Ok(())
}

pub fn check_windows() -> Result {
    run(
        "cargo check (Windows)",
        cargo().args(["check", "--workspace", "--target", WINDOWS]),
    )
}

/// The compiler wrappers, copied to a fixed place outside the clone: build scripts rerun
/// (and recompile their C code with zig, which is slow) whenever the CC path changes.
fn stable_wrappers() -> Result<(PathBuf, PathBuf)> {
    let bin = wine_prefix().with_file_name("bin");
    std::fs::create_dir_all(&bin)
        .map_err(|e| Failure(format!("cannot create {}: {e}", bin.display())))?;
    let mut out = Vec::new();
    for name in ["zig-cc-macos", "zig-ar"] {
        let src = assets().join(name);
        let dst = bin.join(name);
        let want = std::fs::read(&src)
            .map_err(|e| Failure(format!("cannot read {}: {e}", src.display())))?;
        if std::fs::read(&dst).ok().as_deref() != Some(&want[..]) {
            std::fs::copy(&src, &dst)
                .map_err(|e| Failure(format!("cannot copy {}: {e}", src.display())))?;
        }
        out.push(dst);
    }
    Ok((out[0].clone(), out[1].clone()))
}

pub fn check_macos() -> Result {
    let (cc, ar) = stable_wrappers()?;
    run(
        "cargo check (macOS)",
        cargo()
            .args(["check", "--workspace", "--target", MACOS])
            .env("CC_aarch64_apple_darwin", &cc)
            .env("CXX_aarch64_apple_darwin", &cc)
            .env("AR_aarch64_apple_darwin", &ar)
            .env("CFLAGS_aarch64_apple_darwin", "")
            // ring and others probe the SDK through these when set; zig brings its own headers.
            .env_remove("SDKROOT")
            .env_remove("MACOSX_DEPLOYMENT_TARGET"),
    )
}

fn wine_prefix() -> PathBuf {
    target_dir()
        .parent()
        .map(|p| p.join("wine"))
        .unwrap_or_else(|| PathBuf::from("wine"))
}

fn wine(cmd: &mut Command, prefix: &Path) {
    cmd.env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        // No Mono or Gecko installer prompts in a headless prefix.
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .env_remove("DISPLAY");
}

/// A Wine prefix with the ProcessPrng stand-in the Rust standard library needs.
fn wine_ready() -> Result<PathBuf> {
    let prefix = wine_prefix();
    if !prefix.join("system.reg").exists() {
        std::fs::create_dir_all(&prefix)
            .map_err(|e| Failure(format!("cannot create {}: {e}", prefix.display())))?;
        let mut boot = Command::new("wineboot");
        boot.arg("--init");
        wine(&mut boot, &prefix);
        run("wineboot --init", &mut boot)?;
    }
    let dll = prefix.join("drive_c/windows/system32/bcryptprimitives.dll");
    if !dll.exists() {
        let a = assets();
        run(
            "build the ProcessPrng shim",
            Command::new("x86_64-w64-mingw32-gcc")
                .args(["-shared", "-O2", "-s", "-o"])
                .arg(&dll)
                .arg(a.join("bcryptprimitives.c"))
                .arg(a.join("bcryptprimitives.def"))
                .arg("-ladvapi32"),
        )?;
    }
    Ok(prefix)
}

pub fn test_windows() -> Result {
    let prefix = wine_ready()?;
    // One wineserver for the whole run: started and stopped by each test binary in turn,
    // a binary starting while the last one's server shut down once lost its connection
    // ("recvmsg: Connection reset by peer") and failed the run.
    // A server still lingering from the prefix's set-up (wineboot's) would refuse a second
    // one (exit status 2): wait for it to end first.
    let mut lingering = Command::new("wineserver");
    lingering.arg("--wait");
    wine(&mut lingering, &prefix);
    run("wineserver --wait", &mut lingering)?;
    let mut server = Command::new("wineserver");
    // It outlives this command: it must not hold the run's output open.
    server
        .arg("--persistent")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    wine(&mut server, &prefix);
    run("wineserver --persistent", &mut server)?;
    let tested = run_windows_tests(&prefix);
    let mut stop = Command::new("wineserver");
    stop.arg("--kill");
    wine(&mut stop, &prefix);
    let _ = stop.status();
    tested
}

fn run_windows_tests(prefix: &Path) -> Result {
    let mut c = cargo();
    c.args(["test", "--target", WINDOWS, "--no-fail-fast"]);
    for p in WINDOWS_TESTED {
        c.args(["-p", p]);
    }
    c.env("CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER", "wine");
    wine(&mut c, prefix);
    run("cargo test (Windows, under Wine)", &mut c)
}

/// Finds the WebView2 loader the webview2-com-sys build script unpacked for this target.
fn find_loader(dir: &Path) -> Option<PathBuf> {
    let direct = dir.join("WebView2Loader.dll");
    if direct.exists() {
        return Some(direct);
    }
    let mut stack = vec![dir.join("build")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "WebView2Loader.dll")
                && p.components().any(|c| c.as_os_str() == "x64")
            {
                return Some(p);
            }
        }
    }
    None
}

/// Builds the installer of `app` (a folder with the executable and the WebView2 loader).
fn make_installer(root: &Path, app: &Path, setup: &Path) -> Result {
    if !have("makensis") {
        return fail("makensis is needed for the installer: apt-get install nsis");
    }
    let define = |k: &str, v: &Path| format!("-D{k}={}", v.display());
    run(
        "makensis",
        Command::new("makensis")
            .args(["-V2", "-INPUTCHARSET", "UTF8"])
            .arg(format!("-DVERSION={}", env!("CARGO_PKG_VERSION")))
            .arg(define("OUTFILE", setup))
            .arg(define("SRCDIR", app))
            .arg(define("ICON", &root.join("icons/icon.ico")))
            .arg(assets().join("installer.nsi")),
    )
}

/// A Windows program run under Wine in `prefix`, with its exit code.
fn under_wine(prefix: &Path, args: &[&str]) -> Result<(i32, String)> {
    let mut c = Command::new("wine");
    c.args(args);
    wine(&mut c, prefix);
    let out = c
        .output()
        .map_err(|e| Failure(format!("cannot start wine {args:?}: {e}")))?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

/// A Windows folder (`%LOCALAPPDATA%`, say) as a path on this machine.
fn windows_dir(prefix: &Path, var: &str) -> Result<PathBuf> {
    let (_, shown) = under_wine(prefix, &["cmd", "/c", &format!("echo %{var}%")])?;
    let mut c = Command::new("winepath");
    c.args(["-u", shown.trim()]);
    wine(&mut c, prefix);
    let out = c
        .output()
        .map_err(|e| Failure(format!("cannot start winepath: {e}")))?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if path.as_os_str().is_empty() {
        return fail(format!("%{var}% has no place under Wine ({shown:?})"));
    }
    Ok(path)
}

fn reg(prefix: &Path, args: &[&str]) -> Result<(i32, String)> {
    let mut all = vec!["reg"];
    all.extend_from_slice(args);
    under_wine(prefix, &all)
}

/// The 64-bit installer under Wine, silently (`/S`), as IT would deploy it: refused with
/// code 2 while WebView2 is missing (Wine has none); with the runtime registered, the files,
/// both shortcuts and the uninstall entry are there; the uninstaller takes them all away
/// and leaves the officer's data. The payload is two stand-in files, since what is tested
/// is the installer script (`cargo xtask bundle` packs the real build with it).
pub fn test_installer(root: &Path) -> Result {
    let prefix = wine_ready()?;
    let work = target_dir().join("installer-test");
    let app = work.join("app");
    std::fs::create_dir_all(&app)
        .map_err(|e| Failure(format!("cannot create {}: {e}", app.display())))?;
    for name in ["yiqifu-desktop.exe", "WebView2Loader.dll"] {
        std::fs::write(app.join(name), format!("stand-in for {name}"))
            .map_err(|e| Failure(format!("cannot write the payload: {e}")))?;
    }
    let setup = work.join("yiqifu-desktop-installer-test.exe");
    make_installer(root, &app, &setup)?;
    let setup = setup.display().to_string();
    let local = windows_dir(&prefix, "LOCALAPPDATA")?;
    let roaming = windows_dir(&prefix, "APPDATA")?;
    let desktop = windows_dir(&prefix, "USERPROFILE")?.join("Desktop");
    let installed = local.join("Programs").join("Yiqifu Desktop");
    let menu = roaming.join("Microsoft/Windows/Start Menu/Programs/益企服桌面端.lnk");
    let shortcut = desktop.join("益企服桌面端.lnk");
    let uninstall_key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\YiqifuDesktop";
    let webview_key =
        r"HKCU\Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}";
    // A run before this one may have left its traces.
    let _ = std::fs::remove_dir_all(&installed);
    let _ = reg(&prefix, &["delete", webview_key, "/f"]);
    let _ = reg(&prefix, &["delete", uninstall_key, "/f"]);

    println!("==> installer: refused without WebView2");
    let (code, _) = under_wine(&prefix, &[&setup, "/S"])?;
    if code != 2 || installed.exists() {
        return fail(format!(
            "without WebView2 the installer answered {code} (2 expected) and installed: {}",
            installed.exists()
        ));
    }

    println!("==> installer: installs with WebView2");
    reg(
        &prefix,
        &[
            "add",
            webview_key,
            "/v",
            "pv",
            "/t",
            "REG_SZ",
            "/d",
            "120.0.2210.91",
            "/f",
        ],
    )?;
    let (code, _) = under_wine(&prefix, &[&setup, "/S"])?;
    let mut missing: Vec<String> = ["yiqifu-desktop.exe", "WebView2Loader.dll", "uninstall.exe"]
        .iter()
        .map(|f| installed.join(f))
        .chain([menu.clone(), shortcut.clone()])
        .filter(|p| !p.exists())
        .map(|p| p.display().to_string())
        .collect();
    let (_, entry) = reg(&prefix, &["query", uninstall_key, "/v", "DisplayVersion"])?;
    if !entry.contains(env!("CARGO_PKG_VERSION")) {
        missing.push(format!("the uninstall entry ({entry:?})"));
    }
    if code != 0 || !missing.is_empty() {
        return fail(format!("the install answered {code}; missing: {missing:?}"));
    }

    println!("==> installer: the uninstaller keeps the officer's data");
    let data = roaming.join("cn.yiqifu.desktop");
    std::fs::create_dir_all(&data)
        .and_then(|()| std::fs::write(data.join("yiqifu.sqlite"), "the officer's work"))
        .map_err(|e| Failure(format!("cannot write the stand-in data: {e}")))?;
    let uninstaller = installed.join("uninstall.exe").display().to_string();
    under_wine(&prefix, &[&uninstaller, "/S"])?;
    // NSIS's uninstaller copies itself away and returns at once: wait for it to finish.
    let started = std::time::Instant::now();
    while installed.exists() || menu.exists() || shortcut.exists() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            return fail(format!(
                "60 s after the uninstaller: {} still there",
                [&installed, &menu, &shortcut]
                    .iter()
                    .filter(|p| p.exists())
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let (left, _) = reg(&prefix, &["query", uninstall_key])?;
    if left == 0 {
        return fail("the uninstall entry is still in the registry");
    }
    if !data.join("yiqifu.sqlite").exists() {
        return fail("the uninstaller deleted the officer's data");
    }
    let _ = std::fs::remove_dir_all(&data);
    let _ = reg(&prefix, &["delete", webview_key, "/f"]);
    println!("<== installer: refused without WebView2, installed, uninstalled, data kept");
    Ok(())
}

/// The Windows build that ships (the `dist` profile) and its installer:
/// `target/bundle/windows/`.
pub fn bundle_windows(root: &Path) -> Result<PathBuf> {
    if !have("makensis") {
        return fail("makensis is needed for the installer: apt-get install nsis");
    }
    run(
        "cargo build --profile dist (Windows)",
        cargo().args([
            "build",
            "--profile",
            "dist",
            "--target",
            WINDOWS,
            "-p",
            "yiqifu-desktop",
        ]),
    )?;
    let built = target_dir().join(WINDOWS).join("dist");
    let exe = built.join("yiqifu-desktop.exe");
    let loader = find_loader(&built).ok_or_else(|| {
        Failure(format!(
            "WebView2Loader.dll not found under {}",
            built.display()
        ))
    })?;
    let out = target_dir().join("bundle").join("windows");
    let app = out.join("app");
    std::fs::create_dir_all(&app)
        .map_err(|e| Failure(format!("cannot create {}: {e}", app.display())))?;
    for (from, name) in [
        (&exe, "yiqifu-desktop.exe"),
        (&loader, "WebView2Loader.dll"),
    ] {
        std::fs::copy(from, app.join(name))
            .map_err(|e| Failure(format!("cannot copy {}: {e}", from.display())))?;
    }
    let version = env!("CARGO_PKG_VERSION");
    let setup = out.join(format!("yiqifu-desktop-{version}-setup.exe"));
    make_installer(root, &app, &setup)?;
    Ok(setup)
}

/// The title of the box the app shows when it cannot start (`could_not_start` in the shell).
const COULD_NOT_START: &str = "Yiqifu Desktop could not start";

/// The app itself under Wine, which has no WebView2 runtime: it cannot create its webview, and
/// must say so in a native message box (what to install, and where) instead of ending without
/// a word, as on a locked-down Windows 10 PC. Built for Windows (debug) with the WebView2
/// loader beside it, as the installer lays it out; the box is found by its title on an Xvfb
/// display of its own.
pub fn test_without_webview2() -> Result {
    let prefix = wine_ready()?;
    run(
        "cargo build (Windows)",
        cargo().args(["build", "--target", WINDOWS, "-p", "yiqifu-desktop"]),
    )?;
    println!("==> the app without WebView2: a message box");
    let built = target_dir().join(WINDOWS).join("debug");
    let loader = find_loader(&built).ok_or_else(|| {
        Failure(format!(
            "WebView2Loader.dll not found under {}",
            built.display()
        ))
    })?;
    let work = target_dir().join("webview2-test");
    let _ = std::fs::remove_dir_all(&work);
    let app = work.join("app");
    let data = work.join("data");
    for d in [&app, &data] {
        std::fs::create_dir_all(d)
            .map_err(|e| Failure(format!("cannot create {}: {e}", d.display())))?;
    }
    for (from, name) in [
        (built.join("yiqifu-desktop.exe"), "yiqifu-desktop.exe"),
        (loader, "WebView2Loader.dll"),
    ] {
        std::fs::copy(&from, app.join(name))
            .map_err(|e| Failure(format!("cannot copy {}: {e}", from.display())))?;
    }
    let xvfb = Xvfb::start()?;
    let log = work.join("stderr.txt");
    let err = std::fs::File::create(&log)
        .map_err(|e| Failure(format!("cannot create {}: {e}", log.display())))?;
    let mut c = Command::new("wine");
    c.arg(app.join("yiqifu-desktop.exe"));
    wine(&mut c, &prefix);
    // Wine reads Unix paths as drive Z:.
    let windows_data = format!("Z:{}", data.display()).replace('/', "\\");
    c.env("DISPLAY", &xvfb.display)
        .env("YIQIFU_DATA_DIR", windows_data)
        .stdout(std::process::Stdio::null())
        .stderr(err);
    let mut child = c
        .spawn()
        .map_err(|e| Failure(format!("cannot start wine: {e}")))?;
    let started = std::time::Instant::now();
    let shown = window_shown(&xvfb.display, COULD_NOT_START, &mut child, &log);
    // A picture of the box for whoever reads the run (best effort: imagemagick).
    let _ = Command::new("import")
        .args(["-window", "root", "-display", &xvfb.display])
        .arg(work.join("message-box.png"))
        .status();
    let _ = child.kill();
    let _ = child.wait();
    let mut stop = Command::new("wineserver");
    stop.arg("--kill");
    wine(&mut stop, &prefix);
    let _ = stop.status();
    shown?;
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    if !said.contains("WebView2") || !said.contains("go.microsoft.com") {
        return fail(format!(
            "the box was shown, but the app did not name the WebView2 runtime and where to get it:\n{said}"
        ));
    }
    println!(
        "<== the app without WebView2: a message box after {:.1}s, naming the runtime (picture: {})",
        started.elapsed().as_secs_f64(),
        work.join("message-box.png").display()
    );
    Ok(())
}

/// Waits until a window whose title holds `title` is on `display`; fails, with what the program
/// wrote to `log`, when `child` ends first or 120 s pass.
pub(crate) fn window_shown(
    display: &str,
    title: &str,
    child: &mut std::process::Child,
    log: &Path,
) -> Result {
    let started = std::time::Instant::now();
    loop {
        if window_titled(display, title) {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return fail(format!(
                "the program ended ({status}) without a window titled {title:?}; its stderr:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            ));
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            return fail(format!(
                "no window titled {title:?} within 120 s; the program's stderr:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}

/// Whether a window whose title holds `title` is on `display`, as xwininfo lists them.
fn window_titled(display: &str, title: &str) -> bool {
    Command::new("xwininfo")
        .args(["-root", "-tree", "-display", display])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(title))
        .unwrap_or(false)
}

/// An X display of its own for a program's windows, stopped when dropped.
pub(crate) struct Xvfb {
    pub(crate) display: String,
    server: std::process::Child,
}

impl Xvfb {
    pub(crate) fn start() -> Result<Self> {
        if !have("Xvfb") {
            return fail("Xvfb is needed for the app's window: apt-get install xvfb");
        }
        for n in 90..130 {
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            if socket.exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let display = format!(":{n}");
            let mut server = Command::new("Xvfb")
                .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .map_err(|e| Failure(format!("cannot start Xvfb: {e}")))?;
            let started = std::time::Instant::now();
            while !socket.exists() {
                if let Ok(Some(_)) = server.try_wait() {
                    break;
                }
                if started.elapsed() > std::time::Duration::from_secs(10) {
                    let _ = server.kill();
                    return fail(format!("Xvfb {display} not ready within 10 s"));
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            if socket.exists() {
                return Ok(Self { display, server });
            }
            // Another server took the number first: try the next.
        }
        fail("no free X display between :90 and :129")
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
