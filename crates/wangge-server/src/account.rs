//! Accounts: who may sync, as which person, from which part of the grid tree. The home
//! grid is the root of everything the user may read and write (their scope).

use serde::Serialize;
use utoipa::ToSchema;
use wangge_core::people::Role;
use wangge_core::{GridId, PersonId};

/// A user as the API and the scope checks see them (never their password hash).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct User {
    #[serde(skip)]
    pub username: String,
    pub person_id: PersonId,
    pub name: String,
    pub roles: Vec<Role>,
    pub home_grid: GridId,
}

/// The shortest password a reset accepts (the admin API and `user set-password`).
pub const MIN_PASSWORD_CHARS: usize = 8;

/// What `user add` (and the demo seeding) needs to create an account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub person_id: PersonId,
    pub name: String,
    pub roles: Vec<Role>,
    pub home_grid: GridId,
}

/// A line of `user list`.
#[derive(Debug, Clone)]
pub struct UserSummary {
    pub user: User,
    pub active: bool,
    pub devices: u32,
}

/// The authenticated caller of a sync endpoint: the user and the device they logged in on.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub device_id: String,
}

/// Unknown codes are dropped rather than failing a login: a role removed from the core
/// must not lock its holders out.
pub(crate) fn roles_from_json(json: &str) -> Vec<Role> {
    let codes: Vec<String> = serde_json::from_str(json).unwrap_or_default();
    codes.iter().filter_map(|c| Role::from_code(c)).collect()
}
