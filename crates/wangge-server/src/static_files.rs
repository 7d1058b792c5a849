//! Serves the built PWA: precompressed files when the browser accepts them, the app's
//! `index.html` for client-side routes (under `/admin/`, the administration app's own
//! `admin/index.html`, never the worker app's shell), and cache headers that let hashed assets stay
//! cached forever while the shell and service worker are always revalidated. Hidden
//! paths (any segment starting with `.`) are 404, and no file outside `dist` is ever
//! served through a symlink (`confined_dir.rs`).

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use percent_encoding::percent_decode_str;
use tower_http::services::{ServeDir, ServeFile};

use crate::confined_dir::{is_hidden, ConfinedDir};
use crate::AppState;

pub(crate) fn router(dist: &Path) -> Router<AppState> {
    // Brotli first when the browser offers it (HTTPS), gzip otherwise.
    let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
    let files =
        ServeDir::with_backend(dist, ConfinedDir::new(dist)).precompressed_br().precompressed_gzip().fallback(index);
    // The administration app (crates/wangge-admin, built into dist/admin) has its own
    // shell for its own client routes (`/admin/grids` …).
    let admin_dir = dist.join("admin");
    let admin_index = ServeFile::new(admin_dir.join("index.html")).precompressed_br().precompressed_gzip();
    let admin = ServeDir::with_backend(&admin_dir, ConfinedDir::new(&admin_dir))
        .precompressed_br()
        .precompressed_gzip()
        .fallback(admin_index);
    Router::new()
        .nest_service("/admin", admin)
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn(refuse_hidden))
}

/// `/.env`, `/.git/config`, `/icons/%2e%2e/x`: 404, whether or not such a file exists
/// (without this a missing one would get the app's shell, as a client-side route does).
/// Decoded first, as `ServeDir` decodes it, so `%2e` and `%2f` cannot slip past.
async fn refuse_hidden(req: Request, next: Next) -> Response {
    let hidden = match percent_decode_str(req.uri().path()).decode_utf8() {
        Ok(path) => is_hidden(Path::new(path.trim_start_matches('/'))),
        Err(_) => true,
    };
    if hidden {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    next.run(req).await
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let immutable = is_content_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let value = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        // The shell, manifest and service worker must be revalidated so a deploy is seen.
        "no-cache"
    };
    res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// Trunk names built assets `name-<16 hex digits>.ext` (the wasm `name-<hash>_bg.wasm`);
/// such a name never changes content.
fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn trunk_hashed_names_are_immutable_and_the_shell_is_not() {
        assert!(is_content_hashed("/wangge-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_content_hashed("/wangge-1a2b3c4d5e6f7a8b.js"));
        assert!(is_content_hashed("/main-0123456789abcdef.css"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/sw.js"));
        assert!(!is_content_hashed("/icons/icon-192.png"));
    }
}
