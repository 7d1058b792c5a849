//! Security headers on the app and the API, `no-store` on API answers, and the `Host`
//! allow-list (DNS-rebinding protection).

use reqwest::header::HOST;
use serde_json::json;
use wangge_server::Config;

use crate::helpers::{expect_error, spawn_app_with_static, spawn_with, spawn_world};
use crate::world;

/// The policy the app is built for; `tests/e2e/security_headers.test.cjs` proves the app
/// runs under it without a violation.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    let h = res.headers();
    assert_eq!(h["content-security-policy"], CSP, "{what}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
}

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<html>shell</html>").unwrap();
    std::fs::write(dir.path().join("wangge-0123456789abcdef.js"), "// app").unwrap();
    dir
}

#[tokio::test]
async fn the_app_and_the_api_carry_the_security_headers() {
    let dist = dist();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    for path in ["/", "/issues/abc", "/wangge-0123456789abcdef.js", "/.env", "/api/v1/health", "/api/v1/missing"] {
        let res = app.get(path).await;
        assert_security_headers(&res, path);
    }
    let login = app.login_raw(json!({"username": "nobody", "password": "x", "device_name": "p"})).await;
    assert_eq!(login.status(), 401);
    assert_security_headers(&login, "a refused login");
}

#[tokio::test]
async fn api_answers_are_never_stored_and_static_files_keep_their_cache_headers() {
    let app = spawn_world().await;
    let session = app.login(world::users()[0].username.as_str()).await;
    let pull = app.pull_raw(&session.token, "?cursor=0&limit=10").await;
    assert_eq!(pull.status(), 200);
    assert_eq!(pull.headers()["cache-control"], "no-store", "a pull carries residents' data");
    let login = app.login_raw(json!({"username": "worker_a", "password": world::PASSWORD, "device_name": "p"})).await;
    assert_eq!(login.headers()["cache-control"], "no-store", "a login carries a token");
    let push = app
        .push_raw(&session.token, &json!({"client_id": session.device_id, "schema_version": 1, "mutations": []}))
        .await;
    assert_eq!(push.headers()["cache-control"], "no-store", "push");
    for path in ["/api/v1/health", "/api/v1/missing"] {
        assert_eq!(app.get(path).await.headers()["cache-control"], "no-store", "{path}");
    }

    let dist = dist();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    assert_eq!(app.get("/").await.headers()["cache-control"], "no-cache");
    let asset = app.get("/wangge-0123456789abcdef.js").await;
    assert!(asset.headers()["cache-control"].to_str().unwrap().contains("immutable"));
}

#[tokio::test]
async fn on_loopback_a_foreign_host_is_refused_and_the_loopback_names_answer() {
    let dist = dist();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    let port = app.addr.port();
    for path in ["/api/v1/health", "/", "/wangge-0123456789abcdef.js"] {
        let res = app.client.get(app.url(path)).header(HOST, format!("rebound.example:{port}")).send().await.unwrap();
        assert_security_headers(&res, path);
        let message = expect_error(res, 421, "host_not_allowed").await;
        assert!(message.contains("rebound.example"), "{message}");
    }
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}"), "LocalHost".into()]
    {
        let res = app.client.get(app.url("/api/v1/health")).header(HOST, &host).send().await.unwrap();
        assert_eq!(res.status(), 200, "{host}");
    }
}

#[tokio::test]
async fn a_configured_host_answers_at_any_port_and_others_are_refused() {
    let app =
        spawn_with(Config { allowed_hosts: vec!["wangge.example.org".into()], load_demo: false, ..Config::default() })
            .await;
    for host in ["wangge.example.org", "wangge.example.org:8443", "WANGGE.example.org:80"] {
        let res = app.client.get(app.url("/api/v1/health")).header(HOST, host).send().await.unwrap();
        assert_eq!(res.status(), 200, "{host}");
    }
    for host in ["example.org", "wangge.example.org.evil.example", "evil.example"] {
        let res = app.client.get(app.url("/api/v1/health")).header(HOST, host).send().await.unwrap();
        expect_error(res, 421, "host_not_allowed").await;
    }
}
