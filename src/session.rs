//! Who is using this phone: the account a device token was issued to, kept in
//! localStorage so the app opens offline after one login. The token is the only secret;
//! the server stores just its hash and can revoke it.

use serde::{Deserialize, Serialize};
use wangge_core::grid::EscalationLevel;
use wangge_core::people::Role;
use wangge_core::{GridId, PersonId};

const STORAGE_KEY: &str = "wangge.session";

/// The logged-in user, as `POST /api/v1/auth/login` returned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub username: String,
    pub device_id: String,
    pub token: String,
    pub user: User,
    /// The server said the token is no longer valid: the worker must log in again. The
    /// data and the outbox stay; only syncing waits.
    #[serde(default)]
    pub expired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub person_id: PersonId,
    pub name: String,
    pub roles: Vec<Role>,
    pub home_grid: GridId,
}

impl Session {
    /// The session saved on this phone, if any.
    pub fn load() -> Option<Session> {
        let raw = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
        serde_json::from_str(&raw).ok()
    }

    pub fn save(&self) {
        if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(self)) {
            let _ = s.set_item(STORAGE_KEY, &json);
        }
    }

    pub fn clear() {
        if let Some(s) = storage() {
            let _ = s.remove_item(STORAGE_KEY);
        }
    }

    /// The highest rung of the ladder this user handles issues at (grid for a worker).
    pub fn level(&self) -> EscalationLevel {
        self.user.roles.iter().filter_map(|r| r.handles_at()).max().unwrap_or(EscalationLevel::Grid)
    }

    /// Community staff and above: they see the dashboard and the meeting list.
    pub fn is_staff(&self) -> bool {
        self.level() > EscalationLevel::Grid
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
