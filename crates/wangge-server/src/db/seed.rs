//! Loading a whole data set as server records (the demo on first start, fixtures in tests):
//! each record and each event at its own version, in one transaction.

use std::collections::HashMap;

use super::sql::{params, Conn};
use serde::Serialize;
use serde_json::Value;
use wangge_core::issue::EventKind;
use wangge_core::sync::Collection;

use super::{store, DbError};

/// Records to load: the core's data-set shape. Trusted input: it is not checked like a push.
pub type Dataset = wangge_core::DataSet;

struct Loader<'a> {
    conn: &'a Conn,
    version: u64,
}

impl Loader<'_> {
    fn record(&mut self, collection: Collection, id: &str, grid: &str, record: &impl Serialize) -> Result<(), DbError> {
        let Ok(Value::Object(fields)) = serde_json::to_value(record) else {
            return Err(DbError::Corrupt(format!("{} {id} does not serialise to an object", collection.name())));
        };
        self.version += 1;
        store::write_fields(self.conn, collection.name(), id, &fields, self.version, None, None)?;
        store::upsert_record(self.conn, collection.name(), id, grid, self.version)
    }
}

/// Loads `data` after whatever is stored; returns how many versions it used.
pub(super) fn load(conn: &mut Conn, data: &Dataset) -> Result<u64, DbError> {
    let tx = conn.transaction()?;
    let start = store::read_counter(&tx)?;
    let mut l = Loader { conn: &tx, version: start };
    for g in &data.grids {
        l.record(Collection::Grids, g.id.as_str(), g.id.as_str(), g)?;
    }
    for p in &data.people {
        l.record(Collection::People, p.id.as_str(), p.grid.as_str(), p)?;
    }
    for h in &data.households {
        l.record(Collection::Households, h.id.as_str(), h.grid.as_str(), h)?;
    }
    for u in &data.units {
        l.record(Collection::Units, u.id.as_str(), u.grid.as_str(), u)?;
    }
    for i in &data.issues {
        l.record(Collection::Issues, i.id.as_str(), i.grid.as_str(), i)?;
    }
    for m in &data.meetings {
        l.record(Collection::Meetings, m.id.as_str(), m.grid.as_str(), m)?;
    }
    for c in &data.mediations {
        l.record(Collection::Mediations, c.id.as_str(), c.grid.as_str(), c)?;
    }
    for e in &data.lists {
        l.record(Collection::ListEntries, e.id.as_str(), e.grid.as_str(), e)?;
    }
    for t in &data.tasks {
        l.record(Collection::Tasks, t.id.as_str(), t.grid.as_str(), t)?;
    }
    let homes: HashMap<&str, &str> = data.households.iter().map(|h| (h.id.as_str(), h.grid.as_str())).collect();
    for v in &data.visits {
        match homes.get(v.household.as_str()) {
            Some(grid) => l.record(Collection::Visits, v.id.as_str(), grid, v)?,
            None => tracing::warn!(visit = %v.id, "data set visit without its household; skipped"),
        }
    }
    let issue_grids: HashMap<&str, &str> = data.issues.iter().map(|i| (i.id.as_str(), i.grid.as_str())).collect();
    for e in &data.events {
        let Some(grid) = issue_grids.get(e.issue.as_str()) else {
            tracing::warn!(event = %e.id, "data set event without its issue; skipped");
            continue;
        };
        l.version += 1;
        tx.execute(
            "INSERT INTO issue_events (event_id, issue_id, grid, event, version) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
            params![e.id.as_str(), e.issue.as_str(), grid, store::to_json(e), l.version],
        )?;
        // As a push does (`handoffs.rs`): the unit's contact pulls what is handed to it.
        if let EventKind::HandedOver { unit, .. } = &e.kind {
            tx.execute(
                "INSERT INTO handoffs (issue_id, unit_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![e.issue.as_str(), unit.as_str()],
            )?;
        }
    }
    let end = l.version;
    store::write_counter(&tx, end)?;
    tx.commit()?;
    Ok(end - start)
}

/// True when no record has ever been stored (the demo loads only then).
pub(super) fn is_empty(conn: &Conn) -> Result<bool, DbError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM records", params![], |r| r.get(0))?;
    Ok(n == 0)
}
