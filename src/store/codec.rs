//! Between sync's field maps and the rows the stores hold. The server speaks field maps
//! (`field → value`) per collection; the stores hold the core's typed records, wrapped in
//! rows with top-level fields for the indexes. Every map is checked by deserialising it
//! into the core type, so a record the core would refuse never lands in a store.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use wangge_core::emergency::Emergency;
use wangge_core::grid::Grid;
use wangge_core::issue::{Issue, IssueState};
use wangge_core::lists::ListEntry;
use wangge_core::mediation::Case;
use wangge_core::meeting::Meeting;
use wangge_core::people::Person;
use wangge_core::sync::Collection;
use wangge_core::task::Task;
use wangge_core::unit::Unit;
use wangge_core::visit::Visit;

use super::rows::{HouseholdRow, IssueRow};
use super::schema::{
    EMERGENCIES, GRIDS, HOUSEHOLDS, ISSUES, LIST_ENTRIES, MEDIATIONS, MEETINGS, PEOPLE, TASKS, UNITS, VISITS,
};
use super::StoreError;

/// A record's fields, as sync carries them.
pub type Fields = Map<String, Value>;

/// The name of the store that holds (or will hold) a collection's rows.
pub(crate) fn store_of(collection: Collection) -> &'static str {
    match collection {
        Collection::Grids => GRIDS,
        Collection::People => PEOPLE,
        Collection::Households => HOUSEHOLDS,
        Collection::Units => UNITS,
        Collection::Issues => ISSUES,
        Collection::Visits => VISITS,
        Collection::Meetings => MEETINGS,
        Collection::Mediations => MEDIATIONS,
        Collection::ListEntries => LIST_ENTRIES,
        Collection::Tasks => TASKS,
        Collection::Emergencies => EMERGENCIES,
    }
}

/// Whether this build keeps a collection on the phone (every one since schema v8 added
/// emergencies; a collection added to the core before its store exists answers false here, so
/// the pull skips it). Every place that opens the stores of all collections goes through
/// [`stored_collections`].
pub(crate) fn stored(collection: Collection) -> bool {
    match collection {
        Collection::Tasks
        | Collection::Emergencies
        | Collection::Grids
        | Collection::People
        | Collection::Households
        | Collection::Units
        | Collection::Issues
        | Collection::Visits
        | Collection::Meetings
        | Collection::Mediations
        | Collection::ListEntries => true,
    }
}

/// The collections this build keeps on the phone (see [`stored`]).
pub(crate) fn stored_collections() -> impl Iterator<Item = Collection> {
    Collection::ALL.into_iter().filter(|c| stored(*c))
}

/// The key of a record in the `versions` store.
pub(crate) fn version_key(collection: Collection, id: &str) -> String {
    format!("{}/{id}", collection.name())
}

/// A row ready to store: serialises to what the collection's store holds.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Row {
    Issue(Box<IssueRow>),
    Household(Box<HouseholdRow>),
    Plain(Value),
}

/// The record fields inside a stored row (the inverse of [`row_from_fields`]).
pub(crate) fn fields_of_row(collection: Collection, row: Value) -> Result<Fields, StoreError> {
    let inner = match collection {
        Collection::Issues => take(row, "issue"),
        Collection::Households => take(row, "household"),
        Collection::Grids
        | Collection::People
        | Collection::Units
        | Collection::Visits
        | Collection::Meetings
        | Collection::Mediations
        | Collection::ListEntries
        | Collection::Tasks
        | Collection::Emergencies => Some(row),
    };
    match inner {
        Some(Value::Object(map)) => Ok(map),
        _ => Err(StoreError::Corrupt(format!("a {} row without its record", collection.name()))),
    }
}

fn take(row: Value, field: &str) -> Option<Value> {
    match row {
        Value::Object(mut map) => map.remove(field),
        _ => None,
    }
}

/// Builds the row for a record from its fields. Issues need their derived state (the
/// caller derives it from the events it holds).
pub(crate) fn row_from_fields(
    collection: Collection,
    fields: Fields,
    state: Option<IssueState>,
) -> Result<Row, StoreError> {
    let value = Value::Object(fields);
    Ok(match collection {
        Collection::Issues => {
            let issue: Issue = parse(value)?;
            Row::Issue(Box::new(IssueRow::new(issue, state.unwrap_or_default())))
        }
        Collection::Households => Row::Household(Box::new(HouseholdRow::new(parse(value)?))),
        Collection::Grids => Row::Plain(canonical::<Grid>(value)?),
        Collection::People => Row::Plain(canonical::<Person>(value)?),
        Collection::Units => Row::Plain(canonical::<Unit>(value)?),
        Collection::Visits => Row::Plain(canonical::<Visit>(value)?),
        Collection::Meetings => Row::Plain(canonical::<Meeting>(value)?),
        Collection::Mediations => Row::Plain(canonical::<Case>(value)?),
        Collection::ListEntries => Row::Plain(canonical::<ListEntry>(value)?),
        Collection::Tasks => Row::Plain(canonical::<Task>(value)?),
        Collection::Emergencies => Row::Plain(canonical::<Emergency>(value)?),
    })
}

/// A record's fields from the typed core record.
pub(crate) fn fields_of(record: &impl Serialize) -> Result<Fields, StoreError> {
    match serde_json::to_value(record) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(StoreError::Corrupt("a record must be an object".into())),
        Err(e) => Err(StoreError::Corrupt(e.to_string())),
    }
}

fn parse<T: DeserializeOwned>(value: Value) -> Result<T, StoreError> {
    serde_json::from_value(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn canonical<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, StoreError> {
    let record: T = parse(value)?;
    serde_json::to_value(record).map_err(|e| StoreError::Corrupt(e.to_string()))
}
