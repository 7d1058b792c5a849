//! Push throughput on loopback: 10,000 new households in batches of 500, through the real
//! HTTP stack and SQLite with synchronous=FULL. A measurement, not a check: run it with
//! `cargo test -p wangge-server --release -- --ignored throughput --nocapture`.

use std::time::Instant;

use wangge_core::sync::MAX_PUSH_MUTATIONS;

use crate::helpers::spawn_world;
use crate::world::{household_json, put, GROUP_A};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark; run explicitly"]
async fn push_throughput_10k_mutations() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let total = 10_000u64;
    let per = MAX_PUSH_MUTATIONS as u64;
    let batches: Vec<Vec<_>> = (0..total / per)
        .map(|b| {
            (1..=per)
                .map(|i| {
                    let seq = b * per + i;
                    put(seq, "households", &household_json(&format!("hh-{seq}"), GROUP_A), 0)
                })
                .collect()
        })
        .collect();
    let start = Instant::now();
    for batch in batches {
        app.push(&s.token, "bench-phone", batch).await;
    }
    let secs = start.elapsed().as_secs_f64();
    println!("push throughput: {total} mutations in {secs:.2} s = {:.0} mutations/s", total as f64 / secs);
    let start = Instant::now();
    let (changes, _) = app.pull_all(&s.token, 0).await;
    let secs = start.elapsed().as_secs_f64();
    println!("pull: {} changes in {secs:.2} s = {:.0} changes/s", changes.len(), changes.len() as f64 / secs);
}
