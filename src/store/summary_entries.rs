//! The dashboard summary's entries (`summary.rs`): one record's facts as a JSON array in a
//! fixed order, so a chunk line is short and a save writes it without naming fields.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use wangge_core::grid::EscalationLevel;
use wangge_core::household::{HouseholdStatus, HouseholdTag};
use wangge_core::issue::{Category, Status};
use wangge_core::stats::IssueFacts;
use wangge_core::{Date, GridId, HouseholdId, Millis};

/// One record's entry in its chunk: the facts in a fixed order, as a JSON array.
#[derive(Serialize, Deserialize)]
pub(super) struct IssueEntry(
    GridId,
    Category,
    Option<Millis>,
    Status,
    EscalationLevel,
    Millis,
    u32,
    bool,
    Option<Millis>,
    Option<Millis>,
    Option<EscalationLevel>,
);

#[derive(Serialize, Deserialize)]
pub(super) struct HouseholdEntry(
    pub(super) HouseholdId,
    pub(super) GridId,
    pub(super) HouseholdStatus,
    pub(super) BTreeSet<HouseholdTag>,
);

#[derive(Serialize, Deserialize)]
pub(super) struct VisitEntry(pub(super) HouseholdId, pub(super) Date);

impl From<&IssueFacts> for IssueEntry {
    fn from(f: &IssueFacts) -> IssueEntry {
        IssueEntry(
            f.grid.clone(),
            f.category,
            f.promised,
            f.status,
            f.level,
            f.level_since,
            f.escalations,
            f.supervised,
            f.reported_at,
            f.closed_at,
            f.closed_level,
        )
    }
}

impl From<IssueEntry> for IssueFacts {
    fn from(
        IssueEntry(
            grid,
            category,
            promised,
            status,
            level,
            level_since,
            escalations,
            supervised,
            reported_at,
            closed_at,
            closed_level,
        ): IssueEntry,
    ) -> IssueFacts {
        IssueFacts {
            grid,
            category,
            promised,
            status,
            level,
            level_since,
            escalations,
            supervised,
            reported_at,
            closed_at,
            closed_level,
        }
    }
}
