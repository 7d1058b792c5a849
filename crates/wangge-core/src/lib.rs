//! Wangge's core: the domain records, their validation, the issue state machine and the
//! sync rules, shared by the browser app and the server so the two never disagree.
//!
//! **This crate never does I/O**: no clocks, no randomness, no network, no storage. Callers
//! pass the current time (unix milliseconds, [`Millis`]) and random bytes in.
//!
//! Map of the crate:
//! - [`grid`]: the grid tree (区县 → 镇街 → 村社区 → 小组 → 楼栋), the escalation ladder and
//!   the scope check that keeps each worker inside their own part of the tree.
//! - [`people`], [`household`], [`unit`](mod@unit): the rosters; [`IdCardNumber`]: a
//!   checked ID-card number (GB 11643), never serialised.
//! - [`issue`]: issue records, their append-only event history and the one state machine
//!   that derives the current state from it (including merging concurrent histories).
//! - [`meeting`]: the joint committee's monthly meetings (联席会议) and on-site offices
//!   (现场办公): who attended, which issues were on the agenda and what was decided.
//! - [`mediation`]: disputes mediated to a signed agreement (人民调解协议书) and its terms
//!   kept to; [`lists`]: the community's three lists (resources, projects, needs) matched.
//! - [`photo`]: photos as records reference them (content-addressed by SHA-256).
//! - [`task`]: work sent down the grid (任务下发), a record per grid node it reached, its
//!   targets ticked off one result at a time; progress and the sender's board.
//! - [`emergency`]: emergency mode (平急转换) — a node switched with a reason, who reported
//!   available (主动报到), the call roster and the live board of vulnerable households.
//! - [`visit`]: household visits and the schedule that says who is due a visit.
//! - [`export`]: the list exports' columns and cells, and CSV with formula text
//!   neutralised (the server's `.xlsx`/CSV and the phone's offline CSV).
//! - [`stats`]: dashboard figures, as pure functions over the records.
//! - [`sort`](mod@sort): the one stable sort everything uses (one copy in the wasm).
//! - [`sync`]: the device ↔ server wire protocol and the merge rules.
//! - [`record_type`]: one description per record type (scope, author, text checks,
//!   merge, labels), read by the server's checks, the phone's conflict screen and store.
//! - [`refusal`]: why the server refused a change, with stable codes and zh/en messages.
//! - [`DataSet`]: every record of a data set loaded at once (the demo generator, crate
//!   `wangge-demo`, makes one).
//! - [`DomainError`]: the one error type, with Chinese and English messages a field worker
//!   can act on and a stable machine code for the API.

#[macro_use]
mod labels;

pub mod assessment;
pub mod committee_stats;
mod dataset;
mod de_by_hand;
pub mod emergency;
mod error;
pub mod export;
pub mod grid;
pub mod household;
mod id_card;
mod ids;
pub mod issue;
pub mod lists;
mod location;
pub mod mediation;
pub mod meeting;
#[cfg(feature = "openapi")]
mod openapi;
pub mod people;
mod phone;
pub mod photo;
pub mod record_type;
pub mod refusal;
pub mod sort;
pub mod stats;
pub mod sync;
pub mod task;
#[cfg(test)]
#[path = "tree_fixture_tests.rs"]
mod test_tree;
mod text;
mod time;
pub mod unit;
pub mod visit;

pub use dataset::DataSet;
pub use error::DomainError;

pub use id_card::IdCardNumber;
pub use ids::{
    new_ulid, CaseId, EmergencyId, EntryId, EventId, GridId, HouseholdId, IssueId, ListEntryId, MeetingId, MemberId,
    PersonId, TaskId, UnitId, VisitId,
};
pub use location::Location;
pub use phone::{Phone, PhoneKind};
pub use text::{
    Address, CommentText, Description, GridName, IssueTitle, Notes, PersonName, Reason, Summary, TextField, UnitName,
};
pub use time::{Date, Millis, DAY_MILLIS, HOUR_MILLIS};

/// Version of the record and mutation shapes exchanged between device and server.
/// Bump it when a wire type changes incompatibly; the server refuses other versions.
pub const SCHEMA_VERSION: u32 = 1;
