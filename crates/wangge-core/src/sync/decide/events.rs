//! Issue history and conflict decisions: whether a pushed event is appended (and at which
//! time), heard again, or refused for reusing an id; and whether a settle changes anything.

use crate::issue::{derive, EventKind, IssueEvent, TransitionError};
use crate::Millis;

use crate::refusal::Refusal;

#[derive(Debug, Clone, PartialEq)]
pub enum AppendDecision {
    /// The same event again (another seq carried it): acknowledged, nothing written.
    Duplicate,
    /// Another event under a used id would silently vanish: refused.
    Refused(Refusal),
    /// Append `event` (its time as the server counts it). `conflict`: it does not hold at
    /// its place in the history; it is kept all the same, and the device is told why.
    Append { event: IssueEvent, conflict: Option<TransitionError> },
}

/// `stored`: the event already stored under `event.id`, if any; `history`: the issue's
/// stored events; `received`: the server's clock, or None for a clock that agrees with
/// every phone (the event's own time is then its receipt). A step with more photos than
/// `photo::MAX_PHOTOS_PER_STEP` is refused. An implausibly dated event is
/// placed at its receipt (`issue::accepted_time`), so a repeat is compared apart from time.
pub fn decide_append(
    stored: Option<&IssueEvent>,
    event: &IssueEvent,
    history: &[IssueEvent],
    received: Option<Millis>,
) -> AppendDecision {
    if let Err(e) = crate::photo::check_count(&event.photos) {
        return AppendDecision::Refused(Refusal::Domain(e));
    }
    if let Some(stored) = stored {
        return if stored.same_apart_from_time(event) {
            AppendDecision::Duplicate
        } else {
            AppendDecision::Refused(Refusal::EventIdReused)
        };
    }
    let reported_at = history.iter().find(|e| matches!(e.kind, EventKind::Reported)).map(|e| e.at);
    let event = event.clone().timed(received.unwrap_or(event.at), reported_at);
    let mut after = history.to_vec();
    after.push(event.clone());
    let conflict = derive(&after).conflicts.into_iter().find(|(id, _)| *id == event.id).map(|(_, err)| err);
    AppendDecision::Append { event, conflict }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettleDecision {
    /// No such conflict (or not one the caller may see: the same answer, so ids elsewhere
    /// cannot be probed): refused with [`Refusal::UnknownConflict`].
    Unknown,
    /// Someone settled it first, or this is a second tap: acknowledged, nothing moves.
    AlreadySettled,
    /// Mark it resolved with a new version, so it reaches every device settled.
    Settle,
}

/// `found`: whether the conflict is resolved, if the driver found it (and may show it).
pub fn decide_settle(found: Option<bool>) -> SettleDecision {
    match found {
        None => SettleDecision::Unknown,
        Some(true) => SettleDecision::AlreadySettled,
        Some(false) => SettleDecision::Settle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::Role;
    use crate::{CommentText, IssueId, PersonId};

    const NOW: Millis = 1_795_000_000_000;

    fn event(at: Millis, kind: EventKind, salt: u8) -> IssueEvent {
        let issue = IssueId::parse("I1").unwrap();
        IssueEvent::new(issue, at, PersonId::parse("w1").unwrap(), Role::GridWorker, kind, [salt; 10])
    }

    fn appended(d: AppendDecision) -> (IssueEvent, Option<TransitionError>) {
        match d {
            AppendDecision::Append { event, conflict } => (event, conflict),
            other => panic!("expected an append, got {other:?}"),
        }
    }

    #[test]
    fn a_report_is_appended_at_its_own_plausible_time() {
        let report = event(NOW - 60_000, EventKind::Reported, 1);
        let (stored, conflict) = appended(decide_append(None, &report, &[], Some(NOW)));
        assert_eq!((stored, conflict), (report, None));
    }

    #[test]
    fn an_event_dated_before_the_report_is_placed_at_its_receipt() {
        let report = event(NOW - 60_000, EventKind::Reported, 1);
        let comment = event(NOW - 120_000, EventKind::Commented { text: CommentText::parse("已上门").unwrap() }, 2);
        let (stored, _) = appended(decide_append(None, &comment, std::slice::from_ref(&report), Some(NOW)));
        assert_eq!(stored.at, NOW);
        // A clock that agrees with the phone's still runs the rule: the receipt is then
        // the event's own (implausible) time, which is kept.
        let (kept, _) = appended(decide_append(None, &comment, &[report], None));
        assert_eq!(kept.at, comment.at);
    }

    #[test]
    fn an_event_that_no_longer_holds_is_appended_as_a_conflict() {
        let report = event(NOW - 60_000, EventKind::Reported, 1);
        let again = event(NOW - 40_000, EventKind::Reported, 2);
        let (stored, conflict) = appended(decide_append(None, &again, &[report], Some(NOW)));
        assert_eq!(stored, again, "kept all the same");
        assert_eq!(conflict.map(|e| e.code()), Some("already_reported"));
    }

    #[test]
    fn the_same_event_again_is_a_duplicate_even_if_the_server_retimed_it() {
        let sent = event(NOW + 86_400_000, EventKind::Reported, 1);
        let (stored, _) = appended(decide_append(None, &sent, &[], Some(NOW)));
        assert_ne!(stored.at, sent.at);
        assert_eq!(
            decide_append(Some(&stored), &sent, std::slice::from_ref(&stored), Some(NOW)),
            AppendDecision::Duplicate
        );
    }

    #[test]
    fn another_event_under_a_used_id_is_refused() {
        let first = event(NOW, EventKind::Reported, 1);
        let mut other = event(NOW, EventKind::Accepted, 1);
        other.id = first.id.clone();
        let decision = decide_append(Some(&first), &other, std::slice::from_ref(&first), Some(NOW));
        assert_eq!(decision, AppendDecision::Refused(Refusal::EventIdReused));
    }

    #[test]
    fn a_step_with_more_photos_than_the_limit_is_refused_and_nine_are_kept() {
        use crate::photo::{PhotoHash, PhotoRef, PhotoStage, MAX_PHOTOS_PER_STEP};
        let h = PhotoHash::parse(&"ab".repeat(32)).unwrap();
        let photo = PhotoRef { hash: h.clone(), thumb: h, stage: PhotoStage::Before, taken_at: NOW };
        let report = |n| event(NOW, EventKind::Reported, 1).with_photos(vec![photo.clone(); n]);
        let (stored, _) = appended(decide_append(None, &report(MAX_PHOTOS_PER_STEP), &[], Some(NOW)));
        assert_eq!(stored.photos.len(), MAX_PHOTOS_PER_STEP);
        match decide_append(None, &report(MAX_PHOTOS_PER_STEP + 1), &[], Some(NOW)) {
            AppendDecision::Refused(r) => assert_eq!(r.code(), "too_many_photos"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_conflict_is_settled_once_and_an_unknown_one_is_refused() {
        assert_eq!(decide_settle(Some(false)), SettleDecision::Settle);
        assert_eq!(decide_settle(Some(true)), SettleDecision::AlreadySettled);
        assert_eq!(decide_settle(None), SettleDecision::Unknown);
    }
}
