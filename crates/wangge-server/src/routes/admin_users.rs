//! `/api/v1/admin/users` writes: create an account (with its person record), change its
//! name, phone, roles or home grid, and reset its password to a one-time password shown
//! once. Parsing here (core parsers, Chinese messages); the scope, rank and level rules
//! and the writes in `db/accounts.rs`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use wangge_core::people::Role;
use wangge_core::{new_ulid, DomainError, GridId, PersonId, PersonName, Phone};

use super::admin::{admin_caller, Segment};
use crate::admin_rules::{RefusalKind, Refused};
use crate::auth::{hash_password, Auth};
use crate::db::{AccountChange, AccountInfo, AdminAction, NewAccount};
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateUser {
    username: String,
    display_name: String,
    #[serde(default)]
    phone: Option<String>,
    /// Role codes (`grid_worker`, `community_secretary` …).
    roles: Vec<String>,
    /// The home grid's id.
    grid: String,
}

/// Absent: unchanged. For `phone`, `null` clears it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatchUser {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    phone: Option<Option<String>>,
    #[serde(default)]
    roles: Option<Vec<String>>,
    #[serde(default)]
    grid: Option<String>,
}

/// A field that is present (even as `null`) is `Some`: `null` then means "clear it".
pub(super) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Serialize, ToSchema)]
pub(crate) struct UserBody {
    user: AccountInfo,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CreatedUser {
    user: AccountInfo,
    /// Shown once; the server keeps only its hash.
    one_time_password: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct OneTimePassword {
    one_time_password: String,
}

fn invalid(e: DomainError) -> ApiError {
    Refused::new(RefusalKind::Invalid, e.code(), e.message_zh()).into()
}

fn roles(codes: &[String]) -> Result<Vec<Role>, ApiError> {
    codes
        .iter()
        .map(|c| {
            Role::from_code(c)
                .ok_or_else(|| Refused::new(RefusalKind::Invalid, "unknown_role", format!("没有“{c}”这个身份")).into())
        })
        .collect()
}

fn grid(id: String) -> Result<GridId, ApiError> {
    GridId::parse(id).map_err(|_| Refused::unknown_grid().into())
}

fn name(s: &str) -> Result<String, ApiError> {
    PersonName::parse(s).map(|n| n.as_str().to_string()).map_err(invalid)
}

fn phone(s: Option<String>) -> Result<Option<String>, ApiError> {
    s.map(|p| Phone::parse(&p).map(|p| p.as_str().to_string()).map_err(invalid)).transpose()
}

/// A fresh one-time password and its argon2 hash (off the async threads: tens of ms).
async fn one_time_password() -> Result<(String, String), ApiError> {
    tokio::task::spawn_blocking(|| {
        let password = crate::one_time_password::generate()?;
        let hash = hash_password(&password)?;
        Ok::<_, String>((password, hash))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("hash thread: {e}")))?
    .map_err(ApiError::Internal)
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/users",
    tag = "admin",
    security(("device_token" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, description = "The account and its person record are created", body = CreatedUser),
        (status = 400, description = "Bad username (`bad_username`), name, phone, role (`unknown_role`), no roles (`roles_empty`), or a home grid of the wrong level for the roles (`role_grid_level`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller does not administer, or a role above the caller's (`forbidden_role`)", body = ErrorBody),
        (status = 404, description = "No such grid in the caller's part of the tree (`unknown_grid`)", body = ErrorBody),
        (status = 409, description = "The username is taken (`username_taken`) or the grid retired (`grid_retired`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<CreateUser>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiError> {
    let caller = admin_caller(caller)?;
    let new = NewAccount {
        display_name: name(&body.display_name)?,
        phone: phone(body.phone)?,
        roles: roles(&body.roles)?,
        grid: grid(body.grid)?,
        username: body.username,
        person_id: PersonId::parse(new_ulid(crate::now_millis(), random10()?))
            .map_err(|e| ApiError::Internal(e.message_en()))?,
        password_hash: String::new(),
    };
    // Checked before the hashing too, so a refused call costs no argon2.
    crate::admin_rules::check_username(&new.username)?;
    let (password, password_hash) = one_time_password().await?;
    let user = state.db.admin_create_user(caller, NewAccount { password_hash, ..new }).await??;
    Ok((StatusCode::CREATED, Json(CreatedUser { user, one_time_password: password })))
}

fn random10() -> Result<[u8; 10], ApiError> {
    let mut b = [0u8; 10];
    getrandom::fill(&mut b).map_err(|e| ApiError::Internal(format!("random bytes: {e}")))?;
    Ok(b)
}

#[utoipa::path(
    patch,
    path = "/api/v1/admin/users/{username}",
    tag = "admin",
    security(("device_token" = [])),
    params(("username" = String, Path, description = "The account")),
    request_body = PatchUser,
    responses(
        (status = 200, description = "The account as it now is (its person record changed through the feed)", body = UserBody),
        (status = 400, description = "Bad name, phone or role, no roles, or a home grid of the wrong level (`role_grid_level`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller does not administer, or a role above the caller's (`forbidden_role`)", body = ErrorBody),
        (status = 404, description = "No such account or grid in the caller's part of the tree (`unknown_user`, `unknown_grid`)", body = ErrorBody),
        (status = 409, description = "The grid is retired (`grid_retired`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Segment(username): Segment,
    ApiJson(body): ApiJson<PatchUser>,
) -> Result<Json<UserBody>, ApiError> {
    let caller = admin_caller(caller)?;
    let change = AccountChange {
        display_name: body.display_name.as_deref().map(name).transpose()?,
        phone: body.phone.map(phone).transpose()?,
        roles: body.roles.as_deref().map(roles).transpose()?,
        grid: body.grid.map(grid).transpose()?,
    };
    let user = state.db.admin_update_user(caller, username, change).await??;
    Ok(Json(UserBody { user }))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{username}/reset-password",
    tag = "admin",
    security(("device_token" = [])),
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 200, description = "A one-time password, shown once; every device of the account is signed out", body = OneTimePassword),
        (status = 400, description = "The path could not be read (`bad_path`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer accounts (`forbidden_role`)", body = ErrorBody),
        (status = 404, description = "No such account in the caller's part of the grid (`unknown_user`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn reset_password(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Segment(username): Segment,
) -> Result<Json<OneTimePassword>, ApiError> {
    let caller = admin_caller(caller)?;
    // Before the hashing: an account the caller does not manage costs no argon2.
    if state.db.admin_account(caller.clone(), username.clone()).await?.is_none() {
        return Err(Refused::unknown_user().into());
    }
    let (password, password_hash) = one_time_password().await?;
    state
        .db
        .admin(crate::db::Actor::Api(caller), AdminAction::SetPassword { username, password_hash })
        .await?
        .map_err(|_| ApiError::from(Refused::unknown_user()))?;
    Ok(Json(OneTimePassword { one_time_password: password }))
}
