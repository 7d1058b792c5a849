//! `ApiError`: every failure a handler can return, mapped to a status code and the API's
//! one JSON error shape `{"error": {"code", "message"}}` in a single `match` (plus
//! `epoch` on `epoch_mismatch`, the one error a device answers without asking again).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API path: {0}")]
    NotFound(String),
    #[error("wrong method: {0}")]
    MethodNotAllowed(String),
    /// Bad input the caller can fix; `code` is stable for programs, `message` for people.
    #[error("{code}: {message}")]
    BadRequest { code: &'static str, message: String },
    /// No valid device token (or wrong credentials at login): log in again.
    #[error("{code}: {message}")]
    Unauthorized { code: &'static str, message: String },
    /// Authenticated, but this is not theirs (e.g. another user's client id).
    #[error("{code}: {message}")]
    Forbidden { code: &'static str, message: String },
    /// Well-formed but cannot be taken as it stands (seq gap, old schema version).
    #[error("{code}: {message}")]
    Conflict { code: &'static str, message: String },
    /// A push built for another database. 409 `epoch_mismatch`, with this server's epoch
    /// as `error.epoch` so the device can reset to it without another request.
    #[error("epoch_mismatch: server epoch {epoch}")]
    EpochMismatch { epoch: String },
    /// More than the endpoint accepts (body bytes or batch length).
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("{0}")]
    BatchTooLarge(String),
    #[error(transparent)]
    Db(#[from] DbError),
    /// A server-side failure outside the database (randomness, hashing).
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest { code, message: message.into() }
    }

    pub(crate) fn unauthorized(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Unauthorized { code, message: message.into() }
    }
}

const GENERIC_500: &str =
    "The server could not complete the request; nothing was changed. Try again later.";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        use StatusCode as S;
        let epoch = match &self {
            ApiError::EpochMismatch { epoch } => Some(epoch.clone()),
            _ => None,
        };
        let (status, code, message) = match self {
            ApiError::NotFound(path) => (S::NOT_FOUND, "not_found", format!("No API endpoint at {path}")),
            ApiError::MethodNotAllowed(what) => {
                (S::METHOD_NOT_ALLOWED, "method_not_allowed", format!("{what} is not supported; see the API docs"))
            }
            ApiError::BadRequest { code, message } => (S::BAD_REQUEST, code, message),
            ApiError::Unauthorized { code, message } => (S::UNAUTHORIZED, code, message),
            ApiError::Forbidden { code, message } => (S::FORBIDDEN, code, message),
            ApiError::Conflict { code, message } => (S::CONFLICT, code, message),
            ApiError::EpochMismatch { epoch } => (
                S::CONFLICT,
                "epoch_mismatch",
                format!("This push was made for another server database; this server's epoch is {epoch}. Nothing was stored: pull again from the start, then push everything not yet acknowledged."),
            ),
            ApiError::PayloadTooLarge => (
                S::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("The body is larger than {} bytes; send fewer mutations per push.", wangge_core::sync::MAX_PUSH_BYTES),
            ),
            ApiError::BatchTooLarge(message) => (S::PAYLOAD_TOO_LARGE, "batch_too_large", message),
            ApiError::Db(err) => {
                // The detail goes to the log, never to the client.
                tracing::error!(error = %err, "database error");
                (S::INTERNAL_SERVER_ERROR, "internal", GENERIC_500.to_string())
            }
            ApiError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                (S::INTERNAL_SERVER_ERROR, "internal", GENERIC_500.to_string())
            }
        };
        let mut error = json!({ "code": code, "message": message });
        if let Some(epoch) = epoch {
            error["epoch"] = json!(epoch);
        }
        (status, Json(json!({ "error": error }))).into_response()
    }
}
