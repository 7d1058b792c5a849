//! Several server processes in front of one PostgreSQL database (a city's set-up), run
//! only on the suite's PostgreSQL pass: devices pushing through two processes at once with
//! replays sent to the other one, the same batch arriving at both at the same moment, a
//! grid added through one process seen by the other's cached tree, and the pull cursor
//! held below a writer that has taken a version and not yet committed — the interleaving
//! under which version numbers from a sequence would let a phone skip a change for ever;
//! and a server whose connections PostgreSQL dropped (a restart, a failover) reconnecting.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use wangge_core::sync::{MutationStatus, PushResponse};

use crate::helpers::{start_binary, upserted, world_folder, ServerChild, TestApp};
use crate::test_db::on_postgres;
use crate::world::{household_json, put, COMMUNITY, GROUP_A, GROUP_B, HOUSEHOLD_A};

/// Two server binaries on one database (the folder records which).
struct Pair {
    apps: [TestApp; 2],
    // Killed when dropped.
    _children: [ServerChild; 2],
}

fn two_processes() -> Pair {
    let data = world_folder();
    let (first, addr1) = start_binary(data.path());
    let (second, addr2) = start_binary(data.path());
    let app = |addr, data| TestApp { addr, client: reqwest::Client::new(), data };
    // The second handle's folder only names the same database (the first keeps the files).
    let shared = tempfile::tempdir().unwrap();
    std::fs::copy(data.path().join("test-database.url"), shared.path().join("test-database.url")).unwrap();
    Pair { apps: [app(addr1, data), app(addr2, shared)], _children: [first, second] }
}

fn batch(client: &str, epoch: &str, mutations: Vec<Value>) -> Value {
    json!({"client_id": client, "schema_version": wangge_core::SCHEMA_VERSION, "epoch": epoch, "mutations": mutations})
}

async fn push_to(app: &TestApp, token: &str, body: &Value) -> PushResponse {
    let res = app.push_raw(token, body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_pushing_through_two_processes_lose_nothing_and_replays_answer_the_same() {
    if !on_postgres() {
        return;
    }
    let pair = std::sync::Arc::new(two_processes());
    let (a, b) = (pair.apps[0].login("worker_a").await, pair.apps[1].login("worker_b").await);
    let epoch = pair.apps[0].pull(&a.token, 0, 1).await.epoch;
    let mut devices = Vec::new();
    for d in 0..8usize {
        let (pair, epoch) = (pair.clone(), epoch.clone());
        let (token, grid) = if d % 2 == 0 { (a.token.clone(), GROUP_A) } else { (b.token.clone(), GROUP_B) };
        devices.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for k in 0..5u64 {
                let ids: Vec<String> = (1..=4).map(|i| format!("hh-{d}-{k}-{i}")).collect();
                let mutations = ids
                    .iter()
                    .zip(1..)
                    .map(|(id, i)| put(k * 4 + i, "households", &household_json(id, grid), 0))
                    .collect();
                let body = batch(&format!("phone-{d}"), &epoch, mutations);
                let through = (d + k as usize) % 2;
                let first = push_to(&pair.apps[through], &token, &body).await;
                assert_eq!(first.acked_seq, k * 4 + 4);
                assert!(first.results.iter().all(|r| r.status == MutationStatus::Applied), "{d}/{k}");
                // The reply was lost: the phone sends the batch again, and a load balancer
                // hands it to the other process.
                let replay = push_to(&pair.apps[1 - through], &token, &body).await;
                assert_eq!(serde_json::to_value(&replay).unwrap(), serde_json::to_value(&first).unwrap(), "{d}/{k}");
                acked.extend(ids);
            }
            acked
        }));
    }
    let mut acked = BTreeSet::new();
    for device in devices {
        acked.extend(device.await.unwrap());
    }
    assert_eq!(acked.len(), 8 * 5 * 4);
    let stored = pair.apps[0].sql_count("SELECT count(*) FROM records WHERE id LIKE 'hh-%-%-%'");
    assert_eq!(stored, 160, "every acknowledged household once, no replay stored twice");
    // Each worker's pull, through either process, holds every household of their group
    // exactly once.
    for (session, grid_devices) in [(&a, 0usize), (&b, 1usize)] {
        for app in &pair.apps {
            let (changes, _) = app.pull_all(&session.token, 0).await;
            let pulled = upserted(&changes, "households");
            let unique: BTreeSet<&str> = pulled.iter().copied().collect();
            assert_eq!(unique.len(), pulled.len(), "nothing twice");
            for id in acked.iter().filter(|id| {
                id.split('-').nth(1).and_then(|d| d.parse::<usize>().ok()).is_some_and(|d| d % 2 == grid_devices)
            }) {
                assert!(unique.contains(id.as_str()), "acknowledged {id} missing from a pull");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_batch_arriving_at_both_processes_at_once_is_stored_once() {
    if !on_postgres() {
        return;
    }
    let pair = two_processes();
    let a = pair.apps[0].login("worker_a").await;
    let epoch = pair.apps[0].pull(&a.token, 0, 1).await.epoch;
    for round in 0..6u64 {
        let mutations = (1..=3)
            .map(|i| put(round * 3 + i, "households", &household_json(&format!("hh-twice-{round}-{i}"), GROUP_A), 0))
            .collect();
        let body = batch("phone-twice", &epoch, mutations);
        let (one, two) = tokio::join!(push_to(&pair.apps[0], &a.token, &body), push_to(&pair.apps[1], &a.token, &body));
        assert_eq!(serde_json::to_value(&one).unwrap(), serde_json::to_value(&two).unwrap(), "round {round}");
        assert_eq!(one.acked_seq, round * 3 + 3);
    }
    assert_eq!(pair.apps[1].sql_count("SELECT count(*) FROM records WHERE id LIKE 'hh-twice-%'"), 18);
    assert_eq!(pair.apps[1].sql_count("SELECT last_seq FROM clients WHERE client_id = 'phone-twice'"), 18);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_added_through_one_process_is_in_the_others_tree() {
    if !on_postgres() {
        return;
    }
    let pair = two_processes();
    let (sec0, sec1) = (pair.apps[0].login("secretary").await, pair.apps[1].login("secretary").await);
    // The second process builds and caches its tree on a push.
    pair.apps[1]
        .push(&sec1.token, "sec-phone", vec![put(1, "households", &household_json("hh-warm", GROUP_A), 0)])
        .await;
    let (status, body) = pair.apps[0]
        .admin(
            &sec0.token,
            Method::POST,
            "/grids",
            Some(json!({"name": "第3居民小组", "level": "group", "parent": COMMUNITY})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let new_grid = body["grid"]["id"].as_str().unwrap().to_string();
    let res = pair.apps[1]
        .push(&sec1.token, "sec-phone", vec![put(2, "households", &household_json("hh-new", &new_grid), 0)])
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_never_passes_a_version_taken_by_a_writer_that_has_not_committed() {
    if !on_postgres() {
        return;
    }
    let pair = two_processes();
    let (a, b) = (pair.apps[0].login("worker_a").await, pair.apps[1].login("worker_a").await);
    let (_, cursor) = pair.apps[0].pull_all(&a.token, 0).await;
    // "Another process" takes the next version the way the server's writer does (the
    // counter row locked, then advanced) and writes a household at it, and does not commit.
    let held = pair.apps[0].sql();
    held.execute_batch("BEGIN; SELECT value FROM version_counter WHERE id = 1 FOR UPDATE").unwrap();
    let v: i64 = held
        .query_row(
            "UPDATE version_counter SET value = value + 1 WHERE id = 1 RETURNING value",
            wangge_server::params![],
            |r| r.get(0),
        )
        .unwrap();
    held.execute(
        "INSERT INTO records (collection, id, grid, deleted, version)
         SELECT collection, 'hh-held', grid, deleted, ?1 FROM records WHERE collection = 'households' AND id = ?2",
        wangge_server::params![v, HOUSEHOLD_A],
    )
    .unwrap();
    held.execute(
        "INSERT INTO record_fields (collection, id, field, value, version, writer, written_at)
         SELECT collection, 'hh-held', field, CASE WHEN field = 'id' THEN '\"hh-held\"' ELSE value END, ?1, writer, written_at
         FROM record_fields WHERE collection = 'households' AND id = ?2",
        wangge_server::params![v, HOUSEHOLD_A],
    )
    .unwrap();
    // Meanwhile the other process gets a push: it must not take a later version and
    // commit it while `v` is outstanding.
    let app2 = TestApp { addr: pair.apps[1].addr, client: reqwest::Client::new(), data: tempfile::tempdir().unwrap() };
    let token = b.token.clone();
    let mut push = tokio::spawn(async move {
        app2.push(&token, "phone-late", vec![put(1, "households", &household_json("hh-late", GROUP_A), 0)]).await
    });
    assert!(
        tokio::time::timeout(Duration::from_millis(800), &mut push).await.is_err(),
        "a push committed a version after one still being written"
    );
    let page = pair.apps[0].pull(&a.token, cursor, 1000).await;
    assert!(upserted(&page.changes, "households").is_empty(), "nothing new is visible yet: {:?}", page.changes);
    let cursor = page.cursor;
    held.execute_batch("COMMIT").unwrap();
    let pushed = push.await.unwrap();
    assert_eq!(pushed.results[0].status, MutationStatus::Applied);
    let late = pair.apps[0].sql_count("SELECT version FROM records WHERE collection = 'households' AND id = 'hh-late'");
    assert!(late > v, "the later writer took a later version ({late}), not the held one's ({v}) again");
    let (changes, _) = pair.apps[0].pull_all(&a.token, cursor).await;
    let got = upserted(&changes, "households");
    assert!(got.contains(&"hh-held") && got.contains(&"hh-late"), "both, none skipped: {got:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_postgres_dropped_are_opened_again_and_nothing_is_lost() {
    if !on_postgres() {
        return;
    }
    let app = crate::helpers::spawn_world().await;
    let a = app.login("worker_a").await;
    app.push(&a.token, "phone-1", vec![put(1, "households", &household_json("hh-before", GROUP_A), 0)]).await;
    let schema = crate::test_db::schema_of(app.data.path()).expect("a PostgreSQL test database");
    let admin = app.sql();
    let dropped: i64 = admin
        .query_row(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = ?1 AND pid <> pg_backend_pid()) AS t",
            wangge_server::params![schema],
            |r| r.get(0),
        )
        .unwrap();
    assert!(dropped >= 2, "the server's writer and readers were connected ({dropped})");
    // The first statement on a dropped connection may fail (a 500 the phone retries);
    // the next one finds a new connection.
    let mut pushed = None;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let body = batch(
            "phone-1",
            &app.pull(&a.token, 0, 1).await.epoch,
            vec![put(2, "households", &household_json("hh-after", GROUP_A), 0)],
        );
        let res = app.push_raw(&a.token, &body).await;
        if res.status() == 200 {
            pushed = Some(res.json::<PushResponse>().await.unwrap());
            break;
        }
    }
    let pushed = pushed.expect("a push succeeds after the connections were dropped");
    assert_eq!((pushed.acked_seq, pushed.results[0].status), (2, MutationStatus::Applied));
    let (changes, _) = app.pull_all(&a.token, 0).await;
    let got = upserted(&changes, "households");
    assert!(got.contains(&"hh-before") && got.contains(&"hh-after"), "{got:?}");
}
