//! Settings (设置): language switch and the app version, for now.

use leptos::prelude::*;

use crate::i18n::{tr, use_lang, Lang, Msg, Text};
use crate::store::{remembered_persistence, Persistence};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let choose = move |l: Lang| {
        l.save();
        lang.set(l);
    };
    view! {
        <section class="page">
            <h2>{tr(Msg::SettingsTitle)}</h2>
            <fieldset class="card">
                <legend>{tr(Msg::Language)}</legend>
                <label class="choice">
                    <input type="radio" name="lang" prop:checked=move || lang.get() == Lang::Zh
                        on:change=move |_| choose(Lang::Zh)/>
                    "中文"
                </label>
                <label class="choice">
                    <input type="radio" name="lang" prop:checked=move || lang.get() == Lang::En
                        on:change=move |_| choose(Lang::En)/>
                    "English"
                </label>
            </fieldset>
            <p class="card">
                {tr(Msg::StoragePersistence)} ": "
                {move || match remembered_persistence() {
                    Some(Persistence::Granted) => Msg::PersistGranted,
                    _ => Msg::PersistDenied,
                }.text(lang.get())}
            </p>
            <p class="muted">{tr(Msg::AppVersion)} " " {env!("CARGO_PKG_VERSION")}</p>
        </section>
    }
}
