//! [`TargetRule`]'s reader, by hand, for the reason `issue/event_de.rs` gives: the derived
//! reader of this internally tagged shape (`{"kind":"care_tag","tag":"…"}`) buffered the
//! object into serde's `Content` and read the variant again from the buffer, compiled
//! once per deserializer the app reads tasks with (eight copies, 21 KB before wasm-opt).
//! This one takes the fields in one pass, in any order, and picks the variant by `kind`
//! at the end; unknown fields are ignored, as the derived reader did. The JSON is
//! unchanged (written by the derived `Serialize`); the tests below pin it.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{Target, TargetRule};
use crate::de_by_hand::{need, once};
use crate::household::HouseholdTag;
use crate::unit::UnitKind;

const KINDS: &[&str] = &["grid", "care_tag", "unit_kind", "picked"];

impl<'de> Deserialize<'de> for TargetRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RuleVisitor)
    }
}

struct RuleVisitor;

#[derive(Default)]
struct Fields {
    kind: Option<String>,
    tag: Option<HouseholdTag>,
    unit_kind: Option<UnitKind>,
    targets: Option<Vec<Target>>,
}

impl<'de> Visitor<'de> for RuleVisitor {
    type Value = TargetRule;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a task's target rule")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TargetRule, A::Error> {
        let mut f = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "kind" => once(&mut f.kind, map.next_value()?, "kind")?,
                "tag" => once(&mut f.tag, map.next_value()?, "tag")?,
                "unit_kind" => once(&mut f.unit_kind, map.next_value()?, "unit_kind")?,
                "targets" => once(&mut f.targets, map.next_value()?, "targets")?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = need(f.kind, "kind")?;
        Ok(match kind.as_str() {
            "grid" => TargetRule::Grid,
            "care_tag" => TargetRule::CareTag { tag: need(f.tag, "tag")? },
            "unit_kind" => TargetRule::UnitKind { unit_kind: need(f.unit_kind, "unit_kind")? },
            "picked" => TargetRule::Picked { targets: need(f.targets, "targets")? },
            other => return Err(de::Error::unknown_variant(other, KINDS)),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{HouseholdId, UnitId};

    fn every_rule() -> Vec<TargetRule> {
        vec![
            TargetRule::Grid,
            TargetRule::CareTag { tag: HouseholdTag::LivingAloneElderly },
            TargetRule::UnitKind { unit_kind: UnitKind::School },
            TargetRule::Picked {
                targets: vec![
                    Target::Grid,
                    Target::Household(HouseholdId::parse("h1").unwrap()),
                    Target::Unit(UnitId::parse("u1").unwrap()),
                ],
            },
        ]
    }

    #[test]
    fn every_rule_keeps_its_json_and_reads_back_from_text_and_value() {
        let json = serde_json::to_value(every_rule()).unwrap();
        assert_eq!(json[0], json!({"kind": "grid"}));
        assert_eq!(json[1]["kind"], "care_tag");
        assert_eq!(json[2]["kind"], "unit_kind");
        assert_eq!(json[3], json!({"kind": "picked", "targets": ["grid", {"household": "h1"}, {"unit": "u1"}]}));
        let text = serde_json::to_string(&every_rule()).unwrap();
        assert_eq!(serde_json::from_str::<Vec<TargetRule>>(&text).unwrap(), every_rule());
        assert_eq!(serde_json::from_value::<Vec<TargetRule>>(json.clone()).unwrap(), every_rule());
        assert_eq!(Vec::<TargetRule>::deserialize(&json).unwrap(), every_rule());
    }

    #[test]
    fn the_tag_may_come_last_unknown_fields_are_ignored_and_missing_ones_refused() {
        let rule: TargetRule = serde_json::from_str(r#"{"targets":[],"extra":[1],"kind":"picked"}"#).unwrap();
        assert_eq!(rule, TargetRule::Picked { targets: vec![] });
        for (bad, says) in [
            (r#"{"kind":"care_tag"}"#, "missing field `tag`"),
            (r#"{"targets":[]}"#, "missing field `kind`"),
            (r#"{"kind":"everyone"}"#, "unknown variant `everyone`"),
            (r#"{"kind":"grid","kind":"grid"}"#, "duplicate field `kind`"),
            (r#"{"kind":"unit_kind","unit_kind":"castle"}"#, "unknown variant `castle`"),
        ] {
            let err = serde_json::from_str::<TargetRule>(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
