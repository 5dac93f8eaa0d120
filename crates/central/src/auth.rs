use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use yiqifu_protocol::{CreditCode, EnterpriseProfile, ErrorCode, LoginRequest, LoginResponse};

use crate::db::now_unix;
use crate::error::{Error, Result};
use crate::extract::ApiJson;
use crate::AppState;

pub const ACCESS_TTL_SECS: i64 = 60 * 60;
pub const REFRESH_TTL_SECS: i64 = 30 * 24 * 60 * 60;

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
        "统一社会信用代码或密码不正确 / wrong credit code or password",
    )
}

#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 400, description = "Malformed request or credit code", body = yiqifu_protocol::ApiError),
        (status = 401, description = "Wrong credit code or password", body = yiqifu_protocol::ApiError),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<axum::Json<LoginResponse>> {
    let code = CreditCode::parse(&req.credit_code).map_err(|e| {
        Error::api(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidCreditCode,
            e.to_string(),
        )
    })?;
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT name, district, industry, password_hash FROM enterprises WHERE credit_code = ?",
    )
    .bind(code.as_str())
    .fetch_optional(&state.db)
    .await?;
    // Hash even for an unknown account, so timing does not tell which codes exist.
    let (name, district, industry, stored) = match row {
        Some(r) => r,
        None => {
            verify_password(&req.password, &state.dummy_hash);
            return Err(invalid_credentials());
        }
    };
    let password = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(invalid_credentials());
    }
    let access = new_token();
    let refresh = new_token();
    let now = now_unix();
    let mut tx = state.db.begin().await?;
    for (token, kind, ttl) in [
        (&access, "access", ACCESS_TTL_SECS),
        (&refresh, "refresh", REFRESH_TTL_SECS),
    ] {
        sqlx::query(
            "INSERT INTO sessions (token_hash, kind, credit_code, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash(token))
        .bind(kind)
        .bind(code.as_str())
        .bind(now + ttl)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let expires = OffsetDateTime::from_unix_timestamp(now + ACCESS_TTL_SECS)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    Ok(axum::Json(LoginResponse {
        access_token: access,
        refresh_token: refresh,
        access_expires_at: expires,
        enterprise: EnterpriseProfile {
            credit_code: code.to_string(),
            name,
            district,
            industry,
        },
    }))
}

/// The signed-in enterprise of a request, from its bearer access token.
pub struct Enterprise {
    pub credit_code: String,
}

impl FromRequestParts<AppState> for Enterprise {
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
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT credit_code, expires_at FROM sessions WHERE token_hash = ? AND kind = 'access'",
        )
        .bind(token_hash(token))
        .fetch_optional(&state.db)
        .await?;
        match row {
            None => Err(Error::unauthorized(
                ErrorCode::Unauthorized,
                "登录凭据无效，请重新登录 / unknown token, sign in again",
            )),
            Some((_, exp)) if exp <= now_unix() => Err(Error::unauthorized(
                ErrorCode::TokenExpired,
                "登录已过期 / the access token has expired",
            )),
            Some((credit_code, _)) => Ok(Self { credit_code }),
        }
    }
}
