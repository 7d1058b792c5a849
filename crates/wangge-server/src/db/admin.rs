//! Administration of accounts and devices: disable, enable, password reset (which signs
//! out every device of the account: a reset after a lost phone must cut the phone off),
//! device revoke, and the lists an administrator works from. **Every change is written
//! with its `admin_log` row in the same transaction**, so none goes unattributed. Through
//! the API an administrator is held to `admin_scope::manages`; the command line is not.

use super::sql::{params, Conn, OptionalExtension};
use serde::Serialize;
use wangge_core::grid::GridTree;
use wangge_core::people::Role;
use wangge_core::{GridId, PersonId};

use super::Answer;
use super::{store, users, Db, DbError};
use crate::account::{Caller, User};
use crate::admin_scope::manages;

/// Who is acting.
#[derive(Debug, Clone)]
pub enum Actor {
    /// The operator at the server's command line: every account.
    Cli,
    /// An administrator through the API: only the accounts they manage.
    Api(Caller),
}

impl Actor {
    /// As the administration log records it: how they came in, who, from which device.
    fn logged_as(&self) -> (&'static str, Option<&str>, Option<&str>) {
        match self {
            Actor::Cli => ("cli", None, None),
            Actor::Api(c) => ("api", Some(c.user.username.as_str()), Some(c.device_id.as_str())),
        }
    }
}

#[derive(Debug, Clone)]
pub enum AdminAction {
    Disable {
        username: String,
    },
    Enable {
        username: String,
    },
    /// Hashed by the caller: the database never sees a password.
    SetPassword {
        username: String,
        password_hash: String,
    },
    RevokeDevice {
        device_id: String,
    },
}

impl AdminAction {
    /// As stored in `admin_log.action` and logged.
    pub fn code(&self) -> &'static str {
        match self {
            AdminAction::Disable { .. } => "disable",
            AdminAction::Enable { .. } => "enable",
            AdminAction::SetPassword { .. } => "set_password",
            AdminAction::RevokeDevice { .. } => "revoke_device",
        }
    }
}

/// What an accepted action did.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminDone {
    /// The account acted on (for a revoke: the device's owner).
    pub username: String,
    pub device_id: Option<String>,
    /// False when the account or device already was as asked (it is logged all the same).
    pub changed: bool,
    /// Devices whose tokens this action revoked.
    pub devices_signed_out: u32,
}

/// Not carried out. An account or device outside the administrator's scope gets the same
/// answer as one that does not exist, so the API does not tell which usernames exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UnknownUser,
    UnknownDevice,
}

/// An account as an administrator sees it (never its password hash). Name, phone, roles
/// and grid are its person record's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountInfo {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub roles: Vec<Role>,
    /// The home grid: the root of the account's scope.
    pub grid: GridId,
    pub grid_name: Option<String>,
    pub person_id: PersonId,
    pub disabled: bool,
    /// Devices not revoked (some may have expired unused).
    pub devices: u32,
    /// The latest request from any of its devices (unix ms), if it ever logged in.
    pub last_seen_at: Option<i64>,
}

/// A device as an administrator sees it (never its token or hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeviceInfo {
    pub device_id: String,
    pub username: String,
    pub name: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub revoked_at: Option<i64>,
}

/// Whether the actor may act on the account with this home grid and these roles.
pub(super) fn allowed(actor: &Actor, tree: Option<&GridTree>, grid: &GridId, roles: &[Role]) -> bool {
    match (actor, tree) {
        (Actor::Cli, _) => true,
        (Actor::Api(caller), Some(tree)) => manages(tree, &caller.user, grid, roles),
        (Actor::Api(_), None) => false,
    }
}

/// The grid tree, when the actor's scope needs it.
pub(super) fn tree_for(conn: &Conn, actor: &Actor) -> Result<Option<GridTree>, DbError> {
    match actor {
        Actor::Cli => Ok(None),
        Actor::Api(_) => GridTree::build(store::load_grids(conn)?)
            .map(Some)
            .map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code()))),
    }
}

/// The account, if it exists.
pub(super) fn user(conn: &Conn, username: &str) -> Result<Option<User>, DbError> {
    let sql = format!("SELECT {} FROM users u WHERE u.username = ?1", users::USER_COLUMNS);
    let raw = conn.query_row(&sql, params![username], users::user_from_row).optional()?;
    raw.map(users::to_user).transpose()
}

/// Whether the account exists and the actor may act on it.
fn reachable(conn: &Conn, actor: &Actor, username: &str) -> Result<bool, DbError> {
    let Some(user) = user(conn, username)? else { return Ok(false) };
    Ok(allowed(actor, tree_for(conn, actor)?.as_ref(), &user.home_grid, &user.roles))
}

/// The account as the list shows it, if it exists.
pub(super) fn account(conn: &Conn, tree: Option<&GridTree>, username: &str) -> Result<Option<AccountInfo>, DbError> {
    let Some(user) = user(conn, username)? else { return Ok(None) };
    let (active, devices, last_seen_at): (bool, u32, Option<i64>) = conn.query_row(
        "SELECT u.active,
           (SELECT count(*) FROM devices d WHERE d.username = u.username AND d.revoked_at IS NULL),
           (SELECT max(d.last_seen_at) FROM devices d WHERE d.username = u.username)
         FROM users u WHERE u.username = ?1",
        params![username],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let grid_name = tree.and_then(|t| t.get(&user.home_grid)).map(|g| g.name.as_str().to_string());
    Ok(Some(AccountInfo {
        phone: users::person_phone(conn, user.person_id.as_str())?,
        username: user.username,
        display_name: user.name,
        roles: user.roles,
        grid: user.home_grid,
        grid_name,
        person_id: user.person_id,
        disabled: !active,
        devices,
        last_seen_at,
    }))
}

/// The accounts the actor may manage, by username.
pub(super) fn accounts(conn: &Conn, actor: &Actor) -> Result<Vec<AccountInfo>, DbError> {
    let tree =
        GridTree::build(store::load_grids(conn)?).map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code())))?;
    let mut out = Vec::new();
    for s in users::list_users(conn)? {
        if allowed(actor, Some(&tree), &s.user.home_grid, &s.user.roles) {
            out.extend(account(conn, Some(&tree), &s.user.username)?);
        }
    }
    Ok(out)
}

/// The devices of `username` (or of every account the actor may manage), newest first.
pub(super) fn devices(conn: &Conn, actor: &Actor, username: Option<&str>) -> Answer<Vec<DeviceInfo>, Refusal> {
    if let Some(u) = username {
        if !reachable(conn, actor, u)? {
            return Ok(Err(Refusal::UnknownUser));
        }
    }
    let tree = tree_for(conn, actor)?;
    let sql = format!(
        "SELECT d.device_id, d.username, d.name, d.created_at, d.last_seen_at, d.revoked_at, {}
         FROM devices d JOIN users u ON u.username = d.username
         WHERE CAST(?1 AS TEXT) IS NULL OR d.username = ?1 ORDER BY d.created_at DESC, d.device_id",
        users::USER_COLUMNS
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![username], |r| {
        let device = DeviceInfo {
            device_id: r.get(0)?,
            username: r.get(1)?,
            name: r.get(2)?,
            created_at: r.get(3)?,
            last_seen_at: r.get(4)?,
            revoked_at: r.get(5)?,
        };
        let raw = (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?);
        Ok((device, raw))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (device, raw) = row?;
        let user = users::to_user(raw)?;
        if allowed(actor, tree.as_ref(), &user.home_grid, &user.roles) {
            out.push(device);
        }
    }
    Ok(Ok(out))
}

/// Carries out `action` and logs it, inside the caller's transaction.
pub(super) fn apply(conn: &Conn, actor: &Actor, action: &AdminAction, now: i64) -> Answer<AdminDone, Refusal> {
    let (username, device_id) = match action {
        AdminAction::RevokeDevice { device_id } => {
            let owner: Option<String> = conn
                .query_row("SELECT username FROM devices WHERE device_id = ?1", params![device_id], |r| r.get(0))
                .optional()?;
            match owner {
                Some(owner) if reachable(conn, actor, &owner)? => (owner, Some(device_id.clone())),
                _ => return Ok(Err(Refusal::UnknownDevice)),
            }
        }
        AdminAction::Disable { username }
        | AdminAction::Enable { username }
        | AdminAction::SetPassword { username, .. } => {
            if !reachable(conn, actor, username)? {
                return Ok(Err(Refusal::UnknownUser));
            }
            (username.clone(), None)
        }
    };
    let (changed, devices_signed_out) = match action {
        AdminAction::Disable { .. } | AdminAction::Enable { .. } => {
            let active = matches!(action, AdminAction::Enable { .. });
            let n = conn.execute(
                "UPDATE users SET active = ?2 WHERE username = ?1 AND active <> ?2",
                params![username, active],
            )?;
            mark_person_active(conn, actor, &username, active)?;
            (n == 1, 0)
        }
        AdminAction::SetPassword { password_hash, .. } => {
            conn.execute("UPDATE users SET password_hash = ?2 WHERE username = ?1", params![username, password_hash])?;
            let n = conn.execute(
                "UPDATE devices SET revoked_at = ?2 WHERE username = ?1 AND revoked_at IS NULL",
                params![username, now],
            )?;
            (true, n as u32)
        }
        AdminAction::RevokeDevice { device_id } => {
            let changed = users::revoke_device(conn, device_id, now)?;
            (changed, u32::from(changed))
        }
    };
    let (via, actor_name, actor_device) = actor.logged_as();
    conn.execute(
        "INSERT INTO admin_log (at, via, actor, actor_device, action, username, device_id, devices_signed_out)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![now, via, actor_name, actor_device, action.code(), username, device_id, devices_signed_out],
    )?;
    Ok(Ok(AdminDone { username, device_id, changed, devices_signed_out }))
}

/// A disabled account's person record says so (`active: false`, 已离岗) and an enabled
/// one's says it again, through the record feed, so every phone in scope stops offering
/// them as an assignee; the record itself stays, so history keeps its author.
fn mark_person_active(conn: &Conn, actor: &Actor, username: &str, active: bool) -> Result<(), DbError> {
    let Some(user) = user(conn, username)? else {
        return Ok(());
    };
    let writer = match actor {
        Actor::Cli => "admin:cli".to_string(),
        Actor::Api(c) => format!("admin:{}", c.user.username),
    };
    let fields = [("active".to_string(), serde_json::Value::Bool(active))].into_iter().collect();
    let mut feed = super::feed::Feed::open(conn, writer)?;
    feed.put("people", user.person_id.as_str(), user.home_grid.as_str(), &fields)?;
    feed.close()
}

/// One `admin_log` row, in the caller's transaction: ids and counts only, never a name,
/// a phone or a password.
pub(super) fn write_log(
    conn: &Conn,
    actor: &Actor,
    action: &str,
    username: Option<&str>,
    target: Option<&str>,
    detail: Option<String>,
    now: i64,
) -> Result<(), DbError> {
    let (via, actor_name, actor_device) = actor.logged_as();
    conn.execute(
        "INSERT INTO admin_log (at, via, actor, actor_device, action, username, target, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![now, via, actor_name, actor_device, action, username, target, detail],
    )?;
    tracing::info!(
        via,
        admin = actor_name.unwrap_or("-"),
        action,
        username = username.unwrap_or("-"),
        target = target.unwrap_or("-"),
        "admin action"
    );
    Ok(())
}

/// Logs an action's result (usernames and device ids only: no names, no passwords).
fn log(actor: &Actor, action: &AdminAction, result: &Result<AdminDone, Refusal>) {
    let (via, admin) = match actor {
        Actor::Cli => ("cli", "-"),
        Actor::Api(c) => ("api", c.user.username.as_str()),
    };
    match result {
        Ok(done) => tracing::info!(
            via, admin, action = action.code(), username = %done.username, device = done.device_id.as_deref().unwrap_or("-"),
            changed = done.changed, signed_out = done.devices_signed_out, "admin action"
        ),
        Err(refusal) => {
            let target = match action {
                AdminAction::RevokeDevice { device_id } => device_id.as_str(),
                AdminAction::Disable { username }
                | AdminAction::Enable { username }
                | AdminAction::SetPassword { username, .. } => username,
            };
            tracing::info!(via, admin, action = action.code(), target, ?refusal, "admin action refused");
        }
    }
}

impl Db {
    /// Carries out an administrator's action; returns after the COMMIT that holds it and
    /// its `admin_log` row.
    pub async fn admin(&self, actor: Actor, action: AdminAction) -> Answer<AdminDone, Refusal> {
        let now = crate::now_millis();
        let (a, b) = (actor.clone(), action.clone());
        let result = self.write(move |c| apply(c, &a, &b, now)).await?;
        log(&actor, &action, &result);
        Ok(result)
    }

    /// The same, for the command line.
    pub fn admin_blocking(&self, actor: Actor, action: AdminAction) -> Answer<AdminDone, Refusal> {
        let now = crate::now_millis();
        let (a, b) = (actor.clone(), action.clone());
        let result = self.write_blocking(move |c| apply(c, &a, &b, now))?;
        log(&actor, &action, &result);
        Ok(result)
    }

    /// The accounts the actor may manage.
    pub async fn admin_accounts(&self, actor: Actor) -> Result<Vec<AccountInfo>, DbError> {
        self.read(move |c| accounts(c, &actor)).await
    }

    /// The devices of `username`, if the actor may manage the account.
    pub async fn admin_devices(&self, actor: Actor, username: String) -> Answer<Vec<DeviceInfo>, Refusal> {
        self.read(move |c| devices(c, &actor, Some(&username))).await
    }

    /// Every device, or those of one account, for the command line.
    pub fn devices_blocking(&self, username: Option<String>) -> Answer<Vec<DeviceInfo>, Refusal> {
        self.readers.with(|c| devices(c, &Actor::Cli, username.as_deref()))
    }
}
