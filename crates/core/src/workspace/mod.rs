//! One enterprise's work on this computer: its own database and material store, its queue,
//! its worker and its session. Nothing of one workspace can reach another's: each has its
//! own folder and file, so isolation does not hang on a WHERE clause someone may forget.
//! Features add their actions to [`Workspace`] from their own modules.

pub(crate) mod legacy;
pub(crate) mod ops;
mod session;
mod worker;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use specta::Type;
use tokio::sync::{watch, Notify};
use yiqifu_protocol::EnterpriseProfile;

use crate::error::{Error, ErrorInfo, Result};
use crate::infra::changes::Topic;
use crate::infra::shared::Shared;
use crate::outbox::{self, OpKind, ParkedItem};
use crate::pull::{self, Feed, PullStats};
use crate::records::{self, LocalRecord};
use crate::secrets::Tokens;
use crate::store::{Schema, Store};

/// The enterprise's own feeds, pulled at each sync in this order, each with the topic its
/// changes touch. A feature adds its feed here.
pub(crate) static FEEDS: [(&Feed, Topic); 3] = [
    (&crate::inbox::FEEDS[0], Topic::Inbox),
    (&crate::appeals::FEEDS[0], Topic::Appeals),
    (&crate::listings::FEEDS[0], Topic::Listings),
];

/// Timing of retries and the size of upload chunks.
#[derive(Debug, Clone, Copy)]
pub struct SyncConfig {
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    pub chunk_bytes: usize,
    /// How long the worker sleeps when nothing is due.
    pub idle: Duration,
    /// Reuse connections to the service (HTTP keep-alive).
    pub keep_alive: bool,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            base_delay_ms: 1_000,
            max_delay_ms: 300_000,
            chunk_bytes: 1024 * 1024,
            idle: Duration::from_secs(30),
            keep_alive: true,
        }
    }
}

/// When the enterprise last synced; the app's own store had it too before workspaces (the
/// legacy move deletes it there).
pub(crate) const LAST_SYNC_KEY: &str = "last_sync_at";
/// Set when the officer signed out while the service could not be told: the tokens stay
/// in the keychain only until the worker has revoked them, and are never used to send.
pub(crate) const REVOKE_KEY: &str = "revoke_pending";

/// An enterprise on this computer, as the switcher lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct WorkspaceSummary {
    /// Names the enterprise in every workspace command.
    pub id: String,
    pub profile: EnterpriseProfile,
    /// Whether its session is in the keychain: sending needs one. Its work stays readable
    /// without.
    pub signed_in: bool,
    pub queued: u32,
    pub parked: u32,
    /// Unread inbox entries.
    pub unread: u32,
    pub syncing: bool,
    /// RFC 3339 time of its last successful sync.
    pub last_sync_at: Option<String>,
}

/// What removing an enterprise from this computer would lose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct RemovalPreview {
    /// Requests and uploads not yet sent.
    pub unsent: u32,
    /// Records the service never got, and appeals still being written.
    pub drafts: u32,
}

pub struct Workspace {
    id: String,
    /// The service it belongs to: it sends nothing through a connection to another.
    server_key: String,
    /// The keychain entry of its session: service and credit code.
    account_key: String,
    /// Held across every read-refresh-store of its tokens and across a revocation, so a
    /// refresh and a sign-out never undo each other.
    session: tokio::sync::Mutex<()>,
    profile: Mutex<EnterpriseProfile>,
    store: Store,
    shared: Arc<Shared>,
    drain_lock: tokio::sync::Mutex<()>,
    sync_lock: tokio::sync::Mutex<()>,
    wake: Notify,
    summary: watch::Sender<WorkspaceSummary>,
    syncing: AtomicBool,
    revoke_pending: AtomicBool,
}

impl Workspace {
    pub(crate) async fn open(
        dir: &Path,
        id: &str,
        server_key: String,
        account_key: String,
        profile: EnterpriseProfile,
        shared: Arc<Shared>,
    ) -> Result<Arc<Self>> {
        let store = Store::open_as(dir, Schema::Workspace).await?;
        let revoke = store.setting::<bool>(REVOKE_KEY).await?.unwrap_or(false);
        let summary = WorkspaceSummary {
            id: id.into(),
            profile: profile.clone(),
            signed_in: false,
            queued: 0,
            parked: 0,
            unread: 0,
            syncing: false,
            last_sync_at: None,
        };
        let ws = Arc::new(Self {
            id: id.into(),
            server_key,
            account_key,
            session: tokio::sync::Mutex::new(()),
            profile: Mutex::new(profile),
            store,
            shared,
            drain_lock: tokio::sync::Mutex::new(()),
            sync_lock: tokio::sync::Mutex::new(()),
            wake: Notify::new(),
            summary: watch::channel(summary).0,
            syncing: AtomicBool::new(false),
            revoke_pending: AtomicBool::new(revoke),
        });
        // The backup the next start may need, taken once this start is over.
        ws.store.backup_later(crate::store::BACKUP_AFTER_OPEN);
        ws.publish().await?;
        Ok(ws)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn profile(&self) -> EnterpriseProfile {
        self.profile
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn set_profile(&self, p: EnterpriseProfile) {
        *self.profile.lock().unwrap_or_else(PoisonError::into_inner) = p;
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    pub(crate) fn account_key(&self) -> &str {
        &self.account_key
    }

    /// The connection to this workspace's own service.
    pub(crate) fn client(&self) -> Result<crate::client::CentralClient> {
        self.shared.client_for(&self.server_key)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// What the switcher and the status line show, as of the last change.
    pub fn summary(&self) -> WorkspaceSummary {
        self.summary.borrow().clone()
    }

    /// Set when its database was found damaged at start and set aside.
    pub fn notice(&self) -> Option<ErrorInfo> {
        self.store
            .recovered()
            .map(|p| ErrorInfo::from(&Error::DatabaseRecovered(p.display().to_string())))
    }

    pub fn sync_config(&self) -> SyncConfig {
        self.shared.config()
    }

    /// Recomputes the summary and tells the status line if it changed.
    pub async fn publish(&self) -> Result<()> {
        let counts = outbox::counts(&self.store).await?;
        // A keychain that cannot be read counts as signed out; signing in reports why.
        let signed_in = matches!(self.tokens().await, Ok(Some(_)));
        let next = WorkspaceSummary {
            id: self.id.clone(),
            profile: self.profile(),
            signed_in,
            queued: counts.queued,
            parked: counts.parked,
            unread: self.inbox_unread().await?,
            syncing: self.syncing.load(Ordering::Relaxed),
            last_sync_at: self.store.setting(LAST_SYNC_KEY).await?,
        };
        let changed = self.summary.send_if_modified(|s| {
            if *s == next {
                false
            } else {
                *s = next;
                true
            }
        });
        if changed {
            self.shared.touch();
        }
        Ok(())
    }

    /// Tells the views of this enterprise that read `topics` to reload.
    pub(crate) fn changed(&self, topics: &[Topic]) {
        self.shared.notify(Some(&self.id), topics);
    }

    /// The session's tokens; none while a sign-out waits to be told to the service.
    pub(crate) async fn tokens(&self) -> Result<Option<Tokens>> {
        if self.revoke_pending.load(Ordering::Relaxed) {
            return Ok(None);
        }
        self.shared.tokens(&self.account_key).await
    }

    /// What removing this enterprise from the computer would lose.
    pub async fn removal_preview(&self) -> Result<RemovalPreview> {
        let (unsent, drafts) = outbox::unsent(&self.store).await?;
        let appeals = crate::appeals::draft_count(&self.store).await?;
        Ok(RemovalPreview {
            unsent,
            drafts: drafts.saturating_add(appeals),
        })
    }

    /// Sends what is queued, then pulls this enterprise's feeds and, given the app's
    /// catalog, the catalog too, with this enterprise's session. One pull at a time.
    pub(crate) async fn sync(&self, catalog: Option<&Store>) -> Result<PullStats> {
        self.drain().await?;
        let _one = self.sync_lock.lock().await;
        if self.tokens().await?.is_none() {
            return Err(Error::NotSignedIn);
        }
        let client = self.client()?;
        self.syncing.store(true, Ordering::Relaxed);
        let _ = self.publish().await;
        let result = self
            .with_session(|token| {
                let client = client.clone();
                async move {
                    let mut stats = PullStats::default();
                    if let Some(c) = catalog {
                        stats.add(
                            &pull::pull_all(c, &client, &token, &crate::catalog::FEEDS).await?,
                        );
                    }
                    let (own, topics) = self.pull_feeds(&client, &token).await?;
                    stats.add(&own);
                    self.adopt_service_profile(&client, &token).await?;
                    self.refresh_applications(&client, &token).await?;
                    self.refresh_own_listings(&client, &token).await?;
                    self.announce_inbox().await?;
                    Ok((stats, topics))
                }
            })
            .await;
        self.syncing.store(false, Ordering::Relaxed);
        let result = match result {
            Ok(Some(done)) => Ok(done),
            Ok(None) => Err(Error::SessionExpired),
            Err(e) => Err(e),
        };
        let result = match result {
            Ok((stats, topics)) => {
                self.shared.set_online(true);
                if !topics.is_empty() {
                    self.changed(&topics);
                }
                self.store
                    .set_setting(LAST_SYNC_KEY, &pull::now_rfc3339())
                    .await
                    .map(|()| stats)
            }
            Err(e) => {
                if e.is_offline() {
                    self.shared.set_online(false);
                }
                Err(e)
            }
        };
        // Whatever happened, the status line stops saying "syncing".
        self.publish().await?;
        result
    }

    /// Pulls the enterprise's own feeds ([`FEEDS`]); returns the stats and the topics of the
    /// feeds that changed.
    async fn pull_feeds(
        &self,
        client: &crate::client::CentralClient,
        token: &str,
    ) -> Result<(PullStats, Vec<Topic>)> {
        let mut stats = PullStats::default();
        let mut topics = Vec::new();
        for (feed, topic) in &FEEDS {
            let s = pull::pull(&self.store, client, token, feed).await?;
            if s.upserted + s.removed > 0 {
                topics.push(*topic);
            }
            stats.add(&s);
        }
        Ok((stats, topics))
    }

    /// Writes a new record and its first request in one transaction.
    pub(crate) async fn create_record<T: Serialize>(
        &self,
        kind: &str,
        draft: &impl Serialize,
        op: &OpKind,
        fields: &T,
    ) -> Result<String> {
        let mut tx = self.store.write().await?;
        let local_id = records::create(&mut tx, kind, &serde_json::to_value(draft)?).await?;
        outbox::enqueue(&mut tx, &local_id, op, fields).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Records, Topic::Outbox]).await?;
        Ok(local_id)
    }

    /// Queues a request for an existing record.
    pub(crate) async fn enqueue_for<T: Serialize>(
        &self,
        record_id: &str,
        op: &OpKind,
        fields: &T,
    ) -> Result<()> {
        let mut tx = self.store.write().await?;
        outbox::enqueue(&mut tx, record_id, op, fields).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Outbox]).await
    }

    /// Corrects a parked request of kind `op` and queues it again.
    pub(crate) async fn revise<T: Serialize>(
        &self,
        id: &str,
        op: &OpKind,
        revise: impl FnOnce(outbox::Item) -> Result<(T, Option<Value>)>,
    ) -> Result<()> {
        outbox::revise(&self.store, id, op, revise).await?;
        self.after_write(&[Topic::Outbox, Topic::Records]).await
    }

    pub(crate) async fn after_write(&self, topics: &[Topic]) -> Result<()> {
        self.publish().await?;
        self.changed(topics);
        self.wake();
        Ok(())
    }

    /// Copies a picked file into this enterprise's material store and queues its upload.
    pub async fn add_material(&self, path: &Path, material_type: &str) -> Result<String> {
        let id = crate::materials::add(&self.store, path, material_type).await?;
        self.after_write(&[Topic::Outbox]).await?;
        Ok(id)
    }

    pub async fn record(&self, local_id: &str) -> Result<LocalRecord> {
        records::get(&self.store, local_id).await
    }

    pub async fn records(&self, kind: Option<&str>) -> Result<Vec<LocalRecord>> {
        records::list(&self.store, kind).await
    }

    pub async fn parked_items(&self) -> Result<Vec<ParkedItem>> {
        outbox::parked(&self.store, &ops::OPS).await
    }

    /// Puts a parked item back in the queue (after the officer fixed what was wrong).
    pub async fn retry_item(&self, id: &str) -> Result<()> {
        outbox::retry(&self.store, id).await?;
        self.after_write(&[Topic::Outbox]).await
    }

    pub async fn discard_item(&self, id: &str) -> Result<()> {
        outbox::discard(&self.store, id).await?;
        self.publish().await?;
        self.changed(&[Topic::Outbox, Topic::Records]);
        Ok(())
    }
}

/// The folder name of an enterprise's workspace: the same enterprise on two services is two
/// workspaces (their sessions and records have nothing to do with each other).
pub(crate) fn workspace_id(server: &crate::app::ServerChoice, credit_code: &str) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(server.key().as_bytes());
    format!("{credit_code}-{}", &hex::encode(h)[..8])
}

pub(crate) fn workspace_dir(data_dir: &Path, id: &str) -> std::path::PathBuf {
    data_dir.join(WORKSPACES_DIR).join(id)
}

/// Where the workspaces live, under the app-data folder.
pub const WORKSPACES_DIR: &str = "enterprises";
