//! 新建会议: kind, time, place (the core's `Address`), the grid it belongs to, host,
//! attendees from the committee (出席 / 缺席 / 请假, or not listed) and guests (列席). A
//! joint meeting opens with the agenda the core draws (`Store::draw_agenda`); an on-site
//! office with none. One `Store::open_meeting` writes the record and its outbox entry.
//! The form's inputs are signals of this page, above the part a data change re-renders.

use std::collections::BTreeMap;

use leptos::prelude::*;
use wangge_core::meeting::{AgendaItem, Attendance, Entries, ItemSource, Meeting, MeetingKind};
use wangge_core::people::Role;
use wangge_core::sort::insert_all;
use wangge_core::{Address, CommentText, DomainError, GridId, MeetingId, PersonId};

use super::committee::{committee, community_of, grid_choices, hosts};
use super::data::{load_scope, Scope};
use super::words::kind_label;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::meetings::MeetMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::pages::issues::common::{core_label, core_message, random_bytes};
use crate::route::{redirect, use_route, Route};

/// Everything the form holds.
#[derive(Clone, Copy)]
struct Draft {
    kind: RwSignal<MeetingKind>,
    grid: RwSignal<String>,
    when: RwSignal<String>,
    place: RwSignal<String>,
    host: RwSignal<String>,
    /// Attendance chosen per person; a person not in the map is present (the default).
    attendance: RwSignal<BTreeMap<String, Option<Attendance>>>,
    guests: RwSignal<String>,
    place_error: RwSignal<Option<DomainError>>,
    guests_error: RwSignal<Option<DomainError>>,
    time_error: RwSignal<bool>,
    failure: RwSignal<Option<String>>,
}

/// What saving needs, taken from the page's context while it renders.
#[derive(Clone)]
struct Ctx {
    store: crate::context::StoreHandle,
    sync: crate::sync::SyncHandle,
    route: RwSignal<Route>,
    me: PersonId,
}

/// `2026-11-20T14:30` for a `datetime-local` input, in the phone's time.
fn local_input(ms: f64) -> String {
    crate::format::date_time(ms).replacen(' ', "T", 1)
}

#[component]
pub fn NewMeetingPage() -> impl IntoView {
    if let Some(refused) = super::staff_only() {
        return refused;
    }
    let store = use_store();
    let me = session();
    let ctx = Ctx { store: store.clone(), sync: use_sync(), route: use_route(), me: me.user.person_id.clone() };
    let scope_id = me.user.home_grid.clone();
    let data = reload(move || {
        let (store, scope) = (store.clone(), scope_id.clone());
        Box::pin(async move { load_scope(&store, &scope).await })
    });
    let draft = Draft {
        kind: RwSignal::new(MeetingKind::JointMeeting),
        grid: RwSignal::new(me.user.home_grid.to_string()),
        when: RwSignal::new(local_input(now_ms() as f64)),
        place: RwSignal::new(String::new()),
        host: RwSignal::new(String::new()),
        attendance: RwSignal::new(BTreeMap::new()),
        guests: RwSignal::new(String::new()),
        place_error: RwSignal::new(None),
        guests_error: RwSignal::new(None),
        time_error: RwSignal::new(false),
        failure: RwSignal::new(None),
    };
    let lang = use_lang();
    view! {
        <section class="page" aria-labelledby="new-meeting-title">
            <AppLink href="/meetings" class="back-link">"‹ " {tr(MeetMsg::Back)}</AppLink>
            <h2 id="new-meeting-title">{tr(MeetMsg::OpenNew)}</h2>
            <form class="form" novalidate aria-label=tr(MeetMsg::OpenNew) on:submit=move |ev| {
                ev.prevent_default();
                if let Some(Ok(scope)) = data.get_untracked() { submit(draft, scope, ctx.clone(), lang.get_untracked()) }
            }>
                <fieldset class="field">
                    <legend>{tr(MeetMsg::Kind)}</legend>
                    {MeetingKind::ALL.map(|k| view! {
                        <label class="choice">
                            <input type="radio" name="meeting-kind" prop:checked=move || draft.kind.get() == k
                                on:change=move |_| draft.kind.set(k)/>
                            {move || kind_label(k, lang.get())}
                        </label>
                    }).into_iter().collect_view()}
                </fieldset>
                <p class="muted">{move || match draft.kind.get() {
                    MeetingKind::JointMeeting => MeetMsg::AgendaDrawn.text(lang.get()),
                    MeetingKind::OnSiteOffice => MeetMsg::OnSiteEmpty.text(lang.get()),
                }}</p>
                <label class="field">{tr(MeetMsg::When)}
                    <input type="datetime-local" prop:value=draft.when on:input=move |ev| draft.when.set(event_target_value(&ev))/>
                </label>
                {move || draft.time_error.get().then(|| view! { <p class="field-error" role="alert">{tr(MeetMsg::BadTime)}</p> })}
                <label class="field">{tr(MeetMsg::Place)}
                    <input type="text" prop:value=draft.place on:input=move |ev| draft.place.set(event_target_value(&ev))/>
                </label>
                {move || draft.place_error.get().map(|e| view! { <p class="field-error" role="alert">{core_message!(e, lang.get())}</p> })}
                {move || data.get().map(|d| match d {
                    Ok(scope) => view! { <People draft scope/> }.into_any(),
                    Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                })}
                <label class="field">{tr(MeetMsg::Guests)}
                    <textarea placeholder=tr(MeetMsg::GuestsHint) prop:value=draft.guests
                        on:input=move |ev| draft.guests.set(event_target_value(&ev))></textarea>
                </label>
                {move || draft.guests_error.get().map(|e| view! { <p class="field-error" role="alert">{core_message!(e, lang.get())}</p> })}
                {move || draft.failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <div class="form-buttons">
                    <button type="submit" class="button">{tr(MeetMsg::Create)}</button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

/// The grid, host and attendee pickers, which depend on the people and grids read.
#[component]
fn People(draft: Draft, scope: Scope) -> impl IntoView {
    let lang = use_lang();
    let tree = scope.tree.clone();
    let home = session().user.home_grid;
    let grids = move || grid_choices(&tree, &home, draft.kind.get());
    // The chair of a joint meeting is the first secretary: chosen unless the user picks another.
    if draft.host.get_untracked().is_empty() {
        if let Ok(g) = GridId::parse(draft.grid.get_untracked()) {
            let c = community_of(&scope.tree, &g);
            let chair =
                committee(&scope.tree, &c, &scope.people).into_iter().find(|p| p.has_role(Role::FirstSecretary));
            if let Some(p) = chair {
                draft.host.set(p.id.to_string());
            }
        }
    }
    let tree = scope.tree.clone();
    let people = scope.people.clone();
    let community = move || GridId::parse(draft.grid.get()).ok().map(|g| community_of(&tree, &g));
    let (tree2, people2, community2) = (scope.tree.clone(), people.clone(), community.clone());
    let host_options = move || {
        let Some(c) = community2() else { return Vec::new() };
        hosts(&tree2, &c, &people2, draft.kind.get())
            .into_iter()
            .map(|p| (p.id.to_string(), p.name.to_string()))
            .collect::<Vec<_>>()
    };
    let members = move || {
        let Some(c) = community() else { return Vec::new() };
        committee(&scope.tree, &c, &people)
            .into_iter()
            .map(|p| (p.id.to_string(), p.name.to_string(), roles(p, lang.get())))
            .collect::<Vec<_>>()
    };
    view! {
        <label class="field">{tr(MeetMsg::Grid)}
            <select on:change=move |ev| draft.grid.set(event_target_value(&ev))>
                {move || grids().into_iter().map(|(id, name)| {
                    let selected = draft.grid.get_untracked() == id.as_str();
                    view! { <option value=id.to_string() selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
        <label class="field">
            {move || if draft.kind.get() == MeetingKind::OnSiteOffice { MeetMsg::HostOnSite.text(lang.get()) } else { MeetMsg::Host.text(lang.get()) }}
            <select on:change=move |ev| draft.host.set(event_target_value(&ev))>
                <option value="">{tr(MeetMsg::NoHost)}</option>
                {move || host_options().into_iter().map(|(id, name)| {
                    let selected = draft.host.get_untracked() == id;
                    view! { <option value=id selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
        <fieldset class="field attendees">
            <legend>{tr(MeetMsg::Attendees)}</legend>
            {move || {
                let list = members();
                if list.is_empty() {
                    return view! { <p class="muted">{tr(MeetMsg::NoCommittee)}</p> }.into_any();
                }
                list.into_iter().map(|(id, name, roles)| view! { <AttendeeRow draft id name roles/> }).collect_view().into_any()
            }}
        </fieldset>
    }
}

fn roles(p: &wangge_core::people::Person, l: Lang) -> String {
    p.roles.iter().map(|r| core_label!(r, l)).collect::<Vec<_>>().join("、")
}

#[component]
fn AttendeeRow(draft: Draft, id: String, name: String, roles: String) -> impl IntoView {
    let lang = use_lang();
    let key = id.clone();
    let current = move || draft.attendance.with(|a| a.get(&key).copied().unwrap_or(Some(Attendance::Present)));
    let choices: Vec<(String, Option<Attendance>)> =
        Attendance::ALL.iter().map(|a| (a.code().to_string(), Some(*a))).chain([("none".to_string(), None)]).collect();
    let label = format!("{name}（{roles}）");
    view! {
        <label class="attendee">
            <span>{label}</span>
            <select on:change=move |ev| {
                let v = event_target_value(&ev);
                let chosen = Attendance::from_code(&v);
                draft.attendance.update(|a| { a.insert(id.clone(), chosen); });
            }>
                {choices.into_iter().map(|(code, a)| {
                    let selected = current() == a;
                    view! { <option value=code selected=selected>{move || match a {
                        Some(a) => core_label!(a, lang.get()),
                        None => MeetMsg::NotInvited.text(lang.get()),
                    }}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// Checks the inputs with the core's parse functions, builds the meeting (with the drawn
/// agenda for a joint meeting) and writes it.
fn submit(d: Draft, scope: Scope, ctx: Ctx, lang: Lang) {
    let place = Address::parse(d.place.get_untracked().trim());
    d.place_error.set(place.as_ref().err().cloned());
    let guests_text = d.guests.get_untracked();
    let guests = (!guests_text.trim().is_empty()).then(|| CommentText::parse(guests_text.trim())).transpose();
    d.guests_error.set(guests.as_ref().err().cloned());
    let held_at = js_sys::Date::new(&d.when.get_untracked().into()).get_time();
    d.time_error.set(held_at.is_nan());
    let (Ok(place), Ok(guests), false, Ok(grid)) =
        (place, guests, held_at.is_nan(), GridId::parse(d.grid.get_untracked()))
    else {
        return;
    };
    let community = community_of(&scope.tree, &grid);
    let members = committee(&scope.tree, &community, &scope.people);
    let chosen = d.attendance.get_untracked();
    let attendees = insert_all(members.iter().filter_map(|p| {
        let a = chosen.get(p.id.as_str()).copied().unwrap_or(Some(Attendance::Present));
        a.map(|a| (p.id.clone(), a))
    }));
    let now = now_ms();
    let kind = d.kind.get_untracked();
    let meeting = Meeting {
        id: MeetingId::generate(now, random_bytes()),
        kind,
        grid: grid.clone(),
        held_at: held_at as i64,
        place,
        host: PersonId::parse(d.host.get_untracked()).ok(),
        recorder: ctx.me.clone(),
        guests,
        notes: None,
        closed: false,
        entries: Entries { attendees, items: BTreeMap::new() },
    };
    let Ctx { store, sync, route, .. } = ctx;
    leptos::task::spawn_local(async move {
        let mut meeting = meeting;
        if kind == MeetingKind::JointMeeting {
            match store.draw_agenda(&grid, now).await {
                Ok(ids) => {
                    meeting.entries.items = insert_all(ids.into_iter().enumerate().map(|(n, id)| {
                        let item = AgendaItem {
                            position: n as u32 + 1,
                            source: ItemSource::IssueList,
                            decision: None,
                            removed: false,
                            photos: Vec::new(),
                        };
                        (id, item)
                    }));
                }
                Err(e) => return d.failure.set(Some(e.message(lang))),
            }
        }
        match store.open_meeting(&meeting).await {
            Ok(()) => {
                sync.changed();
                redirect(route, Route::Meeting(meeting.id.to_string()));
            }
            Err(e) => d.failure.set(Some(e.message(lang))),
        }
    });
}
