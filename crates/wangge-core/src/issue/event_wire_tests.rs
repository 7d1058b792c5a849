//! The exact JSON of every [`EventKind`] variant. The server, phones' stored rows, old
//! phones and exports all read this shape, so it is pinned here byte for byte, and the
//! deserialiser is checked on the shapes a hand-written reader could get wrong: the tag
//! after the fields, unknown fields, optional fields absent or null, missing fields.

use serde::Deserialize;

use super::{EventKind, Satisfaction};
use crate::grid::EscalationLevel;
use crate::{CommentText, PersonId, Reason, Summary, UnitId};

fn every_variant() -> Vec<(EventKind, &'static str)> {
    let text = || CommentText::parse("已联系").unwrap();
    let reason = || Reason::parse("不归本级").unwrap();
    vec![
        (EventKind::Reported, r#"{"type":"reported"}"#),
        (EventKind::Accepted, r#"{"type":"accepted"}"#),
        (EventKind::Assigned { assignee: PersonId::parse("p1").unwrap() }, r#"{"type":"assigned","assignee":"p1"}"#),
        (
            EventKind::Resolved { summary: Summary::parse("已修好").unwrap() },
            r#"{"type":"resolved","summary":"已修好"}"#,
        ),
        (EventKind::Verified { note: None }, r#"{"type":"verified","note":null}"#),
        (EventKind::Verified { note: Some(text()) }, r#"{"type":"verified","note":"已联系"}"#),
        (
            EventKind::Escalated { to: EscalationLevel::Town, reason: reason() },
            r#"{"type":"escalated","to":"town","reason":"不归本级"}"#,
        ),
        (EventKind::Returned { reason: reason() }, r#"{"type":"returned","reason":"不归本级"}"#),
        (EventKind::Resubmitted { note: Some(text()) }, r#"{"type":"resubmitted","note":"已联系"}"#),
        (EventKind::Resubmitted { note: None }, r#"{"type":"resubmitted","note":null}"#),
        (EventKind::Reopened { reason: reason() }, r#"{"type":"reopened","reason":"不归本级"}"#),
        (EventKind::Commented { text: text() }, r#"{"type":"commented","text":"已联系"}"#),
        (EventKind::Supervised { note: text() }, r#"{"type":"supervised","note":"已联系"}"#),
        (
            EventKind::Rated { score: Satisfaction::parse(4).unwrap(), comment: None },
            r#"{"type":"rated","score":4,"comment":null}"#,
        ),
        (
            EventKind::Rated { score: Satisfaction::parse(5).unwrap(), comment: Some(text()) },
            r#"{"type":"rated","score":5,"comment":"已联系"}"#,
        ),
        (EventKind::Withdrawn { reason: reason() }, r#"{"type":"withdrawn","reason":"不归本级"}"#),
        (
            EventKind::HandedOver { unit: UnitId::parse("u1").unwrap(), due: Some(1_700_000_000_000) },
            r#"{"type":"handed_over","unit":"u1","due":1700000000000}"#,
        ),
        (
            EventKind::HandedOver { unit: UnitId::parse("u1").unwrap(), due: None },
            r#"{"type":"handed_over","unit":"u1","due":null}"#,
        ),
        (EventKind::HandoffReplied { text: text() }, r#"{"type":"handoff_replied","text":"已联系"}"#),
        (EventKind::HandoffRefused { reason: reason() }, r#"{"type":"handoff_refused","reason":"不归本级"}"#),
        (EventKind::Dismissed { reason: reason() }, r#"{"type":"dismissed","reason":"不归本级"}"#),
    ]
}

#[test]
fn every_kind_has_its_exact_json_and_reads_back() {
    for (kind, json) in every_variant() {
        assert_eq!(serde_json::to_string(&kind).unwrap(), json);
        assert_eq!(serde_json::from_str::<EventKind>(json).unwrap(), kind, "{json}");
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::from_value::<EventKind>(value.clone()).unwrap(), kind, "{json}");
        // Borrowed, as the server reads stored rows.
        assert_eq!(EventKind::deserialize(&value).unwrap(), kind, "{json}");
    }
}

#[test]
fn the_tag_may_come_last_and_unknown_fields_are_ignored() {
    let kind: EventKind =
        serde_json::from_str(r#"{"reason":"不归本级","x":[1,{"y":2}],"to":"town","type":"escalated"}"#).unwrap();
    assert_eq!(kind, EventKind::Escalated { to: EscalationLevel::Town, reason: Reason::parse("不归本级").unwrap() });
}

#[test]
fn absent_optional_fields_read_as_none() {
    let kind: EventKind = serde_json::from_str(r#"{"type":"handed_over","unit":"u1"}"#).unwrap();
    assert_eq!(kind, EventKind::HandedOver { unit: UnitId::parse("u1").unwrap(), due: None });
    let kind: EventKind = serde_json::from_str(r#"{"type":"verified"}"#).unwrap();
    assert_eq!(kind, EventKind::Verified { note: None });
}

#[test]
fn missing_fields_unknown_types_and_bad_values_are_refused() {
    for bad in [
        r#"{"type":"assigned"}"#,
        r#"{"type":"supervised","note":null}"#,
        r#"{"type":"escalated","reason":"不归本级"}"#,
        r#"{"type":"flown_away"}"#,
        r#"{"assignee":"p1"}"#,
        r#"{"type":"rated","score":9}"#,
        r#"{"type":"assigned","assignee":""}"#,
        r#""reported""#,
    ] {
        assert!(serde_json::from_str::<EventKind>(bad).is_err(), "{bad}");
    }
    let err = serde_json::from_str::<EventKind>(r#"{"type":"flown_away"}"#).unwrap_err().to_string();
    assert!(err.contains("unknown variant `flown_away`"), "{err}");
    let err = serde_json::from_str::<EventKind>(r#"{"type":"assigned"}"#).unwrap_err().to_string();
    assert!(err.contains("missing field `assignee`"), "{err}");
    let err = serde_json::from_str::<EventKind>(r#"{"note":"x"}"#).unwrap_err().to_string();
    assert!(err.contains("missing field `type`"), "{err}");
}

/// A new variant stops this from compiling: give it its arm in `event_de.rs` (else it is
/// written but never read back) and its JSON in `every_variant` above.
#[test]
fn every_variant_is_listed() {
    for (kind, _) in every_variant() {
        let json = serde_json::to_value(&kind).unwrap();
        assert!(super::event_de_types().contains(&json["type"].as_str().unwrap()), "{json}");
        match kind {
            EventKind::Reported
            | EventKind::Accepted
            | EventKind::Assigned { .. }
            | EventKind::Resolved { .. }
            | EventKind::Verified { .. }
            | EventKind::Escalated { .. }
            | EventKind::Returned { .. }
            | EventKind::Resubmitted { .. }
            | EventKind::Reopened { .. }
            | EventKind::Commented { .. }
            | EventKind::Supervised { .. }
            | EventKind::Rated { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::HandedOver { .. }
            | EventKind::HandoffReplied { .. }
            | EventKind::HandoffRefused { .. }
            | EventKind::Dismissed { .. } => {}
        }
    }
}
