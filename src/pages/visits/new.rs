//! Recording a visit in a few taps.

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn NewVisitPage(household: Option<String>) -> impl IntoView {
    let _ = household;
    view! { <Placeholder title=crate::i18n::visits::VisitMsg::RecordVisit/> }
}
