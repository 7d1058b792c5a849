//! Writer groups, made deterministic: these tests hand a whole group to `run_group` at
//! once (over HTTP, which pushes share a group depends on timing). They pin what grouping
//! must not change: a refused or failing push stores nothing and leaves its neighbours
//! alone, one client's pushes apply in arrival order, a lost transaction costs only the
//! push that lost it, a failed COMMIT fails everyone, and the cached grid tree follows
//! grid writes by a push and by another connection.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver};

use super::batch_reads::BatchReads;
use super::sql::Conn;
use serde_json::{json, Value};
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::people::Role;
use wangge_core::sync::{Collection, FieldWrite, MutationStatus, Op};
use wangge_core::{GridId, GridName, PersonId};

use super::push::{PushBatch, PushItem, PushMember, PushOutcome};
use super::store::GridCache;
use super::writer::{run_group, Member, Reply, Verdict};
use super::{migrations, seed, users, DbError};
use crate::account::{Caller, NewUser, User};

const DISTRICT: &str = "g500110000000000";
const TOWN: &str = "g500110001000000";
const COMMUNITY: &str = "g500110001001000";
pub(super) const GROUP_A: &str = "g500110001001001";
pub(super) const GROUP_B: &str = "g500110001001002";
const GROUP_C: &str = "g500110001001003";
const GROUP_D: &str = "g500110001001004";

fn grid(id: &str, level: GridLevel, parent: Option<&str>) -> Grid {
    Grid {
        id: GridId::parse(id).unwrap(),
        name: GridName::parse("测试网格").unwrap(),
        level,
        parent: parent.map(|p| GridId::parse(p).unwrap()),
        code: Some(GridCode::parse(&id[1..]).unwrap()),
        retired: false,
    }
}

fn user(username: &str, role: Role, home: &str) -> User {
    User {
        username: username.into(),
        person_id: PersonId::parse(format!("p-{username}")).unwrap(),
        name: username.into(),
        roles: vec![role],
        home_grid: GridId::parse(home).unwrap(),
    }
}

fn caller(username: &str) -> Caller {
    let u = match username {
        "town" => user("town", Role::TownStaff, TOWN),
        "worker_b" => user("worker_b", Role::GridWorker, GROUP_B),
        _ => user("worker_a", Role::GridWorker, GROUP_A),
    };
    Caller { user: u, device_id: format!("device-{username}") }
}

/// A migrated database file with the grid tree and three accounts.
pub(super) fn open() -> (tempfile::TempDir, Conn) {
    let dir = tempfile::tempdir().unwrap();
    let lite = rusqlite::Connection::open(dir.path().join("wangge.sqlite3")).unwrap();
    lite.pragma_update(None, "journal_mode", "WAL").unwrap();
    lite.pragma_update(None, "foreign_keys", "ON").unwrap();
    let mut conn = Conn::sqlite(lite);
    seed_world(&mut conn);
    (dir, conn)
}

/// The schema, the grid tree and three accounts, on either engine.
pub(super) fn seed_world(conn: &mut Conn) {
    migrations::run(conn).unwrap();
    let grids = vec![
        grid(DISTRICT, GridLevel::District, None),
        grid(TOWN, GridLevel::Town, Some(DISTRICT)),
        grid(COMMUNITY, GridLevel::Community, Some(TOWN)),
        grid(GROUP_A, GridLevel::Group, Some(COMMUNITY)),
        grid(GROUP_B, GridLevel::Group, Some(COMMUNITY)),
    ];
    seed::load(conn, &seed::Dataset { grids, ..Default::default() }).unwrap();
    for name in ["worker_a", "worker_b", "town"] {
        let u = caller(name).user;
        let new = NewUser {
            username: u.username,
            password: String::new(),
            person_id: u.person_id,
            name: u.name,
            roles: u.roles,
            home_grid: u.home_grid,
        };
        assert!(users::add_user(conn, &new, "not-a-hash", 0).unwrap());
    }
}

pub(super) fn put(seq: u64, collection: Collection, record: Value) -> PushItem {
    let id = record["id"].as_str().unwrap().to_string();
    let fields: BTreeMap<String, FieldWrite> = record
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), FieldWrite { value: v.clone(), base: 0 }))
        .collect();
    PushItem { seq, op: Ok(Op::Put { collection, id, fields }) }
}

pub(super) fn household(seq: u64, id: &str, grid: &str) -> PushItem {
    put(seq, Collection::Households, json!({"id": id, "grid": grid, "address": "二村3栋501", "tags": []}))
}

pub(super) fn batch(client: &str, epoch: Option<&str>, mutations: Vec<PushItem>) -> PushBatch {
    PushBatch { client_id: client.into(), epoch: epoch.map(str::to_string), mutations }
}

pub(super) fn member(who: &str, b: PushBatch) -> (Box<dyn Member>, Receiver<Result<PushOutcome, DbError>>) {
    let (tx, rx) = sync_channel(1);
    (Box::new(PushMember::new(caller(who), b, Reply::Blocking(tx))), rx)
}

/// Runs `members` as one group; each push's answer, in order.
pub(super) fn group(
    conn: &mut Conn,
    grids: &mut GridCache,
    members: Vec<(&str, PushBatch)>,
) -> Vec<Result<PushOutcome, DbError>> {
    let (members, replies): (Vec<_>, Vec<_>) = members.into_iter().map(|(who, b)| member(who, b)).unzip();
    run_group(conn, grids, members);
    replies.iter().map(|rx| rx.try_recv().expect("every member is answered")).collect()
}

pub(super) fn acked(outcome: &Result<PushOutcome, DbError>) -> u64 {
    match outcome {
        Ok(PushOutcome::Done(res)) => {
            assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{res:?}");
            res.acked_seq
        }
        other => panic!("expected Done, got {other:?}"),
    }
}

/// Counted on a second connection: only what the group committed is there.
fn count(dir: &tempfile::TempDir, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.path().join("wangge.sqlite3")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn refused_pushes_store_nothing_and_their_neighbours_apply() {
    let (dir, mut conn) = open();
    let mut grids = GridCache::default();
    // worker_b's client exists before the group, so worker_a can try to push through it.
    group(&mut conn, &mut grids, vec![("worker_b", batch("phone-b", None, vec![household(1, "hh-b1", GROUP_B)]))]);
    let out = group(
        &mut conn,
        &mut grids,
        vec![
            (
                "worker_a",
                batch("phone-gap", None, vec![household(1, "hh-gap1", GROUP_A), household(3, "hh-gap3", GROUP_A)]),
            ),
            ("worker_a", batch("phone-a", None, vec![household(1, "hh-a1", GROUP_A), household(2, "hh-a2", GROUP_A)])),
            ("worker_a", batch("phone-epoch", Some("another-database"), vec![household(1, "hh-epoch", GROUP_A)])),
            ("worker_a", batch("phone-b", None, vec![household(2, "hh-stolen", GROUP_A)])),
            ("worker_b", batch("phone-b", None, vec![household(2, "hh-b2", GROUP_B)])),
        ],
    );
    assert!(matches!(out[0], Ok(PushOutcome::Gap { expected: 2 })), "{:?}", out[0]);
    assert_eq!(acked(&out[1]), 2);
    assert!(matches!(out[2], Ok(PushOutcome::EpochMismatch { .. })), "{:?}", out[2]);
    assert!(matches!(out[3], Ok(PushOutcome::NotYourClient)), "{:?}", out[3]);
    assert_eq!(acked(&out[4]), 2, "the client's owner still pushes after the refusal");
    for refused in ["phone-gap", "phone-epoch"] {
        assert_eq!(count(&dir, &format!("SELECT count(*) FROM clients WHERE client_id = '{refused}'")), 0, "{refused}");
        assert_eq!(count(&dir, &format!("SELECT count(*) FROM mutation_results WHERE client_id = '{refused}'")), 0);
    }
    assert_eq!(
        count(&dir, "SELECT count(*) FROM records WHERE id IN ('hh-gap1', 'hh-gap3', 'hh-epoch', 'hh-stolen')"),
        0
    );
    assert_eq!(count(&dir, "SELECT count(*) FROM records WHERE id IN ('hh-a1', 'hh-a2', 'hh-b1', 'hh-b2')"), 4);
    assert_eq!(count(&dir, "SELECT last_seq FROM clients WHERE client_id = 'phone-b'"), 2);
}

#[test]
fn one_clients_pushes_in_a_group_apply_in_arrival_order() {
    let (dir, mut conn) = open();
    let mut grids = GridCache::default();
    let b = |seqs: [u64; 2]| {
        batch("phone-a", None, seqs.iter().map(|s| household(*s, &format!("hh-{s}"), GROUP_A)).collect())
    };
    let out =
        group(&mut conn, &mut grids, vec![("worker_a", b([1, 2])), ("worker_a", b([3, 4])), ("worker_a", b([3, 4]))]);
    assert_eq!((acked(&out[0]), acked(&out[1])), (2, 4));
    // The retry in the same group is answered from what the push before it stored.
    assert_eq!(acked(&out[2]), 4);
    let results = |o: &Result<PushOutcome, DbError>| match o {
        Ok(PushOutcome::Done(r)) => r.results.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(results(&out[1]), results(&out[2]));

    // Queued the other way round, the later batch arrives first and is a gap.
    let out = group(&mut conn, &mut grids, vec![("worker_a", b([7, 8])), ("worker_a", b([5, 6]))]);
    assert!(matches!(out[0], Ok(PushOutcome::Gap { expected: 5 })), "{:?}", out[0]);
    assert_eq!(acked(&out[1]), 6);
    assert_eq!(count(&dir, "SELECT count(*) FROM records WHERE id IN ('hh-7', 'hh-8')"), 0);
    assert_eq!(count(&dir, "SELECT last_seq FROM clients WHERE client_id = 'phone-a'"), 6);
}

#[test]
fn a_database_error_fails_only_the_push_that_hit_it() {
    let (dir, mut conn) = open();
    let mut grids = GridCache::default();
    // Stored data that no longer parses: only a push that reads it fails.
    conn.execute_batch(
        "INSERT INTO records (collection, id, grid, deleted, version) VALUES ('issues', 'issue-x', 'g500110001001001', 0, 1);
         INSERT INTO issue_events (event_id, issue_id, grid, event, version) VALUES ('ev-bad', 'issue-x', 'g500110001001001', '{not json', 2);",
    )
    .unwrap();
    let event = json!({"id": "ev-bad", "issue": "issue-x", "at": 1, "actor": "p-worker_a", "actor_role": "grid_worker", "kind": {"type": "reported"}});
    let hits_it =
        PushItem { seq: 2, op: Ok(serde_json::from_value(json!({"op": "append_event", "event": event})).unwrap()) };
    let out = group(
        &mut conn,
        &mut grids,
        vec![
            ("worker_a", batch("phone-1", None, vec![household(1, "hh-1", GROUP_A)])),
            ("worker_a", batch("phone-2", None, vec![household(1, "hh-2", GROUP_A), hits_it])),
            ("worker_a", batch("phone-3", None, vec![household(1, "hh-3", GROUP_A)])),
        ],
    );
    assert_eq!(acked(&out[0]), 1);
    assert!(matches!(out[1], Err(DbError::Corrupt(_))), "{:?}", out[1]);
    assert_eq!(acked(&out[2]), 1);
    assert_eq!(count(&dir, "SELECT count(*) FROM records WHERE id IN ('hh-1', 'hh-3')"), 2);
    assert_eq!(
        count(&dir, "SELECT count(*) FROM records WHERE id = 'hh-2'"),
        0,
        "the failed push's first mutation is undone"
    );
    assert_eq!(count(&dir, "SELECT count(*) FROM clients WHERE client_id = 'phone-2'"), 0);
}

/// Work that ends the group's transaction, as SQLite does itself on some I/O errors.
struct LosesTheTransaction(std::sync::mpsc::SyncSender<Result<(), DbError>>);

impl Member for LosesTheTransaction {
    fn weight(&self) -> usize {
        1
    }
    fn apply(&mut self, conn: &Conn, _: &mut GridCache, _: &BatchReads) -> Result<Verdict, DbError> {
        conn.execute_batch("ROLLBACK")?;
        Err(DbError::Worker("disk I/O error (simulated)".into()))
    }
    fn answer(self: Box<Self>, result: Result<(), DbError>) {
        let _ = self.0.send(result);
    }
}

#[test]
fn a_lost_transaction_costs_only_the_push_that_lost_it() {
    let (dir, mut conn) = open();
    let mut grids = GridCache::default();
    let (first, first_rx) = member("worker_a", batch("phone-1", None, vec![household(1, "hh-1", GROUP_A)]));
    let (tx, lost_rx) = sync_channel(1);
    let (last, last_rx) = member("worker_a", batch("phone-3", None, vec![household(1, "hh-3", GROUP_A)]));
    run_group(&mut conn, &mut grids, vec![first, Box::new(LosesTheTransaction(tx)), last]);
    assert!(lost_rx.try_recv().unwrap().is_err());
    // Applied once in the lost transaction, then again in a fresh one: answered once.
    assert_eq!(acked(&first_rx.try_recv().unwrap()), 1);
    assert!(first_rx.try_recv().is_err(), "one answer only");
    assert_eq!(acked(&last_rx.try_recv().unwrap()), 1);
    assert_eq!(count(&dir, "SELECT count(*) FROM records WHERE id IN ('hh-1', 'hh-3')"), 2);
    assert_eq!(count(&dir, "SELECT count(*) FROM mutation_results"), 2, "each seq stored once");
    assert!(conn.is_autocommit());
}

/// Work whose row breaks a foreign key that is only checked at COMMIT.
struct BreaksTheCommit;

impl Member for BreaksTheCommit {
    fn weight(&self) -> usize {
        1
    }
    fn apply(&mut self, conn: &Conn, _: &mut GridCache, _: &BatchReads) -> Result<Verdict, DbError> {
        conn.execute_batch(
            "PRAGMA defer_foreign_keys = ON;
             INSERT INTO clients (client_id, username, last_seq) VALUES ('orphan', 'nobody', 0);",
        )?;
        Ok(Verdict::Keep)
    }
    fn answer(self: Box<Self>, result: Result<(), DbError>) {
        assert!(result.is_err());
    }
}

#[test]
fn a_failed_commit_fails_every_push_in_the_group() {
    let (dir, mut conn) = open();
    let mut grids = GridCache::default();
    let (first, first_rx) = member("worker_a", batch("phone-1", None, vec![household(1, "hh-1", GROUP_A)]));
    let (last, last_rx) = member("worker_b", batch("phone-2", None, vec![household(1, "hh-2", GROUP_B)]));
    run_group(&mut conn, &mut grids, vec![first, Box::new(BreaksTheCommit), last]);
    assert!(matches!(first_rx.try_recv().unwrap(), Err(DbError::Group(_))));
    assert!(matches!(last_rx.try_recv().unwrap(), Err(DbError::Group(_))));
    assert_eq!(count(&dir, "SELECT count(*) FROM clients"), 0, "nothing of the group is stored");
    assert!(conn.is_autocommit());
    // And the writer goes on: the same pushes again, without the bad member, apply.
    let out =
        group(&mut conn, &mut grids, vec![("worker_a", batch("phone-1", None, vec![household(1, "hh-1", GROUP_A)]))]);
    assert_eq!(acked(&out[0]), 1);
}

#[test]
fn the_cached_grid_tree_follows_grid_writes() {
    let (dir, mut conn) = open();
    let mut grids = GridCache::default();
    let status = |o: &Result<PushOutcome, DbError>| match o {
        Ok(PushOutcome::Done(r)) => r.results[0].status,
        other => panic!("{other:?}"),
    };
    // Before the grid exists: out of scope (and the tree gets cached); then an
    // administrator's grid write; in the same group, the next push sees the new grid.
    let (early, early_rx) = member("town", batch("phone-t", None, vec![household(1, "hh-early", GROUP_C)]));
    let new = super::grids::NewGrid {
        id: GridId::parse(GROUP_C).unwrap(),
        name: GridName::parse("三组").unwrap(),
        level: GridLevel::Group,
        parent: GridId::parse(COMMUNITY).unwrap(),
        code: None,
    };
    let (tx, written_rx) = sync_channel(1);
    let write = move |c: &Conn| super::grids::create(c, &caller("town"), &new, 0).map(|r| r.is_ok());
    let super::writer::Job::Member(write) = super::writer::WriteMember::grid_job(write, Reply::Blocking(tx)) else {
        unreachable!()
    };
    let (late, late_rx) = member("town", batch("phone-t", None, vec![household(2, "hh-c", GROUP_C)]));
    run_group(&mut conn, &mut grids, vec![early, write, late]);
    assert_eq!(status(&early_rx.try_recv().unwrap()), MutationStatus::Rejected);
    assert!(written_rx.try_recv().unwrap().unwrap(), "the grid is written");
    assert_eq!(status(&late_rx.try_recv().unwrap()), MutationStatus::Applied);

    // A grid stored by another connection (the CLI, a second server handle) is seen too.
    let mut other = Conn::sqlite(rusqlite::Connection::open(dir.path().join("wangge.sqlite3")).unwrap());
    seed::load(
        &mut other,
        &seed::Dataset { grids: vec![grid(GROUP_D, GridLevel::Group, Some(COMMUNITY))], ..Default::default() },
    )
    .unwrap();
    let out = group(&mut conn, &mut grids, vec![("town", batch("phone-t", None, vec![household(3, "hh-d", GROUP_D)]))]);
    assert_eq!(status(&out[0]), MutationStatus::Applied);
}

#[test]
fn a_push_alone_in_its_group_is_refused_or_fails_without_a_trace() {
    // Alone, a push runs without a savepoint: the whole transaction is rolled back instead.
    let (dir, mut conn) = open();
    let mut grids = GridCache::default();
    let out = group(
        &mut conn,
        &mut grids,
        vec![("worker_a", batch("phone-gap", None, vec![household(2, "hh-gap", GROUP_A)]))],
    );
    assert!(matches!(out[0], Ok(PushOutcome::Gap { expected: 1 })), "{:?}", out[0]);
    let (first, first_rx) = member("worker_a", batch("phone-1", None, vec![household(1, "hh-1", GROUP_A)]));
    let (tx, lost_rx) = sync_channel(1);
    run_group(&mut conn, &mut grids, vec![first]);
    run_group(&mut conn, &mut grids, vec![Box::new(LosesTheTransaction(tx))]);
    assert_eq!(acked(&first_rx.try_recv().unwrap()), 1);
    assert!(lost_rx.try_recv().unwrap().is_err());
    run_group(&mut conn, &mut grids, vec![Box::new(BreaksTheCommit)]);
    assert!(conn.is_autocommit());
    assert_eq!(count(&dir, "SELECT count(*) FROM clients"), 1, "only phone-1");
    assert_eq!(count(&dir, "SELECT count(*) FROM records WHERE collection = 'households'"), 1);
}
