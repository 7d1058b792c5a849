//! The row of links at the top of the 会议 tab's screens: the meetings themselves and the
//! three lists the joint meeting goes through (三张清单), the mediation cases (调解) and
//! the tasks sent down the grid (任务) and emergency mode (紧急状态).
//! One component: another area of the committee's work is one more entry in [`LINKS`].

use leptos::prelude::*;

use crate::components::roster_link::AppLink;
use crate::i18n::emergency::EmergencyMsg;
use crate::i18n::lists::ListMsg;
use crate::i18n::mediation::MedMsg;
use crate::i18n::tasks::TaskMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::route::{use_route, Route};

/// Whether a route counts as being at a link.
type Here = fn(&Route) -> bool;
/// A link's name in a language (any area's message table).
type Name = fn(Lang) -> &'static str;

/// Each link: where it goes, the routes that count as being there, and its name.
const LINKS: [(&str, Here, Name); 5] = [
    ("/meetings", |r| matches!(r, Route::Meetings), |l| ListMsg::Meetings.text(l)),
    ("/lists", |r| matches!(r, Route::Lists), |l| ListMsg::Title.text(l)),
    ("/mediation", |r| matches!(r, Route::Mediations), |l| MedMsg::Title.text(l)),
    ("/tasks", |r| matches!(r, Route::Tasks), |l| TaskMsg::Title.text(l)),
    ("/emergency", |r| matches!(r, Route::Emergency), |l| EmergencyMsg::Title.text(l)),
];

#[component]
pub fn MeetNav() -> impl IntoView {
    let route = use_route();
    let lang = use_lang();
    view! {
        <nav class="subnav no-print" aria-label=tr(ListMsg::Meetings)>
            {LINKS.map(|(href, here, name)| view! {
                <span class:active=move || here(&route.get())
                    aria-current=move || here(&route.get()).then_some("page")>
                    <AppLink href=href>{move || name(lang.get())}</AppLink>
                </span>
            }).into_iter().collect_view()}
        </nav>
    }
}
