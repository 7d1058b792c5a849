//! The one way a screen says its read of the phone's store failed: the error in the
//! worker's language, announced (`role=alert`). A failed read is never shown as an empty
//! list — "no one is due a visit" must be true.

use leptos::prelude::*;

use crate::i18n::use_lang;
use crate::store::StoreError;

#[component]
pub fn ReadFailed(error: StoreError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }
}
