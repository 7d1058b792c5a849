//! The household screen's open form — the household's own fields (address, care tags,
//! status, grid) or one member — rendered from the page's [`RosterDraft`], never from
//! the re-read data, so a background sync neither closes it nor drops what is typed.

use std::collections::BTreeSet;

use leptos::prelude::*;
use wangge_core::household::{HouseholdStatus, HouseholdTag};
use wangge_core::sync::Collection;
use wangge_core::{MemberId, Millis};

use super::edit_draft::{FormKind, RosterDraft};
use super::member_form::{choices, CodeSelect, MemberFields, TextField};
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::roster::{label, RosterMsg};
use crate::i18n::{tr, use_lang};
use crate::pages::issues::common::random_bytes;
use crate::pages::issues::new::grids::grid_choices;

#[component]
pub fn RosterForms(draft: RosterDraft) -> impl IntoView {
    move || draft.open.get().map(|kind| view! { <OpenForm draft kind/> })
}

#[component]
fn OpenForm(draft: RosterDraft, kind: FormKind) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    let title = match kind {
        FormKind::Household => RosterMsg::EditHousehold,
        FormKind::NewMember => RosterMsg::AddMember,
        FormKind::Member(_) => RosterMsg::EditMemberTitle,
    };
    let submit = {
        let kind = kind.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some((before, bases)) = draft.seen.get_value() else { return };
            let now: Millis = now_ms();
            let fields = match &kind {
                FormKind::Household => draft.household_changes(&before),
                k => draft.member_change(&before, k, MemberId::generate(now, random_bytes())),
            };
            let Some(fields) = fields else { return };
            if fields.is_empty() {
                draft.close();
                return;
            }
            let (store, id) = (store.clone(), before.id.to_string());
            leptos::task::spawn_local(async move {
                match store.edit_seen(Collection::Households, &id, fields, Some(&bases)).await {
                    Ok(changed) => {
                        draft.close();
                        if changed {
                            sync.changed();
                        }
                    }
                    Err(e) => draft.failure.set(Some(e.message(lang.get_untracked()))),
                }
            });
        }
    };
    let body = match kind {
        FormKind::Household => view! { <HouseholdFields draft/> }.into_any(),
        FormKind::NewMember => {
            view! { <MemberFields inputs=draft.member prefix="member" with_status=false/> }.into_any()
        }
        FormKind::Member(_) => {
            view! { <MemberFields inputs=draft.member prefix="member" with_status=true/> }.into_any()
        }
    };
    // The form opens below the lists it edits; bring it into view (once, on opening: a
    // sync that re-renders the lists does not re-run this).
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(form) = form_ref.get() {
            form.scroll_into_view();
        }
    });
    view! {
        <form class="form card roster-form" novalidate on:submit=submit aria-label=tr(title) node_ref=form_ref>
            <h3>{tr(title)}</h3>
            {body}
            {move || draft.failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-buttons">
                <button type="submit" class="button">{tr(RosterMsg::Save)}</button>
                <button type="button" class="button secondary" on:click=move |_| draft.close()>{tr(RosterMsg::Cancel)}</button>
            </div>
        </form>
    }
}

/// Address, care tags, status and grid (her own subtree only: the server refuses a
/// household written outside it).
#[component]
fn HouseholdFields(draft: RosterDraft) -> impl IntoView {
    let RosterDraft { address, tags, status, grid, address_error, .. } = draft;
    view! {
        <TextField id="hh-address".to_string() label_text=RosterMsg::FieldAddress value=address error=address_error/>
        <TagBoxes tags/>
        <CodeSelect id="hh-status".to_string() label_text=RosterMsg::FieldHouseholdStatus options=choices!(HouseholdStatus)
            value=Signal::derive(move || status.get().code())
            on_pick=Callback::new(move |c: String| if let Some(s) = HouseholdStatus::from_code(&c) { status.set(s) })/>
        <GridPicker grid id="hh-grid"/>
    }
}

/// One checkbox per care tag.
#[component]
pub fn TagBoxes(tags: RwSignal<BTreeSet<HouseholdTag>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="field tag-boxes">
            <legend>{tr(RosterMsg::FieldTags)}</legend>
            {HouseholdTag::ALL.into_iter().map(|t| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || tags.with(|s| s.contains(&t))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            tags.update(|s| { if on { s.insert(t); } else { s.remove(&t); } });
                        }/>
                    {move || label(lang.get(), t.label_zh(), t.label_en())}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The worker's home grid and everything below it.
#[component]
pub fn GridPicker(grid: RwSignal<String>, id: &'static str) -> impl IntoView {
    let store = use_store();
    let home = session().user.home_grid;
    let choices = LocalResource::new(move || {
        let (store, home) = (store.clone(), home.clone());
        async move { grid_choices(store.grids().await.unwrap_or_default(), &home) }
    });
    view! {
        <div class="field">
            <label for=id>{tr(RosterMsg::Grid)}</label>
            <select id=id on:change=move |ev| grid.set(event_target_value(&ev))>
                {move || choices.get().map(|list| list.into_iter().map(|c| {
                    let value = c.id.clone();
                    view! { <option value=c.id prop:selected=move || grid.get() == value>{c.label}</option> }
                }).collect_view())}
            </select>
        </div>
    }
}
