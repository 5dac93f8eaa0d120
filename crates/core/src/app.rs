//! The client as the shell sees it. `App` holds only what is app-wide: the chosen service,
//! the connection, the keychain, the shared catalog and the enterprises open on this
//! computer. Each enterprise's work is its own [`Workspace`]; workspace actions name it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;
use yiqifu_protocol::{CreditCode, Document, EnterpriseProfile, Health};

use crate::catalog;
use crate::catalog::search::{SearchPage, SearchQuery};
use crate::client::{CentralClient, Proxy};
use crate::error::{Error, ErrorInfo, Result};
use crate::infra::changes::{Changed, Topic};
use crate::infra::shared::Shared;
use crate::materials::UploadProgress;
use crate::pull::PullStats;
use crate::secrets::{Keychain, Tokens};
use crate::store::Store;
use crate::workspace::{
    legacy, workspace_dir, workspace_id, RemovalPreview, SyncConfig, Workspace, WorkspaceSummary,
};

pub(crate) const SERVER_KEY: &str = "server";
pub(crate) const PROXY_KEY: &str = "proxy";
/// Written by versions before workspaces: the one account of this computer.
pub(crate) const ACCOUNT_KEY: &str = "account";

/// Which central service the officer works with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerChoice {
    /// The demo service built into the app, started in-process.
    Demo,
    /// A central service at this base URL.
    Url { url: String },
}

impl ServerChoice {
    pub(crate) fn key(&self) -> &str {
        match self {
            Self::Demo => "demo",
            Self::Url { url } => url,
        }
    }

    /// The choice a key names (the key of a workspace row or a backup's enterprise).
    pub(crate) fn from_key(key: &str) -> Self {
        if key == "demo" {
            Self::Demo
        } else {
            Self::Url { url: key.into() }
        }
    }
}

/// Names an account's keychain entry: the same enterprise on two services is two sessions.
pub(crate) fn account_key_of(server: &ServerChoice, credit_code: &str) -> String {
    format!("{}|{}", server.key(), credit_code)
}

/// Which enterprise is on screen, per service.
fn active_key(server: &ServerChoice) -> String {
    format!("active|{}", server.key())
}

/// What the status area shows; sent to the UI whenever it changes. The per-enterprise
/// fields are those of the enterprise on screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct Status {
    /// A status computed later has a larger number. A command's answer and an event travel
    /// apart and can arrive in either order: the window keeps the one with the larger
    /// number, never an older status over a newer one. (Typed for TypeScript as a plain
    /// number: a count of statuses stays far below 2^53.)
    #[specta(type = u32)]
    pub seq: u64,
    pub server: Option<ServerChoice>,
    pub online: bool,
    /// The enterprise on screen. Its cached work stays readable even when its session is
    /// gone (signed out elsewhere, expired, or a keychain that forgot it).
    pub account: Option<EnterpriseProfile>,
    /// The workspace id of the enterprise on screen: workspace commands name it.
    pub enterprise: Option<String>,
    /// Whether the enterprise on screen has a session: syncing needs one.
    pub signed_in: bool,
    pub syncing: bool,
    pub outbox_queued: u32,
    pub outbox_parked: u32,
    /// Unread inbox entries of the enterprise on screen (its menu badge and window title).
    pub inbox_unread: u32,
    /// RFC 3339 time of the last successful sync of the enterprise on screen.
    pub last_sync_at: Option<String>,
    pub document_count: u32,
    /// The library's badge: documents new, changed or withdrawn at the last sync that
    /// changed the catalog.
    pub library_new: u32,
    /// Every enterprise on this computer for this service, for the switcher.
    pub enterprises: Vec<WorkspaceSummary>,
    /// Set when a local database was found damaged at start and set aside, or the backup
    /// before an update failed.
    pub notice: Option<ErrorInfo>,
}

struct Open {
    ws: Arc<Workspace>,
    worker: Option<JoinHandle<()>>,
}

pub struct App {
    shared: Arc<Shared>,
    store: Store,
    data_dir: PathBuf,
    server: Mutex<Option<ServerChoice>>,
    /// The open workspaces of the chosen service, by id.
    open: Mutex<BTreeMap<String, Open>>,
    active: Mutex<Option<String>>,
    document_count: AtomicU32,
    library_new: AtomicU32,
    /// Whether each open workspace runs its own background worker (the shell's app does;
    /// tests drain by hand).
    workers: AtomicBool,
    catalog_lock: tokio::sync::Mutex<()>,
    /// Held while workspaces are opened, closed or removed, so one is never opened twice
    /// (two pools, two workers) or used while it goes.
    open_lock: tokio::sync::Mutex<()>,
    /// Why the backup before this start's update failed, told until the next start.
    update_backup: Option<ErrorInfo>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    pub async fn open(data_dir: &Path, keychain: Keychain) -> Result<Self> {
        // Before anything is migrated: an update that goes wrong must leave a way back.
        let update_backup = match crate::backup::before_update(data_dir).await {
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "backup before the update failed");
                Some(ErrorInfo::from(&Error::UpdateBackupFailed(Box::new(e))))
            }
        };
        let store = Store::open(data_dir).await?;
        let moved = legacy::migrate(&store, data_dir).await?;
        catalog::search::ensure_index(&store).await?;
        let server: Option<ServerChoice> = store.setting(SERVER_KEY).await?;
        let app = Self {
            shared: Arc::new(Shared::new(keychain, store.clone())),
            store,
            data_dir: data_dir.to_path_buf(),
            server: Mutex::new(server.clone()),
            open: Mutex::new(BTreeMap::new()),
            active: Mutex::new(None),
            document_count: AtomicU32::new(0),
            library_new: AtomicU32::new(0),
            workers: AtomicBool::new(false),
            catalog_lock: tokio::sync::Mutex::new(()),
            open_lock: tokio::sync::Mutex::new(()),
            update_backup,
        };
        if let Some(m) = moved {
            // The enterprise of the migrated work is the one that was on screen.
            app.store.set_setting(&active_key(&m.server), &m.id).await?;
            tracing::info!(enterprise = %m.id, name = %m.profile.name, "migrated");
        }
        // The backup the next start may need, taken once this start is over: neither the
        // window nor its first page waits for a copy of the whole database.
        app.store.backup_later(crate::store::BACKUP_AFTER_OPEN);
        sweep_leftovers(data_dir);
        {
            let _one = app.open_lock.lock().await;
            app.open_workspaces().await?;
        }
        app.refresh_document_count().await?;
        Ok(app)
    }

    /// Opens the workspaces of the chosen service and the one that was on screen.
    pub(crate) async fn open_workspaces(&self) -> Result<()> {
        let Some(server) = self.server_now() else {
            return Ok(());
        };
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, credit_code, profile FROM workspaces WHERE server = ? ORDER BY added_at, id",
        )
        .bind(server.key())
        .fetch_all(self.store.pool())
        .await?;
        for (id, code, profile) in rows {
            // One enterprise whose files cannot be opened must not keep the others closed.
            let opened = match serde_json::from_str::<EnterpriseProfile>(&profile) {
                Ok(p) => self
                    .open_workspace(&server, &id, &code, p)
                    .await
                    .map(|_| ()),
                Err(e) => Err(e.into()),
            };
            if let Err(e) = opened {
                tracing::error!(enterprise = %id, code = e.code(), error = %e, "workspace not opened");
            }
        }
        let active: Option<String> = self.store.setting(&active_key(&server)).await?;
        *lock(&self.active) = active.filter(|a| lock(&self.open).contains_key(a));
        Ok(())
    }

    pub(crate) async fn open_workspace(
        &self,
        server: &ServerChoice,
        id: &str,
        credit_code: &str,
        profile: EnterpriseProfile,
    ) -> Result<Arc<Workspace>> {
        if let Some(o) = lock(&self.open).get(id) {
            o.ws.set_profile(profile);
            return Ok(o.ws.clone());
        }
        let ws = Workspace::open(
            &workspace_dir(&self.data_dir, id),
            id,
            server.key().to_string(),
            account_key_of(server, credit_code),
            profile,
            self.shared.clone(),
        )
        .await?;
        let worker = self
            .workers
            .load(Ordering::Relaxed)
            .then(|| tokio::spawn(ws.clone().run_worker()));
        lock(&self.open).insert(
            id.into(),
            Open {
                ws: ws.clone(),
                worker,
            },
        );
        Ok(ws)
    }

    /// Starts a background worker for every open workspace, and for each opened later:
    /// every enterprise's queue drains with its own session, not only the one on screen.
    pub fn start_workers(&self) {
        self.workers.store(true, Ordering::Relaxed);
        for o in lock(&self.open).values_mut() {
            if o.worker.is_none() {
                o.worker = Some(tokio::spawn(o.ws.clone().run_worker()));
            }
        }
    }

    /// Closes every database (before the files are copied or the app ends).
    pub async fn close(&self) {
        self.close_workspaces().await;
        self.store.close().await;
    }

    async fn close_workspaces(&self) {
        let open: Vec<Open> = std::mem::take(&mut *lock(&self.open))
            .into_values()
            .collect();
        for o in open {
            if let Some(w) = o.worker {
                w.abort();
            }
            o.ws.store().close().await;
        }
    }

    /// Closes one workspace (its worker stopped, its database closed) while `open_lock` is
    /// held; whether it was open.
    pub(crate) async fn close_workspace(&self, id: &str) -> bool {
        let open = lock(&self.open).remove(id);
        match open {
            Some(o) => {
                if let Some(w) = o.worker {
                    w.abort();
                }
                o.ws.store().close().await;
                true
            }
            None => false,
        }
    }

    /// Held while workspaces are closed and opened again under the app's feet (a restore).
    pub(crate) async fn workspaces_lock(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.open_lock.lock().await
    }

    pub(crate) fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// The app's own database (settings and the catalog).
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn server_now(&self) -> Option<ServerChoice> {
        lock(&self.server).clone()
    }

    pub async fn server(&self) -> Result<Option<ServerChoice>> {
        Ok(self.server_now())
    }

    /// The enterprise with this workspace id, if it is on this computer.
    pub fn workspace(&self, id: &str) -> Result<Arc<Workspace>> {
        lock(&self.open)
            .get(id)
            .map(|o| o.ws.clone())
            .ok_or_else(|| Error::NoSuchEnterprise(id.into()))
    }

    /// The enterprise on screen.
    pub fn active(&self) -> Option<Arc<Workspace>> {
        let id = lock(&self.active).clone()?;
        self.workspace(&id).ok()
    }

    /// Every enterprise on this computer for the chosen service.
    pub fn workspaces(&self) -> Vec<Arc<Workspace>> {
        lock(&self.open).values().map(|o| o.ws.clone()).collect()
    }

    /// Status changes (a counter; read [`App::status`]), for the shell to forward.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.shared.bump.subscribe()
    }

    /// Which data changed, for the shell to forward so views reload what they read.
    pub fn changes(&self) -> broadcast::Receiver<Changed> {
        self.shared.changes.subscribe()
    }

    /// Upload progress of every workspace, for the shell to forward as events.
    pub fn progress(&self) -> broadcast::Receiver<UploadProgress> {
        self.shared.progress.subscribe()
    }

    /// Packaging progress of every workspace, for the shell to forward as events.
    pub fn package_progress(&self) -> broadcast::Receiver<crate::changes::PackageProgress> {
        self.shared.package.subscribe()
    }

    /// Application states the officer should hear of, from every workspace.
    pub fn notices(&self) -> broadcast::Receiver<crate::changes::StatusNotice> {
        self.shared.notices.subscribe()
    }

    /// New inbox entries, from every workspace (not only the one on screen).
    pub fn inbox_notices(&self) -> broadcast::Receiver<crate::changes::InboxNotice> {
        self.shared.inbox_notices.subscribe()
    }

    pub fn status(&self) -> Status {
        let open = self.workspaces();
        let enterprises: Vec<WorkspaceSummary> = open.iter().map(|w| w.summary()).collect();
        let active = lock(&self.active).clone();
        let on_screen = active
            .as_ref()
            .and_then(|a| enterprises.iter().find(|e| &e.id == a))
            .cloned();
        let notice = self
            .store
            .recovered()
            .map(|p| ErrorInfo::from(&Error::DatabaseRecovered(p.display().to_string())))
            .or_else(|| open.iter().find_map(|w| w.notice()))
            .or_else(|| self.update_backup.clone());
        Status {
            seq: self.shared.next_status_seq(),
            server: self.server_now(),
            online: self.shared.online(),
            account: on_screen.as_ref().map(|e| e.profile.clone()),
            enterprise: on_screen.as_ref().map(|e| e.id.clone()),
            signed_in: on_screen.as_ref().is_some_and(|e| e.signed_in),
            syncing: on_screen.as_ref().is_some_and(|e| e.syncing),
            outbox_queued: on_screen.as_ref().map_or(0, |e| e.queued),
            outbox_parked: on_screen.as_ref().map_or(0, |e| e.parked),
            inbox_unread: on_screen.as_ref().map_or(0, |e| e.unread),
            last_sync_at: on_screen.and_then(|e| e.last_sync_at),
            document_count: self.document_count.load(Ordering::Relaxed),
            library_new: self.library_new.load(Ordering::Relaxed),
            enterprises,
            notice,
        }
    }

    /// Recomputes every workspace's summary (the status reads them).
    pub async fn publish(&self) -> Result<()> {
        for ws in self.workspaces() {
            ws.publish().await?;
        }
        self.shared.touch();
        Ok(())
    }

    pub fn sync_config(&self) -> SyncConfig {
        self.shared.config()
    }

    pub fn set_sync_config(&self, c: SyncConfig) {
        self.shared.set_config(c);
    }

    fn set_online(&self, online: bool) {
        self.shared.set_online(online);
    }

    async fn refresh_document_count(&self) -> Result<()> {
        let n = catalog::count(&self.store).await?;
        let new = catalog::new_count(&self.store).await?;
        let was_new = self.library_new.swap(new, Ordering::Relaxed);
        if self.document_count.swap(n, Ordering::Relaxed) != n || was_new != new {
            self.shared.touch();
        }
        Ok(())
    }

    /// The officer picks a service: it must answer as a Yiqifu service before it is saved.
    /// `url` is where it answers (for the demo, the in-process server's address). The
    /// enterprises of another service stay on this computer, and come back with it.
    pub async fn choose_server(&self, choice: ServerChoice, url: &str) -> Result<Health> {
        let client = self.client_for(&choice, url).await?;
        let health = client.health().await?;
        let _one = self.open_lock.lock().await;
        let previous = self.server_now();
        let switching = previous.as_ref() != Some(&choice);
        if switching {
            // The old service's workspaces stop before the connection changes.
            self.close_workspaces().await;
        }
        let mut tx = self.store.write().await?;
        if switching {
            // Another service: its cursors mean nothing here. The cached catalog stays
            // until the first pull from the new service replaces it.
            sqlx::query("UPDATE sync_cursors SET cursor = NULL")
                .execute(&mut *tx)
                .await?;
        }
        crate::store::put_setting(&mut tx, SERVER_KEY, &choice).await?;
        tx.commit().await?;
        self.shared.set_client(choice.key(), client);
        self.set_online(true);
        if switching {
            *lock(&self.active) = None;
            *lock(&self.server) = Some(choice);
            self.open_workspaces().await?;
        }
        self.shared.notify(None, &[Topic::Workspaces]);
        Ok(health)
    }

    /// At start-up: reconnect to the saved service at `url`. Being offline is not an error:
    /// the cached data is there either way.
    pub async fn resume(&self, url: &str) -> Result<bool> {
        let server = self.server_now().ok_or(Error::NotConfigured)?;
        let client = self.client_for(&server, url).await?;
        self.shared.set_client(server.key(), client);
        self.probe().await
    }

    /// How the app reaches the service: the system's proxy unless the officer chose.
    pub async fn proxy(&self) -> Result<Proxy> {
        Ok(self.store.setting(PROXY_KEY).await?.unwrap_or_default())
    }

    /// A connection to `choice` at `url`, through the proxy chosen. The built-in demo runs
    /// in this process, where no proxy could reach it: it is always direct.
    async fn client_for(&self, choice: &ServerChoice, url: &str) -> Result<CentralClient> {
        let proxy = match choice {
            ServerChoice::Demo => Proxy::Direct,
            ServerChoice::Url { .. } => self.proxy().await?,
        };
        CentralClient::with_options(url, self.sync_config().keep_alive, &proxy)
    }

    /// Keeps how to reach the service and connects again through it; `Ok(online)`. A proxy
    /// address that cannot be used is refused before anything changes.
    pub async fn set_proxy(&self, proxy: Proxy) -> Result<bool> {
        proxy.check()?;
        let mut tx = self.store.write().await?;
        crate::store::put_setting(&mut tx, PROXY_KEY, &proxy).await?;
        tx.commit().await?;
        let (Some(server), Some(client)) = (self.server_now(), self.shared.client_opt()) else {
            return Ok(false);
        };
        let fresh = self.client_for(&server, client.base_url()).await?;
        self.shared.set_client(server.key(), fresh);
        self.probe().await
    }

    /// What the service says of itself (its build, whether it is the demo), or `None` when
    /// none is chosen or it does not answer now.
    pub async fn service_health(&self) -> Option<Health> {
        self.shared.client_opt()?.health().await.ok()
    }

    /// Checks whether the service answers, and updates the online flag.
    pub async fn probe(&self) -> Result<bool> {
        let Some(client) = self.shared.client_opt() else {
            return Ok(false);
        };
        let online = client.health().await.is_ok();
        self.set_online(online);
        self.shared.touch();
        Ok(online)
    }

    /// Signs an enterprise in, adding it to this computer the first time, and puts it on
    /// screen. Its session is its own keychain entry; what it queued while signed out goes
    /// out now.
    pub async fn sign_in(&self, credit_code: &str, password: &str) -> Result<EnterpriseProfile> {
        let code = CreditCode::parse(credit_code)?;
        let server = self.server_now().ok_or(Error::NotConfigured)?;
        let client = self.shared.client()?;
        let resp = match client.login(code.as_str(), password).await {
            Err(e) => {
                if e.is_offline() {
                    self.set_online(false);
                }
                return Err(e);
            }
            Ok(r) => r,
        };
        self.set_online(true);
        let profile = resp.enterprise;
        // The folder is named after the code: it must be the one typed, and a valid one.
        if CreditCode::parse(&profile.credit_code)?.as_str() != code.as_str() {
            return Err(Error::MalformedResponse(
                "signed in as another enterprise than the one asked for".into(),
            ));
        }
        let tokens = Tokens {
            access: resp.access_token,
            refresh: resp.refresh_token,
            access_expires_at: resp.access_expires_at,
        };
        let id = workspace_id(&server, &profile.credit_code);
        let _one = self.open_lock.lock().await;
        let known = self.workspace(&id).ok();
        if known.is_none() {
            // A keychain that cannot keep the session leaves no enterprise behind.
            self.shared
                .store_tokens(
                    &account_key_of(&server, &profile.credit_code),
                    tokens.clone(),
                )
                .await?;
        }
        sqlx::query(
            "INSERT INTO workspaces (id, server, credit_code, profile, added_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET profile = excluded.profile",
        )
        .bind(&id)
        .bind(server.key())
        .bind(&profile.credit_code)
        .bind(serde_json::to_string(&profile)?)
        .bind(crate::outbox::now_unix())
        .execute(self.store.pool())
        .await?;
        let ws = match known {
            Some(ws) => {
                ws.set_profile(profile.clone());
                ws
            }
            None => {
                self.open_workspace(&server, &id, &profile.credit_code, profile.clone())
                    .await?
            }
        };
        drop(_one);
        ws.signed_in(tokens).await?;
        self.set_active(Some(&id)).await?;
        Ok(profile)
    }

    async fn set_active(&self, id: Option<&str>) -> Result<()> {
        let server = self.server_now().ok_or(Error::NotConfigured)?;
        match id {
            Some(id) => self.store.set_setting(&active_key(&server), &id).await?,
            None => self.store.delete_setting(&active_key(&server)).await?,
        }
        *lock(&self.active) = id.map(str::to_string);
        self.shared.notify(None, &[Topic::Workspaces]);
        Ok(())
    }

    /// Puts another enterprise on screen; everything shown follows.
    pub async fn switch_to(&self, id: &str) -> Result<()> {
        self.workspace(id)?;
        self.set_active(Some(id)).await
    }

    /// Signs the enterprise on screen out (see [`Workspace::sign_out`]); another signed-in
    /// one comes on screen, or the sign-in page.
    pub async fn sign_out(&self) -> Result<()> {
        let Some(ws) = self.active() else {
            return Ok(());
        };
        self.sign_out_of(ws.id()).await
    }

    /// Signs an enterprise out; its work stays on this computer, not sent.
    pub async fn sign_out_of(&self, id: &str) -> Result<()> {
        let ws = self.workspace(id)?;
        ws.sign_out().await?;
        self.replace_on_screen(id).await
    }

    /// When `gone` was on screen, another signed-in enterprise takes its place, or none.
    async fn replace_on_screen(&self, gone: &str) -> Result<()> {
        if lock(&self.active).as_deref() != Some(gone) {
            return Ok(());
        }
        let next = self
            .workspaces()
            .into_iter()
            .find(|w| w.id() != gone && w.summary().signed_in)
            .map(|w| w.id().to_string());
        self.set_active(next.as_deref()).await
    }

    /// What removing an enterprise from this computer would lose, to ask first.
    pub async fn removal_preview(&self, id: &str) -> Result<RemovalPreview> {
        self.workspace(id)?.removal_preview().await
    }

    /// Removes an enterprise and all its local work from this computer: its session is
    /// revoked, its keychain entry, database and material files deleted. The service keeps
    /// what it already got.
    pub async fn remove_workspace(&self, id: &str) -> Result<()> {
        let ws = self.workspace(id)?;
        if let Err(e) = ws.sign_out().await {
            tracing::warn!(enterprise = %id, code = e.code(), "sign-out before removal failed");
        }
        // Tokens that could not be revoked go anyway: nothing is left to send with them.
        self.shared.delete_tokens(ws.account_key()).await?;
        let _one = self.open_lock.lock().await;
        let open = lock(&self.open).remove(id);
        if let Some(o) = open {
            if let Some(w) = o.worker {
                w.abort();
            }
            o.ws.store().close().await;
        }
        // First out of the way, so a folder that cannot be deleted now (a virus scanner
        // holding a file) is never opened again as the enterprise's: then forgotten, then
        // deleted (or at the next start).
        let dir = workspace_dir(&self.data_dir, id);
        let tomb = self
            .data_dir
            .join(crate::workspace::WORKSPACES_DIR)
            .join(format!(
                "{REMOVED_PREFIX}{id}-{}",
                crate::outbox::now_unix()
            ));
        if dir.exists() {
            crate::store::rename_retrying(&dir, &tomb).await?;
        }
        sqlx::query("DELETE FROM workspaces WHERE id = ?")
            .bind(id)
            .execute(self.store.pool())
            .await?;
        drop(_one);
        if let Err(e) = remove_dir_retrying(&tomb).await {
            tracing::warn!(error = %e, "removed workspace not deleted yet; it goes at the next start");
        }
        self.replace_on_screen(id).await?;
        self.shared.notify(None, &[Topic::Workspaces]);
        Ok(())
    }

    /// Syncs the enterprise on screen: sends its queue, then pulls the catalog and its own
    /// feeds. Only one catalog pull runs at a time.
    pub async fn sync_now(&self) -> Result<PullStats> {
        let ws = self.active().ok_or(Error::NotSignedIn)?;
        self.sync_one(&ws).await
    }

    async fn sync_one(&self, ws: &Workspace) -> Result<PullStats> {
        let result = {
            let _one = self.catalog_lock.lock().await;
            ws.sync(Some(&self.store)).await
        };
        if let Ok(s) = &result {
            if s.upserted + s.removed > 0 {
                self.refresh_document_count().await?;
                // Built now so the first pinyin query does not wait for it.
                catalog::search::refresh_vocab(&self.store).await?;
                self.shared.notify(None, &[Topic::Catalog]);
            }
        }
        result
    }

    /// Syncs every signed-in enterprise of this computer: the catalog once, each one's own
    /// feeds and queue with its own session. Errors are logged per enterprise.
    pub async fn sync_all(&self) -> Result<()> {
        let mut catalog_done = false;
        for ws in self.workspaces() {
            if !ws.summary().signed_in {
                continue;
            }
            let r = if catalog_done {
                ws.sync(None).await
            } else {
                self.sync_one(&ws).await
            };
            match r {
                Ok(_) => catalog_done = true,
                Err(e) if e.is_offline() => return Err(e),
                Err(e) => {
                    tracing::warn!(enterprise = %ws.id(), code = e.code(), error = %e, "sync failed")
                }
            }
        }
        Ok(())
    }

    /// Sends what every workspace has due now.
    pub async fn drain_all(&self) -> Result<()> {
        for ws in self.workspaces() {
            ws.drain().await?;
        }
        Ok(())
    }

    /// Wakes every workspace's worker (the connection came back).
    pub fn wake_all(&self) {
        for ws in self.workspaces() {
            ws.wake();
        }
    }

    /// The pulled entries of a catalog collection (templates, material rules), as JSON.
    pub async fn collection(&self, collection: &str) -> Result<Vec<serde_json::Value>> {
        catalog::collection(&self.store, collection).await
    }

    pub async fn search_documents(&self, q: &SearchQuery) -> Result<SearchPage> {
        catalog::search::search(&self.store, q, &crate::clock::today_in_china()).await
    }

    /// The first results of a library page of `kind`, for the enterprise `ws` (or none).
    pub async fn library_first_results(
        &self,
        ws: Option<&Workspace>,
        kind: yiqifu_protocol::DocumentKind,
    ) -> Result<catalog::search::FirstResults> {
        catalog::search::first_results(&self.store, ws, kind, &crate::clock::today_in_china()).await
    }

    /// How many documents the catalog holds, as the status says.
    pub fn document_count(&self) -> u32 {
        self.document_count.load(Ordering::Relaxed)
    }

    pub async fn document(&self, id: &str) -> Result<Document> {
        catalog::get(&self.store, id).await
    }

    /// Document `id` as the library opens it today, with no enterprise's marks (see
    /// `Workspace::library_document` for those).
    pub async fn document_view(&self, id: &str) -> Result<catalog::DocumentView> {
        catalog::view(&self.store, id, &crate::clock::today_in_china()).await
    }

    /// What the last sync that changed the library brought: new, changed, withdrawn.
    pub async fn whats_new(&self) -> Result<catalog::WhatsNew> {
        catalog::whats_new(&self.store).await
    }

    /// Every document the service withdrew while this computer followed the catalog.
    pub async fn withdrawn_documents(&self) -> Result<Vec<catalog::WithdrawnDocument>> {
        catalog::withdrawn(&self.store).await
    }
}

const REMOVED_PREFIX: &str = ".removed-";

/// Deletes what a removal could not delete at the time, and what a backup or a restore
/// stopped mid-way (a kill, a shutdown) left behind: full copies of databases and of
/// material files, which would otherwise fill the disk a little more each time. At start
/// nothing uses them: one instance runs, and its backups and restores have not begun.
fn sweep_leftovers(data_dir: &Path) {
    use crate::backup::{BACKUPS_DIR, SCRATCH_PREFIX, STAGING_PREFIX};
    let places = [
        (
            data_dir.join(crate::workspace::WORKSPACES_DIR),
            &[REMOVED_PREFIX, STAGING_PREFIX][..],
        ),
        (data_dir.join(BACKUPS_DIR), &[SCRATCH_PREFIX][..]),
    ];
    for (dir, prefixes) in places {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if prefixes.iter().any(|p| name.starts_with(p)) {
                if let Err(err) = std::fs::remove_dir_all(e.path()) {
                    tracing::warn!(error = %err, folder = %name, "leftover folder not deleted");
                }
            }
        }
    }
}

/// Deletes a folder, retrying briefly: sqlx closes SQLite handles on its own threads after
/// `close` returns, and Windows refuses to delete a file that is still open.
async fn remove_dir_retrying(dir: &Path) -> Result<()> {
    Ok(crate::store::retrying("remove", || {
        crate::store::gone_is_done(std::fs::remove_dir_all(dir))
    })
    .await?)
}
