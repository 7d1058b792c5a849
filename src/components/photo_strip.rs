//! A record's photos as thumbnails (an issue step, a visit, a mediation session), read
//! from the phone's photo store as object URLs (revoked when the view goes). A thumbnail
//! the phone lacks is fetched when online and kept. Tapping one opens the full photo: from
//! the store, else fetched and kept, else "联网后可查看原图".

use leptos::prelude::*;
use wangge_core::photo::PhotoRef;
use web_sys::Blob;

use crate::context::{use_session, use_store};
use crate::i18n::photos::PhotoMsg;
use crate::i18n::tr;
use crate::photos::{js, object_url, revoke};
use crate::store::Store;

#[component]
pub fn PhotoStrip(photos: Vec<PhotoRef>) -> impl IntoView {
    if photos.is_empty() {
        return ().into_any();
    }
    let open = RwSignal::new(None::<PhotoRef>);
    let items = photos.into_iter().map(|p| view! { <li><Thumb photo=p open/></li> }).collect_view();
    view! {
        <ul class="photo-strip shown">{items}</ul>
        {move || open.get().map(|p| view! { <FullPhoto photo=p on_close=move || open.set(None)/> })}
    }
    .into_any()
}

/// Shows `blob` loaded for `hash` in `url` once it arrives; revokes it with the view.
fn show_in(url: RwSignal<Option<String>>, hash: String, thumb: bool) {
    let (store, token) = (use_store(), use_session().get_untracked().map(|s| s.token));
    leptos::task::spawn_local(async move {
        let blob = load(&store, token.as_deref(), &hash, thumb).await;
        let shown = blob.as_ref().map(object_url);
        // The view may have gone while the photo loaded: then nothing holds the URL.
        if let Some(Some(u)) = url.try_set(Some(shown.unwrap_or_default())) {
            revoke(&u);
        }
    });
    on_cleanup(move || {
        if let Some(Some(u)) = url.try_get_untracked() {
            revoke(&u);
        }
    });
}

/// The photo from the store, else from the server (kept for next time) when online.
async fn load(store: &Store, token: Option<&str>, hash: &str, thumb: bool) -> Option<Blob> {
    if let Ok(Some(blob)) = store.photo_blob(hash).await {
        return Some(blob);
    }
    let online = web_sys::window().is_some_and(|w| w.navigator().on_line());
    let blob = js::fetch(token.filter(|_| online)?, hash).await.ok()?;
    let _ = store.keep_fetched_photo(hash, &blob, thumb).await;
    Some(blob)
}

#[component]
fn Thumb(photo: PhotoRef, open: RwSignal<Option<PhotoRef>>) -> impl IntoView {
    let url = RwSignal::new(None::<String>);
    show_in(url, photo.thumb.to_string(), true);
    view! {
        <button type="button" class="photo-open" on:click=move |_| open.set(Some(photo.clone()))>
            <img class="photo-thumb" src=move || url.get().unwrap_or_default() alt=tr(PhotoMsg::Photos)/>
        </button>
    }
}

#[component]
fn FullPhoto(photo: PhotoRef, on_close: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let url = RwSignal::new(None::<String>);
    show_in(url, photo.hash.to_string(), false);
    view! {
        <div class="photo-view" role="dialog" aria-modal="true" aria-label=tr(PhotoMsg::Photos)>
            {move || match url.get() {
                None => view! { <p class="muted" role="status">{tr(PhotoMsg::Loading)}</p> }.into_any(),
                Some(u) if u.is_empty() => view! { <p class="photo-offline" role="status">{tr(PhotoMsg::FullOffline)}</p> }.into_any(),
                Some(u) => view! { <img class="photo-full" src=u alt=tr(PhotoMsg::Photos)/> }.into_any(),
            }}
            <button type="button" class="button small" on:click=move |_| on_close()>{tr(PhotoMsg::Close)}</button>
        </div>
    }
}
