//! `/api/v1/admin/...`: what the administration screens call to cut off a lost phone and
//! keep accounts — list users and their devices, disable and enable an account, reset a
//! password (which signs out all its devices), revoke one device. Only administering roles
//! may call (403 `forbidden_role`), and only for accounts they manage
//! (`admin_scope.rs`); an account outside that is answered as if it did not exist (404
//! `unknown_user` / `unknown_device`). Every action is logged and kept in `admin_log`.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::account::{Caller, MIN_PASSWORD_CHARS};
use crate::admin_scope::administers;
use crate::auth::{hash_password, Auth};
use crate::db::{AccountInfo, Actor, AdminAction, AdminDone, DeviceInfo, Refusal, UndeleteRefusal};
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::AppState;
use wangge_core::sync::Collection;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewPassword {
    password: String,
}

/// A device with whether its token has expired unused (the idle period is the server's).
#[derive(Serialize, ToSchema)]
pub(crate) struct DeviceView {
    #[serde(flatten)]
    device: DeviceInfo,
    expired: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Users {
    users: Vec<AccountInfo>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Devices {
    username: String,
    devices: Vec<DeviceView>,
}

/// After a disable or enable; `changed` is false when it already was so.
#[derive(Serialize, ToSchema)]
pub(crate) struct Activity {
    username: String,
    active: bool,
    changed: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PasswordSet {
    username: String,
    devices_signed_out: u32,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Revoked {
    device_id: Option<String>,
    username: String,
    revoked: bool,
    changed: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Undeleted {
    collection: &'static str,
    id: String,
    restored: bool,
    version: u64,
}

/// The username or device id in the path. axum's own `Path` answers a bad one (say, a
/// percent-escape that is not UTF-8) in plain text; the API answers in JSON.
pub(crate) struct Segment(pub(super) String);

impl<S: Send + Sync> FromRequestParts<S> for Segment {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(segment)) => Ok(Segment(segment)),
            Err(_) => {
                Err(ApiError::bad_request("bad_path", "The username or device id in the path could not be read."))
            }
        }
    }
}

/// 403 unless the caller holds a role that administers accounts.
pub(super) fn check_role(caller: &Caller) -> Result<(), ApiError> {
    if administers(&caller.user) {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: "forbidden_role",
            message: "您的身份不能管理账号 / Your role does not administer accounts.".into(),
        })
    }
}

/// The caller, if they administer (else 403 `forbidden_role`).
pub(super) fn admin_caller(caller: Caller) -> Result<Caller, ApiError> {
    check_role(&caller)?;
    Ok(caller)
}

fn admin(caller: Caller) -> Result<Actor, ApiError> {
    check_role(&caller)?;
    Ok(Actor::Api(caller))
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::UnknownUser => ApiError::Unknown {
            code: "unknown_user",
            message: "没有这个账号,或不在您的管理范围内 / No such account in your part of the grid.".into(),
        },
        Refusal::UnknownDevice => ApiError::Unknown {
            code: "unknown_device",
            message: "没有这台设备,或不在您的管理范围内 / No such device in your part of the grid.".into(),
        },
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    tag = "admin",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The accounts the caller manages", body = Users),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer accounts (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn users(State(state): State<AppState>, Auth(caller): Auth) -> Result<Json<Users>, ApiError> {
    let users: Vec<AccountInfo> = state.db.admin_accounts(admin(caller)?).await?;
    Ok(Json(Users { users }))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/users/{username}/devices",
    tag = "admin",
    security(("device_token" = [])),
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 200, description = "The account's devices", body = Devices),
        (status = 404, description = "No such account in the caller's part of the grid (`unknown_user`)", body = ErrorBody),
        (status = 400, description = "The path could not be read (`bad_path`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer accounts (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn devices(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Segment(username): Segment,
) -> Result<Json<Devices>, ApiError> {
    let devices = state.db.admin_devices(admin(caller)?, username.clone()).await?.map_err(refused)?;
    let (now, idle) = (crate::now_millis(), i64::try_from(state.config.token_idle.as_millis()).unwrap_or(i64::MAX));
    let devices: Vec<DeviceView> = devices
        .into_iter()
        .map(|device| DeviceView {
            expired: device.revoked_at.is_none() && now.saturating_sub(device.last_seen_at) > idle,
            device,
        })
        .collect();
    Ok(Json(Devices { username, devices }))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{username}/disable",
    tag = "admin",
    security(("device_token" = [])),
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 200, description = "The account is disabled (its phones are refused until enabled)", body = Activity),
        (status = 404, description = "No such account in the caller's part of the grid (`unknown_user`)", body = ErrorBody),
        (status = 400, description = "The path could not be read (`bad_path`)", body = ErrorBody),
        (status = 400, description = "An administrator cannot disable their own account (`cannot_disable_self`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer accounts (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn disable(
    state: State<AppState>,
    Auth(caller): Auth,
    Segment(username): Segment,
) -> Result<Json<Activity>, ApiError> {
    check_role(&caller)?;
    if caller.user.username == username {
        // Nobody locks themselves out by a slip of the finger (another administrator can).
        return Err(ApiError::bad_request(
            "cannot_disable_self",
            "不能停用自己的账号 / You cannot disable your own account.",
        ));
    }
    set_active(state, caller, AdminAction::Disable { username }).await
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{username}/enable",
    tag = "admin",
    security(("device_token" = [])),
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 200, description = "The account is enabled again", body = Activity),
        (status = 404, description = "No such account in the caller's part of the grid (`unknown_user`)", body = ErrorBody),
        (status = 400, description = "The path could not be read (`bad_path`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer accounts (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn enable(
    state: State<AppState>,
    Auth(caller): Auth,
    Segment(username): Segment,
) -> Result<Json<Activity>, ApiError> {
    set_active(state, caller, AdminAction::Enable { username }).await
}

async fn set_active(
    State(state): State<AppState>,
    caller: Caller,
    action: AdminAction,
) -> Result<Json<Activity>, ApiError> {
    let active = matches!(action, AdminAction::Enable { .. });
    let done = act(&state, caller, action).await?;
    Ok(Json(Activity { username: done.username, active, changed: done.changed }))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{username}/password",
    tag = "admin",
    security(("device_token" = [])),
    params(("username" = String, Path, description = "The account")),
    request_body = NewPassword,
    responses(
        (status = 200, description = "The new password is set and every device of the account is signed out", body = PasswordSet),
        (status = 404, description = "No such account in the caller's part of the grid (`unknown_user`)", body = ErrorBody),
        (status = 400, description = "The path could not be read (`bad_path`)", body = ErrorBody),
        (status = 400, description = "Too short (`password_too_short`) or not a password body (`bad_json`)", body = ErrorBody),
        (status = 413, description = "The body is far larger than a password (`payload_too_large`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer accounts (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn password(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Segment(username): Segment,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<Json<PasswordSet>, ApiError> {
    // Before the hashing: a caller who may not reset anything costs no argon2.
    check_role(&caller)?;
    if body.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::bad_request(
            "password_too_short",
            format!(
                "密码至少 {MIN_PASSWORD_CHARS} 个字符 / A password needs at least {MIN_PASSWORD_CHARS} characters."
            ),
        ));
    }
    // Argon2 takes tens of milliseconds and 19 MiB: off the async threads. Resets are rare,
    // so this does not need the login's checker pool.
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&body.password))
        .await
        .map_err(|e| ApiError::Internal(format!("hash thread: {e}")))?
        .map_err(ApiError::Internal)?;
    let done = act(&state, caller, AdminAction::SetPassword { username, password_hash }).await?;
    Ok(Json(PasswordSet { username: done.username, devices_signed_out: done.devices_signed_out }))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/devices/{device_id}/revoke",
    tag = "admin",
    security(("device_token" = [])),
    params(("device_id" = String, Path, description = "The device")),
    responses(
        (status = 200, description = "The device's token no longer works", body = Revoked),
        (status = 404, description = "No such device in the caller's part of the grid (`unknown_device`)", body = ErrorBody),
        (status = 400, description = "The path could not be read (`bad_path`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer accounts (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Segment(device_id): Segment,
) -> Result<Json<Revoked>, ApiError> {
    let done = act(&state, caller, AdminAction::RevokeDevice { device_id }).await?;
    Ok(Json(Revoked { device_id: done.device_id, username: done.username, revoked: true, changed: done.changed }))
}

async fn act(state: &AppState, caller: Caller, action: AdminAction) -> Result<AdminDone, ApiError> {
    state.db.admin(admin(caller)?, action).await?.map_err(refused)
}

/// The collection and id of a record in the path, read like [`Segment`].
pub(crate) struct RecordPath(Collection, String);

impl<S: Send + Sync> FromRequestParts<S> for RecordPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(Path((collection, id))) = Path::<(String, String)>::from_request_parts(parts, state).await else {
            return Err(ApiError::bad_request(
                "bad_path",
                "The collection or record id in the path could not be read.",
            ));
        };
        match Collection::ALL.into_iter().find(|c| c.name() == collection) {
            Some(c) => Ok(RecordPath(c, id)),
            None => Err(unknown_record()),
        }
    }
}

fn unknown_record() -> ApiError {
    ApiError::Unknown {
        code: "unknown_record",
        message: "没有这条已删除的记录,或不在您的管理范围内 / No such deleted record in your part of the grid.".into(),
    }
}

/// `POST /admin/records/{collection}/{id}/undelete`: brings back a roster entry deleted
/// by mistake, with the fields it had; whoever may delete it may restore it.
#[utoipa::path(
    post,
    path = "/api/v1/admin/records/{collection}/{id}/undelete",
    tag = "admin",
    security(("device_token" = [])),
    params(("collection" = String, Path, description = "households, units, …"), ("id" = String, Path, description = "The record")),
    responses(
        (status = 200, description = "The record is back, with the fields it had", body = Undeleted),
        (status = 404, description = "No such deleted record in the caller's part of the grid (`unknown_record`)", body = ErrorBody),
        (status = 400, description = "The path could not be read (`bad_path`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's roles may not delete (so not restore) such a record (`delete_not_allowed`, …)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn undelete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    RecordPath(collection, id): RecordPath,
) -> Result<Json<Undeleted>, ApiError> {
    match state.db.undelete(caller, collection, id.clone()).await? {
        Ok(version) => Ok(Json(Undeleted { collection: collection.name(), id, restored: true, version })),
        Err(UndeleteRefusal::Unknown) => Err(unknown_record()),
        Err(UndeleteRefusal::NotAllowed(r)) => {
            Err(ApiError::Forbidden { code: r.code(), message: format!("{} / {}", r.message_zh(), r.message_en()) })
        }
    }
}
