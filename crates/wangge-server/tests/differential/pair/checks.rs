//! The whole-state side of the differential test: pulling to the end, letting sync
//! settle, comparing the servers' states and the phones' views, and seeding a fresh model
//! with the real server's starting feed.

use std::collections::BTreeMap;

use wangge_core::sync::{Change, Mutation, Op, PullRequest, PullResponse, PushRequest, ServerModel, SyncState};
use wangge_core::SCHEMA_VERSION;

use super::{Step, World, OBSERVER, PHONE_ACCOUNTS};
use crate::norm;

impl World {
    /// Pulls to the end in both worlds; true when there was nothing new.
    pub(super) fn pull_all(&mut self, p: usize) -> Result<bool, String> {
        let mut nothing_new = true;
        for _ in 0..1000 {
            let req = (self.phones[p].0.pull_request(50), self.phones[p].1.pull_request(50));
            let (m, r) = self.serve_pull(p, &req)?;
            nothing_new &= m.changes.is_empty();
            let used = self.phones[p].0.apply_pull(&req.0, &m);
            if used != self.phones[p].1.apply_pull(&req.1, &r) {
                return Err(format!("phone {p}: the worlds disagree whether to use a pull page"));
            }
            if used && !m.has_more {
                return Ok(nothing_new);
            }
            nothing_new = false; // an epoch change: the next pull starts from zero
        }
        Err(format!("phone {p}: pulling never ends"))
    }

    /// Everyone online, a reliable network, sync until nothing changes; then every phone
    /// must show the same in both worlds, and what its server holds.
    pub(crate) fn settle(&mut self) -> Step {
        self.step += 1;
        self.flight.clear();
        self.online.fill(true);
        for _round in 0..20 {
            let mut quiet = true;
            for p in 0..PHONE_ACCOUNTS.len() {
                for _ in 0..1000 {
                    let (Some(m), Some(r)) = (self.phones[p].0.push_batch(50), self.phones[p].1.push_batch(50)) else {
                        break;
                    };
                    same_request(&m, &r)?;
                    let req = (m, r);
                    let reply = self.serve_push(p, &req)?;
                    self.hear_push(p, &req, &reply);
                    quiet = false;
                }
                let outboxes = (self.phones[p].0.outbox().len(), self.phones[p].1.outbox().len());
                if outboxes != (0, 0) {
                    return Err(format!("phone {p} cannot empty its outbox: {outboxes:?} left (model, real)"));
                }
            }
            for p in 0..PHONE_ACCOUNTS.len() {
                quiet &= self.pull_all(p)?;
            }
            if quiet {
                return self.check_phones();
            }
        }
        Err("sync does not settle".into())
    }

    /// The model's state against the real server's whole feed, as a phone that pulled
    /// everything would hold it.
    pub(super) fn check_servers(&mut self, when: &str) -> Step {
        let (model, real) = (norm::state(&self.model.state()), norm::state(&self.real_state()));
        diff(&model, &real).map_err(|d| format!("the servers' states differ {when}: {d}"))
    }

    fn real_state(&self) -> SyncState {
        let mut state = SyncState::default();
        let mut cursor = 0;
        loop {
            let page = self.real.pull(OBSERVER, &PullRequest { cursor, limit: 1000 });
            page.changes.iter().for_each(|c| state.apply_change(c));
            cursor = page.cursor;
            if !page.has_more {
                return state;
            }
        }
    }

    fn check_phones(&mut self) -> Step {
        self.check_servers("after sync settled")?;
        let server = norm::state(&self.model.state());
        for (p, (m, r)) in self.phones.iter().enumerate() {
            let (m, r) = (norm::state(&m.view()), norm::state(&r.view()));
            diff(&m, &r).map_err(|d| format!("phone {p} shows different things in the two worlds: {d}"))?;
            diff(&server, &m).map_err(|d| format!("phone {p} differs from its server: {d}"))?;
        }
        Ok(())
    }

    /// Compares the whole states now (`WANGGE_DIFF_CHECK_EVERY_STEP=1` does it after every
    /// step, to find where a replayed seed first drifts).
    pub(crate) fn check_now(&mut self) -> Step {
        self.check_servers("after this step")
    }
}

/// A model fresh for `epoch`, holding what the real server starts with (the world and the
/// accounts' person records), one version each, so both count versions alike from here.
pub(super) fn seeded_model(start: &PullResponse, epoch: usize) -> Result<ServerModel, String> {
    let mut model = ServerModel::new(format!("epoch-{epoch}"));
    let mutations: Vec<Mutation> = start
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let op = match c {
                Change::Upsert { collection, id, fields, .. } => Op::Put {
                    collection: *collection,
                    id: id.clone(),
                    fields: fields
                        .iter()
                        .map(|(k, v)| (k.clone(), wangge_core::sync::FieldWrite { value: v.value.clone(), base: 0 }))
                        .collect(),
                },
                Change::Event { event, .. } => Op::AppendEvent { event: event.clone() },
                other => panic!("a fresh database's feed holds records and events only: {other:?}"),
            };
            Mutation { seq: i as u64 + 1, op }
        })
        .collect();
    let push = PushRequest { client_id: "world-seed".into(), schema_version: SCHEMA_VERSION, mutations, epoch: None };
    model.push(&push).map_err(|e| format!("seeding the model: {e}"))?;
    let (m, r) = (
        norm::state(&model.state()),
        norm::state(&{
            let mut s = SyncState::default();
            start.changes.iter().for_each(|c| s.apply_change(c));
            s
        }),
    );
    diff(&m, &r).map_err(|d| format!("the seeded model differs from the fresh server: {d}"))?;
    Ok(model)
}

/// The first difference between two normalised states, said plainly.
fn diff(model: &SyncState, real: &SyncState) -> Step {
    fn first<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
        what: &str,
        m: &BTreeMap<K, V>,
        r: &BTreeMap<K, V>,
    ) -> Step {
        for (k, v) in m {
            match r.get(k) {
                None => return Err(format!("{what} {k:?} only on the model: {v:?}")),
                Some(w) if w != v => return Err(format!("{what} {k:?}:\n  model: {v:?}\n  real:  {w:?}")),
                Some(_) => {}
            }
        }
        match r.iter().find(|(k, _)| !m.contains_key(k)) {
            Some((k, v)) => Err(format!("{what} {k:?} only on the real server: {v:?}")),
            None => Ok(()),
        }
    }
    first("record", &model.records, &real.records)?;
    first("event", &model.events, &real.events)?;
    first("conflict", &model.conflicts, &real.conflicts)
}

/// Both worlds' phones send the same mutations (a settle names each world's own id).
pub(super) fn same_request(m: &PushRequest, r: &PushRequest) -> Step {
    let plain = |req: &PushRequest| -> Vec<Mutation> {
        req.mutations
            .iter()
            .map(|x| match &x.op {
                Op::SettleConflict { conflict } if conflict != "no-such-conflict" => {
                    Mutation { seq: x.seq, op: Op::SettleConflict { conflict: "?".into() } }
                }
                _ => x.clone(),
            })
            .collect()
    };
    if m.client_id != r.client_id || plain(m) != plain(r) {
        return Err(format!("the phones push different batches:\n  model: {m:?}\n  real:  {r:?}"));
    }
    Ok(())
}
