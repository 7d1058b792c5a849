//! The JSON API under `/api`. Versioned routes live under `/v1`; anything else under
//! `/api` is a JSON 404 so a client never mistakes the app's HTML for an answer.

mod health;

use axum::extract::OriginalUri;
use axum::routing::{any, get};
use axum::Router;

use crate::error::ApiError;
use crate::AppState;

pub(crate) fn api_router() -> Router<AppState> {
    let v1 = Router::new().route("/health", get(health::health)).fallback(not_found);
    // Every other path under /api, matched explicitly so it never falls through to the app.
    Router::new()
        .nest("/api/v1", v1)
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
}

/// `OriginalUri`: inside `nest` the plain `Uri` has the `/api` prefix stripped.
async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(uri.path().to_string())
}
