//! An emergency's keyed fields: each report is a `report:<person id>` field of the record,
//! flattened beside its own fields, so sync merges them one by one — two people reporting
//! at once never clash — and the key itself says who (the server holds it to the caller).

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::Report;
use crate::PersonId;

/// The prefix of a report's field.
pub const REPORT_PREFIX: &str = "report:";

/// Reports by who made them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reports(pub BTreeMap<PersonId, Report>);

impl Reports {
    /// The field `person`'s report is stored under.
    pub fn field(person: &PersonId) -> String {
        format!("{REPORT_PREFIX}{}", person.as_str())
    }

    /// `person`'s report, if they made one.
    pub fn of(&self, person: &PersonId) -> Option<&Report> {
        self.0.get(person)
    }
}

impl Serialize for Reports {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (who, r) in &self.0 {
            map.serialize_entry(&Reports::field(who), r)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Reports {
    /// The fields left over after the emergency's own: each must be a report.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Reports, D::Error> {
        let raw = BTreeMap::<String, Value>::deserialize(deserializer)?;
        let mut reports = BTreeMap::new();
        for (field, value) in raw {
            let Some(who) = field.strip_prefix(REPORT_PREFIX) else {
                return Err(D::Error::custom(format!("unknown field `{field}`")));
            };
            let who = PersonId::parse(who).map_err(D::Error::custom)?;
            let report = serde_json::from_value(value)
                .map_err(|e| D::Error::custom(format!("`{field}` is not a report: {e}")))?;
            reports.insert(who, report);
        }
        Ok(Reports(reports))
    }
}
