//! The roster (花名册): the grid tree, households by tag, people, units.

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn RosterPage() -> impl IntoView {
    view! { <Placeholder title=crate::i18n::Msg::RosterTitle/> }
}
