//! What the two servers must agree on, with what may legitimately differ taken out:
//! conflict ids (the model's are `<client>/<seq>/<field>`, the real server's opaque and
//! random, so conflicts are matched by content), the writer attribution the model does not
//! keep (`VersionedValue::by`/`at`, a conflict's `actor`), the human messages of refusals
//! (the model's are English, the server's Chinese: the stable codes are compared), the
//! record handed back with a refused put (`current`: the model's phones re-pull instead)
//! and epoch strings (each world checks its own). Versions are compared as they are: the
//! model is seeded with the real server's starting feed, so both count alike. An event a
//! phone dated a day ahead is placed at its receipt by both servers, each by its own clock
//! (milliseconds apart): its time is checked to be a receipt time, then compared as 0.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use wangge_core::issue::IssueEvent;
use wangge_core::EventId;

use wangge_core::sync::{Change, FieldConflict, MutationStatus, PullResponse, PushResponse, SyncState, VersionedValue};

use crate::real::PushReply;
use crate::{CONFLICT_IDS, REPLAY_KEEPS_CONFLICT};

/// Events generated with a clock a day ahead (ids are random, so one set serves every
/// seed's thread).
static AHEAD: Mutex<BTreeSet<EventId>> = Mutex::new(BTreeSet::new());

/// Marks an event whose device time both servers must replace by their receipt time.
pub(crate) fn placed_at_receipt(event: &IssueEvent) {
    AHEAD.lock().expect("no thread panicked holding it").insert(event.id.clone());
}

/// An event as compared: one dated ahead must have been placed at its receipt (within a
/// minute of now, not a day ahead), and its exact millisecond is then not compared.
fn event(e: &IssueEvent) -> IssueEvent {
    if !AHEAD.lock().expect("no thread panicked holding it").contains(&e.id) {
        return e.clone();
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let now = now.map_or(0, |d| d.as_millis() as i64);
    if (e.at - now).abs() > 60_000 {
        return e.clone(); // kept the device's time: left as it is, so the servers differ
    }
    IssueEvent { at: 0, ..e.clone() }
}

/// A conflict's content, which identifies it on both servers (ties are indistinguishable
/// and so interchangeable).
pub(crate) fn conflict_key(c: &FieldConflict) -> String {
    format!("{}/{}/{}/{}/{}/{}", c.collection.name(), c.record_id, c.field, c.client_id, c.device_value, c.server_value)
}

fn conflict(c: &FieldConflict) -> FieldConflict {
    let id = if CONFLICT_IDS { c.id.clone() } else { String::new() };
    FieldConflict { id, actor: String::new(), ..c.clone() }
}

fn fields(f: &BTreeMap<String, VersionedValue>) -> BTreeMap<String, VersionedValue> {
    f.iter().map(|(k, v)| (k.clone(), VersionedValue::new(v.value.clone(), v.version))).collect()
}

/// A state with conflicts keyed by content (`#n` for the n-th of equal content, settled
/// ones last) and no attribution.
pub(crate) fn state(s: &SyncState) -> SyncState {
    let records = s
        .records
        .iter()
        .map(|(k, r)| (k.clone(), wangge_core::sync::Record { version: r.version, fields: fields(&r.fields) }))
        .collect();
    let mut conflicts: Vec<FieldConflict> = s.conflicts.values().map(conflict).collect();
    conflicts.sort_by_key(|c| (conflict_key(c), c.resolved));
    let mut keyed = BTreeMap::new();
    for c in conflicts {
        let key = conflict_key(&c);
        let n = (0..).find(|n| !keyed.contains_key(&format!("{key}#{n}"))).unwrap_or(0);
        keyed.insert(format!("{key}#{n}"), c);
    }
    SyncState { records, events: s.events.iter().map(|(id, e)| (id.clone(), event(e))).collect(), conflicts: keyed }
}

fn change(c: &Change) -> Change {
    match c {
        Change::Upsert { collection, id, version, fields: f } => {
            Change::Upsert { collection: *collection, id: id.clone(), version: *version, fields: fields(f) }
        }
        Change::Conflict { version, conflict: c } => Change::Conflict { version: *version, conflict: conflict(c) },
        Change::Event { version, event: e } => Change::Event { version: *version, event: event(e) },
        other => other.clone(),
    }
}

/// A pull page without its epoch and attribution.
pub(crate) fn pull(p: &PullResponse) -> (Vec<Change>, u64, bool) {
    (p.changes.iter().map(change).collect(), p.cursor, p.has_more)
}

/// What is compared of a push reply: per seq its status and, when refused, its code; the
/// acknowledged seq; or the kind of whole refusal.
#[derive(Debug, PartialEq)]
pub(crate) enum Reply {
    Done { results: Vec<(u64, MutationStatus, Option<String>)>, acked_seq: u64 },
    EpochMismatch,
    Gap,
}

/// `stored`: the last seq the server held before this push, so the seqs up to it are
/// replays.
pub(crate) fn reply(r: &PushReply, stored: u64) -> Reply {
    let status = |seq: u64, s: MutationStatus| match s {
        MutationStatus::Conflict if seq <= stored && !REPLAY_KEEPS_CONFLICT => MutationStatus::Applied,
        s => s,
    };
    match r {
        PushReply::Done(PushResponse { results, acked_seq, .. }) => Reply::Done {
            results: results
                .iter()
                .map(|m| {
                    (m.seq, status(m.seq, m.status), m.code.clone().filter(|_| m.status == MutationStatus::Rejected))
                })
                .collect(),
            acked_seq: *acked_seq,
        },
        PushReply::EpochMismatch(_) => Reply::EpochMismatch,
        PushReply::Gap => Reply::Gap,
    }
}
