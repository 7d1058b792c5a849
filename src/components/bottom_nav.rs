//! The bottom tab bar: the five places a worker goes, reachable with one thumb.

use leptos::prelude::*;

use crate::i18n::{tr, Msg};
use crate::route::{navigate, use_route, Route};

const TABS: [(Route, Msg, &str); 5] = [
    (Route::Today, Msg::NavToday, "◉"),
    (Route::Issues, Msg::NavIssues, "☰"),
    (Route::Visits, Msg::NavVisits, "⌂"),
    (Route::Roster, Msg::NavRoster, "▦"),
    (Route::Settings, Msg::NavSettings, "⚙"),
];

#[component]
pub fn BottomNav() -> impl IntoView {
    let route = use_route();
    let tabs = TABS.map(|(to, label, icon)| {
        let here = to.clone();
        let current = move || route.get() == here;
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
    });
    view! { <nav class="bottomnav" aria-label=tr(Msg::MainNav)>{tabs.into_iter().collect_view()}</nav> }
}
