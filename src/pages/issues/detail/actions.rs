//! The actions the user may take on the issue now (see `permissions.rs`), each with the
//! little form it needs: a reason, a summary, an assignee, a score. Every action becomes
//! one event appended to the history (`Store::append_event`), then sync is told.

use leptos::prelude::*;
use wangge_core::issue::{Action, EventKind, IssueEvent, IssueState, Satisfaction};
use wangge_core::people::Person;
use wangge_core::{CommentText, DomainError, PersonId, Reason, Summary};

use super::super::common::{core_label, core_message, random_bytes};
use super::super::handoff::{default_due, DueError};
use super::{actor, handover, Detail, Shown};
use crate::components::photo_picker::{PhotoPicker, STEP_STAGES};
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::handoff::HandoffMsg;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::photos::Picked;
use wangge_core::issue::allowed_actions;

/// Which action's form is open and everything in it. Created by the page, above what a
/// data change re-renders, so a sync never closes the form or drops what is typed.
#[derive(Clone, Copy, Default)]
pub struct ActionDraft {
    open: RwSignal<Option<Action>>,
    pub(super) text: RwSignal<String>,
    person: RwSignal<String>,
    score: RwSignal<i64>,
    pub(super) error: RwSignal<Option<DomainError>>,
    missing_person: RwSignal<bool>,
    /// The hand-over's unit (id), due date as typed, and their messages.
    pub(super) unit: RwSignal<String>,
    pub(super) due: RwSignal<String>,
    pub(super) due_error: RwSignal<Option<DueError>>,
    pub(super) missing_unit: RwSignal<bool>,
    refusal: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    /// Photos of the step (处理前/处理中/处理后), kept with it.
    photos: Picked,
}

impl ActionDraft {
    /// A tap on an action: its form opens empty, or closes if it is the one open.
    fn toggle(self, action: Action) {
        let again = self.open.get_untracked() == Some(action);
        self.close();
        if !again {
            if action == Action::HandOver {
                self.due.set(default_due(now_ms()));
            }
            self.open.set(Some(action));
        }
    }

    /// Closes the form and empties it (cancel, or the event is saved).
    fn close(self) {
        self.open.set(None);
        self.text.set(String::new());
        self.person.set(String::new());
        self.score.set(0);
        self.error.set(None);
        self.missing_person.set(false);
        self.unit.set(String::new());
        self.due.set(String::new());
        self.due_error.set(None);
        self.missing_unit.set(false);
        self.refusal.set(None);
        self.busy.set(false);
        self.photos.clear();
    }
}

#[component]
pub fn ActionPanel(detail: Shown, draft: ActionDraft) -> impl IntoView {
    let lang = use_lang();
    let me = session();
    // What the user may do follows the issue; the open form does not depend on it (a step
    // no longer possible is refused with the core's reason when confirmed).
    let allowed = Memo::new(move |_| {
        detail.with(|d| {
            d.map_or_else(Vec::new, |d| {
                let state = d.state();
                allowed_actions(&actor(&me, &state, &d.my_units), &d.row.issue, &state, now_ms())
            })
        })
    });
    let open = draft.open;
    let buttons = move || {
        allowed
            .get()
            .into_iter()
            .map(|a| {
                view! {
                    <button type="button" class="button small" class:secondary=move || open.get() != Some(a)
                        aria-expanded=move || (open.get() == Some(a)).to_string()
                        on:click=move |_| draft.toggle(a)>
                        {move || button_label(a, lang.get())}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card issue-actions" aria-labelledby="actions-title">
            <h3 id="actions-title">{tr(IssueMsg::Actions)}</h3>
            {move || allowed.with(Vec::is_empty).then(|| view! { <p class="muted">{tr(IssueMsg::NoActions)}</p> })}
            <div class="action-buttons">{buttons}</div>
            {move || open.get().map(|a| view! { <ActionForm action=a detail draft/> })}
        </section>
    }
}

#[component]
fn ActionForm(action: Action, detail: Shown, draft: ActionDraft) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    let me = session();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Judged against the issue as it is now, which may have moved on since the form opened.
        let Some((state, issue, units)) =
            detail.with_untracked(|d| d.map(|d| (d.state(), d.row.issue.id.clone(), d.my_units.clone())))
        else {
            return;
        };
        let now = now_ms();
        let steps = match action {
            Action::HandOver => handover::steps(draft, now),
            _ => build(action, draft, &state).map(|kind| vec![kind]),
        };
        let Some(steps) = steps else {
            return;
        };
        let by = actor(&me, &state, &units);
        let mut after = state.clone();
        let mut events = Vec::with_capacity(steps.len());
        for (n, kind) in steps.into_iter().enumerate() {
            // One millisecond apart, so the history keeps the form's order (a note after its step).
            let event =
                IssueEvent::new(issue.clone(), now + n as i64, by.person.clone(), by.role, kind, random_bytes());
            // The machine has the last word, with its own message (e.g. verifying one's own work).
            if let Err(e) = after.apply(&event) {
                draft.refusal.set(Some(core_message!(e, lang.get_untracked())));
                return;
            }
            events.push(event);
        }
        // The photos go with the form's main step (a hand-over's, not its note's).
        if let Some(first) = events.first_mut() {
            first.photos = draft.photos.refs();
        }
        let bytes = draft.photos.bytes();
        draft.busy.set(true);
        let store = store.clone();
        leptos::task::spawn_local(async move {
            match store.append_events_with(events, &bytes).await {
                Ok(_) => {
                    draft.close();
                    sync.changed();
                }
                Err(e) => {
                    draft.refusal.set(Some(e.message(lang.get_untracked())));
                    draft.busy.set(false);
                }
            }
        });
    };
    let next_level = move || detail.with(|d| d.and_then(|d| d.state().level.next()));
    let heading = move || match (action, next_level()) {
        (Action::Escalate, Some(to)) => {
            format!("{} → {}", core_label!(action, lang.get()), core_label!(to, lang.get()))
        }
        _ => core_label!(action, lang.get()).to_string(),
    };
    // The people as they were when the form opened: options rebuilt under the worker's
    // thumb would drop the choice.
    let picker = matches!(action, Action::Assign | Action::HandOver)
        .then(|| detail.with_untracked(|d| d.cloned()))
        .flatten()
        .map(|d| match action {
            Action::HandOver => {
                view! { <handover::UnitPicker d inputs=draft/> <handover::DueField inputs=draft/> }.into_any()
            }
            _ => view! { <PersonPicker d inputs=draft/> }.into_any(),
        });
    view! {
        <form class="form action-form" novalidate on:submit=submit aria-label=heading>
            <h4>{heading}</h4>
            {picker}
            {(action == Action::Rate).then(|| view! { <ScorePicker inputs=draft/> })}
            {text_label(action).map(|label| view! { <TextArea label inputs=draft/> })}
            {(action != Action::Rate).then(|| view! { <PhotoPicker picked=draft.photos stages=STEP_STAGES/> })}
            {move || draft.refusal.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-buttons">
                <button type="submit" class="button" disabled=move || draft.busy.get()>{tr(IssueMsg::Confirm)}</button>
                <button type="button" class="button secondary" on:click=move |_| draft.close()>{tr(IssueMsg::Cancel)}</button>
            </div>
        </form>
    }
}

/// A label from either of the two tables this form draws on.
#[derive(Clone, Copy)]
enum Label {
    Issue(IssueMsg),
    Handoff(HandoffMsg),
}

impl Text for Label {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            Label::Issue(m) => m.text(lang),
            Label::Handoff(m) => m.text(lang),
        }
    }
}

/// The free-text field each action asks for, if any.
fn text_label(action: Action) -> Option<Label> {
    Some(match action {
        Action::Escalate | Action::Return | Action::Reopen | Action::Withdraw | Action::Dismiss => {
            Label::Issue(IssueMsg::FieldReason)
        }
        Action::Resolve => Label::Issue(IssueMsg::FieldSummary),
        Action::Verify | Action::Resubmit => Label::Issue(IssueMsg::FieldNote),
        Action::Comment => Label::Issue(IssueMsg::FieldComment),
        Action::Supervise => Label::Issue(IssueMsg::FieldOrder),
        Action::Rate => Label::Issue(IssueMsg::FieldResidentWords),
        Action::HandOver => Label::Handoff(HandoffMsg::FieldNote),
        Action::ReplyHandoff => Label::Handoff(HandoffMsg::FieldReply),
        Action::RefuseHandoff => Label::Handoff(HandoffMsg::FieldRefusal),
        Action::Accept | Action::Assign | Action::Report => return None,
    })
}

/// An action's button: the core's label, but a unit's refusal says what it means here.
fn button_label(action: Action, lang: Lang) -> &'static str {
    match action {
        Action::RefuseHandoff => HandoffMsg::RefuseButton.text(lang),
        _ => core_label!(action, lang),
    }
}

/// The event the form describes, checked by the core's parsers; `None` with the
/// messages set when something is wrong.
fn build(action: Action, i: ActionDraft, state: &IssueState) -> Option<EventKind> {
    let text = i.text.get_untracked();
    let optional = |t: &str| -> Result<Option<CommentText>, DomainError> {
        if t.trim().is_empty() {
            Ok(None)
        } else {
            CommentText::parse(t).map(Some)
        }
    };
    let kind: Result<EventKind, DomainError> = match action {
        Action::Accept => Ok(EventKind::Accepted),
        Action::Assign => {
            let person = PersonId::parse(i.person.get_untracked()).ok();
            i.missing_person.set(person.is_none());
            return person.map(|assignee| EventKind::Assigned { assignee });
        }
        Action::Resolve => Summary::parse(&text).map(|summary| EventKind::Resolved { summary }),
        Action::Verify => optional(&text).map(|note| EventKind::Verified { note }),
        // The machine only accepts the next rung, so that is where it goes.
        Action::Escalate => Reason::parse(&text)
            .map(|reason| EventKind::Escalated { to: state.level.next().unwrap_or(state.level), reason }),
        Action::Return => Reason::parse(&text).map(|reason| EventKind::Returned { reason }),
        Action::Resubmit => optional(&text).map(|note| EventKind::Resubmitted { note }),
        Action::Reopen => Reason::parse(&text).map(|reason| EventKind::Reopened { reason }),
        Action::Withdraw => Reason::parse(&text).map(|reason| EventKind::Withdrawn { reason }),
        Action::Comment => CommentText::parse(&text).map(|text| EventKind::Commented { text }),
        Action::Supervise => CommentText::parse(&text).map(|note| EventKind::Supervised { note }),
        Action::Rate => Satisfaction::parse(i.score.get_untracked())
            .and_then(|score| optional(&text).map(|comment| EventKind::Rated { score, comment })),
        Action::RefuseHandoff => Reason::parse(&text).map(|reason| EventKind::HandoffRefused { reason }),
        Action::Dismiss => Reason::parse(&text).map(|reason| EventKind::Dismissed { reason }),
        Action::ReplyHandoff => CommentText::parse(&text).map(|text| EventKind::HandoffReplied { text }),
        // Reporting has its own screen; handing over is built by `handover::steps`.
        Action::Report | Action::HandOver => return None,
    };
    i.error.set(kind.as_ref().err().cloned());
    kind.ok()
}

#[component]
fn TextArea(label: Label, inputs: ActionDraft) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for="action-text">{tr(label)}</label>
            <textarea id="action-text" prop:value=move || inputs.text.get()
                aria-invalid=move || inputs.error.with(|e| e.as_ref().is_some_and(|e| !is_score_error(e))).to_string()
                aria-describedby="action-text-error"
                on:input=move |ev| inputs.text.set(event_target_value(&ev))></textarea>
            {move || inputs.error.get().filter(|e| !is_score_error(e))
                .map(|e| view! { <p class="field-error" id="action-text-error">{core_message!(e, lang.get())}</p> })}
        </div>
    }
}

/// Who to assign: the people on this phone who are still in post, those who handle the
/// issue's current rung first.
#[component]
fn PersonPicker(d: Detail, inputs: ActionDraft) -> impl IntoView {
    let lang = use_lang();
    let mut people: Vec<Person> = d.people.values().filter(|p| p.active).cloned().collect();
    let level = d.row.state.level;
    wangge_core::sort::sort_by_key(&mut people, |p| (p.handles_at() != Some(level), p.name.to_string()));
    view! {
        <div class="field">
            <label for="action-person">{tr(IssueMsg::FieldAssignee)}</label>
            <select id="action-person" aria-describedby="action-person-error" on:change=move |ev| {
                inputs.person.set(event_target_value(&ev));
                inputs.missing_person.set(false);
            }>
                <option value="">{tr(IssueMsg::Choose)}</option>
                {people.into_iter().map(|p| {
                    let id = p.id.to_string();
                    let roles: Vec<_> = p.roles.iter().copied().collect();
                    let label = move || person_label(&p, &roles, lang.get());
                    view! { <option value=id>{label}</option> }
                }).collect_view()}
            </select>
            <Show when=move || inputs.missing_person.get()>
                <p class="field-error" id="action-person-error">{tr(IssueMsg::AssigneeRequired)}</p>
            </Show>
        </div>
    }
}

fn person_label(p: &Person, roles: &[wangge_core::people::Role], lang: Lang) -> String {
    let roles: Vec<&str> = roles.iter().map(|r| core_label!(r, lang)).collect();
    format!("{} · {}", p.name, roles.join("、"))
}

/// The resident's satisfaction, 1 to 5, as five large radio buttons.
#[component]
fn ScorePicker(inputs: ActionDraft) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="field score">
            <legend>{tr(IssueMsg::FieldScore)}</legend>
            <div class="issue-segmented">
                {(1..=5).map(|n| view! {
                    <label class="issue-segment" class:on=move || inputs.score.get() == n>
                        <input type="radio" name="score" prop:checked=move || inputs.score.get() == n
                            on:change=move |_| inputs.score.set(n)/>
                        <span>{n} <span class="sr-only">{move || IssueMsg::Points.text(lang.get())}</span></span>
                    </label>
                }).collect_view()}
            </div>
            {move || inputs.error.get().filter(is_score_error)
                .map(|e| view! { <p class="field-error">{core_message!(e, lang.get())}</p> })}
        </fieldset>
    }
}

fn is_score_error(e: &DomainError) -> bool {
    matches!(e, DomainError::SatisfactionOutOfRange { .. })
}
