//! People of the grid in view, grouped by role (网格员, 红色管家, 楼栋长 …), and the
//! units located there (企业, 学校, 物业, 区级部门 …): each with a tap-to-call link.
//! Community staff and above add and edit units here (`unit_form.rs`).

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::people::{Person, Role};
use wangge_core::unit::Unit;
use wangge_core::Phone;

use super::tree::subtree_ids;
use super::unit_draft::UnitDraft;
use super::unit_form::UnitForm;
use crate::components::roster_load::reload;
use crate::context::session;
use crate::context::use_store;
use crate::i18n::roster::{label, RosterMsg};
use crate::i18n::{tr, use_lang, Text};
use wangge_core::people::keeps_roster;

#[component]
pub fn PeopleList(tree: Arc<GridTree>, grid: RwSignal<String>) -> impl IntoView {
    let store = use_store();
    let lang = use_lang();
    let people = reload(move || {
        let ids = subtree_ids(&tree, &grid.get());
        let store = store.clone();
        Box::pin(async move {
            let all = store.people().await.unwrap_or_default();
            let mine: Vec<Person> = all.into_iter().filter(|p| p.active && ids.contains(&p.grid.to_string())).collect();
            // One group per role, in the core's order; someone with two roles is in both.
            Role::ALL
                .iter()
                .map(|r| (*r, mine.iter().filter(|p| p.has_role(*r)).cloned().collect::<Vec<_>>()))
                .filter(|(_, ps)| !ps.is_empty())
                .collect::<Vec<_>>()
        })
    });
    view! {
            {move || people.get().map(|groups| view! {
                {groups.is_empty().then(|| view! { <p class="empty">{tr(RosterMsg::NoPeople)}</p> })}
                {groups.into_iter().map(|(role, ps)| view! {
                    <section class="card role-group">
                        <h3>{move || label(lang.get(), role.label_zh(), role.label_en())}
                            <span class="muted">" · " {ps.len()}</span></h3>
                        <ul class="list">
                            {ps.into_iter().map(|p| view! {
                                <li class="person">
                                    <span class="person-name">{p.name.to_string()}</span>
                                    <CallLink name=p.name.to_string() phone=p.phone.clone()/>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }).collect_view()}
            })}
    }
}

#[component]
pub fn UnitList(tree: Arc<GridTree>, grid: RwSignal<String>) -> impl IntoView {
    let store = use_store();
    let lang = use_lang();
    let reader = store.clone();
    let units = reload(move || {
        let ids = subtree_ids(&tree, &grid.get());
        let store = reader.clone();
        Box::pin(async move {
            let all = store.units().await.unwrap_or_default();
            let mut mine: Vec<Unit> = all.into_iter().filter(|u| ids.contains(&u.grid.to_string())).collect();
            wangge_core::sort::sort_by(&mut mine, |a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
            let names = store.people_names().await;
            (mine, names)
        })
    });
    // The form is built here, beside the list a sync re-renders, never inside it.
    let draft = UnitDraft::default();
    let may_edit = keeps_roster(&session().user.roles);
    let edit = move |id: String| {
        let store = store.clone();
        leptos::task::spawn_local(async move {
            if let Ok(Some((unit, bases))) = store.unit_with_bases(&id).await {
                draft.start_edit(unit, bases);
            }
        });
    };
    view! {
            {may_edit.then(|| view! {
                <button type="button" class="button small" on:click=move |_| draft.start_new(grid.get_untracked())>
                    {tr(RosterMsg::AddUnit)}
                </button>
            })}
            <Show when=move || draft.open.get()><UnitForm draft/></Show>
            <Show when=move || draft.saved.get()><p class="muted" role="status">{tr(RosterMsg::Saved)}</p></Show>
            {move || units.get().map(|(units, names)| view! {
                {units.is_empty().then(|| view! { <p class="empty">{tr(RosterMsg::NoUnits)}</p> })}
                <ul class="list">
                    {units.into_iter().map(|u| {
                        let kind = u.kind;
                        let contact = u.contact.as_ref().map(|c| c.to_string()).unwrap_or_else(|| u.name.to_string());
                        let account = u.contact_person.as_ref().map(|p| names.get(p.as_str()).cloned().unwrap_or_else(|| p.to_string()));
                        let id = u.id.to_string();
                        let edit = edit.clone();
                        view! {
                            <li class="card unit">
                                <h3>{u.name.to_string()}
                                    <span class="tag">{move || label(lang.get(), kind.label_zh(), kind.label_en())}</span></h3>
                                <p class="muted">{u.address.to_string()}</p>
                                {u.contact.as_ref().map(|c| view! {
                                    <p>{move || RosterMsg::Contact.text(lang.get())} "：" {c.to_string()}</p>
                                })}
                                {account.map(|a| view! {
                                    <p>{move || RosterMsg::AccountLabel.text(lang.get())} "：" {a}</p>
                                })}
                                <CallLink name=contact phone=u.phone.clone()/>
                                {may_edit.then(|| view! {
                                    <button type="button" class="button small secondary" on:click=move |_| edit(id.clone())>
                                        {tr(RosterMsg::EditUnit)}
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
    }
}

/// A `tel:` link named for who is called, or a quiet note when no phone is on record.
#[component]
pub fn CallLink(name: String, phone: Option<Phone>) -> impl IntoView {
    let lang = use_lang();
    match phone {
        Some(p) => {
            let number = p.to_string();
            let href = format!("tel:{number}");
            let shown = number.clone();
            view! {
                <a class="call" href=href
                    aria-label=move || format!("{} {name} {number}", RosterMsg::Call.text(lang.get()))>
                    <span aria-hidden="true">"☎ "</span>{shown}
                </a>
            }
            .into_any()
        }
        None => view! { <span class="muted no-phone">{tr(RosterMsg::NoPhone)}</span> }.into_any(),
    }
}
