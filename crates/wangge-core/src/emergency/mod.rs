//! Emergency mode (平急转换, seeds 002 and 004): a town or district switches a part of
//! the grid into emergency — a storm, a flood, an epidemic — with a reason. While it lasts,
//! emergency tasks go first on every Today below it, the people and units who can be
//! called show as a roster with their phones, anyone in the scope reports themselves
//! available ("不等吹哨、主动报到"), and a live board shows per grid which vulnerable
//! households have been checked.
//!
//! **One record per switch** ([`Emergency`], collection `emergencies`), placed at the
//! switched node. Switching back sets `ended` and keeps the record, reports and all: the
//! history of past emergencies is the list of ended records. Unlike a task, the record is
//! **seen from below** as well as above (like grids): a worker in a group under the town
//! pulls the town's emergency, since it is her emergency too.
//!
//! Reports are keyed fields `report:<person id>` (`reports.rs`): one per person, written
//! only by that person, so two people reporting at once both keep theirs and nobody can
//! report for another.

mod board;
mod reports;
mod roster;
mod rules;

use serde::{Deserialize, Serialize};

pub use board::{active, board, checked_households, worker_grid, BoardRow, VULNERABLE_TAGS};
pub use reports::{Reports, REPORT_PREFIX};
pub use roster::{roster, Callable, RosterEntry, CALLED_ROLES};
pub use rules::{check, check_node, check_report, EmergencyError};

use crate::{CommentText, EmergencyId, GridId, Millis, PersonId, Reason, UnitId};

labelled_enum! {
    /// What the emergency is (the seeds' storm and epidemic, and the hazards of the
    /// Chongqing hills).
    pub enum EmergencyKind {
        /// 暴雨: a rainstorm — flooded roads, fallen trees, broken rails (seed 002).
        Rainstorm = "rainstorm", "暴雨", "Rainstorm";
        /// 防汛: a river in flood.
        Flood = "flood", "防汛", "Flood";
        /// 疫情: an epidemic, a compound under control (seed 004).
        Epidemic = "epidemic", "疫情", "Epidemic";
        /// 地质灾害: landslide, collapse.
        Geological = "geological", "地质灾害", "Geological hazard";
        /// 其他.
        Other = "other", "其他", "Other";
    }
}

/// How a switch back ended it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ended {
    /// When.
    pub at: Millis,
    /// Who switched back.
    pub by: PersonId,
    /// What was said ("雨停,道路已清理").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<CommentText>,
}

/// One person reporting available (主动报到); who is the field's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The unit they report for, if they are its contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// When (device clock).
    pub at: Millis,
    /// What they bring ("可出动3人,有冲锋舟一艘").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<CommentText>,
}

/// One switch into emergency mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emergency {
    /// Id.
    pub id: EmergencyId,
    /// The node switched (a district, town or community): its scope.
    pub grid: GridId,
    /// What it is.
    pub kind: EmergencyKind,
    /// Why ("气象台发布暴雨红色预警").
    pub reason: Reason,
    /// When it was switched on.
    pub started_at: Millis,
    /// Who switched it on: its author.
    pub started_by: PersonId,
    /// Set when switched back; the record stays as history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<Ended>,
    /// Who reported available, each their own keyed field.
    #[serde(flatten)]
    pub reports: Reports,
}

impl Emergency {
    /// Whether it is still on.
    pub fn is_active(&self) -> bool {
        self.ended.is_none()
    }
}

#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod tests;
