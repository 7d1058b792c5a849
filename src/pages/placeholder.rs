//! An unknown path gets a way home; a screen still being built shows its title.

use leptos::prelude::*;

use crate::i18n::{tr, Msg, Text};
use crate::route::{navigate, use_route, Route};

#[component]
pub fn Placeholder<M: Text>(title: M) -> impl IntoView {
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
