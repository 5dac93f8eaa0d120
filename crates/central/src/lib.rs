//! `yiqifu-central`: the reference central service of Yiqifu. It runs on its own
//! (`yiqifu-central --demo`) or embedded in the desktop app as its built-in demo server.

pub mod auth;
pub mod catalog;
pub mod db;
pub mod error;
mod extract;
pub mod openapi;
pub mod seed;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, Router};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use utoipa::OpenApi;
use yiqifu_protocol::{Health, API_VERSION, SERVICE_NAME};

pub use error::{Error, Result};

/// JSON bodies are small; uploads go through tus, not here.
const JSON_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub demo: bool,
    /// A real argon2 hash to verify against when the account does not exist (constant timing).
    pub dummy_hash: String,
}

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

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "This document", content_type = "application/json")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi::ApiDoc::openapi())
}

async fn fallback() -> Error {
    Error::not_found()
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/catalog/documents", get(catalog::documents))
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .with_state(state)
}

pub struct Config {
    pub addr: SocketAddr,
    pub db_path: PathBuf,
    pub demo: bool,
}

/// A service running on a tokio task; dropping it (or calling [`Running::stop`]) shuts it down.
pub struct Running {
    pub addr: SocketAddr,
    /// The service's database, for tests and tools that act as the authority.
    pub db: SqlitePool,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    // Kept alive for as long as the service runs on a temporary database.
    _tempdir: Option<tempfile::TempDir>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub async fn open_state(db_path: &Path, demo: bool) -> Result<AppState> {
    let db = db::open(db_path).await?;
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
    })
}

/// Binds and serves on a background task; returns once the socket is listening.
pub async fn start(config: Config) -> Result<Running> {
    let state = open_state(&config.db_path, config.demo).await?;
    let listener = TcpListener::bind(config.addr).await?;
    spawn(listener, state, None)
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
    spawn(listener, state, tempdir)
}

fn spawn(
    listener: TcpListener,
    state: AppState,
    tempdir: Option<tempfile::TempDir>,
) -> Result<Running> {
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let db = state.db.clone();
    let app = router(state);
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "central service stopped");
        }
    });
    Ok(Running {
        addr,
        db,
        shutdown: Some(tx),
        task: Some(task),
        _tempdir: tempdir,
    })
}
