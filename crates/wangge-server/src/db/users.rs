//! Users and their devices: accounts with argon2id hashes, device tokens kept as SHA-256,
//! revocation on logout, and what a presented token is worth (revoked, disabled account,
//! idle too long). Administration (disable, reset, revoke) is in `admin.rs`.
//!
//! **An account's roles, name and home grid are its person record's** (migration 0008):
//! `users` holds what logs in and the link `person_id`; every read of a user joins the
//! record phones pull, so what the phone shows and what the server enforces cannot differ.

use super::sql::{params, Conn, OptionalExtension, Row};
use wangge_core::people::Role;
use wangge_core::{GridId, PersonId};

use super::feed::Feed;
use super::DbError;
use crate::account::{roles_from_json, Caller, NewUser, User, UserSummary};
use crate::records::Fields;

/// What a presented device token turned out to be.
#[derive(Debug)]
pub(crate) enum TokenCheck {
    Valid(Caller),
    /// Logged out, revoked by an administrator, or signed out by a password reset.
    Revoked,
    /// The account is disabled; its tokens work again if it is enabled.
    AccountDisabled,
    /// Unused for longer than the idle period: the phone logs in again (recording offline
    /// never needed the token, and its outbox waits for the new one).
    Expired,
    Unknown,
}

/// A person record's field as SQL text, for a user row `u` (JSON strings unwrapped).
macro_rules! person_field {
    ($field:literal) => {
        concat!(
            "(SELECT json_extract(pf.value, '$') FROM record_fields pf WHERE pf.collection = 'people' AND pf.id = u.person_id AND pf.field = '",
            $field,
            "')"
        )
    };
}

/// Roles stay JSON text (an array of codes), as `roles_from_json` reads them.
pub(super) const USER_COLUMNS: &str = concat!(
    "u.username, u.person_id, coalesce(",
    person_field!("name"),
    ", ''), coalesce((SELECT pf.value FROM record_fields pf WHERE pf.collection = 'people' AND pf.id = u.person_id AND pf.field = 'roles'), '[]'), coalesce(",
    person_field!("grid"),
    ", '')"
);

pub(super) fn user_from_row(r: &Row) -> Result<(String, String, String, String, String), DbError> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

pub(super) fn to_user(raw: (String, String, String, String, String)) -> Result<User, DbError> {
    let (username, person, name, roles, grid) = raw;
    Ok(User {
        person_id: PersonId::parse(person).map_err(|e| DbError::Corrupt(format!("user person id: {}", e.code())))?,
        home_grid: GridId::parse(grid).map_err(|e| DbError::Corrupt(format!("user home grid: {}", e.code())))?,
        roles: roles_from_json(&roles),
        username,
        name,
    })
}

/// False if the username (or the person) already has an account. The person record is
/// written through the feed with the account's name, grid and roles (created, or brought
/// to them when the roster already has the person), so phones in scope pull it.
pub(super) fn add_user(conn: &Conn, user: &NewUser, password_hash: &str, now: i64) -> Result<bool, DbError> {
    let inserted = conn.execute(
        "INSERT INTO users (username, password_hash, person_id, active, created_at)
         VALUES (?1, ?2, ?3, 1, ?4) ON CONFLICT DO NOTHING",
        params![user.username, password_hash, user.person_id.as_str(), now],
    )?;
    if inserted != 1 {
        return Ok(false);
    }
    let mut feed = Feed::open(conn, format!("account:{}", user.username))?;
    let phone = person_phone(conn, user.person_id.as_str())?;
    let fields = person_fields(&user.person_id, &user.name, phone, &user.home_grid, &user.roles, true);
    feed.put("people", user.person_id.as_str(), user.home_grid.as_str(), &fields)?;
    feed.close()?;
    Ok(true)
}

/// A person record's fields as the core writes them (roles sorted, as a set).
pub(super) fn person_fields(
    id: &PersonId,
    name: &str,
    phone: Option<String>,
    grid: &GridId,
    roles: &[Role],
    active: bool,
) -> Fields {
    let roles: std::collections::BTreeSet<Role> = roles.iter().copied().collect();
    let value = serde_json::json!({
        "id": id.as_str(), "name": name, "phone": phone, "grid": grid.as_str(), "roles": roles, "active": active,
    });
    match value {
        serde_json::Value::Object(map) => map,
        _ => Fields::new(),
    }
}

/// The phone on a person's record, if any.
pub(super) fn person_phone(conn: &Conn, person_id: &str) -> Result<Option<String>, DbError> {
    let phone: Option<Option<String>> = conn
        .query_row(
            "SELECT json_extract(value, '$') FROM record_fields WHERE collection = 'people' AND id = ?1 AND field = 'phone'",
            params![person_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(phone.flatten())
}

pub(super) fn list_users(conn: &Conn) -> Result<Vec<UserSummary>, DbError> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.active,
           (SELECT count(*) FROM devices d WHERE d.username = u.username AND d.revoked_at IS NULL)
         FROM users u ORDER BY u.username"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![], |r| Ok((user_from_row(r)?, r.get::<bool>(5)?, r.get::<u32>(6)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (raw, active, devices) = row?;
        out.push(UserSummary { user: to_user(raw)?, active, devices });
    }
    Ok(out)
}

/// A user, their password hash and whether the account is active, for login. A disabled
/// account is found too: its password is checked like any other, so the answer for it
/// (`account_disabled`) is only ever given to someone who knows the password.
pub(super) fn login_lookup(conn: &Conn, username: &str) -> Result<Option<(User, String, bool)>, DbError> {
    let sql = format!("SELECT {USER_COLUMNS}, u.password_hash, u.active FROM users u WHERE u.username = ?1");
    let row = conn
        .query_row(&sql, params![username], |r| Ok((user_from_row(r)?, r.get::<String>(5)?, r.get::<bool>(6)?)))
        .optional()?;
    row.map(|(raw, hash, active)| Ok((to_user(raw)?, hash, active))).transpose()
}

pub(super) fn create_device(
    conn: &Conn,
    device_id: &str,
    username: &str,
    name: &str,
    token_hash: &[u8],
    now: i64,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO devices (device_id, username, name, token_hash, created_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![device_id, username, name, token_hash, now],
    )?;
    Ok(())
}

/// What the token is, read only. With `Valid`, also whether the device's `last_seen_at`
/// is over a minute old: the caller then records the visit with [`touch_device`] through
/// the writer (at most one write a minute per device: with synchronous=FULL every write
/// is a sync). A token unused for more than `idle_ms` is `Expired` (so the idle period is
/// measured to within that minute); a refused token is never touched, so it stays refused.
pub(super) fn check_token(
    conn: &Conn,
    token_hash: &[u8],
    now: i64,
    idle_ms: i64,
) -> Result<(TokenCheck, bool), DbError> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, d.device_id, d.revoked_at, u.active, d.last_seen_at FROM devices d
         JOIN users u ON u.username = d.username WHERE d.token_hash = ?1"
    );
    // Cached: every sync request checks its token.
    let row = conn
        .prepare_cached(&sql)?
        .query_row(params![token_hash], |r| {
            Ok((user_from_row(r)?, r.get::<String>(5)?, r.get::<Option<i64>>(6)?, r.get::<bool>(7)?, r.get::<i64>(8)?))
        })
        .optional()?;
    let Some((raw, device_id, revoked_at, active, last_seen)) = row else {
        return Ok((TokenCheck::Unknown, false));
    };
    // Revoked first: a revoked token never comes back, whatever happens to the account.
    if revoked_at.is_some() {
        return Ok((TokenCheck::Revoked, false));
    }
    if !active {
        return Ok((TokenCheck::AccountDisabled, false));
    }
    if now.saturating_sub(last_seen) > idle_ms {
        return Ok((TokenCheck::Expired, false));
    }
    Ok((TokenCheck::Valid(Caller { user: to_user(raw)?, device_id }), last_seen < now - 60_000))
}

pub(super) fn touch_device(conn: &Conn, device_id: &str, now: i64) -> Result<(), DbError> {
    conn.execute(
        "UPDATE devices SET last_seen_at = ?2 WHERE device_id = ?1 AND last_seen_at < ?3",
        params![device_id, now, now - 60_000],
    )?;
    Ok(())
}

/// False if the device was already revoked (or does not exist).
pub(super) fn revoke_device(conn: &Conn, device_id: &str, now: i64) -> Result<bool, DbError> {
    let changed = conn.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL",
        params![device_id, now],
    )?;
    Ok(changed == 1)
}

/// Whether the person record belongs to an account (whose roles and home grid are then
/// set through administration only, never by a push).
pub(super) fn is_account(conn: &Conn, person_id: &str) -> Result<bool, DbError> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM users WHERE person_id = ?1")?
        .query_row(params![person_id], |r| r.get(0))?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn world() -> Conn {
        let mut conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        super::super::migrations::run(&mut conn).unwrap();
        let user = NewUser {
            username: "w".into(),
            password: String::new(),
            person_id: PersonId::parse("p-w").unwrap(),
            name: "王".into(),
            roles: vec![Role::GridWorker],
            home_grid: GridId::parse("g1").unwrap(),
        };
        assert!(add_user(&conn, &user, "hash", 0).unwrap());
        create_device(&conn, "d1", "w", "phone", b"token", 0).unwrap();
        conn
    }

    fn check(conn: &Conn, now: i64) -> TokenCheck {
        check_token(conn, b"token", now, 30 * DAY).unwrap().0
    }

    #[test]
    fn a_token_idle_past_the_period_is_expired_and_one_used_inside_it_is_not() {
        let conn = world();
        assert!(matches!(check(&conn, 30 * DAY), TokenCheck::Valid(_)), "exactly the period is still fine");
        assert!(matches!(check(&conn, 30 * DAY + 1), TokenCheck::Expired));
        touch_device(&conn, "d1", 20 * DAY).unwrap();
        assert!(matches!(check(&conn, 49 * DAY), TokenCheck::Valid(_)), "use restarts the period");
    }

    #[test]
    fn revoked_wins_over_disabled_and_disabled_over_expired() {
        let conn = world();
        conn.execute("UPDATE users SET active = 0", params![]).unwrap();
        assert!(matches!(check(&conn, 99 * DAY), TokenCheck::AccountDisabled));
        assert!(revoke_device(&conn, "d1", DAY).unwrap());
        assert!(!revoke_device(&conn, "d1", 2 * DAY).unwrap(), "revoking twice changes nothing");
        assert!(matches!(check(&conn, DAY), TokenCheck::Revoked));
        assert!(matches!(check_token(&conn, b"other", DAY, DAY).unwrap().0, TokenCheck::Unknown));
    }
}
