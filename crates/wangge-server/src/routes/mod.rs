//! The JSON API under `/api`. Versioned routes live under `/v1`; anything else under
//! `/api` is a JSON 404 so a client never mistakes the app's HTML for an answer. Every API
//! answer is `Cache-Control: no-store`.

mod admin;
mod auth;
mod health;
mod sync;

use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::http::Method;
use axum::routing::{any, get, post};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use wangge_core::sync::MAX_PUSH_BYTES;

use crate::error::ApiError;
use crate::AppState;

/// Login bodies (and an administrator's new password) are a few hundred bytes; anything
/// far larger is not one.
const MAX_LOGIN_BYTES: usize = 16 * 1024;

pub(crate) fn api_router() -> Router<AppState> {
    let v1 = Router::new()
        .route("/health", get(health::health))
        .route("/auth/login", post(auth::login).layer(DefaultBodyLimit::max(MAX_LOGIN_BYTES)).fallback(wrong_method))
        .route("/auth/logout", post(auth::logout).fallback(wrong_method))
        .route("/sync/push", post(sync::push).layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)).fallback(wrong_method))
        // A pull page is a few hundred KB of JSON that gzip makes about 7× smaller: on a
        // 400 kbit/s village link that is seconds per page. Other answers are small.
        .route("/sync/pull", get(sync::pull).layer(CompressionLayer::new()).fallback(wrong_method))
        .merge(admin_routes())
        .fallback(not_found);
    // Every other path under /api, matched explicitly so it never falls through to the app.
    Router::new()
        .nest("/api/v1", v1)
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        // Pulls and logins carry residents' data and tokens: no browser or proxy cache may
        // keep a copy. Simplest rule: no API answer is ever stored.
        .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static("no-store")))
}

/// For the administration screens (`admin.rs`).
fn admin_routes() -> Router<AppState> {
    let password = post(admin::password).layer(DefaultBodyLimit::max(MAX_LOGIN_BYTES));
    Router::new()
        .route("/admin/users", get(admin::users).fallback(wrong_method))
        .route("/admin/users/{username}/devices", get(admin::devices).fallback(wrong_method))
        .route("/admin/users/{username}/disable", post(admin::disable).fallback(wrong_method))
        .route("/admin/users/{username}/enable", post(admin::enable).fallback(wrong_method))
        .route("/admin/users/{username}/password", password.fallback(wrong_method))
        .route("/admin/devices/{device_id}/revoke", post(admin::revoke).fallback(wrong_method))
        .route("/admin/records/{collection}/{id}/undelete", post(admin::undelete).fallback(wrong_method))
}

/// A known path asked with the wrong method: JSON, like every other API error.
async fn wrong_method(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} {}", uri.path()))
}

/// `OriginalUri`: inside `nest` the plain `Uri` has the `/api` prefix stripped.
async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(uri.path().to_string())
}
