//! Retry-safe creating requests (IETF httpapi Idempotency-Key draft): the same key with the
//! same request (method, path and body) answers the first response again; another request,
//! on another route too, is 422; no key is 400; a retry while the first request still runs
//! is 409.

use std::future::Future;

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use yiqifu_protocol::{ErrorCode, IDEMPOTENCY_KEY_HEADER};

use crate::db::now_unix;
use crate::error::{Error, Result};
use crate::AppState;

const MAX_KEY_LEN: usize = 255;

fn key_of(header: Option<&HeaderValue>) -> Result<String> {
    let key = header
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty());
    match key {
        Some(k) if k.len() <= MAX_KEY_LEN => Ok(k),
        Some(_) => Err(Error::bad_request(
            "Idempotency-Key 过长 / the Idempotency-Key is longer than 255 characters",
        )),
        None => Err(Error::api(
            StatusCode::BAD_REQUEST,
            ErrorCode::IdempotencyKeyMissing,
            "创建请求须带 Idempotency-Key 请求头 / creating requests need an Idempotency-Key header",
        )),
    }
}

/// A creating request as its Idempotency-Key covers it: the key is scoped to the caller and to
/// this method and path, so the same key sent to another route is not the same request.
pub struct Request {
    method: Method,
    path: String,
    key: Option<HeaderValue>,
}

impl<S: Send + Sync> FromRequestParts<S> for Request {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        // The router nests nothing, so this is the whole path.
        Ok(Self {
            method: parts.method.clone(),
            path: parts.uri.path().to_string(),
            key: parts.headers.get(IDEMPOTENCY_KEY_HEADER).cloned(),
        })
    }
}

impl Request {
    /// What two requests with one key must share: method, path and body.
    fn hash(&self, body: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(self.method.as_str().as_bytes());
        h.update(b" ");
        h.update(self.path.as_bytes());
        h.update(b"\n");
        h.update(body);
        hex::encode(h.finalize())
    }
}

/// Parses a JSON body the way the service's other routes do.
pub fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| {
        Error::bad_request(format!(
            "请求内容无法解析 / the request body could not be read: {e}"
        ))
    })
}

/// A claim older than this whose request never finished (the process died) is abandoned.
const ABANDONED_SECS: i64 = 120;

/// How long a key's answer is kept for a retry: 30 days. A client whose answer was lost
/// retries within minutes when online, but an officer's laptop may stay offline for weeks;
/// past this the same key runs the request again.
pub const KEPT_SECS: i64 = 30 * 24 * 3600;

/// Runs `create` at most once per (owner, key); later calls replay its answer. The claim
/// and the work run together on their own task: a client that hangs up mid-request cancels
/// neither, so no key is left claimed without the work that answers it (its retries would be
/// 409 until the claim is abandoned), and the work finishes and records its answer for the
/// retry.
pub async fn once<T, F, Fut>(
    state: &AppState,
    owner: &str,
    request: &Request,
    body: &Bytes,
    create: F,
) -> Result<Response>
where
    T: Serialize + Send + 'static,
    F: FnOnce(AppState, String, Bytes) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(StatusCode, T)>> + Send + 'static,
{
    let key = key_of(request.key.as_ref())?;
    let hash = request.hash(body);
    tokio::spawn(claim_and_finish(
        state.clone(),
        owner.to_string(),
        key,
        hash,
        body.clone(),
        create,
    ))
    .await
    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
}

async fn claim_and_finish<T, F, Fut>(
    state: AppState,
    owner: String,
    key: String,
    hash: String,
    body: Bytes,
    create: F,
) -> Result<Response>
where
    T: Serialize,
    F: FnOnce(AppState, String, Bytes) -> Fut,
    Fut: Future<Output = Result<(StatusCode, T)>>,
{
    // One sweep of the caller's rows (together in the key's index): this key's claim whose
    // request never finished, and every answer past KEPT_SECS, so the table holds at most
    // what its callers sent in the last KEPT_SECS.
    let now = now_unix();
    sqlx::query(
        "DELETE FROM idempotency WHERE owner = $1
         AND ((key = $2 AND status IS NULL AND created_at < $3) OR created_at < $4)",
    )
    .bind(&owner)
    .bind(&key)
    .bind(now - ABANDONED_SECS)
    .bind(now - KEPT_SECS)
    .execute(&state.db)
    .await?;
    let claimed = sqlx::query(
        "INSERT INTO idempotency (owner, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner, key) DO NOTHING",
    )
    .bind(&owner)
    .bind(&key)
    .bind(&hash)
    .bind(now_unix())
    .execute(&state.db)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        let (first_hash, status, stored): (String, Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT request_hash, status, body FROM idempotency WHERE owner = $1 AND key = $2",
        )
        .bind(&owner)
        .bind(&key)
        .fetch_one(&state.db)
        .await?;
        if first_hash != hash {
            return Err(Error::api(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::IdempotencyKeyReused,
                "该 Idempotency-Key 已用于另一请求 / this Idempotency-Key was used with another body or on another route",
            ));
        }
        return match (status, stored) {
            (Some(s), Some(b)) => Ok(replay(s, b)),
            _ => Err(Error::api(
                StatusCode::CONFLICT,
                ErrorCode::RequestInProgress,
                "相同请求仍在处理中，请稍后重试 / the first request with this key is still running: retry later",
            )),
        };
    }
    finish(state, owner, key, body, create).await
}

async fn finish<T, F, Fut>(
    state: AppState,
    owner: String,
    key: String,
    body: Bytes,
    create: F,
) -> Result<Response>
where
    T: Serialize,
    F: FnOnce(AppState, String, Bytes) -> Fut,
    Fut: Future<Output = Result<(StatusCode, T)>>,
{
    let owner = owner.as_str();
    let outcome = create(state.clone(), owner.to_string(), body).await;
    let (status, body_json) = match &outcome {
        Ok((s, v)) => (*s, serde_json::to_string(v)?),
        Err(e) if fixed_elsewhere(e) => {
            // Not an answer to pin to the key: the same request runs again once fixed.
            sqlx::query("DELETE FROM idempotency WHERE owner = $1 AND key = $2")
                .bind(owner)
                .bind(&key)
                .execute(&state.db)
                .await?;
            return outcome.map(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
        Err(Error::Api {
            status,
            code,
            message,
        }) if status.is_client_error() => (
            *status,
            serde_json::to_string(&yiqifu_protocol::ApiError {
                code: *code,
                message: message.clone(),
            })?,
        ),
        Err(_) => {
            // A failure on our side is not an answer: free the key so a retry runs again.
            sqlx::query("DELETE FROM idempotency WHERE owner = $1 AND key = $2")
                .bind(owner)
                .bind(&key)
                .execute(&state.db)
                .await?;
            return outcome.map(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    sqlx::query("UPDATE idempotency SET status = $1, body = $2 WHERE owner = $3 AND key = $4")
        .bind(i64::from(status.as_u16()))
        .bind(&body_json)
        .bind(owner)
        .bind(&key)
        .execute(&state.db)
        .await?;
    Ok(replay(i64::from(status.as_u16()), body_json))
}

/// A refusal the caller fixes with another request, not by changing this one: replaying it
/// for the same key and body would refuse forever what would now succeed.
/// Refusals that hang on what the service holds (the profile, the current template), not on
/// the request: the same request may pass once that changed, so they are not pinned to the key.
fn fixed_elsewhere(e: &Error) -> bool {
    matches!(
        e.code(),
        ErrorCode::ProfileMissing | ErrorCode::SelfCheckOutdated | ErrorCode::SelfCheckFailed
    )
}

fn replay(status: i64, body: String) -> Response {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// [`once`] for the common case: the body is a JSON request of type `Req`, parsed inside
/// the retry-safe part so a malformed body is answered (and replayed) like any other.
pub async fn create_once<Req, T, F, Fut>(
    state: &AppState,
    owner: String,
    request: &Request,
    body: Bytes,
    create: F,
) -> Result<Response>
where
    Req: DeserializeOwned + Send + 'static,
    T: Serialize + Send + 'static,
    F: FnOnce(AppState, String, Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(StatusCode, T)>> + Send + 'static,
{
    once(
        state,
        &owner,
        request,
        &body,
        move |state, owner, body| async move {
            let req: Req = parse(&body)?;
            create(state, owner, req).await
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Poll;
    use std::time::{Duration, Instant};

    /// The request is dropped (its client hung up) the moment its key is claimed, before
    /// anything else of it runs: the work must still run and answer the retry.
    #[tokio::test]
    async fn a_request_dropped_once_its_key_is_claimed_still_answers_the_retry() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::open_state(&dir.path().join("c.sqlite"), false)
            .await
            .unwrap();
        let request = Request {
            method: Method::POST,
            path: "/api/v1/appeals".into(),
            key: Some(HeaderValue::from_static("k-1")),
        };
        let body = Bytes::from_static(b"{}");
        let work = |_: AppState, _: String, _: Bytes| async {
            Ok((StatusCode::CREATED, serde_json::json!({"id": "a-1"})))
        };
        let claimed = |db: crate::db::Db| async move {
            sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM idempotency WHERE key = 'k-1'")
                .fetch_one(&db)
                .await
                .unwrap()
                .0
                == 1
        };
        let mut first = Box::pin(once(&state, "e1", &request, &body, work));
        let start = Instant::now();
        loop {
            let polled = std::future::poll_fn(|cx| Poll::Ready(first.as_mut().poll(cx))).await;
            assert!(
                polled.is_pending(),
                "the request finished before its client left"
            );
            // Not polled again once the claim is seen: nothing after it has run.
            tokio::time::sleep(Duration::from_millis(1)).await;
            if claimed(state.db.clone()).await {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the key was never claimed"
            );
        }
        drop(first);

        // The retry gets the first request's answer, not "still running".
        let start = Instant::now();
        loop {
            let again = once(&state, "e1", &request, &body, work).await;
            match again {
                Ok(r) => {
                    assert_eq!(r.status(), StatusCode::CREATED);
                    break;
                }
                Err(e) => assert_eq!(e.code(), ErrorCode::RequestInProgress, "{e:?}"),
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the claim of a dropped request was left without its work"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM idempotency WHERE status = 201")
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(n, 1);
    }
}
