//! `ApiJson<T>`: axum's `Json` extractor answers bad bodies in plain text; this one answers
//! in the API's JSON error shape, saying what is wrong (too large, not JSON, which field).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub(crate) struct ApiJson<T>(pub(crate) T);

// The push message below names this limit in words.
const _: () = assert!(wangge_core::sync::MAX_PUSH_BYTES == 1 << 20);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Each endpoint's own limit, in words a caller can act on.
        let is_push = req.uri().path().ends_with("/sync/push");
        let too_large = if is_push {
            "The push body is larger than 1 MiB; send fewer mutations per push."
        } else {
            "The request body is larger than this endpoint accepts (a login or a new password is a few hundred bytes)."
        };
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge(too_large)
            } else {
                ApiError::bad_request("bad_body", "The request body could not be read.")
            }
        })?;
        // Not a push: there each mutation is checked alone (`routes/sync.rs`), since a
        // whole batch refused for one field would stop a phone's outbox for good.
        if !is_push && crate::nul_guard::json_has_nul(&bytes) {
            return Err(ApiError::bad_request("bad_text", crate::nul_guard::MESSAGE));
        }
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            ApiError::bad_request("bad_json", format!("The request body is not what this endpoint expects: {e}"))
        })
    }
}
