//! Settings' photo block: upload only on Wi-Fi or also on mobile data (default: always;
//! honoured where the browser tells the link type), and whether thumbnail prefetching is
//! paused because the phone is short of storage.

use leptos::prelude::*;

use crate::i18n::photos::PhotoMsg;
use crate::i18n::tr;
use crate::photos::js;
use crate::sync::photos::{prefetch_paused, set_wifi_only, wifi_only};

#[component]
pub fn PhotoSettings() -> impl IntoView {
    let wifi = RwSignal::new(wifi_only());
    let low = RwSignal::new(prefetch_paused());
    leptos::task::spawn_local(async move {
        if js::storage_low().await {
            let _ = low.try_set(true);
        }
    });
    let choose = move |on: bool| {
        set_wifi_only(on);
        wifi.set(on);
    };
    view! {
        <fieldset class="card photo-settings">
            <legend>{tr(PhotoMsg::UploadTitle)}</legend>
            <label class="choice">
                <input type="radio" name="photo-upload" prop:checked=move || wifi.get() on:change=move |_| choose(true)/>
                {tr(PhotoMsg::WifiOnly)}
            </label>
            <label class="choice">
                <input type="radio" name="photo-upload" prop:checked=move || !wifi.get() on:change=move |_| choose(false)/>
                {tr(PhotoMsg::AlsoMobile)}
            </label>
            <p class="muted">{tr(PhotoMsg::UploadHint)}</p>
            {move || low.get().then(|| view! { <p class="error" role="status">{tr(PhotoMsg::PrefetchPaused)}</p> })}
        </fieldset>
    }
}
