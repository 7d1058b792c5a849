//! The security headers on every response, app and API alike: a Content-Security-Policy
//! the wasm app runs under, and the three older headers for browsers that predate it.
//!
//! The policy allows no inline script at all: `xtask/src/pwa.rs` moves trunk's inline
//! loader into a file and fails the build if any inline `<script>` is left, and the
//! service worker is registered from `public/register-sw.js`. The e2e test
//! `tests/e2e/security_headers.test.cjs` runs the real app under this policy and fails on
//! any violation the browser reports.

use axum::extract::Request;
use axum::http::header::{
    HeaderName, HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::middleware::Next;
use axum::response::Response;

/// One directive per line, each there for a reason:
/// - `script-src 'wasm-unsafe-eval'`: compiling the app's WebAssembly needs it; it does
///   not allow `eval` of JavaScript.
/// - `img-src data: blob:`: CSS data URIs and photos shown from IndexedDB as blobs.
/// - `style-src 'self'`: stylesheets only; views set styles through the CSSOM
///   (`style:prop=` in Leptos), never through `style="…"` attributes.
/// - `frame-ancestors 'none'`: no other site can frame the app (clickjacking).
pub(crate) const CONTENT_SECURITY_POLICY_VALUE: &str = concat!(
    "default-src 'self'; ",
    "script-src 'self' 'wasm-unsafe-eval'; ",
    "style-src 'self'; ",
    "img-src 'self' data: blob:; ",
    "connect-src 'self'; ",
    "worker-src 'self'; ",
    "manifest-src 'self'; ",
    "object-src 'none'; ",
    "base-uri 'self'; ",
    "form-action 'self'; ",
    "frame-ancestors 'none'",
);

const HEADERS: [(HeaderName, &str); 4] = [
    (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_VALUE),
    // A file is run or shown only as the type it is served as (no sniffing JSON as HTML).
    (X_CONTENT_TYPE_OPTIONS, "nosniff"),
    // URLs can hold ids of people and issues: never send them to another site.
    (REFERRER_POLICY, "no-referrer"),
    // `frame-ancestors` for browsers without CSP level 2.
    (X_FRAME_OPTIONS, "DENY"),
];

/// Middleware: sets the headers on whatever the inner service answered, errors included.
pub(crate) async fn add(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    res
}
