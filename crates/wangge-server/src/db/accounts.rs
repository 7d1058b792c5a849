//! Creating and changing accounts through the admin API. **An account is created together
//! with its person record** (the record phones pull, which holds the roles, name, phone
//! and home grid the server enforces), and a change of roles or home grid is a change of
//! that record, written through the feed. Both are held to the administrator's scope
//! (`admin_scope::manages`: the subtree, and roles no higher than their own) before and
//! after the change, and to the role/grid level rule (`admin_rules`).

use super::sql::{params, Conn, OptionalExtension};
use wangge_core::grid::GridTree;
use wangge_core::people::Role;
use wangge_core::{GridId, PersonId};

use super::admin::{self, AccountInfo, Actor};
use super::feed::Feed;
use super::Answer;
use super::{grids, users, DbError};
use crate::account::Caller;
use crate::admin_rules::{check_roles_and_level, check_username, RefusalKind, Refused};
use crate::admin_scope::manages;

/// `POST /admin/users`, with the person id and password hash made by the route.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub roles: Vec<Role>,
    pub grid: GridId,
    pub person_id: PersonId,
    pub password_hash: String,
}

/// `PATCH /admin/users/{username}`; `phone: Some(None)` clears the phone.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub display_name: Option<String>,
    pub phone: Option<Option<String>>,
    pub roles: Option<Vec<Role>>,
    pub grid: Option<GridId>,
}

/// The home grid an account may be given: live, in the caller's subtree, and suited to
/// its roles; and the roles must rank no higher than the caller's.
fn check_placement(tree: &GridTree, caller: &Caller, grid: &GridId, roles: &[Role]) -> Result<(), Refused> {
    let Some(g) = tree.get(grid).filter(|_| tree.contains(&caller.user.home_grid, grid)) else {
        return Err(Refused::unknown_grid());
    };
    if g.retired {
        return Err(Refused::new(RefusalKind::Conflict, "grid_retired", format!("网格“{}”已撤销", g.name.as_str())));
    }
    // The rank first: "a role above yours" says more than "the wrong level for it".
    if !roles.is_empty() && !manages(tree, &caller.user, grid, roles) {
        return Err(Refused::forbidden_role());
    }
    check_roles_and_level(roles, g.level)
}

pub(super) fn create(conn: &Conn, caller: &Caller, new: &NewAccount, now: i64) -> Answer<AccountInfo, Refused> {
    if let Err(r) = check_username(&new.username) {
        return Ok(Err(r));
    }
    let tree = grids::tree(conn)?;
    if let Err(r) = check_placement(&tree, caller, &new.grid, &new.roles) {
        return Ok(Err(r));
    }
    let taken: Option<i64> =
        conn.query_row("SELECT 1 FROM users WHERE username = ?1", params![&new.username], |r| r.get(0)).optional()?;
    if taken.is_some() {
        return Ok(Err(Refused::new(RefusalKind::Conflict, "username_taken", "该用户名已被使用,请换一个")));
    }
    conn.execute(
        "INSERT INTO users (username, password_hash, person_id, active, created_at) VALUES (?1, ?2, ?3, 1, ?4)",
        params![new.username, new.password_hash, new.person_id.as_str(), now],
    )?;
    let fields =
        users::person_fields(&new.person_id, &new.display_name, new.phone.clone(), &new.grid, &new.roles, true);
    let mut feed = Feed::open(conn, format!("admin:{}", caller.user.username))?;
    feed.put("people", new.person_id.as_str(), new.grid.as_str(), &fields)?;
    feed.close()?;
    let detail = format!("{{\"person_id\":\"{}\",\"grid\":\"{}\"}}", new.person_id, new.grid);
    admin::write_log(conn, &Actor::Api(caller.clone()), "create_user", Some(&new.username), None, Some(detail), now)?;
    account(conn, &new.username)
}

pub(super) fn update(
    conn: &Conn,
    caller: &Caller,
    username: &str,
    change: &AccountChange,
    now: i64,
) -> Answer<AccountInfo, Refused> {
    let tree = grids::tree(conn)?;
    let Some(user) = admin::user(conn, username)?.filter(|u| manages(&tree, &caller.user, &u.home_grid, &u.roles))
    else {
        return Ok(Err(Refused::unknown_user()));
    };
    let roles = change.roles.clone().unwrap_or_else(|| user.roles.clone());
    let grid = change.grid.clone().unwrap_or_else(|| user.home_grid.clone());
    if change.roles.is_some() || change.grid.is_some() {
        if let Err(r) = check_placement(&tree, caller, &grid, &roles) {
            return Ok(Err(r));
        }
    }
    let name = change.display_name.clone().unwrap_or(user.name.clone());
    let phone = match &change.phone {
        Some(p) => p.clone(),
        None => users::person_phone(conn, user.person_id.as_str())?,
    };
    let active: Option<bool> = conn
        .query_row(
            "SELECT value = 'true' FROM record_fields WHERE collection = 'people' AND id = ?1 AND field = 'active'",
            params![user.person_id.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    let fields = users::person_fields(&user.person_id, &name, phone, &grid, &roles, active.unwrap_or(true));
    let mut feed = Feed::open(conn, format!("admin:{}", caller.user.username))?;
    let changed = feed.put("people", user.person_id.as_str(), grid.as_str(), &fields)?;
    feed.close()?;
    if changed {
        let detail = format!("{{\"person_id\":\"{}\",\"grid\":\"{}\"}}", user.person_id, grid);
        admin::write_log(conn, &Actor::Api(caller.clone()), "update_user", Some(username), None, Some(detail), now)?;
    }
    account(conn, username)
}

fn account(conn: &Conn, username: &str) -> Answer<AccountInfo, Refused> {
    let tree = grids::tree(conn)?;
    admin::account(conn, Some(&tree), username)?
        .map(Ok)
        .ok_or_else(|| DbError::Corrupt(format!("account {username} vanished after it was written")))
}

impl super::Db {
    pub async fn admin_create_user(&self, caller: Caller, new: NewAccount) -> Answer<AccountInfo, Refused> {
        let now = crate::now_millis();
        self.write(move |c| create(c, &caller, &new, now)).await
    }

    pub async fn admin_update_user(
        &self,
        caller: Caller,
        username: String,
        change: AccountChange,
    ) -> Answer<AccountInfo, Refused> {
        let now = crate::now_millis();
        self.write(move |c| update(c, &caller, &username, &change, now)).await
    }

    /// One account as the list shows it, if the caller manages it.
    pub async fn admin_account(&self, caller: Caller, username: String) -> Result<Option<AccountInfo>, DbError> {
        self.read(move |c| {
            let tree = grids::tree(c)?;
            match admin::user(c, &username)? {
                Some(u) if manages(&tree, &caller.user, &u.home_grid, &u.roles) => {
                    admin::account(c, Some(&tree), &username)
                }
                _ => Ok(None),
            }
        })
        .await
    }
}
