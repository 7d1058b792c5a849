//! Asks the browser to keep our data when storage runs low (`navigator.storage.persist()`)
//! and remembers the answer, which Settings shows: an unpersisted store can be evicted.

use wasm_bindgen_futures::JsFuture;

const KEY: &str = "wangge.persisted";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    Granted,
    Denied,
    /// The browser has no storage manager (very old WebView).
    Unsupported,
}

/// Asks once per phone (and again while the answer is "denied"), returning the answer.
pub async fn request_persistence() -> Persistence {
    let Some(window) = web_sys::window() else {
        return Persistence::Unsupported;
    };
    let storage = window.navigator().storage();
    let answer = match storage.persist() {
        Ok(promise) => match JsFuture::from(promise).await {
            Ok(v) if v.as_bool() == Some(true) => Persistence::Granted,
            Ok(_) => Persistence::Denied,
            Err(_) => Persistence::Unsupported,
        },
        Err(_) => Persistence::Unsupported,
    };
    if let Ok(Some(local)) = window.local_storage() {
        let _ = local.set_item(
            KEY,
            if answer == Persistence::Granted {
                "granted"
            } else {
                "denied"
            },
        );
    }
    answer
}

/// The last answer, without asking again.
pub fn remembered_persistence() -> Option<Persistence> {
    let local = web_sys::window()?.local_storage().ok()??;
    match local.get_item(KEY).ok()??.as_str() {
        "granted" => Some(Persistence::Granted),
        _ => Some(Persistence::Denied),
    }
}
