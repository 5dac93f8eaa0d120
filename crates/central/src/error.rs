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
    Db(sqlx::Error),
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
            _ => ErrorCode::Internal,
        }
    }
}

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
