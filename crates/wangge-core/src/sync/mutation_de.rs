//! [`Mutation`]'s and [`Op`]'s reader, by hand, for the reason `issue/event_de.rs` gives.
//! A mutation is an `Op` (internally tagged by `op`) flattened into `{seq, …}`: the
//! derived reader buffered every outbox entry into serde's `Content` twice (once for the
//! flatten, once for the tag) and then read the variant again from the buffer, code
//! compiled once per deserializer the app reads outbox entries with. This one takes the
//! fields in one pass and picks the variant by `op` at the end. It keeps what
//! `deny_unknown_fields` promised: a key no variant has, or one the chosen variant does
//! not have (`fields` on a delete), is refused. The JSON is unchanged (written by the
//! derived `Serialize`); the tests below pin it.

use std::collections::BTreeMap;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::protocol::{Collection, FieldWrite, Mutation, Op};
use crate::de_by_hand::{need, once};
use crate::issue::IssueEvent;

const OPS: &[&str] = &["put", "delete", "append_event", "settle_conflict"];

/// Every key a mutation may carry (as serde's "expected one of" lists them).
const KEYS: &[&str] = &["seq", "op", "collection", "id", "fields", "base", "event", "conflict"];

impl<'de> Deserialize<'de> for Mutation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (seq, op) = deserializer.deserialize_map(OpVisitor { with_seq: true })?;
        Ok(Mutation { seq: need(seq, "seq")?, op })
    }
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(deserializer.deserialize_map(OpVisitor { with_seq: false })?.1)
    }
}

/// Reads an op's keys; `seq` is one of them only inside a [`Mutation`].
struct OpVisitor {
    with_seq: bool,
}

#[derive(Default)]
struct Fields {
    seq: Option<u64>,
    op: Option<String>,
    collection: Option<Collection>,
    id: Option<String>,
    fields: Option<BTreeMap<String, FieldWrite>>,
    base: Option<u64>,
    event: Option<IssueEvent>,
    conflict: Option<String>,
}

impl<'de> Visitor<'de> for OpVisitor {
    type Value = (Option<u64>, Op);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sync mutation")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut f = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "seq" if self.with_seq => once(&mut f.seq, map.next_value()?, "seq")?,
                "op" => once(&mut f.op, map.next_value()?, "op")?,
                "collection" => once(&mut f.collection, map.next_value()?, "collection")?,
                "id" => once(&mut f.id, map.next_value()?, "id")?,
                "fields" => once(&mut f.fields, map.next_value()?, "fields")?,
                "base" => once(&mut f.base, map.next_value()?, "base")?,
                "event" => once(&mut f.event, map.next_value()?, "event")?,
                "conflict" => once(&mut f.conflict, map.next_value()?, "conflict")?,
                other => return Err(de::Error::unknown_field(other, KEYS)),
            }
        }
        let seq = f.seq;
        Ok((seq, f.op()?))
    }
}

impl Fields {
    /// The op the tag names, refusing a key that belongs to another op.
    fn op<E: de::Error>(self) -> Result<Op, E> {
        let tag = need(self.op, "op")?;
        let own: &'static [&'static str] = match tag.as_str() {
            "put" => &["collection", "id", "fields"],
            "delete" => &["collection", "id", "base"],
            "append_event" => &["event"],
            "settle_conflict" => &["conflict"],
            other => return Err(E::unknown_variant(other, OPS)),
        };
        let present = [
            ("collection", self.collection.is_some()),
            ("id", self.id.is_some()),
            ("fields", self.fields.is_some()),
            ("base", self.base.is_some()),
            ("event", self.event.is_some()),
            ("conflict", self.conflict.is_some()),
        ];
        if let Some((stray, _)) = present.iter().find(|(name, here)| *here && !own.contains(name)) {
            return Err(E::unknown_field(stray, own));
        }
        Ok(match tag.as_str() {
            "put" => Op::Put {
                collection: need(self.collection, "collection")?,
                id: need(self.id, "id")?,
                fields: need(self.fields, "fields")?,
            },
            "delete" => Op::Delete {
                collection: need(self.collection, "collection")?,
                id: need(self.id, "id")?,
                base: need(self.base, "base")?,
            },
            "append_event" => Op::AppendEvent { event: need(self.event, "event")? },
            _ => Op::SettleConflict { conflict: need(self.conflict, "conflict")? },
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::issue::EventKind;
    use crate::people::Role;
    use crate::{IssueId, PersonId};

    fn every_op() -> Vec<Mutation> {
        let event = IssueEvent::new(
            IssueId::parse("i1").unwrap(),
            1_700_000_000_000,
            PersonId::parse("p1").unwrap(),
            Role::GridWorker,
            EventKind::Accepted,
            [7; 10],
        );
        let fields = BTreeMap::from([("name".to_owned(), FieldWrite { value: json!("张三"), base: 2 })]);
        vec![
            Mutation { seq: 1, op: Op::Put { collection: Collection::People, id: "p2".into(), fields } },
            Mutation { seq: 2, op: Op::Delete { collection: Collection::Visits, id: "v1".into(), base: 3 } },
            Mutation { seq: 3, op: Op::AppendEvent { event } },
            Mutation { seq: 4, op: Op::SettleConflict { conflict: "c1".into() } },
        ]
    }

    #[test]
    fn every_op_keeps_its_json_and_reads_back_from_text_and_value() {
        let json = serde_json::to_value(every_op()).unwrap();
        assert_eq!(
            json[0],
            json!({"seq": 1, "op": "put", "collection": "people", "id": "p2",
                "fields": {"name": {"value": "张三", "base": 2}}})
        );
        assert_eq!(json[2]["op"], "append_event");
        assert_eq!(json[2]["event"]["kind"], json!({"type": "accepted"}));
        let text = serde_json::to_string(&every_op()).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Mutation>>(&text).unwrap(), every_op());
        assert_eq!(serde_json::from_value::<Vec<Mutation>>(json.clone()).unwrap(), every_op());
        assert_eq!(Vec::<Mutation>::deserialize(&json).unwrap(), every_op());
        // An op alone reads without the seq, and refuses one.
        let op = json!({"op": "settle_conflict", "conflict": "c1"});
        assert_eq!(serde_json::from_value::<Op>(op).unwrap(), Op::SettleConflict { conflict: "c1".into() });
        let err = serde_json::from_value::<Op>(json[3].clone()).unwrap_err().to_string();
        assert!(err.contains("unknown field `seq`"), "{err}");
    }

    #[test]
    fn the_tag_may_come_last_and_unknown_or_foreign_fields_are_refused() {
        let m: Mutation =
            serde_json::from_str(r#"{"base":3,"id":"v1","collection":"visits","op":"delete","seq":2}"#).unwrap();
        assert_eq!(m, every_op()[1]);
        for (bad, says) in [
            (r#"{"seq":1,"op":"delete","collection":"visits","id":"v1","base":0,"extra":1}"#, "unknown field `extra`"),
            (
                r#"{"seq":1,"op":"delete","collection":"visits","id":"v1","base":0,"conflict":"c"}"#,
                "unknown field `conflict`",
            ),
            (r#"{"seq":1,"op":"settle_conflict","conflict":"c","fields":{}}"#, "unknown field `fields`"),
            (r#"{"seq":1,"op":"delete","collection":"visits","id":"v1"}"#, "missing field `base`"),
            (r#"{"op":"settle_conflict","conflict":"c"}"#, "missing field `seq`"),
            (r#"{"seq":1,"collection":"visits"}"#, "missing field `op`"),
            (r#"{"seq":1,"op":"drop_table","collection":"issues"}"#, "unknown variant `drop_table`"),
            (r#"{"seq":1,"seq":2,"op":"settle_conflict","conflict":"c"}"#, "duplicate field `seq`"),
            (r#"{"seq":-1,"op":"settle_conflict","conflict":"c"}"#, "invalid value"),
        ] {
            let err = serde_json::from_str::<Mutation>(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
