//! Small helpers the three issue screens share: the core's zh/en labels in the current
//! language, fresh random bytes for ids, the role a user acts in, and in-app links.

use leptos::prelude::*;
use wangge_core::grid::EscalationLevel;
use wangge_core::people::Role;

use crate::route::{navigate, use_route, Route};
use crate::session::Session;

/// The core's label of a `labelled_enum!` value (or anything with `label_zh`/`label_en`)
/// in the given language.
macro_rules! core_label {
    ($value:expr, $lang:expr) => {
        match $lang {
            $crate::i18n::Lang::Zh => $value.label_zh(),
            $crate::i18n::Lang::En => $value.label_en(),
        }
    };
}
pub(crate) use core_label;

/// The core's message of a `DomainError` or `TransitionError` in the given language.
macro_rules! core_message {
    ($err:expr, $lang:expr) => {
        match $lang {
            $crate::i18n::Lang::Zh => $err.message_zh(),
            $crate::i18n::Lang::En => $err.message_en(),
        }
    };
}
pub(crate) use core_message;

/// Ten random bytes for a ULID. `Math.random` is not a cryptographic source, but ids only
/// need to be unlikely to collide: 80 bits drawn per id, next to the millisecond time.
pub fn random_bytes() -> [u8; 10] {
    std::array::from_fn(|_| (js_sys::Math::random() * 256.0) as u8)
}

/// The role the user acts in on an issue at `level`: the one that handles that rung, else
/// their highest handling role, else their first role (a resident's role, e.g. a red steward).
pub fn acting_role(session: &Session, level: EscalationLevel) -> Role {
    let roles = &session.user.roles;
    roles
        .iter()
        .find(|r| r.handles_at() == Some(level))
        .or_else(|| roles.iter().filter(|r| r.handles_at().is_some()).max_by_key(|r| r.handles_at()))
        .or_else(|| roles.first())
        .copied()
        .unwrap_or(Role::GridWorker)
}

/// A link that moves inside the app (a history entry, no page load).
#[component]
pub fn AppLink(to: Route, #[prop(optional, into)] class: Option<&'static str>, children: Children) -> impl IntoView {
    let route = use_route();
    let href = to.path();
    view! {
        <a href=href class=class on:click=move |ev| {
            ev.prevent_default();
            navigate(route, to.clone());
        }>{children()}</a>
    }
}
