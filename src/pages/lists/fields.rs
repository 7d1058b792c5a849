//! The inputs of a list entry, per kind only its own (resource: unit or contact and phone,
//! availability; project: partner unit, budget in 元, status; need: household from the
//! roster, contact), each parsed by the core with its message beside it. [`Draft`] holds
//! them as signals of the page, so a sync re-rendering the pickers keeps what was typed.

use std::collections::BTreeMap;

use leptos::prelude::*;
use wangge_core::lists::{ListEntry, ListKind, ProjectStatus};
use wangge_core::{CommentText, Description, DomainError, GridId, HouseholdId, IssueId, IssueTitle};
use wangge_core::{ListEntryId, Millis, PersonId, PersonName, Phone, UnitId};

use super::data::Lists;
use super::words::kind_msg;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::i18n::lists::ListMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::pages::issues::common::{core_label, core_message};
use crate::store::StoreError;

/// What is wrong with one input.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Core(DomainError),
    Msg(ListMsg),
}

impl Problem {
    pub fn text(&self, l: Lang) -> String {
        match self {
            Problem::Core(e) => core_message!(e, l),
            Problem::Msg(m) => m.text(l).to_string(),
        }
    }
}

/// Everything the form holds.
#[derive(Clone, Copy)]
pub struct Draft {
    pub kind: RwSignal<ListKind>,
    pub grid: RwSignal<String>,
    pub title: RwSignal<String>,
    pub description: RwSignal<String>,
    pub unit: RwSignal<String>,
    pub contact: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub availability: RwSignal<String>,
    pub budget: RwSignal<String>,
    pub status: RwSignal<String>,
    /// The household chosen: (id, head's name).
    pub household: RwSignal<Option<(String, String)>>,
    /// The issue a need is raised from: (id, title).
    pub issue: RwSignal<Option<(String, String)>>,
    pub errors: RwSignal<BTreeMap<&'static str, Problem>>,
    pub failure: RwSignal<Option<String>>,
}

impl Draft {
    pub fn new(kind: ListKind, grid: String) -> Draft {
        let text = || RwSignal::new(String::new());
        Draft {
            kind: RwSignal::new(kind),
            grid: RwSignal::new(grid),
            title: text(),
            description: text(),
            unit: text(),
            contact: text(),
            phone: text(),
            availability: text(),
            budget: text(),
            status: RwSignal::new(ProjectStatus::Planned.code().into()),
            household: RwSignal::new(None),
            issue: RwSignal::new(None),
            errors: RwSignal::new(BTreeMap::new()),
            failure: RwSignal::new(None),
        }
    }

    /// Fills the inputs from an entry being edited.
    pub fn fill(&self, e: &ListEntry) {
        let s = |v: Option<String>| v.unwrap_or_default();
        self.kind.set(e.kind);
        self.grid.set(e.grid.to_string());
        self.title.set(e.title.to_string());
        self.description.set(s(e.description.as_ref().map(ToString::to_string)));
        self.unit.set(s(e.unit.as_ref().map(ToString::to_string)));
        self.contact.set(s(e.contact.as_ref().map(ToString::to_string)));
        self.phone.set(s(e.phone.as_ref().map(ToString::to_string)));
        self.availability.set(s(e.availability.as_ref().map(ToString::to_string)));
        self.budget.set(s(e.budget_yuan.map(|b| b.to_string())));
        self.status.set(e.status.unwrap_or(ProjectStatus::Planned).code().into());
        self.household.set(e.household.as_ref().map(|h| (h.to_string(), h.to_string())));
        self.issue.set(e.issue.as_ref().map(|i| (i.to_string(), i.to_string())));
    }

    /// The entry the inputs make, or `None` with each bad input's problem set. An edit
    /// keeps what the form does not show (`old`: id, recorder, a need's match and claim).
    pub fn build(&self, id: ListEntryId, me: PersonId, now: Millis, old: Option<&ListEntry>) -> Option<ListEntry> {
        let mut errors = BTreeMap::new();
        let kind = self.kind.get_untracked();
        let opt = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|t| !t.is_empty());
        let mut note = |field: &'static str, r: Result<(), Problem>| {
            if let Err(p) = r {
                errors.insert(field, p);
            }
        };
        let title = IssueTitle::parse(self.title.get_untracked().trim());
        note("title", title.as_ref().map(|_| ()).map_err(|e| Problem::Core(e.clone())));
        let description = opt(self.description).map(|d| Description::parse(&d)).transpose();
        note("description", description.as_ref().map(|_| ()).map_err(|e| Problem::Core(e.clone())));
        let contact = opt(self.contact).map(|c| PersonName::parse(&c)).transpose();
        note("contact", contact.as_ref().map(|_| ()).map_err(|e| Problem::Core(e.clone())));
        let phone = opt(self.phone).map(|p| Phone::parse(&p)).transpose();
        note("phone", phone.as_ref().map(|_| ()).map_err(|e| Problem::Core(e.clone())));
        let availability =
            opt(self.availability).filter(|_| kind == ListKind::Resource).map(|a| CommentText::parse(&a)).transpose();
        note("availability", availability.as_ref().map(|_| ()).map_err(|e| Problem::Core(e.clone())));
        let budget = opt(self.budget).filter(|_| kind == ListKind::Project).map(|b| b.parse::<u64>()).transpose();
        note("budget", budget.as_ref().map(|_| ()).map_err(|_| Problem::Msg(ListMsg::BadBudget)));
        self.errors.set(errors);
        let (Ok(title), Ok(description), Ok(contact), Ok(phone), Ok(availability), Ok(budget_yuan)) =
            (title, description, contact, phone, availability, budget)
        else {
            return None;
        };
        let grid = GridId::parse(self.grid.get_untracked()).ok()?;
        let offers = matches!(kind, ListKind::Resource | ListKind::Project);
        let need = kind == ListKind::Need;
        let kept = |f: fn(&ListEntry) -> ListEntry| old.filter(|_| need).map(f);
        let taken = kept(|o| o.clone());
        Some(ListEntry {
            id,
            kind,
            grid,
            title,
            description,
            recorder: old.map_or(me, |o| o.recorder.clone()),
            recorded_at: old.map_or(now, |o| o.recorded_at),
            unit: opt(self.unit).filter(|_| offers).and_then(|u| UnitId::parse(u).ok()),
            contact,
            phone,
            availability,
            budget_yuan,
            status: (kind == ListKind::Project)
                .then(|| ProjectStatus::from_code(&self.status.get_untracked()))
                .flatten(),
            household: self.household.get_untracked().filter(|_| need).and_then(|(h, _)| HouseholdId::parse(h).ok()),
            issue: self.issue.get_untracked().filter(|_| need).and_then(|(i, _)| IssueId::parse(i).ok()),
            matched_to: taken.as_ref().and_then(|t| t.matched_to.clone()),
            claimed_by: taken.as_ref().and_then(|t| t.claimed_by.clone()),
            claimed_unit: taken.as_ref().and_then(|t| t.claimed_unit.clone()),
            fulfilled_at: taken.as_ref().and_then(|t| t.fulfilled_at),
            outcome: taken.and_then(|t| t.outcome),
        })
    }
}

/// The problem of `field`, beside it.
fn problem(draft: Draft, field: &'static str) -> impl IntoView {
    let lang = use_lang();
    move || {
        draft
            .errors
            .with(|e| e.get(field).map(|p| view! { <p class="field-error" role="alert">{p.text(lang.get())}</p> }))
    }
}

/// A text input bound to `value`, with its problem beside it.
fn text_field(label: ListMsg, value: RwSignal<String>, draft: Draft, field: &'static str) -> impl IntoView {
    view! {
        <label class="field">{tr(label)}
            <input type="text" name=field prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
        {problem(draft, field)}
    }
}

#[component]
pub fn EntryFields(draft: Draft, data: RwSignal<Option<Result<Lists, StoreError>>>, editing: bool) -> impl IntoView {
    let lang = use_lang();
    let home = session().user.home_grid;
    let kind = draft.kind;
    view! {
        {(!editing).then(|| view! {
            <fieldset class="field">
                <legend>{tr(ListMsg::Kind)}</legend>
                {ListKind::ALL.map(|k| view! {
                    <label class="choice">
                        <input type="radio" name="list-kind" prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                        {tr(kind_msg(k))}
                    </label>
                }).into_iter().collect_view()}
            </fieldset>
        })}
        {move || draft.issue.get().map(|(_, title)| view! { <p class="muted">{tr(ListMsg::FromIssue)} "：" {title}</p> })}
        {text_field(ListMsg::Name, draft.title, draft, "title")}
        <label class="field">{tr(ListMsg::Description)}
            <textarea prop:value=draft.description on:input=move |ev| draft.description.set(event_target_value(&ev))></textarea>
        </label>
        {problem(draft, "description")}
        {move || data.get().map(|d| match d {
            Ok(lists) => view! { <Pickers draft lists home=home.clone()/> }.into_any(),
            Err(e) => view! { <ReadFailed error=e/> }.into_any(),
        })}
        {move || (kind.get() == ListKind::Need).then(|| view! { <HouseholdPick draft/> })}
        {text_field(ListMsg::Contact, draft.contact, draft, "contact")}
        {text_field(ListMsg::Phone, draft.phone, draft, "phone")}
        {move || (kind.get() == ListKind::Resource).then(|| view! {
            <label class="field">{tr(ListMsg::Availability)}
                <input type="text" name="availability" placeholder=tr(ListMsg::AvailabilityHint) prop:value=draft.availability
                    on:input=move |ev| draft.availability.set(event_target_value(&ev))/>
            </label>
            {problem(draft, "availability")}
        })}
        {move || (kind.get() == ListKind::Project).then(|| view! {
            <label class="field">{tr(ListMsg::Budget)} "（" {tr(ListMsg::Yuan)} "）"
                <input type="text" inputmode="numeric" name="budget" prop:value=draft.budget on:input=move |ev| draft.budget.set(event_target_value(&ev))/>
            </label>
            {problem(draft, "budget")}
            <label class="field">{tr(ListMsg::Status)}
                <select name="status" on:change=move |ev| draft.status.set(event_target_value(&ev))>
                    {ProjectStatus::ALL.map(|s| view! {
                        <option value=s.code() selected=draft.status.get_untracked() == s.code()>{move || core_label!(s, lang.get())}</option>
                    }).into_iter().collect_view()}
                </select>
            </label>
        })}
    }
}

/// The grid and (for a resource or project) unit pickers, which depend on what was read.
#[component]
fn Pickers(draft: Draft, lists: Lists, home: GridId) -> impl IntoView {
    let grids = lists.grid_choices(&home);
    let units: Vec<(String, String)> = lists.units.iter().map(|u| (u.id.to_string(), u.name.to_string())).collect();
    view! {
        <label class="field">{tr(ListMsg::Grid)}
            <select name="grid" on:change=move |ev| draft.grid.set(event_target_value(&ev))>
                {grids.into_iter().map(|(id, name)| {
                    let selected = draft.grid.get_untracked() == id.as_str();
                    view! { <option value=id.to_string() selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
        {move || (draft.kind.get() != ListKind::Need).then(|| view! {
            <label class="field">{tr(ListMsg::Unit)}
                <select name="unit" on:change=move |ev| draft.unit.set(event_target_value(&ev))>
                    <option value="">{tr(ListMsg::NoUnit)}</option>
                    {units.iter().map(|(id, name)| {
                        let selected = draft.unit.get_untracked() == *id;
                        view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
        })}
    }
}

/// The household a need comes from: search the roster by the head's name.
#[component]
fn HouseholdPick(draft: Draft) -> impl IntoView {
    let store = use_store();
    let query = RwSignal::new(String::new());
    let found = reload(move || {
        let (store, q) = (store.clone(), query.get().trim().to_string());
        Box::pin(async move {
            if q.is_empty() {
                return Ok(Vec::new());
            }
            store.households_by_name_prefix(&q, 8).await
        })
    });
    view! {
        <fieldset class="field">
            <legend>{tr(ListMsg::Household)}</legend>
            {move || draft.household.get().map(|(_, name)| view! {
                <p class="chosen"><strong>{name}</strong> " "
                    <button type="button" class="button small secondary" on:click=move |_| draft.household.set(None)>
                        {tr(ListMsg::ClearHousehold)}
                    </button>
                </p>
            })}
            <input type="search" name="household-search" aria-label=tr(ListMsg::SearchHousehold) placeholder=tr(ListMsg::SearchHousehold) prop:value=query
                on:input=move |ev| query.set(event_target_value(&ev))/>
            {move || found.get().map(|r| match r {
                Ok(rows) => rows.into_iter().map(|h| {
                    let pick = (h.id.clone(), h.name.clone());
                    view! {
                        <button type="button" class="button small secondary list-pick" on:click=move |_| {
                            draft.household.set(Some(pick.clone()));
                            query.set(String::new());
                        }>{h.name.clone()}</button>
                    }
                }).collect_view().into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </fieldset>
    }
}
