//! The JSON API under `/api`. Versioned routes live under `/v1`; anything else under
//! `/api` is a JSON 404 so a client never mistakes the app's HTML for an answer. Every API
//! answer is `Cache-Control: no-store`, but a photo's bytes (`photos.rs`).
//!
//! The `/v1` routes are one table (`v1_routes`): the router is built from it, and a test
//! compares it with the OpenAPI document (`openapi.rs`), so no route goes undocumented.

mod admin;
mod admin_grids;
mod admin_handover;
mod admin_users;
mod auth;
mod export;
mod health;
mod import;
mod openapi;
mod photos;
mod query;
mod sync;

use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::handler::Handler;
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::http::Method;
use axum::response::Response;
use axum::routing::{any, on, MethodFilter, MethodRouter};
use axum::Router;
use tower_http::compression::CompressionLayer;
use wangge_core::sync::MAX_PUSH_BYTES;

use crate::error::ApiError;
use crate::AppState;

/// Login bodies (and an administrator's new password) are a few hundred bytes; anything
/// far larger is not one.
const MAX_LOGIN_BYTES: usize = 16 * 1024;

/// A whole phone's export file: a village's roster with its history runs to megabytes.
const MAX_EXPORT_FILE_BYTES: usize = 64 << 20;

/// One route of the API: its method and path under `/api/v1`, and what answers it.
struct Route {
    /// Read by the test that compares the routes with the OpenAPI document.
    #[cfg_attr(not(test), allow(dead_code))]
    method: Method,
    path: &'static str,
    handler: MethodRouter<AppState>,
}

/// A route whose handler answers `method` only (the router adds the JSON 405 for others).
fn route<H, T>(method: Method, path: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    Route { method, path, handler: on(filter, handler) }
}

fn v1_routes() -> Vec<Route> {
    let mut login = route(Method::POST, "/auth/login", auth::login);
    login.handler = login.handler.layer(DefaultBodyLimit::max(MAX_LOGIN_BYTES));
    let mut push = route(Method::POST, "/sync/push", sync::push);
    push.handler = push.handler.layer(DefaultBodyLimit::max(MAX_PUSH_BYTES));
    let mut pull = route(Method::GET, "/sync/pull", sync::pull);
    // A pull page is a few hundred KB of JSON that gzip makes about 7× smaller: on a
    // 400 kbit/s village link that is seconds per page. Other answers are small.
    pull.handler = pull.handler.layer(CompressionLayer::new());
    vec![
        route(Method::GET, "/health", health::health),
        route(Method::GET, "/openapi.json", openapi::document),
        login,
        route(Method::POST, "/auth/logout", auth::logout),
        push,
        pull,
        route(Method::GET, "/export/{kind}", export::export),
        route(Method::PUT, "/photos/{hash}", photos::upload),
        route(Method::HEAD, "/photos/{hash}", photos::head),
        route(Method::GET, "/photos/{hash}", photos::get),
    ]
    .into_iter()
    .chain(admin_routes())
    .collect()
}

/// `(method, full path)` of every route the API serves, for the OpenAPI test.
#[cfg(test)]
fn served() -> Vec<(Method, String)> {
    v1_routes().into_iter().map(|r| (r.method, format!("/api/v1{}", r.path))).collect()
}

pub(crate) fn api_router() -> Router<AppState> {
    // Methods of one path share one MethodRouter (axum refuses two with a fallback each).
    let mut paths: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for r in v1_routes() {
        match paths.iter_mut().find(|(p, _)| *p == r.path) {
            Some((_, handler)) => *handler = std::mem::take(handler).merge(r.handler),
            None => paths.push((r.path, r.handler)),
        }
    }
    let v1 = paths
        .into_iter()
        .fold(Router::new(), |v1, (path, handler)| v1.route(path, handler.fallback(wrong_method)))
        .fallback(not_found);
    // Every other path under /api, matched explicitly so it never falls through to the app.
    Router::new()
        .nest("/api/v1", v1)
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        // Pulls and logins carry residents' data and tokens: no browser or proxy cache may
        // keep a copy. Simplest rule: no API answer is ever stored — but for a photo's
        // bytes, which never change under their hash and which a phone keeps (`private`).
        .layer(axum::middleware::map_response(no_store))
}

/// `Cache-Control: no-store` on every API answer but those a photo route marked.
async fn no_store(mut response: Response) -> Response {
    if response.extensions().get::<photos::PhotoCache>().is_none() {
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// For the administration screens (`admin.rs`).
fn admin_routes() -> Vec<Route> {
    let mut password = route(Method::POST, "/admin/users/{username}/password", admin::password);
    password.handler = password.handler.layer(DefaultBodyLimit::max(MAX_LOGIN_BYTES));
    let mut handover_import = route(Method::POST, "/admin/handover/import", admin_handover::import);
    handover_import.handler = handover_import.handler.layer(DefaultBodyLimit::max(MAX_EXPORT_FILE_BYTES));
    let mut import_households = route(Method::POST, "/admin/import/households", import::households);
    import_households.handler = import_households.handler.layer(DefaultBodyLimit::max(import::MAX_IMPORT_BYTES));
    let mut import_people = route(Method::POST, "/admin/import/people", import::people);
    import_people.handler = import_people.handler.layer(DefaultBodyLimit::max(import::MAX_IMPORT_BYTES));
    vec![
        route(Method::GET, "/admin/users", admin::users),
        route(Method::GET, "/admin/users/{username}/devices", admin::devices),
        route(Method::POST, "/admin/users/{username}/disable", admin::disable),
        route(Method::POST, "/admin/users/{username}/enable", admin::enable),
        password,
        route(Method::POST, "/admin/devices/{device_id}/revoke", admin::revoke),
        route(Method::POST, "/admin/records/{collection}/{id}/undelete", admin::undelete),
        route(Method::POST, "/admin/users", admin_users::create),
        route(Method::PATCH, "/admin/users/{username}", admin_users::update),
        route(Method::POST, "/admin/users/{username}/reset-password", admin_users::reset_password),
        route(Method::GET, "/admin/grids", admin_grids::list),
        route(Method::POST, "/admin/grids", admin_grids::create),
        route(Method::PATCH, "/admin/grids/{id}", admin_grids::update),
        route(Method::POST, "/admin/grids/{id}/retire", admin_grids::retire),
        route(Method::POST, "/admin/handover", admin_handover::handover),
        handover_import,
        route(Method::GET, "/admin/import/template", import::template),
        import_households,
        import_people,
        route(Method::GET, "/admin/exports", export::log),
    ]
}

/// A known path asked with the wrong method: JSON, like every other API error.
async fn wrong_method(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} {}", uri.path()))
}

/// `OriginalUri`: inside `nest` the plain `Uri` has the `/api` prefix stripped.
async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(uri.path().to_string())
}
