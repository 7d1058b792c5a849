//! Two worlds in lockstep: the reference `ServerModel` and the real server, each with its
//! own copy of every phone (a core `Replica`), one network between them that drops,
//! duplicates and reorders messages in the same way for both. Every request goes to both
//! servers and the answers are compared as they are made; the whole state at checkpoints
//! and at the end.

use wangge_core::sync::{MutationStatus, Op, PullRequest, PullResponse, PushError, PushRequest, Replica, ServerModel};
use wangge_demo::SplitMix64;

use crate::norm;
use crate::real::{PushReply, Real};
use crate::script::{self, Edit};

mod checks;

use checks::{same_request, seeded_model};

/// Each phone's account (index into `real::ACCOUNTS`): two phones each.
const PHONE_ACCOUNTS: [usize; 4] = [0, 0, 1, 1];
/// The phone whose pulls are the real server's state (the town's: it sees everything).
const OBSERVER: usize = 2;

type Step = Result<(), String>;

/// The same thing in both worlds: (model's, real's).
type Both<T> = (T, T);

#[derive(Clone)]
enum Msg {
    Push(usize, Both<PushRequest>),
    PushReply(usize, Both<PushRequest>, Both<PushReply>),
    Pull(usize, Both<PullRequest>),
    PullReply(usize, Both<PullRequest>, Both<PullResponse>),
}

/// How much of each situation a run met, so a test can say the generator reaches them.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Stats {
    pub(crate) conflicts: usize,
    pub(crate) settled: usize,
    pub(crate) rejected: usize,
    pub(crate) mismatches: usize,
    pub(crate) restarts: usize,
    pub(crate) epochs: usize,
    pub(crate) deletes: usize,
    pub(crate) events: usize,
}

pub(crate) struct World {
    rng: SplitMix64,
    model: ServerModel,
    real: Real,
    phones: Vec<Both<Replica>>,
    online: Vec<bool>,
    flight: Vec<Msg>,
    made: usize,
    step: usize,
    pub(crate) stats: Stats,
}

impl World {
    pub(crate) fn new(seed: u64) -> Result<World, String> {
        let real = Real::new(&PHONE_ACCOUNTS);
        let model = seeded_model(&real.initial, 0)?;
        let phones = (0..PHONE_ACCOUNTS.len())
            .map(|p| (Replica::new(format!("phone{p}")), Replica::new(format!("phone{p}"))))
            .collect();
        let mut world = World {
            rng: SplitMix64::new(seed),
            model,
            real,
            phones,
            online: vec![true; PHONE_ACCOUNTS.len()],
            flight: Vec::new(),
            made: 0,
            step: 0,
            stats: Stats::default(),
        };
        // Every phone has synced once: it knows the epoch, as a logged-in phone does. (The
        // first page is the same for all; the template checked that against the server.)
        let first = PullRequest { cursor: 0, limit: 1000 };
        let model_first = world.model.pull(&first);
        let (m, r) = (norm::pull(&model_first), norm::pull(&world.real.initial));
        if m != r {
            return Err(format!(
                "the seeded model's feed differs from the fresh server's:\n  model: {m:?}\n  real:  {r:?}"
            ));
        }
        for (model_phone, real_phone) in &mut world.phones {
            model_phone.apply_pull(&first, &model_first);
            real_phone.apply_pull(&first, &world.real.initial);
        }
        Ok(world)
    }

    pub(crate) fn step(&mut self) -> Step {
        self.step += 1;
        let p = self.rng.below(PHONE_ACCOUNTS.len() as u64) as usize;
        match self.rng.below(1000) {
            0..=299 => self.edit(p),
            300..=449 if self.online[p] => {
                let max = 1 + self.rng.below(6) as usize;
                match (self.phones[p].0.push_batch(max), self.phones[p].1.push_batch(max)) {
                    (None, None) => Ok(()),
                    (Some(m), Some(r)) => {
                        same_request(&m, &r)?;
                        self.flight.push(Msg::Push(p, (m, r)));
                        Ok(())
                    }
                    (m, r) => Err(format!("phone {p}: model world pushes {m:?}, real world {r:?}")),
                }
            }
            450..=599 if self.online[p] => {
                let limit = 1 + self.rng.below(8) as u32;
                let (m, r) = (self.phones[p].0.pull_request(limit), self.phones[p].1.pull_request(limit));
                self.flight.push(Msg::Pull(p, (m, r)));
                Ok(())
            }
            300..=599 => Ok(()), // offline: nothing reaches the server
            600..=939 => self.deliver_one(),
            940..=979 => {
                self.online[p] = !self.online[p];
                Ok(())
            }
            980..=985 => {
                // The server restarts: what was in flight is lost, what was stored stays.
                self.flight.clear();
                self.real.restart();
                self.stats.restarts += 1;
                self.check_servers("after a restart")
            }
            990..=991 => self.check_servers("at a checkpoint"),
            _ if self.rng.chance(300) => self.new_epoch(),
            _ => Ok(()),
        }
    }

    /// The database is replaced by one holding only the world (a backup from before the
    /// script, restored under a new epoch): on the model a new `ServerModel` seeded with
    /// the world, on the real server a fresh copy. Whatever was acknowledged is gone.
    fn new_epoch(&mut self) -> Step {
        self.stats.epochs += 1;
        self.flight.clear();
        self.real = Real::new(&PHONE_ACCOUNTS);
        self.model = seeded_model(&self.real.initial, self.stats.epochs)?;
        Ok(())
    }

    fn edit(&mut self, p: usize) -> Step {
        let at = self.real.now - 3600 * 1000 + self.step as i64 * 1000;
        let view = self.phones[p].0.view();
        let Some(edit) = script::draw(&mut self.rng, p, PHONE_ACCOUNTS[p], &view, &mut self.made, at) else {
            return Ok(());
        };
        match &edit {
            Edit::Delete { .. } => self.stats.deletes += 1,
            Edit::Event(_) => self.stats.events += 1,
            _ => {}
        }
        script::apply(&edit, &mut self.phones[p].0)?;
        script::apply(&edit, &mut self.phones[p].1).map_err(|e| format!("phone {p} (real world): {e}"))
    }

    fn deliver_one(&mut self) -> Step {
        if self.flight.is_empty() {
            return Ok(());
        }
        let i = self.rng.below(self.flight.len() as u64) as usize; // any message may overtake any other
        let msg = self.flight.swap_remove(i);
        if self.rng.chance(100) {
            return Ok(()); // dropped
        }
        if self.rng.chance(100) {
            self.flight.push(msg.clone()); // duplicated
        }
        match msg {
            Msg::Push(p, req) => {
                let reply = self.serve_push(p, &req)?;
                self.flight.push(Msg::PushReply(p, req, reply));
            }
            Msg::Pull(p, req) => {
                let reply = self.serve_pull(p, &req)?;
                self.flight.push(Msg::PullReply(p, req, reply));
            }
            Msg::PushReply(p, req, reply) if self.online[p] => self.hear_push(p, &req, &reply),
            Msg::PullReply(p, req, reply) if self.online[p] => {
                let used =
                    (self.phones[p].0.apply_pull(&req.0, &reply.0), self.phones[p].1.apply_pull(&req.1, &reply.1));
                if used.0 != used.1 {
                    return Err(format!(
                        "phone {p}: the model world used a pull page: {}, the real world: {}",
                        used.0, used.1
                    ));
                }
            }
            _ => {} // the phone went offline: the reply is lost
        }
        Ok(())
    }

    /// Both servers take the push; their answers must agree.
    fn serve_push(&mut self, p: usize, req: &Both<PushRequest>) -> Result<Both<PushReply>, String> {
        // The seqs up to here are replays (both servers hold the same, or the states differ).
        let before = self.model.last_seq(&req.0.client_id);
        // The model is told the server's clock, as the real server reads its own.
        let model = match self.model.push_at(&req.0, now_ms()) {
            Ok(res) => PushReply::Done(res),
            Err(PushError::SeqGap { .. }) => PushReply::Gap,
            Err(PushError::EpochMismatch { server_epoch }) => PushReply::EpochMismatch(server_epoch),
            Err(e) => return Err(format!("the model refused a phone's push: {e}")),
        };
        let real = self.real.push(p, &req.1);
        let (m, r) = (norm::reply(&model, before), norm::reply(&real, before));
        if m != r {
            return Err(format!("push from phone {p}:\n  {:?}\n  model: {m:?}\n  real:  {r:?}", req.0.mutations));
        }
        // Each answer names its own server's epoch (the strings differ by design).
        let epochs = |reply: &PushReply| match reply {
            PushReply::Done(res) => Some(res.epoch.clone()),
            PushReply::EpochMismatch(epoch) => Some(epoch.clone()),
            PushReply::Gap => None,
        };
        if epochs(&model).is_some_and(|e| e != self.model.epoch())
            || epochs(&real).is_some_and(|e| e != self.real.epoch)
        {
            return Err(format!("a push answer names another epoch than its server's: {model:?} / {real:?}"));
        }
        if let PushReply::Done(res) = &model {
            // Only what this push stored first (a replay is counted when it was new).
            for r in res.results.iter().filter(|r| r.seq > before) {
                let settle =
                    req.0.mutations.iter().any(|m| m.seq == r.seq && matches!(m.op, Op::SettleConflict { .. }));
                match r.status {
                    MutationStatus::Conflict => self.stats.conflicts += 1,
                    MutationStatus::Rejected => self.stats.rejected += 1,
                    MutationStatus::Applied if settle => self.stats.settled += 1,
                    MutationStatus::Applied => {}
                }
            }
        }
        if matches!(model, PushReply::EpochMismatch(_)) {
            self.stats.mismatches += 1;
        }
        Ok((model, real))
    }

    fn serve_pull(&mut self, p: usize, req: &Both<PullRequest>) -> Result<Both<PullResponse>, String> {
        let (model, real) = (self.model.pull(&req.0), self.real.pull(p, &req.1));
        if model.epoch != self.model.epoch() || real.epoch != self.real.epoch {
            return Err(format!(
                "a pull answer names another epoch than its server's: {} / {}",
                model.epoch, real.epoch
            ));
        }
        let (m, r) = (norm::pull(&model), norm::pull(&real));
        if m != r {
            let i = m.0.iter().zip(&r.0).take_while(|(a, b)| a == b).count();
            let (cm, cr) = (m.0.get(i), r.0.get(i));
            return Err(format!(
                "pull by phone {p} from {:?}: change {i} of {} / {} (cursor {} / {}, has_more {} / {}):\n  model: {cm:?}\n  real:  {cr:?}",
                req.0,
                m.0.len(),
                r.0.len(),
                m.1,
                r.1,
                m.2,
                r.2
            ));
        }
        Ok((model, real))
    }

    fn hear_push(&mut self, p: usize, req: &Both<PushRequest>, reply: &Both<PushReply>) {
        let phone = &mut self.phones[p];
        for (phone, req, reply) in [(&mut phone.0, &req.0, &reply.0), (&mut phone.1, &req.1, &reply.1)] {
            match reply {
                PushReply::Done(res) => phone.on_push_response(req, res),
                PushReply::EpochMismatch(epoch) => phone.on_epoch_mismatch(req, epoch),
                PushReply::Gap => {} // nothing stored; the phone pushes again from its oldest
            }
        }
    }

    pub(crate) fn step_number(&self) -> usize {
        self.step
    }
}

/// The wall clock in ms, as the real server reads it when a push arrives.
fn now_ms() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| d.as_millis() as i64)
}
