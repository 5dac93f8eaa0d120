//! What the app and every open workspace share: the connection to the service, the keychain
//! (with a cache in front of it), the sync timing, and the channels the shell forwards.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use crate::infra::changes::{Changed, InboxNotice, PackageProgress, StatusNotice, Topic};
use crate::infra::client::CentralClient;
use crate::infra::error::{Error, Result};
use crate::infra::materials::UploadProgress;
use crate::infra::secrets::{Keychain, Tokens};
use crate::infra::store::Store;
use crate::workspace::SyncConfig;

/// How long a keychain call may wait, mostly for the officer to answer an unlock prompt.
const KEYCHAIN_WAIT: Duration = Duration::from_secs(120);

#[derive(Default)]
struct Live {
    /// The connection, and the key of the service it goes to.
    client: Option<(String, CentralClient)>,
    online: bool,
}

pub(crate) struct Shared {
    keychain: Keychain,
    /// The app's database, where the catalog every enterprise reads is kept.
    catalog: Store,
    /// The last tokens read from or written to the keychain, by account key. The Secret
    /// Service is a D-Bus round trip (and may ask to unlock), so status lines must not ask
    /// it on every change.
    tokens: Mutex<HashMap<String, Option<Tokens>>>,
    live: Mutex<Live>,
    /// Held while the keychain is read into the cache or written, so a slow read can never
    /// put back a value a write just replaced.
    keychain_lock: tokio::sync::Mutex<()>,
    config: Mutex<SyncConfig>,
    pub progress: broadcast::Sender<UploadProgress>,
    pub changes: broadcast::Sender<Changed>,
    /// Packaging under way, for progress bars.
    pub package: broadcast::Sender<PackageProgress>,
    /// Application states the officer should hear of (desktop notifications).
    pub notices: broadcast::Sender<StatusNotice>,
    /// New inbox entries of every workspace, each told once.
    pub inbox_notices: broadcast::Sender<InboxNotice>,
    /// Backups and restores under way, for progress bars.
    pub backup: broadcast::Sender<crate::backup::BackupProgress>,
    /// Bumped whenever anything the status line shows may have changed.
    pub bump: watch::Sender<u64>,
    /// Numbers every status computed, in order (see `Status::seq`).
    status_seq: std::sync::atomic::AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these leaves plain values behind, still safe to read.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub fn new(keychain: Keychain, catalog: Store) -> Self {
        Self {
            keychain,
            catalog,
            tokens: Mutex::new(HashMap::new()),
            live: Mutex::new(Live::default()),
            keychain_lock: tokio::sync::Mutex::new(()),
            status_seq: std::sync::atomic::AtomicU64::new(0),
            config: Mutex::new(SyncConfig::default()),
            progress: broadcast::channel(256).0,
            changes: broadcast::channel(256).0,
            package: broadcast::channel(64).0,
            notices: broadcast::channel(64).0,
            inbox_notices: broadcast::channel(64).0,
            backup: broadcast::channel(64).0,
            bump: watch::channel(0).0,
        }
    }

    pub fn catalog(&self) -> &Store {
        &self.catalog
    }

    pub fn client(&self) -> Result<CentralClient> {
        self.client_opt().ok_or(Error::NotConfigured)
    }

    pub fn client_opt(&self) -> Option<CentralClient> {
        lock(&self.live).client.as_ref().map(|(_, c)| c.clone())
    }

    /// The connection, only if it goes to the service `server`: a workspace of another
    /// service must never send its tokens there.
    pub fn client_for(&self, server: &str) -> Result<CentralClient> {
        match &lock(&self.live).client {
            Some((s, c)) if s == server => Ok(c.clone()),
            _ => Err(Error::NotConfigured),
        }
    }

    pub fn set_client(&self, server: &str, client: CentralClient) {
        lock(&self.live).client = Some((server.to_string(), client));
    }

    pub fn online(&self) -> bool {
        lock(&self.live).online
    }

    pub fn set_online(&self, online: bool) {
        let changed = {
            let mut l = lock(&self.live);
            std::mem::replace(&mut l.online, online) != online
        };
        if changed {
            self.touch();
        }
    }

    pub fn config(&self) -> SyncConfig {
        *lock(&self.config)
    }

    pub fn set_config(&self, c: SyncConfig) {
        *lock(&self.config) = c;
    }

    /// The status line may have changed.
    /// The next status's number: larger than every one before it.
    pub fn next_status_seq(&self) -> u64 {
        self.status_seq
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            .wrapping_add(1)
    }

    pub fn touch(&self) {
        self.bump.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Tells the views reading `topics` of `enterprise` (or app-wide ones) to reload.
    pub fn notify(&self, enterprise: Option<&str>, topics: &[Topic]) {
        // Nobody listening (tests, the sync client) is fine.
        let _ = self.changes.send(Changed {
            enterprise: enterprise.map(str::to_string),
            topics: topics.to_vec(),
        });
        self.touch();
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

    /// The tokens of an account, from the cache or the keychain.
    pub async fn tokens(&self, key: &str) -> Result<Option<Tokens>> {
        if let Some(t) = lock(&self.tokens).get(key) {
            return Ok(t.clone());
        }
        let _one = self.keychain_lock.lock().await;
        if let Some(t) = lock(&self.tokens).get(key) {
            return Ok(t.clone());
        }
        let owned = key.to_string();
        let tokens = self.keychain_call(move |kc| kc.load(&owned)).await?;
        lock(&self.tokens).insert(key.to_string(), tokens.clone());
        Ok(tokens)
    }

    pub async fn store_tokens(&self, key: &str, tokens: Tokens) -> Result<()> {
        let _one = self.keychain_lock.lock().await;
        let (owned, t) = (key.to_string(), tokens.clone());
        // Whatever happens, the next read goes to the keychain rather than trusting a guess.
        lock(&self.tokens).remove(key);
        self.keychain_call(move |kc| kc.store(&owned, &t)).await?;
        lock(&self.tokens).insert(key.to_string(), Some(tokens));
        self.touch();
        Ok(())
    }

    pub async fn delete_tokens(&self, key: &str) -> Result<()> {
        let _one = self.keychain_lock.lock().await;
        let owned = key.to_string();
        lock(&self.tokens).remove(key);
        self.keychain_call(move |kc| kc.delete(&owned)).await?;
        lock(&self.tokens).insert(key.to_string(), None);
        self.touch();
        Ok(())
    }
}
