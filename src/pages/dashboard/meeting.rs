//! The printable monthly issue list for the joint meeting (问题清单).

use leptos::prelude::*;

use crate::pages::placeholder::Placeholder;

#[component]
pub fn MeetingListPage() -> impl IntoView {
    view! { <Placeholder title=crate::i18n::dashboard::DashMsg::DashTitle/> }
}
