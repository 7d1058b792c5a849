//! The bottom tab bar: the five places a person goes, reachable with one thumb. A grid
//! worker's fifth-most-used place is Visits; community staff and above get the
//! Dashboard (统计) there instead, and a sixth tab, Meetings (会议); a unit's contact gets
//! three (Today, Issues, Settings). A tab stays lit on its
//! sub-screens (a household is part of the Roster).

use leptos::prelude::*;

use wangge_core::people::only_unit_contact;

use crate::context::use_session;
use crate::i18n::{tr, Msg};
use crate::route::{navigate, use_route, Route};

const WORKER_TABS: [(Route, Msg, &str); 5] = [
    (Route::Today, Msg::NavToday, "◉"),
    (Route::Issues, Msg::NavIssues, "☰"),
    (Route::Visits, Msg::NavVisits, "⌂"),
    (Route::Roster, Msg::NavRoster, "▦"),
    (Route::Settings, Msg::NavSettings, "⚙"),
];

/// An account that only answers for a unit sees only what is handed to it: no visits,
/// no residents' ledger to open.
const CONTACT_TABS: [(Route, Msg, &str); 3] = [
    (Route::Today, Msg::NavToday, "◉"),
    (Route::Issues, Msg::NavIssues, "☰"),
    (Route::Settings, Msg::NavSettings, "⚙"),
];

const STAFF_TABS: [(Route, Msg, &str); 6] = [
    (Route::Today, Msg::NavToday, "◉"),
    (Route::Issues, Msg::NavIssues, "☰"),
    (Route::Dashboard, Msg::NavDashboard, "▥"),
    (Route::Meetings, Msg::NavMeetings, "▤"),
    (Route::Roster, Msg::NavRoster, "▦"),
    (Route::Settings, Msg::NavSettings, "⚙"),
];

/// The tab a screen belongs to (`staff`: the committee's tabs are shown).
fn section(route: &Route, staff: bool) -> Route {
    match route {
        Route::NewIssue | Route::Issue(_) => Route::Issues,
        Route::NewVisit(_) => Route::Visits,
        Route::Household(_) | Route::NewHousehold => Route::Roster,
        Route::MeetingList => Route::Dashboard,
        Route::NewMeeting | Route::Meeting(_) | Route::Minutes(_) => Route::Meetings,
        Route::Lists | Route::NewListEntry | Route::ListEntry(_) | Route::EditListEntry(_) => Route::Meetings,
        // Staff reach mediation from the committee's sub-nav (会议|三张清单|调解); a grid
        // worker from Today's reminders (and an issue's screen).
        Route::Mediations | Route::NewCase | Route::Case(_) | Route::Agreement(_) if staff => Route::Meetings,
        Route::Mediations | Route::NewCase | Route::Case(_) | Route::Agreement(_) => Route::Today,
        // Staff send and follow tasks beside the committee's other work (会议|…|任务); a grid
        // worker meets hers on Today.
        Route::Tasks | Route::NewTask | Route::Task(_) | Route::TaskBoard(_) if staff => Route::Meetings,
        Route::Tasks | Route::NewTask | Route::Task(_) | Route::TaskBoard(_) => Route::Today,
        // Staff open the assessment from the dashboard; a worker from Settings (her "more").
        Route::Assess if staff => Route::Dashboard,
        Route::Assess => Route::Settings,
        // Staff reach the emergency screen from the committee's sub-nav; everyone else from
        // Today's red banner.
        Route::Emergency if staff => Route::Meetings,
        Route::Emergency => Route::Today,
        other => other.clone(),
    }
}

#[component]
pub fn BottomNav() -> impl IntoView {
    let route = use_route();
    let session = use_session();
    let staff = Memo::new(move |_| session.with(|s| s.as_ref().is_some_and(|s| s.is_staff())));
    let contact = Memo::new(move |_| session.with(|s| s.as_ref().is_some_and(|s| only_unit_contact(&s.user.roles))));
    let tabs = move || {
        let tabs: &[_] = match (staff.get(), contact.get()) {
            (true, _) => &STAFF_TABS,
            (false, true) => &CONTACT_TABS,
            (false, false) => &WORKER_TABS,
        };
        tabs.iter()
            .cloned()
            .map(|(to, label, icon)| {
                let here = to.clone();
                let current = move || section(&route.get(), staff.get()) == here;
                view! {
                    <a href=to.path() class="tab" class:active=current.clone()
                        aria-current=move || current().then_some("page")
                        on:click=move |ev| {
                            // Stay in the app: no page load, just a history entry.
                            ev.prevent_default();
                            navigate(route, to.clone());
                        }>
                        <span class="tab-icon" aria-hidden="true">{icon}</span>
                        <span>{tr(label)}</span>
                    </a>
                }
            })
            .collect_view()
    };
    // Staff have a sixth tab, 会议 (`style/meetings.css` gives the bar six columns).
    view! { <nav class="bottomnav" class:six=staff class:three=contact aria-label=tr(Msg::MainNav)>{tabs}</nav> }
}
