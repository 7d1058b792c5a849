//! Ordered schema migrations, applied on start inside one transaction each, one list per
//! engine. On SQLite the version reached is kept in `user_version`; on PostgreSQL in the
//! `schema_version` table (its first step creates the whole schema as SQLite's 17 steps
//! left it). A restart applies only what is new. Both lists count the same versions: a
//! change to the schema appends one step to each.

use rusqlite::Connection;

use super::sql::{params, Conn};
use super::DbError;

/// PostgreSQL's steps; entry `i` reaches version `PG_FIRST + i` (the first creates
/// everything at once, from nothing to version 17).
const PG_MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/pg/0001_schema.sql"),
    include_str!("../../migrations/pg/0002_results_without_client_check.sql"),
];
/// The version PostgreSQL's first step reaches.
const PG_FIRST: u32 = 17;

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
    include_str!("../../migrations/0008_accounts_on_people.sql"),
    include_str!("../../migrations/0009_member_fields.sql"),
    include_str!("../../migrations/0010_ledger_import.sql"),
    include_str!("../../migrations/0011_field_written_at.sql"),
    include_str!("../../migrations/0012_import_people.sql"),
    include_str!("../../migrations/0013_whole_record_conflicts.sql"),
    include_str!("../../migrations/0014_handoffs.sql"),
    include_str!("../../migrations/0015_export_log.sql"),
    include_str!("../../migrations/0016_photos.sql"),
    include_str!("../../migrations/0017_export_log_casework.sql"),
    include_str!("../../migrations/0018_results_without_client_check.sql"),
];

/// The schema version this server migrates to.
pub(super) const LATEST: u32 = MIGRATIONS.len() as u32;

pub(super) fn sqlite_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// The schema version `conn`'s database is at (0: empty).
pub(super) fn current_version(conn: &Conn) -> Result<u32, DbError> {
    match conn.as_sqlite() {
        Some(lite) => Ok(sqlite_version(lite)?),
        None => {
            let exists = conn.query_value::<bool>(
                "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version' AND table_schema = current_schema())",
                params![],
            )?;
            if !exists {
                return Ok(0);
            }
            conn.query_value("SELECT version FROM schema_version", params![])
        }
    }
}

pub(super) fn run(conn: &mut Conn) -> Result<(), DbError> {
    match conn.as_sqlite_mut() {
        Some(lite) => run_to(lite, LATEST),
        None => run_postgres(conn),
    }
}

/// PostgreSQL: the steps after the version found, each in its own transaction. Two
/// servers starting at once against an empty database: the advisory lock makes the
/// second wait and then find the schema in place.
fn run_postgres(conn: &Conn) -> Result<(), DbError> {
    conn.execute_batch("SELECT pg_advisory_lock(7001)")?;
    let result = (|| {
        let found = current_version(conn)?;
        if found > LATEST {
            return Err(DbError::TooNew { found, known: LATEST });
        }
        let pg_latest = PG_FIRST + PG_MIGRATIONS.len() as u32 - 1;
        if pg_latest != LATEST {
            return Err(DbError::Corrupt(format!("PostgreSQL's steps reach {pg_latest}, SQLite's {LATEST}")));
        }
        for (i, sql) in PG_MIGRATIONS.iter().enumerate() {
            let reaches = PG_FIRST + i as u32;
            if reaches <= found {
                continue;
            }
            conn.execute_batch("BEGIN")?;
            let step = conn
                .execute_batch(sql)
                .and_then(|()| conn.execute("UPDATE schema_version SET version = ?1", params![reaches]).map(drop));
            match step {
                Ok(()) => conn.execute_batch("COMMIT")?,
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(e);
                }
            }
        }
        Ok(())
    })();
    conn.execute_batch("SELECT pg_advisory_unlock(7001)")?;
    result
}

/// Migrates up to schema version `target` (tests stop part-way to write old shapes).
pub(super) fn run_to(conn: &mut Connection, target: u32) -> Result<(), DbError> {
    let known = LATEST;
    let found = sqlite_version(conn)?;
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
        run_to(&mut conn, LATEST).unwrap();
        run_to(&mut conn, LATEST).unwrap();
        assert_eq!(sqlite_version(&conn).unwrap(), MIGRATIONS.len() as u32);
    }

    #[test]
    fn accounts_move_onto_their_person_records_with_fresh_versions() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (i, sql) in MIGRATIONS[..7].iter().enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", i as u32 + 1).unwrap();
        }
        conn.execute_batch(
            r#"UPDATE version_counter SET value = 10;
            INSERT INTO users VALUES ('w', 'h', 'p-w', '王', '["grid_worker"]', 'g1', 1, 0);
            INSERT INTO users VALUES ('s', 'h', 'p-s', '李', '["community_secretary","grid_worker"]', 'g2', 1, 0);
            INSERT INTO users VALUES ('t', 'h', 'p-t', '赵', '["town_staff"]', 'g3', 1, 0);
            INSERT INTO records VALUES ('people', 'p-s', 'g2', 0, 5, NULL, NULL);
            INSERT INTO record_fields VALUES ('people', 'p-s', 'roles', '["grid_worker","community_secretary"]', 5, NULL);
            INSERT INTO records VALUES ('people', 'p-t', 'g3', 0, 6, NULL, NULL);
            INSERT INTO record_fields VALUES ('people', 'p-t', 'roles', '["grid_worker"]', 6, NULL);"#,
        )
        .unwrap();
        run_to(&mut conn, LATEST).unwrap();
        let field = |id: &str, f: &str| -> (String, u64) {
            conn.query_row(
                "SELECT value, version FROM record_fields WHERE collection = 'people' AND id = ?1 AND field = ?2",
                [id, f],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        assert_eq!(field("p-w", "name").0, "\"王\"", "a person record made for the account");
        assert_eq!(field("p-w", "grid").0, "\"g1\"");
        assert_eq!(field("p-s", "roles").1, 5, "the same roles in another order are left alone");
        assert_eq!(field("p-t", "roles").0, r#"["town_staff"]"#, "the account's roles were the ones in force");
        let versions: Vec<u64> = ["p-t", "p-w"].iter().map(|id| field(id, "roles").1).collect();
        assert_eq!(versions, [11, 12], "one fresh version each");
        let counter: u64 = conn.query_row("SELECT value FROM version_counter", [], |r| r.get(0)).unwrap();
        assert_eq!(counter, 12);
    }

    #[test]
    fn a_losing_delete_stored_as_deleted_becomes_a_whole_record_conflict_with_a_fresh_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        run_to(&mut conn, 12).unwrap();
        conn.execute_batch(
            r#"UPDATE version_counter SET value = 20;
            INSERT INTO records (collection, id, grid, deleted, version) VALUES ('households', 'h1', 'g1', 0, 9);
            INSERT INTO record_fields (collection, id, field, value, version) VALUES ('households', 'h1', 'head', '"王芳"', 5);
            INSERT INTO record_fields (collection, id, field, value, version) VALUES ('households', 'h1', 'size', '4', 9);
            INSERT INTO conflicts (id, collection, record_id, field, server_value, device_value, actor, client_id, resolved, grid, version)
                VALUES ('conflict-10-aa', 'households', 'h1', '_deleted', 'false', 'true', 'p1', 'c1', 0, 'g1', 10);
            INSERT INTO conflicts (id, collection, record_id, field, server_value, device_value, actor, client_id, resolved, grid, version)
                VALUES ('conflict-11-bb', 'households', 'h1', 'size', '4', '5', 'p1', 'c1', 0, 'g1', 11);"#,
        )
        .unwrap();
        run_to(&mut conn, LATEST).unwrap();
        let conflict = |id: &str| -> (String, String, String, u64) {
            conn.query_row(
                "SELECT field, server_value, device_value, version FROM conflicts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
        };
        let (field, server, device, version) = conflict("conflict-10-aa");
        assert_eq!(field, wangge_core::sync::WHOLE_RECORD);
        let server: serde_json::Value = serde_json::from_str(&server).unwrap();
        assert_eq!(server, serde_json::json!({"head": "王芳", "size": 4}));
        assert_eq!(device, "null");
        assert_eq!(version, 21, "a fresh version, so phones pull the new form");
        assert_eq!(
            conflict("conflict-11-bb"),
            ("size".into(), "4".into(), "5".into(), 11),
            "a field conflict is left alone"
        );
        let counter: u64 = conn.query_row("SELECT value FROM version_counter", [], |r| r.get(0)).unwrap();
        assert_eq!(counter, 21);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        assert!(matches!(run_to(&mut conn, LATEST), Err(DbError::TooNew { found: 999, .. })));
    }

    #[test]
    fn stored_answers_survive_losing_their_client_check() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        run_to(&mut conn, 17).unwrap();
        conn.execute_batch(
            "INSERT INTO users (username, password_hash, person_id, active, created_at) VALUES ('w', 'x', 'p-w', 1, 0);
             INSERT INTO clients VALUES ('phone-1', 'w', 2);
             INSERT INTO mutation_results VALUES ('phone-1', 1, 'applied', NULL, NULL), ('phone-1', 2, 'rejected', 'scope', '不在你的网格');",
        )
        .unwrap();
        let fks = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(*) FROM pragma_foreign_key_list('mutation_results')", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(fks(&conn), 1);
        run_to(&mut conn, 18).unwrap();
        assert_eq!(fks(&conn), 0);
        let rows: Vec<(String, i64, String, Option<String>)> = conn
            .prepare("SELECT client_id, seq, status, message FROM mutation_results ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("phone-1".to_string(), 1, "applied".to_string(), None),
                ("phone-1".to_string(), 2, "rejected".to_string(), Some("不在你的网格".to_string()))
            ]
        );
        // A retried seq is still refused by the primary key.
        assert!(conn.execute("INSERT INTO mutation_results VALUES ('phone-1', 2, 'applied', NULL, NULL)", []).is_err());
    }
}
