//! The client as the shell sees it: one object whose methods are the officer's actions.

use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::sync::watch;
use yiqifu_protocol::{CreditCode, Document, EnterpriseProfile, Health};

use crate::client::CentralClient;
use crate::error::{Error, Result};
use crate::materials::UploadProgress;
use crate::outbox::{self, new_local_id, now_unix, Op, ParkedItem};
use crate::policy::{self, DocumentQuery, DocumentSummary};
use crate::secrets::{Keychain, Tokens};
use crate::store::Store;
use crate::sync::{self, PullStats};
use crate::worker::SyncConfig;
use yiqifu_protocol::{NewAppeal, NewApplication, NewListing};

const SERVER_KEY: &str = "server";
const ACCOUNT_KEY: &str = "account";
const LAST_SYNC_KEY: &str = "last_sync_at";
/// How long a keychain call may wait, mostly for the officer to answer an unlock prompt.
const KEYCHAIN_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

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
    fn key(&self) -> &str {
        match self {
            Self::Demo => "demo",
            Self::Url { url } => url,
        }
    }
}

/// What the status area shows; sent to the UI whenever it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct Status {
    pub server: Option<ServerChoice>,
    pub online: bool,
    /// The enterprise signed in on this computer, until it signs out. Its cached work stays
    /// readable even when the session is gone (expired, or a keychain that forgot it).
    pub account: Option<EnterpriseProfile>,
    /// Whether a session token is in the keychain: syncing needs one.
    pub signed_in: bool,
    pub syncing: bool,
    pub outbox_queued: u32,
    pub outbox_parked: u32,
    /// RFC 3339 time of the last successful sync.
    pub last_sync_at: Option<String>,
    pub document_count: u32,
    /// Set when the local database was found damaged at start and set aside.
    pub notice: Option<crate::error::ErrorInfo>,
}

#[derive(Default)]
struct Live {
    client: Option<CentralClient>,
    online: bool,
    syncing: bool,
}

pub struct App {
    store: Store,
    keychain: Keychain,
    /// The last tokens read from or written to the keychain, by account key. The Secret
    /// Service is a D-Bus round trip (and may ask to unlock), so the status line must not
    /// ask it on every change.
    tokens_cache: Mutex<Option<(String, Option<Tokens>)>>,
    live: Mutex<Live>,
    status: watch::Sender<Status>,
    sync_lock: tokio::sync::Mutex<()>,
    pub(crate) drain_lock: tokio::sync::Mutex<()>,
    pub(crate) wake: tokio::sync::Notify,
    pub(crate) progress: tokio::sync::broadcast::Sender<UploadProgress>,
    config: Mutex<SyncConfig>,
}

/// A record the officer created here, with the service's answer once it came.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct LocalRecord {
    pub local_id: String,
    pub kind: String,
    /// What the officer wrote, as JSON text.
    pub draft: String,
    pub server_id: Option<String>,
    /// The service's latest answer, as JSON text.
    pub server_body: Option<String>,
    /// Requests of this record still queued or parked.
    pub pending: u32,
}

/// Names an account's keychain entry: the same enterprise on two services is two sessions.
fn account_key_of(server: &ServerChoice, credit_code: &str) -> String {
    format!("{}|{}", server.key(), credit_code)
}

fn session_key(
    server: Option<&ServerChoice>,
    account: Option<&EnterpriseProfile>,
) -> Option<String> {
    Some(account_key_of(server?, &account?.credit_code))
}

impl App {
    pub async fn open(data_dir: &Path, keychain: Keychain) -> Result<Self> {
        let store = Store::open(data_dir).await?;
        let app = Self {
            store,
            keychain,
            tokens_cache: Mutex::new(None),
            live: Mutex::new(Live::default()),
            status: watch::channel(Status::default()).0,
            sync_lock: tokio::sync::Mutex::new(()),
            drain_lock: tokio::sync::Mutex::new(()),
            wake: tokio::sync::Notify::new(),
            progress: tokio::sync::broadcast::channel(256).0,
            config: Mutex::new(SyncConfig::default()),
        };
        // The backup the next start may need, taken beside start-up rather than before it:
        // the window need not wait for a copy of the whole database.
        let store = app.store.clone();
        tokio::spawn(async move {
            if let Err(e) = store.backup().await {
                tracing::warn!(error = %e, "database backup failed");
            }
        });
        app.publish().await?;
        Ok(app)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Status changes, for the shell to forward as events.
    pub fn subscribe(&self) -> watch::Receiver<Status> {
        self.status.subscribe()
    }

    pub fn status(&self) -> Status {
        self.status.borrow().clone()
    }

    fn live(&self) -> std::sync::MutexGuard<'_, Live> {
        // A panic while holding this lock leaves plain flags behind, still safe to read.
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn client(&self) -> Result<CentralClient> {
        self.live().client.clone().ok_or(Error::NotConfigured)
    }

    pub(crate) fn client_opt(&self) -> Option<CentralClient> {
        self.live().client.clone()
    }

    pub(crate) fn set_online(&self, online: bool) {
        self.live().online = online;
    }

    pub fn sync_config(&self) -> SyncConfig {
        *self.config.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_sync_config(&self, c: SyncConfig) {
        *self.config.lock().unwrap_or_else(|p| p.into_inner()) = c;
    }

    pub async fn server(&self) -> Result<Option<ServerChoice>> {
        self.store.setting(SERVER_KEY).await
    }

    async fn account(&self) -> Result<Option<EnterpriseProfile>> {
        self.store.setting(ACCOUNT_KEY).await
    }

    pub(crate) async fn account_key(&self) -> Result<Option<String>> {
        let server = self.server().await?;
        let account = self.account().await?;
        Ok(session_key(server.as_ref(), account.as_ref()))
    }

    pub(crate) async fn tokens(&self) -> Result<Option<Tokens>> {
        self.tokens_of(self.account_key().await?).await
    }

    async fn tokens_of(&self, key: Option<String>) -> Result<Option<Tokens>> {
        match key {
            Some(k) => self.keychain_load(&k).await,
            None => Ok(None),
        }
    }

    fn cached_tokens(&self) -> std::sync::MutexGuard<'_, Option<(String, Option<Tokens>)>> {
        self.tokens_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs a keychain call off the async threads: a locked Secret Service waits for the
    /// officer to unlock it, and the app must stay usable meanwhile.
    async fn keychain_call<T: Send + 'static>(
        &self,
        call: impl FnOnce(&Keychain) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let kc = self.keychain.clone();
        let task = tokio::task::spawn_blocking(move || call(&kc));
        match tokio::time::timeout(KEYCHAIN_WAIT, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(Error::Keychain(join.to_string())),
            Err(_) => Err(Error::Keychain(format!(
                "no answer from the keychain within {} s (is it locked?)",
                KEYCHAIN_WAIT.as_secs()
            ))),
        }
    }

    async fn keychain_load(&self, key: &str) -> Result<Option<Tokens>> {
        if let Some((k, t)) = self.cached_tokens().as_ref() {
            if k == key {
                return Ok(t.clone());
            }
        }
        let owned = key.to_string();
        let tokens = self.keychain_call(move |kc| kc.load(&owned)).await?;
        *self.cached_tokens() = Some((key.to_string(), tokens.clone()));
        Ok(tokens)
    }

    async fn keychain_store(&self, key: &str, tokens: Tokens) -> Result<()> {
        let (owned, t) = (key.to_string(), tokens.clone());
        // Whatever happens, the next read goes to the keychain rather than trusting a guess.
        *self.cached_tokens() = None;
        self.keychain_call(move |kc| kc.store(&owned, &t)).await?;
        *self.cached_tokens() = Some((key.to_string(), Some(tokens)));
        Ok(())
    }

    async fn keychain_delete(&self, key: &str) -> Result<()> {
        let owned = key.to_string();
        *self.cached_tokens() = None;
        self.keychain_call(move |kc| kc.delete(&owned)).await?;
        *self.cached_tokens() = Some((key.to_string(), None));
        Ok(())
    }

    /// Recomputes the status and tells subscribers if it changed.
    pub async fn publish(&self) -> Result<()> {
        let (queued, parked) = self.store.outbox_counts().await?;
        let server = self.server().await?;
        let account = self.account().await?;
        // A keychain that cannot be read counts as signed out; signing in reports why.
        let key = session_key(server.as_ref(), account.as_ref());
        let signed_in = matches!(self.tokens_of(key).await, Ok(Some(_)));
        let (online, syncing) = {
            let l = self.live();
            (l.online, l.syncing)
        };
        let next = Status {
            server,
            online,
            account,
            signed_in,
            syncing,
            outbox_queued: queued,
            outbox_parked: parked,
            last_sync_at: self.store.setting(LAST_SYNC_KEY).await?,
            document_count: policy::count(&self.store).await?,
            notice: self.store.recovered().map(|p| {
                crate::error::ErrorInfo::from(&Error::DatabaseRecovered(p.display().to_string()))
            }),
        };
        self.status.send_if_modified(|s| {
            if *s == next {
                false
            } else {
                *s = next;
                true
            }
        });
        Ok(())
    }

    /// The officer picks a service: it must answer as a Yiqifu service before it is saved.
    /// `url` is where it answers (for the demo, the in-process server's address).
    pub async fn choose_server(&self, choice: ServerChoice, url: &str) -> Result<Health> {
        let client = CentralClient::with_keep_alive(url, self.sync_config().keep_alive)?;
        let health = client.health().await?;
        let previous = self.server().await?;
        let mut tx = self.store.write().await?;
        if previous.as_ref() != Some(&choice) {
            // Another service: its accounts and cursors mean nothing here. The cached
            // catalog stays until the first pull from the new service replaces it.
            sqlx::query("DELETE FROM settings WHERE key IN (?, ?)")
                .bind(ACCOUNT_KEY)
                .bind(LAST_SYNC_KEY)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE sync_cursors SET cursor = NULL")
                .execute(&mut *tx)
                .await?;
        }
        crate::store::put_setting(&mut tx, SERVER_KEY, &choice).await?;
        tx.commit().await?;
        {
            let mut l = self.live();
            l.client = Some(client);
            l.online = true;
        }
        self.publish().await?;
        Ok(health)
    }

    /// At start-up: reconnect to the saved service at `url`. Being offline is not an error:
    /// the cached data is there either way.
    pub async fn resume(&self, url: &str) -> Result<bool> {
        let client = CentralClient::with_keep_alive(url, self.sync_config().keep_alive)?;
        self.live().client = Some(client);
        let online = self.probe().await?;
        Ok(online)
    }

    /// Checks whether the service answers, and updates the online flag.
    pub async fn probe(&self) -> Result<bool> {
        let client = match self.live().client.clone() {
            Some(c) => c,
            None => return Ok(false),
        };
        let online = client.health().await.is_ok();
        self.set_online(online);
        self.publish().await?;
        Ok(online)
    }

    pub async fn sign_in(&self, credit_code: &str, password: &str) -> Result<EnterpriseProfile> {
        let code = CreditCode::parse(credit_code)?;
        let server = self.server().await?.ok_or(Error::NotConfigured)?;
        let client = self.client()?;
        let resp = match client.login(code.as_str(), password).await {
            Err(e) => {
                if e.is_offline() {
                    self.set_online(false);
                    self.publish().await?;
                }
                return Err(e);
            }
            Ok(r) => r,
        };
        self.set_online(true);
        let key = account_key_of(&server, &resp.enterprise.credit_code);
        self.keychain_store(
            &key,
            Tokens {
                access: resp.access_token,
                refresh: resp.refresh_token,
                access_expires_at: resp.access_expires_at,
            },
        )
        .await?;
        let previous = self.account().await?;
        let mut tx = self.store.write().await?;
        if previous.map(|p| p.credit_code) != Some(resp.enterprise.credit_code.clone()) {
            sqlx::query("DELETE FROM settings WHERE key = ?")
                .bind(LAST_SYNC_KEY)
                .execute(&mut *tx)
                .await?;
        }
        crate::store::put_setting(&mut tx, ACCOUNT_KEY, &resp.enterprise).await?;
        tx.commit().await?;
        self.publish().await?;
        Ok(resp.enterprise)
    }

    /// Forgets the session and the account on this computer. The cached catalog stays: it is
    /// public and the next account needs it too.
    pub async fn sign_out(&self) -> Result<()> {
        if let Some(k) = self.account_key().await? {
            self.keychain_delete(&k).await?;
        }
        self.store.delete_setting(ACCOUNT_KEY).await?;
        self.publish().await
    }

    /// Sends what is queued, then pulls everything new from the service. Only one pull runs
    /// at a time; a second call waits for the first and then pulls what is left.
    pub async fn sync_now(&self) -> Result<PullStats> {
        self.drain().await?;
        let _one = self.sync_lock.lock().await;
        if self.tokens().await?.is_none() {
            return Err(Error::NotSignedIn);
        }
        let client = self.client()?;
        self.live().syncing = true;
        self.publish().await?;
        let store = self.store.clone();
        let result = self
            .with_session(|token| {
                let (store, client) = (store.clone(), client.clone());
                async move { sync::pull_all(&store, &client, &token).await }
            })
            .await;
        self.live().syncing = false;
        let result = match result {
            Ok(Some(stats)) => Ok(stats),
            Ok(None) => Err(Error::SessionExpired),
            Err(e) => Err(e),
        };
        match &result {
            Ok(_) => {
                self.set_online(true);
                self.store
                    .set_setting(LAST_SYNC_KEY, &sync::now_rfc3339())
                    .await?;
            }
            Err(e) if e.is_offline() => self.set_online(false),
            Err(_) => {}
        }
        self.publish().await?;
        result
    }

    /// Trades the refresh token for a new pair. `false` when the service refused it: the
    /// officer must sign in again (the queue waits, nothing is lost).
    pub(crate) async fn refresh_session(&self) -> Result<bool> {
        let (Some(key), Some(tokens)) = (self.account_key().await?, self.tokens().await?) else {
            return Ok(false);
        };
        let client = self.client()?;
        match client.refresh(&tokens.refresh).await {
            Ok(pair) => {
                self.keychain_store(
                    &key,
                    Tokens {
                        access: pair.access_token,
                        refresh: pair.refresh_token,
                        access_expires_at: pair.access_expires_at,
                    },
                )
                .await?;
                Ok(true)
            }
            Err(Error::SessionExpired | Error::Server { .. } | Error::InvalidCredentials) => {
                self.forget_session().await?;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Drops the tokens (not the account or its work): the UI asks for a new sign-in.
    pub(crate) async fn forget_session(&self) -> Result<()> {
        if let Some(k) = self.account_key().await? {
            self.keychain_delete(&k).await?;
        }
        self.publish().await
    }

    async fn create_record(
        &self,
        kind: &str,
        draft: &serde_json::Value,
        op: &Op,
    ) -> Result<String> {
        let local_id = new_local_id(kind);
        let mut tx = self.store.write().await?;
        sqlx::query(
            "INSERT INTO records (local_id, kind, draft, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&local_id)
        .bind(kind)
        .bind(serde_json::to_string(draft)?)
        .bind(now_unix())
        .bind(now_unix())
        .execute(&mut *tx)
        .await?;
        outbox::enqueue(&mut tx, &local_id, op).await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(local_id)
    }

    async fn enqueue_for(&self, record_id: &str, op: &Op) -> Result<()> {
        let mut tx = self.store.write().await?;
        outbox::enqueue(&mut tx, record_id, op).await?;
        tx.commit().await?;
        self.after_write().await
    }

    async fn after_write(&self) -> Result<()> {
        self.publish().await?;
        self.wake();
        Ok(())
    }

    /// Files an appeal (诉求); `attachments` are local upload ids.
    pub async fn create_appeal(&self, appeal: NewAppeal) -> Result<String> {
        let op = Op::CreateAppeal {
            appeal: appeal.clone(),
        };
        self.create_record("appeal", &serde_json::to_value(&appeal)?, &op)
            .await
    }

    pub async fn create_listing(&self, listing: NewListing) -> Result<String> {
        let op = Op::CreateListing {
            listing: listing.clone(),
        };
        self.create_record("listing", &serde_json::to_value(&listing)?, &op)
            .await
    }

    /// Submits an application; material and evidence upload ids are local ids.
    pub async fn submit_application(&self, application: NewApplication) -> Result<String> {
        let op = Op::SubmitApplication {
            application: application.clone(),
        };
        self.create_record("application", &serde_json::to_value(&application)?, &op)
            .await
    }

    pub async fn withdraw_listing(&self, listing: &str) -> Result<()> {
        self.record(listing).await?;
        self.enqueue_for(
            listing,
            &Op::WithdrawListing {
                listing: listing.into(),
            },
        )
        .await
    }

    pub async fn send_appeal_message(&self, appeal: &str, body: &str) -> Result<()> {
        self.record(appeal).await?;
        self.enqueue_for(
            appeal,
            &Op::AppealMessage {
                appeal: appeal.into(),
                body: body.into(),
            },
        )
        .await
    }

    pub async fn mark_inbox_read(&self, entry: &str) -> Result<()> {
        self.enqueue_for(
            &format!("inbox:{entry}"),
            &Op::MarkRead {
                entry: entry.into(),
            },
        )
        .await
    }

    /// Copies a picked file into the local store and queues its upload.
    pub async fn add_material(&self, path: &Path, material_type: &str) -> Result<String> {
        let id = crate::materials::add(&self.store, path, material_type).await?;
        self.after_write().await?;
        Ok(id)
    }

    pub async fn record(&self, local_id: &str) -> Result<LocalRecord> {
        self.query_records(None, Some(local_id))
            .await?
            .pop()
            .ok_or_else(|| Error::NotFound(local_id.into()))
    }

    pub async fn records(&self, kind: Option<&str>) -> Result<Vec<LocalRecord>> {
        self.query_records(kind, None).await
    }

    async fn query_records(
        &self,
        kind: Option<&str>,
        local_id: Option<&str>,
    ) -> Result<Vec<LocalRecord>> {
        type Row = (String, String, String, Option<String>, Option<String>, i64);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT r.local_id, r.kind, r.draft, r.server_id, r.server_body,
                    (SELECT COUNT(*) FROM outbox o WHERE o.record_id = r.local_id)
             FROM records r WHERE (?1 IS NULL OR r.kind = ?1) AND (?2 IS NULL OR r.local_id = ?2)
             ORDER BY r.created_at, r.local_id",
        )
        .bind(kind)
        .bind(local_id)
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| LocalRecord {
                local_id: r.0,
                kind: r.1,
                draft: r.2,
                server_id: r.3,
                server_body: r.4,
                pending: u32::try_from(r.5).unwrap_or(u32::MAX),
            })
            .collect())
    }

    /// The pulled entries of a collection (templates, material rules, inbox), as JSON.
    pub async fn collection(&self, collection: &str) -> Result<Vec<serde_json::Value>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM catalog_items WHERE collection = ? ORDER BY key")
                .bind(collection)
                .fetch_all(self.store.pool())
                .await?;
        rows.into_iter()
            .map(|(b,)| Ok(serde_json::from_str(&b)?))
            .collect()
    }

    pub async fn parked_items(&self) -> Result<Vec<ParkedItem>> {
        outbox::parked(&self.store).await
    }

    /// Puts a parked item back in the queue (after the officer fixed what was wrong).
    pub async fn retry_item(&self, id: &str) -> Result<()> {
        outbox::retry(&self.store, id).await?;
        self.after_write().await
    }

    /// Sends a parked item again with the officer's corrections.
    pub async fn revise_item(&self, id: &str, revision: outbox::Revision) -> Result<()> {
        outbox::revise(&self.store, id, revision).await?;
        self.after_write().await
    }

    pub async fn discard_item(&self, id: &str) -> Result<()> {
        outbox::discard(&self.store, id).await?;
        self.publish().await
    }

    pub async fn documents(&self, q: &DocumentQuery) -> Result<Vec<DocumentSummary>> {
        policy::list(&self.store, q).await
    }

    pub async fn document(&self, id: &str) -> Result<Document> {
        policy::get(&self.store, id).await
    }
}
