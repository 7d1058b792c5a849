//! `POST /api/v1/auth/login` and `/logout`: a device trades a username and password for
//! a long-lived device token, and gives it back on logout.

use std::sync::OnceLock;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::account::User;
use crate::auth::{hash_password, random_hex, token_hash, verify_password, Auth};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginRequest {
    username: String,
    password: String,
    device_name: String,
}

#[derive(Serialize)]
pub(crate) struct LoginResponse {
    device_id: String,
    /// Shown once; the server keeps only its hash.
    token: String,
    user: User,
}

const MAX_DEVICE_NAME: usize = 100;

pub(crate) async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let found = state.db.login_lookup(req.username.trim().to_string()).await?;
    let password = req.password;
    let user = tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => verify_password(&hash, &password).then_some(user),
        None => {
            // Spend the same effort on an unknown user, so timing does not tell which
            // usernames exist.
            verify_password(dummy_hash(), &password);
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(format!("password check: {e}")))?;
    let Some(user) = user else {
        tracing::info!("login refused");
        return Err(ApiError::unauthorized("invalid_credentials", "用户名或密码错误 / Wrong username or password."));
    };
    let device_name: String = req.device_name.trim().chars().take(MAX_DEVICE_NAME).collect();
    let (device_id, token) = (random_hex(16)?, random_hex(32)?);
    state
        .db
        .create_device(device_id.clone(), user.username.clone(), device_name, token_hash(&token))
        .await?;
    tracing::info!(device = %device_id, person = %user.person_id, "device logged in");
    Ok(Json(LoginResponse { device_id, token, user }))
}

fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

/// Revokes the calling device's token. Its outbox stays on the device.
pub(crate) async fn logout(State(state): State<AppState>, Auth(caller): Auth) -> Result<Json<Value>, ApiError> {
    state.db.revoke_device(caller.device_id.clone()).await?;
    tracing::info!(device = %caller.device_id, "device logged out");
    Ok(Json(json!({ "status": "logged_out" })))
}
