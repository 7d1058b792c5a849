//! The hand-over from index.html's static login form (shown by `public/early-login.js`
//! before the wasm arrives) to the app's own. On a village link the worker has typed, and
//! perhaps pressed 登录, long before the app mounts: [`take`] reads what the static form
//! holds — values, which field had the cursor, whether a submit is waiting, the message
//! it was showing (请输入用户名 after an empty 登录) — and removes
//! it, in the same turn as the app's login screen renders in its place, so nothing typed
//! is lost and a waiting submit goes ahead.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

/// What the static form held when the app took it over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Early {
    pub username: String,
    pub password: String,
    /// 登录 was pressed before the app could act on it.
    pub submitted: bool,
    /// The field the worker was typing in ("username" or "password").
    pub focused: Option<String>,
    /// What the static form was saying in its alert line, if anything: shown on by the
    /// app's form, so a message does not vanish as the app takes over.
    pub said: Option<String>,
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

fn section(doc: &Document) -> Option<Element> {
    doc.query_selector("[data-early-login]").ok().flatten()
}

/// Whether the static form is on screen (the app then shows nothing else while it opens).
pub fn present() -> bool {
    document().as_ref().and_then(section).is_some()
}

/// Reads and removes the static form; `None` when it is not there (someone was logged
/// in, or the app already took it).
pub fn take() -> Option<Early> {
    let doc = document()?;
    let section = section(&doc)?;
    let form = section.query_selector("form").ok().flatten()?;
    let value = |name: &str| {
        form.query_selector(&format!("input[name={name}]"))
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
            .map(|input| input.value())
            .unwrap_or_default()
    };
    let focused = doc.active_element().filter(|el| section.contains(Some(el))).and_then(|el| el.get_attribute("name"));
    let said = form
        .query_selector("[role=alert]")
        .ok()
        .flatten()
        .and_then(|el| el.text_content())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let early = Early {
        username: value("username"),
        password: value("password"),
        submitted: form.has_attribute("data-submitted"),
        focused,
        said,
    };
    section.remove();
    Some(early)
}

/// Removes the static form without reading it (the app shows something else instead,
/// such as a storage error).
pub fn discard() {
    if let Some(section) = document().as_ref().and_then(section) {
        section.remove();
    }
}
