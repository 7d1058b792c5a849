//! Files the server builds for the user (the list exports' `.xlsx`), fetched with the
//! session's token as every API call is, and handed back as a blob to save. Beside
//! `api.rs` (JSON calls); the sync loop never uses it.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Headers, RequestInit, Response};

use super::api::ApiError;

/// `GET url` with the token; the body as a blob, or why not (offline, token refused,
/// the server's refusal code and message).
pub async fn file(token: &str, url: &str) -> Result<Blob, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Offline)?;
    let headers = Headers::new().map_err(|_| ApiError::Offline)?;
    let _ = headers.append("authorization", &format!("Bearer {token}"));
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| ApiError::Offline)?;
    let response: Response = response.dyn_into().map_err(|_| ApiError::Offline)?;
    let status = response.status();
    if (200..300).contains(&status) {
        let blob = response.blob().map_err(|_| ApiError::Server { status })?;
        let blob = JsFuture::from(blob).await.map_err(|_| ApiError::Offline)?;
        return blob.dyn_into().map_err(|_| ApiError::Server { status });
    }
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    let detail: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    let field = |k: &str| detail.as_ref().and_then(|d| d["error"][k].as_str()).unwrap_or_default().to_string();
    Err(match status {
        401 => ApiError::Unauthorized { code: field("code"), message: field("message") },
        400..=499 if detail.is_some() => ApiError::Refused { status, code: field("code"), message: field("message") },
        400..=499 => ApiError::Offline,
        _ => ApiError::Server { status },
    })
}
