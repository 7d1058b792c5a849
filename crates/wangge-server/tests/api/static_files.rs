//! Serving the PWA: client-side routes get the shell, hashed assets are cached forever,
//! the shell and service worker are revalidated, and `/api` never answers with HTML.

use crate::helpers::spawn_app_with_static;

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<html>shell</html>").unwrap();
    std::fs::write(dir.path().join("sw.js"), "// sw").unwrap();
    std::fs::write(dir.path().join("wangge-0123456789abcdef.js"), "// app").unwrap();
    dir
}

#[tokio::test]
async fn client_side_routes_get_the_shell_and_revalidate() {
    let dist = dist();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    for path in ["/", "/issues/abc"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(res.text().await.unwrap(), "<html>shell</html>");
    }
    assert_eq!(app.get("/sw.js").await.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn hashed_assets_are_immutable() {
    let dist = dist();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    let res = app.get("/wangge-0123456789abcdef.js").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
}

#[tokio::test]
async fn api_paths_stay_json_when_the_app_is_served() {
    let dist = dist();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    let res = app.get("/api/v1/missing").await;
    assert_eq!(res.status(), 404);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
}

#[tokio::test]
async fn brotli_is_sent_when_offered_and_gzip_otherwise() {
    let dist = dist();
    let js = dist.path().join("wangge-0123456789abcdef.js");
    std::fs::write(js.with_extension("js.br"), b"brotli bytes").unwrap();
    std::fs::write(js.with_extension("js.gz"), b"gzip bytes").unwrap();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    let client = reqwest::Client::new();
    for (offer, encoding, body) in [
        ("gzip, deflate, br", "br", &b"brotli bytes"[..]),
        ("gzip, deflate", "gzip", &b"gzip bytes"[..]),
    ] {
        let res = client
            .get(app.url("/wangge-0123456789abcdef.js"))
            .header("accept-encoding", offer)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-encoding"], encoding, "{offer}");
        assert_eq!(&res.bytes().await.unwrap()[..], body, "{offer}");
    }
}
