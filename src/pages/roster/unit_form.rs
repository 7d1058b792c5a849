//! Adding and editing a unit or district department on the phone, offline (新增单位 /
//! 修改): name, kind, grid, address, contact, phone and the contact account (someone on
//! the phone holding 单位联络员) who answers for it on handed issues. A new unit is one
//! `Store::add_unit`; an edit sends only the changed fields with the bases the form
//! opened on (`Store::edit_seen`), as households do.

use leptos::prelude::*;
use wangge_core::people::{Person, Role};
use wangge_core::sync::Collection;
use wangge_core::unit::UnitKind;

use super::household_form::GridPicker;
use super::member_form::{choices, CodeSelect, TextField};
use super::unit_draft::{unit_changes, UnitDraft};
use crate::context::{use_store, use_sync};
use crate::i18n::roster::RosterMsg;
use crate::i18n::{tr, use_lang, Text};

#[component]
pub fn UnitForm(draft: UnitDraft) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    // Follows the draft: tapping 修改 on another unit refills the open form.
    let title = move || {
        let msg = if draft.editing.with(Option::is_some) { RosterMsg::EditUnitTitle } else { RosterMsg::AddUnit };
        msg.text(lang.get())
    };
    // The accounts as they were when the form opened: options rebuilt under the worker's
    // thumb would drop the choice.
    let accounts = LocalResource::new({
        let store = store.clone();
        move || {
            let store = store.clone();
            async move {
                let people = store.people().await.unwrap_or_default();
                let mut contacts: Vec<Person> =
                    people.into_iter().filter(|p| p.active && p.has_role(Role::UnitContact)).collect();
                wangge_core::sort::sort_by_key(&mut contacts, |p| p.name.to_string());
                contacts
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(unit) = draft.parse() else {
            return;
        };
        let store = store.clone();
        leptos::task::spawn_local(async move {
            let saved = match draft.editing.get_untracked() {
                Some((old, bases)) => {
                    let changes = unit_changes(&old, &unit);
                    store.edit_seen(Collection::Units, old.id.as_str(), changes, Some(&bases)).await.map(|_| ())
                }
                None => store.add_unit(unit).await,
            };
            match saved {
                Ok(()) => {
                    draft.open.set(false);
                    draft.saved.set(true);
                    sync.changed();
                }
                Err(e) => draft.failure.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    let account = draft.account;
    view! {
        <form class="form card unit-form" novalidate on:submit=submit aria-label=title>
            <h3>{title}</h3>
            <TextField id="unit-name".to_string() label_text=RosterMsg::UnitName value=draft.name error=draft.name_error/>
            <CodeSelect id="unit-kind".to_string() label_text=RosterMsg::UnitKind options=choices!(UnitKind)
                value=Signal::derive(move || draft.kind.get().code())
                on_pick=Callback::new(move |c: String| if let Some(k) = UnitKind::from_code(&c) { draft.kind.set(k) })/>
            <GridPicker grid=draft.grid id="unit-grid"/>
            <TextField id="unit-address".to_string() label_text=RosterMsg::FieldAddress value=draft.address error=draft.address_error/>
            <TextField id="unit-contact".to_string() label_text=RosterMsg::UnitContactName value=draft.contact error=draft.contact_error/>
            <TextField id="unit-phone".to_string() label_text=RosterMsg::FieldPhone value=draft.phone error=draft.phone_error kind="tel"/>
            <div class="field">
                <label for="unit-account">{tr(RosterMsg::UnitAccount)}</label>
                <select id="unit-account" aria-describedby="unit-account-hint"
                    on:change=move |ev| account.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || account.get().is_empty()>{tr(RosterMsg::NoAccount)}</option>
                    {move || accounts.get().map(|list| list.into_iter().map(|p| {
                        let id = p.id.to_string();
                        let value = id.clone();
                        view! { <option value=id prop:selected=move || account.get() == value>{p.name.to_string()}</option> }
                    }).collect_view())}
                </select>
                <span class="hint" id="unit-account-hint">{tr(RosterMsg::UnitAccountHint)}</span>
            </div>
            {move || draft.failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-buttons">
                <button type="submit" class="button">{tr(RosterMsg::Save)}</button>
                <button type="button" class="button secondary" on:click=move |_| draft.open.set(false)>
                    {move || RosterMsg::Cancel.text(lang.get())}
                </button>
            </div>
        </form>
    }
}
