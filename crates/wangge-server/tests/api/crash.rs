//! Durability: the real server binary is killed with SIGKILL right after acknowledging a
//! push; restarted on the same data folder, it still holds every acknowledged mutation.

use wangge_core::sync::MutationStatus;

use crate::helpers::{start_binary as start, upserted, world_folder, TestApp};
use crate::world::{self, household_json, put, GROUP_A};

#[tokio::test]
async fn every_acknowledged_mutation_survives_kill_9() {
    let data = world_folder();
    let (mut child, addr) = start(data.path());
    let app = TestApp { addr, client: reqwest::Client::new(), data };
    let s = app.login("worker_a").await;
    let (batches, per_batch) = (12u64, 40u64);
    for b in 0..batches {
        let muts = (1..=per_batch)
            .map(|i| {
                let seq = b * per_batch + i;
                put(seq, "households", &household_json(&format!("hh-{seq}"), GROUP_A), 0)
            })
            .collect();
        let res = app.push(&s.token, "phone-1", muts).await;
        assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied));
    }
    // The last reply has just arrived: kill at once, no graceful shutdown, no checkpoint.
    child.kill().expect("SIGKILL");
    child.wait().unwrap();

    let (mut child, addr) = start(app.data.path());
    let app = TestApp { addr, ..app };
    // The device token survived too: no new login needed.
    let (changes, _) = app.pull_all(&s.token, 0).await;
    let stored = upserted(&changes, "households");
    for seq in 1..=batches * per_batch {
        assert!(stored.contains(&format!("hh-{seq}").as_str()), "acknowledged hh-{seq} lost");
    }
    // And the seq bookkeeping: the next push continues where the acknowledged one ended.
    let next = batches * per_batch + 1;
    let res =
        app.push(&s.token, "phone-1", vec![put(next, "households", &household_json("hh-after", GROUP_A), 0)]).await;
    assert_eq!(res.acked_seq, next);
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Group commit answers a whole group after one COMMIT: with many devices pushing at once
/// and the server killed while pushes are still in flight, every push that got its 200 is
/// there after the restart. (Pushes cut off by the kill may or may not have been stored.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pushes_acknowledged_before_kill_9_all_survive() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    let data = world_folder();
    let (child, addr) = start(data.path());
    let app = Arc::new(TestApp { addr, client: reqwest::Client::new(), data });
    let (a, b, town) = (app.login("worker_a").await, app.login("worker_b").await, app.login("town").await);
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let pushes = Arc::new(AtomicUsize::new(0));
    // The device whose 200th acknowledgement it reads kills the server there and then, in
    // the middle of the storm: an answer sent before its COMMIT would be lost.
    let child = Arc::new(Mutex::new(child));
    let devices = 32u64;
    let mut tasks = Vec::new();
    for d in 0..devices {
        let (app, acked, pushes, child) = (app.clone(), acked.clone(), pushes.clone(), child.clone());
        let (token, grid) = if d % 2 == 0 { (a.token.clone(), GROUP_A) } else { (b.token.clone(), world::GROUP_B) };
        tasks.push(tokio::spawn(async move {
            for p in 0..50u64 {
                let ids: Vec<String> = (1..=8).map(|i| format!("hh-{d}-{}", p * 8 + i)).collect();
                let mutations: Vec<_> = ids
                    .iter()
                    .zip(1..)
                    .map(|(id, i)| put(p * 8 + i, "households", &household_json(id, grid), 0))
                    .collect();
                let body =
                    serde_json::json!({"client_id": format!("phone-{d}"), "schema_version": 1, "mutations": mutations});
                // After the kill, requests fail: this device stops there.
                let Ok(res) =
                    app.client.post(app.url("/api/v1/sync/push")).bearer_auth(&token).json(&body).send().await
                else {
                    return;
                };
                if res.status() != 200 || res.bytes().await.is_err() {
                    return;
                }
                acked.lock().unwrap().extend(ids);
                if pushes.fetch_add(1, Ordering::SeqCst) + 1 == 200 {
                    child.lock().unwrap().kill().expect("SIGKILL");
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    child.lock().unwrap().wait().unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 200 * 8);

    let app = Arc::try_unwrap(app).unwrap_or_else(|_| panic!("every device task has ended"));
    let (mut child, addr) = start(app.data.path());
    let app = TestApp { addr, ..app };
    let (changes, _) = app.pull_all(&town.token, 0).await;
    let stored: std::collections::HashSet<&str> = upserted(&changes, "households").into_iter().collect();
    let lost: Vec<&String> = acked.iter().filter(|id| !stored.contains(id.as_str())).collect();
    assert!(lost.is_empty(), "{} acknowledged households lost, e.g. {:?}", lost.len(), &lost[..lost.len().min(5)]);
    child.kill().unwrap();
    child.wait().unwrap();
}
