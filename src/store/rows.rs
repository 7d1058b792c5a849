//! The shapes stored in IndexedDB: the core's records, plus the few top-level fields the
//! indexes need (IndexedDB can only index top-level paths of plain values).

use serde::{Deserialize, Serialize};
use wangge_core::household::Household;
use wangge_core::issue::{Issue, IssueState};

/// An issue with its derived state, indexed by grid+status, status+level, household, due
/// date and title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueRow {
    pub id: String,
    pub grid: String,
    pub status: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_at: Option<f64>,
    /// The escalation level it sits at (`grid`, `community`, …). Added in schema v3.
    #[serde(default)]
    pub level: String,
    /// The household it concerns, if any ("" when none, so the index skips nothing).
    #[serde(default)]
    pub household: String,
    pub issue: Issue,
    pub state: IssueState,
}

impl IssueRow {
    pub fn new(issue: Issue, state: IssueState) -> IssueRow {
        IssueRow {
            id: issue.id.to_string(),
            grid: issue.grid.to_string(),
            status: state.status.code().to_string(),
            title: issue.title.to_string(),
            due_at: issue.due_at.map(|d| d as f64),
            level: state.level.code().to_string(),
            household: issue.household.as_ref().map(|h| h.to_string()).unwrap_or_default(),
            issue,
            state,
        }
    }
}

/// A household, indexed by grid, by each tag, and by the head's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdRow {
    pub id: String,
    pub grid: String,
    pub tags: Vec<String>,
    pub name: String,
    pub household: Household,
}

impl HouseholdRow {
    pub fn new(household: Household) -> HouseholdRow {
        HouseholdRow {
            id: household.id.to_string(),
            grid: household.grid.to_string(),
            tags: household.tags.iter().map(|t| t.code().to_string()).collect(),
            name: household.head().map(|m| m.name.to_string()).unwrap_or_default(),
            household,
        }
    }
}
