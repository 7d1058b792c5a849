//! Checking an export file's rows before anything is written: each row must read as its
//! core type (parse, don't validate), and is rewritten in canonical form with its index
//! fields recomputed. Rows go through the same JS (de)serialisation the store uses for
//! every read and write, not through `serde_json::Value`, so the check adds no second
//! copy of every record type's serde code to the download.

use indexed_db_futures::{DeserialiseFromJs, SerialiseToJs};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use wangge_core::emergency::Emergency;
use wangge_core::grid::Grid;
use wangge_core::issue::IssueEvent;
use wangge_core::lists::ListEntry;
use wangge_core::mediation::Case;
use wangge_core::meeting::Meeting;
use wangge_core::people::Person;
use wangge_core::sync::{Collection, FieldConflict, Mutation};
use wangge_core::task::Task;
use wangge_core::unit::Unit;
use wangge_core::visit::Visit;
use wasm_bindgen::JsValue;

use super::super::codec::{store_of, version_key};
use super::super::rows::{HouseholdRow, IssueRow};
use super::super::schema::*;
use super::super::sync::{RejectedChange, VersionRow};
use super::{ExportFile, ImportError, EPOCH, ROW_STORES};

/// The file's rows, checked, keyed by their store's key, ready to add.
pub(super) struct Checked {
    pub(super) rows: Vec<(&'static str, Vec<(String, JsValue)>)>,
    /// The file's issue events (its `issue_events` rows; their rows entry stays empty:
    /// since schema v9 they join their issue's history row, see `add_missing_events`).
    pub(super) events: Vec<IssueEvent>,
    /// The file's version rows of issues (they go into history rows since v9); the
    /// `versions` rows entry keeps every other record's.
    pub(super) issue_versions: Vec<VersionRow>,
    pub(super) outbox: Vec<Mutation>,
    pub(super) epoch: Option<String>,
}

impl Checked {
    pub(super) fn from_file(file: &ExportFile) -> Result<Checked, ImportError> {
        if let Some(name) = file.stores.keys().find(|n| !ROW_STORES.contains(&n.as_str())) {
            return Err(ImportError::BadRecord { store: name.clone(), why: "unknown store".into() });
        }
        let empty = Vec::new();
        let mut rows = Vec::new();
        let mut events = Vec::new();
        let mut issue_versions = Vec::new();
        let issue_prefix = version_key(Collection::Issues, "");
        for name in ROW_STORES {
            let given = file.stores.get(name).unwrap_or(&empty);
            let checked = match name {
                EVENTS => {
                    events = given.iter().map(|row| parse::<IssueEvent>(name, row)).collect::<Result<_, _>>()?;
                    Vec::new()
                }
                VERSIONS => {
                    let (issues, others): (Vec<VersionRow>, Vec<VersionRow>) = given
                        .iter()
                        .map(|row| parse::<VersionRow>(name, row))
                        .collect::<Result<Vec<_>, _>>()?
                        .into_iter()
                        .partition(|v| v.key.starts_with(&issue_prefix));
                    issue_versions = issues;
                    others
                        .into_iter()
                        .map(|v| Ok((v.key.clone(), v.serialise_to_js().map_err(|e| bad(name, e))?)))
                        .collect::<Result<_, ImportError>>()?
                }
                _ => check_store(name, given)?,
            };
            rows.push((name, checked));
        }
        let outbox = file.outbox.iter().map(|m| parse::<Mutation>(OUTBOX, m)).collect::<Result<_, _>>()?;
        let epoch = file.meta.get(EPOCH).and_then(Value::as_str).map(String::from);
        Ok(Checked { rows, events, issue_versions, outbox, epoch })
    }
}

fn check_store(name: &'static str, rows: &[Value]) -> Result<Vec<(String, JsValue)>, ImportError> {
    if let Some(collection) = Collection::ALL.into_iter().find(|c| store_of(*c) == name) {
        return check_records(collection, rows);
    }
    match name {
        CONFLICTS => check(name, rows, |c: FieldConflict| (c.id.clone(), c)),
        REJECTED => check(name, rows, |r: RejectedChange| (r.key.clone(), r)),
        other => Err(ImportError::BadRecord { store: other.to_string(), why: "unknown store".into() }),
    }
}

/// A collection's rows, each read as its core type (issues and households in the rows
/// that carry their index fields). One arm per record type: a new one must say here how
/// its rows are checked.
fn check_records(collection: Collection, rows: &[Value]) -> Result<Vec<(String, JsValue)>, ImportError> {
    let name = store_of(collection);
    match collection {
        Collection::Grids => check(name, rows, |g: Grid| (g.id.to_string(), g)),
        Collection::People => check(name, rows, |p: Person| (p.id.to_string(), p)),
        Collection::Units => check(name, rows, |u: Unit| (u.id.to_string(), u)),
        Collection::Visits => check(name, rows, |v: Visit| (v.id.to_string(), v)),
        Collection::Meetings => check(name, rows, |m: Meeting| (m.id.to_string(), m)),
        Collection::Mediations => check(name, rows, |c: Case| (c.id.to_string(), c)),
        Collection::ListEntries => check(name, rows, |e: ListEntry| (e.id.to_string(), e)),
        Collection::Households => check(name, rows, |r: HouseholdRow| (r.id.clone(), HouseholdRow::new(r.household))),
        Collection::Issues => check(name, rows, |r: IssueRow| (r.id.clone(), IssueRow::new(r.issue, r.state))),
        Collection::Tasks => check(name, rows, |t: Task| (t.id.to_string(), t)),
        Collection::Emergencies => check(name, rows, |e: Emergency| (e.id.to_string(), e)),
    }
}

fn check<T: DeserializeOwned, U: Serialize>(
    name: &'static str,
    rows: &[Value],
    mut canonical: impl FnMut(T) -> (String, U),
) -> Result<Vec<(String, JsValue)>, ImportError> {
    rows.iter()
        .map(|row| {
            let (key, record) = canonical(parse(name, row)?);
            let js = record.serialise_to_js().map_err(|e| bad(name, e))?;
            Ok((key, js))
        })
        .collect()
}

fn parse<T: DeserializeOwned>(store: &str, row: &Value) -> Result<T, ImportError> {
    let js = js_sys::JSON::parse(&row.to_string())
        .map_err(|_| ImportError::BadRecord { store: store.to_string(), why: "not JSON".into() })?;
    T::deserialise_from_js(js).map_err(|e| bad(store, e))
}

fn bad(store: &str, e: impl std::fmt::Display) -> ImportError {
    ImportError::BadRecord { store: store.to_string(), why: e.to_string() }
}
