//! `PUT|HEAD|GET /api/v1/photos/{hash}`: photo bytes by the SHA-256 they hash to, apart
//! from the record stream (a record carries only a core `PhotoRef`). An upload is
//! idempotent (201 `{"stored": true}` the first time, 200 `{"stored": false}` after), is
//! checked for type, size and hash before anything is written, and is durable when
//! answered. **A photo is answered only to someone who may see it** (`Db::visible_photo`,
//! asked on every GET and HEAD): anyone else gets the 404 of a photo that does not exist.
//! Photo answers are the API's one exception to `no-store`: their bytes never change under
//! a hash, so a phone's browser may keep them (`private`, never a shared cache).
//! Nothing here logs more than the hash and a size.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use wangge_core::photo::PhotoHash;

use crate::auth::Auth;
use crate::db::NewPhoto;
use crate::error::{ApiError, ErrorBody};
use crate::photos::{looks_like, PhotoStore, MAX_PHOTO_BYTES, PHOTO_TYPES};
use crate::AppState;

/// What a photo answer carries instead of `no-store` (`routes/mod.rs` leaves a response
/// marked with [`PhotoCache`] alone).
const PHOTO_CACHE: &str = "private, max-age=31536000, immutable";

/// Marks a response whose `Cache-Control` the API's `no-store` rule must not replace.
#[derive(Debug, Clone, Copy)]
pub(super) struct PhotoCache;

/// The answer to an upload.
#[derive(Serialize, ToSchema)]
pub(crate) struct Uploaded {
    /// True if this request stored the photo, false if the server already had it.
    stored: bool,
}

fn parse_hash(hash: &str) -> Result<PhotoHash, ApiError> {
    PhotoHash::parse(hash)
        .map_err(|e| ApiError::bad_request("photo_hash_malformed", format!("{} / {}", e.message_zh(), e.message_en())))
}

fn wrong_type() -> ApiError {
    ApiError::UnsupportedType {
        code: "photo_type",
        message: "照片只能是 JPEG、WebP 或 PNG 图片 / A photo must be a JPEG, WebP or PNG image (Content-Type image/jpeg, image/webp or image/png, with bytes to match).".into(),
    }
}

fn too_large() -> ApiError {
    ApiError::TooLarge {
        code: "photo_too_large",
        message: format!(
            "照片超过 {} MB,请压缩后再上传 / The photo is larger than {} MiB; the app resizes photos before sending, so update it or resize this one.",
            MAX_PHOTO_BYTES >> 20,
            MAX_PHOTO_BYTES >> 20
        ),
    }
}

/// The declared type, if it is one the server takes (parameters such as `; q=…` ignored).
fn content_type(headers: &HeaderMap) -> Result<&'static str, ApiError> {
    let declared = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    PHOTO_TYPES.into_iter().find(|t| *t == essence).ok_or_else(wrong_type)
}

/// The body, refused as soon as it is known to be too large (by its `Content-Length`, or
/// while reading one that has none).
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_PHOTO_BYTES as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_PHOTO_BYTES).await.map_err(|_| too_large())
}

/// Runs a store call on a blocking thread (disk now, maybe a network client later).
async fn blocking<T: Send + 'static>(
    store: &Arc<dyn PhotoStore>,
    f: impl FnOnce(&dyn PhotoStore) -> std::io::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || f(store.as_ref()))
        .await
        .map_err(|e| ApiError::Internal(format!("photo store thread: {e}")))?
        .map_err(|e| ApiError::Internal(format!("photo store: {e}")))
}

/// Uploads a photo (or its thumbnail) under the SHA-256 of its bytes.
#[utoipa::path(
    put,
    path = "/api/v1/photos/{hash}",
    tag = "photos",
    security(("device_token" = [])),
    params(("hash" = String, Path, description = "SHA-256 of the body, 64 lowercase hex characters", pattern = "^[0-9a-f]{64}$")),
    request_body(description = "The image bytes (at most 1 MiB)", content(
        (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"), (Vec<u8> = "image/png")
    )),
    responses(
        (status = 200, description = "Already stored; nothing written", body = Uploaded),
        (status = 201, description = "Stored, durably", body = Uploaded),
        (status = 400, description = "The hash is not 64 lowercase hex characters (`photo_hash_malformed`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 413, description = "Larger than 1 MiB (`photo_too_large`)", body = ErrorBody),
        (status = 415, description = "Not a JPEG, WebP or PNG, by its Content-Type or its bytes (`photo_type`)", body = ErrorBody),
        (status = 422, description = "The body's SHA-256 is not the hash in the path (`photo_hash_mismatch`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing acknowledged", body = ErrorBody),
    )
)]
pub(crate) async fn upload(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(hash): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let hash = parse_hash(&hash)?;
    let content_type = content_type(&headers)?;
    let bytes = read_body(&headers, body).await?;
    if !looks_like(content_type, &bytes) {
        return Err(wrong_type());
    }
    let digest = crate::auth::hex(&Sha256::digest(&bytes));
    if digest != hash.as_str() {
        return Err(ApiError::Unprocessable {
            code: "photo_hash_mismatch",
            message: "照片内容与编号不符,可能上传时损坏,请重新上传 / The body's SHA-256 is not the hash in the path; the upload was probably cut short. Send it again.".into(),
        });
    }
    let known = state.db.photo_known(hash.clone()).await?;
    let h = hash.clone();
    let on_disk = blocking(&state.photos, move |s| s.exists(&h)).await?;
    if known && on_disk {
        return Ok((StatusCode::OK, Json(Uploaded { stored: false })).into_response());
    }
    if !on_disk {
        let (h, b) = (hash.clone(), bytes.clone());
        blocking(&state.photos, move |s| s.put(&h, &b)).await?;
    }
    let size = bytes.len();
    state.db.add_photo(caller.user, NewPhoto { hash: hash.clone(), bytes: size, content_type }).await?;
    tracing::info!(photo = %hash, bytes = size, "photo stored");
    Ok((StatusCode::CREATED, Json(Uploaded { stored: true })).into_response())
}

/// The headers every photo answer carries, with the marker that keeps them.
fn photo_response(content_type: &str, body: Body) -> Result<Response, ApiError> {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    let ct = HeaderValue::from_str(content_type).map_err(|_| ApiError::Internal("stored content type".into()))?;
    headers.insert(CONTENT_TYPE, ct);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(PHOTO_CACHE));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response.extensions_mut().insert(PhotoCache);
    Ok(response)
}

fn not_found() -> ApiError {
    ApiError::Unknown {
        code: "unknown_photo",
        message: "没有这张照片,或您无权查看 / No such photo, or not one you may see.".into(),
    }
}

/// Whether the server holds a photo the caller may see, so a phone can skip sending it.
#[utoipa::path(
    head,
    path = "/api/v1/photos/{hash}",
    tag = "photos",
    security(("device_token" = [])),
    params(("hash" = String, Path, description = "SHA-256 of the photo, 64 lowercase hex characters", pattern = "^[0-9a-f]{64}$")),
    responses(
        (status = 200, description = "Stored, and the caller may see it (no body)"),
        (status = 400, description = "The hash is malformed (`photo_hash_malformed`)"),
        (status = 401, description = "No valid device token"),
        (status = 404, description = "Not stored, or not one the caller may see (`unknown_photo`)"),
        (status = 500, description = "The server failed"),
    )
)]
pub(crate) async fn head(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    let hash = parse_hash(&hash)?;
    let Some(content_type) = state.db.visible_photo(caller.user, hash.clone()).await? else {
        return Err(not_found());
    };
    if !blocking(&state.photos, move |s| s.exists(&hash)).await? {
        return Err(not_found());
    }
    photo_response(&content_type, Body::empty())
}

/// The photo's bytes, if the caller may see it.
#[utoipa::path(
    get,
    path = "/api/v1/photos/{hash}",
    tag = "photos",
    security(("device_token" = [])),
    params(("hash" = String, Path, description = "SHA-256 of the photo, 64 lowercase hex characters", pattern = "^[0-9a-f]{64}$")),
    responses(
        (status = 200, description = "The photo, as uploaded (Cache-Control: private, immutable)", content(
            (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"), (Vec<u8> = "image/png")
        )),
        (status = 400, description = "The hash is malformed (`photo_hash_malformed`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 404, description = "Not stored, or not one the caller may see (`unknown_photo`)", body = ErrorBody),
        (status = 500, description = "The server failed", body = ErrorBody),
    )
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    let hash = parse_hash(&hash)?;
    let Some(content_type) = state.db.visible_photo(caller.user, hash.clone()).await? else {
        return Err(not_found());
    };
    let h = hash.clone();
    let Some(bytes) = blocking(&state.photos, move |s| s.get(&h)).await? else {
        // Known to the database but gone from the store (a restore without the photos
        // folder): the phone shows it as missing; the operator learns which.
        tracing::warn!(photo = %hash, "photo listed but not in the store");
        return Err(not_found());
    };
    photo_response(&content_type, Body::from(bytes))
}
