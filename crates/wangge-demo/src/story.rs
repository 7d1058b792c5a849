//! Plays an issue's life through the real state machine: each step picks a plausible
//! actor from the roster, makes the event and applies it, so every demo history is one
//! the app itself could have recorded.

use super::world::{Actor, World};
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{EventKind, Issue, IssueEvent, IssueState, Satisfaction};
use wangge_core::people::Role;
use wangge_core::{CommentText, Millis, Reason, Summary, DAY_MILLIS, HOUR_MILLIS};

/// One step of a planned life.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    Accept,
    Assign,
    Resolve(&'static str),
    Verify,
    Escalate(&'static str),
    Return(&'static str),
    Resubmit,
    Reopen(&'static str),
    Comment(&'static str),
    Supervise(&'static str),
    Rate(i64, Option<&'static str>),
    Withdraw(&'static str),
}

/// Plays `steps` for `issue` (reported at its `created_at`), spacing events between
/// an hour and `typical_gap` apart but always strictly increasing and never after `now`.
pub(super) fn play(world: &mut World, issue: &Issue, steps: &[Step], typical_gap: Millis) -> Vec<IssueEvent> {
    let mut story = Story { state: IssueState::default(), events: Vec::new(), at: issue.created_at };
    let reporter = reporter_role(world, issue);
    story.push(world, issue, reporter, EventKind::Reported);
    for (i, step) in steps.iter().enumerate() {
        let room = (world.now - story.at) / (steps.len() - i + 1) as Millis;
        let gap = world.rng.between(1.max(room.min(HOUR_MILLIS)), 1.max(room.min(typical_gap)));
        story.at += gap;
        let (actor, kind) = story.step(world, issue, step);
        story.push(world, issue, actor, kind);
    }
    story.events
}

fn reporter_role(world: &World, issue: &Issue) -> Actor {
    let roles = world.people.iter().find(|p| p.id == issue.reporter).map(|p| &p.roles);
    let role = roles
        .and_then(|r| r.iter().find(|r| r.handles_at().is_some()).or(r.iter().next()))
        .copied()
        .unwrap_or(Role::GridWorker);
    (issue.reporter.clone(), role)
}

fn text<T>(parse: fn(&str) -> Result<T, wangge_core::DomainError>, s: &str) -> T {
    parse(s).expect("demo texts are within limits")
}

struct Story {
    state: IssueState,
    events: Vec<IssueEvent>,
    at: Millis,
}

impl Story {
    fn push(&mut self, world: &mut World, issue: &Issue, (actor, role): Actor, kind: EventKind) {
        let e = IssueEvent::new(issue.id.clone(), self.at, actor, role, kind, world.rng.id_bytes());
        // A refusal here is a bug in the demo plans; the property tests catch it.
        self.state.apply(&e).unwrap_or_else(|err| panic!("demo step refused: {err} ({e:?})"));
        self.events.push(e);
    }

    fn step(&self, world: &World, issue: &Issue, step: &Step) -> (Actor, EventKind) {
        let crew = world.crew(&issue.grid, self.state.level);
        let assignee = crew.assignee.0.clone();
        let actor = match step {
            Step::Accept | Step::Assign | Step::Escalate(_) | Step::Return(_) | Step::Comment(_) => crew.handler,
            Step::Resolve(_) => crew.assignee,
            Step::Verify | Step::Reopen(_) => crew.verifier,
            Step::Resubmit | Step::Withdraw(_) => reporter_role(world, issue),
            // Supervision comes from the rung above (the district supervises itself).
            Step::Supervise(_) => {
                let above = self.state.level.next().unwrap_or(EscalationLevel::District);
                world.crew(&issue.grid, above).handler
            }
            // The grid worker records the resident's rating on a return visit.
            Step::Rate(..) => world.worker(&issue.grid),
        };
        (actor, self.kind(step, assignee))
    }

    fn kind(&self, step: &Step, assignee: wangge_core::PersonId) -> EventKind {
        match *step {
            Step::Accept => EventKind::Accepted,
            Step::Assign => EventKind::Assigned { assignee },
            Step::Resolve(s) => EventKind::Resolved { summary: text(Summary::parse, s) },
            Step::Verify => EventKind::Verified { note: None },
            Step::Escalate(r) => EventKind::Escalated {
                to: self.state.level.next().expect("demo plans stop at the district"),
                reason: text(Reason::parse, r),
            },
            Step::Return(r) => EventKind::Returned { reason: text(Reason::parse, r) },
            Step::Resubmit => EventKind::Resubmitted { note: None },
            Step::Withdraw(r) => EventKind::Withdrawn { reason: text(Reason::parse, r) },
            Step::Reopen(r) => EventKind::Reopened { reason: text(Reason::parse, r) },
            Step::Comment(c) => EventKind::Commented { text: text(CommentText::parse, c) },
            Step::Supervise(n) => EventKind::Supervised { note: text(CommentText::parse, n) },
            Step::Rate(score, comment) => EventKind::Rated {
                score: Satisfaction::parse(score).expect("demo scores are 1..=5"),
                comment: comment.map(|c| text(CommentText::parse, c)),
            },
        }
    }
}

/// A typical gap between steps: a few days.
pub(super) const TYPICAL_GAP: Millis = 3 * DAY_MILLIS;
