//! An issue's history as a timeline: who did what, when, in which role and at which rung
//! of the ladder, in the one order every phone and the server use (the core's
//! `order_key`). Events the state machine found no longer holding (two phones acted on
//! the issue offline) stay in the list, marked, with the core's reason.

use leptos::prelude::*;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{sort_events, Derived, EventKind, IssueEvent, IssueState, TransitionError};

use super::super::common::{core_label, core_message};
use super::super::handoff::due_text;
use super::Detail;
use crate::components::photo_strip::PhotoStrip;
use crate::format::date_time;
use crate::i18n::handoff::{decided_at, HandoffMsg};
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use wangge_core::meeting::MeetingKind;
use wangge_core::{Date, Millis};

/// One row of the timeline.
#[derive(Clone)]
struct Entry {
    event: IssueEvent,
    /// The rung the issue was at when this happened.
    level: EscalationLevel,
    /// Why it did not hold, if it did not.
    refused: Option<TransitionError>,
}

/// Walks the history in order, replaying what `derive` applied so each entry knows the
/// rung it happened at. `derive` lists applied and refused events each in history order,
/// so the two lists are merged back by position (a repeated id is applied once, then
/// refused as a duplicate).
fn entries(events: &[IssueEvent], derived: &Derived) -> Vec<Entry> {
    let mut sorted = events.to_vec();
    sort_events(&mut sorted);
    let (mut applied, mut refused) = (derived.applied.iter().peekable(), derived.conflicts.iter().peekable());
    let mut state = IssueState::default();
    let mut out = Vec::with_capacity(sorted.len());
    for event in sorted {
        let level = state.level;
        if applied.peek().is_some_and(|id| **id == event.id) {
            applied.next();
            // Already known to hold: it held when derive applied it in this same order.
            let _ = state.apply(&event);
            out.push(Entry { event, level, refused: None });
        } else {
            let reason = refused.next().map(|(_, err)| err.clone());
            out.push(Entry { event, level, refused: reason });
        }
    }
    out
}

#[component]
pub fn Timeline(d: Detail, derived: Derived) -> impl IntoView {
    let lang = use_lang();
    let mut list = entries(&d.events, &derived);
    // Newest first: what happened last is what the worker came to see.
    list.reverse();
    view! {
        <section class="card issue-timeline" aria-labelledby="timeline-title">
            <h3 id="timeline-title">{tr(IssueMsg::Timeline)}</h3>
            <ol class="list">
                {list.into_iter().map(|e| {
                    let who = d.name_of(e.event.actor.as_str());
                    let role = e.event.actor_role;
                    let level = e.level;
                    let kind = e.event.kind.clone();
                    let details = {
                        let d = d.clone();
                        let kind = kind.clone();
                        move || detail_text(&kind, &d, lang.get())
                    };
                    let refused = e.refused.clone();
                    let photos = e.event.photos.clone();
                    let meeting = e.event.meeting.as_ref().map(|m| {
                        let (id, head) = (m.to_string(), d.meetings.get(m.as_str()).copied());
                        move || meeting_text(&id, head, lang.get())
                    });
                    view! {
                        <li class="issue-event" class:refused=refused.is_some()>
                            <p class="issue-event-head">
                                <strong>{move || core_label!(kind, lang.get())}</strong>
                                <span class="muted">{date_time(e.event.at as f64)}</span>
                            </p>
                            <p class="issue-event-who">
                                {who} " · " {move || core_label!(role, lang.get())}
                                " · " {move || core_label!(level, lang.get())}
                            </p>
                            {move || details().map(|t| view! { <p class="issue-event-text">{t}</p> })}
                            {meeting.map(|m| view! { <p class="issue-event-meeting">{m}</p> })}
                            <PhotoStrip photos/>
                            {refused.clone().map(|err| view! {
                                <p class="issue-event-refused">
                                    <strong>{tr(IssueMsg::NotHeld)}</strong> {move || core_message!(err, lang.get())}
                                </p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// "(2026-11-20 联席会议研判)" for a step decided at a meeting; the meeting's id when
/// the phone does not hold it.
fn meeting_text(id: &str, head: Option<(MeetingKind, Millis)>, lang: Lang) -> String {
    match head {
        Some((kind, at)) => decided_at(&Date::of_millis(at).to_string(), kind, lang),
        None => format!("({id})"),
    }
}

/// What the event carried, as a sentence.
fn detail_text(kind: &EventKind, d: &Detail, lang: Lang) -> Option<String> {
    let say = |m: IssueMsg, s: &str| Some(format!("{}{s}", m.text(lang)));
    match kind {
        EventKind::Reported | EventKind::Accepted => None,
        EventKind::Assigned { assignee } => say(IssueMsg::AssignedTo, &d.name_of(assignee.as_str())),
        EventKind::Resolved { summary } => say(IssueMsg::SummaryIs, summary.as_str()),
        EventKind::Escalated { to, reason } => Some(format!(
            "{}{} · {}{}",
            IssueMsg::EscalatedTo.text(lang),
            core_label!(to, lang),
            IssueMsg::ReasonIs.text(lang),
            reason.as_str()
        )),
        EventKind::Returned { reason }
        | EventKind::Reopened { reason }
        | EventKind::Withdrawn { reason }
        | EventKind::HandoffRefused { reason }
        | EventKind::Dismissed { reason } => say(IssueMsg::ReasonIs, reason.as_str()),
        EventKind::HandedOver { unit, due } => Some(format!(
            "{}{}{}",
            HandoffMsg::TimelineUnit.text(lang),
            d.unit_name(unit.as_str()),
            due.map(|t| format!(" · {}", due_text(t, lang))).unwrap_or_default()
        )),
        EventKind::HandoffReplied { text } => Some(text.as_str().to_string()),
        EventKind::Verified { note } | EventKind::Resubmitted { note } => note.as_ref().map(|n| n.as_str().to_string()),
        EventKind::Commented { text } => Some(text.as_str().to_string()),
        EventKind::Supervised { note } => Some(note.as_str().to_string()),
        EventKind::Rated { score, comment } => Some(format!(
            "{}{}/5{}",
            IssueMsg::ScoreIs.text(lang),
            score.score(),
            comment.as_ref().map(|c| format!(" · {}", c.as_str())).unwrap_or_default()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wangge_core::issue::derive;
    use wangge_core::people::Role;
    use wangge_core::{IssueId, PersonId, Reason, Summary};

    fn event(n: u8, kind: EventKind) -> IssueEvent {
        IssueEvent::new(
            IssueId::parse("i1").unwrap(),
            i64::from(n) * 1000,
            PersonId::parse("w").unwrap(),
            Role::GridWorker,
            kind,
            [n; 10],
        )
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_step_that_no_longer_holds_is_kept_and_marked_with_the_cores_reason() {
        let reason = Reason::parse("需社区协调").unwrap();
        let assignee = PersonId::parse("w").unwrap();
        let reported = event(1, EventKind::Reported);
        let events = vec![
            // Arrival order differs from history order: the timeline follows the history.
            event(5, EventKind::Escalated { to: EscalationLevel::Community, reason }),
            reported.clone(),
            event(2, EventKind::Accepted),
            event(3, EventKind::Assigned { assignee }),
            event(4, EventKind::Resolved { summary: Summary::parse("已修好").unwrap() }),
            reported,
        ];
        let list = entries(&events, &derive(&events));
        let kinds: Vec<_> = list.iter().map(|e| e.event.kind.action().code()).collect();
        assert_eq!(kinds, ["report", "report", "accept", "assign", "resolve", "escalate"]);
        assert!(list[0].refused.is_none());
        assert_eq!(list[1].refused, Some(TransitionError::DuplicateEvent));
        assert!(list[2..5].iter().all(|e| e.refused.is_none()));
        assert!(matches!(list[5].refused, Some(TransitionError::AwaitingVerification { .. })));
        assert!(list.iter().all(|e| e.level == EscalationLevel::Grid));
    }
}
