//! Merging concurrent histories: sort every event into the one total order, apply each in
//! turn, and keep — never drop — the ones that no longer hold, reporting them as conflicts.
//!
//! Two phones offline: one resolves the issue, the other escalates it. Both events reach
//! the server and both stay in the history. Whichever sorts first by `(at, id)` wins; the
//! other is a conflict that every device shows for someone to settle.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{IssueEvent, IssueState, TransitionError};
use crate::EventId;

/// An event kept in the history that does not hold on the state at its place in it.
pub type Conflict = (EventId, TransitionError);

/// The outcome of [`derive()`]: the state, and which events applied or conflicted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derived {
    /// The state after applying every event that holds.
    pub state: IssueState,
    /// Events that applied, in order.
    pub applied: Vec<EventId>,
    /// Events that did not hold, in order, with the reason. They remain in the history.
    pub conflicts: Vec<Conflict>,
}

/// Derives an issue's state from all its known events, in whatever order they arrived.
///
/// Every event ends up in exactly one of `applied` or `conflicts`, so
/// `applied.len() + conflicts.len() == events.len()`. A repeated event id (a retried
/// upload) is a [`TransitionError::DuplicateEvent`] conflict rather than applied twice.
///
/// The result does not depend on the order the events arrived in, as long as an id names
/// one event only (ids carry 80 random bits; the server refuses a reused id with different
/// content before it gets here).
pub fn derive(events: &[IssueEvent]) -> Derived {
    let mut order: Vec<&IssueEvent> = events.iter().collect();
    crate::sort::sort_by(&mut order, |a, b| a.order_key().cmp(&b.order_key()));
    let mut state = IssueState::default();
    let mut seen = HashSet::with_capacity(order.len());
    let mut applied = Vec::with_capacity(order.len());
    let mut conflicts = Vec::new();
    for e in order {
        let outcome = if seen.insert(&e.id) { state.apply(e) } else { Err(TransitionError::DuplicateEvent) };
        match outcome {
            Ok(()) => applied.push(e.id.clone()),
            Err(err) => conflicts.push((e.id.clone(), err)),
        }
    }
    Derived { state, applied, conflicts }
}
