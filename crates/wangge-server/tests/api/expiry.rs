//! Idle expiry: a device token unused for longer than the idle period (30 days unless
//! `--token-idle-days`) is refused with 401 `token_expired`, which the phone answers by
//! asking for a new login while keeping its outbox. A refused push stores nothing, and
//! after the new login the same seqs go through.

use std::time::Duration;

use serde_json::json;
use wangge_core::sync::MutationStatus;
use wangge_server::Config;

use crate::helpers::{expect_error, spawn_world, spawn_world_with, upserted, TestApp};
use crate::world::{household_json, put, GROUP_A};

const DAY_MS: i64 = 86_400_000;

/// Moves a device's last use `days` into the past, as if the phone had lain in a drawer.
fn idle_for(app: &TestApp, device_id: &str, days: i64) {
    let conn = app.sql();
    let n = conn
        .execute(
            "UPDATE devices SET last_seen_at = last_seen_at - ?2 WHERE device_id = ?1",
            wangge_server::params![device_id, days * DAY_MS],
        )
        .unwrap();
    assert_eq!(n, 1);
}

fn count(app: &TestApp, sql: &str) -> i64 {
    let conn = app.sql();
    conn.query_row(sql, wangge_server::params![], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_token_idle_past_the_limit_is_refused_and_its_push_stores_nothing_until_a_new_login() {
    let app = spawn_world().await;
    let drawer = app.login("worker_a").await;
    let pocket = app.login("worker_a").await;
    idle_for(&app, &drawer.device_id, 29);
    assert_eq!(app.pull_raw(&drawer.token, "").await.status(), 200, "29 days unused is still fine");
    idle_for(&app, &drawer.device_id, 31);

    let body = json!({"client_id": "phone-1", "schema_version": wangge_core::SCHEMA_VERSION,
        "mutations": [put(1, "households", &household_json("hh-offline", GROUP_A), 0)]});
    let message = expect_error(app.push_raw(&drawer.token, &body).await, 401, "token_expired").await;
    assert!(message.contains("登录已过期,请重新登录;本机未同步的记录会保留"), "{message}");
    expect_error(app.pull_raw(&drawer.token, "").await, 401, "token_expired").await;
    assert_eq!(count(&app, "SELECT count(*) FROM records WHERE id = 'hh-offline'"), 0);
    assert_eq!(count(&app, "SELECT count(*) FROM clients WHERE client_id = 'phone-1'"), 0, "not even the client row");

    // The phone used yesterday is untouched.
    assert_eq!(app.pull_raw(&pocket.token, "").await.status(), 200);

    // Logged in again, the phone sends its outbox as it was: the same client, the same seqs.
    let again = app.login("worker_a").await;
    let res =
        app.push(&again.token, "phone-1", vec![put(1, "households", &household_json("hh-offline", GROUP_A), 0)]).await;
    assert_eq!(res.acked_seq, 1);
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    let (changes, _) = app.pull_all(&again.token, 0).await;
    assert!(upserted(&changes, "households").contains(&"hh-offline"));
    // Being refused never refreshed the old token.
    expect_error(app.pull_raw(&drawer.token, "").await, 401, "token_expired").await;
}

#[tokio::test]
async fn the_idle_period_is_the_configured_one() {
    let app =
        spawn_world_with(Config { load_demo: false, token_idle: Duration::from_secs(3), ..Config::default() }).await;
    let s = app.login("worker_b").await;
    assert_eq!(app.pull_raw(&s.token, "").await.status(), 200);
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    expect_error(app.pull_raw(&s.token, "").await, 401, "token_expired").await;
    assert_eq!(app.pull_raw(&app.login("worker_b").await.token, "").await.status(), 200);
}
