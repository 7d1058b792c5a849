//! Visits (走访): households due a visit and recent visits.

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn VisitsPage() -> impl IntoView {
    view! { <Placeholder title=crate::i18n::Msg::VisitsTitle/> }
}
