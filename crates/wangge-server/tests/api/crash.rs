//! Durability: the real server binary is killed with SIGKILL right after acknowledging a
//! push; restarted on the same data folder, it still holds every acknowledged mutation.

use wangge_core::sync::MutationStatus;

use crate::helpers::{start_binary as start, upserted, TestApp};
use crate::world::{self, household_json, put, GROUP_A};

#[tokio::test]
async fn every_acknowledged_mutation_survives_kill_9() {
    let data = tempfile::tempdir().unwrap();
    {
        let db = wangge_server::Db::open(&data.path().join("wangge.sqlite3")).unwrap();
        db.load_dataset(&world::dataset()).unwrap();
        let hash = wangge_server::auth::hash_password(world::PASSWORD).unwrap();
        db.add_user(&world::users()[0], &hash).unwrap();
    }
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
    let res = app.push(&s.token, "phone-1", vec![put(next, "households", &household_json("hh-after", GROUP_A), 0)]).await;
    assert_eq!(res.acked_seq, next);
    child.kill().unwrap();
    child.wait().unwrap();
}
