//! The desktop shell: thin command adapters over yiqifu-core, status events, and the built-in
//! demo central service. Nothing here is logic a test would want to reach.

mod commands;
mod desktop;
mod dialogs;
mod drawing;
mod first_results;
mod instance;
mod logs;
mod window_state;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use instance::Knocks;
use serde::Serialize;
use specta::Type;
use tauri::Manager;
use tauri_specta::{collect_events, Event};
use yiqifu_core::secrets::Keychain;
use yiqifu_core::{App, Changed, ServerChoice, Status};

/// How often the app checks whether the central service answers.
const PROBE_EVERY: Duration = Duration::from_secs(15);
/// How long the start's connection to the service waits for the first page. The built-in
/// demo service hashes a password and seeds its catalog as it starts: work that, beside the
/// webview's first page on two cores, delayed that page. A page that never says it rendered
/// (a broken UI) must not leave the app offline.
const FIRST_PAGE_WAIT: Duration = Duration::from_secs(3);
/// How often it pulls while online, for the authorities' answers to arrive by themselves.
const SYNC_EVERY: Duration = Duration::from_secs(60);

/// Sent whenever the status area would change.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct StatusChanged(pub Status);

/// Sent as an upload advances, for progress bars.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct UploadProgressed(pub yiqifu_core::materials::UploadProgress);

/// Sent after a write: the views reading these topics (of this enterprise) reload.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct DataChanged(pub Changed);

/// Sent as an application is packed, for its progress bar.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct PackageProgressed(pub yiqifu_core::changes::PackageProgress);

/// Sent as a backup is written or restored, for its progress bar.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct BackupProgressed(pub yiqifu_core::backup::BackupProgress);

/// Sent as the data folder is copied to its new place, for its progress bar.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct DataMoveProgressed(pub yiqifu_core::data_folder::MoveProgress);

/// Sent when an application's state changed on the service (the desktop notification comes
/// with the inbox entry of the same step).
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct ApplicationNotice(pub yiqifu_core::changes::StatusNotice);

/// Sent for each new inbox entry of any signed-in enterprise (also a desktop notification
/// when those are on).
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct InboxNoticed(pub yiqifu_core::changes::InboxNotice);

pub struct Shell {
    pub app: Arc<App>,
    /// The app's own folder, where the pointer to a moved data folder is kept.
    pub base_dir: PathBuf,
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
    demo: tokio::sync::Mutex<Option<yiqifu_central::Running>>,
    /// Files dropped on the window, by drop: the UI names a drop, never a path.
    drops: std::sync::Mutex<desktop::Drops>,
    /// The application a desktop notification was last shown for: the window coming to the
    /// front soon after (the officer clicked it) opens it.
    notified: std::sync::Mutex<Option<desktop::Notified>>,
    /// The data folder is being moved: its databases are closed, and the app ends (and
    /// starts again) without its own backup and close.
    moving: std::sync::atomic::AtomicBool,
    /// The UI's first page is on screen (a permit stored once): the start's connection to the
    /// service waits for it.
    pub first_page: tokio::sync::Notify,
    /// The library's first results, begun as the app opens (`begin_first_results`).
    pub(crate) first_results: first_results::Prefetched,
    /// This process's hold on the data folder: no second app opens its databases.
    _instance: instance::First,
}

impl Shell {
    /// The URL of the built-in demo service, starting it on first use. Its database sits in
    /// the app-data folder, so demo work survives a restart like real work does.
    pub async fn demo_url(&self) -> yiqifu_core::Result<String> {
        let mut demo = self.demo.lock().await;
        if let Some(running) = demo.as_ref() {
            return Ok(running.url());
        }
        let dir = self.data_dir.join("demo-central");
        std::fs::create_dir_all(&dir)?;
        let running = yiqifu_central::start_demo(Some(dir.join("central.sqlite")))
            .await
            .map_err(|e| yiqifu_core::Error::DemoServer(e.to_string()))?;
        let url = running.url();
        tracing::info!(ms = started().elapsed().as_millis(), %url, "demo service started");
        *demo = Some(running);
        Ok(url)
    }

    pub fn moving(&self) -> bool {
        self.moving.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Closes every database the app has open, the demo service's too, so that the data
    /// folder can be copied whole. From here on the app only ends.
    pub async fn close_for_move(&self) {
        self.moving.store(true, std::sync::atomic::Ordering::SeqCst);
        self.app.close().await;
        if let Some(demo) = self.demo.lock().await.take() {
            demo.stop().await;
        }
    }

    pub async fn url_for(&self, choice: &ServerChoice) -> yiqifu_core::Result<String> {
        match choice {
            ServerChoice::Demo => self.demo_url().await,
            ServerChoice::Url { url } => Ok(url.clone()),
        }
    }
}

/// What the bindings are exported from: every command, event and constant with its types.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    events_builder()
        .commands(commands::all())
        .constant("DISTRICTS", yiqifu_protocol::DISTRICTS)
        .constant("LIMITS", yiqifu_protocol::limits::LIMITS)
        .constant(
            "INDUSTRY_SECTIONS",
            yiqifu_protocol::profile::INDUSTRY_SECTIONS,
        )
        .constant(
            "INDUSTRY_DIVISIONS",
            // serde serializes arrays of at most 32; the list is 97 long.
            yiqifu_protocol::profile::INDUSTRY_DIVISIONS.to_vec(),
        )
        .constant("UNITS", yiqifu_protocol::selfcheck::UNITS)
}

/// The events alone: what the running app mounts (their names), without the commands' types.
fn events_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new().events(collect_events![
        StatusChanged,
        UploadProgressed,
        DataChanged,
        PackageProgressed,
        BackupProgressed,
        DataMoveProgressed,
        ApplicationNotice,
        InboxNoticed,
        desktop::FilesDragged,
        desktop::FilesDropped,
        desktop::OpenInboxEntry
    ])
}

/// Where the app keeps its data: the OS app-data folder, or `YIQIFU_DATA_DIR` when set
/// (portable installs, and tests that must not touch the officer's own data).
///
/// Found before Tauri starts, so by Tauri's own rule for its app-data folder (the OS data
/// folder, then the identifier; `dirs` is the crate and major version Tauri resolves it with).
fn data_dir(identifier: &str) -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("YIQIFU_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|dir| dir.join(identifier))
        .ok_or_else(|| "找不到存放应用数据的文件夹 / no folder for the app's data".to_string())
}

/// The data folder this process took: where it is, and the hold that keeps other launches
/// out of it.
struct Folder {
    /// The folder the OS (or `YIQIFU_DATA_DIR`) names, which may point on to a moved one.
    base: PathBuf,
    dir: PathBuf,
    instance: instance::First,
}

/// Takes the data folder before anything of the window system starts; `None` when another
/// instance has it and was asked to show its window, and this launch is to end.
///
/// Decided first because ending is then safe: a second launch that ended from Tauri's setup
/// did so while the window system's threads were starting, and one in twenty crashed on the
/// way out (tao's X input thread ran into libXext being torn down).
fn take_folder(identifier: &str, knocks: &Arc<Knocks>) -> Result<Option<Folder>, String> {
    let base = data_dir(identifier)?;
    let dir = yiqifu_core::data_folder::resolve(&base)
        .map_err(|e| format!("{}\n{}", e.message_zh(), e.message_en()))?;
    let knocks = knocks.clone();
    match instance::claim(&dir, move || knocks.answer(desktop::bring_forward)) {
        Ok(instance::Instance::First(instance)) => Ok(Some(Folder {
            base,
            dir,
            instance,
        })),
        Ok(instance::Instance::Second { starting }) => {
            let (told, after) = if starting {
                (
                    "益企服桌面端正在启动，窗口稍后出现 / Yiqifu Desktop is already starting on",
                    "its window will appear shortly",
                )
            } else {
                (
                    "益企服桌面端已在运行，已切换到它的窗口 / Yiqifu Desktop is already running on",
                    "its window was brought forward",
                )
            };
            eprintln!("{told} {}: {after}", dir.display());
            Ok(None)
        }
        Err(e) => {
            // No log yet: the system's own words go to stderr, the box says why in words.
            eprintln!("data folder {} not taken: {e}", dir.display());
            Err(folder_not_taken(&dir, e))
        }
    }
}

/// Forwards a core channel to the UI as events; a view that lags behind a progress bar
/// only misses steps.
fn forward<T: Clone + Send + 'static>(
    mut rx: tokio::sync::broadcast::Receiver<T>,
    send: impl Fn(T) + Send + 'static,
) {
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(v) => send(v),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// Whether `now` need not be sent: it says what the last status sent said, and no command
/// has asked for a status since (the numbers follow on), so the window holds nothing newer.
/// A command's answer in between may have been older news the window now shows.
fn already_shown(last: Option<&Status>, now: &Status) -> bool {
    last.is_some_and(|l| {
        l.seq.wrapping_add(1) == now.seq
            && *l
                == Status {
                    seq: l.seq,
                    ..now.clone()
                }
    })
}

async fn background(handle: tauri::AppHandle, shell: Arc<Shell>) {
    let app = shell.app.clone();
    let mut rx = app.subscribe();
    let emitter = handle.clone();
    let status_app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut last: Option<Status> = None;
        while rx.changed().await.is_ok() {
            rx.borrow_and_update();
            let status = status_app.status();
            let unchanged = already_shown(last.as_ref(), &status);
            last = Some(status.clone());
            if unchanged {
                continue;
            }
            if let Err(e) = StatusChanged(status).emit(&emitter) {
                tracing::warn!(error = %e, "status event not delivered");
            }
        }
    });
    let mut changes = app.changes();
    let emitter = handle.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(c) => {
                    let _ = DataChanged(c).emit(&emitter);
                }
                // Missed some: tell every view to reload, rather than leave one stale.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let _ = DataChanged(Changed {
                        enterprise: None,
                        topics: yiqifu_core::Topic::ALL.to_vec(),
                    })
                    .emit(&emitter);
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    let emitter = handle.clone();
    forward(app.progress(), move |p| {
        let _ = UploadProgressed(p).emit(&emitter);
    });
    let emitter = handle.clone();
    forward(app.package_progress(), move |p| {
        let _ = PackageProgressed(p).emit(&emitter);
    });
    let emitter = handle.clone();
    forward(app.backup_progress(), move |p| {
        let _ = BackupProgressed(p).emit(&emitter);
    });
    let mut notices = app.notices();
    let emitter = handle.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match notices.recv().await {
                Ok(n) => desktop::announce(&emitter, n),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    let mut inbox = app.inbox_notices();
    let (emitter, notify_shell) = (handle.clone(), shell.clone());
    tauri::async_runtime::spawn(async move {
        loop {
            match inbox.recv().await {
                Ok(n) => desktop::announce_inbox(&emitter, &notify_shell, n).await,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    // Every enterprise's queue goes out in the background, each with its own session.
    app.start_workers();
    if tokio::time::timeout(FIRST_PAGE_WAIT, shell.first_page.notified())
        .await
        .is_err()
    {
        tracing::warn!("no first page after {FIRST_PAGE_WAIT:?}: connecting anyway");
    }
    match app.server().await {
        Ok(Some(choice)) => match shell.url_for(&choice).await {
            Ok(url) => {
                if let Err(e) = app.resume(&url).await {
                    tracing::warn!(code = e.code(), error = %e, "cannot resume the saved server");
                }
            }
            Err(e) => tracing::warn!(code = e.code(), error = %e, "saved server unavailable"),
        },
        Ok(None) => {}
        Err(e) => tracing::warn!(code = e.code(), error = %e, "cannot read the saved server"),
    }
    let mut was_online = app.status().online;
    if was_online {
        app.wake_all();
        if let Err(e) = app.sync_all().await {
            tracing::warn!(code = e.code(), error = %e, "sync at start failed");
        }
    }
    let mut since_sync = Duration::ZERO;
    loop {
        tokio::time::sleep(PROBE_EVERY).await;
        if shell.moving() {
            break;
        }
        since_sync += PROBE_EVERY;
        let online = app.probe().await.unwrap_or(false);
        // Coming back online is the moment to catch up, for every enterprise; while online,
        // a pull now and then brings the authorities' answers (an unchanged feed is a 304).
        if online && (!was_online || since_sync >= SYNC_EVERY) {
            app.wake_all();
            let _ = app.sync_all().await;
            since_sync = Duration::ZERO;
        }
        was_online = online;
    }
}

/// When this process started, as near as the shell can tell: start-up is measured from here.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

pub(crate) fn started() -> std::time::Instant {
    *STARTED.get_or_init(std::time::Instant::now)
}

pub fn run() -> ExitCode {
    started();
    // Before any thread starts: on Linux a session keyring joined later is the joining
    // thread's alone.
    if let Err(e) = yiqifu_core::secrets::ensure_session_keyring() {
        eprintln!("no session keyring: {e}; signing in will report the keychain as unavailable");
    }
    // Also before any thread: it may set WebKit's switch in the process's environment.
    let drawing = drawing::choose();
    let events = events_builder();
    let context = tauri::generate_context!("../tauri.conf.json");
    let knocks = Arc::new(Knocks::default());
    // Failing, the folder is explained in the box Tauri's setup shows.
    let folder = match take_folder(&context.config().identifier, &knocks) {
        Ok(Some(folder)) => Ok(folder),
        // Nothing is open yet, and the first instance has the officer's work.
        Ok(None) => return ExitCode::SUCCESS,
        Err(why) => Err(why),
    };
    let result = desktop::plugins(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .on_window_event(desktop::window_event)
        .invoke_handler(commands::handler())
        .setup(move |tauri_app| {
            events.mount_events(tauri_app);
            match folder.and_then(|folder| open(tauri_app, folder, &knocks)) {
                Ok(()) => tracing::info!("{}", drawing.describe()),
                // Returned, the error would end in tauri's panic, with no word to the
                // officer; the app ends when the box is closed.
                Err(e) => could_not_start(tauri_app.handle(), &e),
            }
            Ok(())
        })
        .build(context);
    match result {
        Ok(app) => {
            app.run(|handle, event| {
                if let tauri::RunEvent::Exit = event {
                    at_quit(handle);
                }
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("益企服桌面端无法启动 / Yiqifu Desktop could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The script that hands the UI the app's status before its first render. JSON is a JS
/// expression; a status that cannot be written leaves the UI to ask, as before.
fn initial_status_script(status: &Status) -> String {
    match serde_json::to_string(status) {
        Ok(json) => format!("window.__YIQIFU_STATUS__ = {json};"),
        Err(_) => String::new(),
    }
}

/// Begins the library's first results for the enterprise on screen, before the window: the
/// main page opens on the policies unless the officer last left it on another page (the
/// first of `nav.tsx`), and the page's frame asks for them as it is drawn.
fn begin_first_results(shell: &Shell, status: &Status) {
    let Some(enterprise) = status.enterprise.clone() else {
        return;
    };
    let kind = yiqifu_protocol::DocumentKind::Policy;
    let opening = first_results::Opening {
        enterprise: Some(enterprise.clone()),
        kind,
        document_count: status.document_count,
    };
    let app = shell.app.clone();
    shell.first_results.begin(opening, async move {
        let ws = app.workspace(&enterprise)?;
        let results = app.library_first_results(Some(&ws), kind).await;
        tracing::info!(ms = started().elapsed().as_millis(), "first results ready");
        results
    });
}

/// A session ending (logout, shutdown, `kill`) asks the app to end with SIGTERM: it ends as
/// when its window is closed, backup included, rather than being cut off.
#[cfg(unix)]
fn end_when_asked(handle: &tauri::AppHandle) {
    let handle = handle.clone();
    tauri::async_runtime::spawn(async move {
        let signal = tokio::signal::unix::SignalKind::terminate();
        match tokio::signal::unix::signal(signal) {
            Ok(mut term) => {
                if term.recv().await.is_some() {
                    tracing::info!("asked to end (SIGTERM)");
                    handle.exit(0);
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot listen for SIGTERM"),
        }
    });
}

/// Windows ends a session through the window's messages, which the event loop handles.
#[cfg(not(unix))]
fn end_when_asked(_handle: &tauri::AppHandle) {}

/// How long quitting waits for its backup.
const QUIT_BACKUP_LIMIT: Duration = Duration::from_secs(20);

/// As the app ends: the automatic backup, then every database closed whole.
fn at_quit(handle: &tauri::AppHandle) {
    let Some(shell) = handle.try_state::<Arc<Shell>>() else {
        return;
    };
    if shell.moving() {
        // Backed up and closed before the copy.
        return;
    }
    let app = shell.app.clone();
    tauri::async_runtime::block_on(async move {
        // Bounded: quitting must not hang on a slow disk. Cut off, the backup leaves only its
        // `.part` file, which the next automatic backup removes.
        match tokio::time::timeout(QUIT_BACKUP_LIMIT, app.backup_at_quit()).await {
            Ok(Ok(Some(path))) => tracing::info!(backup = %path.display(), "backed up at quit"),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::warn!(code = e.code(), error = %e, "backup at quit failed"),
            Err(_) => tracing::warn!("backup at quit cut off after {QUIT_BACKUP_LIMIT:?}"),
        }
        app.close().await;
    });
}

/// Opens the databases in the folder this process took, and only then the window: a start
/// that fails shows no empty window.
fn open(tauri_app: &mut tauri::App, folder: Folder, knocks: &Knocks) -> Result<(), String> {
    let handle = tauri_app.handle().clone();
    let Folder {
        base,
        dir,
        instance,
    } = folder;
    // Only the instance that keeps the data folder writes its log.
    let log_dir = logs::folder(&handle, &dir);
    logs::start(&log_dir);
    // The folder was found by Tauri's rule before Tauri started (`data_dir`): a Tauri that
    // has changed its rule would leave the officer's earlier data in the other folder.
    if std::env::var_os("YIQIFU_DATA_DIR").is_none() {
        if let Ok(tauri_dir) = handle.path().app_data_dir() {
            if tauri_dir != base {
                tracing::warn!(ours = %base.display(), tauri = %tauri_dir.display(), "the app-data folder differs from Tauri's");
            }
        }
    }
    let app = tauri::async_runtime::block_on(App::open(&dir, Keychain::default()))
        .map_err(|e| both_languages(&e))?;
    tracing::info!(ms = started().elapsed().as_millis(), "databases open");
    // The data opened where a move put it: only now does the old copy go.
    match yiqifu_core::data_folder::tidy(&base, &dir) {
        Ok(Some(old)) => {
            tracing::info!(old = %old.display(), now = %dir.display(), "data folder moved")
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(code = e.code(), error = %e, "old data folder not tidied"),
    }
    let shell = Arc::new(Shell {
        app: Arc::new(app),
        base_dir: base,
        data_dir: dir,
        log_dir,
        demo: tokio::sync::Mutex::new(None),
        drops: std::sync::Mutex::new(desktop::Drops::default()),
        notified: std::sync::Mutex::new(None),
        moving: std::sync::atomic::AtomicBool::new(false),
        first_page: tokio::sync::Notify::new(),
        first_results: first_results::Prefetched::default(),
        _instance: instance,
    });
    // The page's first state comes with the window, so the first page renders at once
    // instead of waiting on its first status call (a spinner, then the page).
    let status = shell.app.status();
    let first_status = initial_status_script(&status);
    begin_first_results(&shell, &status);
    tauri_app.manage(shell.clone());
    tauri::async_runtime::spawn(background(handle.clone(), shell));
    end_when_asked(&handle);
    for config in &tauri_app.config().app.windows {
        tauri::WebviewWindowBuilder::from_config(&handle, config)
            .map(|w| w.initialization_script(first_status.clone()))
            .and_then(|w| w.build())
            .map_err(|e| window_failed(&e.to_string(), cfg!(windows)))?;
    }
    knocks.window_made(&handle);
    // With "databases open" and "first page on screen", where a start's time goes.
    tracing::info!(ms = started().elapsed().as_millis(), "window created");
    Ok(())
}

/// Why the data folder could not be taken, in both languages (before the window, nothing
/// says which one the officer reads).
fn folder_not_taken(dir: &std::path::Path, e: std::io::Error) -> String {
    let dir = dir.display();
    if instance::held_by_another(&e) {
        return format!(
            "数据文件夹“{dir}”正被另一个益企服桌面端使用，但它没有响应：请关闭它（关不掉时，可在任务管理器或“活动监视器”中结束它）后再打开本应用。\nThe data folder \"{dir}\" is held by another Yiqifu Desktop that does not answer: close it (if it will not close, end it in Task Manager or Activity Monitor), then start the app again."
        );
    }
    // The core's words for a full disk speak of a change not saved: at a start there was none.
    if matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) {
        return format!(
            "数据文件夹“{dir}”所在的磁盘已满：请删除不需要的文件或清空回收站，再打开本应用。已保存的工作不受影响。\nThe disk of the data folder \"{dir}\" is full: delete files you no longer need or empty the Recycle Bin, then start the app again. Work saved before is unaffected."
        );
    }
    let e = yiqifu_core::Error::Io(e);
    format!(
        "数据文件夹“{dir}”无法使用：{}\nThe data folder \"{dir}\" cannot be used: {}",
        e.message_zh(),
        e.message_en()
    )
}

/// Where Microsoft's Evergreen WebView2 Bootstrapper is offered (the installer says the same).
const WEBVIEW2_URL: &str = "https://go.microsoft.com/fwlink/p/?LinkId=2124703";

/// Why the window did not open. On Windows the usual cause is a PC without the WebView2
/// runtime (an LTSC build, an offline network): say what to install and where.
fn window_failed(error: &str, windows: bool) -> String {
    if windows {
        format!(
            "无法打开窗口：{error}\n这台电脑可能缺少 Microsoft Edge WebView2 运行时：请安装后再打开本应用（可请单位信息部门协助）：{WEBVIEW2_URL}\n\nThe window cannot be opened: {error}\nThis computer may lack the Microsoft Edge WebView2 Runtime: install it, then start the app again (your IT department can help): {WEBVIEW2_URL}"
        )
    } else {
        format!("无法打开窗口：{error} / the window cannot be opened: {error}")
    }
}

/// Why the core could not open, for the box `could_not_start` shows: before the window,
/// nothing says which language the officer reads.
fn both_languages(e: &yiqifu_core::Error) -> String {
    format!("{}\n{}\n({e})", e.message_zh(), e.message_en())
}

/// Says why the app could not start, on stderr and in a message box, and ends the app when
/// the box is closed: a Windows release build has no console, so without the box the
/// officer would see nothing at all.
fn could_not_start(handle: &tauri::AppHandle, why: &str) {
    use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
    eprintln!("益企服桌面端无法启动 / Yiqifu Desktop could not start: {why}");
    handle
        .dialog()
        .message(format!(
            "{why}\n\n请将此信息告知技术支持；已保存的工作不受影响。\nPlease pass this on to your IT support; saved work is not affected."
        ))
        .title("益企服桌面端无法启动 / Yiqifu Desktop could not start")
        .kind(MessageDialogKind::Error)
        .buttons(MessageDialogButtons::Ok)
        .show(|_| std::process::exit(1));
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{already_shown, both_languages, folder_not_taken, Status};

    #[test]
    fn a_folder_that_cannot_be_taken_says_why_and_what_to_do() {
        let held = std::io::Error::new(
            std::io::ErrorKind::ResourceBusy,
            crate::instance::HeldByAnother,
        );
        let said = folder_not_taken(Path::new("/data"), held);
        assert!(
            said.contains("另一个益企服桌面端") && said.contains("another Yiqifu Desktop"),
            "{said}"
        );
        assert!(!said.contains("disk"), "{said}");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let said = folder_not_taken(Path::new("/data"), denied);
        assert!(
            said.contains("没有读写权限") && said.contains("access was denied"),
            "{said}"
        );
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let said = folder_not_taken(Path::new("/data"), full);
        assert!(
            said.contains("磁盘已满") && said.contains("start the app again"),
            "{said}"
        );
        assert!(!said.contains("not saved"), "{said}");
    }

    #[test]
    fn a_start_that_fails_says_why_in_both_languages() {
        let e = yiqifu_core::Error::BackupTooNew("9.0.0".into());
        let said = both_languages(&e);
        assert!(
            said.contains(&e.message_zh()) && said.contains(&e.message_en()),
            "{said}"
        );
    }

    #[test]
    fn a_status_is_sent_again_when_a_command_answered_in_between() {
        let sent = Status {
            seq: 4,
            online: true,
            ..Status::default()
        };
        let same = |seq| Status {
            seq,
            ..sent.clone()
        };
        assert!(!already_shown(None, &same(5)), "the first is always sent");
        assert!(already_shown(Some(&sent), &same(5)));
        // Status 5 went to a command's answer (perhaps older news, arriving later): the
        // window must hear 6 even though it says what 4 said.
        assert!(!already_shown(Some(&sent), &same(6)));
        let offline = Status {
            online: false,
            ..same(5)
        };
        assert!(!already_shown(Some(&sent), &offline));
    }

    /// The UI's bindings are generated from these Rust types; a stale committed file fails
    /// here. `UPDATE_BINDINGS=1 cargo test -p yiqifu-desktop` rewrites it.
    #[test]
    fn typescript_bindings_are_up_to_date() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        let dir = tempfile_dir();
        let fresh = dir.join("bindings.ts");
        super::specta_builder()
            .export(specta_typescript::Typescript::default(), &fresh)
            .unwrap();
        let fresh_text = std::fs::read_to_string(&fresh).unwrap();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&committed, &fresh_text).unwrap();
            return;
        }
        let old = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            old == fresh_text,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p yiqifu-desktop typescript_bindings` and commit it"
        );
    }

    /// One version everywhere: every crate takes the workspace's, and tauri.conf.json names
    /// none, so the installers, About and the service's /health all carry that one.
    #[test]
    fn the_version_is_set_in_one_place() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let conf: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join("tauri.conf.json")).unwrap())
                .unwrap();
        assert!(
            conf.get("version").is_none(),
            "tauri.conf.json sets its own version: drop it, the app takes the workspace's"
        );
        let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let members: Vec<std::path::PathBuf> = ["src-tauri", "tests", "xtask"]
            .iter()
            .map(|m| root.join(m))
            .chain(
                std::fs::read_dir(root.join("crates"))
                    .unwrap()
                    .map(|e| e.unwrap().path()),
            )
            .collect();
        for m in members {
            let toml = std::fs::read_to_string(m.join("Cargo.toml")).unwrap();
            assert!(
                toml.contains("\nversion.workspace = true"),
                "{} sets its own version",
                m.display()
            );
        }
        let declared = format!("\nversion = \"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(
            workspace.contains(&declared),
            "{declared} not in Cargo.toml"
        );
        assert_eq!(yiqifu_core::VERSION, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn a_window_that_cannot_open_on_windows_names_webview2_and_where_to_get_it() {
        let said = super::window_failed("WebView2 error 0x80070002", true);
        assert!(said.contains("WebView2 运行时") && said.contains("WebView2 Runtime"));
        assert_eq!(said.matches(super::WEBVIEW2_URL).count(), 2, "{said}");
        assert!(!super::window_failed("no display", false).contains("WebView2"));
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("yiqifu-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
