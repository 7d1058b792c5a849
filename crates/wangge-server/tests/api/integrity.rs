//! What the server stores is what it validated (hardening findings 7 and 8): the canonical
//! parsed value, never the raw input; a value kept aside as a conflict is checked like an
//! applied one; no control characters; references only to records the caller may see,
//! with one answer for "elsewhere" and "nowhere"; and people, with their roles, are kept
//! by roster staff, a staff role coming only with an account. Each test was written to
//! fail on the server before this change.

use serde_json::{json, Value};
use wangge_core::sync::{Change, MutationResult, MutationStatus};

use crate::helpers::spawn_world;
use crate::world::{issue_json, put, put_fields, GROUP_A, HOUSEHOLD_A, HOUSEHOLD_B, ISSUE_B};

fn refused(r: &MutationResult) -> (MutationStatus, Option<&str>) {
    (r.status, r.code.as_deref())
}

fn field_of<'a>(changes: &'a [Change], id: &str, field: &str) -> Option<&'a Value> {
    changes.iter().rev().find_map(|c| match c {
        Change::Upsert { id: i, fields, .. } if i == id => fields.get(field).map(|f| &f.value),
        _ => None,
    })
}

#[tokio::test]
async fn the_trimmed_value_is_stored_not_the_raw_one() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let mut issue = issue_json("issue-padded", GROUP_A, "p-worker-a");
    issue["title"] = json!(format!("  路灯不亮{}", " ".repeat(200_000)));
    let res = app.push(&s.token, "phone-a", vec![put(1, "issues", &issue, 0)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    let (changes, _) = app.pull_all(&s.token, 0).await;
    assert_eq!(field_of(&changes, "issue-padded", "title"), Some(&json!("路灯不亮")));
}

#[tokio::test]
async fn control_and_direction_override_characters_are_refused() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let res = app
        .push(
            &s.token,
            "phone-a",
            vec![
                put(
                    1,
                    "households",
                    &json!({"id": "hh-nul", "grid": GROUP_A, "address": "一村\u{0}2号", "tags": []}),
                    0,
                ),
                put(
                    2,
                    "households",
                    &json!({"id": "hh-rlo", "grid": GROUP_A, "address": "一村\u{202E}2号", "tags": []}),
                    0,
                ),
            ],
        )
        .await;
    for r in &res.results {
        assert_eq!(refused(r), (MutationStatus::Rejected, Some("text_control_char")), "seq {}", r.seq);
        assert!(r.message.as_deref().unwrap().contains("控制字符"));
    }
}

#[tokio::test]
async fn a_value_kept_aside_as_a_conflict_is_validated_like_an_applied_one() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    let newer = put_fields(1, "households", HOUSEHOLD_A, json!({"address": {"value": "二村1号", "base": 1_000_000}}));
    assert_eq!(app.push(&secretary.token, "sec-phone", vec![newer]).await.results[0].status, MutationStatus::Applied);
    // Both stale (base 1): they would be kept aside as conflicts, shown on every phone.
    let huge = put_fields(1, "households", HOUSEHOLD_A, json!({"address": {"value": "a".repeat(900_002), "base": 1}}));
    let shape =
        put_fields(2, "households", HOUSEHOLD_A, json!({"member:m1": {"value": {"not": "a member"}, "base": 1}}));
    let padded = put_fields(3, "households", HOUSEHOLD_A, json!({"address": {"value": "  二村2号  ", "base": 1}}));
    let res = app.push(&worker.token, "phone-a", vec![huge, shape, padded]).await;
    assert_eq!(refused(&res.results[0]), (MutationStatus::Rejected, Some("address_too_long")));
    assert_eq!(refused(&res.results[1]), (MutationStatus::Rejected, Some("invalid_record")));
    assert_eq!(res.results[2].status, MutationStatus::Conflict);
    let (changes, _) = app.pull_all(&secretary.token, 0).await;
    let kept: Vec<_> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Conflict { conflict, .. } => Some(&conflict.device_value),
            _ => None,
        })
        .collect();
    assert_eq!(kept, vec![&json!("二村2号")], "only the valid one, stored trimmed");
}

#[tokio::test]
async fn an_issue_or_visit_may_reference_only_what_the_caller_sees_with_one_answer_for_both() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let mut foreign = issue_json("issue-f", GROUP_A, "p-worker-a");
    foreign["household"] = json!(HOUSEHOLD_B);
    let mut missing = issue_json("issue-m", GROUP_A, "p-worker-a");
    missing["household"] = json!("hh-nowhere");
    let visit = json!({"id": "visit-f", "household": HOUSEHOLD_A, "worker": "p-worker-a", "date": "2024-06-01", "notes": "", "issues": [ISSUE_B]});
    let foreign_visit = json!({"id": "visit-g", "household": HOUSEHOLD_B, "worker": "p-worker-a", "date": "2024-06-01", "notes": "", "issues": []});
    let res = app
        .push(
            &s.token,
            "phone-a",
            vec![
                put(1, "issues", &foreign, 0),
                put(2, "issues", &missing, 0),
                put(3, "visits", &visit, 0),
                put(4, "visits", &foreign_visit, 0),
            ],
        )
        .await;
    assert_eq!(refused(&res.results[0]), (MutationStatus::Rejected, Some("unknown_household")));
    assert_eq!(res.results[0].message, res.results[1].message, "no hint that one exists elsewhere");
    assert_eq!(refused(&res.results[1]), (MutationStatus::Rejected, Some("unknown_household")));
    assert_eq!(refused(&res.results[2]), (MutationStatus::Rejected, Some("unknown_issue")));
    assert_eq!(refused(&res.results[3]), (MutationStatus::Rejected, Some("unknown_household")));
}

#[tokio::test]
async fn people_and_their_roles_are_kept_by_roster_staff_and_staff_roles_come_with_an_account() {
    let app = spawn_world().await;
    let (worker, secretary) = (app.login("worker_a").await, app.login("secretary").await);
    let person = |id: &str, roles: Value| json!({"id": id, "name": "李四", "phone": null, "grid": GROUP_A, "roles": roles, "active": true});
    // The finding: a grid worker made himself district staff and invented a secretary.
    let res = app
        .push(
            &worker.token,
            "phone-a",
            vec![
                put(1, "people", &person("p-worker-a", json!(["district_staff"])), 0),
                put(2, "people", &person("p-fake", json!(["community_secretary"])), 0),
            ],
        )
        .await;
    assert!(
        res.results.iter().all(|r| refused(r) == (MutationStatus::Rejected, Some("forbidden_role"))),
        "{:?}",
        res.results
    );
    let res = app
        .push(
            &secretary.token,
            "sec-phone",
            vec![
                put(1, "people", &person("p-worker-a", json!(["district_staff"])), 0),
                put(2, "people", &person("p-fake", json!(["community_secretary"])), 0),
                put(3, "people", &person("p-volunteer", json!(["volunteer"])), 0),
            ],
        )
        .await;
    assert_eq!(refused(&res.results[0]), (MutationStatus::Rejected, Some("roles_from_account")));
    assert_eq!(refused(&res.results[1]), (MutationStatus::Rejected, Some("staff_role_needs_account")));
    assert_eq!(res.results[2].status, MutationStatus::Applied, "a resident helper is the roster's to keep");
}
