//! Drives the real app binary in a real webview: Xvfb, tauri-driver, WebKitWebDriver.
//! Every prerequisite that is missing fails the test with what to install; nothing skips.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use fantoccini::{Client, ClientBuilder, Locator};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T = ()> = std::result::Result<T, Error>;

/// `target/<profile>/`, found from this test binary in `target/<profile>/deps/`.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .expect("test binaries live in target/<profile>/deps")
}

pub fn app_binary() -> PathBuf {
    let bin = profile_dir().join(format!("yiqifu-desktop{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it first (`cargo build --workspace`, as `cargo xtask test` does)",
        bin.display()
    );
    // A plain `cargo test` builds the test binaries, not the app: the tests would drive
    // whatever app was built last, perhaps from other sources.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace");
    if let Some(why) = stale(&bin, root) {
        panic!(
            "{} is not built from the current sources ({why}): build it first \
             (`cargo build --workspace`, as `cargo xtask test` does)",
            bin.display()
        );
    }
    bin
}

/// The app binary started directly, not through tauri-driver: on `display`, with `envs`,
/// its stderr captured, killed if the test drops it.
pub fn app_command(display: &str, envs: &[(&str, &Path)]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(app_binary());
    cmd.env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        // Software rendering: no GPU here, and none needed. The app then turns WebKit's
        // compositing off itself (src-tauri/src/drawing.rs), which the demo test checks.
        .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd
}

/// Whether a window whose title holds `title` is on `display`, as xwininfo lists them.
pub async fn window_titled(display: &str, title: &str) -> bool {
    let xwininfo = require(
        "xwininfo",
        "install the x11-utils package (`cargo xtask test` does)",
    );
    tokio::process::Command::new(xwininfo)
        .args(["-root", "-tree", "-display", display])
        .output()
        .await
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(title))
        .unwrap_or(false)
}

/// Why `bin` is not built from the sources under `root` as they are now, going by the
/// dep-info file cargo writes beside it (every file it was built from, the embedded UI
/// included); `None` when it is.
pub fn stale(bin: &Path, root: &Path) -> Option<String> {
    let info = bin.with_extension("d");
    let Ok(text) = std::fs::read_to_string(&info) else {
        return Some(format!("{} cannot be read", info.display()));
    };
    let built = std::fs::metadata(bin).and_then(|m| m.modified()).ok()?;
    // "<binary>: <dep> <dep> ...", spaces inside a path escaped as "\ ".
    let (_, deps) = text.split_once(": ")?;
    let deps = deps.replace("\\ ", "\u{0}");
    let root = root.to_string_lossy();
    let mut ours = 0;
    for dep in deps.split_whitespace().map(|d| d.replace('\u{0}', " ")) {
        if !dep.starts_with(root.as_ref()) {
            continue;
        }
        ours += 1;
        match std::fs::metadata(&dep).and_then(|m| m.modified()) {
            Err(_) => return Some(format!("{dep} is gone")),
            Ok(t) if t > built => return Some(format!("{dep} changed since")),
            Ok(_) => {}
        }
    }
    if ours == 0 {
        return Some(format!("it was built from another checkout than {root}"));
    }
    // The pages are embedded as the binary is compiled, and are not in its dep-info.
    newer_in(&Path::new(root.as_ref()).join("ui/dist"), built)
        .map(|f| format!("{} changed since: the app embeds the UI", f.display()))
}

/// A file under `dir` changed after `than`, if any.
fn newer_in(dir: &Path, than: SystemTime) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            if let Some(f) = newer_in(&path, than) {
                return Some(f);
            }
        } else if meta.modified().is_ok_and(|t| t > than) {
            return Some(path);
        }
    }
    None
}

/// Where screenshots go: `target/e2e/`.
pub fn screenshot_dir() -> PathBuf {
    let dir = profile_dir()
        .parent()
        .map(|t| t.join("e2e"))
        .unwrap_or_else(|| PathBuf::from("e2e"));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn require(name: &str, how: &str) -> PathBuf {
    find_program(name).unwrap_or_else(|| panic!("{name} not found: {how}"))
}

fn free_port() -> u16 {
    crate::dead_address().port()
}

fn wait_until(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < timeout,
            "{what} not ready after {timeout:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn terminate(child: &mut Child) {
    // SIGTERM, never SIGKILL: tauri-driver only stops its WebKitWebDriver on TERM/INT.
    #[cfg(unix)]
    // SAFETY: kill has no memory-safety preconditions.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A virtual X display of its own (a session's DISPLAY is not trusted: CI has none).
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    pub fn start() -> Self {
        let xvfb = require("Xvfb", "install the xvfb package (`cargo xtask test` does)");
        // Xvfb picks a free display itself and says which once it listens (-displayfd): two
        // test processes choosing a number by lock file can pick the same one, and the loser
        // would then drive the winner's display until it vanished.
        let mut child = Command::new(&xvfb)
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let Some(stdout) = child.stdout.take() else {
            terminate(&mut child);
            panic!("Xvfb's output was not captured");
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
            let _ = tx.send(line);
        });
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(line) if line.trim().parse::<u32>().is_ok() => Self {
                child,
                display: format!(":{}", line.trim()),
            },
            other => {
                terminate(&mut child);
                panic!("Xvfb did not say which display it took within 20 s: {other:?}");
            }
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// tauri-driver on ports of its own; the app it starts inherits `envs`.
pub struct Driver {
    child: Child,
    port: u16,
    /// The app's `YIQIFU_DATA_DIR`: what tells its processes from those of other tests
    /// (read from /proc, so only on Unix).
    #[cfg_attr(not(unix), allow(dead_code))]
    data_dir: Option<PathBuf>,
    _xdg: tempfile::TempDir,
}

impl Driver {
    pub fn start(display: &str, envs: &[(&str, &Path)]) -> Self {
        let driver = require(
            "tauri-driver",
            "run `cargo install tauri-driver --locked --version ^2` (`cargo xtask test` does)",
        );
        require(
            "WebKitWebDriver",
            "install the webkit2gtk-driver package (`cargo xtask test` does)",
        );
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new(driver);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        // Software rendering: no GPU here, and none needed. The app then turns WebKit's
        // compositing off itself (src-tauri/src/drawing.rs), which the demo test checks.
        .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::null());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        // The webview keeps its own storage (the UI's language, for one) under the XDG
        // folders: a session of its own, so nothing leaks in from earlier runs.
        let xdg = tempfile::tempdir().expect("a folder for the webview's storage");
        for (var, sub) in [
            ("XDG_DATA_HOME", "data"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_CONFIG_HOME", "config"),
        ] {
            let dir = xdg.path().join(sub);
            let _ = std::fs::create_dir_all(&dir);
            cmd.env(var, dir);
        }
        let child = cmd.spawn().expect("start tauri-driver");
        let mut me = Self {
            child,
            port,
            data_dir: envs
                .iter()
                .find(|(k, _)| *k == "YIQIFU_DATA_DIR")
                .map(|(_, v)| v.to_path_buf()),
            _xdg: xdg,
        };
        // tauri-driver forwards to the WebKitWebDriver it starts: a session request before
        // that one listens fails half-way, so wait for both.
        wait_until("tauri-driver", Duration::from_secs(20), || {
            TcpStream::connect(("127.0.0.1", me.port)).is_ok()
                && TcpStream::connect(("127.0.0.1", native)).is_ok()
        });
        if let Ok(Some(status)) = me.child.try_wait() {
            panic!("tauri-driver exited at start: {status}");
        }
        me
    }

    /// A WebDriver session: the app starts, its window opens.
    pub async fn session(&self) -> Result<Client> {
        // Two rustls crypto providers are linked in (fantoccini's and reqwest's); name one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_binary() }),
        );
        caps.insert("browserName".into(), serde_json::json!("wry"));
        // WebKitWebDriver waits without end for an app that never opens its window (no
        // display, a crash at start): give up loudly instead of hanging the suite.
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut builder = ClientBuilder::rustls()?;
        builder.capabilities(caps);
        match tokio::time::timeout(Duration::from_secs(90), builder.connect(&url)).await {
            Ok(client) => Ok(client?),
            Err(_) => Err("the app's window did not open within 90 s".into()),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

pub const WAIT: Duration = Duration::from_secs(30);

pub async fn wait_css(c: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    wait_for(c, Locator::Css(css)).await
}

pub async fn wait_xpath(c: &Client, xpath: &str) -> Result<fantoccini::elements::Element> {
    wait_for(c, Locator::XPath(xpath)).await
}

/// Waits for an element; one that React replaces while it is being found (a stale element)
/// is looked for again, within the same limit.
async fn wait_for(c: &Client, locator: Locator<'_>) -> Result<fantoccini::elements::Element> {
    let start = Instant::now();
    loop {
        let left = WAIT.saturating_sub(start.elapsed());
        match c.wait().at_most(left).for_element(locator).await {
            Ok(e) => return Ok(e),
            Err(fantoccini::error::CmdError::Standard(e))
                if e.error == fantoccini::error::ErrorStatus::StaleElementReference
                    && start.elapsed() < WAIT =>
            {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(fantoccini::error::CmdError::WaitTimeout) => {
                return Err(format!("nothing matched {locator:?} in {} s", WAIT.as_secs()).into())
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The texts of everything matching `css`. React may replace an element between finding and
/// reading it (a stale element): the read is then made again, a few times.
pub async fn texts(c: &Client, css: &str) -> Result<Vec<String>> {
    let mut tries = 0;
    loop {
        let read = async {
            let mut out = Vec::new();
            for e in c.find_all(Locator::Css(css)).await? {
                out.push(e.text().await?);
            }
            Ok::<_, fantoccini::error::CmdError>(out)
        }
        .await;
        match read {
            Ok(out) => return Ok(out),
            Err(e) if tries < 5 => {
                tries += 1;
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Saves a screenshot for a person to look at. It is evidence, not an assertion: WebKitWebDriver
/// has been seen to never answer a screenshot of an idle page under Xvfb, so one that takes
/// too long is given up (and said so) rather than left to hang the suite.
pub async fn screenshot(c: &Client, name: &str) -> Result<PathBuf> {
    let path = screenshot_dir().join(format!("{name}.png"));
    if !take_screenshot(c, &path).await? {
        eprintln!("screenshot {name} not taken: WebKitWebDriver did not answer in 20 s");
        // The session sends one command at a time, and the screenshot given up on is still
        // the one in flight: the next step's command would wait behind it, out of its own
        // time (a click then "never stood still"). Wait here until the driver answers again.
        let started = Instant::now();
        match tokio::time::timeout(Duration::from_secs(90), c.execute("return 1", vec![])).await {
            Ok(answer) => {
                answer?;
                eprintln!(
                    "WebKitWebDriver answered again {} s after the screenshot was given up",
                    started.elapsed().as_secs()
                );
            }
            Err(_) => {
                return Err(format!(
                    "WebKitWebDriver stopped answering after the screenshot {name} (no answer in 90 s more)"
                )
                .into())
            }
        }
    }
    Ok(path)
}

/// Whether the screenshot was taken (written to `path`) within 20 s.
async fn take_screenshot(c: &Client, path: &Path) -> Result<bool> {
    match tokio::time::timeout(Duration::from_secs(20), c.screenshot()).await {
        Ok(png) => {
            std::fs::write(path, png?)?;
            Ok(true)
        }
        Err(_) => Ok(false),
    }
}

/// Runs one WebDriver session; on failure saves a screenshot next to the others.
pub async fn session<F>(driver: &Driver, name: &str, steps: F)
where
    F: for<'c> AsyncFnOnce(&'c Client) -> Result,
{
    session_within(driver, name, Duration::from_secs(240), steps).await;
}

/// As [`session`], with its own limit for a longer journey.
pub async fn session_within<F>(driver: &Driver, name: &str, limit: Duration, steps: F)
where
    F: for<'c> AsyncFnOnce(&'c Client) -> Result,
{
    let client = driver
        .session()
        .await
        .expect("a WebDriver session with the app");
    // WebDriver calls have no deadline of their own: a session that stops answering fails
    // the test here instead of holding CI.
    let outcome = match tokio::time::timeout(limit, steps(&client)).await {
        Ok(o) => o,
        Err(_) => Err(format!("{name}: the session took over {} s", limit.as_secs()).into()),
    };
    if let Err(e) = &outcome {
        // What failed comes before the long reports below, which an excerpt of the output
        // (CI's) cuts short.
        eprintln!("{name} failed: {e}");
        // Then, while it is still in whatever state failed: where every thread of the app is.
        #[cfg(unix)]
        if let Some(dir) = &driver.data_dir {
            thread_dump(dir, name).await;
        }
        // The page on screen and what its header said: a wait for `status-online` that timed
        // out says which state the app was in instead.
        let status = client.execute(
            "return Array.from(document.querySelectorAll(\
             '[data-testid$=-page], [data-testid^=status-]'))\
             .map(e => e.dataset.testid + ': ' + e.textContent.slice(0, 60)).join(' | ')",
            vec![],
        );
        match tokio::time::timeout(Duration::from_secs(10), status).await {
            Ok(Ok(v)) => eprintln!("the page and its status items at the failure: {v}"),
            Ok(Err(e)) => eprintln!("the page's status items not read: {e}"),
            Err(_) => eprintln!("the page's status items not read: no answer in 10 s"),
        }
        // Whether the webview still draws: keyboard focus in a menu moves on the next frame.
        let frames = client.execute_async(
            "const done = arguments[arguments.length - 1];\
             const t = setTimeout(() => done('no frame in 2 s'), 2000);\
             requestAnimationFrame(() => { clearTimeout(t); done('a frame came'); });\
             return;",
            vec![],
        );
        match tokio::time::timeout(Duration::from_secs(10), frames).await {
            Ok(Ok(v)) => eprintln!("the webview's frames at the failure: {v}"),
            Ok(Err(e)) => eprintln!("the webview's frames not read: {e}"),
            Err(_) => eprintln!("the webview's frames not read: no answer in 10 s"),
        }
        let state = client.execute(
            "const e = document.activeElement; return 'visibility ' + document.visibilityState\
             + ', focus ' + document.hasFocus() + ', on ' + (e ? e.tagName + '.' + e.className : 'none')",
            vec![],
        );
        match tokio::time::timeout(Duration::from_secs(10), state).await {
            Ok(Ok(v)) => eprintln!("the document at the failure: {v}"),
            Ok(Err(e)) => eprintln!("the document not read: {e}"),
            Err(_) => eprintln!("the document not read: no answer in 10 s"),
        }
        let path = screenshot_dir().join(format!("{name}-failure.png"));
        match take_screenshot(&client, &path).await {
            Ok(true) => eprintln!("failure screenshot: {}", path.display()),
            Ok(false) => eprintln!("no failure screenshot: WebKitWebDriver did not answer in 20 s"),
            Err(e) => eprintln!("no failure screenshot: {e}"),
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(20), client.close()).await;
    #[cfg(unix)]
    if let Some(dir) = &driver.data_dir {
        app_ended(dir).await;
    }
    if let Err(e) = outcome {
        panic!("{name}: {e}");
    }
}

/// Waits for the app of a closed session (the one on `data_dir`) to end, so that the next
/// session starts an app of its own (one app per data folder: a second would hand over to
/// the first). WebKitWebDriver closes the window but may leave the process going a while;
/// one still there after 10 s is stopped, with SIGTERM and then SIGKILL, and the test fails
/// if even that does not end it. Apps of other tests running beside this one are left be.
#[cfg(unix)]
async fn app_ended(data_dir: &Path) {
    let mine = || {
        app_pids()
            .into_iter()
            .filter(|pid| runs_on(*pid, data_dir))
            .collect::<Vec<_>>()
    };
    for signal in [None, Some(libc::SIGTERM), Some(libc::SIGKILL)] {
        if let Some(signal) = signal {
            eprintln!("the app is still running 10 s after its session: signal {signal}");
            for pid in mine() {
                // SAFETY: a plain kill(2) of a process this test started.
                unsafe { libc::kill(pid, signal) };
            }
        }
        if app_ends_by_itself(data_dir, Duration::from_secs(10)).await {
            return;
        }
    }
    panic!("the app did not end after its session, even killed");
}

/// Every thread's stack of the app on `data_dir` (gdb, attached for a moment), saved under
/// target/e2e and its main thread's printed: a session that stopped answering (seen twice in
/// CI, WebKitWebDriver silent) says where the app was. Evidence, not an assertion: without
/// gdb, or allowed no ptrace, it says so and goes on.
#[cfg(unix)]
async fn thread_dump(data_dir: &Path, name: &str) {
    for pid in app_pids().into_iter().filter(|pid| runs_on(*pid, data_dir)) {
        let run = tokio::process::Command::new("gdb")
            .args([
                "-p",
                &pid.to_string(),
                "-batch",
                "-nx",
                "-ex",
                "thread apply all bt 30",
            ])
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output();
        let out = match tokio::time::timeout(Duration::from_secs(60), run).await {
            Ok(Ok(out)) => String::from_utf8_lossy(&out.stdout).into_owned(),
            Ok(Err(e)) => {
                eprintln!("no thread dump of the app ({pid}): gdb: {e}");
                continue;
            }
            Err(_) => {
                eprintln!("no thread dump of the app ({pid}): gdb took over 60 s");
                continue;
            }
        };
        let path = screenshot_dir().join(format!("{name}-threads-{pid}.txt"));
        let _ = std::fs::write(&path, &out);
        // gdb lists the main thread (Thread 1) last.
        let main = out
            .rfind("\nThread 1 ")
            .map_or("(no main thread in gdb's answer)", |at| &out[at + 1..]);
        eprintln!(
            "the app's threads: {}; its main thread:\n{}",
            path.display(),
            main.lines().take(30).collect::<Vec<_>>().join("\n")
        );
    }
}

/// Asks the app on `data_dir` to end as a session's end would (SIGTERM); how many were asked.
#[cfg(unix)]
pub fn terminate_app(data_dir: &Path) -> usize {
    let pids: Vec<i32> = app_pids()
        .into_iter()
        .filter(|pid| runs_on(*pid, data_dir))
        .collect();
    for pid in &pids {
        // SAFETY: a plain kill(2) of a process this test started.
        unsafe { libc::kill(*pid, libc::SIGTERM) };
    }
    pids.len()
}

/// Waits up to `within` for the app on `data_dir` to end by itself; whether it did.
#[cfg(unix)]
pub async fn app_ends_by_itself(data_dir: &Path, within: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if !app_pids().into_iter().any(|pid| runs_on(pid, data_dir)) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Whether process `pid` was started with `YIQIFU_DATA_DIR` set to `dir`.
#[cfg(unix)]
fn runs_on(pid: i32, dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let mut want = b"YIQIFU_DATA_DIR=".to_vec();
    want.extend_from_slice(dir.as_os_str().as_bytes());
    std::fs::read(format!("/proc/{pid}/environ"))
        .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == want.as_slice()))
}

/// The running processes of the app binary.
#[cfg(unix)]
fn app_pids() -> Vec<i32> {
    let bin = app_binary()
        .canonicalize()
        .expect("the app binary's real path");
    std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<i32>().ok()?;
            (std::fs::read_link(entry.path().join("exe")).ok()? == bin).then_some(pid)
        })
        .collect()
}

pub async fn click(c: &Client, css: &str) -> Result {
    // Popovers and menus scale in: an element clicked while it still moves is clicked at
    // where it was, which may be another button. Wait until it stands still.
    let start = Instant::now();
    let mut last = None;
    loop {
        let e = wait_css(c, css).await?;
        // React may replace the element between finding and measuring it: look again.
        let Ok(here) = e.rectangle().await else {
            last = None;
            if start.elapsed() > Duration::from_secs(10) {
                return Err(format!("{css} kept being replaced").into());
            }
            tokio::time::sleep(Duration::from_millis(120)).await;
            continue;
        };
        if last == Some(here) {
            match e.click().await {
                Ok(()) => return Ok(()),
                Err(err) if start.elapsed() > Duration::from_secs(10) => return Err(err.into()),
                Err(_) => last = None,
            }
        } else {
            last = Some(here);
        }
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("{css} never stood still to be clicked").into());
        }
        tokio::time::sleep(Duration::from_millis(120)).await;
    }
}

pub async fn type_into(c: &Client, css: &str, text: &str) -> Result {
    // A field React replaces while it is being typed into is found again and typed into
    // from empty.
    on_stale(|| async {
        let input = wait_css(c, css).await?;
        input.clear().await?;
        // Select-all and delete as well: React must see the field emptied.
        input.send_keys("\u{E009}a\u{E003}").await?;
        input.send_keys(text).await?;
        Ok(())
    })
    .await
}

/// The `value` of the field at `css`, read again if React replaces it meanwhile.
pub async fn value_of(c: &Client, css: &str) -> Result<Option<String>> {
    on_stale(|| async { Ok(wait_css(c, css).await?.prop("value").await?) }).await
}

/// Runs `step` again, a few times, while it meets an element React replaced (a stale one).
pub async fn on_stale<T, F, Fut>(mut step: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut tries = 0;
    loop {
        match step().await {
            Err(e) if tries < 5 && is_stale(&e) => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => return other,
        }
    }
}

fn is_stale(e: &Error) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    // WebKitWebDriver answers a command on an element React has since replaced either way:
    // "stale element reference", or "no such element: Node with identifier … was not found".
    matches!(
        e.downcast_ref::<CmdError>(),
        Some(CmdError::Standard(w))
            if matches!(w.error, ErrorStatus::StaleElementReference | ErrorStatus::NoSuchElement)
    )
}

/// Waits until the element at `css` shows `text`.
pub async fn wait_text(c: &Client, css: &str, text: &str) -> Result {
    let start = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if e.text().await.unwrap_or_default() == text {
                return Ok(());
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            let shown = texts(c, css).await.unwrap_or_default();
            return Err(format!("{css} never showed {text:?} (shows {shown:?})").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until one of the elements at `css` shows `needle` in its text. Ant Design fades a
/// field's error in, so a read right after it appears may find it still empty.
pub async fn wait_any_text(c: &Client, css: &str, needle: &str) -> Result<Vec<String>> {
    let start = Instant::now();
    loop {
        let shown = texts(c, css).await?;
        if shown.iter().any(|t| t.contains(needle)) {
            return Ok(shown);
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("no {css} ever showed {needle:?} (shows {shown:?})").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until nothing matches `css`.
pub async fn wait_gone(c: &Client, css: &str) -> Result {
    let start = Instant::now();
    while !c.find_all(Locator::Css(css)).await?.is_empty() {
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("{css} is still shown").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Kills the app the driver started, as a crash or a power cut would: SIGKILL, no chance
/// to flush or close anything. Returns how many processes it killed (at least one, or it
/// panics: a kill test that killed nothing proves nothing).
#[cfg(unix)]
pub fn kill_app() -> usize {
    let mut killed = 0;
    for pid in app_pids() {
        // SAFETY: a plain kill(2) of a process this test started.
        if unsafe { libc::kill(pid, libc::SIGKILL) } == 0 {
            killed += 1;
        }
    }
    assert!(killed > 0, "no running {} to kill", app_binary().display());
    killed
}

/// The page on screen checked by axe-core (the UI's dev dependency) in the real webview:
/// fails naming every serious or critical violation of WCAG 2.1 A and AA, with the elements
/// it found them on.
pub async fn accessible(c: &Client, page: &str) -> Result {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&script).map_err(|e| {
        format!(
            "{}: {e} (`npm ci` in ui/ installs axe-core)",
            script.display()
        )
    })?;
    let run = format!(
        "{axe}\n;const done = arguments[arguments.length - 1];
         // Colours mid-transition (a button just disabled, a tab just chosen) are not what
         // the officer reads: end every transition first.
         if (!document.getElementById('axe-still')) {{
           const still = document.createElement('style');
           still.id = 'axe-still';
           still.textContent = '*, *::before, *::after {{ transition: none !important; animation: none !important; }}';
           document.head.appendChild(still);
         }}
         requestAnimationFrame(() => axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }},
                              resultTypes: ['violations'] }})
            .then((r) => done([String(r.passes.length) + ' rules passed'].concat(r.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                     + v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')))))
            .catch((e) => done(['axe failed: ' + e])));"
    );
    let found = c.execute_async(&run, vec![]).await?;
    let mut found: Vec<String> = serde_json::from_value(found)?;
    eprintln!("axe on {page}: {}", found.remove(0));
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{page}: {} accessibility problems:\n  {}",
            found.len(),
            found.join("\n  ")
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path, t: SystemTime) {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    #[test]
    fn an_app_is_stale_once_a_file_it_was_built_from_changes_or_goes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("my checkout");
        std::fs::create_dir_all(root.join("src")).unwrap();
        let src = root.join("src/main.rs");
        std::fs::write(&src, "fn main() {}").unwrap();
        let bin = dir.path().join("app");
        std::fs::write(&bin, "").unwrap();
        let esc = |p: &Path| p.display().to_string().replace(' ', "\\ ");
        std::fs::write(
            bin.with_extension("d"),
            format!("{}: {} /elsewhere/lib.rs\n", esc(&bin), esc(&src)),
        )
        .unwrap();
        let now = SystemTime::now();
        touch(&src, now - Duration::from_secs(60));
        touch(&bin, now);
        assert_eq!(stale(&bin, &root), None);

        let page = root.join("ui/dist/assets/index.js");
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(&page, "").unwrap();
        touch(&page, now - Duration::from_secs(60));
        assert_eq!(stale(&bin, &root), None);
        touch(&page, now + Duration::from_secs(1));
        assert!(stale(&bin, &root).unwrap().contains("embeds the UI"));
        touch(&page, now - Duration::from_secs(60));

        touch(&src, now + Duration::from_secs(1));
        assert!(stale(&bin, &root).unwrap().contains("changed"));
        std::fs::remove_file(&src).unwrap();
        assert!(stale(&bin, &root).unwrap().contains("gone"));
        assert!(stale(&bin, &dir.path().join("another"))
            .unwrap()
            .contains("another checkout"));
    }
}
