//! Conflicts (同步冲突): field edits that lost to a newer value on the server, to settle,
//! and changes the server refused, with its reason.

use leptos::prelude::*;

use crate::context::{use_store, use_sync};
use crate::i18n::sync::SyncMsg;
use crate::i18n::tr;

#[component]
pub fn ConflictsPage() -> impl IntoView {
    let store = send_wrapper::SendWrapper::new(use_store());
    let sync = use_sync();
    let data = LocalResource::new(move || {
        sync.data_version().track();
        let store = (*store).clone();
        async move {
            let conflicts = store.open_conflicts().await.unwrap_or_default();
            let rejected = store.rejected_changes().await.unwrap_or_default();
            (conflicts, rejected)
        }
    });
    view! {
        <section class="page" aria-labelledby="conflicts-title">
            <h2 id="conflicts-title">{tr(SyncMsg::ConflictsTitle)}</h2>
            <Suspense>
                {move || data.get().map(|(conflicts, rejected)| view! {
                    {conflicts.is_empty().then(|| view! { <p class="empty">{tr(SyncMsg::ConflictsNone)}</p> })}
                    <ul class="list">
                        {conflicts.into_iter().map(|c| view! {
                            <li class="card conflict">
                                <p>{tr(SyncMsg::Field)} ": " {c.field.clone()}</p>
                                <p>{tr(SyncMsg::ServerValue)} ": " {c.server_value.to_string()}</p>
                                <p>{tr(SyncMsg::MyValue)} ": " {c.device_value.to_string()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(!rejected.is_empty()).then(|| view! { <h3>{tr(SyncMsg::RejectedTitle)}</h3> })}
                    <ul class="list">
                        {rejected.into_iter().map(|r| view! {
                            <li class="card rejected"><p>{r.message.clone()}</p></li>
                        }).collect_view()}
                    </ul>
                })}
            </Suspense>
        </section>
    }
}
