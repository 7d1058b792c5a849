//! The rules an emergency record keeps. [`check`] on the record alone (the record type's
//! `canonical`, so the server refuses a merged record that breaks it): switched back no
//! earlier than switched on. With the grid tree: the switched node is a district, town or
//! community ([`check_node`]) and a report comes from inside the scope, for a unit the
//! reporter answers for ([`check_report`]).
//!
//! **Why a community may be switched and a group may not**: a flood often hits one
//! village by the river, and the town switches just that village so the rest of the
//! town keeps its normal Today; a group or a building is one worker's patch — there is no
//! one to call in and no board to read, a task does that.
//!
//! **A report after the switch back is kept**: someone offline in the storm reported
//! before they heard it was over; the fact stands in the history.

use super::{Emergency, Report};
use crate::grid::{GridLevel, GridTree};
use crate::unit::Unit;
use crate::{GridId, PersonId};

/// Why an emergency record does not hold together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmergencyError {
    /// Switched back before it was switched on.
    #[error("ended before started")]
    EndedBeforeStarted,
    /// The switched node is a group or a building (or unknown).
    #[error("node below the community rung")]
    NodeTooLow,
    /// A report by someone whose grid is not inside the emergency's node.
    #[error("reporter outside the scope")]
    ReporterOutOfScope,
    /// A report for a unit the reporter is not the contact of, or outside the scope.
    #[error("unit not the reporter's")]
    UnitNotTheirs,
}

impl EmergencyError {
    /// Every variant, for the code tables.
    pub const ALL: [EmergencyError; 4] = [
        EmergencyError::EndedBeforeStarted,
        EmergencyError::NodeTooLow,
        EmergencyError::ReporterOutOfScope,
        EmergencyError::UnitNotTheirs,
    ];

    /// The stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            EmergencyError::EndedBeforeStarted => "emergency_ended_before_started",
            EmergencyError::NodeTooLow => "emergency_node_too_low",
            EmergencyError::ReporterOutOfScope => "emergency_reporter_out_of_scope",
            EmergencyError::UnitNotTheirs => "emergency_unit_not_theirs",
        }
    }

    /// What to do, in Chinese.
    pub fn message_zh(self) -> String {
        match self {
            EmergencyError::EndedBeforeStarted => "解除时间不能早于启动时间".into(),
            EmergencyError::NodeTooLow => "只能对区县、镇街或村(社区)启动紧急状态".into(),
            EmergencyError::ReporterOutOfScope => "您不在本次紧急状态的范围内,不能主动报到".into(),
            EmergencyError::UnitNotTheirs => "只能以您担任联络员的本辖区单位名义报到".into(),
        }
    }

    /// What to do, in English.
    pub fn message_en(self) -> String {
        match self {
            EmergencyError::EndedBeforeStarted => "An emergency cannot end before it started".into(),
            EmergencyError::NodeTooLow => "Only a district, town or community can be switched into emergency".into(),
            EmergencyError::ReporterOutOfScope => {
                "You are outside this emergency's area and cannot report available".into()
            }
            EmergencyError::UnitNotTheirs => "Report only for a unit in the area whose contact you are".into(),
        }
    }
}

/// Checks the record on its own: ended no earlier than started.
pub fn check(e: &Emergency) -> Result<(), EmergencyError> {
    match &e.ended {
        Some(end) if end.at < e.started_at => Err(EmergencyError::EndedBeforeStarted),
        _ => Ok(()),
    }
}

/// Checks that the switched node is a district, town or community the tree knows.
pub fn check_node(tree: &GridTree, node: &GridId) -> Result<(), EmergencyError> {
    match tree.get(node) {
        Some(g) if g.level.depth() <= GridLevel::Community.depth() => Ok(()),
        _ => Err(EmergencyError::NodeTooLow),
    }
}

/// Checks one report: the reporter's home grid is the node or below it, and a unit named
/// is in the scope with the reporter as its contact.
pub fn check_report(
    tree: &GridTree,
    e: &Emergency,
    reporter: &PersonId,
    home: &GridId,
    report: &Report,
    unit: Option<&Unit>,
) -> Result<(), EmergencyError> {
    if !tree.contains(&e.grid, home) {
        return Err(EmergencyError::ReporterOutOfScope);
    }
    match (&report.unit, unit) {
        (None, _) => Ok(()),
        (Some(id), Some(u)) if u.id == *id && u.contact_person.as_ref() == Some(reporter) => {
            if tree.contains(&e.grid, &u.grid) {
                Ok(())
            } else {
                Err(EmergencyError::UnitNotTheirs)
            }
        }
        (Some(_), _) => Err(EmergencyError::UnitNotTheirs),
    }
}
