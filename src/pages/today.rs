//! Today (今日): the grid worker's home screen — due visits, open issues, overdue ones.
//! The lists fill in once the on-device store lands; the sections are the layout.

use leptos::prelude::*;

use crate::i18n::{tr, Msg};

#[component]
pub fn TodayPage() -> impl IntoView {
    view! {
        <section class="page" aria-labelledby="today-title">
            <h2 id="today-title">{tr(Msg::TodayTitle)}</h2>
            <TodaySection title=Msg::DueVisits/>
            <TodaySection title=Msg::MyOpenIssues/>
            <TodaySection title=Msg::Overdue/>
        </section>
    }
}

#[component]
fn TodaySection(title: Msg) -> impl IntoView {
    view! {
        <section class="card">
            <h3>{tr(title)}</h3>
            <p class="empty">{tr(Msg::NothingYet)}</p>
        </section>
    }
}
