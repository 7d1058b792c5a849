//! Settling a conflict: `settle_conflict` marks it resolved with a new version, so every
//! device in scope pulls it settled; "keep my value" is a plain put, then a settle.

use serde_json::{json, Value};
use wangge_core::sync::{Change, FieldConflict, MutationStatus};

use crate::helpers::{spawn_world, TestApp};
use crate::world::{put_fields, HOUSEHOLD_A, HOUSEHOLD_B};

fn settle(seq: u64, conflict: &str) -> Value {
    json!({"seq": seq, "op": "settle_conflict", "conflict": conflict})
}

fn conflicts(changes: &[Change]) -> Vec<&FieldConflict> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Conflict { conflict, .. } => Some(conflict),
            _ => None,
        })
        .collect()
}

/// The version of a household's address as `token` sees it.
async fn address_version(app: &TestApp, token: &str, household: &str) -> u64 {
    let (changes, _) = app.pull_all(token, 0).await;
    changes
        .iter()
        .find_map(|c| match c {
            Change::Upsert { id, fields, .. } if id == household => Some(fields["address"].version),
            _ => None,
        })
        .expect("household in scope")
}

/// `winner` and then `loser` write a household's address from the same base: the loser's
/// value is kept as a conflict, whose id is returned.
async fn make_conflict(app: &TestApp, household: &str, winner: (&str, &str), loser: (&str, &str)) -> String {
    let base = address_version(app, winner.0, household).await;
    let write = |v: &str| put_fields(1, "households", household, json!({"address": {"value": v, "base": base}}));
    app.push(winner.0, winner.1, vec![write("新地址1号")]).await;
    let res = app.push(loser.0, loser.1, vec![write("新地址2号")]).await;
    assert_eq!(res.results[0].status, MutationStatus::Conflict);
    let (changes, _) = app.pull_all(winner.0, 0).await;
    conflicts(&changes)[0].id.clone()
}

#[tokio::test]
async fn a_settled_conflict_is_pulled_settled_by_every_device_in_scope() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    let id = make_conflict(&app, HOUSEHOLD_A, (&secretary.token, "sec-phone"), (&worker.token, "worker-phone")).await;
    let (_, worker_cursor) = app.pull_all(&worker.token, 0).await;

    let res = app.push(&secretary.token, "sec-phone", vec![settle(2, &id)]).await;
    assert_eq!((res.results[0].status, res.results[0].code.as_deref()), (MutationStatus::Applied, None));
    let (changes, cursor) = app.pull_all(&worker.token, worker_cursor).await;
    assert_eq!(changes.len(), 1, "only the settled conflict is new: {changes:?}");
    let settled = conflicts(&changes)[0];
    assert_eq!((settled.id.as_str(), settled.resolved), (id.as_str(), true));
    assert_eq!(settled.device_value, json!("新地址2号"), "the conflict itself is unchanged");

    // Settling it again (the worker had not seen the secretary's settle) changes nothing.
    let again = app.push(&worker.token, "worker-phone", vec![settle(2, &id)]).await;
    assert_eq!(again.results[0].status, MutationStatus::Applied);
    let (changes, _) = app.pull_all(&worker.token, cursor).await;
    assert!(changes.is_empty(), "no new version: {changes:?}");

    let conn = app.sql();
    let by: (String, String) = conn
        .query_row("SELECT settled_by, settled_client FROM conflicts WHERE id = ?1", wangge_server::params![&id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(by, ("p-secretary".to_string(), "sec-phone".to_string()), "settling is attributed");
}

#[tokio::test]
async fn keeping_my_value_is_a_put_with_a_fresh_base_then_a_settle() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    let id = make_conflict(&app, HOUSEHOLD_A, (&secretary.token, "sec-phone"), (&worker.token, "worker-phone")).await;
    let fresh = address_version(&app, &worker.token, HOUSEHOLD_A).await;
    let mine = put_fields(2, "households", HOUSEHOLD_A, json!({"address": {"value": "新地址2号", "base": fresh}}));
    let res = app.push(&worker.token, "worker-phone", vec![mine, settle(3, &id)]).await;
    let got: Vec<_> = res.results.iter().map(|r| r.status).collect();
    assert_eq!(got, vec![MutationStatus::Applied, MutationStatus::Applied]);

    let (changes, _) = app.pull_all(&secretary.token, 0).await;
    let all = conflicts(&changes);
    assert_eq!(all.len(), 1, "no new conflict");
    assert!(all[0].resolved);
    assert!(address_version(&app, &secretary.token, HOUSEHOLD_A).await > fresh);
    let address = changes.iter().find_map(|c| match c {
        Change::Upsert { id, fields, .. } if id == HOUSEHOLD_A => Some(fields["address"].value.clone()),
        _ => None,
    });
    assert_eq!(address, Some(json!("新地址2号")), "the worker's value holds");
}

#[tokio::test]
async fn an_unknown_or_out_of_scope_conflict_cannot_be_settled() {
    let app = spawn_world().await;
    let (worker, secretary, town) =
        (app.login("worker_a").await, app.login("secretary").await, app.login("town").await);
    let id = make_conflict(&app, HOUSEHOLD_B, (&secretary.token, "sec-phone"), (&town.token, "town-phone")).await;
    let res = app.push(&worker.token, "worker-phone", vec![settle(1, "conflict-999999"), settle(2, &id)]).await;
    let got: Vec<_> = res.results.iter().map(|r| (r.status, r.code.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            (MutationStatus::Rejected, Some("unknown_conflict")),
            (MutationStatus::Rejected, Some("unknown_conflict")),
        ]
    );
    assert!(res.results[0].message.as_deref().unwrap().contains("冲突"));
    assert_eq!(res.results[0].message, res.results[1].message, "no hint that it exists elsewhere");
    let (changes, _) = app.pull_all(&town.token, 0).await;
    assert!(!conflicts(&changes)[0].resolved, "group B's conflict is still open");
}
