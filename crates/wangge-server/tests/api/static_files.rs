//! Serving the PWA: client-side routes get the shell (under `/admin/`, the administration
//! app's own), hashed assets are cached forever,
//! the shell and service worker are revalidated, `/api` never answers with HTML, hidden
//! paths are 404 and symlinks out of `dist` are never followed.

use crate::helpers::spawn_app_with_static;

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<html>shell</html>").unwrap();
    std::fs::write(dir.path().join("sw.js"), "// sw").unwrap();
    std::fs::write(dir.path().join("wangge-0123456789abcdef.js"), "// app").unwrap();
    std::fs::create_dir(dir.path().join("admin")).unwrap();
    std::fs::write(dir.path().join("admin/index.html"), "<html>admin</html>").unwrap();
    std::fs::write(dir.path().join("admin/wangge-admin-0123456789abcdef.js"), "// admin").unwrap();
    dir
}

#[tokio::test]
async fn admin_routes_get_the_admin_shell_never_the_worker_shell() {
    let dist = dist();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    for path in ["/admin", "/admin/", "/admin/grids", "/admin/import/x"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(res.text().await.unwrap(), "<html>admin</html>", "{path}");
    }
    let res = app.get("/admin/wangge-admin-0123456789abcdef.js").await;
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(res.text().await.unwrap(), "// admin");
    assert_eq!(
        app.get("/administer").await.text().await.unwrap(),
        "<html>shell</html>",
        "only the /admin folder is the admin app's"
    );
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
    for (offer, encoding, body) in
        [("gzip, deflate, br", "br", &b"brotli bytes"[..]), ("gzip, deflate", "gzip", &b"gzip bytes"[..])]
    {
        let res =
            client.get(app.url("/wangge-0123456789abcdef.js")).header("accept-encoding", offer).send().await.unwrap();
        assert_eq!(res.headers()["content-encoding"], encoding, "{offer}");
        assert_eq!(&res.bytes().await.unwrap()[..], body, "{offer}");
    }
}

/// A dist as a careless deploy might leave it: secrets in dotfiles, a checkout's `.git`,
/// and symlinks pointing out of the folder.
fn dist_with_traps() -> tempfile::TempDir {
    let dist = dist();
    let d = dist.path();
    std::fs::write(d.join(".env"), "SECRET=1").unwrap();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::write(d.join(".git/config"), "[core]").unwrap();
    std::fs::create_dir_all(d.join("icons")).unwrap();
    std::fs::write(d.join("icons/icon.svg"), "<svg/>").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", d.join("passwd.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", d.join("etc")).unwrap();
    // A precompressed copy that is a link out: `ServeDir` would open it before the file.
    std::os::unix::fs::symlink("/etc/passwd", d.join("wangge-0123456789abcdef.js.gz")).unwrap();
    // A link that stays inside is fine.
    std::os::unix::fs::symlink(d.join("icons/icon.svg"), d.join("logo.svg")).unwrap();
    dist
}

#[tokio::test]
async fn dotfiles_are_not_found_whether_or_not_they_exist() {
    let dist = dist_with_traps();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    for path in [
        "/.env",
        "/.git/config",
        "/.git/",
        "/icons/.hidden",
        "/%2eenv",
        "/icons%2f.env",
        "/.well-known/x",
        "/icons/../.env",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        let body = res.text().await.unwrap();
        assert!(!body.contains("SECRET") && !body.contains("[core]") && !body.contains("shell"), "{path}: {body}");
    }
}

#[tokio::test]
async fn symlinks_out_of_dist_are_never_followed() {
    let dist = dist_with_traps();
    let app = spawn_app_with_static(Some(dist.path().to_path_buf())).await;
    // Treated as absent: the shell answers, as for any unknown route.
    for path in ["/passwd.txt", "/etc/passwd", "/etc", "/etc/"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.text().await.unwrap(), "<html>shell</html>", "{path}");
    }
    let gz = reqwest::Client::new()
        .get(app.url("/wangge-0123456789abcdef.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.status(), 200);
    assert!(gz.headers().get("content-encoding").is_none(), "the precompressed copy linking out is skipped");
    assert_eq!(gz.text().await.unwrap(), "// app");
    let inside = app.get("/logo.svg").await;
    assert_eq!(inside.status(), 200, "a link within dist still works");
    assert_eq!(inside.text().await.unwrap(), "<svg/>");
}
