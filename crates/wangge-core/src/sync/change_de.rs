//! [`Change`]'s reader, by hand, for the reason `issue/event_de.rs` gives: the derived
//! reader of an internally tagged enum buffers every pull entry into serde's `Content`
//! and then reads the variant (an issue event, a field map) again from the buffer, code
//! compiled once per deserializer and error type. This one takes the fields in one pass,
//! in any order, and picks the variant by `kind` at the end. The JSON is unchanged
//! (written by the derived `Serialize`); the tests below pin it.

use std::collections::BTreeMap;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::protocol::{Change, Collection, FieldConflict, VersionedValue};
use crate::de_by_hand::{need, once};
use crate::issue::IssueEvent;

const KINDS: &[&str] = &["upsert", "tombstone", "evict", "event", "conflict"];

impl<'de> Deserialize<'de> for Change {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ChangeVisitor)
    }
}

struct ChangeVisitor;

#[derive(Default)]
struct Fields {
    kind: Option<String>,
    collection: Option<Collection>,
    id: Option<String>,
    version: Option<u64>,
    fields: Option<BTreeMap<String, VersionedValue>>,
    event: Option<IssueEvent>,
    conflict: Option<FieldConflict>,
}

impl<'de> Visitor<'de> for ChangeVisitor {
    type Value = Change;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a pull change")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Change, A::Error> {
        let mut f = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "kind" => once(&mut f.kind, map.next_value()?, "kind")?,
                "collection" => once(&mut f.collection, map.next_value()?, "collection")?,
                "id" => once(&mut f.id, map.next_value()?, "id")?,
                "version" => once(&mut f.version, map.next_value()?, "version")?,
                "fields" => once(&mut f.fields, map.next_value()?, "fields")?,
                "event" => once(&mut f.event, map.next_value()?, "event")?,
                "conflict" => once(&mut f.conflict, map.next_value()?, "conflict")?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = need(f.kind, "kind")?;
        let version = || need::<u64, A::Error>(f.version, "version");
        Ok(match kind.as_str() {
            "upsert" => Change::Upsert {
                collection: need(f.collection, "collection")?,
                id: need(f.id, "id")?,
                version: version()?,
                fields: need(f.fields, "fields")?,
            },
            "tombstone" => Change::Tombstone {
                collection: need(f.collection, "collection")?,
                id: need(f.id, "id")?,
                version: version()?,
            },
            "evict" => Change::Evict {
                collection: need(f.collection, "collection")?,
                id: need(f.id, "id")?,
                version: version()?,
            },
            "event" => Change::Event { version: version()?, event: need(f.event, "event")? },
            "conflict" => Change::Conflict { version: version()?, conflict: need(f.conflict, "conflict")? },
            other => return Err(de::Error::unknown_variant(other, KINDS)),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::issue::{EventKind, IssueEvent};
    use crate::people::Role;
    use crate::{IssueId, PersonId};

    fn event() -> IssueEvent {
        let issue = IssueId::parse("i1").unwrap();
        IssueEvent::new(
            issue,
            1_700_000_000_000,
            PersonId::parse("p1").unwrap(),
            Role::GridWorker,
            EventKind::Accepted,
            [7; 10],
        )
    }

    fn every_variant() -> Vec<Change> {
        let conflict = FieldConflict {
            id: "c1".into(),
            collection: Collection::Households,
            record_id: "h1".into(),
            field: "phone".into(),
            server_value: json!("1"),
            device_value: json!("2"),
            actor: "p1".into(),
            client_id: "d1".into(),
            resolved: false,
        };
        let mut fields = BTreeMap::new();
        fields.insert(
            "name".to_string(),
            VersionedValue { value: json!("张三"), version: 3, by: Some("p1".into()), at: Some(5) },
        );
        fields.insert("phone".to_string(), VersionedValue::new(json!(null), 4));
        vec![
            Change::Upsert { collection: Collection::People, id: "p2".into(), version: 9, fields },
            Change::Tombstone { collection: Collection::Visits, id: "v1".into(), version: 10 },
            Change::Evict { collection: Collection::Households, id: "h1".into(), version: 11 },
            Change::Event { version: 12, event: event() },
            Change::Conflict { version: 13, conflict },
        ]
    }

    #[test]
    fn every_change_keeps_its_json_and_reads_back() {
        let json = serde_json::to_value(every_variant()).unwrap();
        assert_eq!(
            json[0],
            json!({"kind": "upsert", "collection": "people", "id": "p2", "version": 9, "fields": {
                "name": {"value": "张三", "version": 3, "by": "p1", "at": 5}, "phone": {"value": null, "version": 4}}})
        );
        assert_eq!(json[1], json!({"kind": "tombstone", "collection": "visits", "id": "v1", "version": 10}));
        assert_eq!(json[2], json!({"kind": "evict", "collection": "households", "id": "h1", "version": 11}));
        assert_eq!(json[3]["kind"], "event");
        assert_eq!(json[3]["event"]["kind"], json!({"type": "accepted"}));
        assert_eq!(json[4]["kind"], "conflict");
        assert_eq!(json[4]["conflict"]["record_id"], "h1");
        let text = serde_json::to_string(&every_variant()).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Change>>(&text).unwrap(), every_variant());
        assert_eq!(serde_json::from_value::<Vec<Change>>(json.clone()).unwrap(), every_variant());
        assert_eq!(Vec::<Change>::deserialize(&json).unwrap(), every_variant());
    }

    #[test]
    fn the_tag_may_come_last_unknown_fields_are_ignored_and_missing_ones_refused() {
        let change: Change = serde_json::from_str(
            r#"{"id":"v1","extra":{"a":[1]},"version":10,"collection":"visits","kind":"tombstone"}"#,
        )
        .unwrap();
        assert_eq!(change, Change::Tombstone { collection: Collection::Visits, id: "v1".into(), version: 10 });
        for (bad, says) in [
            (r#"{"kind":"tombstone","collection":"visits","id":"v1"}"#, "missing field `version`"),
            (r#"{"collection":"visits","id":"v1","version":1}"#, "missing field `kind`"),
            (r#"{"kind":"vanish","version":1}"#, "unknown variant `vanish`"),
            (r#"{"kind":"evict","collection":"tables","id":"v1","version":1}"#, "unknown variant `tables`"),
        ] {
            let err = serde_json::from_str::<Change>(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
