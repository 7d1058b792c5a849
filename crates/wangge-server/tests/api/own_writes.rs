//! Per-field writer: a device that edits one field twice before it pulls sends both writes
//! with the same base; the second must apply over its own first, not conflict with it. A
//! stale write from another device still conflicts.

use serde_json::json;
use wangge_core::sync::{Change, MutationStatus, WHOLE_RECORD};

use crate::helpers::{spawn_world, TestApp};
use crate::world::{delete, put_fields, HOUSEHOLD_A, HOUSEHOLD_B};

/// The version of `field` of household `household` as `token` pulls it.
async fn field_version(app: &TestApp, token: &str, household: &str, field: &str) -> u64 {
    let (changes, _) = app.pull_all(token, 0).await;
    changes
        .iter()
        .find_map(|c| match c {
            Change::Upsert { id, fields, .. } if id == household => Some(fields[field].version),
            _ => None,
        })
        .expect("the household is in scope")
}

fn address(seq: u64, value: &str, base: u64) -> serde_json::Value {
    put_fields(seq, "households", HOUSEHOLD_A, json!({"address": {"value": value, "base": base}}))
}

#[tokio::test]
async fn a_second_offline_edit_of_one_field_applies_over_the_devices_own_first() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    let base = field_version(&app, &worker.token, HOUSEHOLD_A, "address").await;
    // Two separate pushes (the phone came online twice without pulling), same base.
    let first = app.push(&worker.token, "phone-a", vec![address(1, "一村1号", base)]).await;
    let second = app.push(&worker.token, "phone-a", vec![address(2, "一村2号", base)]).await;
    assert_eq!(first.results[0].status, MutationStatus::Applied);
    assert_eq!(second.results[0].status, MutationStatus::Applied, "{:?}", second.results[0]);
    // Another device with the same old base did not see either write: that one conflicts.
    let stale = app.push(&secretary.token, "sec-phone", vec![address(1, "一村3号", base)]).await;
    assert_eq!(stale.results[0].status, MutationStatus::Conflict);
    let (changes, _) = app.pull_all(&worker.token, 0).await;
    let conflicts: Vec<_> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Conflict { conflict, .. } => Some(conflict),
            _ => None,
        })
        .collect();
    assert_eq!(conflicts.len(), 1, "only the other device's write: {conflicts:?}");
    assert_eq!((&conflicts[0].server_value, &conflicts[0].device_value), (&json!("一村2号"), &json!("一村3号")));
    assert_eq!(conflicts[0].client_id, "sec-phone");
}

#[tokio::test]
async fn a_delete_after_the_devices_own_edit_applies_but_not_after_anothers() {
    let app = spawn_world().await;
    // Deleting a roster entry is a correction for the staff who keep the roster.
    let (secretary, town) = (app.login("secretary").await, app.login("town").await);
    let base = field_version(&app, &secretary.token, HOUSEHOLD_A, "address").await;
    app.push(&secretary.token, "sec-phone-a", vec![address(1, "一村1号", base)]).await;
    let res = app.push(&secretary.token, "sec-phone-a", vec![delete(2, "households", HOUSEHOLD_A, base)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);

    let base = field_version(&app, &town.token, HOUSEHOLD_B, "address").await;
    let edit = put_fields(1, "households", HOUSEHOLD_B, json!({"address": {"value": "二村9号", "base": base}}));
    assert_eq!(app.push(&secretary.token, "sec-phone", vec![edit]).await.results[0].status, MutationStatus::Applied);
    let res = app.push(&town.token, "town-phone", vec![delete(1, "households", HOUSEHOLD_B, base)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Conflict, "the town never saw the secretary's edit");
}

#[tokio::test]
async fn a_losing_delete_is_a_whole_record_conflict_and_a_put_to_a_deleted_record_is_refused() {
    let app = spawn_world().await;
    let (secretary, town) = (app.login("secretary").await, app.login("town").await);
    let base = field_version(&app, &town.token, HOUSEHOLD_B, "address").await;
    let edit = put_fields(1, "households", HOUSEHOLD_B, json!({"address": {"value": "二村9号", "base": base}}));
    app.push(&secretary.token, "sec-phone", vec![edit]).await;
    let res = app.push(&town.token, "town-phone", vec![delete(1, "households", HOUSEHOLD_B, base)]).await;
    assert_eq!(
        (res.results[0].status, res.results[0].code.as_deref()),
        (MutationStatus::Conflict, Some("delete_conflict"))
    );
    assert!(
        matches!(&res.results[0].current, Some(Change::Upsert { id, .. }) if id == HOUSEHOLD_B),
        "the record handed back"
    );
    // The core's form (`sync::WHOLE_RECORD`): the record's fields as the server value.
    let (changes, _) = app.pull_all(&town.token, 0).await;
    let conflict = changes
        .iter()
        .find_map(|c| match c {
            Change::Conflict { conflict, .. } => Some(conflict),
            _ => None,
        })
        .expect("the losing delete is kept");
    assert_eq!(conflict.field, WHOLE_RECORD);
    assert_eq!(conflict.server_value["address"], json!("二村9号"));
    assert_eq!(conflict.device_value, serde_json::Value::Null);
    // Having seen the edit, the town deletes after all; a later edit is refused, not kept
    // as a conflict on a record no phone holds.
    let res = app.push(&town.token, "town-phone", vec![delete(2, "households", HOUSEHOLD_B, 1_000_000)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    let late = put_fields(2, "households", HOUSEHOLD_B, json!({"address": {"value": "二村10号", "base": 1_000_000}}));
    let res = app.push(&secretary.token, "sec-phone", vec![late]).await;
    assert_eq!(
        (res.results[0].status, res.results[0].code.as_deref()),
        (MutationStatus::Rejected, Some("record_deleted"))
    );
    assert_eq!(res.results[0].current, None, "nothing to hand back");
}
