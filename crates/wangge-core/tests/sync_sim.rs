//! Deterministic simulation of offline sync: several phones and the reference server, a
//! network that drops, duplicates and reorders messages, phones going offline, server
//! restarts and restores — then, once everything settles, every phone must equal the
//! server and every acknowledged mutation must still be there (or visibly lost to a
//! conflict). `WANGGE_SIM_SEED=1234` replays one seed; `WANGGE_SIM_SEEDS=n` runs n seeds.

use std::collections::BTreeSet;

use serde_json::json;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{EventKind, IssueEvent};
use wangge_core::people::Role;
use wangge_core::sync::{
    Collection, Mutation, MutationStatus, Op, PullRequest, PullResponse, PushError, PushRequest, PushResponse, Replica,
    ServerModel, SyncState, WHOLE_RECORD,
};
use wangge_core::{CommentText, IssueId, PersonId, Reason, Summary};

const REPLICAS: usize = 4;
const STEPS: usize = 400;
const SEEDS: u64 = 4_000;

/// SplitMix64: small, well known, identical on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone)]
enum Msg {
    Push(usize, PushRequest),
    /// A push's reply: the response, or the epoch of a server that refused it whole.
    PushReply(usize, PushRequest, Result<PushResponse, String>),
    Pull(usize, PullRequest),
    PullReply(usize, PullRequest, PullResponse),
}

/// A mutation the server stored, with the server version just before its push.
struct Acked {
    client: String,
    mutation: Mutation,
    before: u64,
}

struct World {
    rng: Rng,
    server: ServerModel,
    epochs: u32,
    phones: Vec<Replica>,
    online: Vec<bool>,
    flight: Vec<Msg>,
    acked: Vec<Acked>,
    rejected: BTreeSet<(String, u64)>,
    clock: i64,
    made: usize,
    /// Pushes refused whole for naming an old epoch.
    mismatches: usize,
}

impl World {
    fn new(seed: u64) -> World {
        World {
            rng: Rng(seed),
            server: ServerModel::new("epoch-0"),
            epochs: 0,
            phones: (0..REPLICAS).map(|i| Replica::new(format!("phone{i}"))).collect(),
            online: vec![true; REPLICAS],
            flight: Vec::new(),
            acked: Vec::new(),
            rejected: BTreeSet::new(),
            clock: 1_700_000_000_000,
            made: 0,
            mismatches: 0,
        }
    }

    fn step(&mut self) {
        self.clock += 1_000;
        let p = self.rng.below(REPLICAS);
        match self.rng.below(1000) {
            0..=299 => self.edit(p),
            300..=449 if self.online[p] => {
                let max = 1 + self.rng.below(6);
                if let Some(req) = self.phones[p].push_batch(max) {
                    self.flight.push(Msg::Push(p, req));
                }
            }
            450..=599 if self.online[p] => {
                let limit = 1 + self.rng.below(8) as u32;
                self.flight.push(Msg::Pull(p, self.phones[p].pull_request(limit)));
            }
            // An offline phone cannot reach the server. (This arm keeps those rolls from
            // falling through to the restore below, which made restores ~50 times likelier
            // than intended: servers were nearly always empty, so little met in the run.)
            300..=599 => {}
            600..=939 => self.deliver_one(),
            940..=989 => self.online[p] = !self.online[p],
            990..=997 => self.flight.clear(), // the server restarts: durable state stays
            _ if self.rng.chance(30) => self.restore_from_empty(),
            _ => {}
        }
    }

    /// The database is replaced by an empty one: whatever it acknowledged is gone.
    fn restore_from_empty(&mut self) {
        self.epochs += 1;
        self.server = ServerModel::new(format!("epoch-{}", self.epochs));
        self.flight.clear();
        self.acked.clear();
        self.rejected.clear();
    }

    fn deliver_one(&mut self) {
        if self.flight.is_empty() {
            return;
        }
        let i = self.rng.below(self.flight.len()); // any message may overtake any other
        let msg = self.flight.swap_remove(i);
        if self.rng.chance(10) {
            return; // dropped
        }
        if self.rng.chance(10) {
            self.flight.push(msg.clone()); // duplicated
        }
        match msg {
            Msg::Push(p, req) => {
                let resp = self.serve_push(&req);
                self.flight.push(Msg::PushReply(p, req, resp));
            }
            Msg::Pull(p, req) => self.flight.push(Msg::PullReply(p, req, self.server.pull(&req))),
            Msg::PushReply(p, req, Ok(resp)) if self.online[p] => self.phones[p].on_push_response(&req, &resp),
            Msg::PushReply(p, req, Err(epoch)) if self.online[p] => self.phones[p].on_epoch_mismatch(&req, &epoch),
            Msg::PullReply(p, req, resp) if self.online[p] => {
                self.phones[p].apply_pull(&req, &resp);
            }
            _ => {} // the phone went offline: the reply is lost
        }
    }

    /// The server, with a record of everything it newly stored or rejected. Err: the push
    /// was refused whole for naming another epoch (the server's is returned).
    fn serve_push(&mut self, req: &PushRequest) -> Result<PushResponse, String> {
        let (before, last) = (self.server.version(), self.server.last_seq(&req.client_id));
        let resp = match self.server.push_at(req, self.clock) {
            Ok(resp) => resp,
            Err(PushError::EpochMismatch { server_epoch }) => {
                self.mismatches += 1;
                return Err(server_epoch);
            }
            Err(e) => panic!("the phones send valid pushes: {e}"),
        };
        for r in resp.results.iter().filter(|r| r.seq > last && r.seq <= resp.acked_seq) {
            let mutation = req.mutations.iter().find(|m| m.seq == r.seq).unwrap().clone();
            if r.status == MutationStatus::Rejected {
                self.rejected.insert((req.client_id.clone(), r.seq));
            } else {
                self.acked.push(Acked { client: req.client_id.clone(), mutation, before });
            }
        }
        Ok(resp)
    }

    fn edit(&mut self, p: usize) {
        let r = self.rng.below(100);
        let value = json!(self.rng.below(4));
        let (shared, field) = (format!("H{}", self.rng.below(3)), ["a", "b", "c"][self.rng.below(3)]);
        let phone = &mut self.phones[p];
        match r {
            0..=36 => {
                phone.put(Collection::Households, &shared, [(field.to_owned(), value)].into());
            }
            37..=54 => {
                self.made += 1;
                let id = format!("P{p}-{}", self.made);
                phone.put(Collection::People, &id, [("name".to_owned(), value)].into());
            }
            55..=64 => {
                let keys: Vec<_> = phone.view().records.into_keys().collect();
                if !keys.is_empty() {
                    let (c, id) = &keys[self.rng.below(keys.len())];
                    phone.delete(*c, id);
                }
            }
            65..=90 => {
                let event = self.event(p);
                self.phones[p].append_event(event);
            }
            91..=96 => self.settle_a_conflict(p),
            _ => {
                phone.put(Collection::Households, &shared, [("_bad".to_owned(), value)].into());
            }
        }
    }

    /// Settles a conflict the phone shows: open or already settled, sometimes keeping the
    /// phone's value first (a put with a fresh base, then the settle), sometimes one no
    /// server knows.
    fn settle_a_conflict(&mut self, p: usize) {
        let view = self.phones[p].view();
        let mut shown: Vec<_> = view.conflicts.values().filter(|c| !c.resolved).collect();
        if shown.is_empty() || self.rng.chance(20) {
            shown = view.conflicts.values().collect();
        }
        if shown.is_empty() || self.rng.chance(5) {
            self.phones[p].settle_conflict("no-such-conflict");
            return;
        }
        let c = shown[self.rng.below(shown.len())];
        let live = view.record(c.collection, &c.record_id).is_some();
        if c.field != WHOLE_RECORD && live && self.rng.chance(50) {
            self.phones[p].put(c.collection, &c.record_id, [(c.field.clone(), c.device_value.clone())].into());
        }
        self.phones[p].settle_conflict(&c.id);
    }

    /// An event on one of two shared issues, stamped by a phone clock that may be off.
    fn event(&mut self, p: usize) -> IssueEvent {
        let issue = IssueId::parse(format!("I{}", self.rng.below(2))).unwrap();
        let kind = match self.rng.below(5) {
            0 => EventKind::Reported,
            1 => EventKind::Accepted,
            2 => EventKind::Commented { text: CommentText::parse("已上门").unwrap() },
            3 => EventKind::Resolved { summary: Summary::parse("已处理").unwrap() },
            _ => EventKind::Escalated {
                to: EscalationLevel::Community, reason: Reason::parse("需社区协调").unwrap()
            },
        };
        let at = self.clock + self.rng.below(20_000) as i64 - 10_000;
        let random: [u8; 10] = std::array::from_fn(|_| self.rng.next() as u8);
        let actor = PersonId::parse(format!("worker{p}")).unwrap();
        IssueEvent::new(issue, at, actor, Role::GridWorker, kind, random)
    }

    /// Everyone online, a reliable network, and sync until nothing changes.
    fn settle(&mut self, seed: u64) {
        self.flight.clear();
        self.online = vec![true; REPLICAS];
        for _round in 0..20 {
            let mut quiet = true;
            for p in 0..REPLICAS {
                for _ in 0..1000 {
                    let Some(req) = self.phones[p].push_batch(50) else { break };
                    match self.serve_push(&req) {
                        Ok(resp) => self.phones[p].on_push_response(&req, &resp),
                        Err(epoch) => self.phones[p].on_epoch_mismatch(&req, &epoch),
                    }
                    quiet = false;
                }
                assert!(self.phones[p].outbox().is_empty(), "seed {seed}: phone {p} cannot empty its outbox");
            }
            for p in 0..REPLICAS {
                quiet &= self.pull_all(p);
            }
            if quiet {
                return;
            }
        }
        panic!("seed {seed}: sync does not settle");
    }

    /// Pulls to the end; true when there was nothing new.
    fn pull_all(&mut self, p: usize) -> bool {
        let mut nothing_new = true;
        loop {
            let req = self.phones[p].pull_request(50);
            let resp = self.server.pull(&req);
            nothing_new &= resp.changes.is_empty();
            let used = self.phones[p].apply_pull(&req, &resp);
            if used && !resp.has_more {
                return nothing_new;
            }
            nothing_new = false; // an epoch change: the next pull starts from zero
        }
    }

    fn check(&self, seed: u64) {
        let state = self.server.state();
        for (p, phone) in self.phones.iter().enumerate() {
            assert!(phone.outbox().is_empty(), "seed {seed}: phone {p} still has an outbox");
            assert_eq!(phone.epoch(), Some(self.server.epoch()), "seed {seed}: phone {p} epoch");
            assert_eq!(phone.pulled(), &state, "seed {seed}: phone {p} pulled state differs from the server");
            assert_eq!(phone.view(), state, "seed {seed}: phone {p} view differs from the server");
        }
        for a in &self.acked {
            assert!(
                present(&state, &self.acked, a),
                "seed {seed}: acknowledged mutation lost: {} {:?}",
                a.client,
                a.mutation
            );
        }
        let shown: BTreeSet<(String, u64)> = self
            .phones
            .iter()
            .flat_map(|p| p.rejected().iter().map(|r| (r.client_id.clone(), r.mutation.seq)))
            .collect();
        // Every rejection the current server stored is under a client id a phone still uses:
        // a push naming an older epoch is refused whole, so nothing lands under an id the
        // phone abandons when it moves to this server's epoch.
        let missing: Vec<_> = self.rejected.difference(&shown).collect();
        assert!(missing.is_empty(), "seed {seed}: rejections never shown to the worker: {missing:?}");
    }
}

/// Is an acknowledged mutation still visible: current, superseded by a later change, or
/// kept as a conflict?
fn present(state: &SyncState, acked: &[Acked], a: &Acked) -> bool {
    let conflict = |id: &str, field: &str, value: &serde_json::Value| {
        state
            .conflicts
            .values()
            .any(|c| c.client_id == a.client && c.record_id == id && c.field == field && &c.device_value == value)
    };
    match &a.mutation.op {
        Op::Put { collection, id, fields } => fields.iter().all(|(name, write)| {
            let later_delete =
                || acked.iter().any(|d| d.before >= a.before && is_delete_of(&d.mutation.op, *collection, id));
            // A field gone from the server can only have gone with a delete after the write
            // (a record re-created by its deleter starts again with only the new fields).
            let kept = match state.record(*collection, id).and_then(|r| r.fields.get(name)) {
                Some(f) => f.value == write.value || f.version > a.before,
                None => later_delete(),
            };
            kept || conflict(id, name, &write.value)
        }),
        Op::Delete { collection, id, .. } => {
            state.record(*collection, id).is_none_or(|r| r.version > a.before)
                || conflict(id, WHOLE_RECORD, &serde_json::Value::Null)
        }
        // The server may have placed an implausibly dated event at its receipt.
        Op::AppendEvent { event } => state.events.get(&event.id).is_some_and(|e| e.same_apart_from_time(event)),
        // Conflicts are never removed and never unsettled.
        Op::SettleConflict { conflict } => state.conflicts.get(conflict).is_some_and(|c| c.resolved),
    }
}

fn is_delete_of(op: &Op, collection: Collection, id: &str) -> bool {
    matches!(op, Op::Delete { collection: c, id: i, .. } if *c == collection && i == id)
}

fn run(seed: u64) {
    let mut world = World::new(seed);
    for _ in 0..STEPS {
        world.step();
    }
    world.settle(seed);
    world.check(seed);
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| v.parse().unwrap_or_else(|_| panic!("{name} must be a number")))
}

#[test]
fn every_phone_converges_and_no_acknowledged_mutation_is_lost() {
    if let Some(seed) = env("WANGGE_SIM_SEED") {
        return run(seed);
    }
    for seed in 0..env("WANGGE_SIM_SEEDS").unwrap_or(SEEDS) {
        run(seed);
    }
}

#[test]
fn the_simulation_exercises_what_it_claims() {
    let (mut conflicts, mut settled, mut restores, mut events, mut mismatches) = (0, 0, 0, 0, 0);
    for seed in 0..200 {
        let mut world = World::new(seed);
        for _ in 0..STEPS {
            world.step();
        }
        world.settle(seed);
        let state = world.server.state();
        conflicts += state.conflicts.len();
        settled += state.conflicts.values().filter(|c| c.resolved).count();
        events += state.events.len();
        restores += world.epochs;
        mismatches += world.mismatches;
    }
    assert!(
        conflicts > 100 && events > 1000 && restores > 5,
        "{conflicts} conflicts, {events} events, {restores} restores"
    );
    assert!(mismatches > 5, "{mismatches} pushes refused for naming an old epoch");
    assert!(settled > 50 && settled < conflicts, "{settled} of {conflicts} conflicts settled");
}
