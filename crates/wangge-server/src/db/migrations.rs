//! Ordered schema migrations, applied on start inside one transaction each. The version
//! reached is kept in SQLite's `user_version`, so a restart applies only what is new.

use rusqlite::Connection;

use super::DbError;

/// Each entry upgrades the schema from version `index` to `index + 1`. Append only: a
/// migration that has shipped is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_sync.sql"),
    include_str!("../../migrations/0003_field_writer.sql"),
    include_str!("../../migrations/0004_conflict_settlement.sql"),
    include_str!("../../migrations/0005_attributed_deletes.sql"),
    include_str!("../../migrations/0006_admin.sql"),
    include_str!("../../migrations/0007_record_log.sql"),
    // 0008 (accounts) comes from another branch; these two follow it at merge time.
    include_str!("../../migrations/0009_member_fields.sql"),
    include_str!("../../migrations/0010_ledger_import.sql"),
];

/// The schema version this server migrates to.
pub(super) const LATEST: u32 = MIGRATIONS.len() as u32;

pub(super) fn current_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

pub(super) fn run(conn: &mut Connection) -> Result<(), DbError> {
    run_to(conn, LATEST)
}

/// Migrates up to schema version `target` (tests stop part-way to write old shapes).
pub(super) fn run_to(conn: &mut Connection, target: u32) -> Result<(), DbError> {
    let known = LATEST;
    let found = current_version(conn)?;
    if found > known {
        return Err(DbError::TooNew { found, known });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().take(target as usize).skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn).unwrap();
        run(&mut conn).unwrap();
        assert_eq!(current_version(&conn).unwrap(), MIGRATIONS.len() as u32);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        assert!(matches!(run(&mut conn), Err(DbError::TooNew { found: 999, .. })));
    }
}
