//! Ignored, a measurement (`cargo test -p wangge-server --test api -- --ignored
//! export_bench --nocapture`; `cargo xtask bench --only export` runs it on a release
//! build): 20,000 issues loaded into the test world (each reported, every other one
//! accepted and assigned), then the community secretary's export of all of them as
//! `.xlsx` and as CSV, each timed end to end over HTTP. The issue's goal: under 5 s.
//! Prints one `BENCH {json}` line per format.
//!
//! On the 2-core development machine (2026-12-07): release build — .xlsx 1.20 s (1.0 MB),
//! CSV 0.78 s (3.2 MB); debug build — 8.9 s and 3.5 s.

use std::time::Instant;

use serde_json::json;
use wangge_core::issue::{Issue, IssueEvent};
use wangge_server::db::Dataset;

use crate::helpers::spawn_world;
use crate::world::{event_json, issue_json, t0, GROUP_A, GROUP_B};

const ISSUES: usize = 20_000;

fn dataset() -> Dataset {
    let (mut issues, mut events) = (Vec::with_capacity(ISSUES), Vec::with_capacity(ISSUES * 2));
    for n in 0..ISSUES {
        let id = format!("bench-issue-{n:05}");
        let grid = if n % 2 == 0 { GROUP_A } else { GROUP_B };
        let mut issue = issue_json(&id, grid, "p-worker-a");
        issue["title"] = json!(format!("第{n}号问题：楼道灯不亮"));
        issues.push(serde_json::from_value::<Issue>(issue).unwrap());
        let at = t0() - (n as i64) * 60_000;
        let reported =
            event_json(&format!("{id}-r"), &id, at, "p-worker-a", "grid_worker", json!({"type": "reported"}));
        events.push(serde_json::from_value::<IssueEvent>(reported).unwrap());
        if n % 2 == 1 {
            let accepted = event_json(
                &format!("{id}-a"),
                &id,
                at + 1000,
                "p-secretary",
                "community_secretary",
                json!({"type": "accepted"}),
            );
            events.push(serde_json::from_value::<IssueEvent>(accepted).unwrap());
        }
    }
    Dataset { issues, events, ..Dataset::default() }
}

#[tokio::test]
#[ignore = "a measurement, not a test"]
async fn export_bench_twenty_thousand_issues() {
    let app = spawn_world().await;
    app.db().load_dataset(&dataset()).unwrap();
    let secretary = app.login("secretary").await;
    for format in ["xlsx", "csv"] {
        let started = Instant::now();
        let res = app
            .client
            .get(app.url(&format!("/api/v1/export/issues?format={format}")))
            .bearer_auth(&secretary.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap().len();
        let s = started.elapsed().as_secs_f64();
        println!(
            "BENCH {{\"name\":\"20,000 issues: export as {format}\",\"unit\":\"s\",\"samples\":[{s:.3}],\"goal\":5,\"better\":\"lower\",\"note\":\"{bytes} bytes\"}}"
        );
    }
    assert_eq!(app.sql_count("SELECT row_count FROM export_log LIMIT 1"), ISSUES as i64 + 2);
}
