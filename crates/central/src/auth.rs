use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::Json;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use yiqifu_protocol::{
    CreditCode, EnterpriseProfile, ErrorCode, LoginRequest, LoginResponse, RefreshRequest,
    ReviewerLoginRequest, TokenPair,
};

use crate::db::{new_id, now_unix, rfc3339};
use crate::error::{Error, Result};
use crate::extract::ApiJson;
use crate::AppState;

pub const ACCESS_TTL_SECS: i64 = 60 * 60;
pub const REFRESH_TTL_SECS: i64 = 30 * 24 * 60 * 60;

/// Failed sign-ins allowed per account (and per reviewer name) from one source within the
/// window: another source, the officer's own, is not locked out by someone else's guesses.
const MAX_FAILURES: usize = 5;
/// Failed sign-ins allowed from one source (network address) within the window, across all
/// accounts: one password sprayed over many credit codes stops here.
const MAX_SOURCE_FAILURES: usize = 20;
/// Failed sign-ins of one account within the window, from every source together, past which
/// only sources with no failures at all may still try it: guesses spread over many sources
/// stay bounded, and the officer's clean one still gets in.
const MAX_ACCOUNT_FAILURES: usize = 100;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Names tracked at most: a flood of distinct names evicts the oldest instead of growing the
/// map without bound (each entry is a name of at most `MAX_NAME_CHARS` and a few instants).
const MAX_TRACKED: usize = 10_000;
/// The longest reviewer name the service reads; a longer one is refused before anything else.
const MAX_NAME_CHARS: usize = 64;
/// Password checks running at once: Argon2 takes about 19 MiB each, so a burst of sign-ins
/// waits its turn here instead of exhausting memory on the blocking pool.
const HASHING_AT_ONCE: usize = 4;
/// How long a sign-in waits for a turn before it is told to come back.
const HASHING_WAIT: Duration = Duration::from_secs(10);

/// Adds an attempt under `key`, keeping the map within [`MAX_TRACKED`] names.
fn count(map: &mut HashMap<String, Vec<Instant>>, key: &str) {
    if let Some(list) = map.get_mut(key) {
        list.push(Instant::now());
        return;
    }
    if map.len() >= MAX_TRACKED {
        map.retain(|_, list| {
            list.retain(|t| t.elapsed() < FAILURE_WINDOW);
            !list.is_empty()
        });
    }
    if map.len() >= MAX_TRACKED {
        // Still full of live entries: the tenth whose last attempts are oldest go at once,
        // so a flood pays this scan once per thousand names, not on every one.
        let mut by_age: Vec<(Option<Instant>, String)> = map
            .iter()
            .map(|(k, list)| (list.last().copied(), k.clone()))
            .collect();
        let cut = MAX_TRACKED / 10;
        by_age.select_nth_unstable(cut);
        for (_, k) in &by_age[..cut] {
            map.remove(k);
        }
    }
    map.insert(key.to_string(), vec![Instant::now()]);
}

/// Where a sign-in comes from: the peer's network address. Behind a gateway every caller
/// shares the gateway's address, so the per-source limit then applies to all of them.
pub struct Source(String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Source {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
        Ok(Self(peer))
    }
}

fn too_many() -> Error {
    Error::api(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        "登录失败次数过多，请 15 分钟后再试 / too many failed sign-ins: try again in 15 minutes",
    )
}

/// Counts failed sign-ins per account name, in memory: a restart forgets them, which is
/// acceptable for slowing down guessing. Bounded in names and in password checks at once.
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    hashing: tokio::sync::Semaphore,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        Self {
            failures: Mutex::default(),
            hashing: tokio::sync::Semaphore::new(HASHING_AT_ONCE),
        }
    }
}

/// The counters one sign-in attempt is counted in.
#[derive(Debug)]
struct Keys {
    account: String,
    source: String,
    pair: String,
}

impl Keys {
    fn new(who: &str, source: &Source) -> Self {
        Self {
            account: who.to_string(),
            source: format!("s:{}", source.0),
            pair: format!("{who}@{}", source.0),
        }
    }
}

impl SignInLimiter {
    /// Takes one attempt of `who` from `source`, counted as failed until it succeeds: the
    /// check and the count are one step under the lock, so parallel guesses cannot all pass a
    /// check made before any of them failed.
    fn attempt(&self, who: &str, source: &Source) -> Result<Keys> {
        let keys = Keys::new(who, source);
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut live = |key: &str| {
            map.get_mut(key).map_or(0, |list| {
                list.retain(|t| t.elapsed() < FAILURE_WINDOW);
                list.len()
            })
        };
        let from_source = live(&keys.source);
        if from_source >= MAX_SOURCE_FAILURES
            || live(&keys.pair) >= MAX_FAILURES
            || (from_source > 0 && live(&keys.account) >= MAX_ACCOUNT_FAILURES)
        {
            return Err(too_many());
        }
        for key in [&keys.account, &keys.source, &keys.pair] {
            count(&mut map, key);
        }
        Ok(keys)
    }

    /// Gives back an attempt that never got to check the password (the service was busy).
    fn release(&self, keys: &Keys) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in [&keys.account, &keys.source, &keys.pair] {
            if let Some(list) = map.get_mut(key) {
                list.pop();
            }
        }
    }

    /// The password was right: the account's failures are forgiven, and this attempt does
    /// not count against its source.
    fn succeeded(&self, keys: &Keys) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&keys.account);
        map.remove(&keys.pair);
        if let Some(list) = map.get_mut(&keys.source) {
            list.pop();
        }
    }

    /// How many names are tracked now.
    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    /// Checks `password` against `stored` for `who` when a turn is free (see
    /// [`HASHING_AT_ONCE`]); a sign-in that got no turn does not count against the account.
    async fn verify(&self, keys: &Keys, password: String, stored: String) -> Result<bool> {
        let turn = tokio::time::timeout(HASHING_WAIT, self.hashing.acquire())
            .await
            .ok()
            .and_then(|p| p.ok());
        let Some(_turn) = turn else {
            self.release(keys);
            return Err(Error::api(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::RateLimited,
                "登录请求过多，请稍后再试 / too many sign-ins at once: try again in a moment",
            ));
        };
        Ok(verify_blocking(password, stored).await)
    }
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Hash(e.to_string()))
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

async fn verify_blocking(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .unwrap_or(false)
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn invalid_credentials() -> Error {
    Error::unauthorized(
        ErrorCode::InvalidCredentials,
        "账号或密码不正确 / wrong account or password",
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Enterprise,
    Reviewer,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Self::Enterprise => "enterprise",
            Self::Reviewer => "reviewer",
        }
    }
}

/// Issues an access and a refresh token of one family.
async fn issue(state: &AppState, role: Role, subject: &str) -> Result<TokenPair> {
    let access = new_token();
    let refresh = new_token();
    let family = new_id("fam");
    let now = now_unix();
    let mut tx = state.db.begin().await?;
    // Every sign-in and refresh sweeps the sessions that expired, so the table holds only
    // live ones (and a leaked old token hash is not kept for ever).
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    for (token, kind, ttl) in [
        (&access, "access", ACCESS_TTL_SECS),
        (&refresh, "refresh", REFRESH_TTL_SECS),
    ] {
        sqlx::query(
            "INSERT INTO sessions (token_hash, kind, role, subject, family, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash(token))
        .bind(kind)
        .bind(role.as_str())
        .bind(subject)
        .bind(&family)
        .bind(now + ttl)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(TokenPair {
        access_token: access,
        refresh_token: refresh,
        access_expires_at: rfc3339(now + ACCESS_TTL_SECS),
    })
}

#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 400, description = "Malformed request or credit code", body = yiqifu_protocol::ApiError),
        (status = 401, description = "Wrong credit code or password", body = yiqifu_protocol::ApiError),
        (status = 429, description = "Too many failed attempts of this account from this source, or from this source across accounts (counted as they start, so parallel guesses count too)", body = yiqifu_protocol::ApiError),
        (status = 503, description = "Too many sign-ins at once: retry in a moment", body = yiqifu_protocol::ApiError),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    source: Source,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    let code = CreditCode::parse(&req.credit_code).map_err(|e| {
        Error::api(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidCreditCode,
            e.to_string(),
        )
    })?;
    let keys = state.limiter.attempt(&format!("e:{code}"), &source)?;
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT name, district, industry, password_hash FROM enterprises WHERE credit_code = $1",
    )
    .bind(code.as_str())
    .fetch_optional(&state.db)
    .await?;
    // Verify against a dummy hash for unknown accounts: timing does not tell which exist.
    let stored = row
        .as_ref()
        .map(|r| r.3.clone())
        .unwrap_or_else(|| state.dummy_hash.clone());
    let ok = state.limiter.verify(&keys, req.password, stored).await? && row.is_some();
    let Some((name, district, industry, _)) = row.filter(|_| ok) else {
        return Err(invalid_credentials());
    };
    state.limiter.succeeded(&keys);
    let pair = issue(&state, Role::Enterprise, code.as_str()).await?;
    Ok(Json(LoginResponse {
        access_token: pair.access_token,
        refresh_token: pair.refresh_token,
        access_expires_at: pair.access_expires_at,
        enterprise: EnterpriseProfile {
            credit_code: code.to_string(),
            name,
            district,
            industry,
        },
    }))
}

#[utoipa::path(
    post, path = "/api/v1/auth/reviewer-login", tag = "auth",
    request_body = ReviewerLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenPair),
        (status = 400, description = "A user name over 64 characters", body = yiqifu_protocol::ApiError),
        (status = 401, description = "Wrong name or password", body = yiqifu_protocol::ApiError),
        (status = 429, description = "Too many failed attempts of this account from this source, or from this source across accounts (counted as they start, so parallel guesses count too)", body = yiqifu_protocol::ApiError),
        (status = 503, description = "Too many sign-ins at once: retry in a moment", body = yiqifu_protocol::ApiError),
    )
)]
pub async fn reviewer_login(
    State(state): State<AppState>,
    source: Source,
    ApiJson(req): ApiJson<ReviewerLoginRequest>,
) -> Result<Json<TokenPair>> {
    // Before anything else: a long name neither reaches the limiter nor the database.
    if req.username.chars().count() > MAX_NAME_CHARS {
        return Err(Error::bad_request(format!(
            "用户名不能超过 {MAX_NAME_CHARS} 个字符 / the user name is longer than {MAX_NAME_CHARS} characters"
        )));
    }
    let keys = state
        .limiter
        .attempt(&format!("r:{}", req.username), &source)?;
    let row: Option<(String,)> =
        sqlx::query_as("SELECT password_hash FROM reviewers WHERE username = $1")
            .bind(&req.username)
            .fetch_optional(&state.db)
            .await?;
    let stored = row
        .as_ref()
        .map(|r| r.0.clone())
        .unwrap_or_else(|| state.dummy_hash.clone());
    if !(state.limiter.verify(&keys, req.password, stored).await? && row.is_some()) {
        return Err(invalid_credentials());
    }
    state.limiter.succeeded(&keys);
    Ok(Json(issue(&state, Role::Reviewer, &req.username).await?))
}

/// Trades a refresh token for a new pair; the old refresh token and its access token end.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenPair),
        (status = 401, description = "Unknown or expired refresh token, or one already used (of concurrent refreshes with one token, exactly one succeeds)", body = yiqifu_protocol::ApiError),
    )
)]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<TokenPair>> {
    // Claimed in one statement: of two refreshes with one token, exactly one deletes the row
    // and goes on; the other finds nothing and is refused, so no token family is issued twice.
    let row: Option<(String, String, String)> = sqlx::query_as(
        "DELETE FROM sessions WHERE token_hash = $1 AND kind = 'refresh' AND expires_at > $2
         RETURNING role, subject, family",
    )
    .bind(token_hash(&req.refresh_token))
    .bind(now_unix())
    .fetch_optional(&state.db)
    .await?;
    let Some((role, subject, family)) = row else {
        return Err(Error::unauthorized(
            ErrorCode::Unauthorized,
            "登录已失效，请重新登录 / the refresh token is unknown, expired or already used: sign in again",
        ));
    };
    // The rest of the family (its access token) ends with it.
    sqlx::query("DELETE FROM sessions WHERE family = $1")
        .bind(&family)
        .execute(&state.db)
        .await?;
    let role = if role == "reviewer" {
        Role::Reviewer
    } else {
        Role::Enterprise
    };
    Ok(Json(issue(&state, role, &subject).await?))
}

/// Ends the session of the presented access token (and its refresh token).
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out"))
)]
pub async fn logout(State(state): State<AppState>, who: Caller) -> Result<StatusCode> {
    sqlx::query("DELETE FROM sessions WHERE family = $1")
        .bind(&who.family)
        .execute(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whoever presented a valid access token.
pub struct Caller {
    pub role: Role,
    pub subject: String,
    family: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| {
                Error::unauthorized(
                    ErrorCode::Unauthorized,
                    "请先登录 / sign in first (no bearer token)",
                )
            })?;
        let row: Option<(String, String, String, i64)> = sqlx::query_as(
            "SELECT role, subject, family, expires_at FROM sessions
             WHERE token_hash = $1 AND kind = 'access'",
        )
        .bind(token_hash(token))
        .fetch_optional(&state.db)
        .await?;
        match row {
            None => Err(Error::unauthorized(
                ErrorCode::Unauthorized,
                "登录凭据无效，请重新登录 / unknown token, sign in again",
            )),
            Some((.., exp)) if exp <= now_unix() => Err(Error::unauthorized(
                ErrorCode::TokenExpired,
                "登录已过期 / the access token has expired: refresh it",
            )),
            Some((role, subject, family, _)) => Ok(Self {
                role: if role == "reviewer" {
                    Role::Reviewer
                } else {
                    Role::Enterprise
                },
                subject,
                family,
            }),
        }
    }
}

/// The signed-in enterprise of a request.
pub struct Enterprise {
    pub credit_code: String,
}

impl FromRequestParts<AppState> for Enterprise {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let c = Caller::from_request_parts(parts, state).await?;
        if c.role != Role::Enterprise {
            return Err(Error::api(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "仅限企业账号 / enterprise accounts only",
            ));
        }
        Ok(Self {
            credit_code: c.subject,
        })
    }
}

/// The signed-in reviewer of a request.
pub struct Reviewer {
    pub username: String,
}

impl FromRequestParts<AppState> for Reviewer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let c = Caller::from_request_parts(parts, state).await?;
        if c.role != Role::Reviewer {
            return Err(Error::api(
                StatusCode::FORBIDDEN,
                ErrorCode::ReviewerOnly,
                "仅限审核人员 / reviewers only",
            ));
        }
        Ok(Self {
            username: c.subject,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_distinct_names_keeps_the_limiter_bounded() {
        let limiter = SignInLimiter::default();
        let from = |i: usize| Source(format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255));
        for i in 0..MAX_TRACKED * 3 {
            limiter.attempt(&format!("r:guess-{i}"), &from(i)).unwrap();
        }
        assert!(limiter.tracked() <= MAX_TRACKED, "{}", limiter.tracked());
        // The newest names are the ones kept: the latest can still be counted and locked.
        let n = MAX_TRACKED * 3 - 1;
        let last = format!("r:guess-{n}");
        for _ in 1..MAX_FAILURES {
            limiter.attempt(&last, &from(n)).unwrap();
        }
        assert_eq!(
            limiter.attempt(&last, &from(n)).unwrap_err().code(),
            ErrorCode::RateLimited
        );
        // Locked for that source only: another one may still try.
        let keys = limiter.attempt(&last, &from(n + 1)).unwrap();
        // A success is not a failure of its source; the guessing source stays locked.
        limiter.succeeded(&keys);
        assert!(limiter.attempt(&last, &from(n + 1)).is_ok());
        assert!(limiter.attempt(&last, &from(n)).is_err());
    }

    #[test]
    fn a_source_spraying_many_accounts_is_stopped_and_a_busy_account_stays_open_to_clean_sources() {
        let limiter = SignInLimiter::default();
        let sprayer = Source("192.0.2.1".into());
        for i in 0..MAX_SOURCE_FAILURES {
            limiter.attempt(&format!("e:{i}"), &sprayer).unwrap();
        }
        assert!(limiter.attempt("e:fresh", &sprayer).is_err());
        // Guesses at one account from many sources: past the account's bound, sources that
        // have failed are refused, a clean one is not.
        for i in 0..MAX_ACCOUNT_FAILURES {
            let s = Source(format!("198.51.{}.{}", i / 250, i % 250));
            limiter.attempt("e:target", &s).unwrap();
        }
        let failed_elsewhere = Source("203.0.113.9".into());
        limiter.attempt("e:other", &failed_elsewhere).unwrap();
        assert!(limiter.attempt("e:target", &failed_elsewhere).is_err());
        assert!(limiter
            .attempt("e:target", &Source("203.0.113.10".into()))
            .is_ok());
    }
}
