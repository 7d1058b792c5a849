//! Issues (问题/社情民意): the record a worker files, its append-only event history, and
//! the one state machine that derives where the issue stands from that history.
//!
//! The record (title, category, …) is an ordinary editable record. The lifecycle is never
//! edited: every step is an [`IssueEvent`] appended to the history, and the current
//! [`IssueState`] is always recomputed from the events, on the device and on the server
//! alike. Concurrent offline histories merge with [`derive()`], which keeps every event and
//! reports the ones that no longer hold as conflicts.

mod deadline;
mod derive;
mod event;
mod event_de;
#[cfg(test)]
use event_de::types as event_de_types;
#[cfg(test)]
mod event_wire_tests;
#[cfg(test)]
mod handoff_tests;
mod machine;
mod offer;
mod permission;
mod record;
mod state;
mod timing;
mod transition;

pub use deadline::Deadlines;
pub use derive::{derive, Conflict, Derived};
pub use event::{sort_events, Action, EventKind, IssueEvent};
pub use offer::{allowed_actions, may_edit_issue, role_allows, Actor, OFFERED};
pub use permission::{may_edit, may_take, Acting};
pub use record::{Category, Issue, Priority, Satisfaction, Source};
pub use state::{Handoff, IssueState, Rating, Status};
pub use timing::{accepted_time, MAX_AHEAD, OFFLINE_WINDOW};
pub use transition::TransitionError;
