//! Mediation cases (调解案件) on the phone, offline: the list, a new case (from scratch or
//! from a 矛盾纠纷 issue), the case screen (parties, sessions, agreement terms, outcome,
//! fulfilment) and the printable agreement (人民调解协议书). For anyone who works the grid
//! (grid workers and staff); an account that only answers for a unit reads why not. Every
//! save is checked with the core (`mediation::check`) and written by `store` in one
//! transaction with its outbox entry.

pub mod agreement;
pub mod case;
pub mod data;
pub mod kept;
pub mod list;
pub mod new;
pub mod outcome;
pub mod party;
pub mod session;
pub mod terms;
pub mod words;

pub use agreement::AgreementPage;
pub use case::CasePage;
pub use list::CasesPage;
pub use new::NewCasePage;

use leptos::prelude::*;
use wangge_core::people::only_unit_contact;

use crate::context::session;
use crate::i18n::mediation::MedMsg;
use crate::i18n::tr;

/// Whether the signed-in user mediates (works the grid, not only a unit's contact).
pub fn may_mediate() -> bool {
    !only_unit_contact(&session().user.roles)
}

/// The screens are for people who work the grid; anyone else reaching the URL reads why not.
fn refused() -> Option<AnyView> {
    (!may_mediate()).then(|| {
        view! {
            <section class="page">
                <h2>{tr(MedMsg::Title)}</h2>
                <p class="card note">{tr(MedMsg::NotForContacts)}</p>
            </section>
        }
        .into_any()
    })
}
