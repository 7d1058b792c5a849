//! Event times (hardening finding 6): a phone's clock far off does not get to place a step.
//! A resolution dated 2100 used to sort after every later step and lock supervisors out;
//! now the server places such an event at its receipt (core `accepted_time`), the
//! phones pull it back with that time, and sending it again is still the same event.

use serde_json::{json, Value};
use wangge_core::sync::{Change, MutationStatus};

use crate::helpers::spawn_world;
use crate::world::{append, event_json, t0, ISSUE_A};

const YEAR_2100: i64 = 4_102_444_800_000;

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

fn pulled_at(changes: &[Change], id: &str) -> i64 {
    changes
        .iter()
        .find_map(|c| match c {
            Change::Event { event, .. } if event.id.as_str() == id => Some(event.at),
            _ => None,
        })
        .expect("the event is pulled")
}

#[tokio::test]
async fn a_resolution_dated_2100_is_placed_at_its_receipt_and_the_secretary_can_still_verify() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    let step = |id: &str, at: i64, kind: Value| event_json(id, ISSUE_A, at, "p-worker-a", "grid_worker", kind);
    let before = now();
    let res = app
        .push(
            &worker.token,
            "phone-a",
            vec![
                append(1, step("ev-acc", t0() + 10, json!({"type": "accepted"}))),
                append(2, step("ev-asg", t0() + 20, json!({"type": "assigned", "assignee": "p-worker-a"}))),
                append(3, step("ev-res", YEAR_2100, json!({"type": "resolved", "summary": "已修好"}))),
            ],
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", res.results);
    let (changes, _) = app.pull_all(&worker.token, 0).await;
    let at = pulled_at(&changes, "ev-res");
    assert!(at >= before && at <= now(), "placed at its receipt, not in 2100: {at}");

    let verify = event_json(
        "ev-ver",
        ISSUE_A,
        now(),
        "p-secretary",
        "community_secretary",
        json!({"type": "verified", "note": null}),
    );
    let res = app.push(&secretary.token, "sec-phone", vec![append(1, verify)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "not locked out: {:?}", res.results[0]);

    // The phone that sent it may send it again (a re-login renumbers its outbox): the
    // same event, whatever time it claims, is not "another event under a used id".
    let again = step("ev-res", YEAR_2100, json!({"type": "resolved", "summary": "已修好"}));
    let res = app.push(&worker.token, "phone-a-2", vec![append(1, again)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);
}

#[tokio::test]
async fn a_negative_time_or_one_before_the_report_is_placed_at_receipt_but_a_recent_backdate_is_kept() {
    let app = spawn_world().await;
    let worker = app.login("worker_a").await;
    let comment = |id: &str, at: i64| {
        event_json(id, ISSUE_A, at, "p-worker-a", "grid_worker", json!({"type": "commented", "text": "已告知居民"}))
    };
    let before = now();
    let res = app
        .push(
            &worker.token,
            "phone-a",
            vec![
                append(1, comment("ev-neg", -5)),
                append(2, comment("ev-early", t0() - 60_000)),
                append(3, comment("ev-offline", t0() + 60_000)),
            ],
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied));
    let (changes, _) = app.pull_all(&worker.token, 0).await;
    for id in ["ev-neg", "ev-early"] {
        let at = pulled_at(&changes, id);
        assert!(at >= before && at <= now(), "{id}: {at}");
    }
    assert_eq!(pulled_at(&changes, "ev-offline"), t0() + 60_000, "a day offline is believed");
}
