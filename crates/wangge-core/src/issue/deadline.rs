//! Deadlines per rung of the ladder, and the overdue check that flags an issue for
//! supervision (督办).

use serde::{Deserialize, Serialize};

use super::{Issue, IssueState, Status};
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

    /// When an issue's current rung must be done with it: the reporter's `promised` date
    /// while it has never been escalated, else the rung's default counted from its arrival
    /// there (`since`). `None` when nobody is pending on it (resolved, closed or never
    /// reported). The one rule behind [`IssueState::due_at`] and the dashboard's lean
    /// `stats::IssueFacts`.
    pub fn due_at(
        &self,
        status: Status,
        level: EscalationLevel,
        since: Millis,
        escalations: u32,
        promised: Option<Millis>,
    ) -> Option<Millis> {
        if !status.is_pending() {
            return None;
        }
        Some(promised.filter(|_| escalations == 0).unwrap_or(since + self.for_level(level)))
    }
}

impl IssueState {
    /// When the current level must be done with it: the reporter's due date while the
    /// issue has never been escalated, else the rung's default counted from its arrival.
    /// `None` when nobody is pending on it (resolved, closed or never reported).
    pub fn due_at(&self, issue: &Issue, deadlines: &Deadlines) -> Option<Millis> {
        deadlines.due_at(self.status, self.level, self.level_since, self.escalations, issue.due_at)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::{Category, EventKind, IssueEvent, Priority, Source};
    use crate::people::Role;
    use crate::{Description, GridId, IssueId, IssueTitle, PersonId, Reason, Summary};

    fn issue(due_at: Option<Millis>) -> Issue {
        Issue {
            id: IssueId::parse("i").unwrap(),
            title: IssueTitle::parse("路灯不亮").unwrap(),
            description: Description::parse("").unwrap(),
            category: Category::Infrastructure,
            source: Source::Visit,
            grid: GridId::parse("g").unwrap(),
            household: None,
            unit: None,
            location: None,
            reporter: PersonId::parse("w").unwrap(),
            priority: Priority::Normal,
            due_at,
            created_at: 0,
        }
    }

    fn state(kinds: Vec<EventKind>) -> IssueState {
        let mut s = IssueState::default();
        for (n, kind) in std::iter::once(EventKind::Reported).chain(kinds).enumerate() {
            let at = n as Millis * DAY_MILLIS;
            let actor = PersonId::parse(if n % 2 == 0 { "a" } else { "b" }).unwrap();
            let e = IssueEvent::new(IssueId::parse("i").unwrap(), at, actor, Role::GridWorker, kind, [n as u8; 10]);
            s.apply(&e).unwrap();
        }
        s
    }

    #[test]
    fn an_issue_past_its_grid_deadline_is_flagged_for_supervision() {
        let (i, s, d) = (issue(None), state(vec![]), Deadlines::default());
        assert_eq!(s.due_at(&i, &d), Some(3 * DAY_MILLIS));
        assert!(!s.is_overdue(&i, &d, 3 * DAY_MILLIS));
        assert!(s.is_overdue(&i, &d, 3 * DAY_MILLIS + 1));
        assert!(s.needs_supervision(&i, &d, 3 * DAY_MILLIS + 1));
    }

    #[test]
    fn the_reporters_due_date_applies_until_the_issue_is_escalated() {
        let i = issue(Some(DAY_MILLIS));
        let d = Deadlines::default();
        assert_eq!(state(vec![]).due_at(&i, &d), Some(DAY_MILLIS));
        let reason = Reason::parse("需社区协调").unwrap();
        let up = state(vec![EventKind::Escalated { to: EscalationLevel::Community, reason }]);
        // Escalated on day 1: the community has its own 7 days from then.
        assert_eq!(up.due_at(&i, &d), Some(8 * DAY_MILLIS));
    }

    #[test]
    fn a_resolved_issue_is_no_longer_overdue() {
        let assignee = PersonId::parse("b").unwrap();
        let summary = Summary::parse("已修复").unwrap();
        let s = state(vec![EventKind::Accepted, EventKind::Assigned { assignee }, EventKind::Resolved { summary }]);
        assert_eq!(s.due_at(&issue(None), &Deadlines::default()), None);
        assert!(!s.is_overdue(&issue(None), &Deadlines::default(), Millis::MAX));
    }

    #[test]
    fn deadlines_are_configurable_per_level() {
        let d = Deadlines { grid_days: 1, ..Deadlines::default() };
        assert_eq!(d.for_level(EscalationLevel::Grid), DAY_MILLIS);
        assert_eq!(d.for_level(EscalationLevel::District), 30 * DAY_MILLIS);
    }

    #[test]
    fn a_standing_supervision_order_flags_an_issue_before_its_deadline() {
        let note = crate::CommentText::parse("请加快办理").unwrap();
        let s = state(vec![EventKind::Supervised { note }]);
        assert!(s.needs_supervision(&issue(None), &Deadlines::default(), DAY_MILLIS + 1));
    }
}
