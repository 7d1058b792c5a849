//! One household: members, tags, visit history and issues.

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn HouseholdPage(id: String) -> impl IntoView {
    let _ = id;
    view! { <Placeholder title=crate::i18n::roster::RosterMsg::Households/> }
}
