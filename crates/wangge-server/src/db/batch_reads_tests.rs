//! A writer group's reads fetched up front (`batch_reads.rs`) must follow the group's own
//! writes: a mutation sees what the mutations before it wrote, in its own push and in the
//! pushes before it in the group, exactly as it would reading the database. Each test
//! below gives a different answer if the cache kept what it fetched: a record moved twice
//! in one batch leaves an eviction, the same event sent twice is stored once, a second
//! "reported" step is a conflict because the first is already in the history, and a
//! phone's second push in a group continues from its first push's seq with fresh
//! versions. Run on SQLite always, and on PostgreSQL too when `WANGGE_TEST_PG` names a
//! cluster (`cargo xtask test` does).

use serde_json::json;
use wangge_core::sync::{Collection, MutationStatus};

use super::group_tests::{batch, group, household, open, put, GROUP_A, GROUP_B};
use super::pipeline_tests::{count, event, issue, postgres};
use super::push::PushOutcome;
use super::sql::Conn;
use super::store::GridCache;

/// Each engine the test runs on: a SQLite file (kept alive by its folder), and the test
/// cluster when one is given.
fn engines() -> Vec<(Option<tempfile::TempDir>, Conn)> {
    let (dir, sqlite) = open();
    let mut engines = vec![(Some(dir), sqlite)];
    engines.extend(postgres().map(|pg| (None, pg)));
    engines
}

fn statuses(outcome: &PushOutcome) -> Vec<MutationStatus> {
    match outcome {
        PushOutcome::Done(res) => res.results.iter().map(|r| r.status).collect(),
        other => panic!("expected Done, got {other:?}"),
    }
}

#[test]
fn a_record_written_twice_in_one_batch_moves_from_where_the_first_write_put_it() {
    for (_dir, mut conn) in engines() {
        let mut grids = GridCache::default();
        let moved = household(2, "hh-moving", GROUP_B);
        let out = group(
            &mut conn,
            &mut grids,
            vec![("town", batch("phone-town", None, vec![household(1, "hh-moving", GROUP_A), moved]))],
        );
        let outcome = out[0].as_ref().unwrap();
        assert_eq!(statuses(outcome), [MutationStatus::Applied; 2]);
        assert_eq!(
            count(&conn, "SELECT count(*) FROM records WHERE id = 'hh-moving' AND grid = 'g500110001001002'"),
            1
        );
        // The second put found the record in group A (written by the first): devices of
        // group A drop it.
        assert_eq!(count(&conn, "SELECT count(*) FROM evictions WHERE id = 'hh-moving'"), 1);
    }
}

#[test]
fn a_batch_sees_its_own_events_and_records() {
    for (_dir, mut conn) in engines() {
        let mut grids = GridCache::default();
        let reported = json!({"type": "reported"});
        let mutations = vec![
            issue(1, "issue-own"),
            // The reporter is read from the record the first mutation wrote.
            event(2, "ev-own-1", "issue-own", reported.clone()),
            // The same event again: a retry carried it under another seq; stored once.
            event(3, "ev-own-1", "issue-own", reported.clone()),
            // A second report of a reported issue breaks the state machine: kept, but a
            // conflict, because the history already holds the first.
            event(4, "ev-own-2", "issue-own", reported),
            // An edit of the issue reads its history too.
            put(5, Collection::Issues, json!({"id": "issue-own", "title": "楼道灯又坏了"})),
        ];
        let out = group(&mut conn, &mut grids, vec![("worker_a", batch("phone-own", None, mutations))]);
        let outcome = out[0].as_ref().unwrap();
        use MutationStatus::{Applied, Conflict};
        assert_eq!(statuses(outcome), [Applied, Applied, Applied, Conflict, Applied]);
        assert_eq!(count(&conn, "SELECT count(*) FROM issue_events WHERE issue_id = 'issue-own'"), 2);
        assert_eq!(
            count(&conn, "SELECT count(*) FROM record_fields WHERE id = 'issue-own' AND value = '\"楼道灯又坏了\"'"),
            1
        );
    }
}

#[test]
fn pushes_in_one_group_see_each_others_writes_and_take_fresh_versions() {
    for (_dir, mut conn) in engines() {
        let mut grids = GridCache::default();
        let comment = json!({"type": "commented", "text": "已电话联系住户"});
        let out = group(
            &mut conn,
            &mut grids,
            vec![
                ("worker_a", batch("phone-1", None, vec![issue(1, "issue-shared")])),
                // Another phone reports the issue the first push created.
                (
                    "worker_a",
                    batch("phone-2", None, vec![event(1, "ev-shared-1", "issue-shared", json!({"type": "reported"}))]),
                ),
                // The first phone again: its next seq, and a comment on a reported issue.
                ("worker_a", batch("phone-1", None, vec![event(2, "ev-shared-2", "issue-shared", comment)])),
                // Refused (a gap): rolled back to its savepoint, and what the group read
                // is read again after it, by the last push.
                ("worker_a", batch("phone-gap", None, vec![household(2, "hh-gap", GROUP_A)])),
                ("worker_a", batch("phone-1", None, vec![household(3, "hh-after", GROUP_A)])),
            ],
        );
        assert!(matches!(out[3], Ok(PushOutcome::Gap { expected: 1 })), "{:?}", out[3]);
        for i in [0, 1, 2, 4] {
            assert_eq!(statuses(out[i].as_ref().unwrap()), [MutationStatus::Applied], "push {i}");
        }
        assert_eq!(count(&conn, "SELECT last_seq FROM clients WHERE client_id = 'phone-1'"), 3);
        // Every change its own version, and the counter at the newest.
        let versions = "SELECT version FROM records UNION ALL SELECT version FROM issue_events";
        assert_eq!(
            count(&conn, &format!("SELECT count(DISTINCT version) FROM ({versions}) AS v")),
            count(&conn, &format!("SELECT count(*) FROM ({versions}) AS v"))
        );
        assert_eq!(
            count(&conn, "SELECT value FROM version_counter WHERE id = 1"),
            count(&conn, &format!("SELECT max(version) FROM ({versions}) AS v"))
        );
    }
}
