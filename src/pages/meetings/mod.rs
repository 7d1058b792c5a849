//! Meetings (会议记录): the joint committee's monthly meeting (联席会议) and the on-site
//! office (现场办公) — the list, opening one, deciding its items (研判) and the printable
//! minutes (纪要). For people handling the community rung or above (`Session::is_staff`;
//! grid workers and unit contacts never see it). Every write goes through `store` in one
//! transaction with its outbox entries, so a meeting held with no signal syncs later.

pub mod committee;
pub mod data;
pub mod decide;
pub mod item_photos;
pub mod items;
pub mod list;
pub mod meeting;
pub mod minutes;
pub mod new;
pub mod subnav;
pub mod words;

pub use list::MeetingsPage;
pub use meeting::MeetingPage;
pub use minutes::MinutesPage;
pub use new::NewMeetingPage;

use leptos::prelude::*;

use crate::context::session;
use crate::i18n::meetings::MeetMsg;
use crate::i18n::tr;

/// The screens are for staff; anyone else reaching the URL reads why not.
fn staff_only() -> Option<AnyView> {
    (!session().is_staff()).then(|| {
        view! {
            <section class="page">
                <h2>{tr(MeetMsg::Title)}</h2>
                <p class="card note">{tr(MeetMsg::StaffOnly)}</p>
            </section>
        }
        .into_any()
    })
}
