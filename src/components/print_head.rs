//! The row above a printable sheet (minutes, an agreement): back to the record, and 打印.
//! Hidden in print. One component for every printable page, in each area's own words.

use leptos::prelude::*;

use crate::components::roster_link::AppLink;
use crate::i18n::{use_lang, Lang};

/// `back_label` and `print_label` give the words in a language (the area's message table).
#[component]
pub fn PrintHead(
    back: String,
    back_label: fn(Lang) -> &'static str,
    print_label: fn(Lang) -> &'static str,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="page-head no-print">
            <AppLink href=back class="small-link">"‹ " {move || back_label(lang.get())}</AppLink>
            <button type="button" class="button" on:click=move |_| { let _ = window().print(); }>
                {move || print_label(lang.get())}
            </button>
        </div>
    }
}
