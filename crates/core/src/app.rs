//! The client as the shell sees it: one object whose methods are the officer's actions.

use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::sync::watch;
use yiqifu_protocol::{CreditCode, Document, EnterpriseProfile, Health};

use crate::client::CentralClient;
use crate::error::{Error, Result};
use crate::policy::{self, DocumentQuery, DocumentSummary};
use crate::secrets::{Keychain, Tokens};
use crate::store::Store;
use crate::sync::{self, PullStats};

const SERVER_KEY: &str = "server";
const ACCOUNT_KEY: &str = "account";
const LAST_SYNC_KEY: &str = "last_sync_at";

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
    live: Mutex<Live>,
    status: watch::Sender<Status>,
    sync_lock: tokio::sync::Mutex<()>,
}

impl App {
    pub async fn open(data_dir: &Path, keychain: Keychain) -> Result<Self> {
        let store = Store::open(data_dir).await?;
        let app = Self {
            store,
            keychain,
            live: Mutex::new(Live::default()),
            status: watch::channel(Status::default()).0,
            sync_lock: tokio::sync::Mutex::new(()),
        };
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

    fn client(&self) -> Result<CentralClient> {
        self.live().client.clone().ok_or(Error::NotConfigured)
    }

    fn set_online(&self, online: bool) {
        self.live().online = online;
    }

    pub async fn server(&self) -> Result<Option<ServerChoice>> {
        self.store.setting(SERVER_KEY).await
    }

    async fn account(&self) -> Result<Option<EnterpriseProfile>> {
        self.store.setting(ACCOUNT_KEY).await
    }

    async fn account_key(&self) -> Result<Option<String>> {
        let server = self.server().await?;
        let account = self.account().await?;
        Ok(match (server, account) {
            (Some(s), Some(a)) => Some(format!("{}|{}", s.key(), a.credit_code)),
            _ => None,
        })
    }

    async fn tokens(&self) -> Result<Option<Tokens>> {
        match self.account_key().await? {
            Some(k) => self.keychain.load(&k),
            None => Ok(None),
        }
    }

    /// Recomputes the status and tells subscribers if it changed.
    pub async fn publish(&self) -> Result<()> {
        let (queued, parked) = self.store.outbox_counts().await?;
        // A keychain that cannot be read counts as signed out; signing in reports why.
        let signed_in = matches!(self.tokens().await, Ok(Some(_)));
        let (online, syncing) = {
            let l = self.live();
            (l.online, l.syncing)
        };
        let next = Status {
            server: self.server().await?,
            online,
            account: self.account().await?,
            signed_in,
            syncing,
            outbox_queued: queued,
            outbox_parked: parked,
            last_sync_at: self.store.setting(LAST_SYNC_KEY).await?,
            document_count: policy::count(&self.store).await?,
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
        let client = CentralClient::new(url)?;
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
        let client = CentralClient::new(url)?;
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
        let key = format!("{}|{}", server.key(), resp.enterprise.credit_code);
        self.keychain.store(
            &key,
            &Tokens {
                access: resp.access_token,
                refresh: resp.refresh_token,
                access_expires_at: resp.access_expires_at,
            },
        )?;
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
            self.keychain.delete(&k)?;
        }
        self.store.delete_setting(ACCOUNT_KEY).await?;
        self.publish().await
    }

    /// Pulls everything new from the service. Only one sync runs at a time; a second call
    /// waits for the first and then pulls what is left (usually nothing).
    pub async fn sync_now(&self) -> Result<PullStats> {
        let _one = self.sync_lock.lock().await;
        let tokens = self.tokens().await?.ok_or(Error::NotSignedIn)?;
        let client = self.client()?;
        self.live().syncing = true;
        self.publish().await?;
        let result = sync::pull_documents(&self.store, &client, &tokens.access).await;
        self.live().syncing = false;
        match &result {
            Ok(_) => {
                self.set_online(true);
                self.store
                    .set_setting(LAST_SYNC_KEY, &sync::now_rfc3339())
                    .await?;
            }
            Err(e) if e.is_offline() => self.set_online(false),
            Err(Error::SessionExpired) => {
                // Until refresh lands, an expired session means signing in again.
                if let Some(k) = self.account_key().await? {
                    self.keychain.delete(&k)?;
                }
            }
            Err(_) => {}
        }
        self.publish().await?;
        result
    }

    pub async fn documents(&self, q: &DocumentQuery) -> Result<Vec<DocumentSummary>> {
        policy::list(&self.store, q).await
    }

    pub async fn document(&self, id: &str) -> Result<Document> {
        policy::get(&self.store, id).await
    }
}
