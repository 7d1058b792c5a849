//! The online/offline badge in the header, following the browser's connectivity events.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::i18n::{tr, use_lang, Msg, Text};

#[component]
pub fn OnlineBadge() -> impl IntoView {
    let lang = use_lang();
    let online = RwSignal::new(window().navigator().on_line());
    for (event, value) in [("online", true), ("offline", false)] {
        let cb = Closure::<dyn Fn()>::new(move || online.set(value));
        let _ = window().add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
        // The badge lives as long as the page.
        cb.forget();
    }
    view! {
        <span class="badge" class:offline=move || !online.get() role="status"
            title=tr(Msg::OfflineHint)>
            {move || if online.get() { Msg::Online } else { Msg::Offline }.text(lang.get())}
        </span>
    }
}
