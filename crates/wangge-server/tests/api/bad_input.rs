//! Every bad input gets a specific 4xx with a JSON `error.code`, never axum's plain text.

use serde_json::json;

use crate::helpers::{expect_error, spawn_world, TestApp};
use crate::world::{household_json, put, GROUP_A};

async fn push_text(app: &TestApp, token: &str, body: String) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/sync/push"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn malformed_json_unknown_fields_and_wrong_types_are_bad_json() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    expect_error(push_text(&app, &s.token, "{not json".into()).await, 400, "bad_json").await;
    let unknown = json!({"client_id": "c", "schema_version": 1, "mutations": [], "extra": true});
    let msg = expect_error(app.push_raw(&s.token, &unknown).await, 400, "bad_json").await;
    assert!(msg.contains("extra"), "says which field: {msg}");
    let wrong_type = json!({"client_id": "c", "schema_version": "1", "mutations": []});
    expect_error(app.push_raw(&s.token, &wrong_type).await, 400, "bad_json").await;
    let no_seq = json!({"client_id": "c", "schema_version": 1, "mutations": [{"op": "delete"}]});
    let msg = expect_error(app.push_raw(&s.token, &no_seq).await, 400, "bad_json").await;
    assert!(msg.contains("mutations[0].seq"), "{msg}");
    let bad_client = json!({"client_id": "", "schema_version": 1, "mutations": []});
    expect_error(app.push_raw(&s.token, &bad_client).await, 400, "bad_client_id").await;
    let res = app.client.post(app.url("/api/v1/auth/login")).body("{\"username\": 1}").send().await.unwrap();
    expect_error(res, 400, "bad_json").await;
}

#[tokio::test]
async fn another_schema_version_is_refused() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let body = json!({"client_id": "c", "schema_version": wangge_core::SCHEMA_VERSION + 1, "mutations": []});
    expect_error(app.push_raw(&s.token, &body).await, 409, "schema_version").await;
}

#[tokio::test]
async fn an_oversized_body_and_too_many_mutations_are_refused() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let big = format!(
        "{{\"client_id\": \"c\", \"schema_version\": 1, \"mutations\": [], \"pad\": \"{}\"}}",
        "x".repeat(wangge_core::sync::MAX_PUSH_BYTES)
    );
    let message = expect_error(push_text(&app, &s.token, big).await, 413, "payload_too_large").await;
    assert!(message.contains("fewer mutations"), "{message}");
    // A login has its own limit and its own words (it used to name the push limit).
    let huge_login = json!({"username": "x".repeat(20_000), "password": "p", "device_name": "d"});
    let message = expect_error(app.login_raw(huge_login).await, 413, "payload_too_large").await;
    assert!(!message.contains("mutations") && message.contains("login"), "{message}");
    let n = wangge_core::sync::MAX_PUSH_MUTATIONS as u64 + 1;
    let many: Vec<_> =
        (1..=n).map(|i| json!({"seq": i, "op": "delete", "collection": "visits", "id": "v", "base": 0})).collect();
    let body = json!({"client_id": "c", "schema_version": 1, "mutations": many});
    expect_error(app.push_raw(&s.token, &body).await, 413, "batch_too_large").await;
    // Nothing of it was stored: seq 1 is still next.
    let ok = app.push(&s.token, "c", vec![put(1, "households", &household_json("hh-1", GROUP_A), 0)]).await;
    assert_eq!(ok.acked_seq, 1);
}

#[tokio::test]
async fn a_bad_cursor_limit_or_parameter_is_refused() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    expect_error(app.pull_raw(&s.token, "?cursor=abc").await, 400, "bad_cursor").await;
    expect_error(app.pull_raw(&s.token, "?cursor=-1").await, 400, "bad_cursor").await;
    expect_error(app.pull_raw(&s.token, "?limit=0").await, 400, "bad_limit").await;
    expect_error(app.pull_raw(&s.token, "?limit=many").await, 400, "bad_limit").await;
    expect_error(app.pull_raw(&s.token, "?since=3").await, 400, "bad_query").await;
    let capped = app.pull(&s.token, 0, 1_000_000).await;
    assert!(!capped.has_more);
}

#[tokio::test]
async fn a_wrong_method_gets_a_json_405() {
    let app = spawn_world().await;
    expect_error(app.get("/api/v1/sync/push").await, 405, "method_not_allowed").await;
    let res = app.client.post(app.url("/api/v1/sync/pull")).send().await.unwrap();
    expect_error(res, 405, "method_not_allowed").await;
    // Every route of the table gets it, health and the OpenAPI document included.
    for path in ["/api/v1/health", "/api/v1/openapi.json"] {
        let res = app.client.delete(app.url(path)).send().await.unwrap();
        expect_error(res, 405, "method_not_allowed").await;
    }
}

/// PostgreSQL's text cannot hold U+0000; both engines refuse it alike, before any write
/// (in a push, the one mutation that holds it).
#[tokio::test]
async fn text_with_a_nul_character_is_refused_in_bodies_paths_and_queries() {
    let app = spawn_world().await;
    let login =
        |name: &str, device: &str| json!({"username": name, "password": crate::world::PASSWORD, "device_name": device});
    expect_error(app.login_raw(login("worker_a", "phone\u{0}1")).await, 400, "bad_text").await;
    expect_error(app.login_raw(login("worker\u{0}_a", "phone")).await, 400, "bad_text").await;
    let s = app.login("worker_a").await;
    // In a push, the record's field is refused alone (`integrity.rs`); an id or client id
    // with a NUL fails its own format check: never a 500.
    let mut hh = household_json("hh\u{0}nul", GROUP_A);
    hh["id"] = json!("hh\u{0}nul");
    let body = json!({"client_id": "c\u{0}nul", "schema_version": 1, "mutations": [put(1, "households", &hh, 0)]});
    let status = app.push_raw(&s.token, &body).await.status();
    assert!(status.is_client_error(), "{status}");
    let res = app.push(&s.token, "c-nul", vec![put(1, "households", &hh, 0)]).await;
    assert_eq!(res.results[0].status, wangge_core::sync::MutationStatus::Rejected, "{:?}", res.results[0]);
    let res = app.client.get(app.url("/api/v1/sync/pull?cursor=0%00")).bearer_auth(&s.token).send().await.unwrap();
    expect_error(res, 400, "bad_text").await;
    let res = app.client.get(app.url("/api/v1/admin/users/worker%00_a")).bearer_auth(&s.token).send().await.unwrap();
    expect_error(res, 400, "bad_text").await;
    // A backslash followed by the letters u0000 is ordinary text.
    let mut hh = household_json("hh-nul", GROUP_A);
    hh["address"] = json!("一组\\u0000号");
    let res = app.push(&s.token, "c-nul", vec![put(2, "households", &hh, 0)]).await;
    assert_eq!(res.results[0].status, wangge_core::sync::MutationStatus::Applied);
    assert_eq!(app.sql_count("SELECT count(*) FROM records WHERE id = 'hh-nul'"), 1);
}
