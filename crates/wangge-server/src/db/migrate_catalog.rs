//! What `migrate` copies, read from the two catalogs rather than written down: the tables
//! and their columns from SQLite's `sqlite_schema` / `pragma_table_info` and PostgreSQL's
//! `pg_class` / `pg_attribute`, which must agree exactly (a table or a column on one side
//! only means the two schemas drifted, and the copy refuses rather than drop data); the
//! copy order from PostgreSQL's foreign keys; the identity columns whose sequences must
//! be moved past the copied ids.

use std::collections::{BTreeMap, BTreeSet};

use super::sql::{params, Conn};
use super::DbError;

/// PostgreSQL's own bookkeeping (SQLite keeps the version in `user_version`).
const PG_ONLY: &[&str] = &["schema_version"];

/// Tables the schema fills when it is created (the epoch, the version counter, the
/// ID-card key): a fresh target holds these rows, and the copy replaces them.
pub(super) const SEEDED: &[&str] = &["server_meta", "version_counter", "server_secrets"];

/// One table to copy: its name and its columns in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Table {
    pub(super) name: String,
    pub(super) columns: Vec<String>,
}

impl Table {
    /// `"a", "b", …` for a SELECT or an INSERT.
    pub(super) fn column_list(&self) -> String {
        self.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ")
    }
}

/// An identifier as SQL text: names come from the catalog, quoted all the same.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `pg_class.relnamespace` of the connection's schema (tests run each in a schema of its own).
const PG_SCHEMA: &str = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())";

/// Every table of both databases, parents before the tables that refer to them; refused
/// when the two disagree on a table or on a table's columns.
pub(super) fn tables(lite: &Conn, pg: &Conn) -> Result<Vec<Table>, DbError> {
    let on_lite = lite_tables(lite)?;
    let on_pg = pg_tables(pg)?;
    let names = |m: &BTreeMap<String, Vec<String>>| m.keys().cloned().collect::<BTreeSet<_>>();
    let (lite_names, pg_names) = (names(&on_lite), names(&on_pg));
    if lite_names != pg_names {
        let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).cloned().collect::<Vec<_>>().join(", ");
        return Err(DbError::Refused(format!(
            "the two schemas differ: tables only in SQLite: [{}]; only in PostgreSQL: [{}]; nothing was copied",
            only(&lite_names, &pg_names),
            only(&pg_names, &lite_names)
        )));
    }
    for (name, columns) in &on_lite {
        if on_pg[name] != *columns {
            return Err(DbError::Refused(format!(
                "the two schemas differ in table {name}: SQLite has ({}), PostgreSQL ({}); nothing was copied",
                columns.join(", "),
                on_pg[name].join(", ")
            )));
        }
    }
    let order = dependency_order(lite_names, &foreign_keys(pg)?)?;
    Ok(order.into_iter().map(|name| Table { columns: on_lite[&name].clone(), name }).collect())
}

fn lite_tables(lite: &Conn) -> Result<BTreeMap<String, Vec<String>>, DbError> {
    let names: Vec<String> = lite.query_map(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        params![],
        |r| r.get(0),
    )?;
    names
        .into_iter()
        .map(|name| {
            let columns =
                lite.query_map("SELECT name FROM pragma_table_info(?1) ORDER BY cid", params![name], |r| r.get(0))?;
            Ok((name, columns))
        })
        .collect()
}

fn pg_tables(pg: &Conn) -> Result<BTreeMap<String, Vec<String>>, DbError> {
    let rows: Vec<(String, String)> = pg.query_map(
        &format!(
            "SELECT c.relname::text, a.attname::text FROM pg_class c
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE c.relkind = 'r' AND c.relnamespace = {PG_SCHEMA}
             ORDER BY c.relname, a.attnum"
        ),
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (table, column) in rows.into_iter().filter(|(t, _)| !PG_ONLY.contains(&t.as_str())) {
        tables.entry(table).or_default().push(column);
    }
    Ok(tables)
}

/// (table, the table its foreign key refers to), from PostgreSQL's constraints.
fn foreign_keys(pg: &Conn) -> Result<Vec<(String, String)>, DbError> {
    pg.query_map(
        &format!(
            "SELECT src.relname::text, dst.relname::text FROM pg_constraint k
             JOIN pg_class src ON src.oid = k.conrelid JOIN pg_class dst ON dst.oid = k.confrelid
             WHERE k.contype = 'f' AND src.relnamespace = {PG_SCHEMA}"
        ),
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The tables, each after every table it refers to (by name otherwise, so the order is
/// the same on every run).
fn dependency_order(names: BTreeSet<String>, keys: &[(String, String)]) -> Result<Vec<String>, DbError> {
    let mut left = names;
    let mut order = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| keys.iter().all(|(from, to)| from != *t || to == *t || !left.contains(to)))
            .cloned()
            .collect();
        if ready.is_empty() {
            let cycle: Vec<&str> = left.iter().map(String::as_str).collect();
            return Err(DbError::Corrupt(format!("foreign keys form a cycle among {}", cycle.join(", "))));
        }
        for t in ready {
            left.remove(&t);
            order.push(t);
        }
    }
    Ok(order)
}

/// The first table (other than the seeded ones) that holds a row, or a version counter
/// that moved: the target is not empty.
pub(super) fn first_non_empty(pg: &Conn, tables: &[Table]) -> Result<Option<String>, DbError> {
    for t in tables.iter().filter(|t| !SEEDED.contains(&t.name.as_str())) {
        if pg.exists(&format!("SELECT 1 FROM {} LIMIT 1", quoted(&t.name)), params![])? {
            return Ok(Some(t.name.clone()));
        }
    }
    if pg.exists("SELECT 1 FROM version_counter WHERE value <> 0", params![])? {
        return Ok(Some("version_counter".into()));
    }
    Ok(None)
}

/// Moves every identity column's sequence past the largest id copied, so the next row the
/// server logs does not collide with a copied one.
pub(super) fn move_identities(pg: &Conn) -> Result<(), DbError> {
    let columns: Vec<(String, String)> = pg.query_map(
        &format!(
            "SELECT c.relname::text, a.attname::text FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
             WHERE a.attidentity <> '' AND c.relnamespace = {PG_SCHEMA}"
        ),
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (table, column) in columns {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence(?1, ?2), COALESCE(max({col}), 0) + 1, false) FROM {table}",
            col = quoted(&column),
            table = quoted(&table)
        );
        pg.query_map(&sql, params![quoted(&table), column], |_| Ok(()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parents_come_before_the_tables_that_refer_to_them() {
        let keys = [
            ("mutation_results".to_string(), "clients".to_string()),
            ("clients".into(), "users".into()),
            ("devices".into(), "users".into()),
            ("users".into(), "users".into()),
        ];
        let order = dependency_order(set(&["mutation_results", "clients", "devices", "users", "records"]), &keys);
        assert_eq!(order.unwrap(), ["records", "users", "clients", "devices", "mutation_results"]);
    }

    #[test]
    fn a_cycle_is_refused_not_looped_on() {
        let keys = [("a".to_string(), "b".to_string()), ("b".into(), "a".into())];
        assert!(dependency_order(set(&["a", "b"]), &keys).is_err());
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quoted("records"), "\"records\"");
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }
}
