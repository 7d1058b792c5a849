//! One issue (问题详情): where it stands, what the user may do next, any sync conflict on
//! its fields, and its whole history. Everything is re-read when the data on the phone
//! changes (a save here, or a change pulled from the server).
//!
//! **Forms outlive data changes.** A re-read that finds this issue as it was (a sync that
//! changed other issues, the periodic round) stops at a memo and re-renders nothing, so
//! focus and the phone's keyboard stay. A changed issue re-renders the head and the
//! timeline only: the action and edit panels are built once, beside them, and follow the
//! issue through signals, while what their forms hold (which one is open, every input,
//! every message) is owned by this page component.

pub mod actions;
pub mod edit;
pub mod handover;
pub mod mediation;
pub mod need;
pub mod timeline;

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::issue::{derive, Deadlines, IssueEvent, IssueState};
use wangge_core::meeting::MeetingKind;
use wangge_core::people::{Person, Role};
use wangge_core::sync::{Collection, FieldConflict};
use wangge_core::unit::Unit;
use wangge_core::{Millis, UnitId};

use super::common::{core_label, AppLink};
use super::handoff::due_text;
use crate::components::read_failed::ReadFailed;
use crate::context::{use_store, use_sync};
use crate::format::{date, date_time, now_ms};
use crate::i18n::handoff::HandoffMsg;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::route::Route;
use crate::session::Session;
use crate::store::{Bases, IssueRow, StoreError};
use actions::{ActionDraft, ActionPanel};
use edit::{field_label, value_label, EditDraft, EditPanel};
use timeline::Timeline;
use wangge_core::issue::{may_edit_issue, Actor};

/// Everything the screen shows, read in one go. Compared by value (the `Arc`s too), so an
/// equal re-read is no change.
#[derive(Clone, PartialEq)]
pub struct Detail {
    pub row: IssueRow,
    /// The server version each field was last pulled at, read with `row`: an edit form
    /// opening on this issue keeps them (see `detail_edit.rs`).
    pub bases: Bases,
    pub events: Arc<Vec<IssueEvent>>,
    pub people: Arc<HashMap<String, Person>>,
    pub conflicts: Vec<FieldConflict>,
    pub grid_name: Option<String>,
    pub household_name: Option<String>,
    /// Every unit and department on the phone (the hand-over picker, names on screen).
    pub units: Arc<Vec<Unit>>,
    /// Grid names by id, for grouping the units.
    pub grid_names: Arc<HashMap<String, String>>,
    /// The units the signed-in person is the contact of (what they answer for).
    pub my_units: Vec<UnitId>,
    /// Kind and day of the meetings this issue's steps name, those on the phone.
    pub meetings: Arc<HashMap<String, (MeetingKind, Millis)>>,
}

impl Detail {
    /// A person's name, or their id when this phone does not hold them.
    pub fn name_of(&self, id: &str) -> String {
        self.people.get(id).map(|p| p.name.to_string()).unwrap_or_else(|| id.to_string())
    }

    /// A unit's name, or its id when this phone does not hold it.
    pub fn unit_name(&self, id: &str) -> String {
        self.units.iter().find(|u| u.id.as_str() == id).map(|u| u.name.to_string()).unwrap_or_else(|| id.to_string())
    }

    /// The signed-in user as the rules see them on this issue now.
    pub fn actor(&self, me: &Session) -> Actor {
        actor(me, &self.state(), &self.my_units)
    }

    /// The state as the core derives it from every event on the phone.
    pub fn state(&self) -> IssueState {
        derive(&self.events).state
    }
}

/// The signed-in user as the rules see them on an issue where it stands, answering for
/// `units`. On an issue handed to one of those units they act as its contact (单位联络员),
/// which is what the timeline then says.
pub fn actor(me: &Session, state: &IssueState, units: &[UnitId]) -> Actor {
    let answers = state.handed_to().is_some_and(|u| units.contains(u)) && me.user.roles.contains(&Role::UnitContact);
    let role = if answers { Role::UnitContact } else { super::common::acting_role(me, state.level) };
    Actor::new(me.user.person_id.clone(), &me.user.roles, role).with_units(units.to_vec())
}

/// Whether the user may edit the issue's own fields now.
pub fn editable(me: &Session, d: &Detail) -> bool {
    let state = d.state();
    may_edit_issue(&actor(me, &state, &d.my_units), &d.row.issue, &state)
}

type Read = Option<Result<Option<Detail>, StoreError>>;

/// The issue as last read, for the panels. Their tracked reads follow it; an equal re-read
/// never reaches them (the page's memo stops it).
#[derive(Clone, Copy)]
pub struct Shown(Memo<Read>);

impl Shown {
    pub fn with<R>(self, f: impl FnOnce(Option<&Detail>) -> R) -> R {
        self.0.with(|r| f(on_screen(r)))
    }

    pub fn with_untracked<R>(self, f: impl FnOnce(Option<&Detail>) -> R) -> R {
        self.0.with_untracked(|r| f(on_screen(r)))
    }
}

fn on_screen(read: &Read) -> Option<&Detail> {
    match read {
        Some(Ok(Some(d))) => Some(d),
        _ => None,
    }
}

#[component]
pub fn IssueDetailPage(id: String) -> impl IntoView {
    let store = use_store();
    let sync = use_sync();
    let issue_id = id.clone();
    let me = crate::context::session();
    let read = LocalResource::new(move || {
        sync.data_version().track();
        let (store, id, me) = (store.clone(), issue_id.clone(), me.clone());
        async move { load(&store, &me, &id).await }
    });
    // A re-read equal to the last stops here (the resource itself notifies on every read).
    let shown = Memo::new(move |_| read.get());
    let detail = Shown(shown);
    // The panels depend on there being an issue, not on what it says.
    let present = Memo::new(move |_| detail.with(|d| d.is_some()));
    let (actions, edit) = (ActionDraft::default(), EditDraft::default());
    let needs_of = id.clone();
    view! {
        <section class="page issue-detail" aria-labelledby="issue-title">
            <AppLink to=Route::Issues class="back-link">"‹ " {tr(IssueMsg::BackToList)}</AppLink>
            {move || match shown.get() {
                None => view! { <p class="muted">{tr(IssueMsg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <ReadFailed error=e/> }.into_any(),
                Some(Ok(None)) => view! {
                    <h2 id="issue-title">{tr(IssueMsg::NotOnPhone)}</h2>
                    <p class="empty">{tr(IssueMsg::NotOnPhoneHint)}</p>
                }.into_any(),
                Some(Ok(Some(d))) => view! { <DetailHead d/> }.into_any(),
            }}
            {move || present.get().then(|| view! {
                <mediation::CaseLink detail/>
                <ActionPanel detail draft=actions/>
                <EditPanel detail draft=edit/>
                <need::IssueNeeds id=needs_of.clone()/>
            })}
            {move || detail.with(|d| d.cloned()).map(|d| {
                let derived = derive(&d.events);
                view! { <Timeline d derived/> }
            })}
        </section>
    }
}

/// A failed read of the issue, its history or its conflicts is an error on screen: an
/// empty timeline would read as "nothing happened". Names of people, grid and household
/// are labels; without them the screen shows ids.
async fn load(store: &crate::store::Store, me: &Session, id: &str) -> Result<Option<Detail>, StoreError> {
    let Some((row, bases)) = store.issue_with_bases(id).await? else {
        return Ok(None);
    };
    let events = store.events_of(id).await?;
    let people: HashMap<String, Person> =
        store.people().await.unwrap_or_default().into_iter().map(|p| (p.id.to_string(), p)).collect();
    let conflicts = store
        .open_conflicts()
        .await?
        .into_iter()
        .filter(|c| c.collection == Collection::Issues && c.record_id == id)
        .collect();
    let grid_names: HashMap<String, String> =
        store.grids().await.unwrap_or_default().into_iter().map(|g| (g.id.to_string(), g.name.to_string())).collect();
    let grid_name = grid_names.get(row.issue.grid.as_str()).cloned();
    // Not a label: which units the user answers for decides what they may do here.
    let units = store.units().await?;
    let my_units = crate::store::unit_queries::units_of_contact(&units, &me.user.person_id);
    let meeting_ids: Vec<String> = events.iter().filter_map(|e| e.meeting.as_ref().map(|m| m.to_string())).collect();
    let meetings = if meeting_ids.is_empty() {
        HashMap::new()
    } else {
        store.meeting_heads(&meeting_ids).await.unwrap_or_default()
    };
    let household_name = match &row.issue.household {
        Some(h) => store.household_names_for_issues(&[h.to_string()]).await.ok().and_then(|mut m| m.remove(h.as_str())),
        None => None,
    };
    Ok(Some(Detail {
        row,
        bases,
        events: Arc::new(events),
        people: Arc::new(people),
        conflicts,
        grid_name,
        household_name,
        units: Arc::new(units),
        grid_names: Arc::new(grid_names),
        my_units,
        meetings: Arc::new(meetings),
    }))
}

/// The issue's conflicts, facts and description: everything above the panels.
#[component]
fn DetailHead(d: Detail) -> impl IntoView {
    let lang = use_lang();
    let issue = d.row.issue.clone();
    let state = d.state();
    let now = now_ms();
    let deadlines = Deadlines::default();
    let due = state.due_at(&issue, &deadlines);
    let overdue = state.is_overdue(&issue, &deadlines, now);
    let flagged = state.needs_supervision(&issue, &deadlines, now);
    let (status, level, category, priority) = (state.status, state.level, issue.category, issue.priority);
    let place = match (&d.household_name, &d.grid_name) {
        (Some(h), Some(g)) => format!("{} {h} · {g}", IssueMsg::HouseholdOf.text(lang.get_untracked())),
        (None, Some(g)) => g.clone(),
        (Some(h), None) => h.clone(),
        (None, None) => issue.grid.to_string(),
    };
    let assignee = state.assignee.as_ref().map(|a| d.name_of(a.as_str()));
    let reporter = d.name_of(issue.reporter.as_str());
    let location = issue.location.map(|l| format!("{:.5}, {:.5}", l.lat(), l.lon()));
    let description = issue.description.to_string();
    let handoff = handoff_line(&d, &state, now);
    let dismissed = state.dismissed && state.status == wangge_core::issue::Status::Closed;
    view! {
        <FieldConflicts conflicts=d.conflicts.clone()/>
        <header class="card issue-head">
            <h2 id="issue-title">{issue.title.to_string()}</h2>
            <p class="issue-pills">
                <span class=format!("pill status-{}", status.code())>{move || core_label!(status, lang.get())}</span>
                <span class="pill level">{move || core_label!(level, lang.get())}</span>
                {flagged.then(|| view! {
                    <span class="mark-overdue">{move || if overdue { IssueMsg::MarkOverdue.text(lang.get()) } else { IssueMsg::MarkSupervised.text(lang.get()) }}</span>
                })}
            </p>
            {handoff.map(|(unit, due, late)| view! {
                <p class="issue-handoff" class:overdue=late>
                    {tr(HandoffMsg::HandedTo)} <strong>{unit}</strong>
                    {due.map(|t| view! { " · " {move || due_text(t, lang.get())} })}
                    {late.then(|| view! { " · " <span class="mark-overdue">{tr(HandoffMsg::Overdue)}</span> })}
                </p>
            })}
            {dismissed.then(|| view! { <p class="issue-dismissed">{tr(HandoffMsg::Dismissed)}</p> })}
            <dl class="issue-facts">
                <dt>{tr(IssueMsg::FieldCategory)}</dt><dd>{move || core_label!(category, lang.get())}</dd>
                <dt>{tr(IssueMsg::FieldPriority)}</dt><dd>{move || core_label!(priority, lang.get())}</dd>
                <dt>{tr(IssueMsg::Where)}</dt><dd>{place}</dd>
                <dt>{tr(IssueMsg::Reporter)}</dt><dd>{reporter}</dd>
                <dt>{tr(IssueMsg::ReportedAt)}</dt><dd>{date_time(issue.created_at as f64)}</dd>
                <dt>{tr(IssueMsg::Assignee)}</dt><dd>{assignee.unwrap_or_else(|| "—".into())}</dd>
                <dt>{tr(IssueMsg::DueAt)}</dt><dd>{due.map(|t| date(t as f64)).unwrap_or_else(|| "—".into())}</dd>
                {location.map(|l| view! { <dt>{tr(IssueMsg::Gps)}</dt><dd>{l}</dd> })}
            </dl>
            {(!description.is_empty()).then(|| view! { <p class="issue-description">{description}</p> })}
        </header>
    }
}

/// The unit it is handed to now, by name, its due instant and whether that has passed.
fn handoff_line(d: &Detail, state: &IssueState, now: Millis) -> Option<(String, Option<Millis>, bool)> {
    let unit = state.handed_to()?;
    let due = state.handoff.as_ref().and_then(|h| h.due);
    Some((d.unit_name(unit.as_str()), due, due.is_some_and(|t| t < now)))
}

/// Sync conflicts on this issue's fields: both values, and the way to settle them.
#[component]
fn FieldConflicts(conflicts: Vec<FieldConflict>) -> impl IntoView {
    let lang = use_lang();
    (!conflicts.is_empty()).then(|| {
        view! {
            <section class="card conflict-box" role="alert" aria-labelledby="conflict-title">
                <h3 id="conflict-title">{tr(IssueMsg::ConflictTitle)}</h3>
                <ul class="list">
                    {conflicts.into_iter().map(|c| {
                        let field = c.field.clone();
                        let (f1, f2) = (c.field.clone(), c.field.clone());
                        let (server, mine) = (c.server_value.clone(), c.device_value.clone());
                        view! {
                            <li>
                                <strong>{move || field_label(&field, lang.get())}</strong>
                                <p>{tr(IssueMsg::ConflictServer)} {move || value_label(&f1, &server, lang.get())}</p>
                                <p>{tr(IssueMsg::ConflictMine)} {move || value_label(&f2, &mine, lang.get())}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <AppLink to=Route::Conflicts class="button small secondary">{tr(IssueMsg::SettleConflicts)}</AppLink>
            </section>
        }
    })
}
