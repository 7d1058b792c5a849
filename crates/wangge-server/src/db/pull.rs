//! `pull`: every change after the cursor inside the caller's scope, in server version
//! order. Scope is the home grid's subtree, plus its ancestors (`ext`) for grids (so the
//! app can show the path), emergencies (a town's switch into emergency mode is every
//! worker's below it), people (the staff above a worker — their secretary, the
//! town's officials — so the phone shows who reported, assigned or set a value aside by
//! name and can call them; residents live in households, never at those grids) and units
//! (the district departments, kept at the district's root grid, that a community hands
//! issues to). A unit's contact (named by a unit's `contact_person`) also pulls the issues
//! ever handed to their units, with every event, and those units wherever they sit; an
//! account that is *only* a unit contact has no subtree at all — its `ext` is its home
//! grid and the ancestors, and it gets no households, visits, other issues or conflicts.
//! An eviction is returned only to a device that could see the record's old grid and
//! cannot see it now (a handed issue or an own unit stays, wherever it moved).

use super::sql::{params, Conn};
use wangge_core::grid::GridTree;
use wangge_core::issue::IssueEvent;
use wangge_core::people::only_unit_contact;
use wangge_core::sync::{Change, Collection, FieldConflict, PullResponse};
use wangge_core::GridId;

use super::{handoffs, store, DbError};
use crate::account::User;

/// Four kinds of feed entry, each with a unique version, in the window `(?1, ?5]`.
/// `sub`/`ext` are the subtree and subtree + ancestors, `mine` the caller's units, `handed`
/// the issues ever handed to them, `?7` the caller's own pseudo-grid for evictions of a
/// former unit contact (`handoffs::contact_grid`) (each branch after the first of its kind excludes what
/// an earlier one already sends, so nothing comes twice). The collections seen at `ext`
/// are `ctx::seen_from_above`'s. Evictions are joined to the record's current grid so a
/// record that came back into scope is not evicted.
const FEED: &str = "
WITH sub(g) AS (SELECT value FROM json_each(?2)), ext(g) AS (SELECT value FROM json_each(?3)),
    mine(u) AS (SELECT value FROM json_each(?6)),
    handed(i) AS (SELECT DISTINCT issue_id FROM handoffs WHERE unit_id IN (SELECT u FROM mine))
SELECT kind, version, a, b, deleted FROM (
    SELECT 0 AS kind, version, collection AS a, id AS b, deleted FROM records
        WHERE version > ?1 AND version <= ?5 AND collection NOT IN ('grids', 'people', 'units', 'emergencies') AND grid IN (SELECT g FROM sub)
    UNION ALL SELECT 0, version, collection, id, deleted FROM records
        WHERE version > ?1 AND version <= ?5 AND collection IN ('grids', 'people', 'units', 'emergencies') AND grid IN (SELECT g FROM ext)
    UNION ALL SELECT 0, version, collection, id, deleted FROM records
        WHERE collection = 'units' AND id IN (SELECT u FROM mine) AND version > ?1 AND version <= ?5 AND grid NOT IN (SELECT g FROM ext)
    UNION ALL SELECT 0, version, collection, id, deleted FROM records
        WHERE collection = 'issues' AND id IN (SELECT i FROM handed) AND version > ?1 AND version <= ?5 AND grid NOT IN (SELECT g FROM sub)
    UNION ALL SELECT 1, version, event_id, NULL, 0 FROM issue_events
        WHERE version > ?1 AND version <= ?5 AND grid IN (SELECT g FROM sub)
    UNION ALL SELECT 1, version, event_id, NULL, 0 FROM issue_events
        WHERE issue_id IN (SELECT i FROM handed) AND version > ?1 AND version <= ?5 AND grid NOT IN (SELECT g FROM sub)
    UNION ALL SELECT 2, version, id, NULL, 0 FROM conflicts
        WHERE version > ?1 AND version <= ?5 AND grid IN (SELECT g FROM sub)
    UNION ALL SELECT 3, e.version, e.collection, e.id, 0 FROM evictions e
        JOIN records r ON r.collection = e.collection AND r.id = e.id
        WHERE e.version > ?1 AND e.version <= ?5 AND (
            (e.collection IN ('grids', 'people', 'units', 'emergencies') AND e.old_grid IN (SELECT g FROM ext) AND r.grid NOT IN (SELECT g FROM ext)
                AND NOT (e.collection = 'units' AND e.id IN (SELECT u FROM mine)))
            OR (e.collection NOT IN ('grids', 'people', 'units', 'emergencies') AND e.old_grid IN (SELECT g FROM sub) AND r.grid NOT IN (SELECT g FROM sub)
                AND NOT (e.collection = 'issues' AND e.id IN (SELECT i FROM handed)))
            OR (e.old_grid = ?7 AND (
                (e.collection = 'issues' AND e.id NOT IN (SELECT i FROM handed) AND r.grid NOT IN (SELECT g FROM sub))
                OR (e.collection = 'units' AND e.id NOT IN (SELECT u FROM mine) AND r.grid NOT IN (SELECT g FROM ext)))))
) AS feed ORDER BY version LIMIT ?4";

struct Entry {
    kind: u8,
    version: u64,
    a: String,
    b: Option<String>,
    /// A record entry's `deleted`, read with the feed in the same snapshot: asking
    /// `records` again per record cost a query for each of a first pull's ~30,000.
    deleted: bool,
}

pub(super) fn pull(conn: &mut Conn, user: &User, cursor: u64, limit: u32) -> Result<PullResponse, DbError> {
    let tx = conn.snapshot()?;
    let tree =
        GridTree::build(store::load_grids(&tx)?).map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code())))?;
    let (sub, ext) = scope_sets(&tree, user);
    let units = handoffs::units_of(&tx, user.person_id.as_str())?;
    let mine = store::to_json(&units.iter().map(|u| u.as_str()).collect::<Vec<_>>());
    let scope = Scope { sub, ext, mine, gone: handoffs::contact_grid(user.person_id.as_str()) };
    let mut entries = feed(&tx, cursor, &scope, limit as usize + 1)?;
    let has_more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    let changes = entries.iter().map(|e| change(&tx, e)).collect::<Result<Vec<_>, _>>()?;
    let next = changes.last().map_or(cursor, Change::version);
    let epoch = store::epoch(&tx)?;
    tx.commit()?;
    Ok(PullResponse { changes, cursor: next, has_more, epoch })
}

/// The feed's parameters, each a JSON array for `json_each`.
struct Scope {
    sub: String,
    ext: String,
    mine: String,
    gone: String,
}

/// (subtree ids, subtree + ancestor ids). A home grid the server does not know gives an
/// empty scope: such a user sees nothing (but what is handed to their units). An account
/// that is only a unit's contact has no subtree: its ext is its home grid and above.
fn scope_sets(tree: &GridTree, user: &User) -> (String, String) {
    let home = &user.home_grid;
    if tree.get(home).is_none() {
        return ("[]".into(), "[]".into());
    }
    let sub: Vec<&str> = if only_unit_contact(&user.roles) {
        Vec::new()
    } else {
        std::iter::once(home).chain(tree.descendants(home).iter().map(|g| &g.id)).map(GridId::as_str).collect()
    };
    let mut ext = if sub.is_empty() { vec![home.as_str()] } else { sub.clone() };
    ext.extend(tree.ancestors(home).iter().map(|g| g.id.as_str()));
    (store::to_json(&sub), store::to_json(&ext))
}

/// The first `limit` entries after `cursor`, read in version windows that grow fourfold
/// until enough are found. Asked for everything after the cursor at once, SQLite walks
/// every in-scope row after it and sorts them all to keep `limit`: a fresh device's first
/// page sorted the whole database, and a first pull cost O(rows²). A window bounds each
/// walk; the result is the same rows in the same order. The window that reaches the
/// version counter is left open above, so a row is never missed even if the counter lagged.
fn feed(conn: &Conn, cursor: u64, scope: &Scope, limit: usize) -> Result<Vec<Entry>, DbError> {
    let newest = store::read_counter(conn)?;
    let mut stmt = conn.prepare_cached(FEED)?;
    let mut out = Vec::new();
    let (mut from, mut span) = (cursor, limit as u64);
    loop {
        let to = from.saturating_add(span);
        let last = to >= newest;
        let to = if last { i64::MAX as u64 } else { to };
        let left = (limit - out.len()) as i64;
        let rows = stmt.query_map(params![from, scope.sub, scope.ext, left, to, scope.mine, scope.gone], |r| {
            Ok(Entry { kind: r.get(0)?, version: r.get(1)?, a: r.get(2)?, b: r.get(3)?, deleted: r.get(4)? })
        })?;
        for row in rows {
            out.push(row?);
        }
        if last || out.len() >= limit {
            return Ok(out);
        }
        (from, span) = (to, span.saturating_mul(4));
    }
}

pub(super) fn collection(name: &str) -> Result<Collection, DbError> {
    Collection::ALL
        .into_iter()
        .find(|c| c.name() == name)
        .ok_or_else(|| DbError::Corrupt(format!("unknown stored collection {name}")))
}

fn change(conn: &Conn, e: &Entry) -> Result<Change, DbError> {
    let version = e.version;
    match e.kind {
        0 => {
            let id = e.b.clone().unwrap_or_default();
            let c = collection(&e.a)?;
            if e.deleted {
                return Ok(Change::Tombstone { collection: c, id, version });
            }
            let fields = store::record_fields(conn, &e.a, &id)?;
            Ok(Change::Upsert { collection: c, id, version, fields })
        }
        1 => {
            let json: String = conn
                .prepare_cached("SELECT event FROM issue_events WHERE event_id = ?1")?
                .query_row(params![&e.a], |r| r.get(0))?;
            let event: IssueEvent = store::parse_json(&json)?;
            Ok(Change::Event { version, event })
        }
        2 => Ok(Change::Conflict { version, conflict: conflict(conn, &e.a)? }),
        _ => Ok(Change::Evict { collection: collection(&e.a)?, id: e.b.clone().unwrap_or_default(), version }),
    }
}

fn conflict(conn: &Conn, id: &str) -> Result<FieldConflict, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT collection, record_id, field, server_value, device_value, actor, client_id, resolved
         FROM conflicts WHERE id = ?1",
    )?;
    let raw = stmt.query_row(params![id], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<String>(1)?,
            r.get::<String>(2)?,
            r.get::<String>(3)?,
            r.get::<String>(4)?,
            r.get::<String>(5)?,
            r.get::<String>(6)?,
            r.get::<bool>(7)?,
        ))
    })?;
    let (c, record_id, field, server, device, actor, client_id, resolved) = raw;
    Ok(FieldConflict {
        id: id.to_string(),
        collection: collection(&c)?,
        record_id,
        field,
        server_value: store::parse_json(&server)?,
        device_value: store::parse_json(&device)?,
        actor,
        client_id,
        resolved,
    })
}

#[cfg(test)]
mod tests {
    use super::super::ctx::seen_from_above;
    use super::*;

    #[test]
    fn the_feed_sees_from_above_exactly_the_collections_a_push_may_name_there() {
        let above: Vec<String> =
            Collection::ALL.into_iter().filter(|c| seen_from_above(*c)).map(|c| format!("'{}'", c.name())).collect();
        let list = format!("({})", above.join(", "));
        assert_eq!(FEED.matches(&list).count(), 4, "every IN list of the feed is {list}");
    }
}
