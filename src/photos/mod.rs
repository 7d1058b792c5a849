//! Photos taken on this phone, before they are saved: [`Picked`] holds what a form's photo
//! picker chose (the re-encoded bytes, their hashes, a preview URL and the stage), and
//! turns it into the core's [`PhotoRef`]s for the record and the store's [`PhotoBytes`]
//! for the same transaction. The browser does the image work (`js`, `photo.js`).

pub mod js;

use leptos::prelude::*;
use wangge_core::photo::{PhotoHash, PhotoRef, PhotoStage, MAX_PHOTOS_PER_STEP};

use crate::store::PhotoBytes;

/// One chosen photo.
#[derive(Clone)]
pub struct Chosen {
    pub photo: js::Prepared,
    /// An object URL of the thumbnail for the preview (revoked when removed or saved).
    pub url: String,
    pub stage: PhotoStage,
    pub taken_at: i64,
}

/// A form's chosen photos. Lives in the form (above what a sync re-renders), so a
/// background sync never drops them. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Picked {
    pub list: RwSignal<Vec<Chosen>, LocalStorage>,
    /// The stage new photos get (the form's select can change each one).
    pub stage: PhotoStage,
}

impl Picked {
    pub fn new(stage: PhotoStage) -> Picked {
        let list = RwSignal::new_local(Vec::<Chosen>::new());
        on_cleanup(move || list.with_untracked(|l| l.iter().for_each(|c| revoke(&c.url))));
        Picked { list, stage }
    }

    /// Room for more (at most [`MAX_PHOTOS_PER_STEP`]), as of now (untracked).
    pub fn room(self) -> usize {
        MAX_PHOTOS_PER_STEP.saturating_sub(self.list.with_untracked(Vec::len))
    }

    /// Whether the step has all the photos it may carry (tracked, for the view).
    pub fn full(self) -> bool {
        self.list.with(Vec::len) >= MAX_PHOTOS_PER_STEP
    }

    /// The references the saved record carries.
    pub fn refs(self) -> Vec<PhotoRef> {
        self.list.with_untracked(|l| {
            l.iter()
                .filter_map(|c| {
                    Some(PhotoRef {
                        hash: PhotoHash::parse(&c.photo.hash).ok()?,
                        thumb: PhotoHash::parse(&c.photo.thumb).ok()?,
                        stage: c.stage,
                        taken_at: c.taken_at,
                    })
                })
                .collect()
        })
    }

    /// The bytes to keep with the record: each photo and its thumbnail.
    pub fn bytes(self) -> Vec<PhotoBytes> {
        self.list.with_untracked(|l| {
            l.iter()
                .flat_map(|c| {
                    let p = &c.photo;
                    [
                        PhotoBytes { hash: p.hash.clone(), blob: p.blob.clone(), thumb: false },
                        PhotoBytes { hash: p.thumb.clone(), blob: p.thumb_blob.clone(), thumb: true },
                    ]
                })
                .collect()
        })
    }

    /// Empties the picker after a save.
    pub fn clear(self) {
        self.list.update(|l| l.drain(..).for_each(|c| revoke(&c.url)));
    }
}

/// A step's photos show work under way unless the worker says otherwise.
impl Default for Picked {
    fn default() -> Picked {
        Picked::new(PhotoStage::During)
    }
}

/// An object URL for a blob the page shows (revoke it with [`revoke`]).
pub fn object_url(blob: &web_sys::Blob) -> String {
    web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default()
}

pub fn revoke(url: &str) {
    if !url.is_empty() {
        let _ = web_sys::Url::revoke_object_url(url);
    }
}
