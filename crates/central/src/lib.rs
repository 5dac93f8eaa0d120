//! `yiqifu-central`: the reference central service of Yiqifu. It runs on its own
//! (`yiqifu-central --demo`) or embedded in the desktop app as its built-in demo server.

pub mod appeals;
pub mod applications;
pub mod auth;
pub mod catalog;
pub mod cli;
pub mod db;
pub mod error;
mod extract;
pub mod idempotency;
pub mod inbox;
pub mod listings;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod pages;
pub mod profiles;
pub mod seed;
mod serve;
pub mod store;
pub mod uploads;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::db::Db;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, head, post, put};
use axum::{Json, Router};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
#[cfg(feature = "openapi")]
use utoipa::OpenApi;
use yiqifu_protocol::{Health, API_VERSION, SERVICE_NAME};

pub use db::Database;
pub use error::{Error, Result};
pub use store::Uploads;

/// JSON bodies are small; uploads go through tus, not here.
const JSON_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub demo: bool,
    /// A real argon2 hash to verify against when the account does not exist (constant timing).
    pub dummy_hash: String,
    pub limiter: Arc<auth::SignInLimiter>,
    pub busy: Arc<uploads::Busy>,
    /// Turns for the content checks of completed uploads, one per core.
    pub checks: Arc<tokio::sync::Semaphore>,
    /// Where upload bytes live: a folder, or an S3-compatible bucket.
    pub store: store::Store,
    /// How long a request body may send nothing before the service gives up on it.
    pub body_idle: std::time::Duration,
}

/// How long a request body may stall: a laptop that sleeps mid-chunk must not hold its
/// upload's lock, so the next PATCH after waking succeeds within this time.
pub const BODY_IDLE: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a client may take to send a request's headers: a client that trickles them (or
/// opens connections and says nothing) cannot hold the service's connections for ever.
pub const HEADER_READ: std::time::Duration = std::time::Duration::from_secs(30);

#[utoipa::path(get, path = "/api/v1/health", tag = "meta",
    responses((status = 200, description = "The service is up", body = Health)))]
pub async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Json<Health> {
    Json(Health {
        service: SERVICE_NAME.into(),
        api_version: API_VERSION,
        version: env!("CARGO_PKG_VERSION").into(),
        demo: state.demo,
    })
}

#[cfg(feature = "openapi")]
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "This document", content_type = "application/json")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    // Built once: its modifiers walk the whole document.
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    Json(DOC.get_or_init(openapi::ApiDoc::openapi).clone())
}

async fn fallback() -> Error {
    Error::api(
        axum::http::StatusCode::NOT_FOUND,
        yiqifu_protocol::ErrorCode::NotFound,
        "没有这个接口 / no such endpoint",
    )
}

/// Every route the service serves, as (method, path). The OpenAPI document must describe
/// exactly these; a test holds both to it.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/health"),
    #[cfg(feature = "openapi")]
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/reviewer-login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/catalog/documents"),
    ("get", "/api/v1/catalog/templates"),
    ("get", "/api/v1/catalog/material-rules"),
    ("get", "/api/v1/catalog/calendar"),
    ("get", "/api/v1/catalog/attachment-rules"),
    ("put", "/api/v1/profile"),
    ("get", "/api/v1/profile"),
    ("options", "/api/v1/uploads"),
    ("post", "/api/v1/uploads"),
    ("head", "/api/v1/uploads/{id}"),
    ("patch", "/api/v1/uploads/{id}"),
    ("delete", "/api/v1/uploads/{id}"),
    ("get", "/api/v1/uploads/{id}"),
    ("post", "/api/v1/applications"),
    ("get", "/api/v1/applications"),
    ("get", "/api/v1/applications/{id}"),
    ("post", "/api/v1/applications/{id}/resubmit"),
    ("post", "/api/v1/appeals"),
    ("get", "/api/v1/appeals"),
    ("get", "/api/v1/appeals/{id}"),
    ("post", "/api/v1/appeals/{id}/messages"),
    ("post", "/api/v1/appeals/{id}/rating"),
    ("post", "/api/v1/listings"),
    ("get", "/api/v1/listings"),
    ("get", "/api/v1/listings/mine"),
    ("put", "/api/v1/listings/{id}"),
    ("post", "/api/v1/listings/{id}/withdraw"),
    ("get", "/api/v1/listings/{id}/matches"),
    ("get", "/api/v1/inbox"),
    ("post", "/api/v1/inbox/{id}/read"),
    ("get", "/api/v1/review/applications"),
    ("post", "/api/v1/review/applications/{id}/actions"),
    ("get", "/api/v1/review/appeals"),
    ("post", "/api/v1/review/appeals/{id}/actions"),
];

pub fn router(state: AppState) -> Router {
    let router = Router::new();
    // The desktop's built-in demo service leaves its description out (and with it the code
    // that builds it, ~150 KB of the .deb): no one reads it there.
    #[cfg(feature = "openapi")]
    let router = router.route("/api/v1/openapi.json", get(openapi_json));
    router
        .route("/api/v1/health", get(health))
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/auth/reviewer-login", post(auth::reviewer_login))
        .route("/api/v1/auth/refresh", post(auth::refresh))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/catalog/documents", get(catalog::documents))
        .route("/api/v1/catalog/templates", get(catalog::templates))
        .route(
            "/api/v1/catalog/material-rules",
            get(catalog::material_rules),
        )
        .route("/api/v1/catalog/calendar", get(catalog::calendar))
        .route(
            "/api/v1/catalog/attachment-rules",
            get(catalog::attachment_rules),
        )
        .route("/api/v1/profile", get(profiles::get).put(profiles::put))
        .route(
            "/api/v1/uploads",
            post(uploads::create).options(uploads::options),
        )
        .route(
            "/api/v1/uploads/{id}",
            head(uploads::head)
                .patch(uploads::patch)
                .delete(uploads::terminate)
                .get(uploads::info),
        )
        .route(
            "/api/v1/applications",
            post(applications::submit).get(applications::list),
        )
        .route("/api/v1/applications/{id}", get(applications::get))
        .route(
            "/api/v1/applications/{id}/resubmit",
            post(applications::resubmit),
        )
        .route("/api/v1/appeals", post(appeals::submit).get(appeals::list))
        .route("/api/v1/appeals/{id}", get(appeals::get))
        .route("/api/v1/appeals/{id}/messages", post(appeals::message))
        .route("/api/v1/appeals/{id}/rating", post(appeals::rate))
        .route(
            "/api/v1/listings",
            post(listings::submit).get(listings::browse),
        )
        .route("/api/v1/listings/mine", get(listings::mine))
        .route("/api/v1/listings/{id}", put(listings::update))
        .route("/api/v1/listings/{id}/withdraw", post(listings::withdraw))
        .route("/api/v1/listings/{id}/matches", get(listings::matches))
        .route("/api/v1/inbox", get(inbox::list))
        .route("/api/v1/inbox/{id}/read", post(inbox::mark_read))
        .route(
            "/api/v1/review/applications",
            get(applications::review_list),
        )
        .route(
            "/api/v1/review/applications/{id}/actions",
            post(applications::review_action),
        )
        .route("/api/v1/review/appeals", get(appeals::review_list))
        .route(
            "/api/v1/review/appeals/{id}/actions",
            post(appeals::review_action),
        )
        .fallback(fallback)
        .layer(axum::middleware::from_fn(nul_in_path))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .with_state(state)
}

/// No record's id holds a NUL character, and PostgreSQL cannot even look one up (its text
/// holds none): a path with one names nothing, and is answered so on either engine.
async fn nul_in_path(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if percent_encoding::percent_decode_str(request.uri().path()).any(|b| b == 0) {
        return Error::not_found().into_response();
    }
    next.run(request).await
}

pub struct Config {
    pub addr: SocketAddr,
    pub database: Database,
    /// Where uploaded bytes are kept. Beside a SQLite file when `None`; a PostgreSQL
    /// database must be given a store, shared by every service process against it.
    pub uploads: Option<store::Uploads>,
    pub demo: bool,
    /// Synthetic policies to add, for benchmarks.
    pub scale: usize,
    pub durability: db::Durability,
    /// [`BODY_IDLE`] unless a test needs it shorter.
    pub body_idle: std::time::Duration,
    /// [`HEADER_READ`] unless a test needs it shorter.
    pub header_read: std::time::Duration,
}

/// A service running on a tokio task; dropping it (or calling [`Running::stop`]) shuts it down.
pub struct Running {
    pub addr: SocketAddr,
    /// The service's database, for tests and tools that act as the authority.
    pub db: Db,
    /// Where the uploaded bytes are kept.
    pub store: store::Store,
    /// The answers given so far, for tests that hold them to the OpenAPI document.
    pub answered: Answered,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    // Kept alive for as long as the service runs on a temporary database.
    _tempdir: Option<tempfile::TempDir>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and closes the database whole (its write-ahead log folded in), so
    /// that the file can be copied or moved once this returns.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.db.close().await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Where a database's uploads live: `<db file name>.uploads/` beside it.
pub fn upload_dir_for(db_path: &Path) -> PathBuf {
    let mut name = db_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".uploads");
    db_path.with_file_name(name)
}

pub async fn open_state(db_path: &Path, demo: bool) -> Result<AppState> {
    open_state_with(
        &Database::Sqlite(db_path.to_path_buf()),
        None,
        demo,
        db::Durability::Full,
    )
    .await
}

async fn open_state_with(
    database: &Database,
    uploads: Option<&store::Uploads>,
    demo: bool,
    durability: db::Durability,
) -> Result<AppState> {
    let uploads =
        match (uploads, database) {
            (Some(uploads), _) => uploads.clone(),
            (None, Database::Sqlite(path)) => store::Uploads::Disk(upload_dir_for(path)),
            (None, Database::Postgres(_)) => return Err(Error::Config(
                "PostgreSQL 数据库须指定上传存储 / a PostgreSQL database needs an upload store: \
                 give --uploads <folder or s3://bucket>, the same for every service process"
                    .into(),
            )),
        };
    let store = store::Store::open(&uploads).await?;
    let db = db::connect(database, durability).await?;
    if demo {
        seed::seed_demo(&db).await?;
    }
    let dummy_hash = tokio::task::spawn_blocking(|| auth::hash_password("not-a-password"))
        .await
        .map_err(|e| Error::Hash(e.to_string()))??;
    Ok(AppState {
        db,
        demo,
        dummy_hash,
        limiter: Arc::default(),
        busy: Arc::default(),
        checks: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        )),
        store,
        body_idle: BODY_IDLE,
    })
}

/// Binds and serves on a background task; returns once the socket is listening.
pub async fn start(config: Config) -> Result<Running> {
    let mut state = open_state_with(
        &config.database,
        config.uploads.as_ref(),
        config.demo,
        config.durability,
    )
    .await?;
    state.body_idle = config.body_idle;
    if config.scale > 0 {
        seed::seed_scale(&state.db, config.scale).await?;
    }
    let listener = TcpListener::bind(config.addr).await?;
    spawn(listener, state, config.header_read, None)
}

/// The built-in demo: seeded data on 127.0.0.1 with a port the OS picks. With `db_path`
/// the demo keeps its state across restarts; without, it lives in a temporary directory.
pub async fn start_demo(db_path: Option<PathBuf>) -> Result<Running> {
    let (path, tempdir) = match db_path {
        Some(p) => (p, None),
        None => {
            let dir = tempfile::tempdir()?;
            (dir.path().join("central.sqlite"), Some(dir))
        }
    };
    let state = open_state(&path, true).await?;
    let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
    spawn(listener, state, HEADER_READ, tempdir)
}

fn spawn(
    listener: TcpListener,
    state: AppState,
    header_read: std::time::Duration,
    tempdir: Option<tempfile::TempDir>,
) -> Result<Running> {
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let db = state.db.clone();
    let store = state.store.clone();
    let sweeper = tokio::spawn(uploads::sweep_every(state.clone(), uploads::SWEEP_EVERY));
    let answered = Answered::default();
    let app = router(state).layer(axum::middleware::from_fn_with_state(
        answered.clone(),
        record_answer,
    ));
    let task = tokio::spawn(async move {
        serve::serve(listener, app, header_read, async {
            let _ = rx.await;
        })
        .await;
        sweeper.abort();
    });
    Ok(Running {
        addr,
        db,
        store,
        answered,
        shutdown: Some(tx),
        task: Some(task),
        _tempdir: tempdir,
    })
}

/// Which answers the service has given, as (method, route template, status): a small set,
/// bounded by routes × statuses. The tests hold it to the OpenAPI document, so an answer a
/// route gives but the document does not name is found by whichever test provoked it.
#[derive(Clone, Default)]
pub struct Answered(Arc<std::sync::Mutex<std::collections::BTreeSet<(String, String, u16)>>>);

impl Answered {
    pub fn seen(&self) -> Vec<(String, String, u16)> {
        match self.0.lock() {
            Ok(set) => set.iter().cloned().collect(),
            Err(poisoned) => poisoned.into_inner().iter().cloned().collect(),
        }
    }
}

async fn record_answer(
    axum::extract::State(answered): axum::extract::State<Answered>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().as_str().to_ascii_lowercase();
    // Only answers of a route count; the fallback's 404 belongs to no route.
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let response = next.run(request).await;
    if let Some(route) = route {
        let key = (method, route, response.status().as_u16());
        if let Ok(mut set) = answered.0.lock() {
            set.insert(key);
        }
    }
    response
}
