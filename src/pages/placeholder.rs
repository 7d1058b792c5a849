//! Screens not built yet show their title and an empty state, and unknown paths a way home.

use leptos::prelude::*;

use crate::i18n::{tr, Msg};
use crate::route::{navigate, use_route, Route};

#[component]
pub fn Placeholder(title: Msg) -> impl IntoView {
    view! {
        <section class="page">
            <h2>{tr(title)}</h2>
            <p class="empty">{tr(Msg::NothingYet)}</p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let route = use_route();
    view! {
        <section class="page">
            <h2>{tr(Msg::NotFound)}</h2>
            <button class="button" on:click=move |_| navigate(route, Route::Today)>
                {tr(Msg::BackToToday)}
            </button>
        </section>
    }
}
