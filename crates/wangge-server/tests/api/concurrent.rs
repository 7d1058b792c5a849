//! Pushes arriving together: the server commits whatever is queued in one transaction
//! (group commit), and each push must still be answered as if it were alone. Which pushes
//! share a group depends on timing here; `db/group_tests.rs` builds groups by hand.

use serde_json::json;
use wangge_core::sync::MutationStatus;

use crate::helpers::{spawn_world, TestApp};
use crate::world::{household_json, put, GROUP_A, GROUP_B};

fn count(app: &TestApp, sql: &str) -> i64 {
    let conn = app.sql();
    conn.query_row(sql, wangge_server::params![], |r| r.get(0)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_arriving_together_are_each_answered_alone() {
    let app = std::sync::Arc::new(spawn_world().await);
    let (a, b) = (app.login("worker_a").await, app.login("worker_b").await);
    let epoch = app.pull(&a.token, 0, 1).await.epoch;
    let mut tasks = Vec::new();
    for d in 0..24u64 {
        let (app, token, grid) = (
            app.clone(),
            if d % 2 == 0 { a.token.clone() } else { b.token.clone() },
            if d % 2 == 0 { GROUP_A } else { GROUP_B },
        );
        let epoch = epoch.clone();
        tasks.push(tokio::spawn(async move {
            let hh = |seq: u64| put(seq, "households", &household_json(&format!("hh-{d}-{seq}"), grid), 0);
            // Every sixth device sends something that must be refused whole.
            let (kind, body) = match d % 6 {
                1 => ("gap", json!({"client_id": format!("phone-{d}"), "schema_version": 1, "mutations": [hh(1), hh(3)]})),
                3 => ("epoch", json!({"client_id": format!("phone-{d}"), "schema_version": 1, "epoch": "another-database", "mutations": [hh(1)]})),
                _ => ("fine", json!({"client_id": format!("phone-{d}"), "schema_version": 1, "epoch": epoch, "mutations": [hh(1), hh(2), hh(3)]})),
            };
            let res = app.push_raw(&token, &body).await;
            (d, kind, res.status().as_u16(), res.text().await.unwrap())
        }));
    }
    for t in tasks {
        let (d, kind, status, text) = t.await.unwrap();
        match kind {
            "fine" => {
                assert_eq!(status, 200, "{d}: {text}");
                let res: wangge_core::sync::PushResponse = serde_json::from_str(&text).unwrap();
                assert_eq!(res.acked_seq, 3);
                assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{d}: {text}");
                assert_eq!(count(&app, &format!("SELECT count(*) FROM records WHERE id LIKE 'hh-{d}-%'")), 3);
            }
            refused => {
                assert_eq!(status, 409, "{d} ({refused}): {text}");
                assert!(text.contains(if refused == "gap" { "seq_gap" } else { "epoch_mismatch" }), "{text}");
                assert_eq!(count(&app, &format!("SELECT count(*) FROM records WHERE id LIKE 'hh-{d}-%'")), 0, "{d}");
                assert_eq!(
                    count(&app, &format!("SELECT count(*) FROM clients WHERE client_id = 'phone-{d}'")),
                    0,
                    "{d}"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_pushing_among_others_gets_each_batch_acknowledged_in_order() {
    let app = std::sync::Arc::new(spawn_world().await);
    let (a, b) = (app.login("worker_a").await, app.login("worker_b").await);
    // Others keep the writer busy, so the device's pushes land in shared groups.
    let mut noise = Vec::new();
    for d in 0..8u64 {
        let (app, token) = (app.clone(), b.token.clone());
        noise.push(tokio::spawn(async move {
            for p in 0..10u64 {
                let mutations = (1..=4)
                    .map(|i| put(p * 4 + i, "households", &household_json(&format!("hh-n{d}-{p}-{i}"), GROUP_B), 0))
                    .collect();
                app.push(&token, &format!("noise-{d}"), mutations).await;
            }
        }));
    }
    // The device sends each batch as soon as the last is answered, as the app does; every
    // answer acknowledges exactly up to its batch's last seq.
    for p in 0..20u64 {
        let mutations = (1..=3)
            .map(|i| put(p * 3 + i, "households", &household_json(&format!("hh-a-{p}-{i}"), GROUP_A), 0))
            .collect();
        assert_eq!(app.push(&a.token, "phone-a", mutations).await.acked_seq, p * 3 + 3);
    }
    for t in noise {
        t.await.unwrap();
    }
    assert_eq!(count(&app, "SELECT count(*) FROM records WHERE id LIKE 'hh-a-%'"), 60);
    assert_eq!(count(&app, "SELECT count(*) FROM records WHERE id LIKE 'hh-n%'"), 320);
    assert_eq!(count(&app, "SELECT last_seq FROM clients WHERE client_id = 'phone-a'"), 60);
}
