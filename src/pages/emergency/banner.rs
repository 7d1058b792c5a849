//! Today's red banner while the user's node or one above it is in emergency: "紧急状态 ·
//! 暴雨 · 自12月7日 10:00起", a tap to the emergency screen. It reads only the emergencies
//! and the tree, again after every sync; with none on it shows nothing.

use leptos::prelude::*;

use super::headline;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::i18n::use_lang;

#[component]
pub fn EmergencyBanner() -> impl IntoView {
    let store = use_store();
    let lang = use_lang();
    let home = session().user.home_grid;
    let on = reload(move || {
        let (store, home) = (store.clone(), home.clone());
        Box::pin(async move { store.active_emergency(&home).await })
    });
    move || {
        on.get().and_then(Result::ok).flatten().map(|e| {
            let reason = e.reason.to_string();
            view! {
                <AppLink href="/emergency" class="emergency-banner">
                    <strong>{move || headline(&e, lang.get())}</strong>
                    <span class="emergency-reason">{reason}</span>
                </AppLink>
            }
        })
    }
}
