//! Reads for the issue screens. The list reads every issue once per data change as a
//! *brief*: serde-wasm-bindgen only converts the struct fields it is asked for, so the
//! description, location, resolution texts and the rest of each row never cross into
//! Rust. Everything a keystroke or a filter tap needs is then answered in memory from
//! the briefs (see `pages::issues::list::filter`); searches by household name go through the
//! households' `by_name` index.

use std::collections::HashMap;

use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use serde::Deserialize;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{Category, Deadlines, Issue, IssueState, Priority, Source, Status};
use wangge_core::{Description, GridId, IssueId, IssueTitle, Millis, PersonId};

use super::schema::{HOUSEHOLDS, ISSUES};
use super::{Store, StoreError};

/// What the issue list needs of one issue: enough to filter, count and draw a row.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueBrief {
    pub id: String,
    pub title: String,
    pub grid: String,
    /// The household's id, or "" when the issue concerns none.
    pub household: String,
    pub category: Category,
    pub priority: Priority,
    pub status: Status,
    pub level: EscalationLevel,
    pub reporter: String,
    pub assignee: Option<String>,
    pub created_at: Millis,
    /// Past its deadline at the time the briefs were read.
    pub overdue: bool,
    /// Flagged for supervision (督办): overdue, or a supervision order stands.
    pub flagged: bool,
    /// Handed to a unit or department (交办) that has not finished it.
    pub handed: bool,
}

/// The fields of an `IssueRow` that a brief is made from, nothing else.
#[derive(Deserialize)]
struct RawBrief {
    id: String,
    title: String,
    grid: String,
    #[serde(default)]
    household: String,
    issue: RawIssue,
    state: RawState,
}

#[derive(Deserialize)]
struct RawIssue {
    category: Category,
    priority: Priority,
    reporter: String,
    due_at: Option<Millis>,
    created_at: Millis,
}

#[derive(Deserialize)]
struct RawState {
    status: Status,
    level: EscalationLevel,
    level_since: Millis,
    escalations: u32,
    supervised: bool,
    assignee: Option<String>,
    #[serde(default)]
    handoff: Option<RawHandoff>,
}

/// Of a hand-off, only whether the unit has finished (what `IssueState::handed_to` reads).
#[derive(Deserialize)]
struct RawHandoff {
    done_at: Option<Millis>,
}

impl RawBrief {
    fn into_brief(self, now: Millis, deadlines: &Deadlines) -> IssueBrief {
        let (overdue, flagged) = match self.deadline_view() {
            Some((issue, state)) => {
                (state.is_overdue(&issue, deadlines, now), state.needs_supervision(&issue, deadlines, now))
            }
            None => (false, self.state.supervised && self.state.status.is_pending()),
        };
        let handed =
            self.state.status == Status::InProgress && self.state.handoff.as_ref().is_some_and(|h| h.done_at.is_none());
        IssueBrief {
            handed,
            id: self.id,
            title: self.title,
            grid: self.grid,
            household: self.household,
            category: self.issue.category,
            priority: self.issue.priority,
            status: self.state.status,
            level: self.state.level,
            reporter: self.issue.reporter,
            assignee: self.state.assignee,
            created_at: self.issue.created_at,
            overdue,
            flagged,
        }
    }

    /// The record and state the core's deadline rule reads, rebuilt from the brief's
    /// fields so that the rule stays the core's (`IssueState::is_overdue`). Fields the
    /// brief does not read (description, source, place) are left empty: the rule looks at
    /// the due date, the level, when it arrived there and the escalations only.
    /// `None` when nobody is pending on it, so no deadline runs.
    fn deadline_view(&self) -> Option<(Issue, IssueState)> {
        if !self.state.status.is_pending() {
            return None;
        }
        let issue = Issue {
            id: IssueId::parse(self.id.clone()).ok()?,
            title: IssueTitle::parse(&self.title).ok()?,
            description: Description::parse("").ok()?,
            category: self.issue.category,
            source: Source::Visit,
            grid: GridId::parse(self.grid.clone()).ok()?,
            household: None,
            unit: None,
            location: None,
            reporter: PersonId::parse(self.issue.reporter.clone()).ok()?,
            priority: self.issue.priority,
            due_at: self.issue.due_at,
            created_at: self.issue.created_at,
        };
        let state = IssueState {
            status: self.state.status,
            level: self.state.level,
            level_since: self.state.level_since,
            escalations: self.state.escalations,
            supervised: self.state.supervised,
            ..IssueState::default()
        };
        Some((issue, state))
    }
}

/// A household row's id and head's name, without the members' details.
#[derive(Deserialize)]
struct HouseholdName {
    id: String,
    name: String,
}

impl Store {
    /// Every issue on the phone as a brief, with the overdue flags as of `now`.
    pub async fn issue_briefs(&self, now: Millis, deadlines: &Deadlines) -> Result<Vec<IssueBrief>, StoreError> {
        let raw: Vec<RawBrief> = self.all_of(ISSUES).await?;
        Ok(raw.into_iter().map(|r| r.into_brief(now, deadlines)).collect())
    }

    /// Ids of households whose head's name starts with `prefix` (the `by_name` index's
    /// keys only: no household record is read).
    pub async fn issue_household_ids_by_name(&self, prefix: &str, limit: u32) -> Result<Vec<String>, StoreError> {
        let tx = self.read_tx(&[HOUSEHOLDS])?;
        let end = format!("{prefix}\u{ffff}");
        let keys = tx
            .object_store(HOUSEHOLDS)?
            .index("by_name")?
            .get_all_keys()
            .with_query::<String, _>(KeyRange::Bound(prefix.to_string(), false, end, true))
            .with_limit(limit)
            .serde()?
            .await?;
        Ok(keys.collect::<Result<_, _>>()?)
    }

    /// Head-of-household names for the given household ids (those on the phone).
    pub async fn household_names_for_issues(&self, ids: &[String]) -> Result<HashMap<String, String>, StoreError> {
        let tx = self.read_tx(&[HOUSEHOLDS])?;
        let store = tx.object_store(HOUSEHOLDS)?;
        let mut gets = Vec::with_capacity(ids.len());
        for id in ids {
            gets.push(store.get::<HouseholdName, _, _>(id.clone()).serde()?);
        }
        let mut names = HashMap::with_capacity(ids.len());
        for row in futures::future::join_all(gets).await {
            if let Some(h) = row? {
                names.insert(h.id, h.name);
            }
        }
        Ok(names)
    }
}
