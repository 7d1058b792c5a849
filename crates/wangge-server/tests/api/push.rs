//! Push: idempotent retries, seq gaps, field conflicts, event conflicts, and a bad mutation
//! that does not block the rest of its batch.

use serde_json::json;
use wangge_core::sync::{Change, MutationStatus, PushResponse};

use crate::helpers::{events, expect_error, spawn_world, upserted};
use crate::world::{
    append, event_json, household_json, issue_json, put, put_fields, t0, GROUP_A, HOUSEHOLD_A, ISSUE_A,
};

fn count(app: &crate::helpers::TestApp, sql: &str) -> i64 {
    let conn = app.sql();
    conn.query_row(sql, wangge_server::params![], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_new_household_is_applied_and_pulled_back() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let res = app.push(&s.token, "phone-1", vec![put(1, "households", &household_json("hh-new", GROUP_A), 0)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    assert_eq!(res.acked_seq, 1);
    assert_eq!(res.epoch.len(), 32);
    let (changes, _) = app.pull_all(&s.token, 0).await;
    assert!(upserted(&changes, "households").contains(&"hh-new"));
}

#[tokio::test]
async fn replaying_a_batch_gives_the_same_results_and_changes_nothing() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let batch = vec![
        put(1, "households", &household_json("hh-1", GROUP_A), 0),
        put(2, "issues", &json!({"id": "bad", "title": " "}), 0),
        append(3, event_json("ev-x", ISSUE_A, t0() + 10, "p-worker-a", "grid_worker", json!({"type": "accepted"}))),
    ];
    let first = app.push(&s.token, "phone-1", batch.clone()).await;
    let (_, cursor) = app.pull_all(&s.token, 0).await;
    let rows = count(&app, "SELECT (SELECT count(*) FROM record_fields) + (SELECT count(*) FROM issue_events)");
    let again = app.push(&s.token, "phone-1", batch).await;
    assert_eq!(first, again, "the very same answer, rejections included");
    assert_eq!(rows, count(&app, "SELECT (SELECT count(*) FROM record_fields) + (SELECT count(*) FROM issue_events)"));
    let (changes, _) = app.pull_all(&s.token, cursor).await;
    assert!(changes.is_empty(), "no version moved: {changes:?}");
}

#[tokio::test]
async fn a_seq_gap_is_refused_whole_and_later_pushes_still_work() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    app.push(&s.token, "phone-1", vec![put(1, "households", &household_json("hh-1", GROUP_A), 0)]).await;
    let body = json!({"client_id": "phone-1", "schema_version": 1, "mutations": [
        put(2, "households", &household_json("hh-2", GROUP_A), 0),
        put(4, "households", &household_json("hh-4", GROUP_A), 0),
    ]});
    let msg = expect_error(app.push_raw(&s.token, &body).await, 409, "seq_gap").await;
    assert!(msg.contains("seq 3"), "{msg}");
    assert_eq!(count(&app, "SELECT count(*) FROM records WHERE id = 'hh-2'"), 0, "nothing of the batch stored");
    let res = app
        .push(
            &s.token,
            "phone-1",
            vec![
                put(2, "households", &household_json("hh-2", GROUP_A), 0),
                put(3, "households", &household_json("hh-3", GROUP_A), 0),
            ],
        )
        .await;
    assert_eq!(res.acked_seq, 3);
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied));
}

#[tokio::test]
async fn a_stale_write_is_kept_as_a_conflict_that_others_pull() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    let (before, _) = app.pull_all(&worker.token, 0).await;
    let base = before
        .iter()
        .find_map(|c| match c {
            Change::Upsert { id, fields, .. } if id == HOUSEHOLD_A => Some(fields["address"].version),
            _ => None,
        })
        .unwrap();
    let newer =
        put_fields(1, "households", HOUSEHOLD_A, json!({"address": {"value": "二村小区3栋2单元502", "base": base}}));
    assert_eq!(app.push(&secretary.token, "sec-phone", vec![newer]).await.results[0].status, MutationStatus::Applied);
    let stale =
        put_fields(1, "households", HOUSEHOLD_A, json!({"address": {"value": "二村小区3栋2单元503", "base": base}}));
    let res = app.push(&worker.token, "worker-phone", vec![stale]).await;
    assert_eq!(res.results[0].status, MutationStatus::Conflict);
    assert_eq!(res.results[0].code.as_deref(), Some("field_conflict"));
    // The record comes back as the server holds it, so the phone stops showing the value
    // set aside (its pull may already have passed this record's version). A replay of the
    // same seq is answered the same way.
    let handed_back = |res: &PushResponse| match &res.results[0].current {
        Some(Change::Upsert { id, fields, .. }) if id == HOUSEHOLD_A => fields["address"].value.clone(),
        other => panic!("no record handed back with the conflict: {other:?}"),
    };
    assert_eq!(handed_back(&res), json!("二村小区3栋2单元502"));
    let again =
        put_fields(1, "households", HOUSEHOLD_A, json!({"address": {"value": "二村小区3栋2单元503", "base": base}}));
    assert_eq!(handed_back(&app.push(&worker.token, "worker-phone", vec![again]).await), json!("二村小区3栋2单元502"));
    let (changes, _) = app.pull_all(&secretary.token, 0).await;
    let conflict = changes
        .iter()
        .find_map(|c| match c {
            Change::Conflict { conflict, .. } => Some(conflict),
            _ => None,
        })
        .unwrap();
    assert_eq!((conflict.record_id.as_str(), conflict.field.as_str()), (HOUSEHOLD_A, "address"));
    assert_eq!(conflict.server_value, json!("二村小区3栋2单元502"), "the server kept its value");
    assert_eq!(conflict.device_value, json!("二村小区3栋2单元503"));
    assert_eq!(
        (conflict.actor.as_str(), conflict.client_id.as_str(), conflict.resolved),
        ("p-worker-a", "worker-phone", false)
    );
    // Not a counter a caller could walk (hardening low 12): 8 random bytes after the version.
    let random = conflict.id.rsplit('-').next().unwrap();
    assert!(random.len() == 16 && random.bytes().all(|b| b.is_ascii_hexdigit()), "{}", conflict.id);
}

#[tokio::test]
async fn one_bad_mutation_does_not_block_the_rest_of_the_batch() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let mut blank_title = issue_json("issue-new", GROUP_A, "p-worker-a");
    blank_title["title"] = json!("   ");
    let res = app
        .push(
            &s.token,
            "phone-1",
            vec![
                put(1, "households", &household_json("hh-1", GROUP_A), 0),
                put(2, "issues", &blank_title, 0),
                json!({"seq": 3, "op": "put", "collection": "spaceships", "id": "x", "fields": {}}),
                put(4, "households", &json!({"id": "hh-2", "grid": GROUP_A}), 0),
                put(5, "households", &household_json("hh-3", GROUP_A), 0),
            ],
        )
        .await;
    let got: Vec<_> = res.results.iter().map(|r| (r.seq, r.status, r.code.as_deref())).collect();
    use MutationStatus::*;
    assert_eq!(
        got,
        vec![
            (1, Applied, None),
            (2, Rejected, Some("title_blank")),
            (3, Rejected, Some("unknown_collection")),
            (4, Rejected, Some("invalid_record")),
            (5, Applied, None),
        ]
    );
    assert_eq!(res.results[1].message.as_deref(), Some("请填写问题标题"), "the core's Chinese message");
    assert_eq!(res.acked_seq, 5, "rejected seqs are consumed too");
}

#[tokio::test]
async fn an_event_that_no_longer_holds_is_kept_as_a_conflict() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let accept = |id: &str, at| event_json(id, ISSUE_A, at, "p-worker-a", "grid_worker", json!({"type": "accepted"}));
    let res = app
        .push(
            &s.token,
            "phone-1",
            vec![append(1, accept("ev-acc-1", t0() + 10)), append(2, accept("ev-acc-2", t0() + 20))],
        )
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    assert_eq!(res.results[1].status, MutationStatus::Conflict);
    assert_eq!(res.results[1].code.as_deref(), Some("already_accepted"));
    // A duplicate event id from another seq is a no-op.
    let dup = app.push(&s.token, "phone-1", vec![append(3, accept("ev-acc-1", t0() + 10))]).await;
    assert_eq!(dup.results[0].status, MutationStatus::Applied);
    let (changes, _) = app.pull_all(&s.token, 0).await;
    let evs = events(&changes);
    assert!(evs.contains(&"ev-acc-1") && evs.contains(&"ev-acc-2"), "both kept");
    assert_eq!(evs.iter().filter(|e| **e == "ev-acc-1").count(), 1);
}

#[tokio::test]
async fn an_event_for_an_unknown_issue_is_rejected() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let ev = event_json("ev-1", "no-such-issue", t0(), "p-worker-a", "grid_worker", json!({"type": "reported"}));
    let res = app.push(&s.token, "phone-1", vec![append(1, ev)]).await;
    assert_eq!(res.results[0].code.as_deref(), Some("unknown_issue"));
}

#[tokio::test]
async fn another_users_client_id_is_forbidden() {
    let app = spawn_world().await;
    let (a, b) = (app.login("worker_a").await, app.login("worker_b").await);
    app.push(&a.token, "phone-a", vec![]).await;
    let body = json!({"client_id": "phone-a", "schema_version": 1, "mutations": []});
    expect_error(app.push_raw(&b.token, &body).await, 403, "client_not_yours").await;
}

#[tokio::test]
async fn an_event_id_reused_for_other_content_is_rejected() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let comment = |text: &str| {
        event_json("ev-c", ISSUE_A, t0() + 10, "p-worker-a", "grid_worker", json!({"type": "commented", "text": text}))
    };
    let res = app.push(&s.token, "phone-1", vec![append(1, comment("已上门")), append(2, comment("另一条"))]).await;
    let got: Vec<_> = res.results.iter().map(|r| (r.status, r.code.as_deref())).collect();
    assert_eq!(got, vec![(MutationStatus::Applied, None), (MutationStatus::Rejected, Some("event_id_reused"))]);
}
