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

/// Asks the browser, remembering the answer. Chromium decides without a prompt, from how
/// the app is used (installed, visited often), so a "no" today may be a "yes" later: the
/// app asks again at each start, after installation and after a first full pull while the
/// answer is not yet "granted" (see [`ask_again_unless_granted`]), and Settings can ask.
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
        let _ = local.set_item(KEY, if answer == Persistence::Granted { "granted" } else { "denied" });
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

/// Asks again, in the background, unless the browser already said yes.
pub fn ask_again_unless_granted() {
    if remembered_persistence() != Some(Persistence::Granted) {
        wasm_bindgen_futures::spawn_local(async {
            request_persistence().await;
        });
    }
}
