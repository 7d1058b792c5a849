//! Recording a visit in a few taps: whom (already chosen when coming from a household or
//! the due list), when (today unless changed), what was found (common phrases one tap
//! away). Checked by the core's parsers with their messages shown inline, saved on the
//! phone at once, then back to where the worker came from with an offer to report an
//! issue found on the visit. A household that is a target of an open task (任务下发: "check
//! every living-alone elderly household") is ticked 安全 for each task left checked, in
//! the same transaction as the visit: a visit completes the task's target.

use std::collections::BTreeSet;

use leptos::prelude::*;
use wangge_core::household::HouseholdTag;
use wangge_core::photo::PhotoStage;
use wangge_core::task::{ResultOutcome, Target, Task, TaskResult};
use wangge_core::visit::Visit;
use wangge_core::{Date, DomainError, EntryId, Notes, PersonId, TaskId, VisitId};

use super::picker::HouseholdPicker;
use crate::components::photo_picker::PhotoPicker;
use crate::components::roster_link::replace;
use crate::components::roster_tags::TagBadges;
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::tasks::TaskMsg;
use crate::i18n::visits::VisitMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::photos::Picked;
use crate::route::{query_param, use_route};
use crate::store::HouseholdRow;

const QUICK: [VisitMsg; 5] = [VisitMsg::Quick1, VisitMsg::Quick2, VisitMsg::Quick3, VisitMsg::Quick4, VisitMsg::Quick5];

/// Inline messages, one per field, and one for the save itself.
#[derive(Clone, Default, PartialEq)]
struct Errors {
    household: Option<String>,
    date: Option<String>,
    notes: Option<String>,
    save: Option<String>,
}

#[component]
pub fn NewVisitPage(household: Option<String>) -> impl IntoView {
    let store = use_store();
    let sync = use_sync();
    let lang = use_lang();
    let route = use_route();
    let today = Date::of_millis(now_ms());
    let chosen = RwSignal::new(None::<HouseholdRow>);
    let date = RwSignal::new(today.to_string());
    let notes = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::default());
    let busy = RwSignal::new(false);
    let photos = Picked::new(PhotoStage::Scene);
    let worker = session().user.person_id;
    // Open tasks the chosen household is a target of, and those the worker unticked.
    let awaiting = RwSignal::new(Vec::<Task>::new());
    let unticked = RwSignal::new(BTreeSet::<TaskId>::new());
    {
        let store = store.clone();
        Effect::new(move |_| {
            let Some(id) = chosen.with(|c| c.as_ref().map(|r| r.household.id.clone())) else {
                return awaiting.set(Vec::new());
            };
            let store = store.clone();
            leptos::task::spawn_local(async move {
                awaiting.set(store.tasks_awaiting(&id, now_ms()).await.unwrap_or_default());
            });
        });
    }
    if let Some(id) = household {
        let store = store.clone();
        leptos::task::spawn_local(async move {
            if let Ok(Some(row)) = store.household(&id).await {
                chosen.set(Some(row));
            }
        });
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let fields = (chosen.get_untracked(), date.get_untracked(), notes.get_untracked());
        let (visit, found) = check(fields, worker.clone(), today, l);
        errors.set(found);
        let Some(mut visit) = visit else { return };
        visit.photos = photos.refs();
        let bytes = photos.bytes();
        let ticks = ticks_for(&visit, &awaiting.get_untracked(), &unticked.get_untracked());
        busy.set(true);
        let store = store.clone();
        leptos::task::spawn_local(async move {
            let household = visit.household.to_string();
            match store.record_visit_ticking(visit, &bytes, &ticks).await {
                Ok(()) => {
                    sync.changed();
                    let back = match query_param("from").as_deref() {
                        Some("household") => format!("/households/{household}?saved={household}"),
                        _ => format!("/visits?saved={household}"),
                    };
                    replace(route, &back);
                }
                Err(e) => {
                    errors.update(|er| er.save = Some(e.message(l)));
                    busy.set(false);
                }
            }
        });
    };
    let add_phrase = move |m: VisitMsg| {
        let phrase = m.text(lang.get_untracked());
        notes.update(|n| {
            let n_trim = n.trim_end();
            *n = if n_trim.is_empty() { phrase.to_string() } else { format!("{n_trim}，{phrase}") };
        });
    };
    let error = move |pick: fn(&Errors) -> Option<String>| {
        move || errors.with(pick).map(|e| view! { <p class="field-error" role="alert">{e}</p> })
    };
    view! {
        <section class="page new-visit" aria-labelledby="new-visit-title">
            <h2 id="new-visit-title">{tr(VisitMsg::RecordVisit)}</h2>
            <form class="form" on:submit=submit novalidate>
                <fieldset class="card">
                    <legend>{tr(VisitMsg::PickHousehold)}</legend>
                    {move || match chosen.get() {
                        Some(row) => view! { <Chosen row chosen/> }.into_any(),
                        None => view! { <HouseholdPicker chosen today/> }.into_any(),
                    }}
                    {error(|e| e.household.clone())}
                </fieldset>
                <div class="card form">
                    <label class="field">
                        <span>{tr(VisitMsg::VisitDate)}</span>
                        <input type="date" name="date" max=today.to_string() prop:value=date
                            on:input=move |ev| date.set(event_target_value(&ev))/>
                    </label>
                    {error(|e| e.date.clone())}
                    <div class="quick" role="group" aria-label=tr(VisitMsg::QuickNotes)>
                        <p class="muted">{tr(VisitMsg::QuickNotes)}</p>
                        {QUICK.map(|m| view! {
                            <button type="button" class="chip" on:click=move |_| add_phrase(m)>{tr(m)}</button>
                        }).into_iter().collect_view()}
                    </div>
                    <label class="field">
                        <span>{tr(VisitMsg::Notes)}</span>
                        <textarea name="notes" rows="5" prop:value=notes aria-describedby="notes-hint"
                            on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                    </label>
                    <p id="notes-hint" class="muted hint">
                        {tr(VisitMsg::NotesHint)} " "
                        {move || format!("{}/{} {}", notes.with(|n| n.trim().chars().count()), Notes::MAX_CHARS, VisitMsg::CharsUsed.text(lang.get()))}
                    </p>
                    {error(|e| e.notes.clone())}
                    <PhotoPicker picked=photos/>
                </div>
                <AlsoTasks awaiting unticked/>
                {error(|e| e.save.clone())}
                <div class="actions sticky-actions">
                    <button class="button" type="submit" disabled=busy>
                        {move || if busy.get() { VisitMsg::Saving } else { VisitMsg::Save }.text(lang.get())}
                    </button>
                    <button class="button secondary" type="button" on:click=move |_| {
                        let _ = window().history().map(|h| h.back());
                    }>{tr(VisitMsg::Cancel)}</button>
                </div>
            </form>
        </section>
    }
}

/// The open tasks the household is a target of, each checked: saving the visit ticks it.
#[component]
fn AlsoTasks(awaiting: RwSignal<Vec<Task>>, unticked: RwSignal<BTreeSet<TaskId>>) -> impl IntoView {
    move || {
        let tasks = awaiting.get();
        (!tasks.is_empty()).then(|| {
            let rows = tasks
                .into_iter()
                .map(|t| {
                    let id = t.id.clone();
                    let on = id.clone();
                    view! {
                        <label class="choice">
                            <input type="checkbox" name="also-task" prop:checked=move || unticked.with(|u| !u.contains(&on))
                                on:change=move |ev| {
                                    let keep = event_target_checked(&ev);
                                    unticked.update(|u| { if keep { u.remove(&id); } else { u.insert(id.clone()); } });
                                }/>
                            {t.emergency.then(|| view! { <span class="badge urgent">{tr(TaskMsg::Urgent)}</span> " " })}
                            {t.title.to_string()}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="card also-tasks">
                    <legend>{tr(VisitMsg::AlsoTasks)}</legend>
                    {rows}
                </fieldset>
            }
        })
    }
}

/// A 安全 tick naming the visit for each awaiting task the worker left checked.
fn ticks_for(visit: &Visit, awaiting: &[Task], unticked: &BTreeSet<TaskId>) -> Vec<(TaskId, EntryId, TaskResult)> {
    awaiting
        .iter()
        .filter(|t| !unticked.contains(&t.id))
        .map(|t| {
            let result = TaskResult {
                target: Target::Household(visit.household.clone()),
                outcome: ResultOutcome::Safe,
                note: None,
                by: visit.worker.clone(),
                at: now_ms(),
                issue: None,
                visit: Some(visit.id.clone()),
                photos: Vec::new(),
            };
            (t.id.clone(), EntryId::generate(now_ms(), random_bytes()), result)
        })
        .collect()
}

/// The chosen household, with a way to choose another.
#[component]
fn Chosen(row: HouseholdRow, chosen: RwSignal<Option<HouseholdRow>>) -> impl IntoView {
    let lang = use_lang();
    let tags: Vec<HouseholdTag> = row.household.tags.iter().copied().collect();
    let name = if row.name.is_empty() { row.household.address.to_string() } else { row.name.clone() };
    let change_label = {
        let name = name.clone();
        move || format!("{}：{name}", VisitMsg::Change.text(lang.get()))
    };
    view! {
        <div class="chosen">
            <p class="hh-name">{name}</p>
            <p class="hh-addr">{row.household.address.to_string()}</p>
            <TagBadges tags/>
            <button type="button" class="button small secondary" aria-label=change_label
                on:click=move |_| chosen.set(None)>{tr(VisitMsg::Change)}</button>
        </div>
    }
}

/// The visit, if every field holds, and the message for each one that does not.
fn check(
    (household, date, notes): (Option<HouseholdRow>, String, String),
    worker: PersonId,
    today: Date,
    l: Lang,
) -> (Option<Visit>, Errors) {
    let mut errors = Errors::default();
    if household.is_none() {
        errors.household = Some(VisitMsg::NeedHousehold.text(l).into());
    }
    let date = match Date::parse(date.trim()) {
        Ok(d) if d > today => {
            errors.date = Some(VisitMsg::DateFuture.text(l).into());
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.date = Some(domain_message(&e, l));
            None
        }
    };
    let notes = Notes::parse(&notes).map_err(|e| errors.notes = Some(domain_message(&e, l))).ok();
    let (Some(h), Some(date), Some(notes)) = (household, date, notes) else {
        return (None, errors);
    };
    let visit = Visit {
        id: VisitId::generate(now_ms(), random_bytes()),
        household: h.household.id,
        worker,
        date,
        notes,
        issues: Vec::new(),
        photos: Vec::new(),
    };
    (Some(visit), errors)
}

fn domain_message(e: &DomainError, l: Lang) -> String {
    match l {
        Lang::Zh => e.message_zh(),
        Lang::En => e.message_en(),
    }
}

/// Ten random bytes for a new id, from the browser's CSPRNG (falling back to
/// `Math.random`, which is enough to keep ids apart, on a browser without it).
fn random_bytes() -> [u8; 10] {
    use wasm_bindgen::JsCast;
    let mut out = [0u8; 10];
    let array = js_sys::Uint8Array::new_with_length(10);
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).ok();
    let filled = crypto.and_then(|c| {
        let f: js_sys::Function = js_sys::Reflect::get(&c, &"getRandomValues".into()).ok()?.dyn_into().ok()?;
        f.call1(&c, &array).ok()
    });
    if filled.is_some() {
        array.copy_to(&mut out);
    } else {
        out.iter_mut().for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    out
}
