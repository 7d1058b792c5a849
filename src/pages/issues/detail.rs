//! One issue: its timeline, the actions the role allows, and any sync conflict.

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn IssueDetailPage(id: String) -> impl IntoView {
    let _ = id;
    view! { <Placeholder title=crate::i18n::Msg::IssuesTitle/> }
}
