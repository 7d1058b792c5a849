//! The session the worker app keeps in localStorage (`src/session.rs` of the root package,
//! key `wangge.session`): same origin, so an administrator who logged in at `/` is logged
//! in here. Read only; this app never logs in or out itself.

use serde::Deserialize;
use wangge_core::people::Role;

const STORAGE_KEY: &str = "wangge.session";

/// The fields of the worker app's `Session` this app needs (unknown ones are ignored).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Session {
    pub(crate) username: String,
    pub(crate) token: String,
    pub(crate) user: User,
    #[serde(default)]
    pub(crate) expired: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct User {
    pub(crate) name: String,
    pub(crate) roles: Vec<Role>,
}

/// The roles the server lets administer (`admin_scope.rs`); the server decides, this only
/// spares everyone else a screen of refusals.
pub(crate) const ADMIN_ROLES: [Role; 3] = [Role::CommunitySecretary, Role::TownStaff, Role::DistrictStaff];

impl Session {
    pub(crate) fn load() -> Option<Session> {
        let raw = web_sys::window()?.local_storage().ok()??.get_item(STORAGE_KEY).ok()??;
        serde_json::from_str(&raw).ok()
    }

    pub(crate) fn administers(&self) -> bool {
        self.user.roles.iter().any(|r| ADMIN_ROLES.contains(r))
    }
}
