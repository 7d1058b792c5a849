//! The hand-over form's own parts (交办): the picker of units and departments on the
//! phone (区级部门 first, then 驻区单位 grid by grid, each with its contact), the due
//! date, and the steps the form appends — the hand-over, then its note as a comment.

use leptos::prelude::*;
use wangge_core::issue::EventKind;
use wangge_core::{CommentText, Millis, UnitId};

use super::super::common::core_message;
use super::super::handoff::{parse_due, unit_groups, DueError};
use super::actions::ActionDraft;
use super::Detail;
use crate::i18n::handoff::HandoffMsg;
use crate::i18n::{tr, use_lang, Lang, Text};

/// What the hand-over form describes, or `None` with its messages set.
pub(super) fn steps(i: ActionDraft, now: Millis) -> Option<Vec<EventKind>> {
    let unit = UnitId::parse(i.unit.get_untracked()).ok();
    i.missing_unit.set(unit.is_none());
    let due = parse_due(&i.due.get_untracked(), now);
    i.due_error.set(due.as_ref().err().cloned());
    let text = i.text.get_untracked();
    let note = if text.trim().is_empty() { Ok(None) } else { CommentText::parse(&text).map(Some) };
    i.error.set(note.as_ref().err().cloned());
    let (Some(unit), Ok(due), Ok(note)) = (unit, due, note) else {
        return None;
    };
    let mut steps = vec![EventKind::HandedOver { unit, due }];
    steps.extend(note.map(|text| EventKind::Commented { text }));
    Some(steps)
}

/// Which unit or department takes it. The options are the units as they were when the
/// form opened: options rebuilt under the secretary's thumb would drop the choice.
#[component]
pub(super) fn UnitPicker(d: Detail, inputs: ActionDraft) -> impl IntoView {
    let lang = use_lang();
    let groups = unit_groups(&d.units, &d.grid_names);
    if groups.is_empty() {
        return view! { <p class="field-error">{tr(HandoffMsg::NoUnitsOnPhone)}</p> }.into_any();
    }
    let options = groups
        .into_iter()
        .map(|g| {
            let title = g.grid.clone();
            let label = move || match &title {
                None => HandoffMsg::GroupDepartments.text(lang.get()).to_string(),
                Some(grid) => format!("{} · {grid}", HandoffMsg::GroupUnits.text(lang.get())),
            };
            let units = g
                .units
                .into_iter()
                .map(|u| {
                    let contact =
                        u.contact_person.as_ref().map(|p| d.name_of(p.as_str())).or(u.contact.map(|c| c.to_string()));
                    let name = u.name.to_string();
                    let text = move || option_text(&name, contact.as_deref(), lang.get());
                    view! { <option value=u.id.to_string()>{text}</option> }
                })
                .collect_view();
            view! { <optgroup label=label>{units}</optgroup> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for="action-unit">{tr(HandoffMsg::FieldUnit)}</label>
            <select id="action-unit" aria-describedby="action-unit-error"
                aria-invalid=move || inputs.missing_unit.get().to_string()
                on:change=move |ev| {
                    inputs.unit.set(event_target_value(&ev));
                    inputs.missing_unit.set(false);
                }>
                <option value="">{tr(crate::i18n::issues::IssueMsg::Choose)}</option>
                {options}
            </select>
            <Show when=move || inputs.missing_unit.get()>
                <p class="field-error" id="action-unit-error">{tr(HandoffMsg::UnitRequired)}</p>
            </Show>
        </div>
    }
    .into_any()
}

/// "区城管局 · 联络员 王强", or a note that nobody answers for it on a phone.
fn option_text(name: &str, contact: Option<&str>, lang: Lang) -> String {
    match contact {
        Some(c) => format!("{name} · {c}"),
        None => format!("{name} · {}", HandoffMsg::NoContact.text(lang)),
    }
}

/// The due date: a week from today unless changed; blank for none; not before today.
#[component]
pub(super) fn DueField(inputs: ActionDraft) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for="action-due">{tr(HandoffMsg::FieldDue)}</label>
            <input type="date" id="action-due" prop:value=move || inputs.due.get()
                aria-invalid=move || inputs.due_error.with(Option::is_some).to_string()
                aria-describedby="action-due-hint action-due-error"
                on:input=move |ev| {
                    inputs.due.set(event_target_value(&ev));
                    inputs.due_error.set(None);
                }/>
            <span class="hint" id="action-due-hint">{tr(HandoffMsg::DueHint)}</span>
            {move || inputs.due_error.get().map(|e| view! {
                <p class="field-error" id="action-due-error">{move || due_message(&e, lang.get())}</p>
            })}
        </div>
    }
}

fn due_message(e: &DueError, lang: Lang) -> String {
    match e {
        DueError::Core(e) => core_message!(e, lang),
        DueError::Past => HandoffMsg::DueInPast.text(lang).to_string(),
    }
}
