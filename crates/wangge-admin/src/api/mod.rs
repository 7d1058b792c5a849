//! The administration API (`/api/v1/admin/…`), **the only code here that calls the
//! network**. Same origin as the worker app, with its device token. Errors keep the
//! server's own message (Chinese, with English after " / "). `export.rs`: the list
//! exports and their log.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wangge_core::grid::GridLevel;
use wangge_core::people::Role;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use crate::session::Session;

mod export;
pub(crate) use export::{download_export, export_log, ExportEntry};

/// Why a call failed. `status` 0: no answer at all (offline or server unreachable).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) message: String,
}

impl ApiError {
    fn offline() -> ApiError {
        ApiError {
            status: 0,
            code: "offline".into(),
            message:
                "没有连上服务器，管理后台需要联网使用 / Cannot reach the server: administration works online only."
                    .into(),
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

/// An account as the list shows it. Both the current server's names (`name`,
/// `home_grid`, `active`) and the contract's (`display_name`, `grid`, `disabled`) are read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Account {
    pub(crate) username: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    pub(crate) phone: Option<String>,
    pub(crate) roles: Vec<Role>,
    #[serde(default)]
    grid: Option<String>,
    #[serde(default)]
    home_grid: Option<String>,
    #[serde(default)]
    pub(crate) grid_name: Option<String>,
    #[serde(default)]
    disabled: Option<bool>,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    pub(crate) devices: u32,
    #[serde(default)]
    pub(crate) last_seen_at: Option<serde_json::Value>,
}

impl Account {
    pub(crate) fn display_name(&self) -> &str {
        self.display_name.as_deref().or(self.name.as_deref()).unwrap_or(&self.username)
    }
    pub(crate) fn grid(&self) -> &str {
        self.grid.as_deref().or(self.home_grid.as_deref()).unwrap_or("")
    }
    pub(crate) fn disabled(&self) -> bool {
        self.disabled.unwrap_or(self.active == Some(false))
    }
}

#[derive(Deserialize)]
struct Users {
    users: Vec<Account>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Device {
    pub(crate) device_id: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) created_at: Option<serde_json::Value>,
    #[serde(default)]
    pub(crate) last_seen_at: Option<serde_json::Value>,
    #[serde(default)]
    pub(crate) revoked_at: Option<serde_json::Value>,
    #[serde(default)]
    pub(crate) expired: bool,
}

#[derive(Deserialize)]
struct Devices {
    devices: Vec<Device>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Grid {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) level: GridLevel,
    #[serde(default)]
    pub(crate) parent: Option<String>,
    #[serde(default)]
    pub(crate) code: Option<String>,
    #[serde(default)]
    pub(crate) retired: bool,
    #[serde(default)]
    pub(crate) households: u64,
    #[serde(default)]
    pub(crate) open_issues: u64,
    #[serde(default)]
    pub(crate) people: u64,
}

#[derive(Deserialize)]
struct Grids {
    grids: Vec<Grid>,
}

#[derive(Serialize)]
pub(crate) struct AccountForm {
    pub(crate) display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) phone: Option<String>,
    pub(crate) roles: Vec<Role>,
    pub(crate) grid: String,
}

#[derive(Serialize)]
struct NewAccount<'a> {
    username: &'a str,
    #[serde(flatten)]
    form: &'a AccountForm,
}

#[derive(Deserialize)]
struct OneTime {
    one_time_password: String,
}

#[derive(Serialize)]
pub(crate) struct NewGrid {
    pub(crate) name: String,
    pub(crate) level: GridLevel,
    pub(crate) parent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<String>,
}

/// The ledger import's answer, for a dry run and a confirmed import alike.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ImportReport {
    pub(crate) confirmed: bool,
    pub(crate) rows: u64,
    pub(crate) added: u64,
    pub(crate) updated: u64,
    pub(crate) unchanged: u64,
    pub(crate) refused: Vec<RefusedRow>,
    pub(crate) headers: Vec<String>,
    pub(crate) unmapped: Vec<String>,
    pub(crate) fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RefusedRow {
    pub(crate) row: u64,
    pub(crate) column: Option<String>,
    pub(crate) reason: String,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Field {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) required: bool,
}

pub(crate) async fn users() -> Result<Vec<Account>, ApiError> {
    Ok(call::<Users>("GET", "/api/v1/admin/users", None).await?.users)
}

/// Creates the account; returns its one-time password.
pub(crate) async fn create_user(username: &str, form: &AccountForm) -> Result<String, ApiError> {
    let body = json(&NewAccount { username, form });
    Ok(call::<OneTime>("POST", "/api/v1/admin/users", Some(body)).await?.one_time_password)
}

pub(crate) async fn update_user(username: &str, form: &AccountForm) -> Result<(), ApiError> {
    let path = format!("/api/v1/admin/users/{}", seg(username));
    call::<serde_json::Value>("PATCH", &path, Some(json(form))).await.map(drop)
}

pub(crate) async fn reset_password(username: &str) -> Result<String, ApiError> {
    let path = format!("/api/v1/admin/users/{}/reset-password", seg(username));
    Ok(call::<OneTime>("POST", &path, Some(body_text("{}"))).await?.one_time_password)
}

pub(crate) async fn set_disabled(username: &str, disabled: bool) -> Result<(), ApiError> {
    let verb = if disabled { "disable" } else { "enable" };
    let path = format!("/api/v1/admin/users/{}/{verb}", seg(username));
    call::<serde_json::Value>("POST", &path, Some(body_text("{}"))).await.map(drop)
}

pub(crate) async fn devices(username: &str) -> Result<Vec<Device>, ApiError> {
    let path = format!("/api/v1/admin/users/{}/devices", seg(username));
    Ok(call::<Devices>("GET", &path, None).await?.devices)
}

pub(crate) async fn revoke(device_id: &str) -> Result<(), ApiError> {
    let path = format!("/api/v1/admin/devices/{}/revoke", seg(device_id));
    call::<serde_json::Value>("POST", &path, Some(body_text("{}"))).await.map(drop)
}

pub(crate) async fn grids() -> Result<Vec<Grid>, ApiError> {
    Ok(call::<Grids>("GET", "/api/v1/admin/grids", None).await?.grids)
}

pub(crate) async fn create_grid(grid: &NewGrid) -> Result<(), ApiError> {
    call::<serde_json::Value>("POST", "/api/v1/admin/grids", Some(json(grid))).await.map(drop)
}

/// Renames, moves or recodes a grid: `change` holds only the fields that change.
pub(crate) async fn update_grid(id: &str, change: serde_json::Value) -> Result<(), ApiError> {
    let path = format!("/api/v1/admin/grids/{}", seg(id));
    call::<serde_json::Value>("PATCH", &path, Some(json(&change))).await.map(drop)
}

pub(crate) async fn retire_grid(id: &str) -> Result<(), ApiError> {
    let path = format!("/api/v1/admin/grids/{}/retire", seg(id));
    call::<serde_json::Value>("POST", &path, Some(body_text("{}"))).await.map(drop)
}

/// The handover's answer: counts by name (`issues_reassigned`, …), shown as they come.
pub(crate) async fn handover(from: &str, to: &str) -> Result<serde_json::Value, ApiError> {
    let body = json(&serde_json::json!({ "from": from, "to": to }));
    call("POST", "/api/v1/admin/handover", Some(body)).await
}

/// Uploads a departed worker's whole-phone export (`{applied, conflicts, refused}`).
pub(crate) async fn handover_import(file: &web_sys::File) -> Result<serde_json::Value, ApiError> {
    call(
        "POST",
        "/api/v1/admin/handover/import",
        Some(Body { value: file.into(), content_type: "application/json".into() }),
    )
    .await
}

/// A dry run (`confirm` false) or the import itself of a ledger of `kind` (`households`
/// or `people`), with the file's own bytes.
pub(crate) async fn import_ledger(
    kind: &str,
    file: &web_sys::File,
    confirm: bool,
    columns: Option<&str>,
) -> Result<ImportReport, ApiError> {
    let mut path = format!("/api/v1/admin/import/{kind}?confirm={confirm}");
    if let Some(columns) = columns {
        path.push_str("&columns=");
        path.push_str(&String::from(js_sys::encode_uri_component(columns)));
    }
    let content_type = match file.type_() {
        t if !t.is_empty() => t,
        _ if file.name().to_lowercase().ends_with(".csv") => "text/csv".into(),
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
    };
    call("POST", &path, Some(Body { value: file.into(), content_type })).await
}

/// The template of `kind` (`households` or `people`), as a download named `file_name`.
pub(crate) async fn download_template(kind: &str, file_name: &str) -> Result<(), ApiError> {
    download(&format!("/api/v1/admin/import/template?kind={kind}"), file_name).await
}

/// A file fetched with the token (a plain link would carry none) and handed to the
/// browser as a download named `file_name`.
async fn download(path: &str, file_name: &str) -> Result<(), ApiError> {
    let response = send("GET", path, None).await?;
    let blob =
        JsFuture::from(response.blob().map_err(|_| ApiError::offline())?).await.map_err(|_| ApiError::offline())?;
    let blob: web_sys::Blob = blob.unchecked_into();
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiError::offline())?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(ApiError::offline)?;
    if let Ok(a) = document.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

struct Body {
    value: JsValue,
    content_type: String,
}

fn json<T: Serialize>(value: &T) -> Body {
    body_text(&serde_json::to_string(value).unwrap_or_default())
}

fn body_text(text: &str) -> Body {
    Body { value: JsValue::from_str(text), content_type: "application/json".into() }
}

fn seg(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

async fn call<T: DeserializeOwned>(method: &str, path: &str, body: Option<Body>) -> Result<T, ApiError> {
    let response = send(method, path, body).await?;
    let text =
        JsFuture::from(response.text().map_err(|_| ApiError::offline())?).await.map_err(|_| ApiError::offline())?;
    let text = text.as_string().unwrap_or_default();
    serde_json::from_str(&text).map_err(|_| ApiError {
        status: response.status(),
        code: "unreadable".into(),
        message: "服务器的回答看不懂，请稍后再试 / The server's answer could not be read; try again later.".into(),
    })
}

/// Sends the request with the device token; a non-2xx answer becomes the server's error.
async fn send(method: &str, path: &str, body: Option<Body>) -> Result<Response, ApiError> {
    let token = Session::load().map(|s| s.token).unwrap_or_default();
    let window = web_sys::window().ok_or_else(ApiError::offline)?;
    let headers = Headers::new().map_err(|_| ApiError::offline())?;
    let _ = headers.append("accept", "application/json");
    let _ = headers.append("authorization", &format!("Bearer {token}"));
    let init = RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(body) = &body {
        let _ = headers.append("content-type", &body.content_type);
        init.set_body(&body.value);
    }
    init.set_headers(&headers);
    let response =
        JsFuture::from(window.fetch_with_str_and_init(path, &init)).await.map_err(|_| ApiError::offline())?;
    let response: Response = response.unchecked_into();
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Err(match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => ApiError { status, code: body.error.code, message: body.error.message },
        Err(_) if status == 404 => ApiError {
            status,
            code: "not_available".into(),
            message: "服务器还没有这项功能 / The server does not offer this yet.".into(),
        },
        Err(_) => ApiError {
            status,
            code: "server".into(),
            message: format!("服务器出错({status})，请稍后再试 / The server failed ({status}); try again later."),
        },
    })
}
