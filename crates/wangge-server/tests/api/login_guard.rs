//! The login guard (hardening issue): failed logins are throttled per username and per
//! client address, without hashing a password; and password checks run at most one per
//! core, so a flood of logins cannot take the server's memory.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wangge_server::Config;

use crate::helpers::{expect_error, spawn_world_with, start_binary_at, world_folder, TestApp};
use crate::world::PASSWORD;

fn quick_backoff() -> Config {
    Config { load_demo: false, login_backoff_base: Duration::from_millis(200), ..Config::default() }
}

async fn attempt(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.login_raw(json!({"username": username, "password": password, "device_name": "p"})).await
}

/// Asserts a refusal that says how long to wait, in the header and in `error.retry_after`
/// alike; returns the error object.
async fn expect_wait(res: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status(), status, "expected {status} {code}");
    let header: u64 = res.headers()["retry-after"].to_str().unwrap().parse().expect("Retry-After in seconds");
    let body: Value = res.json().await.expect("a JSON error body");
    let error = body["error"].clone();
    assert_eq!(error["code"], code, "{body}");
    assert_eq!(error["retry_after"], header, "{body}");
    assert!(header > 0);
    error
}

#[tokio::test]
async fn five_wrong_passwords_make_a_username_wait_even_for_the_right_one() {
    let app = spawn_world_with(quick_backoff()).await;
    for _ in 0..5 {
        expect_error(attempt(&app, "worker_a", "nope").await, 401, "invalid_credentials").await;
    }
    let error = expect_wait(attempt(&app, "worker_a", PASSWORD).await, 429, "too_many_attempts").await;
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("秒后再试") && message.contains("try again in"), "{message}");
    // Another account from the same address is not held up by worker_a's failures.
    app.login("worker_b").await;

    let wait = error["retry_after"].as_u64().unwrap();
    tokio::time::sleep(Duration::from_secs(wait)).await;
    app.login("worker_a").await;
    // The success cleared the count: one more mistake is a plain 401 again.
    expect_error(attempt(&app, "worker_a", "nope").await, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn an_address_trying_many_usernames_waits_too() {
    let app = spawn_world_with(Config { login_address_failures: 5, ..quick_backoff() }).await;
    for i in 0..5 {
        expect_error(attempt(&app, &format!("guess{i}"), "nope").await, 401, "invalid_credentials").await;
    }
    // A username never tried before, with its right password: the address must wait.
    let error = expect_wait(attempt(&app, "worker_a", PASSWORD).await, 429, "too_many_attempts").await;
    tokio::time::sleep(Duration::from_secs(error["retry_after"].as_u64().unwrap())).await;
    app.login("worker_a").await;
    expect_error(attempt(&app, "guess0", "nope").await, 401, "invalid_credentials").await;
}

/// The binary's resident memory, in MB: `VmHWM` (peak) or `VmRSS` (now).
fn memory_mb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc status");
    let line = status.lines().find(|l| l.starts_with(field)).expect("field in /proc status");
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb / 1024
}

/// Regression (hardening issue, HIGH): 300 logins at once took the server from 8 MB to
/// 6.6 GiB, each running argon2 (~19 MiB) on its own thread. Different usernames and a
/// raised address limit, so only the bound on password checks can hold memory down.
#[tokio::test]
async fn a_flood_of_logins_keeps_memory_small_and_the_server_answering() {
    const FLOOD: usize = 300;
    let data = world_folder();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_wangge-server"));
    let (mut child, addr) = start_binary_at(bin, data.path(), &["--login-address-failures", "100000"]);
    let pid = child.id();
    let base = format!("http://{addr}");
    let client = reqwest::Client::new();
    let started = Instant::now();

    let logins: Vec<_> = (0..FLOOD)
        .map(|i| {
            let (client, url) = (client.clone(), format!("{base}/api/v1/auth/login"));
            let body = json!({"username": format!("flood{i}"), "password": "wrong", "device_name": "p"});
            tokio::spawn(async move { client.post(url).json(&body).send().await })
        })
        .collect();
    let health = {
        let (client, url) = (client.clone(), format!("{base}/api/v1/health"));
        tokio::spawn(async move {
            let mut slowest = Duration::ZERO;
            for _ in 0..10 {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let t = Instant::now();
                let res = client.get(&url).send().await.expect("health answers during the flood");
                assert_eq!(res.status(), 200);
                slowest = slowest.max(t.elapsed());
            }
            slowest
        })
    };

    let (mut refused, mut busy) = (0, 0);
    for login in logins {
        let res = login.await.unwrap().expect("every login gets an answer, not a connection error");
        match res.status().as_u16() {
            401 => refused += 1,
            503 => {
                expect_wait(res, 503, "busy").await;
                busy += 1;
            }
            other => panic!("a flood login got {other}"),
        }
    }
    let flood_time = started.elapsed();
    let slowest_health = health.await.unwrap();
    let peak = memory_mb(pid, "VmHWM");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = memory_mb(pid, "VmRSS");
    println!(
        "{FLOOD} logins in {:.1} s: {refused} refused, {busy} busy; slowest health {} ms; RSS peak {peak} MB, after {after} MB",
        flood_time.as_secs_f64(),
        slowest_health.as_millis()
    );
    assert!(peak < 300, "peak resident memory {peak} MB");
    assert!(slowest_health < Duration::from_secs(2), "health took {slowest_health:?}");

    let body = json!({"username": "worker_a", "password": PASSWORD, "device_name": "p"});
    let res = client.post(format!("{base}/api/v1/auth/login")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 200, "the right password still works");
    child.kill().unwrap();
    let _ = child.wait();
}
