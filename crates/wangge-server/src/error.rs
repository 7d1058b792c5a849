//! `ApiError`: every failure a handler can return, mapped to a status code and the API's
//! one JSON error shape `{"error": {"code", "message"}}` in a single `match`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API path: {0}")]
    NotFound(String),
    /// Bad input the caller can fix; `code` is stable for programs, `message` for people.
    #[error("{code}: {message}")]
    BadRequest { code: &'static str, message: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            ApiError::NotFound(path) => {
                (StatusCode::NOT_FOUND, "not_found", format!("No API endpoint at {path}"))
            }
            ApiError::BadRequest { code, message } => (StatusCode::BAD_REQUEST, code, message),
            ApiError::Db(err) => {
                // The detail goes to the log, never to the client.
                tracing::error!(error = %err, "database error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "The server could not complete the request; nothing was changed. Try again later."
                        .to_string(),
                )
            }
        };
        (status, Json(json!({ "error": { "code": code, "message": message } }))).into_response()
    }
}
