//! The dashboard (统计) for community staff and above: headline figures and SVG charts.

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <Placeholder title=crate::i18n::dashboard::DashMsg::DashTitle/> }
}
