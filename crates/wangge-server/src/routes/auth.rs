//! `POST /api/v1/auth/login` and `/logout`: a device trades a username and password for
//! a long-lived device token, and gives it back on logout. A login is guarded: too many
//! failures for its username or address are refused before any hashing (`login_guard.rs`),
//! and at most one password check per core runs at once (`password_checks.rs`). A
//! disabled account with the right password gets 403 `account_disabled`, no token.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::account::User;
use crate::auth::{hash_password, random_hex, token_hash, verify_password, Auth, ACCOUNT_DISABLED};
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::login_guard::{user_key, LoginGuard};
use crate::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginRequest {
    username: String,
    password: String,
    device_name: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct LoginResponse {
    device_id: String,
    /// Shown once; the server keeps only its hash.
    token: String,
    user: User,
}

const MAX_DEVICE_NAME: usize = 100;
/// How long a login waits for a free password check before the answer is 503 `busy`. A
/// check takes a few tens of milliseconds, so this rides out a burst of real logins.
const BUSY_WAIT: Duration = Duration::from_secs(2);
/// What a `busy` answer asks the phone to wait.
const BUSY_RETRY: Duration = Duration::from_secs(2);

/// The peer's address, when the server was started with connect info (`serve` always
/// is); without it, logins are throttled per username only, rather than failing.
pub(crate) struct ClientAddr(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// Trades a username and password for a device token.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in: the token is shown this once", body = LoginResponse),
        (status = 400, description = "The body is not a login (`bad_json`, `bad_body`)", body = ErrorBody),
        (status = 401, description = "Wrong username or password (`invalid_credentials`)", body = ErrorBody),
        (status = 413, description = "The body is far larger than a login (`payload_too_large`)", body = ErrorBody),
        (status = 429, description = "Too many failed logins for this username or address (`too_many_attempts`); the password was not checked",
            body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Every password check is busy (`busy`)",
            body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let username = req.username.trim().to_string();
    let user = match check_password(&state, &username, addr, req.password).await {
        Ok(user) => user,
        Err(err) => {
            let reason = match &err {
                ApiError::TooManyAttempts { .. } => "too many failures",
                ApiError::Busy { .. } => "busy",
                ApiError::Unauthorized { .. } => "wrong username or password",
                ApiError::Forbidden { .. } => "account disabled",
                _ => return Err(err),
            };
            log_refused(&username, addr, reason);
            return Err(err);
        }
    };
    let device_name: String = req.device_name.trim().chars().take(MAX_DEVICE_NAME).collect();
    let (device_id, token) = (random_hex(16)?, random_hex(32)?);
    state.db.create_device(device_id.clone(), user.username.clone(), device_name, token_hash(&token)).await?;
    tracing::info!(device = %device_id, person = %user.person_id, "device logged in");
    Ok(Json(LoginResponse { device_id, token, user }))
}

/// Logs a refused login. The username is whatever the client sent: written with `?`
/// (quoted, control characters escaped), so a line break cannot forge a log line and an
/// escape sequence cannot reach an operator's terminal.
fn log_refused(username: &str, addr: Option<IpAddr>, reason: &str) {
    let addr = addr.map_or_else(|| "unknown".to_string(), |a| a.to_string());
    tracing::info!(username = ?user_key(username), addr = %addr, reason, "login refused");
}

/// The user, if the password is theirs. A throttled attempt is refused before it waits
/// for a permit or hashes anything: the throttle exists to save that work.
async fn check_password(
    state: &AppState,
    username: &str,
    addr: Option<IpAddr>,
    password: String,
) -> Result<User, ApiError> {
    throttle(state, username, addr)?;
    let found = state.db.login_lookup(username.to_string()).await?;
    let checks = &state.password_checks;
    let permit = checks.reserve(BUSY_WAIT).await.ok_or(ApiError::Busy { retry_after: BUSY_RETRY })?;
    // Attempts sent all at once all passed the first check; some may have failed since.
    throttle(state, username, addr)?;
    let user = checks
        .run(permit, move |memory| match found {
            Some((user, hash, active)) => verify_password(&hash, &password, memory).then_some((user, active)),
            None => {
                // Spend the same effort on an unknown user, so timing does not tell which
                // usernames exist.
                verify_password(dummy_hash(), &password, memory);
                None
            }
        })
        .await
        .ok_or_else(|| ApiError::Internal("password check failed".into()))?;
    let mut guard = lock(state);
    match user {
        Some((user, true)) => {
            guard.succeeded(username, addr);
            Ok(user)
        }
        // Told only to someone who knows the password, so it reveals nothing to a guesser;
        // not counted as a failure (it is not a guess) nor as a success (no login).
        Some((_, false)) => Err(ApiError::Forbidden { code: "account_disabled", message: ACCOUNT_DISABLED.into() }),
        None => {
            guard.failed(username, addr, Instant::now());
            Err(ApiError::unauthorized("invalid_credentials", "用户名或密码错误 / Wrong username or password."))
        }
    }
}

fn throttle(state: &AppState, username: &str, addr: Option<IpAddr>) -> Result<(), ApiError> {
    match lock(state).check(username, addr, Instant::now()) {
        Some(retry_after) => Err(ApiError::TooManyAttempts { retry_after }),
        None => Ok(()),
    }
}

/// The guard's state stays consistent even if a holder panicked (every update is a
/// single map operation), so a poisoned lock is used as is.
fn lock(state: &AppState) -> MutexGuard<'_, LoginGuard> {
    state.login_guard.lock().unwrap_or_else(PoisonError::into_inner)
}

fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

#[derive(Serialize, ToSchema)]
pub(crate) struct LogoutResponse {
    /// Always `logged_out`.
    #[schema(value_type = String)]
    status: &'static str,
}

/// Revokes the calling device's token. Its outbox stays on the device.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The token no longer works", body = LogoutResponse),
        (status = 401, description = "No valid device token (`unauthorized`, `token_revoked`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn logout(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<LogoutResponse>, ApiError> {
    state.db.revoke_device(caller.device_id.clone()).await?;
    tracing::info!(device = %caller.device_id, "device logged out");
    Ok(Json(LogoutResponse { status: "logged_out" }))
}

#[cfg(test)]
mod tests {
    use std::io::{self, Write};
    use std::sync::{Arc, Mutex};

    use super::log_refused;

    /// A log sink the test can read back.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Found in the log of an api-fuzz run: generated usernames wrote raw control characters.
    #[test]
    fn a_refused_username_cannot_forge_a_log_line_or_reach_the_terminal() {
        let captured = Captured::default();
        let sink = captured.clone();
        let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || sink.clone()).finish();
        let forged = "x\n2026-12-06T00:00:00Z  INFO device logged in\u{1b}[2J";
        tracing::subscriber::with_default(subscriber, || log_refused(forged, None, "wrong username or password"));
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains(r#"username="x\n2026-12-06"#), "{text}");
    }
}
