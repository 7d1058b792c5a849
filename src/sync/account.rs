//! Logging in and out on this phone. A login needs a connection once; after that the app
//! opens and works offline. Logging in again as the same person (an expired token) keeps
//! everything, outbox included; a different person starts from an empty phone, so nobody
//! sees another worker's residents.

use crate::session::Session;
use crate::store::{Store, StoreError};

use super::api::{self, ApiError};

#[derive(Debug, Clone, PartialEq)]
pub enum LoginError {
    Api(ApiError),
    Store(StoreError),
    /// Another person's changes are still waiting on this phone: logging in as someone
    /// else would lose them (or push them under the wrong name).
    OtherUsersPending {
        pending: u32,
    },
}

/// Logs in, and readies the store for this device. `previous` is the session this phone
/// had (maybe expired).
pub async fn log_in(
    store: &Store,
    previous: Option<&Session>,
    username: &str,
    password: &str,
) -> Result<Session, LoginError> {
    let username = username.trim();
    let other_person = previous.is_some_and(|p| p.username != username);
    if other_person {
        let pending = store.pending_count().await.map_err(LoginError::Store)?;
        if pending > 0 {
            return Err(LoginError::OtherUsersPending { pending });
        }
    }
    let reply = api::login(username, password, &device_name()).await.map_err(LoginError::Api)?;
    if other_person || previous.is_none() {
        // Whatever a previous person left (or a half-finished first login) goes.
        store.wipe().await.map_err(LoginError::Store)?;
    }
    store.adopt_device(&reply.device_id, reply.user.person_id.as_str()).await.map_err(LoginError::Store)?;
    let session = Session {
        username: username.to_string(),
        device_id: reply.device_id,
        token: reply.token,
        user: reply.user,
        expired: false,
    };
    session.save();
    Ok(session)
}

/// Why logging out was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum LogoutBlocked {
    /// Changes not yet on the server would be lost: sync first (or force).
    Pending(u32),
    Store(StoreError),
}

/// Logs out: revokes the token (if the server can be reached), wipes the phone's data and
/// forgets the session. Refused while changes are unsynced, unless `force`.
pub async fn log_out(store: &Store, session: &Session, force: bool) -> Result<(), LogoutBlocked> {
    let pending = store.pending_count().await.map_err(LogoutBlocked::Store)?;
    // Photos not yet uploaded would be lost with the data too.
    let pending = pending + store.photo_counts().await.map_err(LogoutBlocked::Store)?.0;
    if pending > 0 && !force {
        return Err(LogoutBlocked::Pending(pending));
    }
    // Offline, the token simply stays valid until an administrator revokes it.
    let _ = api::logout(&session.token).await;
    store.wipe().await.map_err(LogoutBlocked::Store)?;
    Session::clear();
    Ok(())
}

/// A name for this device in the server's device list, so an administrator can tell
/// phones apart when revoking one.
fn device_name() -> String {
    let ua = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let kind = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") {
        "iPhone"
    } else {
        "browser"
    };
    format!("网格通 {kind}")
}
