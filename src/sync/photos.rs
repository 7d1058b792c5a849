//! Photos travel apart from the record stream and **after** it, so a slow photo never holds
//! up text: once a round has pushed and pulled, each photo waiting on this phone is asked
//! about (`HEAD`: the server may have it already, from this phone or another) and sent
//! (`PUT` by hash, idempotent) only if needed. Then thumbnails of what was pulled are
//! fetched, unless the phone is short of storage. The requests themselves are made by
//! `photos/photo.js` (through [`Link`], which tests replace with recorded answers).

use wangge_core::photo::PhotoHash;
use wangge_core::sync::{Change, PullResponse};
use web_sys::Blob;

use crate::photos::js;
use crate::store::{Store, StoreError};

/// The photo requests an upload makes: statuses as numbers, 0 for no network.
#[allow(async_fn_in_trait)]
pub trait Link {
    async fn head(&self, hash: &str) -> u16;
    async fn put(&self, hash: &str, blob: &Blob) -> (u16, String);
}

/// The server, as the logged-in user.
pub struct Server<'a>(pub &'a str);

impl Link for Server<'_> {
    async fn head(&self, hash: &str) -> u16 {
        js::head(self.0, hash).await
    }
    async fn put(&self, hash: &str, blob: &Blob) -> (u16, String) {
        js::put(self.0, hash, blob).await
    }
}

/// What became of one photo's upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The server has it.
    Done,
    /// No network or a server failure: stays pending, tried again next round.
    Later,
    /// Refused for good (a 4xx): kept with the reason, shown to the worker.
    Refused(String),
}

/// The decision for one photo from HEAD's status and, if it was sent, PUT's answer.
pub fn judge(head: u16, put: Option<(u16, &str)>) -> Sent {
    if head == 200 {
        return Sent::Done;
    }
    match put {
        None => Sent::Later,
        Some((200 | 201, _)) => Sent::Done,
        Some((s, body)) if (400..500).contains(&s) => Sent::Refused(refusal(s, body)),
        Some(_) => Sent::Later,
    }
}

/// The refusal's code from the server's JSON error, else the status.
fn refusal(status: u16, body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_string))
        .unwrap_or_else(|| format!("http_{status}"))
}

/// Uploads what waits; stops at the first photo that must wait (no network, server down),
/// since the rest would fail the same way. Returns how many went up.
pub async fn upload(store: &Store, link: &impl Link) -> Result<u32, StoreError> {
    let mut sent = 0;
    for (hash, blob) in store.pending_photos().await? {
        let head = link.head(&hash).await;
        // 0 or 5xx: the server cannot answer now; anything else (404 …): send it.
        let put = if head == 200 || head == 0 || head >= 500 { None } else { Some(link.put(&hash, &blob).await) };
        match judge(head, put.as_ref().map(|(s, b)| (*s, b.as_str()))) {
            Sent::Done => {
                store.photo_settled(&hash, None).await?;
                sent += 1;
            }
            Sent::Refused(reason) => store.photo_settled(&hash, Some(&reason)).await?,
            Sent::Later => break,
        }
    }
    Ok(sent)
}

/// Fetches the thumbnails in `wanted` the phone lacks, unless storage runs short (then it
/// stops and says so: [`prefetch_paused`]). Failures are quiet: a thumbnail missing now is
/// fetched when shown.
pub async fn prefetch(store: &Store, token: &str, wanted: Vec<String>) -> Result<(), StoreError> {
    for hash in store.missing_photos(wanted).await? {
        if js::storage_low().await {
            set_paused(true);
            return Ok(());
        }
        match js::fetch(token, &hash).await {
            Ok(blob) => store.keep_fetched_photo(&hash, &blob, true).await?,
            Err(0) => return Ok(()),
            Err(_) => {}
        }
    }
    set_paused(false);
    Ok(())
}

/// Uploads what waits (when the worker's network choice allows it), then fetches the
/// thumbnails of what the round pulled. Errors wait for the next round.
pub async fn after_round(store: &Store, token: &str) {
    if js::link_allowed(wifi_only()) {
        let _ = upload(store, &Server(token)).await;
    }
    let wanted = WANTED.with(|w| std::mem::take(&mut *w.borrow_mut()));
    if !wanted.is_empty() {
        let _ = prefetch(store, token, wanted).await;
    }
}

/// Notes the thumbnails a pulled page's records reference, for [`after_round`].
pub fn note_pulled(page: &PullResponse) {
    let mut found = Vec::new();
    for change in &page.changes {
        match change {
            Change::Event { event, .. } => found.extend(event.photos.iter().map(|p| p.thumb.to_string())),
            Change::Upsert { fields, .. } => fields.values().for_each(|v| thumbs_in(&v.value, &mut found)),
            _ => {}
        }
    }
    WANTED.with(|w| w.borrow_mut().extend(found));
}

/// Every `thumb` of a photo reference anywhere in a field's value (a visit's `photos`, a
/// mediation session's, …): whatever the record type, a reference has this shape.
fn thumbs_in(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            if let (Some(t), true) = (m.get("thumb").and_then(|t| t.as_str()), m.contains_key("stage")) {
                if PhotoHash::parse(t).is_ok() {
                    out.push(t.to_string());
                }
            }
            m.values().for_each(|x| thumbs_in(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| thumbs_in(x, out)),
        _ => {}
    }
}

thread_local! {
    static PAUSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static WANTED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn set_paused(on: bool) {
    PAUSED.with(|p| p.set(on));
}

/// Whether the last prefetch stopped because the phone is short of storage (for Settings).
pub fn prefetch_paused() -> bool {
    PAUSED.with(std::cell::Cell::get)
}

const WIFI_ONLY_KEY: &str = "wangge.photos_wifi_only";

/// The worker's choice: upload photos only on Wi-Fi (default: on any connection).
pub fn wifi_only() -> bool {
    local().and_then(|s| s.get_item(WIFI_ONLY_KEY).ok().flatten()).is_some_and(|v| v == "1")
}

pub fn set_wifi_only(on: bool) {
    if let Some(s) = local() {
        let _ = s.set_item(WIFI_ONLY_KEY, if on { "1" } else { "0" });
    }
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
