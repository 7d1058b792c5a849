//! Records changing grid, and conflict rows. When a record moves, devices scoped to its
//! old grid but not its new one must drop it: an eviction entry is written against the old
//! grid, and everything scoped through the record (an issue's events, a household's
//! visits, the record's conflicts) follows it to the new grid with fresh versions, so
//! devices of the new grid receive them on their next pull.

use super::sql::{params, Conn};
use wangge_core::issue::IssueEvent;
use wangge_core::sync::{Collection, KeptConflict};

use super::ctx::Ctx;
use super::{store, DbError};

pub(super) fn moved(ctx: &mut Ctx<'_>, collection: Collection, id: &str, old: &str, new: &str) -> Result<(), DbError> {
    evict(ctx, collection.name(), id, old)?;
    match collection {
        Collection::Issues => restamp_events(ctx, id, new)?,
        Collection::Households => restamp_visits(ctx, id, old, new)?,
        // Nothing else is scoped through these: a new type scoped through another record
        // (as visits are through their household) must be added here, so no default arm.
        // A task's results are fields of the task itself, and the records forwarded from
        // it are their own records at their own grids: nothing follows a task.
        Collection::Grids
        | Collection::People
        | Collection::Units
        | Collection::Visits
        | Collection::Meetings
        | Collection::Mediations
        | Collection::ListEntries
        | Collection::Tasks
        | Collection::Emergencies => {}
    }
    restamp_conflicts(ctx, collection.name(), id, new)
}

fn evict(ctx: &mut Ctx<'_>, collection: &str, id: &str, old: &str) -> Result<(), DbError> {
    let v = ctx.next_version();
    store::evict(ctx.tx, collection, id, old, v)
}

fn restamp_events(ctx: &mut Ctx<'_>, issue: &str, new: &str) -> Result<(), DbError> {
    let ids = strings(ctx.tx, "SELECT event_id FROM issue_events WHERE issue_id = ?1 ORDER BY version", issue)?;
    restamp(ctx, "UPDATE issue_events SET grid = ?2, version = ?3 WHERE event_id = ?1", &ids, new)
}

fn restamp_visits(ctx: &mut Ctx<'_>, household: &str, old: &str, new: &str) -> Result<(), DbError> {
    // Matches the partial index on visits' household field.
    let ids = strings(
        ctx.tx,
        "SELECT id FROM record_fields WHERE collection = 'visits' AND field = 'household' AND value = ?1",
        &store::to_json(&household),
    )?;
    for visit in &ids {
        evict(ctx, "visits", visit, old)?;
    }
    restamp(ctx, "UPDATE records SET grid = ?2, version = ?3 WHERE collection = 'visits' AND id = ?1", &ids, new)
}

fn restamp_conflicts(ctx: &mut Ctx<'_>, collection: &str, id: &str, new: &str) -> Result<(), DbError> {
    let mut stmt = ctx.tx.prepare_cached("SELECT id FROM conflicts WHERE collection = ?1 AND record_id = ?2")?;
    let ids = stmt.query_map(params![collection, id], |r| r.get::<String>(0))?.collect::<Result<Vec<_>, _>>()?;
    restamp(ctx, "UPDATE conflicts SET grid = ?2, version = ?3 WHERE id = ?1", &ids, new)
}

/// Moves each row `update` names (its parameters: the row's id, the new grid, a fresh
/// version) into grid `new` under a fresh version, so devices of the new grid pull it.
fn restamp(ctx: &mut Ctx<'_>, update: &str, ids: &[String], new: &str) -> Result<(), DbError> {
    for id in ids {
        let v = ctx.next_version();
        ctx.tx.execute_later(update, params![id, new, v])?;
    }
    Ok(())
}

fn strings(conn: &Conn, sql: &str, arg: &str) -> Result<Vec<String>, DbError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![arg], |r| r.get::<String>(0))?;
    rows.collect::<Result<Vec<_>, _>>()
}

/// Keeps a losing write (as the core decided it) for someone to settle, under an id
/// this server makes: the decision says what the conflict is, the driver names it.
pub(super) fn insert_conflict(
    ctx: &mut Ctx<'_>,
    collection: Collection,
    record_id: &str,
    kept: &KeptConflict,
    grid: &str,
) -> Result<(), DbError> {
    let v = ctx.next_version();
    // Unguessable, so a conflict's id tells nothing of how many others there are; the
    // version keeps ids readable in order for whoever inspects the database.
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| DbError::Worker(format!("getrandom: {e}")))?;
    let id = format!("conflict-{v}-{}", crate::auth::hex(&random));
    let mut stmt = ctx.tx.prepare_cached(
        "INSERT INTO conflicts (id, collection, record_id, field, server_value, device_value, actor, client_id, resolved, grid, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10)",
    )?;
    stmt.execute_later(params![
        id,
        collection.name(),
        record_id,
        kept.field,
        store::to_json(&kept.server_value),
        store::to_json(&kept.device_value),
        ctx.caller.user.person_id.as_str(),
        ctx.client_id,
        grid,
        v
    ])
}

/// An issue's whole stored history, for the state machine.
pub(super) fn issue_events(conn: &Conn, issue: &str) -> Result<Vec<IssueEvent>, DbError> {
    strings(conn, "SELECT event FROM issue_events WHERE issue_id = ?1", issue)?
        .iter()
        .map(|json| store::parse_json(json))
        .collect()
}
