//! The photo picker on a form: take a photo with the camera or choose one from the album,
//! see the chosen thumbnails, remove one, and (on issue steps) say what each shows. The
//! chosen photos live in the form's [`Picked`], so a background sync never drops them.

use leptos::prelude::*;
use wangge_core::photo::PhotoStage;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use crate::format::now_ms;
use crate::i18n::photos::PhotoMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::core_label;
use crate::photos::{js, object_url, revoke, Chosen, Picked};

/// The stages an issue step's photo can show.
pub const STEP_STAGES: &[PhotoStage] = &[PhotoStage::Before, PhotoStage::During, PhotoStage::After];

#[component]
pub fn PhotoPicker(
    picked: Picked,
    /// The stages to choose from; one (a visit's, a session's 现场) shows no select.
    #[prop(default = &[])]
    stages: &'static [PhotoStage],
) -> impl IntoView {
    let lang = use_lang();
    let (busy, problem) = (RwSignal::new(0u32), RwSignal::new(None::<PhotoMsg>));
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        let files: Vec<web_sys::File> = match input.files() {
            Some(list) => (0..list.length()).filter_map(|i| list.get(i)).collect(),
            None => return,
        };
        input.set_value("");
        problem.set((files.len() > picked.room()).then_some(PhotoMsg::TooMany));
        for file in files.into_iter().take(picked.room()) {
            busy.update(|b| *b += 1);
            leptos::task::spawn_local(async move {
                match js::prepare(&file).await {
                    Some(photo) if picked.room() > 0 => {
                        let url = object_url(&photo.thumb_blob);
                        let chosen = Chosen { photo, url, stage: picked.stage, taken_at: now_ms() };
                        picked.list.update(|l| l.push(chosen));
                    }
                    Some(_) => problem.set(Some(PhotoMsg::TooMany)),
                    None => problem.set(Some(PhotoMsg::Unreadable)),
                }
                busy.update(|b| *b -= 1);
            });
        }
    };
    let full = move || picked.full();
    let remove = move |hash: String| {
        picked.list.update(|l| {
            if let Some(i) = l.iter().position(|c| c.photo.hash == hash) {
                revoke(&l.remove(i).url);
            }
        })
    };
    let set_stage = move |hash: String, code: String| {
        picked.list.update(|l| {
            if let (Some(c), Some(s)) = (l.iter_mut().find(|c| c.photo.hash == hash), PhotoStage::from_code(&code)) {
                c.stage = s;
            }
        })
    };
    let items = move || {
        picked.list.with(|l| {
            l.iter()
                .map(|c| {
                    let (h1, h2, stage) = (c.photo.hash.clone(), c.photo.hash.clone(), c.stage);
                    view! {
                        <li class="photo-item">
                            <img class="photo-thumb" src=c.url.clone() alt=tr(PhotoMsg::Photos)/>
                            {(stages.len() > 1).then(|| view! {
                                <select class="photo-stage" aria-label=tr(PhotoMsg::Stage)
                                    on:change=move |ev| set_stage(h1.clone(), event_target_value(&ev))>
                                    {stages.iter().map(|s| view! {
                                        <option value=s.code() selected=*s == stage>{move || core_label!(s, lang.get())}</option>
                                    }).collect_view()}
                                </select>
                            })}
                            <button type="button" class="link photo-remove" aria-label=tr(PhotoMsg::Remove)
                                on:click=move |_| remove(h2.clone())>"×"</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="field photo-picker">
            <span>{tr(PhotoMsg::Photos)}</span>
            <ul class="photo-strip">{items}</ul>
            <div class="photo-add">
                <label class="button small secondary" class:disabled=full>{tr(PhotoMsg::TakePhoto)}
                    <input class="visually-hidden" type="file" accept="image/*" capture="environment"
                        data-photo-input="camera" disabled=full on:change=on_files/>
                </label>
                <label class="button small secondary" class:disabled=full>{tr(PhotoMsg::FromAlbum)}
                    <input class="visually-hidden" type="file" accept="image/*" multiple
                        data-photo-input="album" disabled=full on:change=on_files/>
                </label>
            </div>
            {move || (busy.get() > 0).then(|| view! { <p class="muted" role="status">{tr(PhotoMsg::Preparing)}</p> })}
            {move || problem.get().map(|m| view! { <p class="field-error" role="alert">{move || m.text(lang.get())}</p> })}
        </div>
    }
}
