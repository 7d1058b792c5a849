//! The decision form (研判) of one agenda item: outcome, then the member, the unit and its
//! due date, or the reason it needs, and a note. Saving is one `Store::decide_item`: the
//! meeting's item field and the issue's events together; a decision the core refuses
//! shows `DecisionError`'s message beside the form and writes nothing. The draft is owned
//! by the meeting page, so a sync landing meanwhile keeps the form and what is typed.

use leptos::prelude::*;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::Actor;
use wangge_core::meeting::{Decision, Outcome};
use wangge_core::{CommentText, Date, IssueId, PersonId, UnitId};

use super::committee::{committee, community_of};
use super::data::Shown;
use super::words::outcome_label;
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::handoff::HandoffMsg;
use crate::i18n::meetings::MeetMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::pages::issues::common::{acting_role, core_message, random_bytes};
use crate::pages::issues::handoff::unit_groups;
use crate::store::{Bases, DecideError};

/// Which item's form is open and everything in it.
#[derive(Clone, Copy)]
pub struct DecideDraft {
    pub open: RwSignal<Option<String>>,
    seen: RwSignal<Bases>,
    outcome: RwSignal<Outcome>,
    person: RwSignal<String>,
    unit: RwSignal<String>,
    due: RwSignal<String>,
    note: RwSignal<String>,
    refusal: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl Default for DecideDraft {
    fn default() -> DecideDraft {
        DecideDraft {
            open: RwSignal::new(None),
            seen: RwSignal::new(Bases::new()),
            outcome: RwSignal::new(Outcome::Community),
            person: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            due: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            refusal: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }
}

impl DecideDraft {
    /// Opens the form of `issue`, empty, on the meeting as shown (its bases).
    pub fn start(self, issue: String, bases: Bases) {
        self.close();
        self.seen.set(bases);
        self.open.set(Some(issue));
    }

    fn close(self) {
        self.open.set(None);
        self.outcome.set(Outcome::Community);
        for s in [self.person, self.unit, self.due, self.note] {
            s.set(String::new());
        }
        self.refusal.set(None);
        self.busy.set(false);
    }
}

/// The form's choices, read once when it opens: a data change does not rebuild it.
#[component]
pub fn DecisionForm(issue: String, shown: Shown, draft: DecideDraft) -> impl IntoView {
    let lang = use_lang();
    let (store, sync, me) = (use_store(), use_sync(), session());
    let title = shown.scope.issues.get(&issue).map(|r| r.title.clone()).unwrap_or_else(|| issue.clone());
    let level = shown.scope.issues.get(&issue).map_or(EscalationLevel::Community, |r| r.state.level);
    let community = community_of(&shown.scope.tree, &shown.meeting.grid);
    let members: Vec<(String, String)> = committee(&shown.scope.tree, &community, &shown.scope.people)
        .into_iter()
        .map(|p| (p.id.to_string(), p.name.to_string()))
        .collect();
    let units = unit_options(&shown, lang.get_untracked());
    let meeting = shown.meeting.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let decision = match read(draft, me.user.person_id.clone(), l) {
            Ok(d) => d,
            Err(message) => return draft.refusal.set(Some(message)),
        };
        // The user's units are not read here: deciding needs the community rung only.
        let actor = Actor::new(me.user.person_id.clone(), &me.user.roles, acting_role(&me, level));
        let (store, meeting, seen) = (store.clone(), meeting.clone(), draft.seen.get_untracked());
        let Ok(issue) = IssueId::parse(issue.clone()) else { return };
        draft.busy.set(true);
        leptos::task::spawn_local(async move {
            let out = store.decide_item(&meeting, &issue, decision, &actor, Some(&seen), random_bytes).await;
            draft.busy.set(false);
            match out {
                Ok(_) => {
                    draft.close();
                    sync.changed();
                }
                Err(e) => draft.refusal.set(Some(refusal_text(&e, l))),
            }
        });
    };
    let outcome = draft.outcome;
    let needs_reason = move || matches!(outcome.get(), Outcome::Escalate | Outcome::Dismiss);
    view! {
        <form class="card decide-form" novalidate on:submit=submit aria-labelledby="decide-title">
            <h3 id="decide-title">{tr(MeetMsg::Deciding)} {title}</h3>
            <label class="field">{tr(MeetMsg::Outcome)}
                <select on:change=move |ev| if let Some(o) = Outcome::from_code(&event_target_value(&ev)) { outcome.set(o) }>
                    {Outcome::ALL.map(|o| view! {
                        <option value=o.code() selected=move || outcome.get() == o>{move || outcome_label(o, lang.get())}</option>
                    }).into_iter().collect_view()}
                </select>
            </label>
            <Show when=move || outcome.get() == Outcome::AssignMember>
                <Picker label=MeetMsg::Member value=draft.person options=members.clone()/>
            </Show>
            <Show when=move || outcome.get() == Outcome::HandToUnit>
                <Picker label=MeetMsg::Unit value=draft.unit options=units.clone()/>
                <label class="field">{tr(MeetMsg::Due)}
                    <input type="date" prop:value=draft.due on:input=move |ev| draft.due.set(event_target_value(&ev))/>
                </label>
            </Show>
            <label class="field">
                {move || if needs_reason() { MeetMsg::NoteReason.text(lang.get()) } else { MeetMsg::Note.text(lang.get()) }}
                <textarea prop:value=draft.note on:input=move |ev| draft.note.set(event_target_value(&ev))></textarea>
            </label>
            {move || draft.refusal.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="actions">
                <button type="submit" class="button" disabled=move || draft.busy.get()>{tr(MeetMsg::SaveDecision)}</button>
                <button type="button" class="button secondary" on:click=move |_| draft.close()>{tr(MeetMsg::Cancel)}</button>
            </div>
        </form>
    }
}

#[component]
fn Picker(label: MeetMsg, value: RwSignal<String>, options: Vec<(String, String)>) -> impl IntoView {
    view! {
        <label class="field">{tr(label)}
            <select on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{tr(MeetMsg::Choose)}</option>
                {options.into_iter().map(|(id, name)| {
                    let selected = value.get_untracked() == id;
                    view! { <option value=id selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The units a decision may hand to, as the hand-over form orders them: departments first
/// (where an issue the community cannot solve usually goes), then local units grid by grid,
/// each named with its group.
fn unit_options(shown: &Shown, l: Lang) -> Vec<(String, String)> {
    let grids: std::collections::HashMap<String, String> =
        shown.scope.tree.grids().iter().map(|g| (g.id.to_string(), g.name.to_string())).collect();
    unit_groups(&shown.scope.units, &grids)
        .into_iter()
        .flat_map(|g| {
            let group = g.grid.unwrap_or_else(|| HandoffMsg::GroupDepartments.text(l).to_string());
            g.units.into_iter().map(move |u| (u.id.to_string(), format!("{} · {group}", u.name)))
        })
        .collect()
}

/// The decision as typed, or the core's message for the first input it refuses. Whether
/// the decision holds as a whole (a member chosen, a reason written) is the core's
/// `plan_decision`, asked by the store.
fn read(d: DecideDraft, by: PersonId, l: Lang) -> Result<Decision, String> {
    let outcome = d.outcome.get_untracked();
    let note = d.note.get_untracked();
    let note = (!note.trim().is_empty())
        .then(|| CommentText::parse(note.trim()))
        .transpose()
        .map_err(|e| core_message!(e, l))?;
    let due = d.due.get_untracked();
    let due = match (outcome, due.trim()) {
        (Outcome::HandToUnit, s) if !s.is_empty() => {
            // The end of the chosen day: the unit has all of it.
            Some(Date::parse(s).map_err(|e| core_message!(e, l))?.add_days(1).start_millis() - 1)
        }
        _ => None,
    };
    let person = (outcome == Outcome::AssignMember).then(|| PersonId::parse(d.person.get_untracked()).ok()).flatten();
    let unit = (outcome == Outcome::HandToUnit).then(|| UnitId::parse(d.unit.get_untracked()).ok()).flatten();
    Ok(Decision { outcome, person, unit, due, note, by, at: now_ms() })
}

fn refusal_text(e: &DecideError, l: Lang) -> String {
    match e {
        DecideError::Refused(e) => core_message!(e, l),
        DecideError::Closed => MeetMsg::ClosedNote.text(l).to_string(),
        DecideError::AlreadyDecided => MeetMsg::AlreadyDecided.text(l).to_string(),
        DecideError::Store(e) => e.message(l),
    }
}
