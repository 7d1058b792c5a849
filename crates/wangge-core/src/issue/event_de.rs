//! [`EventKind`]'s reader, by hand. The JSON is serde's internally tagged shape
//! (`{"type":"escalated","to":"town","reason":"…"}`, written by the derived `Serialize`),
//! but the derived reader for that shape buffers the whole object into serde's `Content`
//! first and then reads each variant from the buffer: that code was compiled once per
//! deserializer and error type the app uses, the largest serde cost in the worker's wasm.
//! This reader takes the fields in one pass, in any order, and picks the variant at the
//! end. Same accepted shapes and errors (`event_wire_tests.rs`), except that serde's rarely
//! seen array form (`["assigned","p1"]`) is refused: nothing ever wrote it.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{EventKind, Satisfaction};
use crate::de_by_hand::{need, once};
use crate::grid::EscalationLevel;
use crate::{CommentText, Millis, PersonId, Reason, Summary, UnitId};

/// The `type` codes, in declaration order (as serde's "expected one of" lists them).
const TYPES: &[&str] = &[
    "reported",
    "accepted",
    "assigned",
    "resolved",
    "verified",
    "escalated",
    "returned",
    "resubmitted",
    "reopened",
    "commented",
    "supervised",
    "rated",
    "withdrawn",
    "handed_over",
    "handoff_replied",
    "handoff_refused",
    "dismissed",
];

/// The `type` codes the reader knows (for the tests).
#[cfg(test)]
pub(super) fn types() -> &'static [&'static str] {
    TYPES
}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(KindVisitor)
    }
}

struct KindVisitor;

/// Every field any variant has; each has one type whichever variant carries it.
#[derive(Default)]
struct Fields {
    tag: Option<String>,
    assignee: Option<PersonId>,
    summary: Option<Summary>,
    note: Option<Option<CommentText>>,
    to: Option<EscalationLevel>,
    reason: Option<Reason>,
    text: Option<CommentText>,
    score: Option<Satisfaction>,
    comment: Option<Option<CommentText>>,
    unit: Option<UnitId>,
    due: Option<Option<Millis>>,
}

impl<'de> Visitor<'de> for KindVisitor {
    type Value = EventKind;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an issue event kind")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventKind, A::Error> {
        let mut f = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => once(&mut f.tag, map.next_value()?, "type")?,
                "assignee" => once(&mut f.assignee, map.next_value()?, "assignee")?,
                "summary" => once(&mut f.summary, map.next_value()?, "summary")?,
                "note" => once(&mut f.note, map.next_value()?, "note")?,
                "to" => once(&mut f.to, map.next_value()?, "to")?,
                "reason" => once(&mut f.reason, map.next_value()?, "reason")?,
                "text" => once(&mut f.text, map.next_value()?, "text")?,
                "score" => once(&mut f.score, map.next_value()?, "score")?,
                "comment" => once(&mut f.comment, map.next_value()?, "comment")?,
                "unit" => once(&mut f.unit, map.next_value()?, "unit")?,
                "due" => once(&mut f.due, map.next_value()?, "due")?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        f.kind()
    }
}

impl Fields {
    /// The variant the tag names, with the fields it needs (an absent optional one is None).
    fn kind<E: de::Error>(self) -> Result<EventKind, E> {
        let tag = need(self.tag, "type")?;
        Ok(match tag.as_str() {
            "reported" => EventKind::Reported,
            "accepted" => EventKind::Accepted,
            "assigned" => EventKind::Assigned { assignee: need(self.assignee, "assignee")? },
            "resolved" => EventKind::Resolved { summary: need(self.summary, "summary")? },
            "verified" => EventKind::Verified { note: self.note.flatten() },
            "escalated" => EventKind::Escalated { to: need(self.to, "to")?, reason: need(self.reason, "reason")? },
            "returned" => EventKind::Returned { reason: need(self.reason, "reason")? },
            "resubmitted" => EventKind::Resubmitted { note: self.note.flatten() },
            "reopened" => EventKind::Reopened { reason: need(self.reason, "reason")? },
            "commented" => EventKind::Commented { text: need(self.text, "text")? },
            "supervised" => EventKind::Supervised { note: need(self.note.flatten(), "note")? },
            "rated" => EventKind::Rated { score: need(self.score, "score")?, comment: self.comment.flatten() },
            "withdrawn" => EventKind::Withdrawn { reason: need(self.reason, "reason")? },
            "handed_over" => EventKind::HandedOver { unit: need(self.unit, "unit")?, due: self.due.flatten() },
            "handoff_replied" => EventKind::HandoffReplied { text: need(self.text, "text")? },
            "handoff_refused" => EventKind::HandoffRefused { reason: need(self.reason, "reason")? },
            "dismissed" => EventKind::Dismissed { reason: need(self.reason, "reason")? },
            other => return Err(E::unknown_variant(other, TYPES)),
        })
    }
}
