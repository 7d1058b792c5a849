//! Reporting a new issue (上报问题): the form, checked field by field with the core's own
//! parse functions (their messages appear next to the field, in the current language),
//! and saved instantly to the phone with its outbox entries; sync follows when it can.
//! `?household=<id>` (from a visit) prefills who the issue concerns.

pub mod grids;
pub mod location;
pub mod subject;

use leptos::prelude::*;
use wangge_core::issue::{Category, EventKind, Issue, IssueEvent, Priority, Source};
use wangge_core::photo::PhotoStage;
use wangge_core::{Date, Description, DomainError, GridId, HouseholdId, IssueId, IssueTitle, Millis};

use super::common::{acting_role, core_label, core_message, random_bytes};
use crate::components::photo_picker::{PhotoPicker, STEP_STAGES};
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang};
use crate::photos::Picked;
use crate::route::{query_param, redirect, use_route, Route};
use grids::grid_choices;
use location::{Fix, LocationField};
use subject::{Subject, SubjectPicker};

/// What the worker has typed; kept as typed when a check fails.
#[derive(Clone, Copy)]
struct Draft {
    category: RwSignal<Option<Category>>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    source: RwSignal<Source>,
    grid: RwSignal<String>,
    subject: RwSignal<Subject>,
    fix: RwSignal<Fix>,
    priority: RwSignal<Priority>,
    due: RwSignal<String>,
}

/// A message per field, shown beside it.
#[derive(Clone, Copy)]
struct Errors {
    category: RwSignal<bool>,
    title: RwSignal<Option<DomainError>>,
    description: RwSignal<Option<DomainError>>,
    due: RwSignal<Option<DomainError>>,
}

#[component]
pub fn NewIssuePage() -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    let route = use_route();
    let me = session();
    let draft = Draft {
        category: RwSignal::new(None),
        title: RwSignal::new(String::new()),
        description: RwSignal::new(String::new()),
        source: RwSignal::new(Source::Visit),
        grid: RwSignal::new(me.user.home_grid.to_string()),
        subject: RwSignal::new(Subject::Nobody),
        fix: RwSignal::new(Fix::None),
        priority: RwSignal::new(Priority::Normal),
        due: RwSignal::new(String::new()),
    };
    let errors = Errors {
        category: RwSignal::new(false),
        title: RwSignal::new(None),
        description: RwSignal::new(None),
        due: RwSignal::new(None),
    };
    let home = me.user.home_grid.clone();
    let loader = store.clone();
    let grids = LocalResource::new(move || {
        let (store, home) = ((*loader).clone(), home.clone());
        async move { grid_choices(store.grids().await.unwrap_or_default(), &home) }
    });
    prefill_household(&store, draft);
    // The report's photos show the problem as found (处理前).
    let photos = Picked::new(PhotoStage::Before);
    let saving = RwSignal::new(false);
    let save_error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Some((issue, reported)) = check(draft, errors) else {
            focus_first_error(errors);
            return;
        };
        saving.set(true);
        let id = issue.id.to_string();
        let store = store.clone();
        let reported = reported.with_photos(photos.refs());
        let bytes = photos.bytes();
        leptos::task::spawn_local(async move {
            let issue_id = issue.id.clone();
            match store.report_issue_with(issue, reported, &bytes).await {
                Ok(()) => {
                    // Raised from a task's 需帮扶 (`?task=…&entry=…`): the result names it.
                    if let (Some(t), Some(e)) = (query_param("task"), query_param("entry")) {
                        if let (Ok(t), Ok(e)) = (wangge_core::TaskId::parse(&t), wangge_core::EntryId::parse(&e)) {
                            let _ = store.link_task_issue(&t, &e, &issue_id).await;
                        }
                    }
                    sync.changed();
                    redirect(route, Route::Issue(id));
                }
                Err(e) => {
                    save_error.set(Some(e.message(lang.get_untracked())));
                    saving.set(false);
                }
            }
        });
    };
    view! {
        <section class="page new-issue" aria-labelledby="new-issue-title">
            <h2 id="new-issue-title">{tr(IssueMsg::NewIssue)}</h2>
            <form class="form" novalidate on:submit=submit>
                <div class="field">
                    <label for="issue-category">{tr(IssueMsg::FieldCategory)}</label>
                    <select id="issue-category" aria-invalid=move || errors.category.get().to_string()
                        aria-describedby="issue-category-error"
                        on:change=move |ev| {
                            let c = Category::from_code(&event_target_value(&ev));
                            draft.category.set(c);
                            if c.is_some() { errors.category.set(false); }
                        }>
                        <option value="" prop:selected=move || draft.category.get().is_none()>{tr(IssueMsg::Choose)}</option>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.code() prop:selected=move || draft.category.get() == Some(c)>
                                {move || core_label!(c, lang.get())}
                            </option>
                        }).collect_view()}
                    </select>
                    <Show when=move || errors.category.get()>
                        <p class="field-error" id="issue-category-error">{tr(IssueMsg::CategoryRequired)}</p>
                    </Show>
                </div>
                <TextInput id="issue-title" label=IssueMsg::FieldTitle value=draft.title error=errors.title
                    parse=|s| IssueTitle::parse(s).map(drop)/>
                <TextInput id="issue-description" label=IssueMsg::FieldDescription value=draft.description
                    error=errors.description multiline=true parse=|s| Description::parse(s).map(drop)/>
                <div class="field">
                    <label for="issue-source">{tr(IssueMsg::FieldSource)}</label>
                    <select id="issue-source" on:change=move |ev| {
                        if let Some(s) = Source::from_code(&event_target_value(&ev)) { draft.source.set(s); }
                    }>
                        {Source::ALL.into_iter().map(|s| view! {
                            <option value=s.code() prop:selected=move || draft.source.get() == s>
                                {move || core_label!(s, lang.get())}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="issue-grid">{tr(IssueMsg::FieldGrid)}</label>
                    <select id="issue-grid" on:change=move |ev| draft.grid.set(event_target_value(&ev))>
                        {move || grids.get().unwrap_or_default().into_iter().map(|g| {
                            let id = g.id.clone();
                            view! {
                                <option value=g.id prop:selected=move || draft.grid.get() == id>{g.label}</option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <SubjectPicker subject=draft.subject grid=draft.grid/>
                <LocationField fix=draft.fix/>
                <PhotoPicker picked=photos stages=STEP_STAGES/>
                <div class="field">
                    <label for="issue-priority">{tr(IssueMsg::FieldPriority)}</label>
                    <select id="issue-priority" on:change=move |ev| {
                        if let Some(p) = Priority::from_code(&event_target_value(&ev)) { draft.priority.set(p); }
                    }>
                        {Priority::ALL.into_iter().map(|p| view! {
                            <option value=p.code() prop:selected=move || draft.priority.get() == p>
                                {move || core_label!(p, lang.get())}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="issue-due">{tr(IssueMsg::FieldDue)}</label>
                    <input type="date" id="issue-due" prop:value=move || draft.due.get()
                        aria-invalid=move || errors.due.with(Option::is_some).to_string()
                        aria-describedby="issue-due-hint issue-due-error"
                        on:input=move |ev| {
                            draft.due.set(event_target_value(&ev));
                            if errors.due.with_untracked(Option::is_some) {
                                errors.due.set(parse_due(&draft.due.get_untracked()).err());
                            }
                        }/>
                    <span class="hint" id="issue-due-hint">{tr(IssueMsg::DueHint)}</span>
                    {move || errors.due.get().map(|e| view! {
                        <p class="field-error" id="issue-due-error">{core_message!(e, lang.get())}</p>
                    })}
                </div>
                {move || save_error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <p class="muted">{tr(IssueMsg::SavedOffline)}</p>
                <button type="submit" class="button" disabled=move || saving.get()>{tr(IssueMsg::SaveIssue)}</button>
            </form>
        </section>
    }
}

/// A text field checked by a core parse function: its message shows after a failed save
/// and follows the worker's typing until the field is right.
#[component]
fn TextInput(
    id: &'static str,
    label: IssueMsg,
    value: RwSignal<String>,
    error: RwSignal<Option<DomainError>>,
    parse: fn(&str) -> Result<(), DomainError>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let lang = use_lang();
    let error_id = format!("{id}-error");
    let on_input = move |ev| {
        value.set(event_target_value(&ev));
        if error.with_untracked(Option::is_some) {
            error.set(parse(&value.get_untracked()).err());
        }
    };
    let invalid = move || error.with(Option::is_some).to_string();
    let control = if multiline {
        view! { <textarea id=id aria-invalid=invalid aria-describedby=error_id.clone()
        prop:value=move || value.get() on:input=on_input></textarea> }
        .into_any()
    } else {
        view! { <input type="text" id=id aria-invalid=invalid aria-describedby=error_id.clone()
        prop:value=move || value.get() on:input=on_input/> }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            {control}
            {move || error.get().map(|e| view! {
                <p class="field-error" id=error_id.clone()>{core_message!(e, lang.get())}</p>
            })}
        </div>
    }
}

/// Checks every field (all messages at once, not one per attempt) and builds the issue
/// and its first event, or `None` with the messages set.
fn check(d: Draft, e: Errors) -> Option<(Issue, IssueEvent)> {
    let title = IssueTitle::parse(&d.title.get_untracked());
    let description = Description::parse(&d.description.get_untracked());
    let due = parse_due(&d.due.get_untracked());
    let category = d.category.get_untracked();
    e.title.set(title.as_ref().err().cloned());
    e.description.set(description.as_ref().err().cloned());
    e.due.set(due.as_ref().err().cloned());
    e.category.set(category.is_none());
    let (Ok(title), Ok(description), Ok(due_at), Some(category)) = (title, description, due, category) else {
        return None;
    };
    let me = session();
    let grid = GridId::parse(d.grid.get_untracked()).unwrap_or_else(|_| me.user.home_grid.clone());
    let (household, unit) = match d.subject.get_untracked() {
        Subject::Household { id, .. } => (Some(id), None),
        Subject::Unit { id, .. } => (None, Some(id)),
        Subject::Nobody => (None, None),
    };
    let now = now_ms();
    let issue = Issue {
        id: IssueId::generate(now, random_bytes()),
        title,
        description,
        category,
        source: d.source.get_untracked(),
        grid,
        household,
        unit,
        location: d.fix.with_untracked(Fix::location),
        reporter: me.user.person_id.clone(),
        priority: d.priority.get_untracked(),
        due_at,
        created_at: now,
    };
    let role = acting_role(&me, wangge_core::grid::EscalationLevel::Grid);
    let reported =
        IssueEvent::new(issue.id.clone(), now, me.user.person_id.clone(), role, EventKind::Reported, random_bytes());
    Some((issue, reported))
}

/// An optional due date: the end of that day in China Standard Time.
pub fn parse_due(input: &str) -> Result<Option<Millis>, DomainError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let day = Date::parse(input)?;
    Ok(Some(day.add_days(1).start_millis() - 1))
}

/// Puts the cursor on the first field with a message, so a screen reader reads it too.
fn focus_first_error(e: Errors) {
    let first = if e.category.get_untracked() {
        "issue-category"
    } else if e.title.with_untracked(Option::is_some) {
        "issue-title"
    } else if e.description.with_untracked(Option::is_some) {
        "issue-description"
    } else {
        "issue-due"
    };
    if let Some(el) = document().get_element_by_id(first) {
        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
    }
}

/// `?household=<id>`: the visit screen sends the worker here after a visit.
fn prefill_household(store: &crate::store::Store, d: Draft) {
    let Some(id) = query_param("household").and_then(|h| HouseholdId::parse(h).ok()) else {
        return;
    };
    let store = store.clone();
    leptos::task::spawn_local(async move {
        if let Ok(Some(row)) = store.household(id.as_str()).await {
            let h = row.household;
            let name = h.head().map(|m| m.name.to_string()).unwrap_or_default();
            d.grid.set(h.grid.to_string());
            d.subject.set(Subject::Household { label: format!("{name} · {}", h.address), id: h.id, grid: h.grid });
        }
    });
}
