//! Deadlines per rung of the ladder, and the overdue check that flags an issue for
//! supervision (督办).

use serde::{Deserialize, Serialize};

use super::{Issue, IssueState};
use crate::grid::EscalationLevel;
use crate::{Millis, DAY_MILLIS};

/// How many days each rung has to deal with an issue once it arrives there.
/// Configurable per district; the defaults follow common practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// Days at the grid (default 3).
    pub grid_days: u32,
    /// Days at the community (default 7).
    pub community_days: u32,
    /// Days at the town (default 15).
    pub town_days: u32,
    /// Days at the district (default 30).
    pub district_days: u32,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines { grid_days: 3, community_days: 7, town_days: 15, district_days: 30 }
    }
}

impl Deadlines {
    /// The time a rung has, in milliseconds.
    pub fn for_level(&self, level: EscalationLevel) -> Millis {
        let days = match level {
            EscalationLevel::Grid => self.grid_days,
            EscalationLevel::Community => self.community_days,
            EscalationLevel::Town => self.town_days,
            EscalationLevel::District => self.district_days,
        };
        Millis::from(days) * DAY_MILLIS
    }
}

impl IssueState {
    /// When the current level must be done with it: the reporter's due date while the
    /// issue has never been escalated, else the rung's default counted from its arrival.
    /// `None` when nobody is pending on it (resolved, closed or never reported).
    pub fn due_at(&self, issue: &Issue, deadlines: &Deadlines) -> Option<Millis> {
        if !self.status.is_pending() {
            return None;
        }
        let default = self.level_since + deadlines.for_level(self.level);
        Some(issue.due_at.filter(|_| self.escalations == 0).unwrap_or(default))
    }

    /// Past its due time at `now`.
    pub fn is_overdue(&self, issue: &Issue, deadlines: &Deadlines, now: Millis) -> bool {
        self.due_at(issue, deadlines).is_some_and(|due| now > due)
    }

    /// Flagged for supervision (督办): overdue, or a supervision order stands.
    pub fn needs_supervision(&self, issue: &Issue, deadlines: &Deadlines, now: Millis) -> bool {
        self.is_pending_supervised() || self.is_overdue(issue, deadlines, now)
    }

    fn is_pending_supervised(&self) -> bool {
        self.supervised && self.status.is_pending()
    }
}
