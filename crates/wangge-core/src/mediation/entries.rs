//! A case's keyed fields: each party is a `party:<id>` field, each session a
//! `session:<id>` field and each agreement term a `term:<id>` field of the record,
//! flattened beside its own fields, so sync merges them one by one.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::{Party, Session, Term};
use crate::EntryId;

/// The prefix of a party's field.
pub const PARTY_PREFIX: &str = "party:";
/// The prefix of a session's field.
pub const SESSION_PREFIX: &str = "session:";
/// The prefix of a term's field.
pub const TERM_PREFIX: &str = "term:";

/// Parties, sessions and terms by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseEntries {
    /// The parties.
    pub parties: BTreeMap<EntryId, Party>,
    /// The sessions held.
    pub sessions: BTreeMap<EntryId, Session>,
    /// The agreement's terms.
    pub terms: BTreeMap<EntryId, Term>,
}

impl CaseEntries {
    /// The field a party is stored under.
    pub fn party_field(id: &EntryId) -> String {
        format!("{PARTY_PREFIX}{}", id.as_str())
    }

    /// The field a session is stored under.
    pub fn session_field(id: &EntryId) -> String {
        format!("{SESSION_PREFIX}{}", id.as_str())
    }

    /// The field a term is stored under.
    pub fn term_field(id: &EntryId) -> String {
        format!("{TERM_PREFIX}{}", id.as_str())
    }
}

impl Serialize for CaseEntries {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = self.parties.len() + self.sessions.len() + self.terms.len();
        let mut map = serializer.serialize_map(Some(len))?;
        for (id, p) in &self.parties {
            map.serialize_entry(&CaseEntries::party_field(id), p)?;
        }
        for (id, s) in &self.sessions {
            map.serialize_entry(&CaseEntries::session_field(id), s)?;
        }
        for (id, t) in &self.terms {
            map.serialize_entry(&CaseEntries::term_field(id), t)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for CaseEntries {
    /// The fields left over after the case's own: each must be an entry. Read through a
    /// plain map of values (a case has a few dozen entries at most).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CaseEntries, D::Error> {
        let raw = BTreeMap::<String, Value>::deserialize(deserializer)?;
        let mut entries = CaseEntries::default();
        for (field, value) in raw {
            let id = |rest: &str| EntryId::parse(rest).map_err(D::Error::custom);
            let read = |what: &str| format!("`{field}` is not a {what}");
            if let Some(rest) = field.strip_prefix(PARTY_PREFIX) {
                let party =
                    serde_json::from_value(value).map_err(|e| D::Error::custom(format!("{}: {e}", read("party"))))?;
                entries.parties.insert(id(rest)?, party);
            } else if let Some(rest) = field.strip_prefix(SESSION_PREFIX) {
                let session =
                    serde_json::from_value(value).map_err(|e| D::Error::custom(format!("{}: {e}", read("session"))))?;
                entries.sessions.insert(id(rest)?, session);
            } else if let Some(rest) = field.strip_prefix(TERM_PREFIX) {
                let term =
                    serde_json::from_value(value).map_err(|e| D::Error::custom(format!("{}: {e}", read("term"))))?;
                entries.terms.insert(id(rest)?, term);
            } else {
                return Err(D::Error::custom(format!("unknown field `{field}`")));
            }
        }
        Ok(entries)
    }
}
