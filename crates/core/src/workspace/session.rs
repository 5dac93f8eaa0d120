//! A workspace's session: signing in, refreshing the tokens, and signing out, told to the
//! service now or as soon as it can be reached.

use std::sync::atomic::Ordering;

use super::{Workspace, REVOKE_KEY};
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::secrets::Tokens;

impl Workspace {
    /// A new sign-in of this enterprise: `tokens` go to the keychain. A sign-out the
    /// service has not heard of yet is told first, so the old session does not live on.
    pub(crate) async fn signed_in(&self, tokens: Tokens) -> Result<()> {
        {
            let _one = self.session.lock().await;
            if self.revoke_pending.load(Ordering::Relaxed) {
                if let Err(e) = self.revoke_locked().await {
                    // Not reachable now: the old refresh token dies with its 30 days; the
                    // new sign-in must not wait for it.
                    tracing::warn!(enterprise = %self.id, code = e.code(), "old session not revoked");
                }
                self.store.delete_setting(REVOKE_KEY).await?;
                self.revoke_pending.store(false, Ordering::Relaxed);
            }
            self.shared.store_tokens(&self.account_key, tokens).await?;
        }
        self.publish().await?;
        self.changed(&[Topic::Workspaces]);
        self.wake();
        Ok(())
    }

    /// Trades the refresh token for a new pair after `stale` was refused. `false` when the
    /// service refused the refresh too: the officer must sign in again (the queue waits,
    /// nothing is lost). A service that is down or busy is not a refusal.
    pub(crate) async fn refresh_session(&self, stale: &Tokens) -> Result<bool> {
        let _one = self.session.lock().await;
        let Some(tokens) = self.tokens().await? else {
            return Ok(false);
        };
        if &tokens != stale {
            // Another task refreshed meanwhile: use its pair.
            return Ok(true);
        }
        let client = self.client()?;
        match client.refresh(&tokens.refresh).await {
            Ok(pair) => {
                self.shared
                    .store_tokens(
                        &self.account_key,
                        Tokens {
                            access: pair.access_token,
                            refresh: pair.refresh_token,
                            access_expires_at: pair.access_expires_at,
                        },
                    )
                    .await?;
                Ok(true)
            }
            // Only a refusal of the refresh token itself (401) ends the session.
            Err(Error::SessionExpired | Error::InvalidCredentials) => {
                self.forget_locked().await?;
                Ok(false)
            }
            // Another 4xx (a gateway's 403 or 404, say) says nothing about the session, and
            // the request that needed it was never judged: try both again later, as when
            // the service cannot be reached, instead of parking that request.
            Err(Error::Server {
                status, message, ..
            }) if (400..500).contains(&status) => Err(Error::Unreachable {
                url: client.base_url().to_string(),
                detail: format!("session refresh answered {status}: {message}"),
            }),
            Err(e) => Err(e),
        }
    }

    /// Drops the tokens (not the enterprise or its work), so the UI asks for a new sign-in,
    /// but only if they are still `used`: a pair refused after another task
    /// refreshed it is not a reason to end that task's newer session.
    pub(crate) async fn forget_session_if(&self, used: &Tokens) -> Result<()> {
        let _one = self.session.lock().await;
        if self.tokens().await?.as_ref() == Some(used) {
            self.forget_locked().await?;
        }
        Ok(())
    }

    async fn forget_locked(&self) -> Result<()> {
        self.shared.delete_tokens(&self.account_key).await?;
        self.publish().await?;
        self.changed(&[Topic::Workspaces]);
        Ok(())
    }

    /// Signs this enterprise out: the service revokes the session (now, or as soon as it
    /// can be reached) and the keychain forgets it. Its work stays here, readable and not
    /// sent, until the officer signs in again.
    pub async fn sign_out(&self) -> Result<()> {
        {
            let _one = self.session.lock().await;
            self.store.set_setting(REVOKE_KEY, &true).await?;
            self.revoke_pending.store(true, Ordering::Relaxed);
            match self.revoke_locked().await {
                Ok(()) => {
                    self.store.delete_setting(REVOKE_KEY).await?;
                    self.revoke_pending.store(false, Ordering::Relaxed);
                }
                // Not reached now: the worker tells the service later; nothing is sent
                // meanwhile.
                Err(e) => {
                    tracing::info!(enterprise = %self.id, code = e.code(), "sign-out not yet told to the service")
                }
            }
        }
        self.publish().await?;
        self.changed(&[Topic::Workspaces]);
        Ok(())
    }

    /// Tells the service about a sign-out it has not heard of yet, then forgets the tokens.
    pub(crate) async fn finish_revocation(&self) -> Result<()> {
        if !self.revoke_pending.load(Ordering::Relaxed) {
            return Ok(());
        }
        let _one = self.session.lock().await;
        if !self.revoke_pending.load(Ordering::Relaxed) {
            return Ok(());
        }
        self.revoke_locked().await?;
        self.store.delete_setting(REVOKE_KEY).await?;
        self.revoke_pending.store(false, Ordering::Relaxed);
        Ok(())
    }

    /// Logs the stored session out on the service and deletes it; with the session lock.
    async fn revoke_locked(&self) -> Result<()> {
        let Some(tokens) = self.shared.tokens(&self.account_key).await? else {
            return Ok(());
        };
        let client = self.client()?;
        let done = match client.logout(&tokens.access).await {
            Ok(()) => Ok(()),
            // The access token lapsed: the refresh token still names the session.
            Err(Error::SessionExpired) => match client.refresh(&tokens.refresh).await {
                Ok(pair) => client.logout(&pair.access_token).await,
                // Refused: the session is already dead on the service.
                Err(Error::SessionExpired | Error::InvalidCredentials) => Ok(()),
                Err(Error::Server { status, .. }) if (400..500).contains(&status) => Ok(()),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        match done {
            // A 4xx from logout will never change: there is nothing left to revoke.
            Ok(())
            | Err(Error::Server {
                status: 400..=499, ..
            }) => self.shared.delete_tokens(&self.account_key).await,
            Err(e) => Err(e),
        }
    }
}
