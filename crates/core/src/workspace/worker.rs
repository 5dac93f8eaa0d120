//! A workspace's sync worker: drains its outbox and upload queue in the background, with
//! its own enterprise's session, with backoff and jitter, parking what the service will
//! never accept, and never blocking the officer.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use yiqifu_protocol::ErrorCode;

use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::materials::{self, UploadProgress, UploadRow};
use crate::outbox::{self, now_unix, Item, Target};
use crate::records;
use crate::workspace::{ops, Workspace};

/// What to do with a request that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Try again later (network, the service's own failures, conflicts that pass).
    Retry,
    /// The service will never accept it as it is: show it to the officer.
    Park,
}

/// Whole answers the client cannot read are retried this many times, then parked: a
/// gateway's bad moment passes, a service that always answers so never will. (An answer cut
/// short by the network is `Unreachable`, retried without limit.)
const MALFORMED_TRIES: u32 = 10;

/// The fate of a request that failed for the `attempts`-th time with `e`.
fn fate(e: &Error, attempts: u32) -> Fate {
    match e {
        Error::MalformedResponse(_) if attempts >= MALFORMED_TRIES => Fate::Park,
        Error::Server { status, code, .. } => match (status, code) {
            (_, ErrorCode::InvalidTransition | ErrorCode::IdempotencyKeyReused) => Fate::Park,
            (s, _) if *s >= 500 => Fate::Retry,
            (408 | 409 | 423 | 425 | 429, _) => Fate::Retry,
            _ => Fate::Park,
        },
        Error::NotFound(_)
        | Error::UploadDiscarded(_)
        | Error::UploadsUnverified { .. }
        | Error::InvalidFile(_)
        | Error::InvalidCreditCode(_)
        | Error::UnreadablePayload(_)
        | Error::UnknownRequest { .. } => Fate::Park,
        _ => Fate::Retry,
    }
}

/// How one pass over a queue item ended.
enum Step {
    Continue,
    /// Stop draining: offline, or the session needs a new sign-in.
    Stop,
}

impl Workspace {
    /// Wakes the worker: something was queued, or the connection came back.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Upload progress, for the shell to forward as events.
    pub fn progress(&self) -> tokio::sync::broadcast::Receiver<UploadProgress> {
        self.shared.progress.subscribe()
    }

    /// Runs the worker until the task is stopped (the app ends, or the enterprise is
    /// removed from this computer).
    pub async fn run_worker(self: Arc<Self>) {
        loop {
            if let Err(e) = self.drain().await {
                tracing::warn!(enterprise = %self.id, code = e.code(), error = %e, "sync pass failed");
            }
            let idle = self.shared.config().idle;
            let wait = match outbox::next_wakeup(&self.store).await {
                Ok(Some(t)) => {
                    let secs = u64::try_from(t - now_unix()).unwrap_or(0).max(1);
                    Duration::from_secs(secs).min(idle)
                }
                _ => idle,
            };
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Sends everything that is due now; returns when nothing is, or when it cannot go on
    /// (offline, signed out).
    pub async fn drain(&self) -> Result<()> {
        let _one = self.drain_lock.lock().await;
        let result = self.drain_inner().await;
        self.publish().await?;
        result
    }

    async fn drain_inner(&self) -> Result<()> {
        if self.client().is_err() {
            return Ok(());
        }
        self.finish_revocation().await?;
        loop {
            let now = now_unix();
            let step = if let Some(u) = materials::next_due(&self.store, now).await? {
                self.run_upload(u).await?
            } else if let Some(item) = outbox::next_due(&self.store, now).await? {
                self.run_item(item).await?
            } else {
                return Ok(());
            };
            // After the last step, drain() publishes.
            if let Step::Stop = step {
                return Ok(());
            }
            self.publish().await?;
        }
    }

    fn delay_ms(&self, attempts: u32) -> u64 {
        let c = self.shared.config();
        outbox::backoff_ms(attempts, c.base_delay_ms, c.max_delay_ms)
    }

    /// Runs `f` with a valid access token of this enterprise, refreshing if the service says
    /// it expired. `Ok(None)`: the officer must sign in again.
    ///
    /// Pulls and the worker's drain run at once and may all meet an expired token: the
    /// session lock lets one of them refresh and hands its pair to the others. A pair refused
    /// again ends the session only if no other task has replaced it meanwhile.
    pub(crate) async fn with_session<T, F, Fut>(&self, mut f: F) -> Result<Option<T>>
    where
        F: FnMut(String) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let Some(mut tokens) = self.tokens().await? else {
            return Ok(None);
        };
        for attempt in 0..3 {
            match f(tokens.access.clone()).await {
                Err(Error::SessionExpired) if attempt == 2 => break,
                Err(Error::SessionExpired) => {
                    if !self.refresh_session(&tokens).await? {
                        return Ok(None);
                    }
                    let Some(fresh) = self.tokens().await? else {
                        return Ok(None);
                    };
                    tokens = fresh;
                }
                other => return other.map(Some),
            }
        }
        // Fresh pairs refused again: the officer must sign in again.
        self.forget_session_if(&tokens).await?;
        Ok(None)
    }

    async fn run_item(&self, item: Item) -> Result<Step> {
        let outcome = self.with_session(|token| self.send_op(&item, token)).await;
        match outcome {
            Ok(None) => Ok(Step::Stop),
            // What it needs was refused for good: it waits, named, for the officer to deal
            // with that, instead of asking again every few seconds for ever.
            Ok(Some(Err(need))) if outbox::hold(&self.store, item.id, &need).await? => {
                self.changed(&with_feature(&[Topic::Outbox], &item.kind));
                Ok(Step::Continue)
            }
            // An upload it needs is not finished yet: wait without counting an attempt.
            Ok(Some(Err(_))) => {
                outbox::retry_later(
                    &self.store,
                    Target::Outbox(item.id),
                    item.attempts,
                    2_000,
                    &Error::NotReady,
                )
                .await?;
                Ok(Step::Continue)
            }
            Ok(Some(Ok(resp))) => {
                self.apply_sent(&item, &resp).await?;
                self.shared.set_online(true);
                Ok(Step::Continue)
            }
            Err(e) => {
                self.failed(Target::Outbox(item.id), &item.kind, item.attempts, e)
                    .await
            }
        }
    }

    /// A request of either queue failed: try again later or park it; going offline stops
    /// the drain.
    async fn failed(
        &self,
        target: Target<'_>,
        kind: &str,
        attempts: u32,
        e: Error,
    ) -> Result<Step> {
        let attempts = attempts.saturating_add(1);
        match fate(&e, attempts) {
            Fate::Retry => {
                outbox::retry_later(&self.store, target, attempts, self.delay_ms(attempts), &e)
                    .await?
            }
            Fate::Park => {
                tracing::warn!(enterprise = %self.id, code = e.code(), error = %e, kind, "parked");
                outbox::park(&self.store, target, attempts, &e).await?;
                self.changed(&with_feature(&[Topic::Outbox], kind));
            }
        }
        if e.is_offline() {
            self.shared.set_online(false);
            return Ok(Step::Stop);
        }
        Ok(Step::Continue)
    }

    /// Makes the request of `item`, as the feature that owns its kind builds it, and
    /// answers the service's answer, or what the request waits for.
    async fn send_op(
        &self,
        item: &Item,
        token: String,
    ) -> Result<std::result::Result<Value, outbox::Need>> {
        let op = ops::find(&item.kind).ok_or_else(|| Error::UnknownRequest {
            kind: item.kind.clone(),
            version: item.version,
        })?;
        if item.version > op.version {
            // Queued by a newer version of the app: this one cannot know what it means.
            return Err(Error::UnknownRequest {
                kind: item.kind.clone(),
                version: item.version,
            });
        }
        let req = match (op.prepare)(&self.store, item).await? {
            outbox::Prepared::Send(req) => req,
            outbox::Prepared::Wait(need) => return Ok(Err(need)),
        };
        let client = self.client()?;
        let answer = client
            .call(
                req.method,
                &req.path,
                &token,
                req.keyed.then_some(item.key.as_str()),
                req.body.as_ref(),
            )
            .await;
        match answer {
            Err(
                e @ Error::Server {
                    code: ErrorCode::MaterialInvalid,
                    ..
                },
            ) => {
                // A request parked for weeks may name uploads the service has since swept
                // (it keeps one no record took for 30 days): those go again from the copies
                // kept here, and the request waits for them.
                let gone = self
                    .swept_uploads(&client, &token, req.body.as_ref())
                    .await?;
                match gone.first() {
                    Some(first) => {
                        let mut tx = self.store.write().await?;
                        materials::send_again(&mut tx, &gone).await?;
                        outbox::rekey(&mut tx, item.id).await?;
                        tx.commit().await?;
                        tracing::info!(uploads = ?gone, "uploads the service swept go again");
                        self.changed(&with_feature(&[Topic::Outbox], &item.kind));
                        Ok(Err(outbox::Need::Upload(first.clone())))
                    }
                    None => Err(e),
                }
            }
            other => other.map(Ok),
        }
    }

    /// The finished uploads `body` names by their service ids that the service no longer
    /// has, and whose copies are still here.
    async fn swept_uploads(
        &self,
        client: &crate::client::CentralClient,
        token: &str,
        body: Option<&Value>,
    ) -> Result<Vec<String>> {
        let Some(body) = body else {
            return Ok(Vec::new());
        };
        let mut gone = Vec::new();
        for u in materials::named_in(&self.store, body).await? {
            let location = u
                .location
                .clone()
                .unwrap_or_else(|| format!("api/v1/uploads/{}", u.server_id));
            if client.tus_offset(token, &location).await?.is_none()
                && materials::stored_ok(&self.store, &u.sha256, u.size).await
            {
                gone.push(u.local_id);
            }
        }
        Ok(gone)
    }

    async fn apply_sent(&self, item: &Item, resp: &Value) -> Result<()> {
        let mut tx = self.store.write().await?;
        let link = crate::backup::SendLink::before(&mut tx).await;
        outbox::remove_sent(&mut tx, item.id).await?;
        if !resp.is_null() {
            records::apply_answer(&mut tx, &item.record_id, resp).await?;
            // An appeal filed elsewhere has no record here: its answer stands in for the
            // pulled copy until the next pull, so a sent message or rating never vanishes.
            if item.record_id.starts_with(crate::records::SERVER_KEY) {
                crate::appeals::keep_answer(&mut tx, resp).await?;
            }
            crate::listings::keep_answer(&mut tx, &item.kind, resp).await?;
        }
        link.after(&mut tx).await;
        tx.commit().await?;
        self.changed(&with_feature(&[Topic::Outbox, Topic::Records], &item.kind));
        Ok(())
    }

    async fn run_upload(&self, u: UploadRow) -> Result<Step> {
        let outcome = self
            .with_session(|token| self.upload_steps(&u, token))
            .await;
        match outcome {
            Ok(None) => Ok(Step::Stop),
            Ok(Some(())) => {
                self.shared.set_online(true);
                self.changed(&[Topic::Outbox]);
                Ok(Step::Continue)
            }
            Err(e) => {
                self.failed(Target::Upload(&u.local_id), "upload", u.attempts, e)
                    .await
            }
        }
    }

    async fn upload_steps(&self, u: &UploadRow, token: String) -> Result<()> {
        let client = self.client()?;
        client.require_chunk_checksums().await?;
        let store = &self.store;
        let create = || async {
            let l = client
                .tus_create(&token, u.size, &u.material_type, &u.filename)
                .await?;
            // Saved before the first byte goes out: a restart resumes this upload.
            materials::set_location(store, &u.local_id, Some(&l)).await?;
            Ok::<_, Error>(l)
        };
        let mut location = match materials::location(store, &u.local_id).await? {
            Some(l) => l,
            None => create().await?,
        };
        let mut offset = match client.tus_offset(&token, &location).await? {
            Some(o) => o,
            None => {
                // Expired or removed on the service: start over with a new upload.
                tracing::info!(local_id = %u.local_id, "upload expired on the service, starting again");
                location = create().await?;
                0
            }
        };
        let chunk = self.shared.config().chunk_bytes.max(1);
        let mut checksum_failures = 0;
        while offset < u.size {
            let bytes = materials::read_chunk(store, &u.sha256, offset, chunk).await?;
            if bytes.is_empty() {
                return Err(Error::InvalidFile(u.filename.clone()));
            }
            match client.tus_patch(&token, &location, offset, bytes).await {
                Ok(next) => {
                    offset = next;
                    let _ = self.shared.progress.send(UploadProgress {
                        local_id: u.local_id.clone(),
                        sent: offset,
                        total: u.size,
                    });
                }
                // Only the failed chunk is sent again.
                Err(Error::Server {
                    code: ErrorCode::ChecksumMismatch,
                    ..
                }) if checksum_failures < 5 => {
                    checksum_failures += 1;
                }
                // 409 is tus's offset conflict, in the service's JSON or a plain tus
                // server's text.
                Err(
                    Error::Server { status: 409, .. }
                    | Error::Server {
                        code: ErrorCode::OffsetMismatch,
                        ..
                    },
                ) => {
                    offset = client.tus_offset(&token, &location).await?.unwrap_or(0);
                }
                Err(e) => return Err(e),
            }
        }
        let server_id = location.rsplit('/').next().unwrap_or_default().to_string();
        materials::finish(store, &u.local_id, &server_id).await?;
        Ok(())
    }
}

/// `topics` and the topic of the feature the request `kind` belongs to.
fn with_feature(topics: &[Topic], kind: &str) -> Vec<Topic> {
    let mut all = topics.to_vec();
    all.extend(ops::topic_of(kind));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_parks_and_what_retries() {
        assert_eq!(
            fate(
                &Error::UnknownRequest {
                    kind: "from_the_future".into(),
                    version: 9
                },
                1
            ),
            Fate::Park
        );
        assert_eq!(
            fate(&Error::UnreadablePayload(String::new()), 1),
            Fate::Park
        );
        let server = |status, code| Error::Server {
            status,
            code,
            message: String::new(),
        };
        assert_eq!(fate(&server(500, ErrorCode::Internal), 1), Fate::Retry);
        assert_eq!(
            fate(&server(409, ErrorCode::RequestInProgress), 1),
            Fate::Retry
        );
        assert_eq!(fate(&server(429, ErrorCode::RateLimited), 1), Fate::Retry);
        assert_eq!(fate(&server(422, ErrorCode::InvalidField), 1), Fate::Park);
        assert_eq!(
            fate(&server(409, ErrorCode::InvalidTransition), 1),
            Fate::Park
        );
        assert_eq!(fate(&server(404, ErrorCode::NotFound), 1), Fate::Park);
        assert_eq!(
            fate(
                &Error::Unreachable {
                    url: String::new(),
                    detail: String::new()
                },
                50
            ),
            Fate::Retry
        );
        // An answer cut short passes; one that is always unreadable never will.
        let unreadable = Error::MalformedResponse(String::new());
        assert_eq!(fate(&unreadable, 1), Fate::Retry);
        assert_eq!(fate(&unreadable, MALFORMED_TRIES - 1), Fate::Retry);
        assert_eq!(fate(&unreadable, MALFORMED_TRIES), Fate::Park);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        for attempts in 0..30 {
            let d = outbox::backoff_ms(attempts, 1_000, 300_000);
            let nominal = (1_000u64 << attempts.min(20)).min(300_000);
            assert!(d >= nominal / 2 && d <= nominal * 3 / 2, "{attempts}: {d}");
        }
        let samples: std::collections::HashSet<u64> = (0..20)
            .map(|_| outbox::backoff_ms(3, 1_000, 300_000))
            .collect();
        assert!(samples.len() > 1, "jitter spreads retries");
    }
}
