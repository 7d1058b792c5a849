//! Writes queued to go out with the next statement (`pg_pipeline.rs`), on a real
//! PostgreSQL: a push costs a handful of round trips, not one per statement, and a queued
//! write that fails is still answered as the failure of the push that made it — its
//! neighbours in the group apply, and a failing write held back until COMMIT makes the
//! COMMIT fail instead of being acknowledged. Run by `cargo xtask test` with
//! `WANGGE_TEST_PG` set (the throwaway cluster); without it there is nothing to test, as
//! SQLite runs every write at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;

use serde_json::json;
use wangge_core::sync::Collection;

use super::batch_reads::BatchReads;
use super::group_tests::{acked, batch, group, household, member, put, seed_world, GROUP_A, GROUP_B};
use super::push::PushItem;
use super::sql::Conn;
use super::store::GridCache;
use super::writer::{run_group, Member, Verdict};
use super::{Database, DbError};

/// A fresh schema on the test cluster with the grid tree and accounts, or `None` when no
/// cluster was given.
pub(super) fn postgres() -> Option<Conn> {
    let cluster = std::env::var("WANGGE_TEST_PG").ok().filter(|u| !u.is_empty())?;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let schema = format!("unit{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let admin = Conn::open(&Database::Postgres(cluster.clone())).unwrap();
    admin.execute_batch(&format!("CREATE SCHEMA {schema}")).unwrap();
    let sep = if cluster.contains('?') { '&' } else { '?' };
    let mut conn = Conn::open(&Database::Postgres(format!("{cluster}{sep}options=-csearch_path%3D{schema}"))).unwrap();
    seed_world(&mut conn);
    Some(conn)
}

pub(super) fn count(conn: &Conn, sql: &str) -> i64 {
    conn.query_value(sql, &[]).unwrap()
}

pub(super) fn issue(seq: u64, id: &str) -> PushItem {
    put(
        seq,
        Collection::Issues,
        json!({
            "id": id, "title": "楼道灯坏了", "description": "三楼到五楼的灯都不亮", "category": "infrastructure",
            "source": "visit", "grid": GROUP_A, "household": null, "unit": null, "location": null,
            "reporter": "p-worker_a", "priority": "normal", "due_at": null, "created_at": 1_700_000_000_000i64
        }),
    )
}

pub(super) fn event(seq: u64, id: &str, issue: &str, kind: serde_json::Value) -> PushItem {
    let event = json!({"id": id, "issue": issue, "at": 1_700_000_000_000i64 + seq as i64,
        "actor": "p-worker_a", "actor_role": "grid_worker", "kind": kind});
    PushItem { seq, op: Ok(serde_json::from_value(json!({"op": "append_event", "event": event})).unwrap()) }
}

/// The load bench's batch: two new issues with their "reported" steps, two households,
/// two comments.
fn bench_batch(first: u64, tag: &str) -> Vec<PushItem> {
    let (i1, i2) = (format!("issue-{tag}-1"), format!("issue-{tag}-2"));
    let comment = json!({"type": "commented", "text": "已电话联系住户,明天上门查看"});
    vec![
        issue(first, &i1),
        event(first + 1, &format!("ev-{tag}-1"), &i1, json!({"type": "reported"})),
        issue(first + 2, &i2),
        event(first + 3, &format!("ev-{tag}-2"), &i2, json!({"type": "reported"})),
        household(first + 4, &format!("hh-{tag}-1"), GROUP_A),
        household(first + 5, &format!("hh-{tag}-2"), GROUP_A),
        event(first + 6, &format!("ev-{tag}-3"), &i1, comment.clone()),
        event(first + 7, &format!("ev-{tag}-4"), &i2, comment),
    ]
}

#[test]
fn a_push_goes_out_in_a_few_round_trips() {
    let Some(mut conn) = postgres() else { return };
    let mut grids = GridCache::default();
    // The first push loads the grid tree and prepares the statements.
    let out = group(&mut conn, &mut grids, vec![("worker_a", batch("phone-a", None, bench_batch(1, "a")))]);
    assert_eq!(acked(&out[0]), 8);
    let (before, sent) = (conn.round_trips(), conn.statements_sent());
    let out = group(
        &mut conn,
        &mut grids,
        vec![
            ("worker_a", batch("phone-a", None, bench_batch(9, "b"))),
            ("worker_a", batch("phone-a2", None, bench_batch(1, "c"))),
        ],
    );
    assert_eq!((acked(&out[0]), acked(&out[1])), (16, 8));
    let (trips, sent) = (conn.round_trips() - before, conn.statements_sent() - sent);
    eprintln!("two pushes of 8 mutations: {trips} round trips, {sent} statements");
    // Measured when this test was written: 7 — the group's BEGIN (with the counter's
    // lock), its grid check, its four reads (`batch_fetch.rs`) and its COMMIT, each
    // member's statements queued with them. It was 13 with each push reading for itself,
    // 33 with each mutation doing so, 80 with every write a round trip of its own and
    // about 93 before the reads were combined.
    assert!(trips <= 9, "two pushes of 8 mutations took {trips} round trips");
    // Each kind of row gathered into one statement for the group (`pg_rows.rs`), no
    // savepoints on the first pass: measured 14 when written; before, about 16 a push
    // (counted with pg_stat_statements under the load bench).
    assert!(sent <= 16, "two pushes of 8 mutations sent {sent} statements");
    assert_eq!(count(&conn, "SELECT count(*) FROM issue_events"), 12);
    assert_eq!(count(&conn, "SELECT count(*) FROM records WHERE collection = 'households'"), 6);
    assert_eq!(count(&conn, "SELECT count(*) FROM mutation_results"), 24);
}

/// A push whose queued write breaks the version counter's primary key.
struct QueuesABadWrite(std::sync::mpsc::SyncSender<Result<(), DbError>>);

impl Member for QueuesABadWrite {
    fn weight(&self) -> usize {
        1
    }
    fn apply(&mut self, conn: &Conn, _: &mut GridCache, _: &BatchReads) -> Result<Verdict, DbError> {
        conn.execute_later("INSERT INTO version_counter (id, value) VALUES (1, 0)", &[])?;
        Ok(Verdict::Keep)
    }
    fn answer(self: Box<Self>, result: Result<(), DbError>) {
        let _ = self.0.send(result);
    }
}

#[test]
fn a_queued_write_that_fails_fails_only_its_own_push() {
    let Some(mut conn) = postgres() else { return };
    let mut grids = GridCache::default();
    let (first, first_rx) = member("worker_a", batch("phone-1", None, vec![household(1, "hh-1", GROUP_A)]));
    let (tx, bad_rx) = sync_channel(1);
    let (last, last_rx) = member("worker_b", batch("phone-3", None, vec![household(1, "hh-3", GROUP_B)]));
    run_group(&mut conn, &mut grids, vec![first, Box::new(QueuesABadWrite(tx)), last]);
    let failed = bad_rx.try_recv().unwrap();
    assert!(matches!(&failed, Err(e) if e.to_string().contains("duplicate key")), "{failed:?}");
    assert_eq!(acked(&first_rx.try_recv().unwrap()), 1);
    assert_eq!(acked(&last_rx.try_recv().unwrap()), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM records WHERE id IN ('hh-1', 'hh-3')"), 2);
    assert!(conn.is_autocommit());
}

#[test]
fn a_failing_write_held_back_to_the_commit_fails_the_commit() {
    let Some(mut conn) = postgres() else { return };
    let mut grids = GridCache::default();
    let (tx, bad_rx) = sync_channel(1);
    // Alone in its group: no savepoint, so the queue goes out with the COMMIT.
    run_group(&mut conn, &mut grids, vec![Box::new(QueuesABadWrite(tx))]);
    assert!(bad_rx.try_recv().unwrap().is_err(), "a COMMIT of an aborted transaction is no success");
    assert!(conn.is_autocommit());
    // The connection goes on working.
    let out =
        group(&mut conn, &mut grids, vec![("worker_a", batch("phone-1", None, vec![household(1, "hh-1", GROUP_A)]))]);
    assert_eq!(acked(&out[0]), 1);
}

#[test]
fn pushes_in_one_group_writing_one_record_leave_the_later_value() {
    let Some(mut conn) = postgres() else { return };
    let mut grids = GridCache::default();
    let address = |seq: u64, address: &str| {
        put(seq, Collection::Households, json!({"id": "hh-1", "grid": GROUP_A, "address": address, "tags": []}))
    };
    group(&mut conn, &mut grids, vec![("worker_a", batch("phone-a", None, vec![address(1, "一村1栋")]))]);
    let before = conn.round_trips();
    let out = group(
        &mut conn,
        &mut grids,
        vec![
            ("worker_a", batch("phone-a", None, vec![address(2, "二村3栋501")])),
            ("worker_a", batch("phone-a", None, vec![address(3, "三村5栋102")])),
        ],
    );
    assert_eq!((acked(&out[0]), acked(&out[1])), (2, 3));
    // One pass: the two rows of the same field went out as one (one statement may not
    // upsert a row twice; had they both gone, the group would have been run again).
    let trips = conn.round_trips() - before;
    assert!(trips <= 9, "{trips} round trips: the group took the careful pass");
    let stored: String =
        conn.query_value("SELECT value FROM record_fields WHERE id = 'hh-1' AND field = 'address'", &[]).unwrap();
    assert_eq!(stored, "\"三村5栋102\"");
    assert_eq!(count(&conn, "SELECT last_seq FROM clients WHERE client_id = 'phone-a'"), 3);
    let version: i64 = count(&conn, "SELECT version FROM records WHERE id = 'hh-1'");
    assert_eq!(count(&conn, "SELECT value FROM version_counter"), version, "the counter is the group's last version");
}

#[test]
fn a_refused_push_in_a_group_leaves_nothing_and_its_neighbours_apply() {
    let Some(mut conn) = postgres() else { return };
    let mut grids = GridCache::default();
    let out = group(
        &mut conn,
        &mut grids,
        vec![
            ("worker_a", batch("phone-a", None, vec![household(1, "hh-a1", GROUP_A)])),
            (
                "worker_a",
                batch("phone-gap", None, vec![household(1, "hh-g1", GROUP_A), household(3, "hh-g3", GROUP_A)]),
            ),
            ("worker_b", batch("phone-b", None, vec![household(1, "hh-b1", GROUP_B)])),
        ],
    );
    assert_eq!(acked(&out[0]), 1);
    assert!(matches!(out[1], Ok(super::push::PushOutcome::Gap { expected: 2 })), "{:?}", out[1]);
    assert_eq!(acked(&out[2]), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM records WHERE id IN ('hh-g1', 'hh-g3')"), 0);
    assert_eq!(count(&conn, "SELECT count(*) FROM clients WHERE client_id = 'phone-gap'"), 0);
    assert_eq!(count(&conn, "SELECT count(*) FROM records WHERE id IN ('hh-a1', 'hh-b1')"), 2);
    assert_eq!(count(&conn, "SELECT count(*) FROM mutation_results"), 2);
}
