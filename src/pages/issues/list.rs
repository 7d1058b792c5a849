//! The issue list (问题清单): filters, search, counts, a virtualized list.

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn IssueListPage() -> impl IntoView {
    view! { <Placeholder title=crate::i18n::Msg::IssuesTitle/> }
}
