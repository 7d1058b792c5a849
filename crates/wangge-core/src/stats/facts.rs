//! The lean shapes the dashboard's figures read: only the fields [`super::issue_figures_of`]
//! and [`super::visit_figures_of`] look at. The phone picks exactly these out of its
//! stored rows instead of building 20,000 whole issues, households (with their members)
//! and visits; a caller holding the full records turns them into facts with `of`, so
//! every caller counts through the same code.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::grid::EscalationLevel;
use crate::household::{Household, HouseholdStatus, HouseholdTag};
use crate::issue::{Category, Deadlines, Issue, IssueState, Status};
use crate::visit::Visit;
use crate::{Date, GridId, HouseholdId, Millis};

/// What the issue figures read of one issue and its derived state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueFacts {
    /// `Issue::grid`.
    pub grid: GridId,
    /// `Issue::category`.
    pub category: Category,
    /// `Issue::due_at`: the date promised when reporting.
    pub promised: Option<Millis>,
    /// `IssueState::status`.
    pub status: Status,
    /// `IssueState::level`.
    pub level: EscalationLevel,
    /// `IssueState::level_since`.
    pub level_since: Millis,
    /// `IssueState::escalations`.
    pub escalations: u32,
    /// `IssueState::supervised`.
    pub supervised: bool,
    /// `IssueState::reported_at`.
    pub reported_at: Option<Millis>,
    /// `IssueState::closed_at`.
    pub closed_at: Option<Millis>,
    /// `IssueState::closed_level`.
    pub closed_level: Option<EscalationLevel>,
}

impl IssueFacts {
    /// The facts of a full issue and its state.
    pub fn of(issue: &Issue, state: &IssueState) -> IssueFacts {
        IssueFacts {
            grid: issue.grid.clone(),
            category: issue.category,
            promised: issue.due_at,
            status: state.status,
            level: state.level,
            level_since: state.level_since,
            escalations: state.escalations,
            supervised: state.supervised,
            reported_at: state.reported_at,
            closed_at: state.closed_at,
            closed_level: state.closed_level,
        }
    }

    /// As `IssueState::is_overdue`.
    pub fn is_overdue(&self, deadlines: &Deadlines, now: Millis) -> bool {
        let due = deadlines.due_at(self.status, self.level, self.level_since, self.escalations, self.promised);
        due.is_some_and(|due| now > due)
    }

    /// As `IssueState::needs_supervision`: overdue, or a supervision order stands.
    pub fn needs_supervision(&self, deadlines: &Deadlines, now: Millis) -> bool {
        (self.supervised && self.status.is_pending()) || self.is_overdue(deadlines, now)
    }

    /// As `IssueState::time_to_close`.
    pub fn time_to_close(&self) -> Option<Millis> {
        Some(self.closed_at? - self.reported_at?)
    }
}

/// What the visit figures read of a household. Deserialises from a household record
/// (reading only these fields).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HouseholdFacts {
    /// `Household::id`.
    pub id: HouseholdId,
    /// `Household::grid`.
    pub grid: GridId,
    /// `Household::status` (older records: present).
    #[serde(default)]
    pub status: HouseholdStatus,
    /// `Household::tags`.
    pub tags: BTreeSet<HouseholdTag>,
}

impl HouseholdFacts {
    /// The facts of a full household.
    pub fn of(h: &Household) -> HouseholdFacts {
        HouseholdFacts { id: h.id.clone(), grid: h.grid.clone(), status: h.status, tags: h.tags.clone() }
    }
}

/// What the visit figures read of a visit. Deserialises from a visit record (reading
/// only these fields).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VisitFacts {
    /// `Visit::household`.
    pub household: HouseholdId,
    /// `Visit::date`.
    pub date: Date,
}

impl VisitFacts {
    /// The facts of a full visit.
    pub fn of(v: &Visit) -> VisitFacts {
        VisitFacts { household: v.household.clone(), date: v.date }
    }
}
