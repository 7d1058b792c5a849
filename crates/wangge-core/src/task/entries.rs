//! A task's keyed fields: each result is a `result:<id>` field and each added instruction
//! a `note:<id>` field of the record, flattened beside its own fields, so sync merges them
//! one by one and two workers' ticks never clash.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::{AddedNote, TaskResult};
use crate::EntryId;

/// The prefix of a result's field.
pub const RESULT_PREFIX: &str = "result:";
/// The prefix of an added instruction's field.
pub const NOTE_PREFIX: &str = "note:";

/// Results and added instructions by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskEntries {
    /// Every tick, each under a fresh id.
    pub results: BTreeMap<EntryId, TaskResult>,
    /// Instructions added on the way down.
    pub notes: BTreeMap<EntryId, AddedNote>,
}

impl TaskEntries {
    /// The field a result is stored under.
    pub fn result_field(id: &EntryId) -> String {
        format!("{RESULT_PREFIX}{}", id.as_str())
    }

    /// The field an added instruction is stored under.
    pub fn note_field(id: &EntryId) -> String {
        format!("{NOTE_PREFIX}{}", id.as_str())
    }
}

impl Serialize for TaskEntries {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.results.len() + self.notes.len()))?;
        for (id, r) in &self.results {
            map.serialize_entry(&TaskEntries::result_field(id), r)?;
        }
        for (id, n) in &self.notes {
            map.serialize_entry(&TaskEntries::note_field(id), n)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for TaskEntries {
    /// The fields left over after the task's own: each must be an entry.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TaskEntries, D::Error> {
        let raw = BTreeMap::<String, Value>::deserialize(deserializer)?;
        let mut entries = TaskEntries::default();
        for (field, value) in raw {
            let id = |rest: &str| EntryId::parse(rest).map_err(D::Error::custom);
            let bad = |what: &str, e: serde_json::Error| D::Error::custom(format!("`{field}` is not a {what}: {e}"));
            if let Some(rest) = field.strip_prefix(RESULT_PREFIX) {
                let result = serde_json::from_value(value).map_err(|e| bad("result", e))?;
                entries.results.insert(id(rest)?, result);
            } else if let Some(rest) = field.strip_prefix(NOTE_PREFIX) {
                let note = serde_json::from_value(value).map_err(|e| bad("note", e))?;
                entries.notes.insert(id(rest)?, note);
            } else {
                return Err(D::Error::custom(format!("unknown field `{field}`")));
            }
        }
        Ok(entries)
    }
}
