//! Deletes and withdrawal (hardening issue, high 1): a push never hard-deletes a record
//! with history, whoever sends it — an issue reported by mistake is withdrawn by its
//! reporter, as an event with a reason, before anyone accepts it. What stays deletable (a
//! roster entry, by roster staff) is attributed and keeps its last values on the server.
//! Written against the old server first: there the worker's issue delete was applied.

use serde_json::{json, Value};
use wangge_core::sync::{Change, MutationStatus};

use crate::helpers::{events, expect_error, spawn_world, upserted};
use crate::world::{append, delete, event_json, put, t0, GROUP_A, HOUSEHOLD_A, ISSUE_A, ISSUE_B};

fn escalated(id: &str, issue: &str, actor: &str, at: i64) -> Value {
    let kind = json!({"type": "escalated", "to": "community", "reason": "需要社区协调物业处理"});
    event_json(id, issue, at, actor, "grid_worker", kind)
}

fn withdrawn(id: &str, at: i64, actor: &str, role: &str) -> Value {
    event_json(id, ISSUE_A, at, actor, role, json!({"type": "withdrawn", "reason": "重复上报,已有同一问题"}))
}

#[tokio::test]
async fn no_one_deletes_an_issue_not_even_past_the_edit_rule() {
    let app = spawn_world().await;
    let (secretary, town) = (app.login("secretary").await, app.login("town").await);
    // The finding's case: worker B handles issue B (reported by someone else) at the grid;
    // once it went up to the community his edit is refused …
    let worker = app.login("worker_b").await;
    app.push(&worker.token, "phone-b", vec![append(1, escalated("ev-up", ISSUE_B, "p-worker-b", t0() + 10))]).await;
    let edit = json!({"seq": 2, "op": "put", "collection": "issues", "id": ISSUE_B, "fields": {"title": {"value": "改个标题", "base": 1_000_000}}});
    let res = app.push(&worker.token, "phone-b", vec![edit, delete(3, "issues", ISSUE_B, 1_000_000)]).await;
    assert_eq!(res.results[0].code.as_deref(), Some("edit_not_allowed"));
    // … and so is his delete, and everyone else's.
    assert_eq!(
        (res.results[1].status, res.results[1].code.as_deref()),
        (MutationStatus::Rejected, Some("issue_not_deletable"))
    );
    assert!(res.results[1].message.as_deref().unwrap().contains("撤回"));
    for (s, client) in [(&secretary, "sec-phone"), (&town, "town-phone")] {
        let res = app.push(&s.token, client, vec![delete(1, "issues", ISSUE_B, 1_000_000)]).await;
        assert_eq!(res.results[0].code.as_deref(), Some("issue_not_deletable"), "{client}");
    }
    let (changes, _) = app.pull_all(&worker.token, 0).await;
    assert!(upserted(&changes, "issues").contains(&ISSUE_B), "the issue is still there");
    assert!(!changes.iter().any(|c| matches!(c, Change::Tombstone { .. })));
    assert_eq!(events(&changes), vec!["ev-b-1", "ev-up"], "and all its history");
}

#[tokio::test]
async fn people_and_visits_are_never_deleted_and_a_grid_worker_deletes_no_household() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    let person = json!({"id": "p-volunteer", "name": "李志愿", "phone": null, "grid": GROUP_A, "roles": ["volunteer"], "active": true});
    assert_eq!(
        app.push(&secretary.token, "sec-phone", vec![put(1, "people", &person, 0)]).await.results[0].status,
        MutationStatus::Applied
    );
    let visit = json!({"id": "visit-1", "household": HOUSEHOLD_A, "worker": "p-worker-a", "date": "2024-06-01", "notes": "老人身体尚可", "issues": []});
    assert_eq!(
        app.push(&worker.token, "phone-a", vec![put(1, "visits", &visit, 0)]).await.results[0].status,
        MutationStatus::Applied
    );
    let res = app
        .push(
            &worker.token,
            "phone-a",
            vec![
                delete(2, "visits", "visit-1", 1_000_000),
                delete(3, "households", HOUSEHOLD_A, 1_000_000),
                delete(4, "people", "p-volunteer", 1_000_000),
            ],
        )
        .await;
    let codes: Vec<_> = res.results.iter().map(|r| r.code.as_deref()).collect();
    assert_eq!(codes, vec![Some("visit_not_deletable"), Some("delete_not_allowed"), Some("person_not_deletable")]);
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Rejected));
    let res = app.push(&secretary.token, "sec-phone", vec![delete(2, "people", "p-volunteer", 1_000_000)]).await;
    assert_eq!(res.results[0].code.as_deref(), Some("person_not_deletable"));
}

#[tokio::test]
async fn a_roster_staff_delete_is_attributed_keeps_the_last_values_and_can_be_undone() {
    let app = spawn_world().await;
    let secretary = app.login("secretary").await;
    let res = app.push(&secretary.token, "sec-phone", vec![delete(1, "households", HOUSEHOLD_A, 1_000_000)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    let conn = app.sql();
    let (by, client): (String, String) = conn
        .query_row(
            "SELECT deleted_by, deleted_client FROM records WHERE collection = 'households' AND id = ?1",
            wangge_server::params![HOUSEHOLD_A],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((by.as_str(), client.as_str()), ("p-secretary", "sec-phone"));
    let address: String = conn
        .query_row(
            "SELECT value FROM record_fields WHERE collection = 'households' AND id = ?1 AND field = 'address'",
            wangge_server::params![HOUSEHOLD_A],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(address, "\"二村小区3栋2单元501\"", "what was there can be put back");

    // And it is put back by someone who may delete it there, not by a grid worker.
    let undelete = |token: String| {
        let url = app.url(&format!("/api/v1/admin/records/households/{HOUSEHOLD_A}/undelete"));
        let client = app.client.clone();
        async move { client.post(url).bearer_auth(token).send().await.unwrap() }
    };
    let worker = app.login("worker_a").await;
    expect_error(undelete(worker.token.clone()).await, 403, "delete_not_allowed").await;
    let res = undelete(secretary.token.clone()).await;
    assert_eq!(res.status(), 200);
    let (changes, _) = app.pull_all(&worker.token, 0).await;
    assert!(upserted(&changes, "households").contains(&HOUSEHOLD_A), "back on the worker's phone");
    expect_error(undelete(secretary.token.clone()).await, 404, "unknown_record").await;
    let logged: (String, String) = conn
        .query_row(
            "SELECT actor, deleted_by FROM record_log WHERE record_id = ?1",
            wangge_server::params![HOUSEHOLD_A],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(logged, ("p-secretary".to_string(), "p-secretary".to_string()));
}

#[tokio::test]
async fn the_reporter_withdraws_an_issue_not_yet_accepted_and_it_stays_with_its_history() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    // Someone else cannot withdraw the worker's report.
    let res = app
        .push(
            &secretary.token,
            "sec-phone",
            vec![append(1, withdrawn("ev-w0", t0() + 5, "p-secretary", "community_secretary"))],
        )
        .await;
    assert_eq!(res.results[0].code.as_deref(), Some("step_not_allowed"));
    let res = app
        .push(&worker.token, "phone-a", vec![append(1, withdrawn("ev-w1", t0() + 10, "p-worker-a", "grid_worker"))])
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);
    let (changes, _) = app.pull_all(&secretary.token, 0).await;
    assert!(upserted(&changes, "issues").contains(&ISSUE_A));
    assert_eq!(events(&changes).iter().filter(|e| e.starts_with("ev-a") || e.starts_with("ev-w")).count(), 2);
    // Nothing can be done to a withdrawn issue but comment on it.
    let accept = event_json("ev-acc", ISSUE_A, t0() + 20, "p-worker-a", "grid_worker", json!({"type": "accepted"}));
    let res = app.push(&worker.token, "phone-a", vec![append(2, accept)]).await;
    assert_eq!(
        (res.results[0].status, res.results[0].code.as_deref()),
        (MutationStatus::Conflict, Some("issue_withdrawn"))
    );
}

#[tokio::test]
async fn an_accepted_issue_can_no_longer_be_withdrawn() {
    let app = spawn_world().await;
    let worker = app.login("worker_a").await;
    let accept = event_json("ev-acc", ISSUE_A, t0() + 10, "p-worker-a", "grid_worker", json!({"type": "accepted"}));
    let res = app
        .push(
            &worker.token,
            "phone-a",
            vec![append(1, accept), append(2, withdrawn("ev-w", t0() + 20, "p-worker-a", "grid_worker"))],
        )
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    assert_eq!(
        (res.results[1].status, res.results[1].code.as_deref()),
        (MutationStatus::Conflict, Some("already_taken_on"))
    );
}
