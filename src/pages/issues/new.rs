//! Reporting a new issue (上报问题): the form, validated by the core, saved offline.

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn NewIssuePage() -> impl IntoView {
    view! { <Placeholder title=crate::i18n::issues::IssueMsg::NewIssue/> }
}
