//! A meeting's keyed fields: each attendee is an `attendee:<person>` field and each agenda
//! item an `item:<issue>` field of the record, flattened beside its own fields, so sync
//! merges them one by one (two people recording one meeting offline both win).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{AgendaItem, Attendance};
use crate::{IssueId, PersonId};

/// The prefix of an attendee's field.
pub const ATTENDEE_PREFIX: &str = "attendee:";
/// The prefix of an agenda item's field.
pub const ITEM_PREFIX: &str = "item:";

/// Attendees and agenda items by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entries {
    /// Who was asked to attend, and whether they came.
    pub attendees: BTreeMap<PersonId, Attendance>,
    /// The agenda: each issue with its decision.
    pub items: BTreeMap<IssueId, AgendaItem>,
}

impl Entries {
    /// The field an attendee is stored under.
    pub fn attendee_field(id: &PersonId) -> String {
        format!("{ATTENDEE_PREFIX}{}", id.as_str())
    }

    /// The field an agenda item is stored under.
    pub fn item_field(id: &IssueId) -> String {
        format!("{ITEM_PREFIX}{}", id.as_str())
    }
}

impl Serialize for Entries {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.attendees.len() + self.items.len()))?;
        for (id, a) in &self.attendees {
            map.serialize_entry(&Entries::attendee_field(id), a)?;
        }
        for (id, item) in &self.items {
            map.serialize_entry(&Entries::item_field(id), item)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entries, D::Error> {
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// Reads the fields left over after the meeting's own: each must be an entry.
struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Entries;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "`{ATTENDEE_PREFIX}<person>` and `{ITEM_PREFIX}<issue>` fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
        use serde::de::Error;
        let mut entries = Entries::default();
        while let Some(field) = map.next_key::<String>()? {
            if let Some(id) = field.strip_prefix(ATTENDEE_PREFIX) {
                let id = PersonId::parse(id).map_err(A::Error::custom)?;
                entries.attendees.insert(id, map.next_value()?);
            } else if let Some(id) = field.strip_prefix(ITEM_PREFIX) {
                let id = IssueId::parse(id).map_err(A::Error::custom)?;
                entries.items.insert(id, map.next_value()?);
            } else {
                return Err(A::Error::custom(format!("unknown field `{field}`")));
            }
        }
        Ok(entries)
    }
}
