//! The writer: one thread owns the connection every write goes through, and commits writes
//! in groups. With `synchronous=FULL` each COMMIT waits for an fsync (milliseconds on a real
//! disk), so one transaction per push made pushes queue behind the disk while the CPU sat
//! idle. Here the thread takes the first queued job, drains whatever else is already
//! queued (up to [`MAX_MEMBERS`] jobs or [`MAX_WEIGHT`] mutations), applies each under its
//! own SAVEPOINT inside one IMMEDIATE transaction, commits once, and only then answers them
//! all: one fsync for the whole group, and still no reply before the COMMIT holding it.
//!
//! A member that refuses (a push with a seq gap, say) or fails rolls back to its savepoint,
//! so it stores nothing and its neighbours are untouched. If SQLite itself abandons the
//! transaction (it may, on I/O errors or a full disk), the failing member is answered with
//! its error and the others are applied again in a fresh transaction: none of them has been
//! answered yet, so re-running them is invisible to their callers. If the COMMIT fails,
//! every member fails: each answer was computed against state that never became durable.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::thread::JoinHandle;

use super::batch_fetch::Wanted;
use super::batch_reads::BatchReads;
use super::sql::{Conn, Dialect};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use super::store::GridCache;
use super::DbError;

/// At most this many jobs share a commit, so the first one's wait stays bounded.
const MAX_MEMBERS: usize = 64;
/// And at most about this many mutations (a few 500-mutation pushes fill a group alone).
const MAX_WEIGHT: usize = 2_000;

/// What a member's work decided about what it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Release the savepoint: the writes go into the group's commit.
    Keep,
    /// Roll back to the savepoint: the member was refused and stores nothing.
    Undo,
}

/// One caller's work inside a group. `apply` may run more than once (in a fresh
/// transaction, if another member's error made SQLite drop the first); `answer` runs
/// exactly once, after the group's fate is known.
pub(super) trait Member: Send {
    /// Mutations carried, for [`MAX_WEIGHT`].
    fn weight(&self) -> usize;
    /// Announces what the member will read, so the group reads it for every member at
    /// once before the first is applied (`batch_reads.rs`).
    fn wants(&self, _wanted: &mut Wanted) {}
    /// Whether the member keeps the group's reads true as it writes; the writer forgets
    /// them after any member that does not.
    fn keeps_reads(&self) -> bool {
        false
    }
    /// Does the work on `conn`, inside the member's savepoint. `grids` is the grid tree
    /// the writer keeps between jobs (see [`GridCache`]); `reads` what the group read.
    fn apply(&mut self, conn: &Conn, grids: &mut GridCache, reads: &BatchReads) -> Result<Verdict, DbError>;
    /// Ok once the COMMIT holding the work returned; the error otherwise.
    fn answer(self: Box<Self>, result: Result<(), DbError>);
}

/// Work that must run alone on the connection, outside any transaction (loading a data
/// set, which opens its own; maintenance through [`super::Db::call_blocking`]).
pub(super) type Exclusive = Box<dyn FnOnce(&mut Conn) + Send>;

pub(super) enum Job {
    Member(Box<dyn Member>),
    Exclusive(Exclusive),
}

/// The sending half; dropping the last [`Writer`] stops the thread after the queue drains.
pub(super) struct Writer {
    tx: Option<UnboundedSender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the writer thread on `conn` (opened, configured and migrated by the caller).
    pub(super) fn start(conn: Conn) -> Result<Writer, DbError> {
        // Unbounded: every job is a caller awaiting its answer, so the queue can never
        // hold more than the requests in flight (bounded by the HTTP server).
        let (tx, rx) = unbounded_channel();
        let thread = std::thread::Builder::new()
            .name("wangge-db-writer".into())
            .spawn(move || run(conn, rx))
            .map_err(|e| DbError::Worker(format!("start the writer thread: {e}")))?;
        Ok(Writer { tx: Some(tx), thread: Some(thread) })
    }

    pub(super) fn send(&self, job: Job) -> Result<(), DbError> {
        let stopped = || DbError::Worker("the database writer has stopped".into());
        self.tx.as_ref().ok_or_else(stopped)?.send(job).map_err(|_| stopped())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop once it has answered what is queued;
        // joining closes the connection before the database files are reused (tests start
        // a server binary on a folder a `Db` has just seeded).
        drop(self.tx.take());
        if let Some(thread) = self.thread.take() {
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

fn run(mut conn: Conn, mut rx: UnboundedReceiver<Job>) {
    let mut next = None;
    let mut grids = GridCache::default();
    loop {
        let Some(first) = next.take().or_else(|| rx.blocking_recv()) else { return };
        match first {
            Job::Exclusive(f) => {
                exclusive(&mut conn, f);
                // It may have written grids, and the connection's own commits do not move
                // its data_version.
                grids.forget();
            }
            Job::Member(m) => {
                let mut weight = m.weight();
                let mut group = vec![m];
                while group.len() < MAX_MEMBERS && weight < MAX_WEIGHT {
                    match rx.try_recv() {
                        Ok(Job::Member(m)) => {
                            weight += m.weight();
                            group.push(m);
                        }
                        // Runs after this group, so jobs keep their arrival order.
                        Ok(job @ Job::Exclusive(_)) => {
                            next = Some(job);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                run_group(&mut conn, &mut grids, group);
            }
        }
    }
}

fn exclusive(conn: &mut Conn, f: Exclusive) {
    // The closure answers its caller itself; a panic drops its reply sender, which the
    // caller sees as a failed worker, and the thread keeps serving.
    if catch_unwind(AssertUnwindSafe(|| f(conn))).is_err() {
        tracing::error!("a database job panicked");
    }
    if !conn.is_autocommit() {
        // A job that left a transaction open would make the next BEGIN fail.
        let _ = conn.rollback();
    }
}

/// Applies `pending` in one transaction and answers every member.
pub(super) fn run_group(conn: &mut Conn, grids: &mut GridCache, mut pending: Vec<Box<dyn Member>>) {
    // On PostgreSQL the first pass is hopeful: no savepoints, writes queued
    // (`pg_pipeline.rs`) and rows of a kind gathered across members (`pg_rows.rs`), so a
    // group costs a handful of round trips and statements. If a queued write fails (at a
    // later statement or the COMMIT) or a member must be undone alone, the group is
    // rolled back and applied again carefully, each member under an awaited savepoint,
    // so a failure is its own; nothing was answered before, so it is invisible. SQLite
    // runs every statement at once: its passes are always careful.
    let (mut careful, mut fetch) = (conn.dialect() == Dialect::Sqlite, true);
    // Each pass either commits (or fails) the group, or loses one member to an error that
    // cost the transaction and goes round again without it: at most `pending.len()` passes
    // (and one hopeful pass before them).
    loop {
        // A member alone needs no savepoint: the transaction is all its own to roll back.
        // (A savepoint copies every page its member first touches; a single device's
        // 500-mutation pushes were a tenth slower for it.)
        let alone = pending.len() == 1;
        let (started, trips) = (std::time::Instant::now(), conn.round_trips());
        if let Err(e) = conn.begin_write() {
            grids.forget();
            return fail_all(pending, &e);
        }
        grids.new_transaction();
        let mut wanted = Wanted::default();
        pending.iter().for_each(|m| m.wants(&mut wanted));
        let reads = match (fetch).then(|| BatchReads::fetch(conn, &wanted)) {
            None => BatchReads::default(),
            Some(Ok(reads)) => reads,
            Some(Err(e)) => {
                // Stored data that no longer parses (or a broken statement) must fail only
                // the member that reads it: again, each member reading for itself.
                tracing::warn!(error = %e, "a write group's reads failed; reading per member");
                if !conn.is_autocommit() {
                    let _ = conn.rollback();
                }
                grids.forget();
                (fetch, careful) = (false, true);
                continue;
            }
        };
        let mut staged: Vec<Box<dyn Member>> = Vec::with_capacity(pending.len());
        let mut queue = pending.into_iter();
        let (mut lost, mut undo_all, mut hope_failed) = (false, false, false);
        for mut member in queue.by_ref() {
            match apply_one(conn, grids, &reads, member.as_mut(), !alone, careful) {
                Ok(verdict) => {
                    undo_all = alone && verdict == Verdict::Undo;
                    staged.push(member);
                }
                Err(_) if !careful => {
                    // Maybe an earlier member's queued write: find out carefully.
                    staged.push(member);
                    hope_failed = true;
                    break;
                }
                Err((e, transaction_lost)) => {
                    member.answer(Err(e));
                    if transaction_lost {
                        lost = true;
                        break;
                    }
                }
            }
        }
        if hope_failed {
            if !conn.is_autocommit() {
                let _ = conn.rollback();
            }
            grids.forget();
            careful = true;
            pending = staged.into_iter().chain(queue).collect();
            continue;
        }
        if lost {
            if !conn.is_autocommit() {
                let _ = conn.rollback();
            }
            // The tree may hold grids written by members whose work is gone now.
            grids.forget();
            pending = staged.into_iter().chain(queue).collect();
            if pending.is_empty() {
                return;
            }
            tracing::warn!(retried = pending.len(), "a write transaction was lost; retrying the rest of its group");
            continue;
        }
        if undo_all {
            // The lone member was refused: nothing of it may stay.
            let _ = conn.rollback();
            staged.into_iter().for_each(|m| m.answer(Ok(())));
            return;
        }
        let applied = started.elapsed();
        match conn.commit() {
            Ok(()) => {
                let (apply_ms, commit_ms) =
                    (applied.as_secs_f64() * 1e3, (started.elapsed() - applied).as_secs_f64() * 1e3);
                let round_trips = conn.round_trips() - trips;
                tracing::debug!(members = staged.len(), apply_ms, commit_ms, round_trips, "group committed");
                staged.into_iter().for_each(|m| m.answer(Ok(())));
            }
            Err(_) if !careful => {
                // A queued write failed: which member's, the careful pass says.
                let _ = conn.rollback();
                grids.forget();
                careful = true;
                pending = staged;
                continue;
            }
            Err(e) => {
                let _ = conn.rollback();
                grids.forget();
                fail_all(staged, &e);
            }
        }
        return;
    }
}

/// Runs one member, under its own savepoint if `savepoint` (else the caller rolls the
/// whole transaction back when it is refused). On failure: the error, and whether the
/// group's transaction went with it (always, without a savepoint).
fn apply_one(
    conn: &Conn,
    grids: &mut GridCache,
    reads: &BatchReads,
    member: &mut dyn Member,
    savepoint: bool,
    careful: bool,
) -> Result<Verdict, (DbError, bool)> {
    // Hopeful: no savepoint (they change nothing when every member keeps its writes, and
    // would split the gathered rows); a member to be undone alone makes the pass careful.
    let (grouped, savepoint) = (savepoint, savepoint && careful);
    if savepoint {
        // Goes out with the member's first statement (on PostgreSQL; `pg_pipeline.rs`).
        conn.control_later("SAVEPOINT member").map_err(|e| (e, true))?;
    }
    let result = catch_unwind(AssertUnwindSafe(|| member.apply(conn, grids, reads)))
        .unwrap_or_else(|_| Err(DbError::Worker("a database job panicked".into())));
    if !member.keeps_reads() || !matches!(result, Ok(Verdict::Keep)) {
        // Its writes are unknown to the reads, or about to be rolled back.
        reads.forget_all();
    }
    if !careful && (result.is_err() || (grouped && matches!(result, Ok(Verdict::Undo)))) {
        let undo = || DbError::Worker("a refused member needs the careful pass to be undone alone".into());
        return Err((result.err().unwrap_or_else(undo), true));
    }
    if conn.is_autocommit() {
        // SQLite rolled the whole transaction back (or the work ended it): nothing is left.
        let e = result.err().unwrap_or_else(|| DbError::Worker("a job ended the group's transaction".into()));
        return Err((e, true));
    }
    if !savepoint {
        return result.map_err(|e| (e, true));
    }
    let undo = match &result {
        Ok(Verdict::Keep) => false,
        Ok(Verdict::Undo) | Err(_) => true,
    };
    if undo {
        // ROLLBACK TO keeps the savepoint open; RELEASE then pops it.
        if let Err(e) = conn.control("ROLLBACK TO member").and_then(|()| conn.control("RELEASE member")) {
            return Err((result.err().unwrap_or(e), true));
        }
    } else if let Err(e) = conn.control("RELEASE member") {
        return Err((e, true));
    }
    result.map_err(|e| (e, false))
}

fn fail_all(members: Vec<Box<dyn Member>>, e: &DbError) {
    tracing::error!(error = %e, members = members.len(), "a group of writes failed");
    for m in members {
        m.answer(Err(DbError::Group(e.to_string())));
    }
}

/// Where a job's result goes: an async caller's oneshot, or a blocking caller's channel
/// (the CLI and tests call from outside, or even inside, an async runtime, where a
/// oneshot's `blocking_recv` would panic).
pub(super) enum Reply<T> {
    Async(tokio::sync::oneshot::Sender<Result<T, DbError>>),
    Blocking(std::sync::mpsc::SyncSender<Result<T, DbError>>),
}

impl<T> Reply<T> {
    pub(super) fn send(self, result: Result<T, DbError>) {
        // A caller that went away (client hung up) does not undo what was stored.
        let _ = match self {
            Reply::Async(tx) => tx.send(result).map_err(|_| ()),
            Reply::Blocking(tx) => tx.send(result).map_err(|_| ()),
        };
    }
}

/// A small write (a device row, an account) as a group member: kept whenever it succeeds.
pub(super) struct WriteMember<T, F> {
    f: F,
    value: Option<T>,
    reply: Reply<T>,
    /// The write may change grids: the writer's cached tree must not outlive it.
    grids: bool,
}

impl<T, F> WriteMember<T, F>
where
    T: Send + 'static,
    F: FnMut(&Conn) -> Result<T, DbError> + Send + 'static,
{
    pub(super) fn job(f: F, reply: Reply<T>) -> Job {
        Job::Member(Box::new(WriteMember { f, value: None, reply, grids: false }))
    }

    /// The same, for a write that may change the grid tree (an administrator's).
    pub(super) fn grid_job(f: F, reply: Reply<T>) -> Job {
        Job::Member(Box::new(WriteMember { f, value: None, reply, grids: true }))
    }
}

impl<T, F> Member for WriteMember<T, F>
where
    T: Send,
    F: FnMut(&Conn) -> Result<T, DbError> + Send,
{
    fn weight(&self) -> usize {
        1
    }

    fn apply(&mut self, conn: &Conn, grids: &mut GridCache, _reads: &BatchReads) -> Result<Verdict, DbError> {
        if self.grids {
            grids.forget();
        }
        self.value = Some((self.f)(conn)?);
        Ok(Verdict::Keep)
    }

    fn answer(self: Box<Self>, result: Result<(), DbError>) {
        let this = *self;
        let answer =
            result.and_then(|()| this.value.ok_or_else(|| DbError::Worker("write answered before it ran".into())));
        this.reply.send(answer);
    }
}
