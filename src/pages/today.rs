//! Today (今日): the grid worker's home screen — what needs my action at my level, issues
//! past their deadline (督办), my open issues, and households due a visit. Each section
//! shows a count and the first few items, linking to the full list. A unit's contact
//! also sees the issues handed to their unit (交办); an account that is only that sees
//! nothing else, since visits and the ladder's queues are not theirs.

use leptos::prelude::*;
use wangge_core::issue::{Deadlines, Status};
use wangge_core::visit::{due_visits, DueVisit, VisitSchedule};
use wangge_core::Date;

use crate::components::read_failed::ReadFailed;
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::handoff::HandoffMsg;
use crate::i18n::{tr, use_lang, Lang, Msg, Text};
use crate::pages::emergency::EmergencyBanner;
use crate::pages::tasks::today::TodayTasks;
use crate::pages::today_handed::{handed_to, Handed, HandedSection};
use crate::pages::today_mediation::MediationReminders;
use crate::route::{navigate, use_route, Route};
use crate::session::Session;
use crate::store::{HouseholdRow, IssueRow, Store, StoreError};
use crate::sync::SyncStatus;
use wangge_core::people::only_unit_contact;

/// Items shown per section; the rest is one tap away.
const SHOWN: usize = 5;

#[derive(Clone, Default)]
struct Today {
    action: Vec<IssueRow>,
    overdue: Vec<IssueRow>,
    mine: Vec<IssueRow>,
    due: Vec<(DueVisit, String)>,
    handed: Vec<Handed>,
    /// The account answers only for its unit(s): the worker's sections are not shown.
    contact_only: bool,
}

#[component]
pub fn TodayPage() -> impl IntoView {
    let store = use_store();
    let sync = use_sync();
    let me = session();
    let status = sync.status();
    let data = LocalResource::new(move || {
        sync.data_version().track();
        let (store, me) = (store.clone(), me.clone());
        async move { load(&store, &me).await }
    });
    let marked = StoredValue::new(false);
    // Transition, not Suspense: Today reads again after every sync round and save (every
    // 3 s during a first pull), and should keep showing the last data meanwhile rather
    // than flash "正在读取本机数据…".
    view! {
        <section class="page" aria-labelledby="today-title">
            <h2 id="today-title">{tr(Msg::TodayTitle)}</h2>
            // An emergency on here first, then tasks: an emergency task comes before everything else.
            <EmergencyBanner/>
            <TodayTasks/>
            <Transition fallback=|| view! { <p class="muted">{tr(Msg::TodayLoading)}</p> }>
                {move || data.get().map(|result| match result {
                    Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                    Ok(today) => {
                        if !marked.get_value() {
                            marked.set_value(true);
                            // For the benchmarks: the home screen shows the phone's data.
                            if let Some(p) = window().performance() {
                                let _ = p.mark("wangge:today-ready");
                            }
                        }
                        let empty = today.action.is_empty() && today.overdue.is_empty()
                            && today.mine.is_empty() && today.due.is_empty() && today.handed.is_empty();
                        let now = now_ms();
                        let handed = (today.contact_only || !today.handed.is_empty())
                            .then(|| view! { <HandedSection handed=today.handed now/> });
                        if today.contact_only {
                            return view! {
                                <p class="card muted">{tr(HandoffMsg::ContactOnlyNote)}</p>
                                {handed}
                            }.into_any();
                        }
                        view! {
                            {empty.then(|| view! {
                                <p class="card muted">{move || empty_message(&status.get()).text(use_lang().get())}</p>
                            })}
                            {handed}
                            <IssueSection title=Msg::NeedsMyAction rows=today.action all="/issues?action=1"/>
                            <IssueSection title=Msg::Overdue rows=today.overdue all="/issues?overdue=1"/>
                            <IssueSection title=Msg::MyOpenIssues rows=today.mine all="/issues?mine=1"/>
                            <DueSection due=today.due/>
                        }.into_any()
                    }
                })}
            </Transition>
            <MediationReminders/>
        </section>
    }
}

/// What an empty home screen means: still downloading, never synced, or truly nothing.
fn empty_message(sync: &SyncStatus) -> Msg {
    if sync.running && sync.last_synced.is_none() {
        Msg::FirstSyncUnderWay
    } else if sync.last_synced.is_none() {
        Msg::NoDataYet
    } else {
        Msg::NothingToday
    }
}

async fn load(store: &Store, me: &Session) -> Result<Today, StoreError> {
    let now = now_ms();
    let deadlines = Deadlines::default();
    let mut open = store.open_issues().await?;
    // Oldest first: the longer it has waited, the more it matters.
    wangge_core::sort::sort_by_key(&mut open, |r| r.state.reported_at.unwrap_or(r.issue.created_at));
    let person = &me.user.person_id;
    let units = store.my_units(person).await?;
    let handed = handed_to(&open, &units, now);
    if only_unit_contact(&me.user.roles) {
        return Ok(Today { handed, contact_only: true, ..Today::default() });
    }
    let level = me.level();
    let needs_me = |r: &IssueRow| {
        let s = &r.state;
        match s.status {
            Status::Reported | Status::Accepted | Status::Resolved => s.level == level,
            Status::InProgress => s.assignee.as_ref() == Some(person),
            Status::Returned => &r.issue.reporter == person,
            Status::Unreported | Status::Closed | Status::Withdrawn => false,
        }
    };
    let today = Today {
        action: open.iter().filter(|r| needs_me(r)).cloned().collect(),
        overdue: open.iter().filter(|r| r.state.needs_supervision(&r.issue, &deadlines, now)).cloned().collect(),
        mine: open
            .iter()
            .filter(|r| &r.issue.reporter == person || r.state.assignee.as_ref() == Some(person))
            .cloned()
            .collect(),
        due: due_list(store, now).await?,
        handed,
        contact_only: false,
    };
    Ok(today)
}

async fn due_list(store: &Store, now: i64) -> Result<Vec<(DueVisit, String)>, StoreError> {
    let schedule = VisitSchedule::default();
    let tags: Vec<_> = schedule.every_days.keys().copied().collect();
    let (households, visits) = store.households_with_visits(&tags).await?;
    let names: std::collections::HashMap<&str, &HouseholdRow> = households.iter().map(|h| (h.id.as_str(), h)).collect();
    let due = due_visits(households.iter().map(|h| &h.household), &visits, &schedule, Date::of_millis(now));
    Ok(due
        .into_iter()
        .map(|d| {
            let label = names
                .get(d.household.as_str())
                .map(|h| format!("{} · {}", h.name, h.household.address))
                .unwrap_or_default();
            (d, label)
        })
        .collect())
}

#[component]
fn IssueSection(title: Msg, rows: Vec<IssueRow>, all: &'static str) -> impl IntoView {
    let lang = use_lang();
    let route = use_route();
    let count = rows.len();
    let items = rows
        .into_iter()
        .take(SHOWN)
        .map(|r| {
            let to = Route::Issue(r.id.clone());
            let href = to.path();
            let meta = move |l: Lang| {
                let (status, level) = match l {
                    Lang::Zh => (r.state.status.label_zh(), r.state.level.label_zh()),
                    Lang::En => (r.state.status.label_en(), r.state.level.label_en()),
                };
                format!("{status} · {level}")
            };
            view! {
                <li>
                    <a class="row-link" href=href on:click=move |ev| {
                        ev.prevent_default();
                        navigate(route, to.clone());
                    }>
                        <span class="row-title">{r.title.clone()}</span>
                        <span class="row-meta">{move || meta(lang.get())}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card today-section" aria-label=tr(title)>
            <h3>{tr(title)} <span class="count">{count}</span></h3>
            {(count == 0).then(|| view! { <p class="empty">{tr(Msg::NothingYet)}</p> })}
            <ul class="list rows">{items}</ul>
            {(count > SHOWN).then(|| view! {
                <a class="see-all" href=all>{tr(Msg::SeeAll)} " (" {count} ")"</a>
            })}
        </section>
    }
}

#[component]
fn DueSection(due: Vec<(DueVisit, String)>) -> impl IntoView {
    let lang = use_lang();
    let route = use_route();
    let count = due.len();
    let items = due
        .into_iter()
        .take(SHOWN)
        .map(|(d, label)| {
            let to = Route::NewVisit(Some(d.household.to_string()));
            let href = to.path();
            let when = move |l: Lang| match (d.last_visit, d.days_overdue) {
                (None, _) => Msg::NeverVisited.text(l).to_string(),
                (Some(_), 0) => Msg::DueToday.text(l).to_string(),
                (Some(last), n) => format!(
                    "{} {last} · {} {}",
                    Msg::LastVisit.text(l),
                    n + i64::from(d.every_days),
                    Msg::DaysSinceVisit.text(l)
                ),
            };
            view! {
                <li>
                    <a class="row-link" href=href on:click=move |ev| {
                        ev.prevent_default();
                        navigate(route, to.clone());
                    }>
                        <span class="row-title">{label}</span>
                        <span class="row-meta">{move || when(lang.get())}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card today-section" aria-label=tr(Msg::DueVisits)>
            <h3>{tr(Msg::DueVisits)} <span class="count">{count}</span></h3>
            {(count == 0).then(|| view! { <p class="empty">{tr(Msg::NothingYet)}</p> })}
            <ul class="list rows">{items}</ul>
            {(count > SHOWN).then(|| view! { <a class="see-all" href="/visits">{tr(Msg::SeeAll)} " (" {count} ")"</a> })}
        </section>
    }
}
