//! The server's JSON API, as the phone calls it: login, logout, push, pull. **The only code
//! that talks to the network.** Same origin as the app, so no address to configure.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wangge_core::sync::{PullRequest, PullResponse, PushRequest, PushResponse};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use crate::session::User;

/// Why a call did not give an answer, in terms the sync loop acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No connection (or the server is unreachable): try again later, nothing is wrong.
    Offline,
    /// The token was revoked or has expired: the worker must log in again.
    Unauthorized { code: String, message: String },
    /// The server's database is not the one this phone synced with (restored or
    /// replaced): reset to its epoch and sync again.
    EpochMismatch { epoch: String },
    /// The server refused the request with a specific reason.
    Refused { status: u16, code: String, message: String },
    /// The server failed (5xx) or answered something unreadable: try again later.
    Server { status: u16 },
}

#[derive(Serialize)]
struct LoginRequest<'a> {
    username: &'a str,
    password: &'a str,
    device_name: &'a str,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LoginResponse {
    pub device_id: String,
    pub token: String,
    pub user: User,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
    #[serde(default)]
    epoch: Option<String>,
}

pub async fn login(username: &str, password: &str, device_name: &str) -> Result<LoginResponse, ApiError> {
    let body = serde_json::to_string(&LoginRequest { username, password, device_name }).unwrap_or_default();
    call("POST", "/api/v1/auth/login", None, Some(body)).await
}

pub async fn logout(token: &str) -> Result<(), ApiError> {
    let _: serde_json::Value = call("POST", "/api/v1/auth/logout", Some(token), Some("{}".into())).await?;
    Ok(())
}

pub async fn push(token: &str, request: &PushRequest) -> Result<PushResponse, ApiError> {
    let body = serde_json::to_string(request).map_err(|_| ApiError::Server { status: 0 })?;
    call("POST", "/api/v1/sync/push", Some(token), Some(body)).await
}

pub async fn pull(token: &str, request: &PullRequest) -> Result<PullResponse, ApiError> {
    let url = format!("/api/v1/sync/pull?cursor={}&limit={}", request.cursor, request.limit);
    call("GET", &url, Some(token), None).await
}

async fn call<T: DeserializeOwned>(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<T, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Offline)?;
    let headers = Headers::new().map_err(|_| ApiError::Offline)?;
    let _ = headers.append("accept", "application/json");
    if body.is_some() {
        let _ = headers.append("content-type", "application/json");
    }
    if let Some(t) = token {
        let _ = headers.append("authorization", &format!("Bearer {t}"));
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    // The API must never be answered from a cache: a stale pull would look like success.
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(b) = &body {
        init.set_body(&wasm_bindgen::JsValue::from_str(b));
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| ApiError::Offline)?;
    let response: Response = response.dyn_into().map_err(|_| ApiError::Offline)?;
    note_server_clock(&response);
    let status = response.status();
    let body = body_bytes(&response).await;
    if (200..300).contains(&status) {
        return serde_json::from_slice(&body).map_err(|_| ApiError::Server { status });
    }
    let detail = serde_json::from_slice::<ErrorBody>(&body).ok().map(|b| b.error);
    match (status, detail) {
        (401, Some(d)) => Err(ApiError::Unauthorized { code: d.code, message: d.message }),
        (401, None) => Err(ApiError::Unauthorized { code: "unauthorized".into(), message: String::new() }),
        (409, Some(ErrorDetail { code, epoch: Some(epoch), .. })) if code == "epoch_mismatch" => {
            Err(ApiError::EpochMismatch { epoch })
        }
        (400..=499, Some(d)) => Err(ApiError::Refused { status, code: d.code, message: d.message }),
        // A proxy or captive portal answering instead of our server: treat as no connection.
        (400..=499, None) => Err(ApiError::Offline),
        _ => Err(ApiError::Server { status }),
    }
}

/// The answer's body as bytes (empty if it could not be read). Bytes, not text: a village's
/// first pull is ~50 MB of JSON, and taking it as a JavaScript string means decoding it to
/// UTF-16 and encoding it back into wasm's UTF-8 for every page; the bytes are copied into
/// wasm once, as they came. (No change of the first pull's time was measurable on the
/// shared bench machine: it is the cheaper path, not a measured win.)
async fn body_bytes(response: &Response) -> Vec<u8> {
    let Ok(promise) = response.array_buffer() else {
        return Vec::new();
    };
    match JsFuture::from(promise).await {
        Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
        Err(_) => Vec::new(),
    }
}

thread_local! {
    /// How far this phone's clock is ahead of the server's (ms; negative: behind), as the
    /// last answer's `Date` header told it. Seconds-precise, which is plenty: it is for
    /// warning a worker whose phone is minutes or years off, because the server places
    /// steps dated far from its own clock at their receipt.
    static CLOCK_SKEW: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

fn note_server_clock(response: &Response) {
    let Ok(Some(date)) = response.headers().get("date") else {
        return;
    };
    let server = js_sys::Date::parse(&date);
    if server.is_finite() {
        CLOCK_SKEW.with(|c| c.set(Some(js_sys::Date::now() - server)));
    }
}

/// This phone's clock minus the server's, in ms, once any answer has arrived.
pub fn clock_skew() -> Option<f64> {
    CLOCK_SKEW.with(std::cell::Cell::get)
}
