//! One task (任务): title, deadline and counts, the instructions and every rung's added
//! ones, and the targets (household head and address from the roster, a unit's name, the
//! grid) each with what was found and every result given (who, when, note). Tapping
//! 登记 on a target picks it for the tick form — 安全 / 需帮扶 / 未联系上 (已完成 for a
//! whole-grid task), a short note, photos — saved as a new `result:<id>` field; after a
//! 需帮扶 at a household the form offers 上报问题, the new-issue form prefilled for it, and
//! 提出需求, the three lists' new-need form for that household.
//! The head and the list re-render with the data; the forms (tick, forward) are built
//! once with signals owned here, so a sync never closes one or drops what was typed.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::photo::PhotoStage;
use wangge_core::task::{ResultOutcome, Target, TargetRule, TaskResult};
use wangge_core::{CommentText, EntryId};

use super::due_text;
use super::send::ForwardForm;
use crate::components::photo_picker::PhotoPicker;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store, use_sync};
use crate::format::{date_time, now_ms};
use crate::i18n::tasks::TaskMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::{core_label, core_message, random_bytes};
use crate::photos::Picked;
use crate::store::task_queries::{TaskView, TaskWorld};

/// What the screen shows, read together.
#[derive(Clone)]
pub struct Shown {
    pub view: Arc<TaskView>,
    pub world: Arc<TaskWorld>,
    pub names: Arc<HashMap<String, String>>,
}

#[component]
pub fn TaskPage(id: String) -> impl IntoView {
    let store = use_store();
    let data = reload(move || {
        let (store, id) = (store.clone(), id.clone());
        Box::pin(async move {
            let names = Arc::new(store.people_names().await);
            let found = store.task_view(&id, now_ms()).await?;
            Ok(found.map(|(v, w)| Shown { view: Arc::new(v), world: Arc::new(w), names }))
        })
    });
    let shown = Signal::derive(move || data.get().and_then(|d| d.ok().flatten()));
    let picked = RwSignal::new(None::<Target>);
    let back = if session().is_staff() { "/tasks" } else { "/" };
    view! {
        <section class="page task-page" aria-labelledby="task-title">
            <AppLink href=back class="back-link">"‹ " {tr(TaskMsg::Back)}</AppLink>
            {move || data.get().map(|d| match d {
                Ok(Some(s)) => view! { <Head s/> }.into_any(),
                Ok(None) => view! { <p class="empty" id="task-title">{tr(TaskMsg::NotFound)}</p> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
            <ForwardForm shown/>
            <TickForm shown picked/>
            <Show when=move || shown.with(Option::is_some)>
                <h3 class="section-title">{tr(TaskMsg::Targets)}</h3>
            </Show>
            {move || shown.get().map(|s| view! { <Targets s picked/> })}
        </section>
    }
}

/// Title (紧急 first), deadline, counts, instructions, and the board for staff.
#[component]
fn Head(s: Shown) -> impl IntoView {
    let t = &s.view.task;
    let p = &s.view.progress;
    let notes = t
        .notes_in_order()
        .into_iter()
        .map(|n| view! { <p class="note">{s.world.grid_name(&n.from)} ": " {n.text.to_string()}</p> })
        .collect_view();
    let board = session().is_staff().then(|| {
        view! { <AppLink href=format!("/tasks/{}/board", t.batch) class="button small">{tr(TaskMsg::Board)}</AppLink> }
    });
    view! {
        <h2 id="task-title">
            {t.emergency.then(|| view! { <span class="badge urgent">{tr(TaskMsg::Urgent)}</span> " " })}
            {t.title.to_string()}
        </h2>
        <p class="row-meta">
            {s.world.grid_name(&t.grid)} " · " <span class:overdue=p.overdue>{tr(TaskMsg::Due)} " " {due_text(t.due)}</span>
            " · " {tr(TaskMsg::DoneOf)} " " {p.done} " / " {tr(TaskMsg::OfTotal)} " " {p.total}
            {t.closed.is_some().then(|| view! { " · " {tr(TaskMsg::Closed)} })}
        </p>
        <div class="card">
            <h3>{tr(TaskMsg::Instructions)}</h3>
            {t.instructions.as_ref().map(|i| view! { <p>{i.to_string()}</p> })}
            {notes}
        </div>
        {board}
    }
}

/// The targets, each with what counts and every result; 登记 picks one for the form.
#[component]
fn Targets(s: Shown, picked: RwSignal<Option<Target>>) -> impl IntoView {
    let lang = use_lang();
    let grid = s.view.task.grid.clone();
    if s.view.progress.targets.is_empty() {
        return view! { <p class="empty">{tr(TaskMsg::NoTargets)}</p> }.into_any();
    }
    let rows = s
        .view
        .progress
        .targets
        .iter()
        .map(|st| {
            let counted = st.counted.as_ref().map(|(_, r)| r.outcome);
            let done = st.reached();
            let results = st
                .all
                .iter()
                .map(|(_, r)| {
                    let (o, by) = (r.outcome, s.names.get(r.by.as_str()).cloned().unwrap_or_else(|| r.by.to_string()));
                    let note = r.note.as_ref().map(|n| format!(" · {n}"));
                    view! { <li>{move || core_label!(o, lang.get())} " · " {by} " · " {date_time(r.at as f64)} {note}</li> }
                })
                .collect_view();
            let target = st.target.clone();
            view! {
                <li class="task-target" class:done=done>
                    <span class="row-title">{s.world.label(&grid, &st.target)}</span>
                    <span class="row-meta" class:overdue=!done>
                        {move || counted.map_or_else(|| TaskMsg::NotChecked.text(lang.get()), |o| core_label!(o, lang.get()))}
                    </span>
                    <ul class="results">{results}</ul>
                    <button type="button" class="button small" on:click=move |_| {
                        picked.set(Some(target.clone()));
                        if let Some(form) = document().get_element_by_id("tick-form") {
                            form.scroll_into_view();
                        }
                    }>{tr(TaskMsg::Tick)}</button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="list card task-targets">{rows}</ul> }.into_any()
}

/// The tick form for the picked target: built once, above what re-renders.
#[component]
fn TickForm(shown: Signal<Option<Shown>>, picked: RwSignal<Option<Target>>) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    let me = session().user.person_id;
    let outcome = RwSignal::new(ResultOutcome::Safe);
    let note = RwSignal::new(String::new());
    let photos = Picked::new(PhotoStage::Scene);
    let message = RwSignal::new(None::<String>);
    // After a 需帮扶: where 上报问题 goes and, at a household, 提出需求 (三张清单).
    let report = RwSignal::new(None::<(String, Option<String>)>);
    // 已完成 is for a whole-grid task, 安全 for a household or unit: the default follows.
    Effect::new(move |_| match picked.get() {
        Some(Target::Grid) => outcome.set(ResultOutcome::Done),
        Some(_) if outcome.get_untracked() == ResultOutcome::Done => outcome.set(ResultOutcome::Safe),
        _ => {}
    });
    let label = move || {
        let t = picked.get()?;
        shown.with(|s| s.as_ref().map(|s| s.world.label(&s.view.task.grid, &t)))
    };
    let choices = move || {
        let grid = shown.with(|s| s.as_ref().is_some_and(|s| s.view.task.targets == TargetRule::Grid));
        if grid {
            [ResultOutcome::Done, ResultOutcome::NeedsHelp, ResultOutcome::Unreachable]
        } else {
            [ResultOutcome::Safe, ResultOutcome::NeedsHelp, ResultOutcome::Unreachable]
        }
    };
    let save = move |_| {
        let (Some(s), Some(target)) = (shown.get_untracked(), picked.get_untracked()) else { return };
        let l = lang.get_untracked();
        let text = note.get_untracked();
        let note_value = match text.trim() {
            "" => None,
            t => match CommentText::parse(t) {
                Ok(n) => Some(n),
                Err(e) => return message.set(Some(core_message!(e, l))),
            },
        };
        let result = TaskResult {
            target: target.clone(),
            outcome: outcome.get_untracked(),
            note: note_value,
            by: me.clone(),
            at: now_ms(),
            issue: None,
            visit: None,
            photos: photos.refs(),
        };
        let (task, id, bytes) = (s.view.task.id.clone(), EntryId::generate(now_ms(), random_bytes()), photos.bytes());
        let store = store.clone();
        leptos::task::spawn_local(async move {
            match store.add_task_result(&task, &id, &result, &bytes).await {
                Ok(()) => {
                    sync.changed();
                    let help = result.outcome == ResultOutcome::NeedsHelp;
                    report.set(match (&target, help) {
                        (Target::Household(h), true) => Some((
                            format!("/issues/new?household={h}&task={task}&entry={id}"),
                            Some(format!("/lists/new?kind=need&household={h}")),
                        )),
                        (_, true) => Some((format!("/issues/new?task={task}&entry={id}"), None)),
                        _ => None,
                    });
                    message.set(Some(TaskMsg::Saved.text(l).into()));
                    note.set(String::new());
                    photos.clear();
                    picked.set(None);
                }
                Err(e) => message.set(Some(e.message(l))),
            }
        });
    };
    view! {
        <div id="tick-form">
            {move || report.get().map(|(href, need)| view! {
                <div class="actions">
                    <AppLink href class="button">{tr(TaskMsg::ReportIssue)}</AppLink>
                    {need.map(|href| view! { <AppLink href class="button secondary">{tr(TaskMsg::RaiseNeed)}</AppLink> })}
                </div>
            })}
            {move || message.get().map(|m| view! { <p class="note" role="status">{m}</p> })}
            <div class="card tick-form" prop:hidden=move || picked.with(Option::is_none)>
                    <h3>{tr(TaskMsg::Tick)} ": " {label}</h3>
                    <fieldset class="field">
                        {move || choices().map(|o| view! {
                            <label class="choice">
                                <input type="radio" name="tick-outcome" prop:checked=move || outcome.get() == o
                                    on:change=move |_| outcome.set(o)/>
                                {move || core_label!(o, lang.get())}
                            </label>
                        }).into_iter().collect_view()}
                    </fieldset>
                    <label class="field">{tr(TaskMsg::Note)}
                        <textarea prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </label>
                    <PhotoPicker picked=photos/>
                    <button type="button" class="button" on:click=save>{tr(TaskMsg::Save)}</button>
            </div>
        </div>
    }
}
