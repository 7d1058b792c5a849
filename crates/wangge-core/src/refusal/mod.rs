//! Why the server refused (or parked as a conflict) a pushed change: one enum, [`Refusal`],
//! with a variant per reason, a stable `code()` that phones and API tests depend on, and a
//! message in Chinese and English. The server sends `code` + the Chinese message on the
//! wire (old phones show it as is); a phone in English looks the code up with
//! [`english_for_code`] and falls back to the server's text for a code it does not know.
//!
//! The core's own refusal kinds keep their codes and messages and are wrapped, not copied:
//! [`DomainError`] (which already carries the state machine's `TransitionError`) and
//! [`DeleteRefusal`].

mod messages;
mod wire;

pub use wire::{english_for_code, PINNED_CODES};

use crate::grid::EscalationLevel;
use crate::issue::Action;
use crate::people::Role;
use crate::sync::{Collection, DeleteRefusal};
use crate::DomainError;

/// Every reason a pushed change can be refused. No catch-all: a new reason is a new
/// variant with its own code, added to [`PINNED_CODES`] on purpose.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// A field failed the core's parse (a blank title, a bad phone number …) or an issue
    /// step does not hold (`DomainError::Transition`); the code is the core's own.
    Domain(DomainError),
    /// The core's `may_delete` refused the delete.
    Delete(DeleteRefusal),
    /// The record's `id` field is not the id it is stored under.
    IdMismatch,
    /// The record has a field its type does not know (an older server, a newer phone).
    UnknownField {
        /// The record's collection.
        collection: Collection,
        /// The field.
        field: String,
    },
    /// The record does not read as its core type.
    InvalidRecord(RecordFault),
    /// A mutation names a collection the server does not know.
    UnknownCollection {
        /// The name sent.
        name: String,
    },
    /// A mutation names an operation the server does not know.
    UnknownOp {
        /// The operation sent.
        op: String,
    },
    /// A mutation that does not read at all.
    InvalidMutation {
        /// The parser's words.
        detail: String,
    },
    /// A put that sets no field (the core's reference server).
    EmptyPut,
    /// A field name that is not allowed (the core's reference server).
    BadField {
        /// The field.
        field: String,
    },
    /// A mutation after a missing seq (the core's reference server).
    SeqGap {
        /// The seq the server expected.
        expected: u64,
        /// The seq it got.
        got: u64,
    },
    /// The change names someone other than the caller as its author.
    ActorMismatch(ActorFault),
    /// An issue step taken in a role the caller does not hold.
    ActorRoleMismatch {
        /// The role claimed.
        role: Role,
    },
    /// The caller's roles may not take this step on an issue at this rung.
    StepNotAllowed {
        /// The step.
        action: Action,
        /// The issue's rung before the step.
        level: EscalationLevel,
    },
    /// The caller may not edit an issue handled at this rung.
    EditNotAllowed {
        /// The issue's rung.
        level: EscalationLevel,
    },
    /// Grids are changed in administration, not by a push (roster staff are told where).
    GridAdminOnly,
    /// The caller's role may not write this kind of record.
    ForbiddenRole(Forbidden),
    /// An account holder's roles and grid are set through administration only.
    RolesFromAccount,
    /// A staff role (grid worker and above) comes only with an account.
    StaffRoleNeedsAccount,
    /// Nothing new goes into a retired grid.
    GridRetired {
        /// The grid's name.
        name: String,
    },
    /// A referenced record (or the one acted on) is unknown or outside the caller's
    /// scope: one answer for both, so ids elsewhere cannot be probed.
    UnknownRecord {
        /// Which kind of record.
        collection: Collection,
    },
    /// A put to a record someone deleted.
    RecordDeleted,
    /// A delete of a record someone else changed since: kept as a conflict.
    DeleteConflict,
    /// Some written fields lost to newer values: kept as conflicts.
    FieldConflict {
        /// The first field that lost (its wire name).
        field: String,
    },
    /// An issue event id already used by another event.
    EventIdReused,
    /// A settle of a conflict that is unknown (or not the caller's to see).
    UnknownConflict,
}

/// Why a record does not read as its type (all `invalid_record`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordFault {
    /// The deserialiser's words: a missing field, a bad code …
    Unreadable(String),
    /// It is not a JSON object once written back.
    NotAnObject,
    /// It names no grid to be scoped by.
    NoGrid,
}

/// Which author rule was broken (all `actor_mismatch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorFault {
    /// An issue event in someone else's name.
    Event,
    /// A new record whose author field is not the caller.
    NewRecord(Collection),
    /// A task's result recorded in someone else's name.
    TaskResult,
    /// A report available (主动报到) made in someone else's name.
    EmergencyReport,
    /// A task closed or an emergency switched back (`closed`, `ended`) in someone else's
    /// name: who closed it is history, attributed to the caller.
    Closing,
    /// An existing record's author field rewritten.
    Rewritten(Collection),
}

/// What a role was refused (all `forbidden_role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forbidden {
    /// Writing a grid, for someone who does not keep the roster.
    GridWrite,
    /// Writing a person, for someone who does not keep the roster.
    PersonWrite,
    /// Recording a meeting (联席会议, 现场办公), for someone below the community rung.
    MeetingWrite,
    /// Sending, forwarding, changing or closing a task, for someone below the community
    /// rung (a grid worker only records results on it).
    TaskSend,
    /// Switching a scope into emergency or back, or changing the switch, for someone
    /// below the town rung (anyone in the scope only reports available).
    EmergencySwitch,
    /// Writing any record, for an account that is only a unit's contact: it answers on
    /// the issues handed to its unit, through their events, and nothing else.
    UnitContactOnly,
}

impl From<DomainError> for Refusal {
    fn from(e: DomainError) -> Refusal {
        Refusal::Domain(e)
    }
}

impl From<DeleteRefusal> for Refusal {
    fn from(e: DeleteRefusal) -> Refusal {
        Refusal::Delete(e)
    }
}

impl Refusal {
    /// Stable machine code, the same string the API has always sent for this reason.
    pub fn code(&self) -> &'static str {
        use Refusal::*;
        match self {
            Domain(e) => e.code(),
            Delete(d) => d.code(),
            IdMismatch => "id_mismatch",
            UnknownField { .. } => "unknown_field",
            InvalidRecord(_) => "invalid_record",
            UnknownCollection { .. } => "unknown_collection",
            UnknownOp { .. } => "unknown_op",
            InvalidMutation { .. } => "invalid_mutation",
            EmptyPut => "empty_put",
            BadField { .. } => "bad_field",
            SeqGap { .. } => "seq_gap",
            ActorMismatch(_) => "actor_mismatch",
            ActorRoleMismatch { .. } => "actor_role_mismatch",
            StepNotAllowed { .. } => "step_not_allowed",
            EditNotAllowed { .. } => "edit_not_allowed",
            GridAdminOnly => "grid_admin_only",
            ForbiddenRole(_) => "forbidden_role",
            RolesFromAccount => "roles_from_account",
            StaffRoleNeedsAccount => "staff_role_needs_account",
            GridRetired { .. } => "grid_retired",
            UnknownRecord { collection } => crate::record_type::describe(*collection).unknown_code,
            RecordDeleted => "record_deleted",
            DeleteConflict => "delete_conflict",
            FieldConflict { .. } => "field_conflict",
            EventIdReused => "event_id_reused",
            UnknownConflict => "unknown_conflict",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests;
