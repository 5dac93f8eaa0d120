//! 企业信息: the company profile each enterprise sends, which the self-check's conditions
//! read and which reviewers see with every application.

use crate::db::Conn;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use yiqifu_protocol::{CompanyProfile, ErrorCode, StoredProfile};

use crate::auth::Enterprise;
use crate::db::{now_unix, rfc3339};
use crate::error::{Error, Result};
use crate::extract::ApiJson;
use crate::AppState;

/// The enterprise's stored profile, if it has sent one.
pub async fn load(conn: &mut Conn, owner: &str) -> Result<Option<StoredProfile>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT body, updated_at FROM profiles WHERE owner = $1")
            .bind(owner)
            .fetch_optional(conn)
            .await?;
    match row {
        Some((body, at)) => Ok(Some(StoredProfile {
            profile: serde_json::from_str(&body)?,
            updated_at: rfc3339(at),
        })),
        None => Ok(None),
    }
}

/// Replaces the enterprise's profile; the caller has validated it.
pub async fn store(
    conn: &mut Conn,
    owner: &str,
    profile: &CompanyProfile,
) -> Result<StoredProfile> {
    let at = now_unix();
    sqlx::query(
        "INSERT INTO profiles (owner, body, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (owner) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(owner)
    .bind(serde_json::to_string(profile)?)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(StoredProfile {
        profile: profile.clone(),
        updated_at: rfc3339(at),
    })
}

pub fn missing() -> Error {
    Error::api(
        StatusCode::NOT_FOUND,
        ErrorCode::ProfileMissing,
        "尚未填写企业信息，请先填写并提交企业信息 / no company profile yet: fill in 企业信息 first",
    )
}

#[utoipa::path(put, path = "/api/v1/profile", tag = "profile", security(("bearer" = [])),
    request_body = CompanyProfile,
    responses(
        (status = 200, description = "Stored; replaces any earlier profile (last write wins)", body = StoredProfile),
        (status = 400, description = "Malformed, or a field the profile does not have", body = yiqifu_protocol::ApiError),
        (status = 401, description = "Not signed in", body = yiqifu_protocol::ApiError),
        (status = 403, description = "Not an enterprise account", body = yiqifu_protocol::ApiError),
        (status = 422, description = "INVALID_FIELD: the message names every bad field, \"field: zh / en\", joined with \"；\"", body = yiqifu_protocol::ApiError),
    ))]
pub async fn put(
    State(state): State<AppState>,
    who: Enterprise,
    ApiJson(profile): ApiJson<CompanyProfile>,
) -> Result<Json<StoredProfile>> {
    let problems = profile.problems();
    if !problems.is_empty() {
        return Err(Error::invalid_fields(&problems));
    }
    let mut conn = state.db.acquire().await?;
    Ok(Json(store(&mut conn, &who.credit_code, &profile).await?))
}

#[utoipa::path(get, path = "/api/v1/profile", tag = "profile", security(("bearer" = [])),
    responses(
        (status = 200, description = "The enterprise's company profile", body = StoredProfile),
        (status = 401, description = "Not signed in", body = yiqifu_protocol::ApiError),
        (status = 403, description = "Not an enterprise account", body = yiqifu_protocol::ApiError),
        (status = 404, description = "PROFILE_MISSING: none sent yet", body = yiqifu_protocol::ApiError),
    ))]
pub async fn get(State(state): State<AppState>, who: Enterprise) -> Result<Json<StoredProfile>> {
    let mut conn = state.db.acquire().await?;
    load(&mut conn, &who.credit_code)
        .await?
        .map(Json)
        .ok_or_else(missing)
}

#[cfg(test)]
mod tests {
    use crate::error::problems_message;
    use yiqifu_protocol::FieldProblem;

    #[test]
    fn the_message_names_each_field_in_both_languages() {
        let m = problems_message(&[
            FieldProblem {
                field: "on_site".into(),
                zh: "甲".into(),
                en: "a".into(),
            },
            FieldProblem {
                field: "contacts.0.phone".into(),
                zh: "乙".into(),
                en: "b".into(),
            },
        ]);
        assert_eq!(m, "on_site: 甲 / a；contacts.0.phone: 乙 / b");
    }
}
