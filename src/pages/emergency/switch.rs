//! The staff's switch (town and district staff, `super::switches`): a form to switch a
//! node of their scope into emergency — the node itself or a town or community below it
//! (the core's `check_node` refuses a group), the kind and the reason — and, while one is
//! on at a node of their scope, 解除紧急状态 with a note. Both forms are built once, above
//! what a sync re-renders, so a typed reason survives a background round.

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::emergency::{Emergency, EmergencyKind, Ended, Reports};
use wangge_core::grid::GridLevel;
use wangge_core::{CommentText, EmergencyId, GridId, Reason};

use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::emergency::EmergencyMsg;
use crate::i18n::{tr, use_lang};
use crate::pages::issues::common::{core_label, core_message, random_bytes};
use crate::store::emergency_queries::EmergencyWorld;

/// The nodes a staff member may switch: their own node and the towns and communities
/// below it, in tree order.
fn switchable(w: &EmergencyWorld, home: &GridId) -> Vec<(GridId, String)> {
    let deep_enough = |level: GridLevel| level.depth() <= GridLevel::Community.depth();
    w.tree
        .get(home)
        .into_iter()
        .chain(w.tree.descendants(home))
        .filter(|g| deep_enough(g.level) && !g.retired)
        .map(|g| (g.id.clone(), g.name.to_string()))
        .collect()
}

#[component]
pub fn SwitchForms(world: Signal<Option<Arc<EmergencyWorld>>>, on: Signal<Option<Emergency>>) -> impl IntoView {
    let lang = use_lang();
    let (store, sync) = (use_store(), use_sync());
    let me = session();
    let (home, person) = (me.user.home_grid.clone(), me.user.person_id.clone());
    let staff = super::switches(&me.user.roles);
    let (kind, reason, scope) =
        (RwSignal::new(EmergencyKind::Rainstorm), RwSignal::new(String::new()), RwSignal::new(home.clone()));
    let (note, message) = (RwSignal::new(String::new()), RwSignal::new(None::<String>));
    // Closed and emptied once a switch is saved, so it does not reappear filled in when
    // the emergency ends.
    let form_open = RwSignal::new(false);
    let start = {
        let (store, person) = (store.clone(), person.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let l = lang.get_untracked();
            let Some(w) = world.get_untracked() else { return };
            let parsed = match Reason::parse(reason.get_untracked().trim()) {
                Ok(r) => r,
                Err(e) => return message.set(Some(core_message!(e, l))),
            };
            let now = now_ms();
            let e = Emergency {
                id: EmergencyId::generate(now, random_bytes()),
                grid: scope.get_untracked(),
                kind: kind.get_untracked(),
                reason: parsed,
                started_at: now,
                started_by: person.clone(),
                ended: None,
                reports: Reports::default(),
            };
            let store = store.clone();
            leptos::task::spawn_local(async move {
                match store.start_emergency(&e, &w.tree).await {
                    Ok(()) => {
                        sync.changed();
                        message.set(None);
                        reason.set(String::new());
                        form_open.set(false);
                    }
                    Err(err) => message.set(Some(err.message(l))),
                }
            });
        }
    };
    let end = move |_| {
        let Some(e) = on.get_untracked() else { return };
        let l = lang.get_untracked();
        let text = note.get_untracked();
        let note_text = match text.trim() {
            "" => None,
            t => match CommentText::parse(t) {
                Ok(n) => Some(n),
                Err(err) => return message.set(Some(core_message!(err, l))),
            },
        };
        let ended = Ended { at: now_ms(), by: person.clone(), note: note_text };
        let store = store.clone();
        leptos::task::spawn_local(async move {
            match store.end_emergency(&e.id, &ended).await {
                Ok(()) => {
                    sync.changed();
                    note.set(String::new());
                }
                Err(err) => message.set(Some(err.message(l))),
            }
        });
    };
    let home_for_end = home.clone();
    // Ending is for staff whose scope holds the switched node.
    let may_end = move || {
        staff
            && on.with(|e| {
                e.as_ref().is_some_and(|e| {
                    world.with(|w| w.as_ref().is_some_and(|w| w.tree.contains(&home_for_end, &e.grid)))
                })
            })
    };
    let scopes = move || {
        world.get().map(|w| {
            switchable(&w, &home)
                .into_iter()
                .map(|(id, name)| {
                    let (a, value) = (id.clone(), id.to_string());
                    view! { <option value=value selected=move || scope.get() == a>{name}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <div prop:hidden=move || !staff>
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <details class="card switch-form" prop:hidden=move || on.with(Option::is_some) prop:open=form_open
                on:toggle=move |ev| form_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
                <summary>{tr(EmergencyMsg::Start)}</summary>
                <form class="form" novalidate on:submit=start>
                    <label class="field">{tr(EmergencyMsg::StartScope)}
                        <select id="emergency-scope" on:change=move |ev| {
                            if let Ok(g) = GridId::parse(event_target_value(&ev)) { scope.set(g) }
                        }>{scopes}</select>
                    </label>
                    <label class="field">{tr(EmergencyMsg::Kind)}
                        <select id="emergency-kind" on:change=move |ev| {
                            if let Some(k) = EmergencyKind::from_code(&event_target_value(&ev)) { kind.set(k) }
                        }>
                            {EmergencyKind::ALL.map(|k| view! {
                                <option value=k.code() selected=move || kind.get() == k>{move || core_label!(k, lang.get())}</option>
                            }).into_iter().collect_view()}
                        </select>
                    </label>
                    <label class="field">{tr(EmergencyMsg::ReasonHint)}
                        <input id="emergency-reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="button urgent-button">{tr(EmergencyMsg::Start)}</button>
                </form>
            </details>
            <div class="card end-form" prop:hidden=move || !may_end()>
                <label class="field">{tr(EmergencyMsg::EndNote)}
                    <input id="emergency-end-note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                </label>
                <button type="button" class="button" on:click=end>{tr(EmergencyMsg::End)}</button>
            </div>
        </div>
    }
}
