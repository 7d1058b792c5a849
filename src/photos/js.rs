//! Bindings to `photo.js`: resizing, JPEG encoding and hashing happen in the browser
//! (canvas, `crypto.subtle`), as do the photo requests, so the wasm carries no image codec,
//! no SHA-256 and no second fetch wrapper.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

#[wasm_bindgen(module = "/src/photos/photo.js")]
extern "C" {
    #[wasm_bindgen(js_name = photoPrepare)]
    fn photo_prepare(file: &web_sys::File) -> Promise;
    #[wasm_bindgen(js_name = photoHash)]
    fn photo_hash(blob: &Blob) -> Promise;
    #[wasm_bindgen(js_name = photoRow)]
    pub(crate) fn photo_row(hash: &str, blob: &Blob, kind: &str, pending: u8) -> JsValue;
    #[wasm_bindgen(js_name = photoHead)]
    fn photo_head(token: &str, hash: &str) -> Promise;
    #[wasm_bindgen(js_name = photoPut)]
    fn photo_put(token: &str, hash: &str, blob: &Blob) -> Promise;
    #[wasm_bindgen(js_name = photoGet)]
    fn photo_get(token: &str, hash: &str) -> Promise;
    #[wasm_bindgen(js_name = photoLinkAllowed)]
    pub(crate) fn link_allowed(wifi_only: bool) -> bool;
    #[wasm_bindgen(js_name = photoStorageLow)]
    fn photo_storage_low() -> Promise;
}

/// A chosen photo as the phone keeps it: the re-encoded JPEG and its thumbnail, each with
/// the SHA-256 of its bytes.
#[derive(Clone)]
pub struct Prepared {
    pub hash: String,
    pub thumb: String,
    pub blob: Blob,
    pub thumb_blob: Blob,
}

fn get(o: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Resizes, re-encodes (dropping EXIF) and hashes a chosen file; `None` if the browser
/// could not read it as an image.
pub async fn prepare(file: &web_sys::File) -> Option<Prepared> {
    let o = JsFuture::from(photo_prepare(file)).await.ok()?;
    Some(Prepared {
        hash: get(&o, "hash").as_string()?,
        thumb: get(&o, "thumb").as_string()?,
        blob: get(&o, "blob").dyn_into().ok()?,
        thumb_blob: get(&o, "thumbBlob").dyn_into().ok()?,
    })
}

/// The lowercase hex SHA-256 of a blob (tests build photos with it).
pub async fn hash_of(blob: &Blob) -> Option<String> {
    JsFuture::from(photo_hash(blob)).await.ok()?.as_string()
}

/// HEAD's status (0: no network).
pub async fn head(token: &str, hash: &str) -> u16 {
    JsFuture::from(photo_head(token, hash)).await.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u16
}

/// PUT's status and, when refused, the answer's body (0: no network).
pub async fn put(token: &str, hash: &str, blob: &Blob) -> (u16, String) {
    let Ok(v) = JsFuture::from(photo_put(token, hash, blob)).await else {
        return (0, String::new());
    };
    let a: Array = v.unchecked_into();
    (a.get(0).as_f64().unwrap_or(0.0) as u16, a.get(1).as_string().unwrap_or_default())
}

/// The photo's bytes, or the status that refused them (0: no network).
pub async fn fetch(token: &str, hash: &str) -> Result<Blob, u16> {
    match JsFuture::from(photo_get(token, hash)).await {
        Ok(v) => v.dyn_into::<Blob>().map_err(|v| v.as_f64().unwrap_or(0.0) as u16),
        Err(_) => Err(0),
    }
}

/// Whether the phone has less than ~10% or 50 MB of its storage left.
pub async fn storage_low() -> bool {
    JsFuture::from(photo_storage_low()).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}
