//! When an event counts as having happened: the acting phone's clock, unless that clock is
//! implausible, in which case the server's receipt. A phone set to the year 2100 must not
//! put a resolution after every later step (locking supervisors out of the issue), and
//! one set to 1970 must not slip a step in before the report.
//!
//! The rule, decided here once (the server applies it to every appended event; the phone
//! warns the worker when its clock is off, see the app's sync status):
//! - **more than [`MAX_AHEAD`] ahead of the server's clock**: the event is placed at its
//!   receipt;
//! - **before the issue's report**: placed at its receipt;
//! - **older than [`OFFLINE_WINDOW`]**: placed at its receipt. Within the window a
//!   backdated step keeps its own time and is judged at the place in history the phone
//!   saw when it was taken offline (an accept made in a basement before the escalation
//!   that arrived meanwhile still counts); a step claimed to be older than any real
//!   offline stretch is judged where the server receives it.

use super::IssueEvent;
use crate::{Millis, DAY_MILLIS};

/// How far a phone's clock may run ahead of the server's: a few minutes of drift.
pub const MAX_AHEAD: Millis = 5 * 60 * 1000;

/// The longest offline stretch a backdated step is believed for.
pub const OFFLINE_WINDOW: Millis = 30 * DAY_MILLIS;

/// The time `claimed` counts as, received at `received` on an issue reported at
/// `reported_at` (None for the report itself).
pub fn accepted_time(claimed: Millis, received: Millis, reported_at: Option<Millis>) -> Millis {
    let ahead = claimed > received.saturating_add(MAX_AHEAD);
    let too_old = claimed < received.saturating_sub(OFFLINE_WINDOW);
    let before_report = reported_at.is_some_and(|r| claimed < r);
    if ahead || too_old || before_report {
        received
    } else {
        claimed
    }
}

impl IssueEvent {
    /// The event with its time as [`accepted_time`] counts it.
    pub fn timed(mut self, received: Millis, reported_at: Option<Millis>) -> IssueEvent {
        self.at = accepted_time(self.at, received, reported_at);
        self
    }

    /// The same event apart from its time (which the server may have set to its receipt).
    pub fn same_apart_from_time(&self, other: &IssueEvent) -> bool {
        self.id == other.id
            && self.issue == other.issue
            && self.actor == other.actor
            && self.actor_role == other.actor_role
            && self.kind == other.kind
            && self.photos == other.photos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_795_000_000_000;

    #[test]
    fn a_plausible_time_is_kept_even_when_backdated_within_the_offline_window() {
        assert_eq!(accepted_time(NOW - 3 * DAY_MILLIS, NOW, Some(NOW - 5 * DAY_MILLIS)), NOW - 3 * DAY_MILLIS);
        assert_eq!(accepted_time(NOW + MAX_AHEAD, NOW, None), NOW + MAX_AHEAD, "small drift is fine");
    }

    #[test]
    fn a_time_far_ahead_too_old_or_before_the_report_counts_as_received() {
        let year_2100 = 4_102_444_800_000;
        assert_eq!(accepted_time(year_2100, NOW, Some(NOW - DAY_MILLIS)), NOW);
        assert_eq!(accepted_time(-5, NOW, None), NOW, "a negative time");
        assert_eq!(accepted_time(NOW - OFFLINE_WINDOW - 1, NOW, None), NOW);
        assert_eq!(accepted_time(NOW - 2 * DAY_MILLIS, NOW, Some(NOW - DAY_MILLIS)), NOW, "before its report");
    }
}
