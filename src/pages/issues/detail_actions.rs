//! The actions the user may take on the issue now (see `permissions.rs`), each with the
//! little form it needs: a reason, a summary, an assignee, a score. Every action becomes
//! one event appended to the history (`Store::append_event`), then sync is told.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wangge_core::issue::{Action, EventKind, IssueEvent, IssueState, Satisfaction};
use wangge_core::people::Person;
use wangge_core::{CommentText, DomainError, PersonId, Reason, Summary};

use super::common::{core_label, core_message, random_bytes};
use super::detail::Detail;
use super::permissions::{allowed_actions, Actor};
use crate::context::{use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Lang, Text};

#[component]
pub fn ActionPanel(d: Detail, state: IssueState, actor: Actor) -> impl IntoView {
    let lang = use_lang();
    let allowed = allowed_actions(&actor, &d.row.issue, &state, now_ms());
    let open = RwSignal::new(None::<Action>);
    let buttons = allowed.iter().map(|a| {
        let a = *a;
        view! {
            <button type="button" class="button small" class:secondary=move || open.get() != Some(a)
                aria-expanded=move || (open.get() == Some(a)).to_string()
                on:click=move |_| open.update(|o| *o = if *o == Some(a) { None } else { Some(a) })>
                {move || core_label!(a, lang.get())}
            </button>
        }
    }).collect_view();
    view! {
        <section class="card issue-actions" aria-labelledby="actions-title">
            <h3 id="actions-title">{tr(IssueMsg::Actions)}</h3>
            {allowed.is_empty().then(|| view! { <p class="muted">{tr(IssueMsg::NoActions)}</p> })}
            <div class="action-buttons">{buttons}</div>
            {move || open.get().map(|a| view! {
                <ActionForm action=a d=d.clone() state=state.clone() actor=actor.clone() open/>
            })}
        </section>
    }
}

/// The inputs of one action's form.
#[derive(Clone, Copy)]
struct Inputs {
    text: RwSignal<String>,
    person: RwSignal<String>,
    score: RwSignal<i64>,
    error: RwSignal<Option<DomainError>>,
    missing_person: RwSignal<bool>,
}

#[component]
fn ActionForm(
    action: Action,
    d: Detail,
    state: IssueState,
    actor: Actor,
    open: RwSignal<Option<Action>>,
) -> impl IntoView {
    let lang = use_lang();
    let store = SendWrapper::new(use_store());
    let sync = use_sync();
    let inputs = Inputs {
        text: RwSignal::new(String::new()),
        person: RwSignal::new(String::new()),
        score: RwSignal::new(0),
        error: RwSignal::new(None),
        missing_person: RwSignal::new(false),
    };
    let refusal = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let issue_id = d.row.issue.id.clone();
    let next_level = state.level.next();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(kind) = build(action, inputs, &state) else {
            return;
        };
        let event = IssueEvent::new(
            issue_id.clone(),
            now_ms(),
            actor.person.clone(),
            actor.role,
            kind,
            random_bytes(),
        );
        // The machine has the last word, with its own message (e.g. verifying one's own work).
        if let Err(e) = state.check(&event) {
            refusal.set(Some(core_message!(e, lang.get_untracked())));
            return;
        }
        busy.set(true);
        let store = (*store).clone();
        leptos::task::spawn_local(async move {
            match store.append_event(event).await {
                Ok(_) => {
                    open.set(None);
                    sync.changed();
                }
                Err(e) => {
                    refusal.set(Some(e.message(lang.get_untracked())));
                    busy.set(false);
                }
            }
        });
    };
    let heading = move || match (action, next_level) {
        (Action::Escalate, Some(to)) => format!(
            "{} → {}",
            core_label!(action, lang.get()),
            core_label!(to, lang.get())
        ),
        _ => core_label!(action, lang.get()).to_string(),
    };
    view! {
        <form class="form action-form" novalidate on:submit=submit aria-label=heading>
            <h4>{heading}</h4>
            {(action == Action::Assign).then(|| view! { <PersonPicker d=d.clone() inputs/> })}
            {(action == Action::Rate).then(|| view! { <ScorePicker inputs/> })}
            {text_label(action).map(|label| view! { <TextArea label inputs/> })}
            {move || refusal.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-buttons">
                <button type="submit" class="button" disabled=move || busy.get()>{tr(IssueMsg::Confirm)}</button>
                <button type="button" class="button secondary" on:click=move |_| open.set(None)>{tr(IssueMsg::Cancel)}</button>
            </div>
        </form>
    }
}

/// The free-text field each action asks for, if any.
fn text_label(action: Action) -> Option<IssueMsg> {
    Some(match action {
        Action::Escalate | Action::Return | Action::Reopen | Action::Withdraw => {
            IssueMsg::FieldReason
        }
        Action::Resolve => IssueMsg::FieldSummary,
        Action::Verify | Action::Resubmit => IssueMsg::FieldNote,
        Action::Comment => IssueMsg::FieldComment,
        Action::Supervise => IssueMsg::FieldOrder,
        Action::Rate => IssueMsg::FieldResidentWords,
        Action::Accept | Action::Assign | Action::Report => return None,
    })
}

/// The event the form describes, checked by the core's parsers; `None` with the
/// messages set when something is wrong.
fn build(action: Action, i: Inputs, state: &IssueState) -> Option<EventKind> {
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
        Action::Escalate => Reason::parse(&text).map(|reason| EventKind::Escalated {
            to: state.level.next().unwrap_or(state.level),
            reason,
        }),
        Action::Return => Reason::parse(&text).map(|reason| EventKind::Returned { reason }),
        Action::Resubmit => optional(&text).map(|note| EventKind::Resubmitted { note }),
        Action::Reopen => Reason::parse(&text).map(|reason| EventKind::Reopened { reason }),
        Action::Withdraw => Reason::parse(&text).map(|reason| EventKind::Withdrawn { reason }),
        Action::Comment => CommentText::parse(&text).map(|text| EventKind::Commented { text }),
        Action::Supervise => CommentText::parse(&text).map(|note| EventKind::Supervised { note }),
        Action::Rate => Satisfaction::parse(i.score.get_untracked())
            .and_then(|score| optional(&text).map(|comment| EventKind::Rated { score, comment })),
        Action::Report => return None,
    };
    i.error.set(kind.as_ref().err().cloned());
    kind.ok()
}

#[component]
fn TextArea(label: IssueMsg, inputs: Inputs) -> impl IntoView {
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
fn PersonPicker(d: Detail, inputs: Inputs) -> impl IntoView {
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
fn ScorePicker(inputs: Inputs) -> impl IntoView {
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
