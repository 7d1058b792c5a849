//! Attribution and roles beyond scope: history names the person who pushed it, in a role
//! they hold; a new issue's reporter and a new visit's worker are the caller and stay so;
//! grid workers may not create or change grids. The core's one rule about people (the
//! resolver may not verify) then binds the real person.

use serde_json::{json, Value};
use wangge_core::sync::{Change, MutationResult, MutationStatus};

use crate::helpers::{events, spawn_world};
use crate::world::{
    append, delete, event_json, issue_json, put, put_fields, t0, GROUP_A, HOUSEHOLD_A, ISSUE_A, ISSUE_B,
};

fn codes(results: &[MutationResult]) -> Vec<(MutationStatus, Option<&str>)> {
    results.iter().map(|r| (r.status, r.code.as_deref())).collect()
}

fn visit_json(id: &str, worker: &str) -> Value {
    json!({"id": id, "household": HOUSEHOLD_A, "worker": worker, "date": "2024-06-01", "notes": "老人身体尚可", "issues": []})
}

#[tokio::test]
async fn an_event_in_another_persons_name_or_role_is_rejected_and_not_stored() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let accepted = json!({"type": "accepted"});
    let res = app
        .push(
            &s.token,
            "phone-a",
            vec![
                append(
                    1,
                    event_json("ev-forged", ISSUE_A, t0() + 10, "p-secretary", "community_secretary", accepted.clone()),
                ),
                append(
                    2,
                    event_json("ev-role", ISSUE_A, t0() + 10, "p-worker-a", "community_secretary", accepted.clone()),
                ),
                append(3, event_json("ev-own", ISSUE_A, t0() + 10, "p-worker-a", "grid_worker", accepted)),
            ],
        )
        .await;
    use MutationStatus::*;
    assert_eq!(
        codes(&res.results),
        vec![(Rejected, Some("actor_mismatch")), (Rejected, Some("actor_role_mismatch")), (Applied, None),]
    );
    assert_eq!(res.results[0].message.as_deref(), Some("只能以您本人的名义记录问题的办理过程"));
    assert!(res.results[1].message.as_deref().unwrap().contains("社区书记"));
    let (changes, _) = app.pull_all(&s.token, 0).await;
    assert_eq!(events(&changes), vec!["ev-a-1", "ev-own"]);
}

#[tokio::test]
async fn a_new_issue_and_visit_name_the_caller_and_keep_that_name() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let res = app
        .push(
            &s.token,
            "phone-a",
            vec![
                put(1, "issues", &issue_json("issue-other", GROUP_A, "p-worker-b"), 0),
                put(2, "issues", &issue_json("issue-own", GROUP_A, "p-worker-a"), 0),
                put(3, "visits", &visit_json("visit-other", "p-secretary"), 0),
                put(4, "visits", &visit_json("visit-own", "p-worker-a"), 0),
            ],
        )
        .await;
    use MutationStatus::*;
    assert_eq!(
        codes(&res.results),
        vec![(Rejected, Some("actor_mismatch")), (Applied, None), (Rejected, Some("actor_mismatch")), (Applied, None),]
    );
    assert_eq!(res.results[0].message.as_deref(), Some("问题的上报人必须是您本人"));

    // Once recorded, the author is not rewritten, not even by the secretary.
    let sec = app.login("secretary").await;
    let (changes, _) = app.pull_all(&sec.token, 0).await;
    let base = changes
        .iter()
        .find_map(|c| match c {
            Change::Upsert { id, version, .. } if id == "issue-own" => Some(*version),
            _ => None,
        })
        .unwrap();
    let res = app
        .push(
            &sec.token,
            "sec-phone",
            vec![
                put_fields(1, "issues", "issue-own", json!({"reporter": {"value": "p-secretary", "base": base}})),
                put_fields(2, "issues", "issue-own", json!({"priority": {"value": "high", "base": base}})),
            ],
        )
        .await;
    assert_eq!(codes(&res.results), vec![(Rejected, Some("actor_mismatch")), (Applied, None)]);
}

#[tokio::test]
async fn a_grid_worker_may_not_create_change_or_delete_grids() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let building = json!({"id": "g500110001001101", "name": "新楼", "level": "building", "parent": GROUP_A, "code": "500110001001101"});
    let res = app
        .push(
            &s.token,
            "phone-a",
            vec![
                put(1, "grids", &building, 0),
                put_fields(2, "grids", GROUP_A, json!({"name": {"value": "改名村", "base": 1_000_000}})),
                delete(3, "grids", GROUP_A, 1_000_000),
            ],
        )
        .await;
    for r in &res.results {
        assert_eq!((r.status, r.code.as_deref()), (MutationStatus::Rejected, Some("forbidden_role")), "seq {}", r.seq);
    }
    assert!(res.results[0].message.as_deref().unwrap().contains("网格"));
    // Nor may the secretary by a push: the tree is kept through the admin API.
    let sec = app.login("secretary").await;
    let res = app.push(&sec.token, "sec-phone", vec![put(1, "grids", &building, 0)]).await;
    assert_eq!(
        (res.results[0].status, res.results[0].code.as_deref()),
        (MutationStatus::Rejected, Some("grid_admin_only"))
    );
}

#[tokio::test]
async fn the_resolver_cannot_verify_their_own_resolution_now_that_the_actor_is_the_caller() {
    let app = spawn_world().await;
    let (w, sec) = (app.login("worker_a").await, app.login("secretary").await);
    let ev = |id: &str, at, who: &str, role: &str, kind| event_json(id, ISSUE_A, t0() + at, who, role, kind);
    let worker = |id, at, kind| ev(id, at, "p-worker-a", "grid_worker", kind);
    let res = app
        .push(
            &w.token,
            "phone-a",
            vec![
                append(1, worker("e-acc", 1, json!({"type": "accepted"}))),
                append(2, worker("e-asg", 2, json!({"type": "assigned", "assignee": "p-worker-a"}))),
                append(3, worker("e-res", 3, json!({"type": "resolved", "summary": "已清理"}))),
                append(4, worker("e-ver", 4, json!({"type": "verified", "note": null}))),
            ],
        )
        .await;
    let statuses: Vec<_> = codes(&res.results);
    use MutationStatus::*;
    assert_eq!(statuses[..3], [(Applied, None), (Applied, None), (Applied, None)]);
    assert_eq!(statuses[3], (Conflict, Some("verifier_is_resolver")), "kept, but it does not hold");
    let by_secretary =
        ev("e-ver-2", 5, "p-secretary", "community_secretary", json!({"type": "verified", "note": null}));
    let res = app.push(&sec.token, "sec-phone", vec![append(1, by_secretary)]).await;
    assert_eq!(res.results[0].status, Applied);
}

#[tokio::test]
async fn a_step_the_callers_rung_may_not_take_is_rejected_judged_where_it_stands_in_history() {
    let app = spawn_world().await;
    let worker = app.login("worker_a").await;
    let escalate = json!({"type": "escalated", "to": "community", "reason": "需要社区协调"});
    let accepted = json!({"type": "accepted"});
    let supervise = json!({"type": "supervised", "note": "限期办理"});
    let comment = json!({"type": "commented", "text": "已告知居民"});
    let res = app
        .push(
            &worker.token,
            "phone-a",
            vec![
                append(1, event_json("ev-up", ISSUE_A, t0() + 10, "p-worker-a", "grid_worker", escalate)),
                // After the escalation the issue stands at the community: not the worker's rung.
                append(
                    2,
                    event_json("ev-accept-late", ISSUE_A, t0() + 20, "p-worker-a", "grid_worker", accepted.clone()),
                ),
                append(3, event_json("ev-supervise", ISSUE_A, t0() + 20, "p-worker-a", "grid_worker", supervise)),
                append(4, event_json("ev-comment", ISSUE_A, t0() + 20, "p-worker-a", "grid_worker", comment)),
                // Made offline before the escalation, while the issue was still at the grid: the
                // role rule judges it there and lets it in, and it still holds in the history.
                append(
                    5,
                    event_json("ev-accept-early", ISSUE_A, t0() + 5, "p-worker-a", "grid_worker", accepted.clone()),
                ),
            ],
        )
        .await;
    use MutationStatus::*;
    assert_eq!(
        codes(&res.results),
        vec![
            (Applied, None),
            (Rejected, Some("step_not_allowed")),
            (Rejected, Some("step_not_allowed")),
            (Applied, None),
            (Applied, None),
        ]
    );
    assert!(res.results[1].message.as_deref().unwrap().contains("受理"), "{:?}", res.results[1].message);

    let secretary = app.login("secretary").await;
    let res = app
        .push(
            &secretary.token,
            "phone-s",
            vec![append(
                1,
                event_json("ev-sec-accept", ISSUE_A, t0() + 30, "p-secretary", "community_secretary", accepted),
            )],
        )
        .await;
    assert_eq!(codes(&res.results), vec![(Applied, None)]);
    let (changes, _) = app.pull_all(&worker.token, 0).await;
    let mut stored = events(&changes);
    stored.sort();
    assert_eq!(stored, vec!["ev-a-1", "ev-accept-early", "ev-comment", "ev-sec-accept", "ev-up"]);
}

/// The version of `id` as `token`'s caller last pulled it: the base of a clean edit.
async fn version_of(app: &crate::helpers::TestApp, token: &str, id: &str) -> u64 {
    let (changes, _) = app.pull_all(token, 0).await;
    changes
        .iter()
        .find_map(|c| match c {
            Change::Upsert { id: got, version, .. } if got == id => Some(*version),
            _ => None,
        })
        .unwrap()
}

#[tokio::test]
async fn an_issue_escalated_past_a_worker_who_did_not_report_it_is_not_his_to_edit() {
    let app = spawn_world().await;
    // ISSUE_B, in worker_b's grid, was reported by worker_a.
    let worker = app.login("worker_b").await;
    let base = version_of(&app, &worker.token, ISSUE_B).await;
    let priority = |p: &str, base: u64| json!({"priority": {"value": p, "base": base}});
    let escalate = json!({"type": "escalated", "to": "community", "reason": "需要社区协调"});
    let res = app
        .push(
            &worker.token,
            "phone-b",
            vec![
                // While the issue stands at his grid rung he handles it and may edit it.
                put_fields(1, "issues", ISSUE_B, priority("urgent", base)),
                append(2, event_json("ev-up", ISSUE_B, t0() + 10, "p-worker-b", "grid_worker", escalate)),
                put_fields(3, "issues", ISSUE_B, priority("low", base)),
            ],
        )
        .await;
    use MutationStatus::*;
    assert_eq!(codes(&res.results), vec![(Applied, None), (Applied, None), (Rejected, Some("edit_not_allowed"))]);
    assert!(res.results[2].message.as_deref().unwrap().contains("社区"), "{:?}", res.results[2].message);

    // The community now handles it.
    let secretary = app.login("secretary").await;
    let base = version_of(&app, &secretary.token, ISSUE_B).await;
    let res =
        app.push(&secretary.token, "phone-s", vec![put_fields(1, "issues", ISSUE_B, priority("low", base))]).await;
    assert_eq!(codes(&res.results), vec![(Applied, None)]);
}

#[tokio::test]
async fn a_refused_put_hands_back_the_record_as_stored_but_never_one_out_of_scope() {
    let app = spawn_world().await;
    let worker = app.login("worker_b").await;
    let base = version_of(&app, &worker.token, ISSUE_B).await;
    let escalate = json!({"type": "escalated", "to": "community", "reason": "需要社区协调"});
    let res = app
        .push(
            &worker.token,
            "phone-b",
            vec![
                append(1, event_json("ev-up", ISSUE_B, t0() + 10, "p-worker-b", "grid_worker", escalate)),
                put_fields(2, "issues", ISSUE_B, json!({"priority": {"value": "low", "base": base}})),
                put_fields(3, "issues", ISSUE_A, json!({"priority": {"value": "low", "base": base}})),
            ],
        )
        .await;
    use MutationStatus::*;
    assert_eq!(
        codes(&res.results),
        vec![(Applied, None), (Rejected, Some("edit_not_allowed")), (Rejected, Some("out_of_scope"))]
    );
    match &res.results[1].current {
        Some(Change::Upsert { id, fields, .. }) => {
            assert_eq!(id, ISSUE_B);
            assert_eq!(fields["priority"].value, json!("normal"), "the stored value, not the refused one");
        }
        other => panic!("the stored record comes back: {other:?}"),
    }
    assert_eq!(res.results[2].current, None, "nothing of another grid leaks through a refusal");

    // A replay of the same seqs answers the same, record included.
    let again = app
        .push(
            &worker.token,
            "phone-b",
            vec![put_fields(2, "issues", ISSUE_B, json!({"priority": {"value": "low", "base": base}}))],
        )
        .await;
    assert!(matches!(&again.results[0].current, Some(Change::Upsert { id, .. }) if id == ISSUE_B));
}

/// The household's history on the phone names who changed a field and when: each pulled
/// field carries its writer's person id and the server time of the write; seeded fields,
/// which nobody pushed, carry neither (and older phones simply ignore both).
#[tokio::test]
async fn a_pulled_field_names_the_person_who_wrote_it_and_when() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let before = crate::world::t0();
    let household = |changes: &[Change]| {
        changes
            .iter()
            .find_map(|c| match c {
                Change::Upsert { id, fields, .. } if id == HOUSEHOLD_A => Some(fields.clone()),
                _ => None,
            })
            .expect("the household is pulled")
    };
    let (changes, _) = app.pull_all(&s.token, 0).await;
    let base = household(&changes)["address"].version;
    let res = app
        .push(
            &s.token,
            "phone-a",
            vec![put_fields(
                1,
                "households",
                HOUSEHOLD_A,
                json!({"address": {"value": "二村小区3栋2单元502", "base": base}}),
            )],
        )
        .await;
    assert_eq!(codes(&res.results), vec![(MutationStatus::Applied, None)]);
    let (changes, _) = app.pull_all(&s.token, 0).await;
    let fields = household(&changes);
    assert_eq!(fields["address"].by.as_deref(), Some("p-worker-a"));
    assert!(fields["address"].at.is_some_and(|at| at > before), "a server time");
    assert_eq!((fields["tags"].by.as_ref(), fields["tags"].at), (None, None), "seeded: no writer");
}
