//! A meeting's decision as the issue's own steps: which events a decision appends, checked
//! one after the other by the state machine and by `may_take` — the same rules every
//! other step meets — before anything is written.

use super::{Decision, Outcome};
use crate::issue::{role_allows, Action, Actor, EventKind, Issue, IssueEvent, IssueState, Status, TransitionError};
use crate::{CommentText, MeetingId, Millis, Reason};

/// Why a decision cannot be recorded as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionError {
    /// "Hand to a member" without the member.
    NoMember,
    /// "Hand to a unit" without the unit.
    NoUnit,
    /// Escalating or dismissing needs the reason, written in the note.
    NoReason(Outcome),
    /// The issue is already at the top rung.
    TopRung,
    /// The issue's state refuses a step (closed meanwhile, say).
    Step(TransitionError),
    /// The user's roles do not allow a step.
    NotAllowed(Action),
}

impl DecisionError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DecisionError::NoMember => "decision_no_member",
            DecisionError::NoUnit => "decision_no_unit",
            DecisionError::NoReason(_) => "decision_no_reason",
            DecisionError::TopRung => "above_district",
            DecisionError::Step(e) => e.code(),
            DecisionError::NotAllowed(_) => "step_not_allowed",
        }
    }

    /// What to do, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            DecisionError::NoMember => "请选择交给哪位成员办理".into(),
            DecisionError::NoUnit => "请选择交给哪个单位或部门办理".into(),
            DecisionError::NoReason(o) => format!("“{}”需要写明理由", o.label_zh()),
            DecisionError::TopRung => "问题已在区县层级,不能再向上提级".into(),
            DecisionError::Step(e) => e.message_zh(),
            DecisionError::NotAllowed(a) => format!("您的角色不能对这个问题执行“{}”", a.label_zh()),
        }
    }

    /// What to do, in English.
    pub fn message_en(&self) -> String {
        match self {
            DecisionError::NoMember => "Choose the member who takes it".into(),
            DecisionError::NoUnit => "Choose the unit or department that takes it".into(),
            DecisionError::NoReason(o) => format!("\"{}\" needs the reason in the note", o.label_en()),
            DecisionError::TopRung => "The issue is already at district level; it cannot go higher".into(),
            DecisionError::Step(e) => e.message_en(),
            DecisionError::NotAllowed(a) => format!("Your role cannot \"{}\" this issue", a.label_en()),
        }
    }
}

/// The steps a decision appends to an issue standing at `state`, in order. An issue still
/// waiting to be taken on is accepted first where the decision keeps it here (handing it
/// to a unit is itself taking it on). Text the decision needs and the meeting did not
/// write is the meeting's standard wording, in Chinese as the minutes are.
pub fn decision_steps(decision: &Decision, state: &IssueState) -> Result<Vec<EventKind>, DecisionError> {
    let accept_first = || if state.status == Status::Reported { vec![EventKind::Accepted] } else { Vec::new() };
    let note_or = |default: &str| decision.note.clone().or_else(|| CommentText::parse(default).ok());
    let reason = || {
        decision
            .note
            .as_ref()
            .and_then(|n| Reason::parse(n.as_str()).ok())
            .ok_or(DecisionError::NoReason(decision.outcome))
    };
    Ok(match decision.outcome {
        Outcome::Community => {
            let mut steps = accept_first();
            steps.extend(note_or("会议研判:由社区办理").map(|text| EventKind::Commented { text }));
            steps
        }
        Outcome::AssignMember => {
            let assignee = decision.person.clone().ok_or(DecisionError::NoMember)?;
            let mut steps = accept_first();
            steps.push(EventKind::Assigned { assignee });
            steps.extend(decision.note.clone().map(|text| EventKind::Commented { text }));
            steps
        }
        Outcome::HandToUnit => {
            let unit = decision.unit.clone().ok_or(DecisionError::NoUnit)?;
            let mut steps = vec![EventKind::HandedOver { unit, due: decision.due }];
            steps.extend(decision.note.clone().map(|text| EventKind::Commented { text }));
            steps
        }
        Outcome::Escalate => {
            let to = state.level.next().ok_or(DecisionError::TopRung)?;
            vec![EventKind::Escalated { to, reason: reason()? }]
        }
        Outcome::Dismiss => vec![EventKind::Dismissed { reason: reason()? }],
        Outcome::Hold => {
            note_or("会议研判:留待下次会议再议").map(|text| EventKind::Commented { text }).into_iter().collect()
        }
    })
}

/// The events to append for `decision` at `meeting`, each checked on the state the one
/// before leaves (state machine and role), or the first reason it cannot be recorded.
/// `random` gives each event's id its random part.
pub fn plan_decision(
    actor: &Actor,
    issue: &Issue,
    state: &IssueState,
    decision: &Decision,
    meeting: &MeetingId,
    now: Millis,
    mut random: impl FnMut() -> [u8; 10],
) -> Result<Vec<IssueEvent>, DecisionError> {
    let mut after = state.clone();
    let mut events = Vec::new();
    for (n, kind) in decision_steps(decision, state)?.into_iter().enumerate() {
        let action = kind.action();
        if !role_allows(action, actor, issue, &after) {
            return Err(DecisionError::NotAllowed(action));
        }
        // One millisecond apart, so the history keeps the decision's order.
        let at = now + n as Millis;
        let event = IssueEvent::new(issue.id.clone(), at, actor.person.clone(), actor.role, kind, random())
            .at_meeting(meeting.clone());
        after.apply(&event).map_err(DecisionError::Step)?;
        events.push(event);
    }
    Ok(events)
}
