//! `migrations/pg/*.sql` describe the same database as the SQLite migrations:
//! each side is built for real (the SQLite migrations in order on an in-memory database,
//! the PostgreSQL files in order on a throwaway cluster), then read back from each engine's catalog
//! and compared — tables, columns in order with types, NOT NULL, defaults and primary
//! keys, explicit indexes with their partial predicates, UNIQUE and foreign keys, CHECK
//! constraints, and the seeded rows. A SQLite migration without its PostgreSQL twin fails
//! here.

use rusqlite::types::ValueRef;

use super::tests::{apply_schema, psql_rows, workspace_root};
use super::PgCluster;

/// A column: table | position | name | type | not null | default | primary key position.
const SQLITE_COLUMNS: &str = "SELECT m.name, p.cid, p.name, lower(p.type), p.\"notnull\" OR p.pk > 0,
    coalesce(p.dflt_value, ''), p.pk
    FROM sqlite_schema m JOIN pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid";
const PG_COLUMNS: &str = "SELECT c.table_name, c.ordinal_position - 1, c.column_name, c.data_type,
    (c.is_nullable = 'NO')::int, coalesce(c.column_default, ''), coalesce(k.ordinal_position, 0)
    FROM information_schema.columns c
    LEFT JOIN (SELECT u.table_name, u.column_name, u.ordinal_position
               FROM information_schema.table_constraints t
               JOIN information_schema.key_column_usage u USING (constraint_schema, constraint_name)
               WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = 'public') k
      ON k.table_name = c.table_name AND k.column_name = c.column_name
    WHERE c.table_schema = 'public' AND c.table_name <> 'schema_version'
    ORDER BY c.table_name, c.ordinal_position";

/// An explicit index: name | table | columns | partial predicate (normalised in Rust).
const SQLITE_INDEXES: &str = "SELECT m.name, m.tbl_name,
    (SELECT group_concat(name, ',') FROM (SELECT i.name FROM pragma_index_info(m.name) i ORDER BY i.seqno)),
    coalesce(substr(m.sql, instr(m.sql, ' WHERE ') + 7), '')
    FROM sqlite_schema m WHERE m.type = 'index' AND m.sql IS NOT NULL AND instr(m.sql, ' WHERE ') > 0
    UNION ALL SELECT m.name, m.tbl_name,
    (SELECT group_concat(name, ',') FROM (SELECT i.name FROM pragma_index_info(m.name) i ORDER BY i.seqno)), ''
    FROM sqlite_schema m WHERE m.type = 'index' AND m.sql IS NOT NULL AND instr(m.sql, ' WHERE ') = 0
    ORDER BY 1";
const PG_INDEXES: &str = "SELECT i.relname, t.relname,
    (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, n)
     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum),
    coalesce(pg_get_expr(x.indpred, x.indrelid), '')
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    ORDER BY 1";

/// A UNIQUE constraint (other than the primary key): table | columns.
const SQLITE_UNIQUES: &str = "SELECT m.name,
    (SELECT group_concat(name, ',') FROM (SELECT i.name FROM pragma_index_info(l.name) i ORDER BY i.seqno))
    FROM sqlite_schema m JOIN pragma_index_list(m.name) l WHERE m.type = 'table' AND l.origin = 'u' ORDER BY 1, 2";
const PG_UNIQUES: &str = "SELECT t.relname,
    (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND c.contype = 'u' ORDER BY 1, 2";

/// A foreign key, one row per column: table | column | referenced table | referenced column.
const SQLITE_FOREIGN_KEYS: &str = "SELECT m.name, f.\"from\", f.\"table\", f.\"to\"
    FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1, 2";
const PG_FOREIGN_KEYS: &str = "SELECT t.relname, a.attname, r.relname, ra.attname
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
    CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, refnum)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = k.refnum
    WHERE c.contype = 'f' ORDER BY 1, 2";

/// Table definitions (SQLite) and CHECK definitions (PostgreSQL), reduced in Rust.
const SQLITE_TABLE_SQL: &str =
    "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1";
const PG_CHECKS: &str = "SELECT t.relname, pg_get_constraintdef(c.oid)
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND c.contype = 'c' ORDER BY 1, 2";

/// Seeded rows, the same SQL on both engines (a random value by its length only).
const SEEDS: &[&str] = &[
    "SELECT key, length(value) FROM server_meta ORDER BY key",
    "SELECT id, value FROM version_counter",
    "SELECT name, length(value) FROM server_secrets ORDER BY name",
];

#[test]
fn the_postgresql_schema_is_the_sqlite_schema() {
    let sqlite = sqlite_after_all_migrations();
    let cluster = PgCluster::start().expect("start a throwaway PostgreSQL");
    apply_schema(&cluster);
    let pg = |sql: &str| psql_rows(&cluster, sql);

    let sqlite_columns: Vec<String> = rows(&sqlite, SQLITE_COLUMNS).iter().map(|r| pg_type_of(r)).collect();
    assert_same("columns", &sqlite_columns, &pg(PG_COLUMNS));
    let normalise = |rows: Vec<String>| rows.iter().map(|r| normalise_expression(r)).collect::<Vec<_>>();
    assert_same("indexes", &normalise(rows(&sqlite, SQLITE_INDEXES)), &normalise(pg(PG_INDEXES)));
    assert_same("unique constraints", &rows(&sqlite, SQLITE_UNIQUES), &pg(PG_UNIQUES));
    assert_same("foreign keys", &rows(&sqlite, SQLITE_FOREIGN_KEYS), &pg(PG_FOREIGN_KEYS));
    let checks = table_checks(&rows(&sqlite, SQLITE_TABLE_SQL));
    assert_same("CHECK constraints", &checks, &table_checks(&pg(PG_CHECKS)));
    for seed in SEEDS {
        assert_same(seed, &rows(&sqlite, seed), &pg(seed));
    }
    let migrations = sqlite_migrations().len();
    assert_eq!(pg("SELECT version FROM schema_version"), [migrations.to_string()], "schema_version = SQLite's count");
}

/// The normaliser must see a difference where there is one, or the test above proves
/// nothing about CHECKs and predicates.
#[test]
fn the_comparison_tells_different_checks_and_predicates_apart() {
    assert_eq!(
        checks_in("CHECK (via IN ('api', 'cli'))"),
        checks_in("CHECK ((via = ANY (ARRAY['api'::text, 'cli'::text])))")
    );
    assert_ne!(checks_in("CHECK (via IN ('api', 'cli'))"), checks_in("CHECK ((via = ANY (ARRAY['api'::text])))"));
    assert_ne!(checks_in("CHECK (id = 1)"), checks_in("CHECK ((id = 2))"));
    assert_eq!(
        normalise_expression("x|records|value|collection = 'visits' AND field = 'household'"),
        normalise_expression("x|records|value|((collection = 'visits'::text) AND (field = 'household'::text))")
    );
    assert_ne!(
        normalise_expression("x|records|value|collection = 'visits'"),
        normalise_expression("x|records|value|collection = 'units'")
    );
}

fn sqlite_migrations() -> Vec<std::path::PathBuf> {
    let dir = workspace_root().join("crates/wangge-server/migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read the migrations folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
}

fn sqlite_after_all_migrations() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().expect("open SQLite");
    for file in sqlite_migrations() {
        let sql = std::fs::read_to_string(&file).expect("read a migration");
        conn.execute_batch(&sql).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    conn
}

/// Each row of `sql` as psql prints it unaligned: values joined by `|`, NULL empty.
fn rows(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let width = stmt.column_count();
    let mut out = Vec::new();
    let mut rows = stmt.query([]).expect("query");
    while let Some(row) = rows.next().expect("a row") {
        let cells: Vec<String> = (0..width)
            .map(|i| match row.get_ref(i).expect("a cell") {
                ValueRef::Null => String::new(),
                ValueRef::Integer(n) => n.to_string(),
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                ValueRef::Blob(b) => format!("{} bytes", b.len()),
            })
            .collect();
        out.push(cells.join("|"));
    }
    out
}

/// SQLite's declared type in a column row, as the PostgreSQL type the rules map it to.
fn pg_type_of(row: &str) -> String {
    let mut cells: Vec<&str> = row.split('|').collect();
    cells[3] = match cells[3] {
        "integer" => "bigint",
        "text" => "text",
        "blob" => "bytea",
        "real" => "double precision",
        other => panic!("a SQLite type the mapping does not know: {other}"),
    };
    cells.join("|")
}

/// Every CHECK in `table|definition` rows, as sorted `table|reduced check` rows.
fn table_checks(rows: &[String]) -> Vec<String> {
    let mut checks: Vec<String> = rows
        .iter()
        .flat_map(|row| {
            let (table, definition) = row.split_once('|').expect("table|definition");
            checks_in(definition).into_iter().map(move |check| format!("{table}|{check}"))
        })
        .collect();
    checks.sort();
    checks
}

/// A CHECK reduced to what both engines keep: its first column name and its literals,
/// e.g. `via:'api','cli'` from SQLite's `via IN (…)` and PostgreSQL's `via = ANY (ARRAY[…])`.
fn checks_in(sql: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = sql;
    while let Some(at) = rest.find("CHECK (") {
        let body = &rest[at + "CHECK".len()..];
        let mut depth = 0;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push(reduce(&body[..end]));
        rest = &body[end..];
    }
    found
}

/// An expression's first identifier, then its string and number literals in order.
fn reduce(expr: &str) -> String {
    let first = expr
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or("");
    let mut literals = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            literals.push(format!("'{}'", chars.by_ref().take_while(|&c| c != '\'').collect::<String>()));
        } else if c.is_ascii_digit() {
            let mut number = c.to_string();
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                number.push(d);
            }
            literals.push(number);
        } else if c.is_ascii_alphabetic() || c == '_' {
            // Skip the rest of a word so a digit inside a name is not a literal.
            while chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_').is_some() {}
        }
    }
    format!("{first}:{}", literals.join(","))
}

/// An index row with its predicate (the last cell) written without casts, parentheses
/// or spacing, so SQLite's text and PostgreSQL's deparsed form compare equal.
fn normalise_expression(row: &str) -> String {
    let (head, predicate) = row.rsplit_once('|').expect("an index row");
    let bare: String =
        predicate.replace("::text", "").chars().filter(|c| !matches!(c, '(' | ')' | ' ' | '\n')).collect();
    format!("{head}|{}", bare.to_lowercase())
}

fn assert_same(what: &str, sqlite: &[String], pg: &[String]) {
    let only_sqlite: Vec<_> = sqlite.iter().filter(|r| !pg.contains(r)).collect();
    let only_pg: Vec<_> = pg.iter().filter(|r| !sqlite.contains(r)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty() && sqlite.len() == pg.len(),
        "{what} differ\n only in SQLite: {only_sqlite:#?}\n only in PostgreSQL: {only_pg:#?}"
    );
    assert!(!sqlite.is_empty(), "{what}: nothing read, the query is wrong");
}
