//! Login, logout and the device token every sync call needs.

use serde_json::json;

use crate::helpers::{expect_error, spawn_world};
use crate::world::{self, GROUP_A};

#[tokio::test]
async fn login_gives_a_device_token_and_the_user() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    assert_eq!(s.token.len(), 64, "32 random bytes as hex");
    assert_eq!(s.device_id.len(), 32);
    let user = &s.body["user"];
    assert_eq!(user["person_id"], "p-worker-a");
    assert_eq!(user["home_grid"], GROUP_A);
    assert_eq!(user["roles"], json!(["grid_worker"]));
    assert_eq!(user["name"], "测试worker_a");
    assert!(user.get("username").is_none() && user.get("password_hash").is_none());
    // Only the token's hash is stored.
    let conn = app.sql();
    let stored: Vec<u8> =
        conn.query_row("SELECT token_hash FROM devices", wangge_server::params![], |r| r.get(0)).unwrap();
    assert_eq!(stored.len(), 32);
    assert_ne!(stored, s.token.as_bytes());
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_401() {
    let app = spawn_world().await;
    let wrong = app.login_raw(json!({"username": "worker_a", "password": "nope", "device_name": "p"})).await;
    let m1 = expect_error(wrong, 401, "invalid_credentials").await;
    let unknown = app.login_raw(json!({"username": "nobody", "password": world::PASSWORD, "device_name": "p"})).await;
    let m2 = expect_error(unknown, 401, "invalid_credentials").await;
    assert_eq!(m1, m2, "no hint which usernames exist");
}

#[tokio::test]
async fn logout_revokes_the_token_and_a_new_login_works() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    assert_eq!(app.pull_raw(&s.token, "").await.status(), 200);
    let res = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    expect_error(app.pull_raw(&s.token, "").await, 401, "token_revoked").await;
    let body = json!({"client_id": "c1", "schema_version": 1, "mutations": []});
    expect_error(app.push_raw(&s.token, &body).await, 401, "token_revoked").await;
    let again = app.login("worker_a").await;
    assert_eq!(app.pull_raw(&again.token, "").await.status(), 200);
}

#[tokio::test]
async fn a_missing_or_unknown_token_is_refused() {
    let app = spawn_world().await;
    let res = app.client.get(app.url("/api/v1/sync/pull")).send().await.unwrap();
    expect_error(res, 401, "unauthorized").await;
    expect_error(app.pull_raw(&"0".repeat(64), "").await, 401, "unauthorized").await;
    let res = app.client.get(app.url("/api/v1/sync/pull")).header("authorization", "Basic abc").send().await.unwrap();
    expect_error(res, 401, "unauthorized").await;
}
