//! Hand-offs (交办) as scope: the `handoffs` table keeps every (issue, unit) an issue was
//! ever handed to, and a unit's contact (the person its `contact_person` names) sees and
//! answers on exactly those issues, wherever they sit in the grid tree. Because the feed
//! is read in version order, an issue that newly comes into a contact's view — handed to
//! their unit, or their unit given them as contact — is re-stamped with fresh versions,
//! or a contact whose cursor is already past it would never pull it.

use std::collections::{BTreeSet, HashMap};

use super::sql::{params, Conn};
use wangge_core::UnitId;

use super::{store, DbError};

/// The live units whose contact is `person`, read once per pull (a push's come with its
/// writer group's reads: [`units_of_each`]).
pub(super) fn units_of(conn: &Conn, person: &str) -> Result<Vec<UnitId>, DbError> {
    let mut each = units_of_each(conn, &BTreeSet::from([person.to_string()]))?;
    Ok(each.remove(person).unwrap_or_default())
}

/// The live units each of `people` is the contact of, in one query.
pub(super) fn units_of_each(conn: &Conn, people: &BTreeSet<String>) -> Result<HashMap<String, Vec<UnitId>>, DbError> {
    // The contact is stored as a JSON string: matched as stored (the partial index on
    // units' contact_person field).
    let stored: Vec<String> = people.iter().map(store::to_json).collect();
    let rows = conn.query_map(
        "SELECT f.value, f.id FROM record_fields f JOIN records r ON r.collection = f.collection AND r.id = f.id
         WHERE f.collection = 'units' AND f.field = 'contact_person'
           AND f.value IN (SELECT value FROM json_each(?1)) AND r.deleted = 0
         ORDER BY f.id",
        params![store::to_json(&stored)],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    let mut units: HashMap<String, Vec<UnitId>> = people.iter().map(|p| (p.clone(), Vec::new())).collect();
    for (person, unit) in rows {
        let person: String = store::parse_json(&person)?;
        // A stored unit id that no longer parses names nothing anyone can act for.
        if let (Some(list), Ok(unit)) = (units.get_mut(&person), UnitId::parse(&unit)) {
            list.push(unit);
        }
    }
    Ok(units)
}

/// Whether `issue` was ever handed to one of `units`.
pub(super) fn handed_to_any(conn: &Conn, issue: &str, units: &[UnitId]) -> Result<bool, DbError> {
    if units.is_empty() {
        return Ok(false);
    }
    let units: Vec<&str> = units.iter().map(UnitId::as_str).collect();
    let found: i64 = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM handoffs WHERE issue_id = ?1 AND unit_id IN (SELECT value FROM json_each(?2)))",
        )?
        .query_row(params![issue, store::to_json(&units)], |r| r.get(0))?;
    Ok(found != 0)
}

/// Records that `issue` is handed to `unit`, in the transaction storing the `handed_over`
/// event and before that event is inserted. The first hand-off of the issue to this unit
/// re-stamps the issue and the history it already has, so the unit's contact pulls them.
/// `version` is the transaction's counter, advanced in memory (`Ctx::version`).
pub(super) fn handed(tx: &Conn, version: &mut u64, issue: &str, unit: &str) -> Result<(), DbError> {
    let inserted = tx
        .prepare_cached("INSERT INTO handoffs (issue_id, unit_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
        .execute(params![issue, unit])?;
    if inserted > 0 {
        restamp_issue(tx, version, issue)?;
    }
    Ok(())
}

/// A unit's contact changed (or a deleted unit came back: `old` is None): its contact
/// now must pull every issue ever handed to it, however old, and the former one drops
/// them and the unit, unless they still see them some other way (the pull decides, as
/// for any eviction).
pub(super) fn contact_changed(tx: &Conn, version: &mut u64, unit: &str, old: Option<&str>) -> Result<(), DbError> {
    for issue in &handed_issues(tx, unit)? {
        restamp_issue(tx, version, issue)?;
    }
    match old {
        Some(old) => evict_for(tx, version, unit, old),
        None => Ok(()),
    }
}

/// A unit was deleted: its contact no longer answers for it, so their phone drops its
/// issues and the unit (a tombstone reaches only the phones that see its grid).
pub(super) fn unit_deleted(tx: &Conn, version: &mut u64, unit: &str, contact: &str) -> Result<(), DbError> {
    evict_for(tx, version, unit, contact)
}

/// Evictions of the unit and its handed issues for `person`, who answered for it. They
/// name the pseudo-grid [`contact_grid`] of the person instead of a grid.
fn evict_for(tx: &Conn, version: &mut u64, unit: &str, person: &str) -> Result<(), DbError> {
    let gone = contact_grid(person);
    for issue in &handed_issues(tx, unit)? {
        *version += 1;
        store::evict(tx, "issues", issue, &gone, *version)?;
    }
    *version += 1;
    store::evict(tx, "units", unit, &gone, *version)
}

/// Where an eviction for a former unit contact points: no grid has this id (grid ids
/// never hold a colon), so only that person's pull reads it (`pull.rs`).
pub(super) fn contact_grid(person: &str) -> String {
    format!("contact:{person}")
}

fn handed_issues(tx: &Conn, unit: &str) -> Result<Vec<String>, DbError> {
    let mut stmt = tx.prepare_cached("SELECT issue_id FROM handoffs WHERE unit_id = ?1 ORDER BY issue_id")?;
    let issues = stmt.query_map(params![unit], |r| r.get(0))?;
    issues.collect::<Result<_, _>>()
}

/// Gives the issue's record and each of its events a fresh version, grid unchanged.
fn restamp_issue(tx: &Conn, version: &mut u64, issue: &str) -> Result<(), DbError> {
    *version += 1;
    tx.prepare_cached("UPDATE records SET version = ?2 WHERE collection = 'issues' AND id = ?1")?
        .execute_later(params![issue, *version])?;
    let events: Vec<String> = tx
        .prepare_cached("SELECT event_id FROM issue_events WHERE issue_id = ?1 ORDER BY version")?
        .query_map(params![issue], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for event in &events {
        *version += 1;
        tx.prepare_cached("UPDATE issue_events SET version = ?2 WHERE event_id = ?1")?
            .execute_later(params![event, *version])?;
    }
    Ok(())
}
