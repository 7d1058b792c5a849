//! `ApiError`: every failure a handler can return, mapped to a status code and the API's
//! one JSON error shape `{"error": {"code", "message"}}` in a single `match` (plus
//! `epoch` on `epoch_mismatch`, the one error a device answers without asking again, and
//! `retry_after` seconds, also sent as a `Retry-After` header, on `too_many_attempts` and
//! `busy`).

use std::time::Duration;

use axum::http::header::RETRY_AFTER;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

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
    /// A named account or device that does not exist or lies outside the caller's scope
    /// (one answer for both): 404 with `code` (`unknown_user`, `unknown_device`).
    #[error("{code}: {message}")]
    Unknown { code: &'static str, message: String },
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
    /// A body larger than the endpoint accepts; the message says what that endpoint takes.
    #[error("payload too large")]
    PayloadTooLarge(&'static str),
    #[error("{0}")]
    BatchTooLarge(String),
    /// A body over an endpoint's own limit, with that endpoint's code (`photo_too_large`).
    #[error("{code}: {message}")]
    TooLarge { code: &'static str, message: String },
    /// A body of a type the endpoint does not take: 415 (`photo_type`).
    #[error("{code}: {message}")]
    UnsupportedType { code: &'static str, message: String },
    /// A body that is well-formed but does not match what the request says it is: 422
    /// (`photo_hash_mismatch`).
    #[error("{code}: {message}")]
    Unprocessable { code: &'static str, message: String },
    /// Too many failed logins for this username or from this address: 429
    /// `too_many_attempts`; the password was not checked.
    #[error("too many failed logins; retry after {retry_after:?}")]
    TooManyAttempts { retry_after: Duration },
    /// Every password check is taken and none came free in time: 503 `busy`.
    #[error("busy; retry after {retry_after:?}")]
    Busy { retry_after: Duration },
    /// The `Host` (the name in the browser's address bar) is not one this server answers
    /// to: 421 `host_not_allowed` (DNS-rebinding protection, `allowed_hosts.rs`). Empty
    /// when the request named no host at all.
    #[error("host not allowed: {0}")]
    HostNotAllowed(String),
    /// An administrator's action refused (`admin_rules::Refused`), `grid_not_empty` with
    /// the counts of what still lives in the grid.
    #[error("{}: {}", .0.code, .0.message)]
    Refused(crate::admin_rules::Refused),
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

/// The body of every error answer (the type the OpenAPI document names, so the two agree).
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable, for programs (e.g. `seq_gap`, `invalid_credentials`).
    #[schema(value_type = String)]
    code: &'static str,
    /// For people: what went wrong and what to do.
    message: String,
    /// This server's epoch, on `epoch_mismatch` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    epoch: Option<String>,
    /// Seconds to wait, on `too_many_attempts` and `busy` only (also the `Retry-After` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
    /// `grid_not_empty` only: what still lives in the grid.
    #[serde(skip_serializing_if = "Option::is_none")]
    households: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    open_issues: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    staff: Option<u64>,
}

const GENERIC_500: &str = "The server could not complete the request; nothing was changed. Try again later.";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        use StatusCode as S;
        let epoch = match &self {
            ApiError::EpochMismatch { epoch } => Some(epoch.clone()),
            _ => None,
        };
        let retry_after = match &self {
            ApiError::TooManyAttempts { retry_after } | ApiError::Busy { retry_after } => {
                Some(whole_seconds(*retry_after))
            }
            _ => None,
        };
        let contents = match &self {
            ApiError::Refused(r) => r.contents,
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
            ApiError::Unknown { code, message } => (S::NOT_FOUND, code, message),
            ApiError::Conflict { code, message } => (S::CONFLICT, code, message),
            ApiError::EpochMismatch { epoch } => (
                S::CONFLICT,
                "epoch_mismatch",
                format!("This push was made for another server database; this server's epoch is {epoch}. Nothing was stored: pull again from the start, then push everything not yet acknowledged."),
            ),
            ApiError::PayloadTooLarge(message) => (S::PAYLOAD_TOO_LARGE, "payload_too_large", message.to_string()),
            ApiError::BatchTooLarge(message) => (S::PAYLOAD_TOO_LARGE, "batch_too_large", message),
            ApiError::TooLarge { code, message } => (S::PAYLOAD_TOO_LARGE, code, message),
            ApiError::UnsupportedType { code, message } => (S::UNSUPPORTED_MEDIA_TYPE, code, message),
            ApiError::Unprocessable { code, message } => (S::UNPROCESSABLE_ENTITY, code, message),
            ApiError::TooManyAttempts { retry_after } => {
                let (zh, en) = wait_text(whole_seconds(retry_after));
                (S::TOO_MANY_REQUESTS, "too_many_attempts", format!("登录失败次数过多，请{zh}后再试 / Too many failed logins; try again in {en}."))
            }
            ApiError::Busy { retry_after } => {
                let (zh, en) = wait_text(whole_seconds(retry_after));
                (S::SERVICE_UNAVAILABLE, "busy", format!("服务器正忙，请{zh}后再试 / The server is busy; try again in {en}."))
            }
            ApiError::HostNotAllowed(host) if host.is_empty() => {
                (S::MISDIRECTED_REQUEST, "host_not_allowed", "The request names no host; this server answers only to the host names it is configured for.".to_string())
            }
            ApiError::HostNotAllowed(host) => (
                S::MISDIRECTED_REQUEST,
                "host_not_allowed",
                format!("This server does not answer to the host {host}. If it is deployed under that name, start it with --allowed-host and the name."),
            ),
            ApiError::Refused(r) => {
                use crate::admin_rules::RefusalKind as K;
                let status = match r.kind {
                    K::Invalid => S::BAD_REQUEST,
                    K::Forbidden => S::FORBIDDEN,
                    K::Unknown => S::NOT_FOUND,
                    K::Conflict => S::CONFLICT,
                };
                (status, r.code, r.message)
            }
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
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message,
                epoch,
                retry_after,
                households: contents.map(|c| c.households),
                open_issues: contents.map(|c| c.open_issues),
                children: contents.map(|c| c.children),
                staff: contents.map(|c| c.staff),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(RETRY_AFTER, secs.into());
        }
        response
    }
}

/// Rounded up, and at least 1: "retry after 0 s" would invite an immediate retry that is
/// refused again.
fn whole_seconds(d: Duration) -> u64 {
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

/// The wait in words: seconds under two minutes, else whole minutes (rounded up).
fn wait_text(secs: u64) -> (String, String) {
    if secs < 120 {
        (format!(" {secs} 秒"), format!("{secs} s"))
    } else {
        let min = secs.div_ceil(60);
        (format!(" {min} 分钟"), format!("{min} min"))
    }
}

impl From<crate::admin_rules::Refused> for ApiError {
    fn from(r: crate::admin_rules::Refused) -> ApiError {
        ApiError::Refused(r)
    }
}
