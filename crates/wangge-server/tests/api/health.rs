//! The health endpoint, the JSON 404 for unknown API paths, and the database set-up.

use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_server_and_schema_versions() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/health").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["server_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["schema_version"], wangge_core::SCHEMA_VERSION);
    assert!(body["db_schema_version"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn unknown_api_paths_get_a_json_404() {
    let app = spawn_app().await;
    for path in ["/api/v1/nope", "/api/v2/health", "/api/", "/api/v1/health/extra"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
        let ct = ct.unwrap_or_else(|| panic!("{path}: no content-type"));
        assert!(ct.starts_with("application/json"), "{path}: {ct}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}");
        assert!(body["error"]["message"].as_str().unwrap().contains(path));
    }
}

#[tokio::test]
async fn the_database_file_is_created_in_wal_mode() {
    let app = spawn_app().await;
    app.get("/api/v1/health").await;
    if crate::test_db::on_postgres() {
        // No file: the schema's first step made the epoch as SQLite's does.
        let epoch: String = app
            .sql()
            .query_row("SELECT value FROM server_meta WHERE key = 'epoch'", wangge_server::params![], |r| r.get(0))
            .unwrap();
        assert!(epoch.len() == 32 && epoch.bytes().all(|b| b.is_ascii_hexdigit()), "a random 128-bit epoch: {epoch}");
        return;
    }
    let path = app.data.path().join("wangge.sqlite3");
    assert!(path.exists(), "database file created in the data folder");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let epoch: String = conn.query_row("SELECT value FROM server_meta WHERE key = 'epoch'", [], |r| r.get(0)).unwrap();
    assert_eq!(epoch.len(), 32, "a random 128-bit epoch");
}
