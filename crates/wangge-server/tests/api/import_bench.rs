//! Ignored, a measurement (`cargo test -p wangge-server --test api -- --ignored
//! import_bench --nocapture`): a generated ledger of 10,000 households (about 23,000
//! rows, one in ten with an ID-card number) through a dry run, a confirm and a re-import
//! dry run, each timed end to end over HTTP. The goal: dry run + confirm under
//! 30 s on this machine. Prints one `BENCH {json}` line per step.
//!
//! On the 2-core development machine (2026-12-06, 23,334 rows, 763 KB): release build —
//! dry run 0.71 s, confirm 1.36 s, re-import dry run 1.19 s; debug build — 10.9 s,
//! 15.0 s and 13.3 s.

use std::time::Instant;

use crate::helpers::spawn_world;
use crate::import::{households, xlsx, XLSX};

#[tokio::test]
#[ignore = "a measurement, not a test"]
async fn import_bench_ten_thousand_households() {
    let app = spawn_world().await;
    let secretary = app.login("secretary").await;
    let rows = households(10_000);
    let started = Instant::now();
    let file = xlsx(&rows);
    println!(
        "BENCH {{\"step\":\"write xlsx (test side)\",\"rows\":{},\"bytes\":{},\"s\":{:.2}}}",
        rows.len(),
        file.len(),
        started.elapsed().as_secs_f64()
    );
    for (step, query) in [
        ("dry run", ""),
        ("confirm", "?confirm=true"),
        ("re-import dry run", ""),
    ] {
        let started = Instant::now();
        let report = app
            .import_ok(&secretary.token, query, XLSX, file.clone())
            .await;
        let s = started.elapsed().as_secs_f64();
        println!(
            "BENCH {{\"step\":\"{step}\",\"added\":{},\"unchanged\":{},\"s\":{s:.2}}}",
            report["added"], report["unchanged"]
        );
    }
}
