//! Pull: pages that return every change exactly once, tombstones, evictions when a record
//! leaves a worker's scope, and an escalated issue reaching the community secretary.

use std::collections::HashSet;

use serde_json::json;
use wangge_core::sync::{Change, MutationStatus};

use crate::helpers::{events, spawn_world, upserted};
use crate::world::{
    append, delete, event_json, household_json, issue_json, put, put_fields, t0, GROUP_A, GROUP_B, HOUSEHOLD_A, ISSUE_A,
};

#[tokio::test]
async fn pages_return_every_change_exactly_once_in_version_order() {
    let app = spawn_world().await;
    let s = app.login("town").await;
    let batch = (1..=40).map(|i| put(i, "households", &household_json(&format!("hh-{i}"), GROUP_A), 0)).collect();
    app.push(&s.token, "phone-1", batch).await;
    let (everything, _) = app.pull_all(&s.token, 0).await;
    let (mut paged, mut cursor, mut pages) = (Vec::new(), 0, 0);
    loop {
        let page = app.pull(&s.token, cursor, 7).await;
        assert!(page.changes.len() <= 7);
        pages += 1;
        paged.extend(page.changes);
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    assert!(pages >= 7, "{pages} pages");
    assert_eq!(paged, everything, "paging changes nothing");
    let versions: Vec<u64> = paged.iter().map(Change::version).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "strictly increasing, so none twice");
    let ids: HashSet<_> = upserted(&paged, "households").into_iter().collect();
    assert_eq!(ids.len(), 42, "40 new + the two in the world");
    let last = app.pull(&s.token, cursor, 7).await;
    assert!(last.changes.is_empty() && !last.has_more && last.cursor == cursor);
}

/// The server reads the feed in growing version windows: a worker whose few changes lie
/// far apart among everyone else's still gets each exactly once, in order, with `has_more`
/// right, whatever the page size.
#[tokio::test]
async fn sparse_changes_in_scope_page_the_same_as_dense_ones() {
    let app = spawn_world().await;
    let town = app.login("town").await;
    let a = app.login("worker_a").await;
    for round in 0..3u64 {
        let others = (1..=30)
            .map(|i| put(round * 31 + i, "households", &household_json(&format!("hh-b-{round}-{i}"), GROUP_B), 0));
        let mine = put(round * 31 + 31, "households", &household_json(&format!("hh-a-{round}"), GROUP_A), 0);
        app.push(&town.token, "phone-town", others.chain([mine]).collect()).await;
    }
    let (everything, end) = app.pull_all(&a.token, 0).await;
    let mine: Vec<&str> = upserted(&everything, "households").into_iter().filter(|h| h.starts_with("hh-a-")).collect();
    assert_eq!(mine, vec!["hh-a-0", "hh-a-1", "hh-a-2"]);
    for limit in [1, 2, 5] {
        let (mut paged, mut cursor) = (Vec::new(), 0);
        loop {
            let page = app.pull(&a.token, cursor, limit).await;
            assert!(page.changes.len() <= limit as usize);
            paged.extend(page.changes);
            cursor = page.cursor;
            if !page.has_more {
                break;
            }
        }
        assert_eq!(paged, everything, "limit {limit}");
        assert_eq!(cursor, end, "limit {limit}");
    }
}

#[tokio::test]
async fn a_deleted_record_arrives_as_a_tombstone() {
    let app = spawn_world().await;
    let s = app.login("secretary").await;
    let (_, cursor) = app.pull_all(&s.token, 0).await;
    let res = app.push(&s.token, "phone-1", vec![delete(1, "households", HOUSEHOLD_A, 1_000_000)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
    let (changes, _) = app.pull_all(&s.token, cursor).await;
    assert!(matches!(&changes[..], [Change::Tombstone { id, .. }] if id == HOUSEHOLD_A), "{changes:?}");
}

#[tokio::test]
async fn a_record_moved_out_of_scope_is_evicted_on_the_next_pull() {
    let app = spawn_world().await;
    let (a, b, sec) = (app.login("worker_a").await, app.login("worker_b").await, app.login("secretary").await);
    let (_, cursor_a) = app.pull_all(&a.token, 0).await;
    let (_, cursor_b) = app.pull_all(&b.token, 0).await;
    let (_, cursor_s) = app.pull_all(&sec.token, 0).await;
    let move_it = put_fields(1, "households", HOUSEHOLD_A, json!({"grid": {"value": GROUP_B, "base": 1_000_000}}));
    assert_eq!(app.push(&sec.token, "sec-phone", vec![move_it]).await.results[0].status, MutationStatus::Applied);
    let (changes_a, _) = app.pull_all(&a.token, cursor_a).await;
    assert!(matches!(&changes_a[..], [Change::Evict { id, .. }] if id == HOUSEHOLD_A), "{changes_a:?}");
    let (changes_b, _) = app.pull_all(&b.token, cursor_b).await;
    assert_eq!(upserted(&changes_b, "households"), vec![HOUSEHOLD_A]);
    let (changes_s, _) = app.pull_all(&sec.token, cursor_s).await;
    assert_eq!(upserted(&changes_s, "households"), vec![HOUSEHOLD_A], "still in the secretary's scope: no evict");
    assert!(!changes_s.iter().any(|c| matches!(c, Change::Evict { .. })));
}

#[tokio::test]
async fn an_issue_moved_to_another_group_takes_its_history_along() {
    let app = spawn_world().await;
    let (a, b, sec) = (app.login("worker_a").await, app.login("worker_b").await, app.login("secretary").await);
    let (_, cursor_b) = app.pull_all(&b.token, 0).await;
    let move_it = put_fields(1, "issues", ISSUE_A, json!({"grid": {"value": GROUP_B, "base": 1_000_000}}));
    app.push(&sec.token, "sec-phone", vec![move_it]).await;
    let (changes_b, _) = app.pull_all(&b.token, cursor_b).await;
    assert_eq!(upserted(&changes_b, "issues"), vec![ISSUE_A]);
    assert_eq!(events(&changes_b), vec!["ev-a-1"], "the history follows the issue");
    let (all_a, _) = app.pull_all(&a.token, 0).await;
    assert!(upserted(&all_a, "issues").iter().all(|i| *i != ISSUE_A));
}

#[tokio::test]
async fn an_escalated_issue_reaches_the_community_secretary() {
    let app = spawn_world().await;
    let (w, sec) = (app.login("worker_a").await, app.login("secretary").await);
    let ev = |id: &str, at, kind| event_json(id, "issue-esc", at, "p-worker-a", "grid_worker", kind);
    let res = app
        .push(
            &w.token,
            "phone-1",
            vec![
                put(1, "issues", &issue_json("issue-esc", GROUP_A, "p-worker-a"), 0),
                append(2, ev("e1", t0(), json!({"type": "reported"}))),
                append(
                    3,
                    ev(
                        "e2",
                        t0() + 1,
                        json!({"type": "escalated", "to": "community", "reason": "产权不清,网格无法解决"}),
                    ),
                ),
            ],
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{res:?}");
    let (changes, _) = app.pull_all(&sec.token, 0).await;
    assert!(upserted(&changes, "issues").contains(&"issue-esc"));
    let evs = events(&changes);
    assert!(evs.contains(&"e1") && evs.contains(&"e2"));
    let _ = ISSUE_A;
}

#[tokio::test]
async fn a_pull_page_is_gzipped_for_a_phone_that_accepts_it() {
    use std::io::Read;
    let app = spawn_world().await;
    let s = app.login("town").await;
    let batch = (1..=200).map(|i| put(i, "households", &household_json(&format!("hh-{i}"), GROUP_A), 0)).collect();
    app.push(&s.token, "phone-1", batch).await;
    let plain = app.pull(&s.token, 0, 1000).await;
    let res = app
        .client
        .get(app.url("/api/v1/sync/pull?cursor=0&limit=1000"))
        .bearer_auth(&s.token)
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let body = res.bytes().await.unwrap();
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut json).unwrap();
    assert!(body.len() * 4 < json.len(), "{} bytes gzipped from {}", body.len(), json.len());
    let gzipped: wangge_core::sync::PullResponse = serde_json::from_slice(&json).unwrap();
    assert_eq!(gzipped.changes, plain.changes, "the same page either way");
    // A client that does not offer gzip gets plain JSON.
    let res = app.pull_raw(&s.token, "?cursor=0&limit=1000").await;
    assert!(res.headers().get("content-encoding").is_none());
}
