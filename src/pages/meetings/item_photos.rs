//! Photos of an on-site office's items (现场办公, #16): the problem as taken on the spot
//! (现场 by default; 处理前 / 处理后 offered). The picker is owned by the meeting page, so a
//! sync landing while the worker is choosing keeps the form and the chosen photos; saving
//! is one `Store::add_item_photos`, the item field and the photos' bytes together.

use leptos::prelude::*;
use wangge_core::photo::PhotoStage;
use wangge_core::{IssueId, MeetingId};

use super::data::Shown;
use crate::components::photo_picker::PhotoPicker;
use crate::context::{use_store, use_sync};
use crate::i18n::meetings::MeetMsg;
use crate::i18n::{tr, use_lang};
use crate::photos::Picked;

/// What a photo of an on-site office's problem can show.
const ITEM_STAGES: &[PhotoStage] = &[PhotoStage::Scene, PhotoStage::Before, PhotoStage::After];

/// Which item's picker is open, and what it holds.
#[derive(Clone, Copy)]
pub struct PhotoDraft {
    pub open: RwSignal<Option<String>>,
    picked: Picked,
    failure: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

/// Created with the page (its photos' preview URLs are revoked with it).
impl Default for PhotoDraft {
    fn default() -> PhotoDraft {
        PhotoDraft {
            open: RwSignal::new(None),
            picked: Picked::new(PhotoStage::Scene),
            failure: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }
}

impl PhotoDraft {
    /// Opens the picker of `issue`, empty.
    pub fn start(self, issue: String) {
        self.close();
        self.open.set(Some(issue));
    }

    fn close(self) {
        self.open.set(None);
        self.picked.clear();
        self.failure.set(None);
        self.busy.set(false);
    }
}

/// The picker of one item, built once when it opens: a data change does not rebuild it.
#[component]
pub fn ItemPhotoForm(issue: String, shown: Shown, draft: PhotoDraft) -> impl IntoView {
    let lang = use_lang();
    let (store, sync) = (use_store(), use_sync());
    let title = shown.scope.issues.get(&issue).map(|r| r.title.clone()).unwrap_or_else(|| issue.clone());
    let meeting: MeetingId = shown.meeting.id.clone();
    let save = move |_| {
        let Ok(id) = IssueId::parse(issue.clone()) else { return };
        if draft.picked.list.with_untracked(Vec::is_empty) {
            return draft.close();
        }
        let (store, meeting) = (store.clone(), meeting.clone());
        draft.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = store.add_item_photos(&meeting, &id, draft.picked.refs(), &draft.picked.bytes()).await;
            match result {
                Ok(_) => {
                    draft.close();
                    sync.changed();
                }
                Err(e) => {
                    draft.failure.set(Some(e.message(lang.get_untracked())));
                    draft.busy.set(false);
                }
            }
        });
    };
    view! {
        <section class="card item-photos" aria-labelledby="item-photos-title">
            <h3 id="item-photos-title">{tr(MeetMsg::PhotosOf)} {title}</h3>
            <PhotoPicker picked=draft.picked stages=ITEM_STAGES/>
            {move || draft.failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-buttons">
                <button type="button" class="button" disabled=move || draft.busy.get() on:click=save>{tr(MeetMsg::SavePhotos)}</button>
                <button type="button" class="button secondary" on:click=move |_| draft.close()>{tr(MeetMsg::Cancel)}</button>
            </div>
        </section>
    }
}
