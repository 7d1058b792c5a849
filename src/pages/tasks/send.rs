//! Sending a task (下发任务, community staff and above): title, instructions, deadline, the
//! grids directly under the sender's node (checkboxes), the targets — the grid as a whole,
//! every household with a care tag, every unit of a kind, or hand-picked households of the
//! chosen grids (`targets.rs`) — and 紧急 (ticked already while an emergency is on at the
//! sender's node or a grid chosen, unless the sender set it herself). One record per chosen
//! grid (the core's `task::send`; a hand-picked list is split so each grid's record names
//! only its own households), all written in one transaction; then the sending's board. And
//! the forward on a task that reached the staff member's own node: one record per grid
//! below that the staff member leaves checked (`task::forward`, the parent's sending and
//! instructions kept, an added note).

use std::collections::BTreeSet;

use leptos::prelude::*;
use wangge_core::task::{forward, send, Sending};
use wangge_core::{Description, EntryId, GridId, HouseholdId, IssueTitle, TaskId};

use super::targets::{split_picked, RuleChoice, TargetChoice};
use super::task::Shown;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_load::reload;
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::tasks::TaskMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::{core_message, random_bytes};
use crate::route::{navigate, use_route, Route};

/// A `datetime-local` input's value in the phone's time zone, as unix milliseconds.
fn parse_local(input: &str) -> Option<i64> {
    let t = js_sys::Date::new(&input.into()).get_time();
    (!input.is_empty() && t.is_finite()).then_some(t as i64)
}

/// Empty text is no instructions; else the core's parse.
fn optional(text: &str) -> Result<Option<Description>, wangge_core::DomainError> {
    match text.trim() {
        "" => Ok(None),
        t => Description::parse(t).map(Some),
    }
}

#[component]
pub fn SendTaskPage() -> impl IntoView {
    let lang = use_lang();
    let (store, sync, route) = (use_store(), use_sync(), use_route());
    let me = session();
    let (home, sender, staff) = (me.user.home_grid.clone(), me.user.person_id.clone(), me.is_staff());
    let (title, instructions, due) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let grids = RwSignal::new(BTreeSet::<GridId>::new());
    let rule = RwSignal::new(RuleChoice::Grid);
    let picked = RwSignal::new(BTreeSet::<HouseholdId>::new());
    let emergency = RwSignal::new(false);
    // While an emergency is on at the sender's node or at a grid she sends to (a town
    // that switched one community sends to it), a task goes out as an emergency task —
    // unless she has set the box herself.
    let touched = RwSignal::new(false);
    {
        let (store, home) = (store.clone(), home.clone());
        Effect::new(move |_| {
            let nodes: Vec<GridId> = std::iter::once(home.clone()).chain(grids.get()).collect();
            let store = store.clone();
            leptos::task::spawn_local(async move {
                for node in &nodes {
                    if let Ok(Some(_)) = store.active_emergency(node).await {
                        if !touched.get_untracked() {
                            let _ = emergency.try_set(true);
                        }
                        return;
                    }
                }
            });
        });
    }
    let message = RwSignal::new(None::<String>);
    let reader = store.clone();
    let world = reload(move || {
        let store = reader.clone();
        Box::pin(async move { store.task_world().await.map(std::sync::Arc::new) })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let Some(Ok(w)) = world.get_untracked() else { return };
        let title = match IssueTitle::parse(title.get_untracked().trim()) {
            Ok(t) => t,
            Err(e) => return message.set(Some(core_message!(e, l))),
        };
        let instructions = match optional(&instructions.get_untracked()) {
            Ok(i) => i,
            Err(e) => return message.set(Some(core_message!(e, l))),
        };
        let Some(due) = parse_local(&due.get_untracked()) else {
            return message.set(Some(TaskMsg::BadDue.text(l).into()));
        };
        let to: Vec<GridId> = grids.get_untracked().into_iter().collect();
        if to.is_empty() {
            return message.set(Some(TaskMsg::PickGrids.text(l).into()));
        }
        let now = now_ms();
        let batch = TaskId::generate(now, random_bytes());
        let sending = Sending {
            batch: batch.clone(),
            from: home.clone(),
            sender: sender.clone(),
            title,
            instructions,
            sent_at: now,
            due,
            emergency: emergency.get_untracked(),
            targets: rule.get_untracked().rule(&picked.get_untracked()),
        };
        let ids = to.into_iter().map(|g| (TaskId::generate(now, random_bytes()), g)).collect();
        let tasks = split_picked(send(&sending, ids), &w);
        let store = store.clone();
        leptos::task::spawn_local(async move {
            match store.send_tasks(&tasks, None, &w.tree).await {
                Ok(()) => {
                    sync.changed();
                    navigate(route, Route::TaskBoard(batch.to_string()));
                }
                Err(e) => message.set(Some(e.message(l))),
            }
        });
    };
    let grid_boxes = move || {
        world.get().map(|w| match w {
            Ok(w) => w
                .children(&session().user.home_grid)
                .into_iter()
                .map(|(id, name)| {
                    let (a, b) = (id.clone(), id);
                    view! {
                        <label class="choice">
                            <input type="checkbox" prop:checked=move || grids.with(|g| g.contains(&a))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    grids.update(|g| { if on { g.insert(b.clone()); } else { g.remove(&b); } });
                                }/>
                            {name}
                        </label>
                    }
                })
                .collect_view()
                .into_any(),
            Err(e) => view! { <ReadFailed error=e/> }.into_any(),
        })
    };
    if !staff {
        return view! { <section class="page"><p class="card note">{tr(TaskMsg::StaffOnly)}</p></section> }.into_any();
    }
    view! {
        <section class="page send-task" aria-labelledby="send-title">
            <h2 id="send-title">{tr(TaskMsg::Send)}</h2>
            <form class="form" novalidate on:submit=submit>
                <label class="field">{tr(TaskMsg::FieldTitle)}
                    <input id="task-title" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
                </label>
                <label class="field">{tr(TaskMsg::Instructions)}
                    <textarea prop:value=instructions on:input=move |ev| instructions.set(event_target_value(&ev))></textarea>
                </label>
                <label class="field">{tr(TaskMsg::FieldDue)}
                    <input id="task-due" type="datetime-local" prop:value=due on:input=move |ev| due.set(event_target_value(&ev))/>
                </label>
                <fieldset class="field"><legend>{tr(TaskMsg::FieldGrids)}</legend>{grid_boxes}</fieldset>
                <TargetChoice rule picked grids world/>
                <label class="choice">
                    <input type="checkbox" prop:checked=emergency on:change=move |ev| {
                        touched.set(true);
                        emergency.set(event_target_checked(&ev));
                    }/>
                    {tr(TaskMsg::Emergency)}
                </label>
                {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                <button type="submit" class="button">{tr(TaskMsg::Send)}</button>
            </form>
        </section>
    }
    .into_any()
}

/// Forwarding a task that reached the staff member's own node to every grid below it,
/// with added instructions. Shown while it has not been forwarded.
#[component]
pub fn ForwardForm(shown: Signal<Option<Shown>>) -> impl IntoView {
    let lang = use_lang();
    let (store, sync) = (use_store(), use_sync());
    let me = session();
    let (note, message) = (RwSignal::new(String::new()), RwSignal::new(None::<String>));
    // The grids below the worker left unchecked (all are checked to begin with).
    let skipped = RwSignal::new(BTreeSet::<GridId>::new());
    let home = me.user.home_grid.clone();
    let may = move || {
        me.is_staff()
            && shown.with(|s| {
                s.as_ref().is_some_and(|s| {
                    let t = &s.view.task;
                    t.grid == home
                        && t.closed.is_none()
                        && s.view.forwarded == 0
                        && !s.world.children(&t.grid).is_empty()
                })
            })
    };
    let person = session().user.person_id;
    let go = move |_| {
        let Some(s) = shown.get_untracked() else { return };
        let l = lang.get_untracked();
        let added = match optional(&note.get_untracked()) {
            Ok(n) => n,
            Err(e) => return message.set(Some(core_message!(e, l))),
        };
        let now = now_ms();
        let parent = s.view.task.clone();
        let records: Vec<_> = s
            .world
            .children(&parent.grid)
            .into_iter()
            .filter(|(grid, _)| !skipped.with_untracked(|s| s.contains(grid)))
            .map(|(grid, _)| {
                let n = added.clone().map(|t| (EntryId::generate(now, random_bytes()), t));
                forward(&parent, TaskId::generate(now, random_bytes()), grid, person.clone(), n, now)
            })
            .collect();
        if records.is_empty() {
            return message.set(Some(TaskMsg::PickGrids.text(l).into()));
        }
        let store = store.clone();
        leptos::task::spawn_local(async move {
            match store.send_tasks(&records, Some(&parent), &s.world.tree).await {
                Ok(()) => {
                    sync.changed();
                    note.set(String::new());
                    message.set(Some(TaskMsg::Forwarded.text(l).into()));
                }
                Err(e) => message.set(Some(e.message(l))),
            }
        });
    };
    view! {
        {move || message.get().map(|m| view! { <p class="note" role="status">{m}</p> })}
        <div prop:hidden=move || !may()>
            <details class="card forward-form">
                <summary>{tr(TaskMsg::Forward)}</summary>
                <fieldset class="field">
                    <legend>{tr(TaskMsg::ForwardTo)}</legend>
                    {move || shown.with(|s| s.as_ref().map(|s| s.world.children(&s.view.task.grid))).unwrap_or_default()
                        .into_iter()
                        .map(|(id, name)| {
                            let (a, b) = (id.clone(), id);
                            view! {
                                <label class="choice">
                                    <input type="checkbox" name="forward-grid" prop:checked=move || skipped.with(|s| !s.contains(&a))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            skipped.update(|s| { if on { s.remove(&b); } else { s.insert(b.clone()); } });
                                        }/>
                                    {name}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label class="field">{tr(TaskMsg::AddedNote)}
                    <textarea prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </label>
                <button type="button" class="button small" on:click=go>{tr(TaskMsg::Forward)}</button>
            </details>
        </div>
    }
}
