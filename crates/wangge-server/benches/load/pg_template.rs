//! The city bench's PostgreSQL databases. The data set is seeded once, into the SQLite
//! template (`seeding.rs`), and copied from there into a PostgreSQL template database,
//! `city_template`: the server's own migrations make the schema, then every table's rows
//! go in with COPY (one round trip per table instead of one per field, as loading through
//! `Db` would take), then VACUUM ANALYZE gives the planner its statistics. Each run then
//! takes `CREATE DATABASE … TEMPLATE city_template`, a file copy, and drops it after.

use std::path::Path;

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use futures_util::SinkExt;
use rusqlite::types::ValueRef;
use tokio_postgres::{Client, NoTls};
use wangge_server::db::Database;
use wangge_server::Db;

/// The template every run's database is copied from.
pub(crate) const TEMPLATE_DB: &str = "city_template";

/// Tables the server's migrations own on PostgreSQL and that SQLite keeps elsewhere.
const NOT_COPIED: [&str; 1] = ["schema_version"];

/// How much COPY text is sent at a time.
const CHUNK: usize = 1 << 20;

/// `url` naming the database `name` instead of its own.
pub(crate) fn database_url(url: &str, name: &str) -> Result<String> {
    let (scheme, rest) = url.split_once("://").context("a PostgreSQL URL has a scheme")?;
    let (rest, query) = rest.split_once('?').map_or((rest, None), |(r, q)| (r, Some(q)));
    let authority = rest.split_once('/').map_or(rest, |(a, _)| a);
    Ok(format!("{scheme}://{authority}/{name}{}", query.map(|q| format!("?{q}")).unwrap_or_default()))
}

pub(crate) async fn connect(url: &str) -> Result<Client> {
    let (client, connection) =
        tokio_postgres::connect(url, NoTls).await.with_context(|| format!("connect to {url}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// Makes `city_template` from the SQLite template `sqlite` unless it is already there
/// from the same template (`stamp`, kept in `server_meta`). Returns the seconds it took,
/// or `None` when it was reused.
pub(crate) async fn ensure_template(admin_url: &str, sqlite: &Path, stamp: &str) -> Result<Option<f64>> {
    let admin = connect(admin_url).await?;
    let template_url = database_url(admin_url, TEMPLATE_DB)?;
    if exists(&admin, TEMPLATE_DB).await? {
        let db = connect(&template_url).await?;
        let found =
            db.query_opt("SELECT value FROM server_meta WHERE key = 'bench_template'", &[]).await.ok().flatten();
        if found.is_some_and(|row| row.get::<_, String>(0) == stamp) {
            return Ok(None);
        }
        drop(db);
    }
    let started = std::time::Instant::now();
    drop_database(&admin, TEMPLATE_DB).await?;
    admin.batch_execute(&format!("CREATE DATABASE {TEMPLATE_DB}")).await?;
    // The server's own migrations make the schema (and are version-checked on start).
    let url = template_url.clone();
    tokio::task::spawn_blocking(move || Db::open_database(&Database::Postgres(url)).map(drop)).await??;
    let db = connect(&template_url).await?;
    copy_tables(&db, sqlite).await?;
    db.execute(
        "INSERT INTO server_meta (key, value) VALUES ('bench_template', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&stamp],
    )
    .await?;
    // Statistics for the planner, and hint bits set once here rather than by every copy's
    // first reader.
    db.batch_execute("VACUUM (FREEZE, ANALYZE)").await?;
    Ok(Some(started.elapsed().as_secs_f64()))
}

/// A fresh copy of the template named `name` (any older one of that name is dropped).
/// FILE_COPY copies the files instead of writing the whole database through the WAL.
pub(crate) async fn create_run_database(admin_url: &str, name: &str) -> Result<String> {
    let admin = connect(admin_url).await?;
    drop_database(&admin, name).await?;
    // A copy needs the template to have no sessions (the seeding's may still be closing).
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&TEMPLATE_DB],
        )
        .await?;
    admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB} STRATEGY FILE_COPY")).await?;
    database_url(admin_url, name)
}

pub(crate) async fn drop_run_database(admin_url: &str, name: &str) -> Result<()> {
    drop_database(&connect(admin_url).await?, name).await
}

/// Bytes on disk of database `name`.
pub(crate) async fn database_size(admin_url: &str, name: &str) -> Result<i64> {
    let admin = connect(admin_url).await?;
    Ok(admin.query_one("SELECT pg_database_size($1::text)", &[&name]).await?.get(0))
}

async fn exists(admin: &Client, name: &str) -> Result<bool> {
    Ok(admin.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).await?.is_some())
}

async fn drop_database(admin: &Client, name: &str) -> Result<()> {
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    Ok(())
}

/// Every table of the PostgreSQL schema (but `NOT_COPIED`) emptied and filled with the
/// SQLite table of the same name, column by column name; identity counters moved past
/// the copied ids.
async fn copy_tables(db: &Client, sqlite: &Path) -> Result<()> {
    let lite = rusqlite::Connection::open_with_flags(sqlite, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let tables: Vec<String> = db
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .filter(|t: &String| !NOT_COPIED.contains(&t.as_str()))
        .collect();
    // The migrations' own rows (the epoch, the counter, the secret) make way for SQLite's.
    // Foreign keys are not checked while copying (tables go in by name, not by their
    // references): the rows come from a database that checked them.
    db.batch_execute(&format!("TRUNCATE {}; SET session_replication_role = replica", tables.join(", "))).await?;
    for table in &tables {
        let columns: Vec<(String, bool)> = db
            .query(
                "SELECT column_name::text, is_identity = 'YES' FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                &[table],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
        copy_table(db, &lite, table, &names).await.with_context(|| format!("copy table {table}"))?;
        if let Some((id, _)) = columns.iter().find(|(_, identity)| *identity) {
            db.batch_execute(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{id}'), coalesce(max({id}), 0) + 1, false) FROM {table}"
            ))
            .await?;
        }
    }
    Ok(())
}

async fn copy_table(db: &Client, lite: &rusqlite::Connection, table: &str, columns: &[&str]) -> Result<()> {
    let list = columns.join(", ");
    let mut select = lite.prepare(&format!("SELECT {list} FROM {table}"))?;
    let mut rows = select.query([])?;
    let sink = db.copy_in::<_, Bytes>(&format!("COPY {table} ({list}) FROM STDIN")).await?;
    let mut sink = std::pin::pin!(sink);
    let mut buf = String::with_capacity(CHUNK + 4096);
    while let Some(row) = rows.next()? {
        for i in 0..columns.len() {
            if i > 0 {
                buf.push('\t');
            }
            copy_text(&mut buf, row.get_ref(i)?)?;
        }
        buf.push('\n');
        if buf.len() >= CHUNK {
            sink.send(Bytes::from(std::mem::take(&mut buf))).await?;
        }
    }
    if !buf.is_empty() {
        sink.send(Bytes::from(buf)).await?;
    }
    sink.as_mut().finish().await?;
    Ok(())
}

/// One value in COPY's text format: `\N` for NULL, text with its backslashes and line
/// breaks escaped, bytes as `\\x` and hex (bytea's own escape, escaped once more).
fn copy_text(out: &mut String, value: ValueRef<'_>) -> Result<()> {
    use std::fmt::Write as _;
    match value {
        ValueRef::Null => out.push_str("\\N"),
        ValueRef::Integer(n) => write!(out, "{n}")?,
        ValueRef::Real(x) => write!(out, "{x}")?,
        ValueRef::Text(bytes) => {
            let Ok(text) = std::str::from_utf8(bytes) else { bail!("a text value is not UTF-8") };
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
        }
        ValueRef::Blob(bytes) => {
            out.push_str("\\\\x");
            for b in bytes {
                write!(out, "{b:02x}")?;
            }
        }
    }
    Ok(())
}
