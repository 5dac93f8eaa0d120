use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use yiqifu_protocol::{ApiError, ErrorCode, FieldProblem};

/// The one error type of the service. Every variant maps to a status and a stable
/// [`ErrorCode`]; internal failures are logged here and never leak their text to a caller.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Api {
        status: StatusCode,
        code: ErrorCode,
        message: String,
    },
    #[error("database: {0}")]
    Db(#[source] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// The upload store (a folder or a bucket) failed a read or a write.
    #[error("upload store: {0}")]
    Store(#[from] object_store::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("password hashing: {0}")]
    Hash(String),
    /// How the service was started cannot work (a database it cannot use, a missing
    /// folder): the message says what to change.
    #[error("{0}")]
    Config(String),
    /// Seed data that would publish something the engine cannot judge: a bug in this build.
    #[error("demo data: {0}")]
    DemoData(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        // PostgreSQL stores no NUL character in text (SQLite does): a request that carries
        // one, in a path, a query or a field, is the caller's to fix, not a failure here.
        let nul = e
            .as_database_error()
            .and_then(|d| d.code())
            .is_some_and(|code| code == "22021");
        if nul {
            return Self::bad_request(
                "请求中含有空字符（U+0000），无法保存 / the request contains a NUL character \
                 (U+0000), which cannot be stored: remove it",
            );
        }
        Self::Db(e)
    }
}

impl Error {
    pub fn api(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Api {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::api(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// A field of the request that the service cannot accept (422), naming the field.
    pub fn invalid_field(message: impl Into<String>) -> Self {
        Self::api(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidField,
            message,
        )
    }

    /// Every bad field of a request at once (422 INVALID_FIELD), so the officer fixes them
    /// all in one go: "field: zh / en", joined with "；".
    pub fn invalid_fields(problems: &[FieldProblem]) -> Self {
        Self::invalid_field(problems_message(problems))
    }

    /// 422 naming every problem, or nothing when there is none.
    pub fn refuse(problems: Vec<FieldProblem>) -> Result<()> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Self::invalid_fields(&problems))
        }
    }

    pub fn not_found() -> Self {
        Self::api(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "没有这个资源 / no such resource",
        )
    }

    pub fn unauthorized(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::api(StatusCode::UNAUTHORIZED, code, message)
    }

    /// The stable code of this error, as a caller sees it.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Api { code, .. } => *code,
            _ if self.storage_full() => ErrorCode::StorageFull,
            _ => ErrorCode::Internal,
        }
    }

    /// Whether this failure is a full disk or bucket, the upload store's or the database's:
    /// the caller may retry later, and the operator has to make room.
    pub fn storage_full(&self) -> bool {
        if let Some(code) = match self {
            Self::Db(e) => e.as_database_error().and_then(|d| d.code()),
            _ => None,
        } {
            // SQLite's SQLITE_FULL; PostgreSQL's disk_full.
            return code == "13" || code == "53100";
        }
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = next {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::StorageFull
                        | std::io::ErrorKind::QuotaExceeded
                        | std::io::ErrorKind::FileTooLarge
                ) {
                    return true;
                }
                // An io::Error carrying another error (a store's, through a writer) skips
                // it in `source()`: look inside.
                if let Some(inner) = io.get_ref() {
                    next = Some(inner);
                    continue;
                }
            }
            next = e.source();
        }
        false
    }
}

/// How long a caller should wait before retrying when the storage is full: long enough for
/// an operator's alert to be seen, short enough that the client's queue moves once there is
/// room again.
const STORAGE_FULL_RETRY_SECS: u32 = 60;

/// One message naming every bad field, in both languages.
pub fn problems_message(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {} / {}", p.field, p.zh, p.en))
        .collect::<Vec<_>>()
        .join("；")
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Self::Api {
                status,
                code,
                message,
            } => (status, code, message),
            other if other.storage_full() => {
                tracing::error!(
                    error = %other,
                    "storage full: make room on the upload store or the database's disk; \
                     callers are told to retry"
                );
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(
                        axum::http::header::RETRY_AFTER,
                        STORAGE_FULL_RETRY_SECS.to_string(),
                    )],
                    Json(ApiError {
                        code: ErrorCode::StorageFull,
                        message: "服务的存储空间已满，请稍后重试；已收到的数据不会丢失 / the \
                                  service's storage is full: retry later; what it already \
                                  received is kept"
                            .to_string(),
                    }),
                )
                    .into_response();
            }
            other => {
                tracing::error!(error = %other, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "服务内部错误，请稍后重试 / internal error, please retry later".to_string(),
                )
            }
        };
        (status, Json(ApiError { code, message })).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn answer(e: Error) -> (StatusCode, Option<String>, ApiError) {
        let resp = e.into_response();
        let status = resp.status();
        let retry = resp
            .headers()
            .get(axum::http::header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_string());
        let body = axum::body::to_bytes(resp.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, retry, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn a_full_disk_is_a_503_to_retry_later_wherever_it_is_wrapped() {
        let full = || std::io::Error::from(std::io::ErrorKind::StorageFull);
        let in_store = object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(full()),
        };
        let through_writer = std::io::Error::other(object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(full()),
        });
        for e in [
            Error::Io(full()),
            Error::Store(in_store),
            Error::Io(through_writer),
        ] {
            let (status, retry, body) = answer(e).await;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(retry.as_deref(), Some("60"));
            assert_eq!(body.code, ErrorCode::StorageFull);
            assert!(body.message.contains("存储空间已满"), "{}", body.message);
        }
        let (status, retry, body) = answer(Error::Io(std::io::Error::other("boom"))).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(retry, None);
        assert_eq!(body.code, ErrorCode::Internal);
    }

    /// The database's own full disk, as the service meets it: SQLite through sqlx's Any
    /// driver, a write into a database that may not grow (SQLITE_FULL).
    #[tokio::test]
    async fn a_full_database_is_a_503_to_retry_later() {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut db = sqlx::AnyConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        db.execute("CREATE TABLE t (x TEXT NOT NULL); PRAGMA max_page_count = 8;")
            .await
            .unwrap();
        let mut refused = None;
        for _ in 0..200 {
            if let Err(e) = sqlx::query("INSERT INTO t (x) VALUES (?)")
                .bind("x".repeat(1500))
                .execute(&mut db)
                .await
            {
                refused = Some(e);
                break;
            }
        }
        let e = Error::Db(refused.expect("8 pages fill up within 200 rows of 1.5 KB"));
        let (status, retry, body) = answer(e).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry.as_deref(), Some("60"));
        assert_eq!(body.code, ErrorCode::StorageFull);
        let (status, _, body) = answer(Error::Db(
            sqlx::query("INSERT INTO missing VALUES (1)")
                .execute(&mut db)
                .await
                .unwrap_err(),
        ))
        .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body.code, ErrorCode::Internal);
    }
}
